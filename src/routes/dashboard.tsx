import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { findActiveKeyByHash, markKeyUsedStatement } from '../db/keys';
import { listPartners, listServices } from '../db/partners';
import { insertAuditStatement } from '../db/audit';
import { deleteSessionStatement, insertSessionStatement } from '../db/sessions';
import { listSurveysWithTitles } from '../db/surveys';
import { cellKey } from '../domain/suppression';
import type { AppEnv } from '../env';
import { randomSecret, sameDigest, sha256Hex } from '../lib/crypto';
import { ApiError, invalid } from '../lib/errors';
import { nowIso } from '../lib/time';
import { fieldProblems, readForm } from '../lib/validate';
import { pagePolicy } from '../lib/csp';
import { checkSignIn, clearSessionCookie, clearSignIn, issueSignIn, requireRole, requireSession, SESSION_HOURS, setSessionCookie } from '../middleware/session';
import { authBackoff } from '../middleware/auth-backoff';
import { FftQuerySchema, InsightQuerySchema } from '../schemas/api';
import { loadInsights, reportFor, scopeOf } from '../services/insights';
import { fftReturnCsv, insightsCsv } from '../services/export';
import { DASHBOARD_CSS, DASHBOARD_CSS_PATH } from '../views/dashboard-css';
import { DashboardPage, ErrorPage, InsightsPage, ScrollTable, SignInPage, type Shell } from '../views/dashboard';
import { documentHtml } from '../views/layout';
import { dashboardNav } from '../views/nav';
import { anyKeySignIn, findPartnership } from '../db/partnerships';
import { listAllProviders } from '../db/oidc-providers';
import { signOutAccount } from '../services/accounts';
import { listActions } from '../db/actions';
import { DEFAULT_TAXONOMY } from '../domain/analysis';
import { AcknowledgeSchema, AlertsQuerySchema, DecideReviewSchema, ReviewsQuerySchema } from '../schemas/safeguarding';
import { CreateActionSchema } from '../schemas/actions';
import { UuidSchema } from '../schemas/common';
import { acknowledgeAlert, readAlerts } from '../services/alerts';
import { actionOutput, changeAction, createAction } from '../services/actions';
import { ActionRow, AlertCard, AlertsFilter, EmailProblems, NewActionForm, ReviewCard, shownOn } from '../views/dashboard-work';
import { decideReview, readReviews } from '../services/reviews';
import { announceAlert } from '../services/alert-webhook';
import { recentUndeliveredEmails } from '../services/alert-email';
import { londonTime } from '../domain/alert-triage';

type DashboardEnv = AppEnv & { Variables: { csrf: string; sessionHash: string } };

/** The dashboard: sign in with a key, then insights (and alerts, for safeguarding leads) as plain HTML. */
export const dashboard = new Hono<DashboardEnv>();

const html = (c: Context, page: Parameters<typeof documentHtml>[0], status: 200 | 400 | 401 | 403 | 404 | 429 = 200) => {
  c.header('Content-Security-Policy', pagePolicy({ frameAncestors: [] }));
  c.header('Cache-Control', 'private, no-store');
  return c.html(documentHtml(page), status);
};

// Errors on dashboard pages are pages, not JSON.
dashboard.onError((err, c) => {
  if (err instanceof ApiError && (err.status === 400 || err.status === 403 || err.status === 404)) {
    return html(c, <ErrorPage status={err.status} message={err.message} />, err.status);
  }
  throw err;
});

dashboard.get('/dashboard/assets/:file', (c) => {
  if (new URL(c.req.url).pathname !== DASHBOARD_CSS_PATH) return c.notFound();
  c.header('Cache-Control', 'public, max-age=31536000, immutable');
  c.header('Content-Type', 'text/css; charset=utf-8');
  return c.body(DASHBOARD_CSS);
});

