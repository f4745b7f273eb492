import type { ApiKey } from '../db/keys';
import { findService, listPartners, type Partner } from '../db/partners';
import { findPartnership, type Partnership } from '../db/partnerships';
import { findQuoteCandidates } from '../db/responses';
import { findRollupVersions } from '../db/rollups';
import { findSurveyForEditing, listReportedSurveys, type ReportedSurvey } from '../db/surveys';
import { buildInsights, type InsightReport } from '../domain/insights';
import { surveyQuestionResults, type SurveyQuestionResults } from '../domain/question-results';
import { bucketEnd, bucketsBetween, previousBuckets, type Interval } from '../domain/periods';
import { RememberedCube } from '../domain/remembered-cube';
import { cellKey, type Atom, type Cube, type SuppressedCube } from '../domain/suppression';
import { forbidden, invalid } from '../lib/errors';
import { addDays, dayOf, today } from '../lib/time';
import type { InsightScope } from '../domain/insights';
import { Lru } from '../lib/lru';
import { cubeFor } from './cubes';
import { readFolded } from './rollup-fold';
import { taxonomyFor } from './taxonomy';

export type { InsightScope };

export const scopeOf = (key: Pick<ApiKey, 'partnershipId' | 'partnerId'>): InsightScope => ({ partnershipId: key.partnershipId, partnerId: key.partnerId });

export interface InsightFilters {
  from?: string;
  to?: string;
  interval: Interval;
  partner?: string;
  service?: string;
  survey?: string;
  respondent?: string;
  ageBand?: string;
}

/** Longest range one request may ask for, in buckets. */
const MAX_BUCKETS = { week: 105, month: 36 } as const;
/** Default range when none is given: the last year by month, or the last 12 weeks. */
const DEFAULT_BUCKETS = { week: 12, month: 12 } as const;

/** Everything a report, feed or export needs: checked filters and the partnership's suppressed cube (per bucket, cached; see cubes.ts). */
export interface LoadedInsights {
  scope: InsightScope;
  partnership: Partnership;
  partners: Partner[];
  interval: Interval;
  buckets: string[];
  previous: string[];
  cube: Cube;
  /** The cube filter for the question asked (partner fixed for a practice lead). */
  filter: Partial<Atom>;
  themes: { id: string; label: string }[];
  /** Surveys the scope may see, with the definitions their questions are reported from. */
  surveys: ReportedSurvey[];
  /** The stored fingerprint the report's tag was made from, when the report cache read it first (services/report-cache.ts). */
  fingerprint?: string;
}

/**
 * Checks the filters against the scope and loads the suppressed cube. The cube is built from the
 * whole partnership so every key sees the same pattern, whatever it filters on.
 *
 * @param fingerprint the stored fingerprint the report's tag was made from, if read
 *   (services/report-cache.ts): while it holds, the cubes and quotes a question was last answered
 *   with are still true, so they are used again without reading their versions
 */
export async function loadInsights(db: D1Database, scope: InsightScope, f: InsightFilters, fingerprint?: string): Promise<LoadedInsights> {
  if (scope.partnerId && f.partner && f.partner !== scope.partnerId) throw forbidden('A practice lead sees only their own partner agency.');
  const partner = scope.partnerId ?? f.partner;

  const { buckets, previous, loaded, span } = insightRange(f);

  const [partnership, partners, service, survey, themes, versions, surveys] = await Promise.all([
    findPartnership(db, scope.partnershipId),
    listPartners(db, scope.partnershipId),
    f.service ? findService(db, scope.partnershipId, f.service) : Promise.resolve(null),
    f.survey ? findSurveyForEditing(db, scope.partnershipId, f.survey) : Promise.resolve(null),
    // The partnership's own themes are reported alongside the defaults.
    taxonomyFor(db, scope.partnershipId),
    // Responses stored since the last fold are counted first (services/rollup-fold.ts); the tag's read folded them.
    fingerprint
      ? Promise.resolve(undefined)
      : readFolded(db, scope.partnershipId, () => findRollupVersions(db, scope.partnershipId, f.interval, span[0]!, span[span.length - 1]!)),
    listReportedSurveys(db, scope.partnershipId, scope.partnerId),
  ]);
  const problems = [];
  if (f.partner && !partners.some((p) => p.id === f.partner)) problems.push({ path: 'query.partner', message: 'is not a partner of this partnership' });
  if (f.service && (!service || (partner && service.partnerId !== partner))) {
    problems.push({ path: 'query.service', message: partner ? 'is not a service of that partner' : 'is not a service of this partnership' });
  }
  if (f.survey && !survey) problems.push({ path: 'query.survey', message: 'is not a survey of this partnership' });
  if (survey && f.respondent && f.respondent !== survey.audience) {
    problems.push({ path: 'query.respondent', message: `does not match the survey, which asks ${survey.audience} respondents` });
  }
  if (problems.length) throw invalid(problems);

  const cube = new RememberedCube(await cubeFor(db, scope.partnershipId, f.interval, loaded, partnership!.suppressionRule, versions, fingerprint));

  return {
    scope,
    partnership: partnership!,
    partners: scope.partnerId ? partners.filter((p) => p.id === scope.partnerId) : partners,
    interval: f.interval,
    buckets,
    previous,
    cube,
    // A service fixes its partner and a survey its respondents: the cube's keys name both.
    filter: {
      ...(partner || service ? { partner: service?.partnerId ?? partner } : {}),
      ...(service ? { service: service.id } : {}),
      ...(survey || f.respondent ? { audience: survey?.audience ?? f.respondent } : {}),
      ...(survey ? { survey: survey.id } : {}),
      ...(f.ageBand ? { ageBand: f.ageBand } : {}),
    },
    themes: themes.taxonomy.themes.map(({ id, label }) => ({ id, label })),
    surveys,
    ...(fingerprint ? { fingerprint } : {}),
  };
}

