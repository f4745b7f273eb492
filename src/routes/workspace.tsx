import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { listPartners, listServices } from '../db/partners';
import { findPartnership } from '../db/partnerships';
import { listSurveysWithTitles } from '../db/surveys';
import type { AppEnv } from '../env';
import { pagePolicy, styleHash } from '../lib/csp';
import { ApiError, type FieldProblem } from '../lib/errors';
import { qrSvg } from '../lib/qr';
import { fieldProblems, readForm } from '../lib/validate';
import { requireRole, requireSession } from '../middleware/session';
import {
  CreateFeedTokenSchema,
  CreateKeySchema,
  CreateSurveySchema,
  UpdateSurveySchema,
  CreateLinkSchema,
  CreatePartnerSchema,
  CreateServiceSchema,
  PartnershipSettingsSchema,
  UuidParam,
} from '../schemas/api';
import type { Role } from '../schemas/common';
import { createFeedToken, feedTokensOf, feedUrls, revokeFeedToken } from '../services/feed-tokens';
import { createKey, keysWithUse, revokeKey } from '../services/keys';
import { issueLink, linksFor, revokeLink } from '../services/links';
import { addPartner, addService } from '../services/partners';
import { changeSettings, rotateWebhookSecret } from '../services/partnership';
import { reanalyseBatch, saveThemes, taxonomyFor } from '../services/taxonomy';
import { changeSurvey, createSurvey, duplicateSurvey, setSurveyLive, visibleSurvey } from '../services/surveys';
import { findTemplate, SURVEY_TEMPLATES } from '../services/survey-templates';
import { loadInsights, scopeOf } from '../services/insights';
import { accentStyle, renderSurvey } from '../services/survey-page';
import { cellKey } from '../domain/suppression';
import { branchProblem, definitionFromForm, editorOp, fieldName } from '../domain/survey-form';
import { SurveyDefinitionSchema, type SurveyDefinition } from '../schemas/survey-definition';
import { themeViews } from '../domain/taxonomy';
import { TaxonomyInputSchema } from '../schemas/taxonomy';
import { nowIso } from '../lib/time';
import { workspaceShell } from '../services/workspace-shell';
import { ErrorPage } from '../views/dashboard';
import { documentHtml } from '../views/layout';
import type { FormErrors } from '../views/workspace/form';
import { KeysPage, PartnersPage, SettingsPage } from '../views/workspace/admin';
import { ThemesPage } from '../views/workspace/themes';
import { FeedsPage, type MintedFeed } from '../views/workspace/feeds';
import { SurveyEditPage, SurveysPage } from '../views/workspace/surveys';
import { LinkCreatedPage, LinksPage } from '../views/workspace/links';

/**
 * The workspace: what a partnership runs Heard with, without curl. Every page is plain HTML
 * behind the dashboard session; every form carries the session's CSRF token; every action calls
 * the same service function as its API route.
 */
type SessionEnv = AppEnv & { Variables: { csrf: string; sessionHash: string } };
export const workspace = new Hono<SessionEnv>();

