import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { listPartners, listServices } from '../db/partners';
import { listSurveysWithTitles } from '../db/surveys';
import type { AppEnv } from '../env';
import { pagePolicy } from '../lib/csp';
import { ApiError, type FieldProblem } from '../lib/errors';
import { qrSvg } from '../lib/qr';
import { fieldProblems, readForm } from '../lib/validate';
import { requireRole, requireSession } from '../middleware/session';
import { CreateLinkSchema, UuidParam } from '../schemas/api';
import type { Role } from '../schemas/common';
import { issueLink, linksFor, revokeLink } from '../services/links';
import { workspaceShell } from '../services/workspace-shell';
import { ErrorPage } from '../views/dashboard';
import { documentHtml } from '../views/layout';
import type { FormErrors } from '../views/workspace/form';
import { LinkCreatedPage, LinksPage } from '../views/workspace/links';

/**
 * The workspace: what a partnership runs Heard with, without curl. Every page is plain HTML
 * behind the dashboard session; every form carries the session's CSRF token; every action calls
 * the same service function as its API route.
 */
type SessionEnv = AppEnv & { Variables: { csrf: string; sessionHash: string } };
export const workspace = new Hono<SessionEnv>();

const page = (c: Context, body: Parameters<typeof documentHtml>[0], status: 200 | 400 | 403 | 404 = 200) => {
  c.header('Content-Security-Policy', pagePolicy({ frameAncestors: [] }));
  c.header('Cache-Control', 'private, no-store');
  return c.html(documentHtml(body), status);
};

workspace.onError((err, c) => {
  if (err instanceof ApiError && (err.status === 400 || err.status === 403 || err.status === 404)) {
    return page(c, <ErrorPage status={err.status} message={err.message} />, err.status);
  }
  throw err;
});

const shell = (c: Context<SessionEnv>, title: string, current: string) => workspaceShell(c.env.DB, c.get('key'), c.get('csrf'), title, current);
const only = (roles: Role[], refusal: string) => [requireSession(), requireRole(roles, refusal)] as const;

/** Problems from valibot or a service, as one plain sentence per form field: "Days before it ends must be at most 90". */
function formErrors(problems: FieldProblem[], labels: Record<string, string>): FormErrors {
  const errors: FormErrors = {};
  for (const p of problems) {
    const field = p.path.split('.')[0]!;
    errors[field] ??= `${labels[field] ?? 'This form'} ${p.message}`;
  }
  return errors;
}

/** Runs a service call; a 400 naming fields comes back as form errors for the page to show beside them. */
async function orFormErrors<T>(labels: Record<string, string>, run: () => Promise<T>): Promise<{ ok: T } | { errors: FormErrors }> {
  try {
    return { ok: await run() };
  } catch (err) {
    if (err instanceof ApiError && err.status === 400 && err.fields?.length) return { errors: formErrors(err.fields, labels) };
    throw err;
  }
}

const form = async (c: Context) => Object.fromEntries(await readForm(c)) as Record<string, string>;

// ————— Feedback links —————

const LINK_LABELS: Record<string, string> = {
  surveyId: 'Survey',
  partnerId: 'Partner',
  serviceId: 'Service',
  contactType: 'Kind of contact',
  expiresInDays: 'Days before it ends',
  singleUse: 'Who will use it',
  contactRef: 'Your contact reference',
};
const LINK_WRITERS: Role[] = ['admin', 'practice-lead'];

async function linksPage(c: Context<SessionEnv>, values: Record<string, string> = {}, errors: FormErrors = {}) {
  const key = c.get('key');
  const db = c.env.DB;
  const [links, surveys, partners] = await Promise.all([
    linksFor(db, key),
    listSurveysWithTitles(db, key.partnershipId, key.partnerId),
    listPartners(db, key.partnershipId, key.partnerId),
  ]);
  const services = (await Promise.all(partners.map((p) => listServices(db, key.partnershipId, p.id)))).flat();
  const partnerName = (id: string) => partners.find((p) => p.id === id)?.name ?? id;
  const names = {
    survey: (id: string) => surveys.find((s) => s.id === id)?.title ?? id,
    partner: partnerName,
    service: (id: string | null) => services.find((s) => s.id === id)?.name ?? id ?? '',
  };
  const choices = LINK_WRITERS.includes(key.role)
    ? {
        surveys: surveys.filter((s) => s.status !== 'closed').map(({ id, title, status }) => ({ id, title, status })),
        partners: key.role === 'admin' ? partners.map(({ id, name }) => ({ id, name })) : null,
        services: services.map((s) => ({ id: s.id, name: s.name, partnerName: partnerName(s.partnerId) })),
      }
    : null;
  const notice = c.req.query('revoked') === '1' ? 'The link was revoked: it takes no more answers.' : null;
  const status = Object.keys(errors).length ? 400 : 200;
  return page(
    c,
    <LinksPage
      shell={await shell(c, 'Feedback links', '/dashboard/links')}
      links={links}
      names={names}
      choices={choices}
      values={values}
      errors={errors}
      notice={notice}
    />,
    status,
  );
}

workspace.get('/dashboard/links', ...only(['admin', 'practice-lead', 'scrutineer'], 'Safeguarding leads work with alerts, not feedback links.'), (c) =>
  linksPage(c),
);

workspace.post('/dashboard/links', ...only(LINK_WRITERS, 'Only admins and practice leads make feedback links.'), async (c) => {
  const key = c.get('key');
  const values = await form(c);
  const input = {
    surveyId: values.surveyId,
    // A practice lead's links are always for their own partner.
    partnerId: key.role === 'admin' ? values.partnerId : (key.partnerId ?? undefined),
    serviceId: values.serviceId || null,
    contactType: values.contactType,
    expiresInDays: /^\d{1,3}$/.test(values.expiresInDays ?? '') ? Number(values.expiresInDays) : values.expiresInDays,
    singleUse: values.singleUse !== 'false',
    ...(values.contactRef?.trim() ? { contactRef: values.contactRef } : {}),
  };
  const parsed = v.safeParse(CreateLinkSchema, input);
  if (!parsed.success) return linksPage(c, values, formErrors(fieldProblems(parsed.issues), LINK_LABELS));
  const result = await orFormErrors(LINK_LABELS, () => issueLink(c.env.DB, c.env.ALERT_KEY, key, parsed.output, new URL(c.req.url).origin));
  if ('errors' in result) return linksPage(c, values, result.errors);
  const link = result.ok;
  const survey = (await listSurveysWithTitles(c.env.DB, key.partnershipId, key.partnerId)).find((s) => s.id === link.surveyId)!;
  return page(
    c,
    <LinkCreatedPage
      shell={await shell(c, 'Your link is ready', '/dashboard/links')}
      link={link}
      surveyTitle={survey.title}
      audience={survey.audience}
      qrSvg={qrSvg(link.shortUrl, `QR code for ${link.shortUrl}`)}
    />,
  );
});

workspace.post('/dashboard/links/:id/revoke', ...only(LINK_WRITERS, 'Only admins and practice leads revoke feedback links.'), async (c) => {
  const id = c.req.param('id');
  if (!v.is(UuidParam, { id })) throw new ApiError(404, 'not_found', 'No such link.');
  await revokeLink(c.env.DB, c.get('key'), id);
  return c.redirect('/dashboard/links?revoked=1', 303);
});