/**
 * The buckets a question covers: those asked for, the ones before them (for change), and whole
 * exact months around weeks. Throws the 400 for a reversed or too long range. Pure apart from
 * today's date, so the report cache can find the rollup versions before anything is loaded.
 */
export function insightRange(f: Pick<InsightFilters, 'from' | 'to' | 'interval'>) {
  const to = f.to ?? today();
  const from = f.from ?? defaultFrom(to, f.interval);
  if (from > to) throw invalid([{ path: 'query.from', message: 'must not be after to' }]);
  const buckets = bucketsBetween(from, to, f.interval);
  if (buckets.length > MAX_BUCKETS[f.interval]) {
    throw invalid([{ path: 'query.from', message: `must be at most ${MAX_BUCKETS[f.interval]} ${f.interval}s before to` }]);
  }
  const previous = previousBuckets(buckets, f.interval);
  const loaded = [...previous, ...buckets];
  const span = [...loaded].sort();
  return { buckets, previous, loaded, span };
}

/** The report for the question asked, with quotes; a partner comparison for partnership-wide keys. */
export async function insightsFor(db: D1Database, scope: InsightScope, f: InsightFilters, fingerprint?: string): Promise<InsightReport> {
  const loaded = await loadInsights(db, scope, f, fingerprint);
  return reportFor(db, loaded, loaded.filter, loaded.buckets, loaded.previous, { compare: scope.partnerId === null });
}

/** One report from a loaded cube: for the whole range, or one bucket of it (feeds use one per entry, without quotes or questions). */
export async function reportFor(
  db: D1Database,
  loaded: LoadedInsights,
  filter: Partial<Atom>,
  buckets: string[],
  previous: string[],
  opts: { compare: boolean; quotes?: boolean; questions?: boolean },
): Promise<InsightReport> {
  const quotes = opts.quotes === false ? [] : await quoteCandidates(db, loaded, filter, buckets);
  const report = buildInsights(loaded.cube, {
    interval: loaded.interval,
    buckets,
    previous,
    filter,
    themes: loaded.themes,
    rule: loaded.partnership.suppressionRule,
    minBase: loaded.partnership.minBase,
    quotes,
    ...(opts.compare ? { partners: loaded.partners.map(({ id, name }) => ({ id, name })) } : {}),
  });
  if (opts.questions !== false) report.questions = questionResults(loaded, filter, buckets);
  return report;
}

/**
 * The answers a report may quote from. Read once per question while the stored fingerprint the
 * report's tag was made from is unchanged: the same rule as the shared cache's copy of the whole
 * report (services/report-cache.ts), so a quote is never kept longer than the report it is in.
 */
async function quoteCandidates(db: D1Database, loaded: LoadedInsights, filter: Partial<Atom>, buckets: string[]): Promise<Quote[]> {
  const from = buckets[0]!;
  const to = bucketEnd(buckets[buckets.length - 1]!, loaded.interval);
  const read = () =>
    findQuoteCandidates(db, loaded.scope.partnershipId, from, to, {
      ...(filter.partner ? { partnerId: filter.partner } : {}),
      ...(filter.service ? { serviceId: filter.service } : {}),
      ...(filter.survey ? { surveyId: filter.survey } : {}),
      ...(filter.audience ? { audience: filter.audience } : {}),
      ...(filter.ageBand ? { ageBand: filter.ageBand } : {}),
    });
  if (!loaded.fingerprint) return read();
  const key = `${loaded.scope.partnershipId} ${from} ${to} ${cellKey(filter)}\n${loaded.fingerprint}`;
  let quotes = quotesKept.get(key);
  if (!quotes) {
    quotes = await read();
    quotesKept.set(key, quotes, Math.max(1, quotes.length));
  }
  return quotes;
}

