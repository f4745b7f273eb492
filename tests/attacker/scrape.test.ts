/// <reference types="node" />
/**
 * The attacker of issue 18, end to end. It starts the real Worker (Miniflare, a fresh migrated D1
 * seeded with the demo partnership), plants random small groups through the public intake API
 * (feedback links for partner and service, several age bands, ratings, choice answers, free text
 * that hits themes), then, as every role (admin, scrutineer, a practice lead per partner, feed
 * tokens), scrapes every surface at both intervals under both rules: /api/v1/insights for every
 * filter and the pairs of filters `filtersFor` lists, the CSV, the FFT return, the Atom and JSON
 * feeds (with keys and with feed tokens), the dashboard's numbers and downloads, and the link
 * lists. Then:
 *
 * 1. every number shown must be the one the pure published cubes give for the same rollups, and
 *    every percentage and change a function of the numbers shown beside it (facts.ts);
 * 2. an exact integer program (HiGHS, tests/attacker/model.ts) over everything scraped must not
 *    bound any hidden count of 1 to the threshold inside [1, threshold], nor (NHS) undo a
 *    rounding; no line may show a small hidden group as unanimous;
 * 3. link lists show no use counts, and a used single-use link looks like an unused one;
 * 4. every planted week and month was read on every surface that offers that interval.
 *
 * Weeks and months: what goes through the public API and what does not. Intake stamps the
 * server's UTC day, and workerd's clock can't be set from a test. So:
 * - through the public API: today's groups (`POST /api/v1/surveys/:id/responses` to the running
 *   Worker, as a widget sends them), the single-use link's response, and every read;
 * - not through it: the groups of earlier days (`plantingDays`: the first day B of a month that
 *   starts mid-week, B − 1 in the same week, and two earlier weeks). They take the same road minus
 *   HTTP: the body checked with the route's own schema (ResponseSubmissionSchema), the survey read
 *   with the route's own `publishedSurvey`, the response accepted by intake's own use case
 *   (`acceptSubmission`, services/intake.ts) in this process, against the Worker's own D1 binding,
 *   with this process's clock (Date only) set to noon of that day. They are stored exactly as
 *   intake stores them (analysis, themes, rollup metrics, link, the pending mark), and the Worker
 *   folds them on its next read, as it folds today's.
 * No route, variable or header of the Worker sets a day: the test adds no back door. What the
 * earlier days skip is the HTTP layer (body size, rate limit, CORS), which today's groups cover.
 * Their feedback links were made today, so a link "answers" before it was made; nothing read here
 * can tell. A run across UTC midnight fails the check that every response landed on its day.
 *
 * The scrape reads those days at both intervals on every surface (the range runs from the first
 * day planted to today, so by month it covers the two months B's week joins), and the JSON, CSV
 * and JSON Feed again from B, whose previous period is the month before: "previous" and "change"
 * then compare planted periods. The defaults (a year, twelve weeks) cover them all again. The
 * many-planting search over weeks and months stays in tests/domain/disclosure-attacker.test.ts.
 *
 * One planting by default (the health and weeks-against-months examples beside random
 * groups: about 30 s on a quiet 2-core machine, 65 s on a busy one; the file 40–70 s); SCRAPE_PLANTINGS=5
 * SCRAPE_SEED=n runs more, SCRAPE_DEBUG=1 prints what the true planting breaks if the solver ever
 * calls it infeasible, SCRAPE_FAULTS=1 prints every fault rather than the first 20.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';
import { parse as parseHtml } from 'node-html-parser';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleWorker, LOCAL_ALERT_KEY, startWorker } from '../../src/cli/worker-server';
import { findRollups, findRollupVersions } from '../../src/db/rollups';
import { DEMO_SURVEYS, fftAnswerFor } from '../../src/demo/surveys';
import { foldPending } from '../../src/services/rollup-fold';
import type { InsightReport } from '../../src/domain/insights';
import { publishedCubes, type RollupSource } from '../../src/domain/linked-intervals';
import { bucketsBetween, bucketStart, previousBuckets, type Interval } from '../../src/domain/periods';
import { addDays, dayOf, today as utcToday } from '../../src/lib/time';
import { parseOrThrow } from '../../src/lib/validate';
import { ResponseSubmissionSchema } from '../../src/schemas/api';
import { acceptSubmission } from '../../src/services/intake';
import { publishedSurvey } from '../../src/services/published-surveys';
import { ALL, type Atom, cellKey, type Cube, suppressionThreshold, type SuppressionRule } from '../../src/domain/suppression';
import { type Fact, knowledge, Ledger, linkUseLeaks, unanimous, type Universe } from './facts';
import { type Highs, learn, loadHighs, model, violated } from './model';
import { dashboardView, entryView, recordCsv, recordFftCsv, recordReport, type ReportView, type DashboardNames } from './surfaces';

// Intake's import chain reaches services/alert-email.ts, which imports workerd's cloudflare:email;
// in Node it is the Worker's one stand-in (src/cli/worker-in-node.ts). No planted text raises an alert.
vi.mock('cloudflare:email', async () => {
  const { CLOUDFLARE_STAND_IN } = await import('../../src/cli/worker-in-node');
  return await import(/* @vite-ignore */ `data:text/javascript,${encodeURIComponent(CLOUDFLARE_STAND_IN)}`);
});

const PARTNERSHIP = 'demo';
const SEED = Number(process.env.SCRAPE_SEED ?? 20271204);
const PLANTINGS = Number(process.env.SCRAPE_PLANTINGS ?? 1);

/** Where a planted group comes in: a survey, and the feedback link's partner and service (none: no link). */
const CHANNELS = [
  { survey: 'after-visit', partner: 'demo-la', service: 'demo-social-work' },
  { survey: 'after-visit', partner: 'demo-la', service: 'demo-front-door' },
  { survey: 'after-visit', partner: 'demo-la', service: null },
  { survey: 'after-visit', partner: null, service: null },
  { survey: 'family-rating', partner: 'demo-police', service: 'demo-public-protection' },
  { survey: 'family-rating', partner: 'demo-health', service: 'demo-camhs' },
  { survey: 'family-rating', partner: 'demo-health', service: 'demo-school-nursing' },
  { survey: 'family-rating', partner: 'demo-education', service: 'demo-inclusion' },
  { survey: 'family-rating', partner: null, service: null },
  { survey: 'community-voice', partner: 'demo-police', service: 'demo-public-protection' },
  { survey: 'community-voice', partner: 'demo-health', service: 'demo-camhs' },
  { survey: 'community-voice', partner: null, service: null },
] as const;
/** Free text that lands in themes (index 0: none). None is a disclosure. */
const TEXTS = [
  '',
  'The social worker listened to me and explained what would happen next.',
  'Nobody rang us back after the meeting, we were left waiting for weeks.',
  'We waited eight months for an appointment and nobody told us why.',
  'The officer was kind and polite and took time to talk to us.',
];

interface Group {
  channel: number;
  /** Which of `plantingDays` it lands on: 0 today (the public API), 1–4 earlier days. */
  day: number;
  band: number;
  n: number;
  /** Answer patterns, one per respondent in turn: 0 skips the rating, 1–5 a rating and choices. */
  answers: number[];
  text: number;
}