const page = (c: Context, body: Parameters<typeof documentHtml>[0], status: 200 | 400 | 403 | 404 = 200, styleHashes: string[] = []) => {
  c.header('Content-Security-Policy', pagePolicy({ frameAncestors: [], styleHashes }));
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

// ————— Keys —————

const KEY_LABELS: Record<string, string> = { label: 'Who or what it is for', role: 'Role', partnerId: 'Partner' };
const KEY_MANAGERS: Role[] = ['admin', 'safeguarding-lead'];
/** The roles a manager may make or revoke keys for (services/keys.ts enforces the same). */
const manageableRoles = (role: Role): Role[] => (role === 'safeguarding-lead' ? ['safeguarding-lead'] : ['admin', 'practice-lead', 'scrutineer']);

async function keysPage(
  c: Context<SessionEnv>,
  opts: { values?: Record<string, string>; errors?: FormErrors; created?: { label: string; secret: string } } = {},
) {
  const key = c.get('key');
  const [keys, partners] = await Promise.all([keysWithUse(c.env.DB, key), listPartners(c.env.DB, key.partnershipId)]);
  const notice = c.req.query('revoked') === '1' ? 'The key was revoked; its sessions are signed out.' : null;
  return page(
    c,
    <KeysPage
      shell={await shell(c, 'Keys', '/dashboard/keys')}
      keys={keys}
      roles={manageableRoles(key.role)}
      partners={key.role === 'admin' ? partners : []}
      values={opts.values ?? {}}
      errors={opts.errors ?? {}}
      notice={notice}
      created={opts.created ?? null}
    />,
    Object.keys(opts.errors ?? {}).length ? 400 : 200,
  );
}

workspace.get('/dashboard/keys', ...only(KEY_MANAGERS, 'Only admins and safeguarding leads manage keys.'), (c) => keysPage(c));

workspace.post('/dashboard/keys', ...only(KEY_MANAGERS, 'Only admins and safeguarding leads manage keys.'), async (c) => {
  const values = await form(c);
  const parsed = v.safeParse(CreateKeySchema, { role: values.role, label: values.label, partnerId: values.partnerId || null });
  if (!parsed.success) return keysPage(c, { values, errors: formErrors(fieldProblems(parsed.issues), KEY_LABELS) });
  const result = await orFormErrors(KEY_LABELS, () =>
    createKey(c.env.DB, c.get('key'), { role: parsed.output.role, partnerId: parsed.output.partnerId ?? null, label: parsed.output.label }),
  );
  if ('errors' in result) return keysPage(c, { values, errors: result.errors });
  // The secret is in this page only, never in a URL: the answer is the page, not a redirect.
  return keysPage(c, { created: { label: result.ok.key.label, secret: result.ok.secret } });
});

workspace.post('/dashboard/keys/:id/revoke', ...only(KEY_MANAGERS, 'Only admins and safeguarding leads manage keys.'), async (c) => {
  const id = c.req.param('id');
  if (!v.is(UuidParam, { id })) throw new ApiError(404, 'not_found', 'No such key.');
  await revokeKey(c.env.DB, c.get('key'), id);
  // Revoking your own key ends this session too.
  return c.redirect(id === c.get('key').id ? '/dashboard/sign-in' : '/dashboard/keys?revoked=1', 303);
});

// ————— Partners and services —————

const PARTNER_LABELS: Record<string, string> = { id: 'The id', name: 'The name', kind: 'Kind' };
const onlyAdmins = (what: string) => only(['admin'], `Only admins change ${what}.`);

async function partnersPage(c: Context<SessionEnv>, values: Record<string, string> = {}, errors: FormErrors = {}) {
  const key = c.get('key');
  const db = c.env.DB;
  const partners = await listPartners(db, key.partnershipId);
  const withServices = await Promise.all(partners.map(async (p) => ({ ...p, services: await listServices(db, key.partnershipId, p.id) })));
  const added = c.req.query('added');
  return page(
    c,
    <PartnersPage
      shell={await shell(c, 'Partners and services', '/dashboard/partners')}
      partnershipId={key.partnershipId}
      partners={withServices}
      values={values}
      errors={errors}
      notice={added === 'partner' ? 'Partner added.' : added === 'service' ? 'Service added.' : null}
    />,
    Object.keys(errors).length ? 400 : 200,
  );
}

/** A conflict (the id is taken) is a field problem on the form, not an error page. */
async function orIdTaken<T>(labels: Record<string, string>, run: () => Promise<T>) {
  try {
    return await orFormErrors(labels, run);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return { errors: { id: `The id is taken: ${err.message}` } };
    throw err;
  }
}

workspace.get('/dashboard/partners', ...onlyAdmins('partners'), (c) => partnersPage(c));

workspace.post('/dashboard/partners', ...onlyAdmins('partners'), async (c) => {
  const values = await form(c);
  const parsed = v.safeParse(CreatePartnerSchema, { id: values.id, name: values.name, kind: values.kind });
  if (!parsed.success) return partnersPage(c, values, formErrors(fieldProblems(parsed.issues), PARTNER_LABELS));
  const result = await orIdTaken(PARTNER_LABELS, () => addPartner(c.env.DB, c.get('key'), parsed.output));
  if ('errors' in result) return partnersPage(c, values, result.errors);
  return c.redirect('/dashboard/partners?added=partner', 303);
});

workspace.post('/dashboard/partners/:id/services', ...onlyAdmins('partners'), async (c) => {
  const partnerId = c.req.param('id');
  const values: Record<string, string> = { ...(await form(c)), forPartner: partnerId };
  const parsed = v.safeParse(CreateServiceSchema, { id: values.id, name: values.name });
  if (!parsed.success) return partnersPage(c, values, formErrors(fieldProblems(parsed.issues), PARTNER_LABELS));
  const result = await orIdTaken(PARTNER_LABELS, () => addService(c.env.DB, c.get('key'), partnerId, parsed.output));
  if ('errors' in result) return partnersPage(c, values, result.errors);
  return c.redirect('/dashboard/partners?added=service', 303);
});

// ————— Settings —————

const SETTINGS_LABELS: Record<string, string> = {
  name: 'Partnership name',
  suppressionRule: 'How small numbers are hidden',
  alertWebhookUrl: 'Webhook address',
};

async function settingsPage(c: Context<SessionEnv>, opts: { values?: Record<string, string>; errors?: FormErrors; webhookSecret?: string } = {}) {
  const partnership = (await findPartnership(c.env.DB, c.get('key').partnershipId))!;
  const saved = c.req.query('saved');
  return page(
    c,
    <SettingsPage
      shell={await shell(c, 'Settings', '/dashboard/settings')}
      partnership={partnership}
      values={opts.values ?? {}}
      errors={opts.errors ?? {}}
      notice={saved === '1' ? 'Saved.' : saved === 'webhook-off' ? 'The webhook is off.' : null}
      webhookSecret={opts.webhookSecret ?? null}
    />,
    Object.keys(opts.errors ?? {}).length ? 400 : 200,
  );
}

workspace.get('/dashboard/settings', ...onlyAdmins('settings'), (c) => settingsPage(c));

workspace.post('/dashboard/settings', ...onlyAdmins('settings'), async (c) => {
  const values = await form(c);
  const parsed = v.safeParse(PartnershipSettingsSchema, { name: values.name, suppressionRule: values.suppressionRule });
  if (!parsed.success) return settingsPage(c, { values, errors: formErrors(fieldProblems(parsed.issues), SETTINGS_LABELS) });
  await changeSettings(c.env.DB, c.env.ALERT_KEY, c.get('key'), parsed.output);
  return c.redirect('/dashboard/settings?saved=1', 303);
});

workspace.post('/dashboard/settings/webhook', ...onlyAdmins('settings'), async (c) => {
  const values = await form(c);
  const url = (values.alertWebhookUrl ?? '').trim();
  const parsed = v.safeParse(PartnershipSettingsSchema, { alertWebhookUrl: url === '' ? null : url });
  if (!parsed.success) return settingsPage(c, { values, errors: formErrors(fieldProblems(parsed.issues), SETTINGS_LABELS) });
  const { alertWebhookSecret } = await changeSettings(c.env.DB, c.env.ALERT_KEY, c.get('key'), parsed.output);
  if (!alertWebhookSecret) return c.redirect('/dashboard/settings?saved=webhook-off', 303);
  return settingsPage(c, { webhookSecret: alertWebhookSecret });
});

workspace.post('/dashboard/settings/webhook/secret', ...onlyAdmins('settings'), async (c) =>
  settingsPage(c, { webhookSecret: await rotateWebhookSecret(c.env.DB, c.env.ALERT_KEY, c.get('key')) }),
);

// ————— Themes —————

const splitTerms = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((t) => t.trim())
    .filter(Boolean);

/** A slug for a new theme's id from its name: "Youth clubs" → "youth-clubs". */
const themeIdFrom = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

async function themesPage(
  c: Context<SessionEnv>,
  opts: { values?: Record<string, string>; errors?: FormErrors; progress?: { processed: number; changed: number; nextCursor: string | null } } = {},
) {
  const current = await taxonomyFor(c.env.DB, c.get('key').partnershipId);
  return page(
    c,
    <ThemesPage
      shell={await shell(c, 'Themes', '/dashboard/themes')}
      themes={themeViews(current.custom)}
      version={current.version}
      values={opts.values ?? {}}
      errors={opts.errors ?? {}}
      notice={c.req.query('saved') === '1' ? 'Saved. New answers use these themes now; re-analyse to apply them to stored answers.' : null}
      progress={opts.progress ?? null}
    />,
    Object.keys(opts.errors ?? {}).length ? 400 : 200,
  );
}

workspace.get('/dashboard/themes', ...onlyAdmins('themes'), (c) => themesPage(c));

workspace.post('/dashboard/themes', ...onlyAdmins('themes'), async (c) => {
  const values = await form(c);
  const current = await taxonomyFor(c.env.DB, c.get('key').partnershipId);
  const ownIds = new Set(current.custom.themes.map((t) => t.id));
  const synonyms: Record<string, string[]> = {};
  const themes = current.custom.themes.map((t) => ({ id: t.id, label: t.label, terms: splitTerms(values[`terms.${t.id}`]) }));
  for (const t of themeViews(current.custom)) if (!ownIds.has(t.id)) synonyms[t.id] = splitTerms(values[`terms.${t.id}`]);
  const newLabel = (values['new.label'] ?? '').trim();
  if (newLabel) themes.push({ id: themeIdFrom(newLabel), label: newLabel, terms: splitTerms(values['new.terms']) });
  // A theme of one's own left with no words is removed, as the API's PUT would leave it out.
  const input = { synonyms: Object.fromEntries(Object.entries(synonyms).filter(([, t]) => t.length)), themes: themes.filter((t) => t.terms.length) };
  if (newLabel && !splitTerms(values['new.terms']).length) return themesPage(c, { values, errors: { new: 'Give the new theme at least one word.' } });
  const parsed = v.safeParse(TaxonomyInputSchema, input);
  if (!parsed.success) {
    // Problems come back as synonyms.<themeId>.<n> or themes.<n>.…: name the theme whose words are wrong.
    const errors: FormErrors = {};
    for (const p of fieldProblems(parsed.issues)) {
      const [group, at] = p.path.split('.');
      const themeId = group === 'synonyms' ? at : group === 'themes' ? input.themes[Number(at)]?.id : undefined;
      const label = themeViews(current.custom).find((t) => t.id === themeId)?.label ?? newLabel;
      const field = themeId && ownIds.has(themeId) ? themeId : group === 'synonyms' ? themeId! : 'new';
      errors[field] ??= `${label}: ${p.message}`;
    }
    return themesPage(c, { values, errors });
  }
  await saveThemes(c.env.DB, c.get('key').partnershipId, parsed.output, nowIso());
  return c.redirect('/dashboard/themes?saved=1', 303);
});

workspace.post('/dashboard/themes/reanalyse', ...onlyAdmins('themes'), async (c) => {
  const values = await form(c);
  const cursor = values.cursor && values.cursor.length <= 200 ? values.cursor : null;
  const batch = await reanalyseBatch(c.env.DB, c.get('key').partnershipId, cursor);
  const before = (name: string) => (cursor && /^\d{1,9}$/.test(values[name] ?? '') ? Number(values[name]) : 0);
  return themesPage(c, {
    progress: { processed: before('processed') + batch.processed, changed: before('changed') + batch.changed, nextCursor: batch.nextCursor },
  });
});

// ————— Feeds —————

const FEED_READERS: Role[] = ['admin', 'practice-lead', 'scrutineer'];

async function feedsPage(c: Context<SessionEnv>, opts: { values?: Record<string, string>; errors?: FormErrors; minted?: MintedFeed } = {}) {
  return page(
    c,
    <FeedsPage
      shell={await shell(c, 'Feeds', '/dashboard/feeds')}
      tokens={await feedTokensOf(c.env.DB, c.get('key'))}
      values={opts.values ?? {}}
      errors={opts.errors ?? {}}
      notice={c.req.query('revoked') === '1' ? 'The feed token was revoked: its feeds stop at once.' : null}
      minted={opts.minted ?? null}
    />,
    Object.keys(opts.errors ?? {}).length ? 400 : 200,
  );
}

const onlyFeedReaders = only(FEED_READERS, 'Safeguarding leads work with alerts, not insight feeds.');

workspace.get('/dashboard/feeds', ...onlyFeedReaders, (c) => feedsPage(c));

workspace.post('/dashboard/feeds', ...onlyFeedReaders, async (c) => {
  const values = await form(c);
  const parsed = v.safeParse(CreateFeedTokenSchema, { label: values.label });
  if (!parsed.success) return feedsPage(c, { values, errors: formErrors(fieldProblems(parsed.issues), { label: 'Where it will be read' }) });
  const { token, secret } = await createFeedToken(c.env.DB, c.get('key'), parsed.output.label);
  // The token is in this page only, never in a redirect URL.
  return feedsPage(c, { minted: { label: token.label, urls: feedUrls(new URL(c.req.url).origin, secret) } });
});

workspace.post('/dashboard/feeds/:id/revoke', ...onlyFeedReaders, async (c) => {
  const id = c.req.param('id');
  if (!v.is(UuidParam, { id })) throw new ApiError(404, 'not_found', 'No such feed token.');
  await revokeFeedToken(c.env.DB, c.get('key'), id);
  return c.redirect('/dashboard/feeds?revoked=1', 303);
});

// ————— Surveys —————

const SURVEY_WRITERS: Role[] = ['admin', 'practice-lead'];
const onlySurveyWriters = only(SURVEY_WRITERS, 'Only admins and practice leads write surveys.');
const NEW_SURVEY_LABELS: Record<string, string> = { id: 'Web address name', title: 'Title', partnerId: 'Whose survey', template: 'Start from' };

/** This month's responses per survey, counted and hidden exactly as the insights page counts them. */
async function responsesThisMonth(db: D1Database, key: SessionEnv['Variables']['key']) {
  const today = nowIso().slice(0, 10);
  const loaded = await loadInsights(db, scopeOf(key), { from: `${today.slice(0, 8)}01`, to: today, interval: 'month' });
  return (survey: { id: string; audience: string }) =>
    loaded.cube.total(loaded.buckets, 'responses', cellKey({ ...loaded.filter, audience: survey.audience as never, survey: survey.id }));
}

async function surveysPage(c: Context<SessionEnv>, values: Record<string, string> = {}, errors: FormErrors = {}) {
  const key = c.get('key');
  const db = c.env.DB;
  const [surveys, partners, count] = await Promise.all([
    listSurveysWithTitles(db, key.partnershipId, key.partnerId),
    listPartners(db, key.partnershipId),
    responsesThisMonth(db, key),
  ]);
  const rows = surveys.map((s) => ({
    id: s.id,
    title: s.title,
    status: s.status,
    version: s.version,
    liveVersion: s.liveVersion,
    thisMonth: count(s),
    canChange: key.role === 'admin' || (s.partnerId !== null && s.partnerId === key.partnerId),
  }));
  return page(
    c,
    <SurveysPage
      shell={await shell(c, 'Surveys', '/dashboard/surveys')}
      surveys={rows}
      templates={SURVEY_TEMPLATES}
      partners={key.role === 'admin' ? partners.map(({ id, name }) => ({ id, name })) : null}
      partnershipId={key.partnershipId}
      values={values}
      errors={errors}
    />,
    Object.keys(errors).length ? 400 : 200,
  );
}

workspace.get('/dashboard/surveys', ...onlySurveyWriters, (c) => surveysPage(c));

workspace.post('/dashboard/surveys', ...onlySurveyWriters, async (c) => {
  const key = c.get('key');
  const values = await form(c);
  const template = findTemplate(values.template ?? '');
  const title = (values.title ?? '').trim();
  const errors: FormErrors = {};
  if (!template) errors.template = 'Start from: choose a template';
  if (!title) errors.title = 'Title is required';
  if (Object.keys(errors).length) return surveysPage(c, values, errors);
  // The template's title in every language is replaced by the new English one; Welsh is added in the editor.
  const definition = { ...template!.definition, title: { en: title } };
  const languages = definition.languages;
  if (languages.includes('cy')) definition.languages = languages.filter((l) => l !== 'cy');
  const stripped = stripLanguage(definition, 'cy');
  const parsed = v.safeParse(CreateSurveySchema, {
    id: values.id,
    audience: template!.audience,
    ...(key.role === 'admin' ? { partnerId: values.partnerId || null } : {}),
    definition: stripped,
  });
  if (!parsed.success) return surveysPage(c, values, formErrors(fieldProblems(parsed.issues), NEW_SURVEY_LABELS));
  const result = await orIdTaken(NEW_SURVEY_LABELS, () => createSurvey(c.env.DB, key, parsed.output));
  if ('errors' in result) return surveysPage(c, values, result.errors);
  return c.redirect(`/dashboard/surveys/${result.ok.id}?created=1`, 303);
});

/** A definition without one language's wording, for a template whose Welsh the editor adds back field by field. */
function stripLanguage<T>(value: T, lang: string): T {
  if (Array.isArray(value)) return value.map((item) => stripLanguage(item, lang)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== lang)
        .map(([k, item]) => [k, stripLanguage(item, lang)]),
    ) as T;
  return value;
}