/** The sign-in page with this server's single sign-on providers, and the key form only while some partnership allows key sign-in. */
async function signInPage(c: Context<DashboardEnv>, error?: string, status: 200 | 401 | 403 | 429 = 200) {
  const [providers, keySignIn] = await Promise.all([listAllProviders(c.env.DB), anyKeySignIn(c.env.DB)]);
  return html(c, <SignInPage csrf={await issueSignIn(c)} providers={providers} keySignIn={keySignIn} {...(error ? { error } : {})} />, status);
}

dashboard.get('/dashboard/sign-in', (c) => signInPage(c));

dashboard.post('/dashboard/sign-in', async (c) => {
  const form = await readForm(c);
  // The form's token must match a sign-in cookie this server signed, so another site cannot sign someone in.
  if (!(await checkSignIn(c, form.get('_csrf') ?? ''))) {
    throw new ApiError(403, 'csrf_failed', 'This sign-in form has expired. Go back, reload the page and try again.');
  }
  // Wrong keys from one address back off, and during the backoff even a right key waits.
  const attempt = await authBackoff(c);
  if (attempt.wait !== null) {
    c.header('Retry-After', String(attempt.wait));
    return signInPage(c, `Too many keys were tried from here. Wait ${waitText(attempt.wait)} and try again.`, 429);
  }
  const key = (form.get('key') ?? '').trim();
  const hash = await sha256Hex(key);
  const found = key.length >= 8 && key.length <= 200 ? await findActiveKeyByHash(c.env.DB, hash) : null;
  if (!found || !sameDigest(found.storedHash, hash)) {
    return signInPage(c, 'That key was not recognised, or it has been revoked. Check it and try again.', 401);
  }
  attempt.succeeded();
  // Keys are for machines: a partnership signs its people in by account unless it kept key sign-in on.
  if (!(await findPartnership(c.env.DB, found.key.partnershipId))?.keySignIn) {
    return signInPage(c, 'Your partnership no longer signs in with API keys. Sign in with your organisation’s account or an email link.', 403);
  }
  const secret = randomSecret('hs_', 32);
  const now = new Date();
  const db = c.env.DB;
  await db.batch([
    insertSessionStatement(
      db,
      await sha256Hex(secret),
      found.key.id,
      randomSecret(''),
      now.toISOString(),
      new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
    ),
    insertAuditStatement(db, found.key, 'sessions.sign-in', [found.key.id], now.toISOString(), { details: { role: found.key.role, label: found.key.label } }),
    markKeyUsedStatement(db, found.key.id, now.toISOString().slice(0, 10)),
  ]);
  clearSignIn(c);
  setSessionCookie(c, secret);
  return c.redirect('/dashboard', 303);
});

const waitText = (seconds: number) => (seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);

dashboard.post('/dashboard/sign-out', requireSession(), async (c) => {
  const key = c.get('key');
  const db = c.env.DB;
  if (key.kind === 'account') {
    await signOutAccount(db, key);
    clearSessionCookie(c);
    return c.redirect('/dashboard/sign-in', 303);
  }
  await db.batch([
    deleteSessionStatement(db, c.get('sessionHash')),
    insertAuditStatement(db, key, 'sessions.sign-out', [key.id], nowIso(), { onlyIfChanged: true, details: { role: key.role, label: key.label } }),
  ]);
  clearSessionCookie(c);
  return c.redirect('/dashboard/sign-in', 303);
});

const INSIGHT_READERS = ['admin', 'practice-lead', 'scrutineer'] as const;
const ACTION_WRITERS = ['admin', 'practice-lead'] as const;
const onlySafeguardingLeads = requireRole(['safeguarding-lead'], 'Only safeguarding leads see alerts.');

/** The insight filters of the dashboard's GET form and export link, as sent and parsed; empty fields mean "any". */
function insightQuery(c: Context) {
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ''));
  return { raw, parsed: v.safeParse(InsightQuerySchema, raw) };
}