/**
 * The days a planting lands on, by slot: today; the first day B of the latest month that starts
 * mid-week (so its week is shared with the month before); B − 1, in that same week and the month
 * before; and B − 10 and B − 17, two earlier weeks of that month. At least two months, three weeks
 * before today's, one of them split between two months. A slot that falls on today is today.
 */
function plantingDays(today: string): string[] {
  let boundary = bucketStart(today, 'month');
  // A month that starts on a Monday shares no week: go back to one that doesn't.
  while (new Date(`${boundary}T00:00:00Z`).getUTCDay() === 1) boundary = bucketStart(dayOf(addDays(new Date(`${boundary}T00:00:00Z`), -1)), 'month');
  const before = (days: number) => dayOf(addDays(new Date(`${boundary}T00:00:00Z`), -days));
  return [today, boundary, before(1), before(10), before(17)];
}
const DAY_SLOTS = 5;

const groupArb = fc.record({
  channel: fc.integer({ min: 0, max: CHANNELS.length - 1 }),
  day: fc.nat({ max: DAY_SLOTS - 1 }),
  band: fc.nat({ max: 2 }),
  n: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 10, max: 24 }) }),
  answers: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 2 }),
  text: fc.integer({ min: 0, max: TEXTS.length - 1 }),
});
const plantingArb = fc.array(groupArb, { minLength: 3, maxLength: 7 });

/** The health example as a planting: 30 families rating CAMHS, and 1 community answer beside them. */
const HEALTH_EXAMPLE: Group[] = [
  { channel: 5, day: 0, band: 0, n: 30, answers: [3, 4, 5], text: 4 },
  { channel: 10, day: 0, band: 0, n: 1, answers: [2], text: 0 },
];

/**
 * The weeks against months, on the earlier days, at the local authority: social work gets
 * 14 responses at B − 10, 2 at B − 1 and 20 at B, so its month before B holds 16 and B's week 22;
 * the front door gets 3 at B − 17. Shown plainly, the month less the weeks would give the 2 (and
 * the 3) that each interval alone hides.
 */
const WEEKS_EXAMPLE: Group[] = [
  { channel: 0, day: 3, band: 1, n: 14, answers: [4, 5], text: 1 },
  { channel: 0, day: 2, band: 1, n: 2, answers: [2], text: 2 },
  { channel: 0, day: 1, band: 1, n: 20, answers: [3, 5], text: 1 },
  { channel: 1, day: 4, band: 0, n: 3, answers: [1], text: 0 },
];

/** The NHS example: 12 families at police answer "very poor" and 18 "poor" (shown 10 and 20 of 30). */
const NHS_ROUNDING: Group[] = [
  { channel: 4, day: 0, band: 0, n: 12, answers: [1], text: 0 },
  { channel: 4, day: 0, band: 0, n: 18, answers: [2], text: 0 },
];

function answersFor(survey: string, r: number, text: string) {
  if (survey === 'after-visit') return { ...(r ? { visit: r } : {}), listened: r % 2 ? 'yes' : 'no', ...(text ? { good: text } : {}) };
  if (survey === 'family-rating') return { overall: r ? fftAnswerFor(r) : 'dont-know', ...(text ? { why: text } : {}) };
  return {
    ...(r ? { 'safe-area': ((r - 1) % 3) + 1 } : {}),
    priorities: r % 2 ? ['online'] : ['online', 'mental-health'],
    'know-who': r > 2 ? 'yes' : 'no',
    ...(text ? { more: text } : {}),
  };
}