async function editPage(c: Context<SessionEnv>, id: string, opts: { definition?: SurveyDefinition; errors?: FormErrors; notice?: string | null } = {}) {
  const survey = await visibleSurvey(c.env.DB, c.get('key'), id);
  const notices: Record<string, string> = {
    created: 'Draft created. Check the wording, add Welsh if you need it, then publish.',
    saved: 'Saved as a new version. Publish it when it is ready.',
    published: 'Published: this version is what people now see.',
    closed: 'Closed: the survey takes no new answers.',
    duplicated: 'This is the copy, as a draft.',
  };
  const accent = accentStyle(survey);
  const notice = opts.notice ?? Object.entries(notices).find(([q]) => c.req.query(q) === '1')?.[1] ?? null;
  return page(
    c,
    <SurveyEditPage
      shell={await shell(c, survey.definition.title.en ?? survey.id, '/dashboard/surveys')}
      survey={survey}
      definition={opts.definition ?? survey.definition}
      errors={opts.errors ?? {}}
      notice={notice}
      publicUrl={new URL(`/s/${survey.id}`, c.req.url).toString()}
    />,
    Object.keys(opts.errors ?? {}).length ? 400 : 200,
    // The live preview's frame shares this page's policy: let the partner's accent through.
    accent ? [await styleHash(accent)] : [],
  );
}