dashboard.get('/dashboard/export.csv', requireSession(), requireRole(INSIGHT_READERS, 'Safeguarding leads see alerts, not insight exports.'), async (c) => {
  const key = c.get('key');
  const { parsed } = insightQuery(c);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'Some filters were not right.');
  return insightsCsv(c.env.DB, scopeOf(key), parsed.output);
});

/** The NHS Friends and Family Test monthly return, through the session: the same service as `GET /api/v1/insights/fft.csv`. */
dashboard.get('/dashboard/fft.csv', requireSession(), requireRole(INSIGHT_READERS, 'Safeguarding leads see alerts, not insight exports.'), async (c) => {
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ''));
  const parsed = v.safeParse(v.omit(FftQuerySchema, ['token']), raw);
  if (!parsed.success) throw invalid(fieldProblems(parsed.issues, 'query'));
  const { from, to } = parsed.output;
  return fftReturnCsv(c.env.DB, scopeOf(c.get('key')), { ...(from ? { from } : {}), ...(to ? { to } : {}) });
});

/** The sections a role can open (views/nav.ts lists them, the workspace's pages included). */
export const navFor = (role: AppEnv['Variables']['key']['role'], current: string): Shell['nav'] => dashboardNav(role, current);

async function alertsPage(c: Context<DashboardEnv>, error?: { id: string; messages: string[] }) {
  const key = c.get('key');
  const parsed = v.safeParse(AlertsQuerySchema, c.req.query());
  const status = parsed.success ? parsed.output.status : 'open';
  const now = new Date();
  const alerts = await readAlerts(c.env, key, status, 200);
  // Notices are the partnership's: a lead tied to one partner sees those of its own alerts on their cards only.
  const emailProblems = key.partnerId === null ? await recentUndeliveredEmails(c.env.DB, key.partnershipId, now) : [];
  const shell = await shellFor(c, 'Safeguarding alerts', '/dashboard/alerts');
  return html(
    c,
    <DashboardPage {...shell}>
      <h1>Safeguarding alerts</h1>
      {c.req.query('done') === '1' ? (
        <p class="notice" role="status">
          Acknowledged. It stays here, with what was done, for 30 days.
        </p>
      ) : null}
      <p class="legend">
        Each alert is a possible disclosure. Current ones come first, then the most serious (immediate danger first), then the soonest due; an alert not
        acknowledged within an hour is overdue. Times are UK time, as of <time datetime={now.toISOString()}>{londonTime(now.toISOString())}</time>: reload the
        page to update the countdowns. Opening this page is recorded in the audit log.
      </p>
      <EmailProblems problems={emailProblems} />
      <AlertsFilter status={status} />
      <h2>
        {alerts.length} {status === 'open' ? 'open' : status === 'acknowledged' ? 'acknowledged' : ''} alert{alerts.length === 1 ? '' : 's'}
      </h2>
      {alerts.length === 0 ? <p>Nothing here.</p> : alerts.map((a) => <AlertCard alert={a} csrf={c.get('csrf')} now={now} {...(error ? { error } : {})} />)}
    </DashboardPage>,
    error ? 400 : 200,
  );
}

dashboard.get('/dashboard/alerts', requireSession(), onlySafeguardingLeads, (c) => alertsPage(c));

dashboard.post('/dashboard/alerts/:id/acknowledge', requireSession(), onlySafeguardingLeads, async (c) => {
  const key = c.get('key');
  const id = c.req.param('id');
  const form = await readForm(c);
  // "Choose what was done" sends an empty value: the same as no outcome at all, so it fails like one.
  const parsed = v.safeParse(AcknowledgeSchema, { actionTaken: form.get('actionTaken') || undefined, note: form.get('note') ?? '' });
  if (!parsed.success)
    return alertsPage(c, {
      id,
      messages: fieldProblems(parsed.issues).map((p) => (p.path === 'note' ? `Note: ${p.message}` : 'What was done: choose what was done from the list.')),
    });
  if (!v.is(UuidSchema, id)) throw new ApiError(404, 'not_found', 'No such alert.');
  await acknowledgeAlert(c.env, key, id, parsed.output);
  return c.redirect('/dashboard/alerts?done=1', 303);
});