/** A client for the running Worker: JSON with a key, or a page with a session cookie. */
class Site {
  requests = 0;
  /** Milliseconds spent per path, to see where a run's time goes. */
  readonly ms = new Map<string, number>();
  constructor(readonly url: string) {}
  async call(path: string, opts: { key?: string; method?: string; json?: unknown; cookie?: string; form?: Record<string, string> } = {}) {
    this.requests++;
    const headers: Record<string, string> = {};
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    if (opts.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (opts.cookie) headers.cookie = opts.cookie;
    const started = performance.now();
    const kind = path.split('?')[0]!;
    const res = await fetch(`${this.url}${path}`, {
      method: opts.method ?? (opts.json !== undefined || opts.form ? 'POST' : 'GET'),
      headers,
      redirect: 'manual',
      ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : opts.form ? { body: new URLSearchParams(opts.form) } : {}),
    });
    const body = await res.arrayBuffer().catch((err: unknown) => {
      throw new Error(`${opts.method ?? 'GET'} ${path} (${opts.key ?? opts.cookie?.slice(0, 20) ?? 'no key'}): the body broke off after status ${res.status}`, {
        cause: err,
      });
    });
    this.ms.set(kind, (this.ms.get(kind) ?? 0) + performance.now() - started);
    return new Response(res.status === 204 || res.status === 304 ? null : body, { status: res.status, headers: res.headers });
  }
  async json<T>(path: string, opts: Parameters<Site['call']>[1] = {}, status = 200): Promise<T> {
    const res = await this.call(path, opts);
    const body = await res.text();
    if (res.status !== status) throw new Error(`${opts.method ?? 'GET'} ${path}: ${res.status} ${body.slice(0, 300)}`);
    return JSON.parse(body) as T;
  }
  async text(path: string, opts: Parameters<Site['call']>[1] = {}): Promise<string> {
    const res = await this.call(path, opts);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 300)}`);
    return body;
  }
  /** Signs in to the dashboard with a key, through the real form; answers the session cookie. */
  async signIn(key: string): Promise<string> {
    const form = await this.call('/dashboard/sign-in');
    const signIn = form.headers
      .getSetCookie()
      .find((c) => c.startsWith('heard_signin='))!
      .split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await this.call('/dashboard/sign-in', { cookie: signIn, form: { _csrf: csrf, key } });
    await res.text();
    const session = res.headers.getSetCookie().find((c) => c.startsWith('heard_session='));
    if (!session) throw new Error(`sign-in failed: ${res.status}`);
    return session.split(';')[0]!;
  }
}

/** Runs `tasks` a few at a time (the Worker is one process; a few keep it busy without queueing everything). */
async function pool<T>(tasks: (() => Promise<T>)[], width = 6): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

interface Role {
  name: string;
  key: string;
  partner: string | null;
}

interface Prepared {
  universe: Universe;
  roles: Role[];
  feedTokens: { name: string; token: string; partner: string | null }[];
  links: Map<number, string>;
  /** Two single-use links, one of which is used: the lists must not tell them apart. */
  singleUse: { used: string; usedToken: string; unused: string };
  partnerNames: Map<string, string>;
  serviceOf: Map<string, string>;
}

async function prepare(site: Site): Promise<Prepared> {
  const admin = 'demo-admin-key';
  const { partners } = await site.json<{ partners: { id: string; name: string }[] }>('/api/v1/partners', { key: admin });
  const withServices = await Promise.all(
    partners.map(async (p) => ({
      ...p,
      services: (await site.json<{ services: { id: string }[] }>(`/api/v1/partners/${p.id}/services`, { key: admin })).services.map((s) => s.id),
    })),
  );
  const universe: Universe = {
    partners: withServices.map(({ id, services }) => ({ id, services })),
    surveys: DEMO_SURVEYS.map(({ id, audience, definition }) => ({ id, audience, definition })),
  };
  const leads: Record<string, string> = { 'demo-police': 'demo-police-lead-key', 'demo-health': 'demo-health-lead-key' };
  for (const p of partners) {
    if (leads[p.id]) continue;
    const made = await site.json<{ key: string }>(
      '/api/v1/keys',
      { key: admin, json: { role: 'practice-lead', partnerId: p.id, label: `${p.name} lead` } },
      201,
    );
    leads[p.id] = made.key;
  }
  const roles: Role[] = [
    { name: 'admin', key: admin, partner: null },
    { name: 'scrutineer', key: 'demo-scrutineer-key', partner: null },
    ...partners.map((p) => ({ name: `lead:${p.id}`, key: leads[p.id]!, partner: p.id })),
  ];
  const feedTokens = [];
  for (const role of [roles[1]!, roles.find((r) => r.partner === 'demo-police')!]) {
    const made = await site.json<{ token: string }>('/api/v1/feed-tokens', { key: role.key, json: { label: `${role.name} reader` } }, 201);
    feedTokens.push({ name: `token:${role.name}`, token: made.token, partner: role.partner });
  }
  const links = new Map<number, string>();
  for (const [i, c] of CHANNELS.entries()) {
    if (!c.partner) continue;
    const made = await site.json<{ token: string }>(
      '/api/v1/links',
      {
        key: admin,
        json: {
          surveyId: c.survey,
          partnerId: c.partner,
          ...(c.service ? { serviceId: c.service } : {}),
          contactType: 'home-visit',
          singleUse: false,
          expiresInDays: 30,
        },
      },
      201,
    );
    links.set(i, made.token);
  }
  const single = async () =>
    await site.json<{ id: string; token: string }>(
      '/api/v1/links',
      {
        key: admin,
        json: { surveyId: 'family-rating', partnerId: 'demo-police', serviceId: 'demo-public-protection', contactType: 'station-visit', singleUse: true },
      },
      201,
    );
  const used = await single();
  const unused = await single();
  return {
    universe,
    roles,
    feedTokens,
    links,
    singleUse: { used: used.id, usedToken: used.token, unused: unused.id },
    partnerNames: new Map(partners.map((p) => [p.name, p.id])),
    serviceOf: new Map(withServices.flatMap((p) => p.services.map((s) => [s, p.id] as const))),
  };
}

/**
 * Plants every group on its day: today's through the public intake API, earlier days' through
 * intake's own use case with the clock set to that day (see the top of this file). Answers how
 * many responses were stored.
 */
async function plant(site: Site, db: D1Database, prep: Prepared, groups: Group[], days: string[]): Promise<number> {
  const byDay = new Map<string, (() => Promise<void>)[]>();
  const today = days[0]!;
  const env = { DB: db, ALERT_KEY: LOCAL_ALERT_KEY } as unknown as Env;
  for (const g of groups) {
    const channel = CHANNELS[g.channel]!;
    const survey = DEMO_SURVEYS.find((s) => s.id === channel.survey)!;
    const bands = [...survey.definition.ageBands, null];
    const band = bands[g.band % bands.length];
    const day = days[g.day]!;
    for (let i = 0; i < g.n; i++) {
      const body = {
        id: crypto.randomUUID(),
        answers: answersFor(channel.survey, g.answers[i % g.answers.length]!, TEXTS[g.text]!),
        lang: 'en',
        ...(band ? { ageBand: band } : {}),
        ...(prep.links.has(g.channel) ? { link: prep.links.get(g.channel)! } : {}),
      };
      const send =
        day === today
          ? async () => {
              await site.json(`/api/v1/surveys/${channel.survey}/responses`, { json: body }, 201);
            }
          : async () => {
              const accepted = await acceptSubmission(env, await publishedSurvey(db, channel.survey), parseOrThrow(ResponseSubmissionSchema, body));
              expect(accepted).toMatchObject({ created: true, flagged: false });
            };
      byDay.set(day, [...(byDay.get(day) ?? []), send]);
    }
  }
  let stored = 0;
  for (const [day, sends] of byDay) {
    // Only Date is faked, and only while this day's responses go in: timers and the D1 binding's sockets keep real time.
    if (day !== today) vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${day}T12:00:00Z`) });
    try {
      await pool(sends);
    } finally {
      vi.useRealTimers();
    }
    stored += sends.length;
  }
  return stored;
}

/**
 * The query parameters the scrape sends for a role: every single filter (each partner, service,
 * respondent type, survey and age band), each partner with each respondent type, and each survey or
 * respondent type with each age band; a practice lead, whose reports are the partnership's filtered
 * to its partner, sends the single filters. Other pairs and triples are left out to keep the run
 * short: each report's per-survey results and partner comparison read the survey-level and
 * partner-level cells under every filter anyway (so partner × age band comes from the comparison,
 * service × survey from the service's per-survey results). 5-7 is a band no demo survey asks: every
 * cell under it is 0. The dashboard is read for each partner, service, survey and respondent type.
 */
function filtersFor(prep: Prepared, role: { partner: string | null }, surface: 'json' | 'dashboard') {
  const u = prep.universe;
  const own = role.partner ? u.partners.filter((p) => p.id === role.partner) : u.partners;
  const partners: Record<string, string>[] = [
    {},
    ...(role.partner ? [] : own.map((p) => ({ partner: p.id }))),
    ...own.flatMap((p) => p.services.map((s) => ({ service: s }))),
  ];
  const respondents: Record<string, string>[] = ['child', 'family', 'community'].map((r) => ({ respondent: r }));
  const surveys: Record<string, string>[] = u.surveys.map((s) => ({ survey: s.id }));
  const ages: Record<string, string>[] = [{ ageBand: '8-12' }, { ageBand: '13-17' }, { ageBand: 'adult' }];
  if (surface === 'dashboard') return [...partners, ...respondents, ...surveys];
  const pairs = (as: Record<string, string>[], bs: Record<string, string>[]) => as.flatMap((a) => bs.map((b) => ({ ...a, ...b })));
  const all = role.partner
    ? [...partners, ...respondents, ...ages, ...surveys]
    : [...partners, ...pairs([{}, ...own.map((p) => ({ partner: p.id }))], respondents), ...pairs([{}, ...respondents, ...surveys], ages), ...surveys];
  return [...new Map(all.map((q) => [new URLSearchParams(q).toString(), q])).values()];
}

const atomFilter = (prep: Prepared, role: { partner: string | null }, q: Record<string, string>): Partial<Atom> => {
  const survey = q.survey ? prep.universe.surveys.find((s) => s.id === q.survey) : undefined;
  const partner = q.service ? prep.serviceOf.get(q.service) : (q.partner ?? role.partner ?? undefined);
  return {
    ...(partner ? { partner } : {}),
    ...(q.service ? { service: q.service } : {}),
    ...(survey || q.respondent ? { audience: survey?.audience ?? q.respondent } : {}),
    ...(survey ? { survey: survey.id } : {}),
    ...(q.ageBand ? { ageBand: q.ageBand } : {}),
  };
};

const reportView = (r: InsightReport): ReportView => ({
  responses: r.totals.responses,
  previous: r.totals.previous,
  rated: r.totals.rated,
  series: r.series,
  ratings: r.ratings,
  themes: r.themes.map((t) => ({
    id: t.id,
    count: t.count,
    share: t.share,
    sentiment: t.sentiment,
    previous: t.change.previous,
    difference: t.change.difference,
    trend: t.trend,
  })),
  emerging: r.emerging.map((e) => ({ id: e.id, difference: e.difference })),
  ...(r.partners ? { partners: r.partners } : {}),
  questions: (r.questions ?? []).map((s) => ({
    id: s.id,
    responses: s.responses,
    questions: s.questions.map((q) => ({ id: q.id, answered: q.answered, answers: q.answers, ...(q.fft ? { fft: q.fft } : {}) })),
  })),
});

