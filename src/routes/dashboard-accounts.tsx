import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { listAccounts } from '../db/accounts';
import { listPartners } from '../db/partners';
import { findPartnership } from '../db/partnerships';
import type { AppEnv } from '../env';
import { pagePolicy } from '../lib/csp';
import { ApiError } from '../lib/errors';
import { readForm } from '../lib/validate';
import { browserNonce, checkSignIn, clearSignIn, issueSignIn, requireRole, requireSession, setSessionCookie } from '../middleware/session';
import { EmailSchema } from '../schemas/accounts';
import { disableAccount, inviteAccount, requestSignInLink, SESSION_ABSOLUTE_HOURS, signInWithLink, startSession } from '../services/accounts';
import { finishOidc, OidcRefusal, startOidc } from '../services/oidc';
import { ConfirmLinkPage, PeoplePage, roleOrNull, SignInMessage } from '../views/accounts';
import { ErrorPage } from '../views/dashboard';
import { documentHtml } from '../views/layout';

type DashboardEnv = AppEnv & { Variables: { csrf: string; sessionHash: string } };

/**
 * People on the dashboard (issue 16): signing in by email link, invitation or single sign-on, and
 * the admins' page for inviting and disabling accounts.
 */
export const dashboardAccounts = new Hono<DashboardEnv>();

const html = (c: Context, page: Parameters<typeof documentHtml>[0], status: 200 | 400 | 403 | 404 | 410 | 503 = 200) => {
  c.header('Content-Security-Policy', pagePolicy({ frameAncestors: [] }));
  c.header('Cache-Control', 'private, no-store');
  return c.html(documentHtml(page), status);
};

dashboardAccounts.onError((err, c) => {
  if (err instanceof ApiError && (err.status === 400 || err.status === 403 || err.status === 404)) {
    return html(c, <ErrorPage status={err.status} message={err.message} />, err.status);
  }
  throw err;
});

const origin = (c: Context) => new URL(c.req.url).origin;

async function signedIn(c: Context<DashboardEnv>, secret: string) {
  clearSignIn(c);
  setSessionCookie(c, secret, SESSION_ABSOLUTE_HOURS);
  return c.redirect('/dashboard', 303);
}

async function requireSignInForm(c: Context<DashboardEnv>) {
  const form = await readForm(c);
  if (!(await checkSignIn(c, form.get('_csrf') ?? ''))) {
    throw new ApiError(403, 'csrf_failed', 'This form has expired. Go back, reload the page and try again.');
  }
  return form;
}

// Email link ---------------------------------------------------------------------------------------

dashboardAccounts.post('/dashboard/sign-in/email', async (c) => {
  const form = await requireSignInForm(c);
  const parsed = v.safeParse(EmailSchema, (form.get('email') ?? '').trim());
  if (!parsed.success) {
    return html(c, <SignInMessage title="Check the email address" message="Email address: enter an address like name@example.org." />, 400);
  }
  // The same answer whether or not the address has an account, so the form tells nobody who does.
  await requestSignInLink(c.env, parsed.output, browserNonce(c, true), origin(c));
  return html(
    c,
    <SignInMessage
      title="Check your email"
      message="If that address has a Heard account, we have sent it a link to sign in. It works once, for 15 minutes, in this browser only."
    />,
  );
});

dashboardAccounts.get('/dashboard/sign-in/link/:token', async (c) =>
  html(c, <ConfirmLinkPage action={c.req.path} csrf={await issueSignIn(c)} heading="Sign in to Heard" button="Sign in" />),
);

dashboardAccounts.post('/dashboard/sign-in/link/:token', async (c) => {
  await requireSignInForm(c);
  const secret = await signInWithLink(c.env.DB, c.req.param('token'), 'sign-in', browserNonce(c));
  if (!secret) {
    return html(
      c,
      <SignInMessage
        title="This link cannot be used"
        message="Sign-in links work once, for 15 minutes, and only in the browser that asked for them. Ask for a new one."
      />,
      410,
    );
  }
  return signedIn(c, secret);
});

// Invitations ---------------------------------------------------------------------------------------

dashboardAccounts.get('/dashboard/invitation/:token', async (c) =>
  html(c, <ConfirmLinkPage action={c.req.path} csrf={await issueSignIn(c)} heading="Accept your invitation to Heard" button="Accept and sign in" />),
);

dashboardAccounts.post('/dashboard/invitation/:token', async (c) => {
  await requireSignInForm(c);
  const secret = await signInWithLink(c.env.DB, c.req.param('token'), 'invitation', null);
  if (!secret) {
    return html(
      c,
      <SignInMessage
        title="This invitation cannot be used"
        message="Invitations work once, within 72 hours. Ask your partnership’s admin to invite you again."
      />,
      410,
    );
  }
  return signedIn(c, secret);
});