const onlyReviewers = requireRole(['reviewer', 'safeguarding-lead'], 'Only reviewers and safeguarding leads see the review queue.');

async function reviewsPage(c: Context<DashboardEnv>, error?: { id: string; messages: string[] }) {
  const parsed = v.safeParse(ReviewsQuerySchema, c.req.query());
  const status = parsed.success ? parsed.output.status : 'open';
  const reviews = await readReviews(c.env, c.get('key'), status, 200);
  const shell = await shellFor(c, 'Review queue', '/dashboard/reviews');
  const done = c.req.query('done');
  return html(
    c,
    <DashboardPage {...shell}>
      <h1>Review queue</h1>
      {done ? (
        <p class="notice" role="status">
          {done === 'escalate' ? 'Escalated: it is now an alert, due within the hour.' : 'Decision recorded.'} The words are deleted 30 days after the decision.
        </p>
      ) : null}
      <p class="legend">
        Each item is an answer with a possible concern, sealed and kept from the insight data. Read each within one working day (weekends and bank holidays
        skipped). Opening this page is recorded in the audit log.
      </p>
      <h2>
        {reviews.length} {status === 'open' ? 'open' : status} item{reviews.length === 1 ? '' : 's'}
      </h2>
      <p>{status === 'open' ? <a href="/dashboard/reviews?status=decided">Show decided items</a> : <a href="/dashboard/reviews">Show open items</a>}</p>
      {reviews.length === 0 ? <p>Nothing here.</p> : reviews.map((r) => <ReviewCard review={r} csrf={c.get('csrf')} {...(error ? { error } : {})} />)}
    </DashboardPage>,
    error ? 400 : 200,
  );
}

dashboard.get('/dashboard/reviews', requireSession(), onlyReviewers, (c) => reviewsPage(c));

dashboard.post('/dashboard/reviews/:id/decision', requireSession(), onlyReviewers, async (c) => {
  const id = c.req.param('id');
  if (!v.is(UuidSchema, id)) throw new ApiError(404, 'not_found', 'No such review item.');
  const form = await readForm(c);
  const parsed = v.safeParse(DecideReviewSchema, {
    decision: form.get('decision') ?? undefined,
    ...(form.get('category') ? { category: form.get('category') } : {}),
  });
  if (!parsed.success)
    return reviewsPage(c, { id, messages: fieldProblems(parsed.issues).map((p) => `${p.path === 'category' ? 'Kind of harm' : 'Decision'}: ${p.message}`) });
  try {
    const { alert } = await decideReview(c.env, c.get('key'), id, parsed.output);
    if (alert) c.executionCtx.waitUntil(announceAlert(c.env, alert));
  } catch (err) {
    if (err instanceof ApiError && err.status === 400)
      return reviewsPage(c, { id, messages: (err.fields ?? []).map((f) => `${f.path === 'category' ? 'Kind of harm' : 'Decision'}: ${f.message}`) });
    throw err;
  }
  return c.redirect(`/dashboard/reviews?done=${parsed.output.decision}`, 303);
});

const actionWriters = (key: AppEnv['Variables']['key']) => (ACTION_WRITERS as readonly string[]).includes(key.role);