/**
 * The note that says why a total is not a number yet must be worked out from what is shown: its
 * kind from the shown total, the hidden periods from the shown series, and no number in its words
 * but the rule's own (the threshold, the next count up, "nearest 5") and the periods' names.
 */
function withheldFaults(ledger: Ledger, where: string, report: InsightReport) {
  const total = report.totals.responses;
  const w = report.withheld;
  const threshold = report.suppression.threshold;
  const reason = total.suppressed ? 'hidden' : total.value === 0 ? 'no-responses' : null;
  const hidden = report.series.flatMap((s, i) => (s.responses.suppressed ? [report.period.buckets[i]!.label] : []));
  if ((w?.reason ?? null) !== reason) ledger.unexplained(where, `withheld ${w?.reason ?? 'none'} for a total shown as ${JSON.stringify(total)}`);
  if (!w) return;
  if (w.moreNeeded !== (reason === 'no-responses' ? threshold + 1 : null)) ledger.unexplained(where, `withheld says ${w.moreNeeded} more are needed`);
  if (JSON.stringify(w.hiddenPeriods) !== JSON.stringify(hidden))
    ledger.unexplained(where, `withheld names hidden periods ${w.hiddenPeriods.join(', ')}, the series hides ${hidden.join(', ')}`);
  const allowed = new Set([threshold, threshold + 1, 1, 5, ...report.period.buckets.flatMap((b) => (b.label.match(/\d+/g) ?? []).map(Number))]);
  for (const n of w.message.match(/\d+/g) ?? []) if (!allowed.has(Number(n))) ledger.unexplained(where, `withheld's words hold ${n}: "${w.message}"`);
}

interface FeedItem {
  id: string;
  content_text: string;
  _heard: {
    partner: { id: string };
    period: InsightReport['period'];
    totals: InsightReport['totals'];
    themes: InsightReport['themes'];
    emerging: InsightReport['emerging'];
  };
}

interface Scrape {
  ledger: Ledger;
  leaks: string[];
  requests: number;
  surfaces: Record<string, number>;
}

/**
 * The ranges the scrape asks for, both ending today and starting at the first day planted: by
 * month the two months B's week joins (or more), by week every planted week.
 */
function rangesFrom(days: string[]): Record<Interval, { from: string; to: string }> {
  const range = { from: [...days].sort()[0]!, to: days[0]! };
  return { month: range, week: range };
}

/**
 * A shorter range, from B to today, read as JSON, CSV and JSON Feed: its previous period is the
 * month before B (and the weeks before B's), so "previous" and "change" compare planted periods.
 */
const sinceBoundary = (days: string[]) => ({ from: days[1]!, to: days[0]! });

/** The pure published cubes (domain/linked-intervals.ts) over the same rollups, for every bucket any request reads: the defaults (a year, twelve weeks), the ranges, and the ones before them. */
async function pureCubes(db: D1Database, rule: SuppressionRule, days: string[]): Promise<Record<Interval, Cube>> {
  const today = days[0]!;
  const d = new Date(`${today}T00:00:00Z`);
  const ranges = rangesFrom(days);
  const defaults: Record<Interval, string> = {
    month: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 11, 1)).toISOString().slice(0, 10),
    week: new Date(d.getTime() - 77 * 86_400_000).toISOString().slice(0, 10),
  };
  const source: RollupSource = {
    async versions(g, ps) {
      if (ps.length === 0) return new Map();
      const sorted = [...ps].sort();
      return findRollupVersions(db, PARTNERSHIP, g, sorted[0]!, sorted[sorted.length - 1]!);
    },
    rows: (g, ps) => findRollups(db, PARTNERSHIP, g, ps),
  };
  const cubes = {} as Record<Interval, Cube>;
  for (const grain of ['week', 'month'] as const) {
    const from = [defaults[grain], ranges[grain].from].sort()[0]!;
    const buckets = bucketsBetween(from, today, grain);
    cubes[grain] = await publishedCubes(PARTNERSHIP, grain, [...previousBuckets(buckets, grain), ...buckets], rule, source);
  }
  return cubes;
}