type Quote = { themes: string[]; text: string };
/** About 500 characters a candidate: ~3 MB at most, 100 questions' worth (a query reads at most 100 candidates). */
const quotesKept = new Lru<string, Quote[]>(10_000);

/**
 * One bucket's report as a feed entry shows it (no quotes, no per-question results, no partner
 * comparison), compared with the bucket before. It reads only those two buckets' cubes, and each
 * cube is built once per version of its rollups (cubes.ts), so the report is remembered with the
 * two cubes it was read from: a feed of 12 months × 8 partners recomputes only the entries whose
 * months changed since this isolate last built them, and never shows a number from a stale cube.
 * The report is shared: callers must not change it.
 */
export function bucketReportFor(loaded: LoadedInsights, filter: Partial<Atom>, bucket: string): InsightReport {
  const previous = previousBuckets([bucket], loaded.interval);
  const compute = () => buildInsights(loaded.cube, bucketQuery(loaded, filter, bucket, previous));
  const cubes = loaded.cube instanceof RememberedCube ? [loaded.cube.of(bucket), loaded.cube.of(previous[0]!)] : [];
  if (!cubes[0] || !cubes[1]) return compute();
  let byPrevious = bucketReports.get(cubes[0]);
  if (!byPrevious) bucketReports.set(cubes[0], (byPrevious = new WeakMap()));
  let reports = byPrevious.get(cubes[1]);
  if (!reports) byPrevious.set(cubes[1], (reports = new Map()));
  // Everything else the report is read with: the question, the partnership's settings and themes.
  const key = `${loaded.interval} ${bucket} ${previous[0]} ${cellKey(filter)} ${loaded.partnership.suppressionRule} ${loaded.partnership.minBase} ${themesKey(loaded.themes)}`;
  let report = reports.get(key);
  if (!report) {
    // Filters and partners are few; the bound only guards memory.
    if (reports.size >= 256) reports.clear();
    reports.set(key, (report = compute()));
  }
  return report;
}

const bucketReports = new WeakMap<SuppressedCube, WeakMap<SuppressedCube, Map<string, InsightReport>>>();

const bucketQuery = (loaded: LoadedInsights, filter: Partial<Atom>, bucket: string, previous: string[]) => ({
  interval: loaded.interval,
  buckets: [bucket],
  previous,
  filter,
  themes: loaded.themes,
  rule: loaded.partnership.suppressionRule,
  minBase: loaded.partnership.minBase,
  quotes: [],
});

/** The themes as one string, once per load (a feed asks for it per entry). */
const themesKey = (themes: LoadedInsights['themes']) => {
  let key = themeKeys.get(themes);
  if (key === undefined) themeKeys.set(themes, (key = JSON.stringify(themes)));
  return key;
};
const themeKeys = new WeakMap<LoadedInsights['themes'], string>();

/**
 * Per-question results for the surveys the filter covers (the one asked for, or every survey of
 * the respondent type or partnership), each read at the filter with that survey fixed. A survey
 * with no responses in the period is left out; one whose responses are hidden is kept, hidden.
 */
export function questionResults(loaded: LoadedInsights, filter: Partial<Atom>, buckets: string[]): SurveyQuestionResults[] {
  const out: SurveyQuestionResults[] = [];
  for (const survey of loaded.surveys) {
    if (filter.survey && survey.id !== filter.survey) continue;
    if (filter.audience && survey.audience !== filter.audience) continue;
    const key = cellKey({ ...filter, audience: survey.audience, survey: survey.id });
    const results = surveyQuestionResults(loaded.cube, survey, key, buckets, loaded.partnership.minBase);
    if (!results.responses.suppressed && results.responses.value === 0) continue;
    out.push(results);
  }
  return out;
}

function defaultFrom(to: string, interval: Interval): string {
  const start = new Date(`${to}T00:00:00Z`);
  if (interval === 'week') return dayOf(addDays(start, -7 * (DEFAULT_BUCKETS.week - 1)));
  return dayOf(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - (DEFAULT_BUCKETS.month - 1), 1)));
}