async function actionsPage(c: Context<DashboardEnv>, errors: string[] = []) {
  const key = c.get('key');
  const db = c.env.DB;
  const [list, partners, surveys] = await Promise.all([
    listActions(db, key.partnershipId, { visibleTo: key.partnerId }),
    listPartners(db, key.partnershipId),
    listSurveysWithTitles(db, key.partnershipId, key.partnerId),
  ]);
  const surveyTitle = (id: string) => surveys.find((s) => s.id === id)?.title ?? id;
  const partnerName = (id: string | null) => (id ? (partners.find((p) => p.id === id)?.name ?? id) : 'Whole partnership');
  const themeLabel = (id: string) => DEFAULT_TAXONOMY.themes.find((t) => t.id === id)?.label ?? id;
  const shell = await shellFor(c, 'You said, we did', '/dashboard/actions');
  return html(
    c,
    <DashboardPage {...shell}>
      <h1>You said, we did</h1>
      <p class="legend">Published actions are shown to children and families on thank-you pages and at the end of a chat, and listed in the feeds.</p>
      <ScrollTable label="Actions" caption={<>Actions, newest first</>}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Partner</th>
            <th scope="col">Theme</th>
            <th scope="col">You said</th>
            <th scope="col">We did</th>
            <th scope="col">Shown on</th>
            <th scope="col">Status</th>
            <th scope="col">Shown to the public</th>
          </tr>
        </thead>
        <tbody>
          {list.map((a) => (
            <ActionRow
              action={actionOutput(a)}
              shownOn={shownOn(actionOutput(a), surveyTitle)}
              csrf={c.get('csrf')}
              canChange={actionWriters(key) && (key.role === 'admin' || a.partnerId === key.partnerId)}
              themeLabel={themeLabel(a.themeId)}
              partnerName={partnerName(a.partnerId)}
            />
          ))}
        </tbody>
      </ScrollTable>
      {list.length === 0 ? <p>No actions recorded yet.</p> : null}
      {actionWriters(key) ? (
        <NewActionForm
          csrf={c.get('csrf')}
          themes={DEFAULT_TAXONOMY.themes.map(({ id, label }) => ({ id, label }))}
          partners={key.role === 'admin' ? partners.map(({ id, name }) => ({ id, name })) : null}
          surveys={surveys.map(({ id, title }) => ({ id, title }))}
          errors={errors}
        />
      ) : null}
    </DashboardPage>,
    errors.length ? 400 : 200,
  );
}

dashboard.get('/dashboard/actions', requireSession(), requireRole(INSIGHT_READERS, 'Safeguarding leads work with alerts, not actions.'), (c) => actionsPage(c));

dashboard.post('/dashboard/actions', requireSession(), requireRole(ACTION_WRITERS, 'Only admins and practice leads record actions.'), async (c) => {
  const key = c.get('key');
  const form = await readForm(c);
  const text = (name: string) => form.get(name) ?? undefined;
  // The Welsh beside the English: left empty, the action is English only (Welsh pages show the English, marked as such).
  const localised = (name: string) => {
    const cy = text(`${name}Cy`)?.trim();
    return cy ? { en: text(name) ?? '', cy } : text(name);
  };
  // Nothing ticked: every audience, every survey.
  const ticked = (name: string) => (form.getAll(name).length ? form.getAll(name) : null);
  const input = {
    ...(key.role === 'admin' ? { partnerId: text('partnerId') || null } : {}),
    themeId: text('themeId'),
    heard: localised('heard'),
    did: localised('did'),
    audiences: ticked('audiences'),
    surveyIds: ticked('surveyIds'),
    when: text('when'),
    status: text('status') ?? 'planned',
    published: text('published') === 'true',
  };
  const parsed = v.safeParse(CreateActionSchema, input);
  if (!parsed.success)
    return actionsPage(
      c,
      fieldProblems(parsed.issues).map((p) => `${actionFieldLabel(p.path)}: ${p.message}`),
    );
  try {
    await createAction(c.env.DB, key, parsed.output);
  } catch (err) {
    if (err instanceof ApiError && err.status === 400)
      return actionsPage(
        c,
        (err.fields ?? []).map((p) => `${actionFieldLabel(p.path)}: ${p.message}`),
      );
    throw err;
  }
  return c.redirect('/dashboard/actions', 303);
});