// Single sign-on ------------------------------------------------------------------------------------

const callbackUri = (c: Context) => `${origin(c)}/dashboard/sign-in/oidc/callback`;

function refused(c: Context, err: unknown) {
  if (!(err instanceof OidcRefusal)) throw err;
  c.header('X-Heard-Refusal', err.code);
  // A provider that is down is not the person's fault: 503, so monitoring sees it.
  return html(c, <SignInMessage title="You could not be signed in" message={err.reason} />, err.code === 'provider_unavailable' ? 503 : 403);
}

dashboardAccounts.get('/dashboard/sign-in/oidc/callback', async (c) => {
  const state = c.req.query('state') ?? '';
  const code = c.req.query('code') ?? '';
  const nonce = browserNonce(c);
  // The provider sends `error` instead of a code when the person cancels or is not allowed (RFC 6749 §4.1.2.1).
  if (c.req.query('error')) {
    return refused(c, new OidcRefusal('provider_refused', 'Your organisation’s sign-in service did not sign you in. Start again from the sign-in page.'));
  }
  if (!state || !code || !nonce) {
    return refused(c, new OidcRefusal('state_invalid', 'This sign-in has expired or was started in another browser. Start again from the sign-in page.'));
  }
  try {
    const account = await finishOidc(c.env as unknown as { DB: D1Database } & Record<string, unknown>, { state, code }, nonce, callbackUri(c));
    return signedIn(c, await startSession(c.env.DB, account, 'single sign-on'));
  } catch (err) {
    return refused(c, err);
  }
});

dashboardAccounts.get('/dashboard/sign-in/oidc/:providerId', async (c) => {
  try {
    return c.redirect(await startOidc(c.env.DB, c.req.param('providerId'), browserNonce(c, true), callbackUri(c)), 303);
  } catch (err) {
    return refused(c, err);
  }
});

// People ------------------------------------------------------------------------------------------

const managers = requireRole(['admin', 'safeguarding-lead'], 'Only admins and safeguarding leads manage people.');

async function peoplePage(c: Context<DashboardEnv>, opts: { notice?: string; error?: string } = {}, status: 200 | 400 | 403 = 200) {
  const key = c.get('key');
  const [partnership, accounts, partners] = await Promise.all([
    findPartnership(c.env.DB, key.partnershipId),
    listAccounts(c.env.DB, key.partnershipId),
    listPartners(c.env.DB, key.partnershipId),
  ]);
  const shell = {
    title: 'People',
    csrf: c.get('csrf'),
    who: { label: key.label, role: key.role, partnershipName: partnership?.name ?? key.partnershipId },
    nav: [
      { href: '/dashboard', label: 'Dashboard', current: false },
      { href: '/dashboard/people', label: 'People', current: true },
    ],
  };
  return html(c, <PeoplePage shell={shell} accounts={accounts} partners={partners} {...opts} />, status);
}

dashboardAccounts.get('/dashboard/people', requireSession(), managers, (c) => peoplePage(c, c.req.query('done') ? { notice: 'Done.' } : {}));

dashboardAccounts.post('/dashboard/people/invite', requireSession(), managers, async (c) => {
  const form = await readForm(c);
  const email = v.safeParse(EmailSchema, (form.get('email') ?? '').trim());
  const displayName = (form.get('displayName') ?? '').trim();
  const role = roleOrNull(form.get('role') ?? undefined);
  const problems = [
    ...(email.success ? [] : ['Email address: enter an address like name@example.org.']),
    ...(displayName.length >= 1 && displayName.length <= 100 ? [] : ['Name: enter a name of up to 100 characters.']),
    ...(role ? [] : ['Role: choose a role from the list.']),
  ];
  if (problems.length > 0 || !email.success || !role) return peoplePage(c, { error: problems.join(' ') }, 400);
  try {
    await inviteAccount(c.env, c.get('key'), { email: email.output, displayName, role, partnerId: form.get('partnerId') || null }, origin(c));
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) return peoplePage(c, { error: err.message }, err.status === 403 ? 403 : 400);
    throw err;
  }
  return c.redirect('/dashboard/people?done=1', 303);
});

dashboardAccounts.post('/dashboard/people/:id/disable', requireSession(), managers, async (c) => {
  await disableAccount(c.env.DB, c.get('key'), c.req.param('id'));
  return c.redirect('/dashboard/people?done=1', 303);
});
