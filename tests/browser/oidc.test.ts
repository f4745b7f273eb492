/// <reference types="node" />
import { createServer, type Server } from 'node:http';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axe, heard, launch, scrollsSideways, sql } from './support';

/**
 * Staff sign-in in Chromium (issue 16) against a real OpenID provider: panva's `oidc-provider`,
 * certified, on loopback, with its own login pages. Heard is pointed at it through its own API,
 * as a partnership's admin would, and every redirect between them is a real one.
 */

/** Addresses the provider will vouch for: whoever types one into its login form is that person. */
const DOMAIN = 'council.heard.example';
/** A second registration at the same provider, whose ID tokens the provider addresses to another app. */
const WRONG_AUDIENCE_CLIENT = 'heard-wrong-audience';

let idp: { issuer: string; close: () => Promise<void> };
let admin: { context: BrowserContext; close: () => Promise<void> };
let person: { context: BrowserContext; close: () => Promise<void> };
let providerId: string;
let wrongAudienceProviderId: string;

/**
 * Starts oidc-provider on 127.0.0.1 on a port the OS picks (read back after listening, so nothing
 * else can take it in between), with two clients that both send people back to Heard's callback.
 */
async function startIdentityProvider(callback: string, clientSecret: string) {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };
  const client = (id: string) => ({
    client_id: id,
    client_secret: clientSecret,
    redirect_uris: [callback],
    grant_types: ['authorization_code'],
    response_types: ['code' as const],
    token_endpoint_auth_method: 'client_secret_basic' as const,
  });
  const provider = new Provider(issuer, {
    clients: [client('heard'), client(WRONG_AUDIENCE_CLIENT)],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['browser-test-idp-cookie-key'] },
    // The login id typed at the provider's own (development) login page is the person's address.
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: sub, email_verified: true, name: sub.split('@')[0] }),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Entra ID and Google put the email in the ID token itself, as Heard reads it; so does this provider.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
  });
  // The second client's ID tokens are signed with the provider's own key but addressed to another
  // app: only Heard's audience check stands between such a token and a session.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && ctx.oidc?.client?.clientId === WRONG_AUDIENCE_CLIENT && typeof body?.id_token === 'string') {
      const header = decodeProtectedHeader(body.id_token);
      body.id_token = await new SignJWT({ ...decodeJwt(body.id_token), aud: 'another-app' })
        .setProtectedHeader({ alg: 'RS256', kid: header.kid! })
        .sign(privateKey);
    }
  });
  server.on('request', provider.callback());
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const api = (path: string, init: { method?: string; json?: unknown } = {}) =>
  fetch(`${heard()}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: 'Bearer demo-admin-key', 'content-type': 'application/json' },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });

async function registerProvider(label: string, clientId: string): Promise<string> {
  const res = await api('/api/v1/oidc-providers', {
    method: 'POST',
    json: { label, issuer: idp.issuer, clientId, clientSecretName: 'OIDC_TEST_CLIENT_SECRET', allowedDomains: [DOMAIN] },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  idp = await startIdentityProvider(`${heard()}/dashboard/sign-in/oidc/callback`, inject('oidcClientSecret'));
  const suffix = crypto.randomUUID().slice(0, 6);
  providerId = await registerProvider(`Demo Council ${suffix}`, 'heard');
  wrongAudienceProviderId = await registerProvider(`Misaddressed ${suffix}`, WRONG_AUDIENCE_CLIENT);
  admin = await launch();
  person = await launch();
  // The demo partnership keeps key sign-in for its machines' keys: the admin signs in with one.
  const page = await admin.context.newPage();
  await page.goto(`${heard()}/dashboard/sign-in`);
  await page.fill('#key', 'demo-admin-key');
  await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard'), page.click('form[action="/dashboard/sign-in"] button[type=submit]')]);
  await page.close();
});

afterAll(async () => {
  await admin?.close();
  await person?.close();
  await idp?.close();
});

const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@${DOMAIN}`;

async function expectAccessible(page: Page) {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    const violations = await axe(page);
    expect(violations, `axe at ${width}px on ${page.url()}: ${JSON.stringify(violations)}`).toEqual([]);
    expect(await scrollsSideways(page), `sideways scroll at ${width}px on ${page.url()}`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** The admin invites someone on the People page, as a person would: by keyboard-reachable form fields. */
async function invite(email: string, name: string, partner = 'demo-police') {
  const page = await admin.context.newPage();
  await page.goto(`${heard()}/dashboard/people`);
  expect(new URL(page.url()).pathname).toBe('/dashboard/people');
  await expectAccessible(page);
  await page.fill('#invite-email', email);
  await page.fill('#invite-name', name);
  await page.selectOption('#invite-role', 'practice-lead');
  await page.selectOption('#invite-partner', partner);
  await Promise.all([page.waitForURL(/done=1/), page.click('form[action="/dashboard/people/invite"] button[type=submit]')]);
  expect(await page.locator('td', { hasText: email }).count()).toBe(1);
  await expectAccessible(page);
  await page.close();
}

/**
 * From Heard's sign-in page, through the provider's own login (and consent) pages, back to Heard.
 * Returns the page and Heard's answer to the callback (the provider's last redirect).
 */
async function signInWithProvider(page: Page, label: RegExp, login: string, rewriteAuthorization?: (url: URL) => void) {
  await person.context.clearCookies();
  if (rewriteAuthorization) {
    // Playwright routes only the first URL of a redirect chain, so Heard's redirect to the provider
    // is fetched here and its Location rewritten, as an attacker in the middle would.
    await page.route(isStartOfSignIn, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = new URL(response.headers().location!);
      rewriteAuthorization(location);
      await route.fulfill({ response, headers: { ...response.headers(), location: location.toString() } });
    });
  }
  await page.goto(`${heard()}/dashboard/sign-in`);
  await expectAccessible(page);
  const callback = page.waitForResponse((res) => res.url().startsWith(`${heard()}/dashboard/sign-in/oidc/callback`), { timeout: 30_000 });
  await Promise.all([page.waitForURL((url) => url.origin === idp.issuer), page.getByRole('link', { name: label }).click()]);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any password');
  await page.click('button[type=submit]');
  // The provider asks once per client whether to share the person's details with Heard.
  await page.waitForURL((url) => url.origin !== idp.issuer || url.pathname.includes('/interaction/'), { timeout: 30_000 });
  const consent = page.locator('input[name=prompt][value=consent]');
  if (new URL(page.url()).origin === idp.issuer && (await consent.count()) > 0) await page.click('button[type=submit]');
  const answer: Response = await callback;
  await page.waitForLoadState();
  if (rewriteAuthorization) await page.unroute(isStartOfSignIn);
  return answer;
}

const isStartOfSignIn = (url: URL) => url.pathname.startsWith('/dashboard/sign-in/oidc/') && !url.pathname.endsWith('/callback');

const OUR_PROVIDER = /Sign in with Demo Council/;

describe('single sign-on through a local OpenID provider', () => {
  it('an admin invites a practice lead on the People page, who signs in at the provider and lands on their partner’s insights', async () => {
    const email = unique('pat');
    await invite(email, 'Pat Police Lead');
    const page = await person.context.newPage();
    const callback = await signInWithProvider(page, OUR_PROVIDER, email);
    expect(callback.status()).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(await page.locator('h1', { hasText: 'What children and families told us' }).count()).toBe(1);
    // A practice lead sees their own partner only: its services, no other partner's, no comparison.
    const services = (await page.locator('#f-service option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).filter(Boolean);
    expect(services).toEqual(['demo-public-protection']);
    expect(await page.locator('#f-partner').count()).toBe(0);
    expect(await page.locator('h2', { hasText: 'Partners compared' }).count()).toBe(0);
    await expectAccessible(page);
    const [account] = await sql<{ status: string; last_sign_in_at: string | null }>('SELECT status, last_sign_in_at FROM accounts WHERE email = ?1', email);
    expect(account).toMatchObject({ status: 'active' });
    expect(account!.last_sign_in_at).not.toBeNull();
    const [audit] = await sql<{ n: number }>(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'sessions.sign-in' AND actor_kind = 'account' AND subject_ids LIKE ?1",
      `%${(await sql<{ id: string }>('SELECT id FROM accounts WHERE email = ?1', email))[0]!.id}%`,
    );
    expect(audit!.n).toBe(1);

    // The same callback from a browser without the cookie that started it (a leaked URL): refused.
    await person.context.clearCookies();
    const replay = await page.goto(callback.url());
    expect(replay!.status()).toBe(403);
    expect(await replay!.headerValue('x-heard-refusal')).toBe('state_invalid');
    await expectAccessible(page);
    await page.close();
  });

  it('refuses a replayed state even in the browser that started the sign-in', async () => {
    const email = unique('robin');
    await invite(email, 'Robin Lead');
    const page = await person.context.newPage();
    const callback = await signInWithProvider(page, OUR_PROVIDER, email);
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    // Signed out, but the browser cookie that bound the sign-in is still here: only the used state stops it.
    await page.context().clearCookies({ name: 'heard_session' });
    const replay = await page.goto(callback.url());
    expect(replay!.status()).toBe(403);
    expect(await replay!.headerValue('x-heard-refusal')).toBe('state_invalid');
    expect(await page.locator('h1').textContent()).toBe('You could not be signed in');
    await page.goto(`${heard()}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await page.close();
  });

  it('refuses an ID token addressed to another app', async () => {
    const email = unique('alex');
    await invite(email, 'Alex Lead');
    const page = await person.context.newPage();
    const callback = await signInWithProvider(page, /Sign in with Misaddressed/, email);
    expect(callback.status()).toBe(403);
    expect(await callback.headerValue('x-heard-refusal')).toBe('id_token_invalid');
    expect(await page.locator('h1').textContent()).toBe('You could not be signed in');
    await expectAccessible(page);
    await page.goto(`${heard()}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    expect(wrongAudienceProviderId).toBeTruthy();
    await page.close();
  });

  it('refuses a sign-in whose ID token carries another nonce than the one Heard sent', async () => {
    const email = unique('sam');
    await invite(email, 'Sam Lead');
    const page = await person.context.newPage();
    const callback = await signInWithProvider(page, OUR_PROVIDER, email, (url) => url.searchParams.set('nonce', 'a-nonce-heard-never-sent'));
    expect(callback.status()).toBe(403);
    expect(await callback.headerValue('x-heard-refusal')).toBe('nonce_mismatch');
    await expectAccessible(page);
    await page.goto(`${heard()}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await page.close();
  });

  it('refuses an address nobody invited, with a page that says so, and creates no account', async () => {
    const email = unique('stranger');
    const page = await person.context.newPage();
    const callback = await signInWithProvider(page, OUR_PROVIDER, email);
    expect(callback.status()).toBe(403);
    expect(await callback.headerValue('x-heard-refusal')).toBe('not_invited');
    expect(await page.locator('main').textContent()).toContain(`There is no Heard account for ${email}`);
    await expectAccessible(page);
    expect(await sql('SELECT id FROM accounts WHERE email = ?1', email)).toEqual([]);
    await page.close();
  });

  it('signs a disabled account out at once, and refuses its next sign-in', async () => {
    const email = unique('jo');
    await invite(email, 'Jo Lead');
    const page = await person.context.newPage();
    await signInWithProvider(page, OUR_PROVIDER, email);
    expect(new URL(page.url()).pathname).toBe('/dashboard');

    const people = await admin.context.newPage();
    await people.goto(`${heard()}/dashboard/people`);
    await Promise.all([people.waitForURL(/done=1/), people.getByRole('button', { name: 'Disable Jo Lead' }).click()]);
    expect(await people.locator('tr', { hasText: email }).locator('td').nth(3).textContent()).toBe('disabled');
    await expectAccessible(people);
    await people.close();

    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    // Still signed in at the provider: Heard itself refuses.
    const again = await page.context().newPage();
    const callback = await (async () => {
      const answer = again.waitForResponse((res) => res.url().startsWith(`${heard()}/dashboard/sign-in/oidc/callback`));
      await again.goto(`${heard()}/dashboard/sign-in/oidc/${encodeURIComponent(providerId)}`);
      return answer;
    })();
    expect(callback.status()).toBe(403);
    expect(await callback.headerValue('x-heard-refusal')).toBe('account_disabled');
    await again.close();
    await page.close();
  });
});

/** Every message Heard has sent through the emulated send_email binding, newest last. */
async function lastEmailTo(address: string): Promise<string> {
  const res = await fetch(`${inject('sqlUrl')}/emails`);
  const all = (await res.json()) as string[];
  const mine = all.filter((raw) => raw.includes(`To: <${address}>`) || raw.includes(`To: ${address}`));
  expect(mine.length, `no email to ${address}`).toBeGreaterThan(0);
  // Quoted-printable soft line breaks would split a long link.
  return mine.at(-1)!.replace(/=\r?\n/g, '');
}

const linkIn = (raw: string, path: string) => {
  const match = new RegExp(`${heard()}(${path}/[A-Za-z0-9_-]+)`).exec(raw);
  expect(match, `no ${path} link in the email`).not.toBeNull();
  return match![1]!;
};

describe('sign-in by a link sent by email', () => {
  it('accepts an invitation, then signs in once by an emailed link; the same link a second time is refused', async () => {
    const email = unique('kim');
    await invite(email, 'Kim Lead');
    const page = await person.context.newPage();
    await person.context.clearCookies();

    const invitation = linkIn(await lastEmailTo(email), '/dashboard/invitation');
    await page.goto(`${heard()}${invitation}`);
    await expectAccessible(page);
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard'), page.getByRole('button', { name: 'Accept and sign in' }).click()]);
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/sign-in'), page.click('form[action="/dashboard/sign-out"] button')]);

    await page.fill('#email', email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check your email');
    await expectAccessible(page);

    const link = linkIn(await lastEmailTo(email), '/dashboard/sign-in/link');
    await page.goto(`${heard()}${link}`);
    await expectAccessible(page);
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.locator('h1', { hasText: 'What children and families told us' }).count()).toBe(1);
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/sign-in'), page.click('form[action="/dashboard/sign-out"] button')]);

    // The same link again, in the same browser: it worked once and works no more.
    await page.goto(`${heard()}${link}`);
    const [second] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(second.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('This link cannot be used');
    await expectAccessible(page);
    await page.goto(`${heard()}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await page.close();
  });
});