workspace.get('/dashboard/surveys/:id', ...onlySurveyWriters, (c) => editPage(c, c.req.param('id')));

workspace.post('/dashboard/surveys/:id', ...onlySurveyWriters, async (c) => {
  const id = c.req.param('id');
  const survey = await visibleSurvey(c.env.DB, c.get('key'), id);
  const values = await form(c);
  const definition = definitionFromForm(survey.definition, values);
  const origins = (values.allowedOrigins ?? '')
    .split(/\r?\n/)
    .map((o) => o.trim())
    .filter(Boolean);
  const parsed = v.safeParse(UpdateSurveySchema, { definition, allowedOrigins: origins });
  if (!parsed.success) {
    const errors: FormErrors = {};
    for (const p of fieldProblems(parsed.issues)) {
      const field = p.path.replace(/^definition\./, '');
      const branch = /^questions\.(\d+)\.showIf\b/.exec(field);
      const plain = branch ? branchProblem(definition, Number(branch[1])) : undefined;
      // A branch problem is the question's, shown beside its wording.
      if (branch && plain) errors[`questions.${branch[1]}.text.en`] ??= plain;
      else errors[field] ??= field.startsWith('allowedOrigins') ? `Websites that may embed it: ${p.message}` : `${fieldName(field)}: ${p.message}`;
    }
    return editPage(c, id, { definition, errors });
  }
  await changeSurvey(c.env.DB, c.get('key'), id, parsed.output);
  const op = editorOp(values);
  return c.redirect(
    op.kind === 'save' ? `/dashboard/surveys/${id}?saved=1` : `/dashboard/surveys/${id}#q-${Math.max(0, 'index' in op ? op.index : 0)}-heading`,
    303,
  );
});

