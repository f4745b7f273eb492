import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { findActiveKeyByHash } from '../db/keys';
import { listServices } from '../db/partners';
import { deleteSession, insertSession } from '../db/sessions';
import { listSurveys } from '../db/surveys';
import { cellKey } from '../domain/suppression';
import type { AppEnv } from '../env';
import { randomSecret, sameDigest, sha256Hex } from '../lib/crypto';
import { ApiError } from '../lib/errors';
import { nowIso } from '../lib/time';
import { fieldProblems, readForm } from '../lib/validate';
import { pagePolicy } from '../middleware/headers';
import {
  clearSessionCookie,
  readSignInCookie,
  requireSession,
  SESSION_HOURS,
  setSessionCookie,
  setSignInCookie,
} from '../middleware/session';
import { InsightQuerySchema } from '../schemas/api';
import { loadInsights, reportFor, scopeOf } from '../services/insights';
import { csvExport } from './feeds';
import { DASHBOARD_CSS, DASHBOARD_CSS_PATH } from '../views/dashboard-css';
import {
  Count,
  DashboardPage,
  ErrorPage,
  Filters,
  SignInPage,
  SuppressionLegend,
  ThemesTable,
  TrendChart,
  TrendTable,
  type Shell,
} from '../views/dashboard';
import { documentHtml } from '../views/layout';
import { findPartnership } from '../db/partnerships';

type DashboardEnv = AppEnv & { Variables: { csrf: string; sessionHash: string } };

/** The dashboard: sign in with a key, then insights (and alerts, for safeguarding leads) as plain HTML. */
export const dashboard = new Hono<DashboardEnv>();

const html = (c: Context, page: Parameters<typeof documentHtml>[0], status: 200 | 400 | 401 | 403 | 404 = 200) => {
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

dashboard.get('/dashboard/sign-in', (c) => {
  const csrf = randomSecret('');
  setSignInCookie(c, csrf);
  return html(c, <SignInPage csrf={csrf} />);
});

dashboard.post('/dashboard/sign-in', async (c) => {
  const form = await readForm(c);
  const field = form.get('_csrf') ?? '';
  const cookie = readSignInCookie(c) ?? '';
  // The sign-in form's token must match its cookie, so another site cannot sign someone in.
  if (!cookie || !sameDigest(await sha256Hex(field), await sha256Hex(cookie))) {
    throw new ApiError(403, 'csrf_failed', 'This sign-in form has expired. Go back, reload the page and try again.');
  }
  const key = (form.get('key') ?? '').trim();
  const hash = await sha256Hex(key);
  const found = key.length >= 8 && key.length <= 200 ? await findActiveKeyByHash(c.env.DB, hash) : null;
  if (!found || !sameDigest(found.storedHash, hash)) {
    const csrf = randomSecret('');
    setSignInCookie(c, csrf);
    return html(c, <SignInPage csrf={csrf} error="That key was not recognised, or it has been revoked. Check it and try again." />, 401);
  }
  const secret = randomSecret('hs_', 32);
  const now = new Date();
  await insertSession(c.env.DB, await sha256Hex(secret), found.key.id, randomSecret(''), now.toISOString(), new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString());
  setSessionCookie(c, secret);
  return c.redirect('/dashboard', 303);
});

dashboard.post('/dashboard/sign-out', requireSession(), async (c) => {
  await deleteSession(c.env.DB, c.get('sessionHash'));
  clearSessionCookie(c);
  return c.redirect('/dashboard/sign-in', 303);
});

dashboard.get('/dashboard/export.csv', requireSession(), async (c) => {
  const key = c.get('key');
  if (key.role === 'safeguarding-lead') throw new ApiError(403, 'forbidden', 'Safeguarding leads see alerts, not insight exports.');
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ''));
  const parsed = v.safeParse(InsightQuerySchema, raw);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', 'Some filters were not right.');
  return csvExport(c, c.env.DB, scopeOf(key), parsed.output);
});

/** The sections a role can open. */
export function navFor(role: AppEnv['Variables']['key']['role'], current: string): Shell['nav'] {
  const items = [
    ...(role === 'safeguarding-lead' ? [] : [{ href: '/dashboard', label: 'Insights' }]),
    ...(role === 'safeguarding-lead' ? [{ href: '/dashboard/alerts', label: 'Safeguarding alerts' }] : []),
  ];
  return items.map((i) => ({ ...i, current: i.href === current }));
}

async function shellFor(c: Context<DashboardEnv>, title: string, current: string): Promise<Shell> {
  const key = c.get('key');
  const partnership = await findPartnership(c.env.DB, key.partnershipId);
  return { title, csrf: c.get('csrf'), who: { label: key.label, role: key.role, partnershipName: partnership?.name ?? key.partnershipId }, nav: navFor(key.role, current) };
}