/** Everything every role can read under the partnership's current rule, recorded against the pure cubes. */
async function scrape(site: Site, db: D1Database, prep: Prepared, rule: SuppressionRule, days: string[]): Promise<Scrape> {
  site.requests = 0;
  site.ms.clear();
  const ranges = rangesFrom(days);
  const cubes = await pureCubes(db, rule, days);
  const ledger = new Ledger(cubes, rule);
  const leaks: string[] = [];
  const minBase = 10;
  const u = prep.universe;
  const tasks: (() => Promise<void>)[] = [];
  const grains = ['month', 'week'] as const;

  // JSON insights: every filter each role can send, at both intervals, over the range; the whole
  // partnership and each partner since B; and the defaults.
  const themeLabels = new Map<string, string>();
  const reports = new Map<string, InsightReport>();
  const since = sinceBoundary(days);
  for (const role of prep.roles) {
    const sinceFilters = [{}, ...(role.partner ? [] : u.partners.map((p) => ({ partner: p.id })))];
    for (const grain of grains) {
      const asked = [...filtersFor(prep, role, 'json').map((q) => ({ range: ranges[grain], q })), ...sinceFilters.map((q) => ({ range: since, q }))];
      for (const { range, q } of asked) {
        tasks.push(async () => {
          const params = new URLSearchParams({ interval: grain, ...range, ...q });
          const report = await site.json<InsightReport>(`/api/v1/insights?${params}`, { key: role.key });
          expect(report.suppression.minBase).toBe(minBase);
          for (const t of report.themes) themeLabels.set(t.label, t.id);
          withheldFaults(ledger, `json ${role.name} ${params}`, report);
          reports.set(`${role.name} ${params}`, report);
          recordReport(ledger, reportView(report), {
            where: `json ${role.name} ${params}`,
            grain,
            buckets: report.period.buckets.map((b) => b.start),
            filter: atomFilter(prep, role, q),
            minBase,
            universe: u,
          });
        });
      }
      tasks.push(async () => {
        const report = await site.json<InsightReport>(`/api/v1/insights?interval=${grain}`, { key: role.key });
        recordReport(ledger, reportView(report), {
          where: `json ${role.name} default ${grain}`,
          grain,
          buckets: report.period.buckets.map((b) => b.start),
          filter: atomFilter(prep, role, {}),
          minBase,
          universe: u,
        });
      });
    }
    // A practice lead asking for another partner is refused, never answered.
    if (role.partner) {
      const other = u.partners.find((p) => p.id !== role.partner)!;
      tasks.push(async () => {
        const res = await site.call(`/api/v1/insights?partner=${other.id}`, { key: role.key });
        await res.text();
        if (res.status !== 403) leaks.push(`${role.name} asked for ${other.id}'s insights and got ${res.status}`);
      });
    }
  }
  await pool(tasks);
  tasks.length = 0;

  // CSV, FFT return, feeds: with each role's key, and with feed tokens (read-only, scoped like their key).
  const readers = [
    ...prep.roles.map((r) => ({ name: r.name, auth: { key: r.key }, query: '', partner: r.partner })),
    ...prep.feedTokens.map((t) => ({ name: t.name, auth: {}, query: `&token=${t.token}`, partner: t.partner })),
  ];
  for (const reader of readers) {
    const filter = reader.partner ? { partner: reader.partner } : {};
    for (const grain of grains) {
      const range = `interval=${grain}&from=${ranges[grain].from}&to=${ranges[grain].to}${reader.query}`;
      // The CSV and the JSON Feed (which show changes and previous counts) over the range and since B.
      for (const r of [ranges[grain], since]) {
        const asked = `interval=${grain}&from=${r.from}&to=${r.to}${reader.query}`;
        tasks.push(async () => {
          const csv = await site.text(`/api/v1/insights.csv?${asked}`, reader.auth);
          recordCsv(ledger, csv, { where: `csv ${reader.name} ${grain} from ${r.from}`, grain, filter: {}, minBase, universe: u });
          if (reader.partner && /^[^,]*,[^,]*,,/m.test(csv.split('\n').slice(1).join('\n'))) leaks.push(`csv ${reader.name}: a partnership-wide row`);
        });
        tasks.push(async () => {
          const body = await site.text(`/api/v1/feeds/insights.json?${asked}`, reader.auth);
          expect(parseJsonFeed(body).items?.length).toBeGreaterThan(0);
          // Heard's own block (`_heard`) is an extension a feed parser drops: read from the JSON itself.
          const items = (JSON.parse(body) as { items: FeedItem[] }).items;
          for (const item of items) {
            const heard = item._heard;
            if (reader.partner && heard.partner.id !== reader.partner) leaks.push(`json feed ${reader.name}: an entry of ${heard.partner.id}`);
            const view: ReportView = {
              responses: heard.totals.responses,
              previous: heard.totals.previous,
              rated: heard.totals.rated,
              themes: heard.themes.map((t) => ({ id: t.id, count: t.count, share: t.share, previous: t.change.previous, difference: t.change.difference })),
              emerging: heard.emerging.map((e) => ({ id: e.id, difference: e.difference })),
            };
            const where = `jsonfeed ${reader.name} from ${r.from} ${item.id}`;
            recordReport(ledger, view, {
              where,
              grain,
              buckets: heard.period.buckets.map((b) => b.start),
              filter: { ...filter, partner: heard.partner.id },
              minBase,
              universe: u,
            });
            const text = item.content_text.split('\n');
            recordReport(ledger, entryView(text, themeLabels), {
              where: `${where} text`,
              grain,
              buckets: heard.period.buckets.map((b) => b.start),
              filter: { ...filter, partner: heard.partner.id },
              minBase,
              universe: u,
            });
          }
        });
      }
      tasks.push(async () => {
        const feed = parseAtomFeed(await site.text(`/api/v1/feeds/insights.atom?${range}`, reader.auth));
        for (const entry of feed.entries ?? []) {
          const [, , , partner, , bucket] = entry.id!.split(':') as string[];
          if (reader.partner && partner !== reader.partner) leaks.push(`atom ${reader.name}: an entry of ${partner}`);
          const lines = parseHtml(entry.content!.value!)
            .querySelectorAll('p')
            .map((p) => p.text);
          recordReport(ledger, entryView(lines, themeLabels), {
            where: `atom ${reader.name} ${entry.id}`,
            grain,
            buckets: [bucket!],
            filter: { ...filter, partner: partner! },
            minBase,
            universe: u,
          });
        }
      });
    }
    tasks.push(async () => {
      const csv = await site.text(`/api/v1/insights/fft.csv?from=${ranges.month.from}&to=${ranges.month.to}${reader.query}`, reader.auth);
      recordFftCsv(ledger, csv, { where: `fft ${reader.name}`, filter: {}, minBase, universe: u });
    });
  }
  await pool(tasks);
  tasks.length = 0;

  // The dashboard, as each role signed in: its pages' numbers for each partner, service, survey and respondent filter.
  for (const role of prep.roles) {
    const cookie = await site.signIn(role.key);
    for (const grain of grains) {
      for (const q of filtersFor(prep, role, 'dashboard')) {
        tasks.push(async () => {
          const params = new URLSearchParams({ interval: grain, ...ranges[grain], ...q });
          const report = reports.get(`${role.name} ${params}`)!;
          const names: DashboardNames = {
            themeIds: report.themes.map((t) => t.id),
            themesByLabel: themeLabels,
            partnersByName: prep.partnerNames,
            surveysByTitle: new Map([
              ...DEMO_SURVEYS.map((s) => [s.definition.title.en ?? '', s.id] as const),
              ...(report.questions ?? []).map((s) => [s.title, s.id] as const),
            ]),
            questionsByText: new Map(
              (report.questions ?? []).flatMap((s) =>
                s.questions.map((x) => [x.text, { survey: s.id, question: x.id, answers: x.answers.map((a) => a.answer) }] as const),
              ),
            ),
          };
          const html = await site.text(`/dashboard?${params}`, { cookie });
          const { view, unread } = dashboardView(html, names);
          for (const what of unread) ledger.unexplained(`dashboard ${role.name} ${params}`, what);
          recordReport(ledger, view, {
            where: `dashboard ${role.name} ${params}`,
            grain,
            buckets: report.period.buckets.map((b) => b.start),
            filter: atomFilter(prep, role, q),
            minBase,
            universe: u,
          });
        });
      }
    }
    // The dashboard's downloads: the view as CSV (by month; the API's CSV is read at both
    // intervals, and both come from one service), and the FFT return.
    tasks.push(async () => {
      const csv = await site.text(`/dashboard/export.csv?interval=month&from=${ranges.month.from}&to=${ranges.month.to}`, { cookie });
      recordCsv(ledger, csv, { where: `dashboard-csv ${role.name} month`, grain: 'month', filter: {}, minBase, universe: u });
    });
    tasks.push(async () => {
      const csv = await site.text(`/dashboard/fft.csv?from=${ranges.month.from}&to=${ranges.month.to}`, { cookie });
      recordFftCsv(ledger, csv, { where: `dashboard-fft ${role.name}`, filter: {}, minBase, universe: u });
    });
    // Link lists: the API and the dashboard's page.
    tasks.push(async () => {
      const { links } = await site.json<{ links: Record<string, unknown>[] }>('/api/v1/links', { key: role.key });
      leaks.push(...linkUseLeaks(`links ${role.name}`, links));
      const used = links.find((l) => l.id === prep.singleUse.used);
      const unused = links.find((l) => l.id === prep.singleUse.unused);
      if (used && unused) {
        const { id: _a, expiresAt: _b, ...a } = used;
        const { id: _c, expiresAt: _d, ...b } = unused;
        if (JSON.stringify(a) !== JSON.stringify(b))
          leaks.push(`links ${role.name}: a used single-use link differs from an unused one: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
      }
      if (role.partner && links.some((l) => l.partnerId !== role.partner)) leaks.push(`links ${role.name}: another partner's link`);
      const page = parseHtml(await site.text('/dashboard/links', { cookie }));
      const table = page.querySelectorAll('main table');
      for (const t of table) {
        // "Use" says one family or many people, the link's kind: a count or "used" would be a leak.
        const heads = t.querySelectorAll('th[scope="col"]').map((th) => th.text.trim());
        for (const h of heads) if (/uses|used|times|responses|count/i.test(h)) leaks.push(`dashboard links ${role.name}: a column "${h}"`);
        for (const td of t.querySelectorAll('td'))
          if (/\bused\b|\buses\b|\d+ (times|responses|uses)/i.test(td.text)) leaks.push(`dashboard links ${role.name}: "${td.text.trim()}"`);
        // The used and the unused single-use link (same survey, partner, contact and day) must read alike.
        const singles = new Set(
          t
            .querySelectorAll('tbody tr')
            .map((tr) => tr.text.replace(/\s+/g, ' ').trim())
            .filter((row) => row.includes('One family')),
        );
        if (!role.partner || role.partner === 'demo-police')
          if (singles.size !== 1) leaks.push(`dashboard links ${role.name}: single-use links read differently: ${[...singles].join(' / ')}`);
      }
    });
  }
  await pool(tasks);
  const surfaces = Object.fromEntries(ledger.compared);
  return { ledger, leaks, requests: site.requests, surfaces };
}

/** The exact attacker over everything scraped: what it can bound, un-round, or read as unanimous. */
function attack(highs: Highs, prep: Prepared, ledger: Ledger, rule: SuppressionRule, days: string[]) {
  const facts: Fact[] = ledger.facts;
  const t0 = performance.now();
  const know = knowledge(prep.universe, facts, ledger, rule);
  const m = model(know.structure, know.published, [], rule, false);
  if (process.env.SCRAPE_DEBUG) debugTruth(know, m, ledger, days);
  // SCRAPE_SHOW=KEY: every distinct fact read at that filter key, with where it was first read.
  if (process.env.SCRAPE_SHOW) {
    const seen = new Set<string>();
    for (const f of facts) {
      const id = `${f.grain} ${f.buckets.join('+')} ${f.metric} ${f.key}`;
      if (f.key !== process.env.SCRAPE_SHOW || seen.has(id)) continue;
      seen.add(id);
      console.log('FACT', id, f.shown.suppressed ? 'c' : f.shown.value, 'true', ledger.expected(f).count, f.mayBeZero ? 'may be 0' : '', f.where);
    }
  }
  const t1 = performance.now();
  const learned = learn(highs, m, know.published, rule);
  const ms = { model: Math.round(t1 - t0), solve: Math.round(performance.now() - t1) };
  return { ...learned, ms, unanimous: unanimous(facts), size: know.size, facts: know.published.length, hidden: know.published.filter((p) => p.hidden).length };
}

/**
 * SCRAPE_DEBUG=1: the facts and rows the true planting breaks. A variable's piece of time is the
 * days a week and a month share; its truth is its week's or month's count where that bucket holds
 * no other planted piece, or the bucket's count less the other planted pieces in it.
 */
function debugTruth(know: ReturnType<typeof knowledge>, m: ReturnType<typeof model>, ledger: Ledger, days: string[]) {
  const planted = [...new Set(days.map((d) => `${bucketStart(d, 'week')}|${bucketStart(d, 'month')}`))];
  const pieceTruth = (piece: string, metric: string, key: string, leaving: Set<string>): number | null => {
    if (!planted.includes(piece)) return 0;
    const [week, month] = piece.split('|') as [string, string];
    for (const [grain, bucket, side] of [['week', week, 0] as const, ['month', month, 1] as const]) {
      const others = planted.filter((p) => p !== piece && p.split('|')[side] === bucket);
      if (others.some((o) => leaving.has(o))) continue;
      const rest = others.map((o) => pieceTruth(o, metric, key, new Set([...leaving, piece])));
      if (rest.includes(null)) continue;
      return ledger.expected({ grain, buckets: [bucket], metric, key }).count - rest.reduce((n: number, r) => n + r!, 0);
    }
    return null;
  };
  const truth = new Map<string, number>();
  for (const v of m.vars) {
    const { week, month, parts, metric } = know.meaning(v);
    const t = pieceTruth(`${week}|${month}`, metric, parts.join('|'), new Set());
    if (t === null) console.log('UNTOLD', v, week, month, metric);
    else truth.set(v, t);
  }
  for (const p of know.published) {
    const sum = p.expr.split(' + ').reduce((n, v) => n + (truth.get(v) ?? 0), 0);
    if (sum !== p.count) console.log('MISCOUNT', p.id, 'expr gives', sum, 'truth', p.count);
  }
  for (const broken of violated(m, truth)) console.log('BROKEN', broken.slice(0, 300));
}

let highs: Highs;
let script: string;
beforeAll(async () => {
  [highs, script] = await Promise.all([loadHighs(), bundleWorker()]);
});

async function withWorker<T>(run: (site: Site, db: D1Database) => Promise<T>): Promise<T> {
  const persist = mkdtempSync(join(tmpdir(), 'heard-attacker-'));
  const worker = await startWorker({ persist, script, databaseId: 'heard-attacker' });
  try {
    return await run(new Site(worker.url), worker.db);
  } finally {
    await worker.dispose();
    rmSync(persist, { recursive: true, force: true });
  }
}

/**
 * Each planting is one fresh Worker, scraped under both rules. The first adds the health
 * and weeks-against-months examples to random groups; SCRAPE_PLANTINGS=n adds n − 1 more random ones (SCRAPE_SEED picks them).
 */
const plantings: { name: string; groups: Group[] }[] = fc
  .sample(plantingArb, { seed: SEED, numRuns: PLANTINGS })
  .map((groups, i) =>
    i === 0
      ? { name: `random groups beside the issue's health and weeks examples (seed ${SEED})`, groups: [...HEALTH_EXAMPLE, ...WEEKS_EXAMPLE, ...groups] }
      : { name: `random planting ${i + 1} (seed ${SEED})`, groups },
  );

/**
 * The planted weeks and months a surface never showed a number for (as a bucket of the period it
 * covers or, for JSON and the JSON Feed, of its previous period): each must be read everywhere.
 */
function periodsUnread(ledger: Ledger, days: string[]): string[] {
  const read = new Set(ledger.facts.flatMap((f) => f.buckets.map((b) => `${f.where.split(' ')[0]} ${f.grain} ${b}`)));
  const weekly = ['json', 'csv', 'jsonfeed', 'atom', 'dashboard'];
  const monthly = [...weekly, 'fft', 'dashboard-csv', 'dashboard-fft'];
  const unread: string[] = [];
  for (const day of days) {
    for (const surface of weekly) if (!read.has(`${surface} week ${bucketStart(day, 'week')}`)) unread.push(`${surface} week ${bucketStart(day, 'week')}`);
    for (const surface of monthly) if (!read.has(`${surface} month ${bucketStart(day, 'month')}`)) unread.push(`${surface} month ${bucketStart(day, 'month')}`);
  }
  return [...new Set(unread)];
}

/** One planting in a fresh Worker: scraped by every role under each rule, every number checked, and the solver run over all of it. */
async function scrapeAndAttack(name: string, groups: Group[]) {
  await withWorker(async (site, db) => {
    const prep = await prepare(site);
    const days = plantingDays(utcToday());
    const stored = await plant(site, db, prep, groups, days);
    const used = await site.call('/api/v1/surveys/family-rating/responses', {
      json: { id: crypto.randomUUID(), answers: { overall: 'good' }, lang: 'en', link: prep.singleUse.usedToken },
    });
    expect(used.status).toBe(201);
    // Rollups are folded off the hot path: fold now, so the pure cubes read every response (the Worker folds before it reads too).
    await foldPending(db, PARTNERSHIP);
    // Every response stored on the day it was planted for (the single-use link's one today, by the Worker's clock).
    const { results } = await db.prepare('SELECT received_day AS day, COUNT(*) AS n FROM responses GROUP BY received_day').all<{ day: string; n: number }>();
    const planned = new Map<string, number>([[days[0]!, 1]]);
    for (const g of groups) planned.set(days[g.day]!, (planned.get(days[g.day]!) ?? 0) + g.n);
    expect(new Map(results.map((r) => [r.day, r.n]))).toEqual(planned);
    const plantedDays = [...planned.keys()];
    for (const rule of ['dfe', 'nhs'] as const) {
      await site.json('/api/v1/partnership', { key: 'demo-admin-key', method: 'PATCH', json: { suppressionRule: rule } });
      const started = performance.now();
      const s = await scrape(site, db, prep, rule, days);
      if (process.env.SCRAPE_FAULTS) for (const f of s.ledger.faults) console.log('FAULT', f);
      expect(s.ledger.faults.slice(0, 20)).toEqual([]);
      expect(s.leaks).toEqual([]);
      expect(periodsUnread(s.ledger, plantedDays)).toEqual([]);
      // From B, the month before is the previous period: anything planted there is counted by some "previous" read.
      if (plantedDays.some((d) => d < days[1]!)) expect(s.ledger.facts.some((f) => f.where.endsWith(' previous') && s.ledger.expected(f).count > 0)).toBe(true);
      const scraped = performance.now();
      const a = attack(highs, prep, s.ledger, rule, plantedDays);
      console.log(
        `${name} ${rule}: ${stored} planted on ${plantedDays.length} days (${plantedDays.sort().join(', ')}); ${s.requests} requests in ${Math.round(scraped - started)} ms; numbers read ${JSON.stringify(s.surfaces)}; ` +
          `${a.facts} distinct facts (${a.hidden} hidden, ${a.small} of them 1–${suppressionThreshold(rule)}), ${a.size.variables} variables, ${a.size.rows} rows, ${a.size.pieces} pieces of time; ${a.solves} programs solved; model ${a.ms.model} ms, solver ${a.ms.solve} ms; ` +
          `time per path ${JSON.stringify(Object.fromEntries([...site.ms].map(([k, v]) => [k, Math.round(v)])))}`,
      );
      expect({ bounded: a.bounded, unrounded: a.unrounded, unanimous: a.unanimous }).toEqual({ bounded: [], unrounded: [], unanimous: [] });
      for (const surface of ['json', 'csv', 'fft', 'jsonfeed', 'atom', 'dashboard', 'dashboard-csv', 'dashboard-fft'])
        expect(s.surfaces[surface], surface).toBeGreaterThan(0);
    }
  });
}

describe('the attacker, end to end against the running Worker (issue 18)', () => {
  for (const { name, groups } of plantings) {
    it(`${name}: every surface shows only what the cubes publish, and the solver learns nothing, under DfE and NHS`, { timeout: 180_000 }, () =>
      scrapeAndAttack(name, groups),
    );
  }
});

/**
 * Once reported as a gap, found by this test after main's 3 December merges: SCRAPE_PLANTINGS=4
 * SCRAPE_SEED=777, planting 4, where under DfE the solver bounded demo-front-door's hidden rating 1
 * (true 1) and rating 3 (true 5) inside [1, 5]. It was HiGHS's presolve reporting a maximum as
 * optimal that was not: a second program without presolve (tests/attacker/model.ts,
 * `infeasibleWith`) finds both can exceed 5, so the attacker no longer claims it. Kept as a plain
 * test, run with SCRAPE_FOUND=1 (it costs a Worker and two scrapes, about a minute).
 */
const FOUND: { name: string; groups: Group[] }[] = [
  {
    name: 'seed 777 planting 4: front door ratings 1 and 3 under DfE (a false win of presolve, once)',
    groups: [
      { channel: 7, day: 0, band: 2, n: 4, answers: [5, 4], text: 0 },
      { channel: 10, day: 0, band: 1, n: 2, answers: [4, 4], text: 3 },
      { channel: 0, day: 0, band: 1, n: 3, answers: [5], text: 2 },
      { channel: 1, day: 0, band: 2, n: 5, answers: [3], text: 3 },
      { channel: 10, day: 0, band: 1, n: 4, answers: [0], text: 1 },
      { channel: 1, day: 0, band: 0, n: 2, answers: [0, 2], text: 2 },
      { channel: 1, day: 0, band: 0, n: 3, answers: [4, 1], text: 2 },
    ],
  },
];
describe.runIf(process.env.SCRAPE_FOUND)('plantings searches have found', () => {
  for (const { name, groups } of FOUND) it(name, { timeout: 180_000 }, () => scrapeAndAttack(name, groups));
});

describe('the end-to-end checks can fail (mutation)', () => {
  it('catch a hidden count shown, a percentage from true counts, zeros beside a small unanimous group, an unread dashboard number and link use counts', {
    timeout: 120_000,
  }, async () => {
    await withWorker(async (site, db) => {
      const prep = await prepare(site);
      const days = plantingDays(utcToday());
      await plant(site, db, prep, [...HEALTH_EXAMPLE, ...NHS_ROUNDING], days);
      await foldPending(db, PARTNERSHIP);
      const ranges = rangesFrom(days);
      const params = new URLSearchParams({ interval: 'month', ...ranges.month, partner: 'demo-health' });
      for (const rule of ['dfe', 'nhs'] as const) {
        await site.json('/api/v1/partnership', { key: 'demo-admin-key', method: 'PATCH', json: { suppressionRule: rule } });
        const cubes = await pureCubes(db, rule, days);
        const report = await site.json<InsightReport>(`/api/v1/insights?${params}`, { key: 'demo-admin-key' });
        const buckets = report.period.buckets.map((b) => b.start);
        const read = (r: InsightReport) => {
          const ledger = new Ledger(cubes, rule);
          recordReport(ledger, reportView(r), {
            where: `json ${rule}`,
            grain: 'month',
            buckets,
            filter: { partner: 'demo-health' },
            minBase: 10,
            universe: prep.universe,
          });
          return ledger;
        };
        const honest = read(report);
        expect(honest.faults).toEqual([]);
        expect(attack(highs, prep, honest, rule, days)).toMatchObject({ bounded: [], unrounded: [], unanimous: [] });

        // The community survey's one response at health, shown instead of hidden.
        const shown = structuredClone(report);
        const community = shown.questions!.find((q) => q.id === 'community-voice')!;
        expect(community.responses).toEqual({ value: null, suppressed: true });
        community.responses = { value: 1, suppressed: false };
        const leaked = read(shown);
        expect(leaked.faults.join('\n')).toContain('shows 1, the cubes publish c');
        // Under DfE the attacker then bounds that survey's answers (each at most its 1 response).
        if (rule === 'dfe') expect(attack(highs, prep, leaked, rule, days).bounded).not.toEqual([]);

        // Its safe-area line, all hidden (one person rated), shown as "0, c, 0".
        const zeros = structuredClone(report);
        const line = zeros.questions!.find((q) => q.id === 'community-voice')!.questions.find((q) => q.id === 'safe-area')!;
        expect(line.answers.map((a) => a.count.suppressed)).toEqual([true, true, true]);
        const truth = line.answers.map(
          (a) => cubes.month.total(buckets, `rating:${Number(a.answer) * 2 - 1}`, '*|*|community|community-voice|*'.replace('*', 'demo-health')).count,
        );
        expect(truth).toEqual([0, 1, 0]);
        line.answers = line.answers.map((a, i) => (truth[i] === 0 ? { ...a, count: { value: 0, suppressed: false } } : a));
        const unanimity = read(zeros);
        expect(unanimity.faults.join('\n')).toContain('shows 0, the cubes publish c');
        expect(unanimous(unanimity.facts)).toHaveLength(1);

        // A share worked out from true counts (NHS, the example): 12 "very poor" of 30 is
        // 40 %, but shown as 10 of 30 it is 33 %; a 40 % would say the 10 can only be 12.
        if (rule === 'nhs') {
          const police = new URLSearchParams({ interval: 'month', ...ranges.month, partner: 'demo-police' });
          const trueShare = await site.json<InsightReport>(`/api/v1/insights?${police}`, { key: 'demo-admin-key' });
          const readPolice = (r: InsightReport) => {
            const ledger = new Ledger(cubes, rule);
            recordReport(ledger, reportView(r), {
              where: 'json nhs police',
              grain: 'month',
              buckets,
              filter: { partner: 'demo-police' },
              minBase: 10,
              universe: prep.universe,
            });
            return ledger;
          };
          expect(readPolice(trueShare).faults).toEqual([]);
          const overall = trueShare.questions!.find((q) => q.id === 'family-rating')!.questions.find((q) => q.id === 'overall')!;
          const veryPoor = overall.answers.find((a) => a.answer === 'very-poor')!;
          expect([veryPoor.count.value, overall.answered.value, veryPoor.share.value]).toEqual([10, 30, 33]);
          veryPoor.share = { value: 40, suppressed: false };
          expect(readPolice(trueShare).faults.join('\n')).toContain(
            'question overall very-poor share: shows {"value":40,"suppressed":false}, the shown 10 of 30 give {"value":33,"suppressed":false}',
          );
        }
      }

      // A number on the dashboard that no check reads.
      const cookie = await site.signIn('demo-admin-key');
      const html = await site.text(`/dashboard?${params}`, { cookie });
      const report = await site.json<InsightReport>(`/api/v1/insights?${params}`, { key: 'demo-admin-key' });
      const names: DashboardNames = {
        themeIds: report.themes.map((t) => t.id),
        themesByLabel: new Map(report.themes.map((t) => [t.label, t.id])),
        partnersByName: prep.partnerNames,
        surveysByTitle: new Map(DEMO_SURVEYS.map((s) => [s.definition.title.en ?? '', s.id] as const)),
        questionsByText: new Map(
          (report.questions ?? []).flatMap((s) =>
            s.questions.map((x) => [x.text, { survey: s.id, question: x.id, answers: x.answers.map((a) => a.answer) }] as const),
          ),
        ),
      };
      expect(dashboardView(html, names).unread).toEqual([]);
      const extra = html.replace(
        '</main>',
        '<table><caption>Link uses</caption><tbody><tr><th>Home visit</th><td class="num">3</td></tr></tbody></table></main>',
      );
      expect(dashboardView(extra, names).unread).toContain('a table "Link uses"');

      // Link lists: a use count, or a status that says used, is caught.
      const { links } = await site.json<{ links: Record<string, unknown>[] }>('/api/v1/links', { key: 'demo-admin-key' });
      expect(linkUseLeaks('links', links)).toEqual([]);
      expect(
        linkUseLeaks(
          'links',
          links.map((l) => ({ ...l, uses: 3 })),
        ),
      ).toHaveLength(links.length);
      expect(linkUseLeaks('links', [{ ...links[0]!, status: 'used' }])).toHaveLength(1);

      // Weeks against months on the earlier days (planted last: the reports above stay small).
      // Each interval alone would show social work's 14 in B − 10's week, 22 in B's week and 16 in
      // the month before B; together they give the 2 at B − 1 (the 36 − 34 = 2). That 2 is
      // no cell a surface shows but a piece of one (the days B's week shares with the month before),
      // so the solver is asked about it directly. Only the responses series are read.
      await plant(site, db, prep, WEEKS_EXAMPLE, days);
      await foldPending(db, PARTNERSHIP);
      await site.json('/api/v1/partnership', { key: 'demo-admin-key', method: 'PATCH', json: { suppressionRule: 'dfe' } });
      const cubes = await pureCubes(db, 'dfe', days);
      const socialWork = { partner: 'demo-la', service: 'demo-social-work' };
      const series = {} as Record<Interval, InsightReport>;
      for (const grain of ['week', 'month'] as const)
        series[grain] = await site.json<InsightReport>(
          `/api/v1/insights?${new URLSearchParams({ interval: grain, ...ranges[grain], service: 'demo-social-work' })}`,
          {
            key: 'demo-admin-key',
          },
        );
      const readSeries = (reports: Record<Interval, InsightReport>) => {
        const ledger = new Ledger(cubes, 'dfe');
        for (const grain of ['week', 'month'] as const) {
          const r = reports[grain];
          recordReport(
            ledger,
            { responses: r.totals.responses, series: r.series },
            {
              where: `json ${grain} social work`,
              grain,
              buckets: r.period.buckets.map((b) => b.start),
              filter: socialWork,
              minBase: 10,
              universe: prep.universe,
            },
          );
        }
        return ledger;
      };
      const split = { week: bucketStart(days[2]!, 'week'), month: bucketStart(days[2]!, 'month') };
      const learnedOfSplit = (ledger: Ledger) => {
        const know = knowledge(prep.universe, ledger.facts, ledger, 'dfe');
        const m = model(know.structure, know.published, [], 'dfe', false);
        const key = cellKey(socialWork).split('|');
        const piece = m.vars.filter((v) => {
          const x = know.meaning(v);
          return x.week === split.week && x.month === split.month && x.metric === 'responses' && key.every((k, i) => k === ALL || k === x.parts[i]);
        });
        expect(piece.length).toBeGreaterThan(0);
        return learn(highs, m, [{ id: `social work ${split.week} in ${split.month}`, expr: piece.join(' + '), count: 2, hidden: true }], 'dfe').bounded;
      };
      const linked = readSeries(series);
      expect(linked.faults).toEqual([]);
      expect(attack(highs, prep, linked, 'dfe', days)).toMatchObject({ bounded: [], unrounded: [], unanimous: [] });
      expect(learnedOfSplit(linked)).toEqual([]);
      // Each interval protected alone: every hidden period of more than 5 shown as it is.
      const alone = structuredClone(series);
      const key = cellKey(socialWork);
      for (const grain of ['week', 'month'] as const)
        for (const point of alone[grain].series) {
          const count = cubes[grain].total([point.period], 'responses', key).count;
          if (point.responses.suppressed && count > 5) point.responses = { value: count, suppressed: false };
        }
      const unlinked = readSeries(alone);
      expect(unlinked.faults.join('\n')).toContain('shows 16, the cubes publish c');
      expect(learnedOfSplit(unlinked)).toEqual([`social work ${split.week} in ${split.month} = 2`]);
    });
  });
});