for (const action of ['publish', 'close'] as const) {
  workspace.post(`/dashboard/surveys/:id/${action}`, ...onlySurveyWriters, async (c) => {
    const survey = await setSurveyLive(c.env.DB, c.get('key'), c.req.param('id'), action);
    return c.redirect(`/dashboard/surveys/${survey.id}?${action === 'publish' ? 'published' : 'closed'}=1`, 303);
  });
}

workspace.post('/dashboard/surveys/:id/duplicate', ...onlySurveyWriters, async (c) => {
  const key = c.get('key');
  const source = c.req.param('id');
  // A free id beside the source's: "<id>-copy", "<id>-copy-2", …
  const taken = new Set((await listSurveysWithTitles(c.env.DB, key.partnershipId)).map((s) => s.id));
  let copyId = `${source}-copy`.slice(0, 60);
  for (let n = 2; taken.has(copyId); n++) copyId = `${source}-copy-${n}`.slice(0, 60);
  const copy = await duplicateSurvey(c.env.DB, key, source, copyId);
  return c.redirect(`/dashboard/surveys/${copy.id}?duplicated=1`, 303);
});

/**
 * A preview can't send answers: its policy forbids form posts, scripts and requests, so it never
 * counts as a response, even when an older version is live.
 */
function asPreview(res: Response): Response {
  const policy = (res.headers.get('Content-Security-Policy') ?? "default-src 'none'")
    .split(';')
    .map((d) => d.trim())
    .filter((d) => !/^(script-src|connect-src|form-action|frame-ancestors)\b/.test(d));
  res.headers.set('Content-Security-Policy', [...policy, "script-src 'none'", "connect-src 'none'", "form-action 'none'", "frame-ancestors 'self'"].join('; '));
  res.headers.set('Cache-Control', 'private, no-store');
  return res;
}