dashboard.get('/dashboard', requireSession(), async (c) => {
  const key = c.get('key');
  if (key.role === 'safeguarding-lead') return c.redirect('/dashboard/alerts', 303);
  const shell = await shellFor(c, 'Insights', '/dashboard');
  // Empty fields from the GET form mean "any".
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ''));
  const parsed = v.safeParse(InsightQuerySchema, raw);
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
    listSurveys(db, key.partnershipId, key.partnerId),
    Promise.all(loaded.partners.filter((p) => !loaded.filter.partner || p.id === loaded.filter.partner).map((p) => listServices(db, key.partnershipId, p.id))).then((l) => l.flat()),
  ]);
  const surveyCounts = surveys.map((s) => ({
    id: s.id,
    status: s.status,
    count: loaded.cube.total(loaded.buckets, 'responses', cellKey({ ...loaded.filter, audience: s.audience, survey: s.id })),
  }));
  const change = report.totals.responses.suppressed || report.totals.previous.suppressed ? null : report.totals.responses.value! - report.totals.previous.value!;

  return html(
    c,
    <DashboardPage {...shell}>
      <h1>
        What children and families told us: {report.period.buckets[0]!.label} to {report.period.buckets[report.period.buckets.length - 1]!.label}
      </h1>
      <Filters
        f={{
          values: { ...filters, from: c.req.query('from'), to: c.req.query('to'), interval: filters.interval === 'month' ? undefined : filters.interval },
          partners: key.partnerId ? null : loaded.partners,
          services,
          surveys,
        }}
      />
      <SuppressionLegend report={report} />
      <h2>Summary</h2>
      <dl class="totals">
        <div>
          <dt>Responses</dt>
          <dd>
            <Count c={report.totals.responses} />
          </dd>
        </div>
        <div>
          <dt>Previous period</dt>
          <dd>
            <Count c={report.totals.previous} />
          </dd>
        </div>
        <div>
          <dt>Change</dt>
          <dd>{change === null ? <Count c={{ value: null, suppressed: true }} /> : change > 0 ? `+${change}` : change === 0 ? '0' : `−${-change}`}</dd>
        </div>
        <div>
          <dt>Gave a rating</dt>
          <dd>
            <Count c={report.totals.rated} />
          </dd>
        </div>
      </dl>

      <h2>Responses over time</h2>
      <TrendChart report={report} />
      <details open>
        <summary>The chart as a table</summary>
        <TrendTable report={report} />
      </details>

      <h2>Emerging themes</h2>
      {report.emerging.length ? (
        <ul>
          {report.emerging.map((e) => (
            <li>
              {e.label}: {e.difference} more than the previous period
            </li>
          ))}
        </ul>
      ) : (
        <p>No theme rose against the previous period (among counts large enough to show).</p>
      )}

      <h2>Themes</h2>
      <ThemesTable report={report} />

      <h2>Ratings</h2>
      <div class="table-wrap">
        <table>
          <caption>How people rated the service (1 = worst, 5 = best)</caption>
          <thead>
            <tr>
              <th scope="col">Rating</th>
              <th scope="col" class="num">
                Responses
              </th>
              <th scope="col" class="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {report.ratings.map((r) => (
              <tr>
                <th scope="row">{r.rating}</th>
                <td class="num">
                  <Count c={r.count} />
                </td>
                <td class="num">{r.share.value !== null ? `${r.share.value}%` : r.share.suppressed ? <Count c={{ value: null, suppressed: true }} /> : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {report.partners ? (
        <>
          <h2>Partners compared</h2>
          <div class="table-wrap">
            <table>
              <caption>Responses and the largest themes by partner agency</caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col" class="num">
                    Responses
                  </th>
                  {report.themes.slice(0, 13).map((t) => (
                    <th scope="col" class="num">
                      {t.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.partners.map((p) => (
                  <tr>
                    <th scope="row">{p.name}</th>
                    <td class="num">
                      <Count c={p.responses} />
                    </td>
                    {report.themes.slice(0, 13).map((t) => (
                      <td class="num">
                        <Count c={p.themes[t.id]!} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      <h2>Surveys</h2>
      <div class="table-wrap">
        <table>
          <caption>Responses by survey in this period</caption>
          <thead>
            <tr>
              <th scope="col">Survey</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Responses
              </th>
            </tr>
          </thead>
          <tbody>
            {surveyCounts.map((s) => (
              <tr>
                <th scope="row">{s.id}</th>
                <td>{s.status}</td>
                <td class="num">
                  <Count c={s.count} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="no-print">
        <a href={`/dashboard/export.csv?${new URLSearchParams(raw)}`}>Download this view as CSV</a> (a spreadsheet; "c" marks a suppressed number)
      </p>
    </DashboardPage>,
  );
});