dashboard.post(
  '/dashboard/actions/:id/publish',
  requireSession(),
  requireRole(ACTION_WRITERS, 'Only admins and practice leads publish actions.'),
  async (c) => {
    const key = c.get('key');
    const id = c.req.param('id');
    if (!v.is(UuidSchema, id)) throw new ApiError(404, 'not_found', 'No such action.');
    const form = await readForm(c);
    await changeAction(c.env.DB, key, id, { published: form.get('published') === 'true' });
    return c.redirect('/dashboard/actions', 303);
  },
);

const ACTION_FIELD: Record<string, string> = {
  themeId: 'Theme',
  heard: 'You said',
  'heard.en': 'You said',
  'heard.cy': 'You said, in Welsh',
  did: 'We did',
  'did.en': 'We did',
  'did.cy': 'We did, in Welsh',
  when: 'When',
  status: 'Status',
  partnerId: 'Partner',
  audiences: 'Show to',
  surveyIds: 'Only on these surveys',
};
/** The form's label for a field the schema or service named: `surveyIds.2` is one of the ticked surveys. */
const actionFieldLabel = (path: string) => ACTION_FIELD[path] ?? ACTION_FIELD[path.split('.')[0]!] ?? path;

async function shellFor(c: Context<DashboardEnv>, title: string, current: string): Promise<Shell> {
  const key = c.get('key');
  const partnership = await findPartnership(c.env.DB, key.partnershipId);
  return {
    title,
    csrf: c.get('csrf'),
    who: { label: key.label, role: key.role, partnershipName: partnership?.name ?? key.partnershipId },
    nav: navFor(key.role, current),
  };
}

dashboard.get('/dashboard', requireSession(), async (c) => {
  const key = c.get('key');
  if (key.role === 'safeguarding-lead') return c.redirect('/dashboard/alerts', 303);
  if (key.role === 'reviewer') return c.redirect('/dashboard/reviews', 303);
  const shell = await shellFor(c, 'Insights', '/dashboard');
  const { raw, parsed } = insightQuery(c);
  if (!parsed.success) {
    return html(
      c,
      <DashboardPage {...shell}>
        <h1>Insights</h1>
        <div class="error" role="alert">
          <p>Some filters were not right:</p>
          <ul>
            {fieldProblems(parsed.issues).map((p) => (
              <li>{`${p.path}: ${p.message}`}</li>
            ))}
          </ul>
          <p>
            <a href="/dashboard">Show the last 12 months instead</a>
          </p>
        </div>
      </DashboardPage>,
      400,
    );
  }
  const filters = parsed.output;
  const db = c.env.DB;
  const loaded = await loadInsights(db, scopeOf(key), filters);
  const report = await reportFor(db, loaded, loaded.filter, loaded.buckets, loaded.previous, { compare: key.partnerId === null });
  const [surveys, services] = await Promise.all([
    listSurveysWithTitles(db, key.partnershipId, key.partnerId),
    Promise.all(
      loaded.partners.filter((p) => !loaded.filter.partner || p.id === loaded.filter.partner).map((p) => listServices(db, key.partnershipId, p.id)),
    ).then((l) => l.flat()),
  ]);
  const surveyCounts = surveys.map((s) => ({
    id: s.id,
    title: s.title,
    status: s.status,
    count: loaded.cube.total(loaded.buckets, 'responses', cellKey({ ...loaded.filter, audience: s.audience, survey: s.id })),
  }));
  const change =
    report.totals.responses.suppressed || report.totals.previous.suppressed ? null : report.totals.responses.value! - report.totals.previous.value!;

  return html(
    c,
    <InsightsPage
      shell={shell}
      report={report}
      filters={filters}
      from={c.req.query('from')}
      to={c.req.query('to')}
      partners={key.partnerId ? null : loaded.partners}
      services={services}
      surveys={surveys}
      surveyCounts={surveyCounts}
      change={change}
      raw={raw}
    />,
  );
});