/** The latest saved version as a respondent would see it, in one language, before it is published. */
workspace.get('/dashboard/surveys/:id/preview', ...onlySurveyWriters, async (c) => {
  const survey = await visibleSurvey(c.env.DB, c.get('key'), c.req.param('id'));
  return asPreview(await renderSurvey(c as unknown as Context<AppEnv>, survey, { lang: c.req.query('lang'), age: c.req.query('age'), embed: false }));
});

/**
 * The live preview: the editor's form as it stands, unsaved, rendered by the same view as the
 * public page, for the editor's script to show at phone width. Nothing is written. Wording that
 * isn't complete yet (an empty Welsh field) is a 400 naming the fields in plain words, so the
 * editor keeps showing the last complete preview.
 */
workspace.post('/dashboard/surveys/:id/preview', ...onlySurveyWriters, async (c) => {
  const survey = await visibleSurvey(c.env.DB, c.get('key'), c.req.param('id'));
  const values = await form(c);
  // Only the wording: a pressed "Move up" or "Remove" is for saving, not for the preview.
  const parsed = v.safeParse(SurveyDefinitionSchema, definitionFromForm(survey.definition, { ...values, op: 'save' }));
  if (!parsed.success) {
    const problems = [...new Set(fieldProblems(parsed.issues).map((p) => `${fieldName(p.path)}: ${p.message}.`))];
    c.header('Cache-Control', 'private, no-store');
    return c.text(problems.join(' '), 400);
  }
  const draft = { ...survey, definition: parsed.output };
  return asPreview(
    await renderSurvey(c as unknown as Context<AppEnv>, draft, { lang: c.req.query('lang'), age: c.req.query('age'), embed: false, unsaved: true }),
  );
});
