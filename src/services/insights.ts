import type { ApiKey } from '../db/keys';
import { findService, listPartners } from '../db/partners';
import { findSurveyForEditing } from '../db/surveys';
import { findPartnership } from '../db/partnerships';
import { findQuoteCandidates } from '../db/responses';
import { findRollups } from '../db/rollups';
import { DEFAULT_TAXONOMY } from '../domain/analysis';
import { buildInsights, type InsightReport } from '../domain/insights';
import { bucketEnd, bucketsBetween, exactMonths, previousBuckets, type Interval } from '../domain/periods';
import { SuppressedCube, type Atom } from '../domain/suppression';
import { forbidden, invalid } from '../lib/errors';
import { addDays, dayOf, today } from '../lib/time';

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

/**
 * The insight report for a key: scoped to its partnership, and for a practice lead to its own
 * partner; suppressed across the whole partnership so every key sees the same pattern.
 */
export async function insightsFor(db: D1Database, key: ApiKey, f: InsightFilters): Promise<InsightReport> {
  if (key.partnerId && f.partner && f.partner !== key.partnerId) throw forbidden('A practice lead sees only their own partner agency.');
  const partner = key.partnerId ?? f.partner;

  const to = f.to ?? today();
  const from = f.from ?? defaultFrom(to, f.interval);
  if (from > to) throw invalid([{ path: 'query.from', message: 'must not be after to' }]);
  const buckets = bucketsBetween(from, to, f.interval);
  if (buckets.length > MAX_BUCKETS[f.interval]) throw invalid([{ path: 'query.from', message: `must be at most ${MAX_BUCKETS[f.interval]} ${f.interval}s before to` }]);
  const previous = previousBuckets(buckets, f.interval);

  const [partnership, partners, services, surveys] = await Promise.all([
    findPartnership(db, key.partnershipId),
    listPartners(db, key.partnershipId),
    f.service ? findService(db, key.partnershipId, f.service) : Promise.resolve(null),
    f.survey ? findSurveyForEditing(db, key.partnershipId, f.survey) : Promise.resolve(null),
  ]);
  const problems = [];
  if (f.partner && !partners.some((p) => p.id === f.partner)) problems.push({ path: 'query.partner', message: 'is not a partner of this partnership' });
  if (f.service && (!services || (partner && services.partnerId !== partner))) problems.push({ path: 'query.service', message: partner ? 'is not a service of that partner' : 'is not a service of this partnership' });
  if (f.survey && !surveys) problems.push({ path: 'query.survey', message: 'is not a survey of this partnership' });
  if (surveys && f.respondent && f.respondent !== surveys.audience) problems.push({ path: 'query.respondent', message: `does not match the survey, which asks ${surveys.audience} respondents` });
  if (problems.length) throw invalid(problems);
  const loaded = [...previous, ...buckets];
  const months = f.interval === 'week' ? exactMonths(loaded) : [];
  // Whole exact months are loaded so their suppression never depends on the range asked for.
  for (const m of months) for (const w of m.weeks) if (!loaded.includes(w)) loaded.push(w);
  const rows = await findRollups(db, key.partnershipId, f.interval, loaded);
  const cube = new SuppressedCube(rows, partnership!.suppressionRule, { exactMonths: months });

  const filter: Partial<Atom> = {
    ...(partner ? { partner } : {}),
    ...(f.service ? { service: f.service } : {}),
    ...(f.respondent ? { audience: f.respondent } : {}),
    ...(f.survey ? { survey: f.survey } : {}),
    ...(f.ageBand ? { ageBand: f.ageBand } : {}),
  };
  // A service or survey fixes its parent dimension; the cube keys need both.
  if (services) filter.partner = services.partnerId;
  if (surveys) filter.audience = surveys.audience;

  const quotes = await findQuoteCandidates(db, key.partnershipId, buckets[0]!, bucketEnd(buckets[buckets.length - 1]!, f.interval), {
    ...(partner ? { partnerId: partner } : {}),
    ...(f.service ? { serviceId: f.service } : {}),
    ...(f.survey ? { surveyId: f.survey } : {}),
    ...(f.respondent ? { audience: f.respondent } : {}),
    ...(f.ageBand ? { ageBand: f.ageBand } : {}),
  });

  return buildInsights(cube, {
    interval: f.interval,
    buckets,
    previous,
    filter,
    themes: DEFAULT_TAXONOMY.themes.map(({ id, label }) => ({ id, label })),
    rule: partnership!.suppressionRule,
    minBase: partnership!.minBase,
    quotes,
    ...(key.partnerId ? {} : { partners: partners.map(({ id, name }) => ({ id, name })) }),
  });
}

function defaultFrom(to: string, interval: Interval): string {
  const start = new Date(`${to}T00:00:00Z`);
  if (interval === 'week') return dayOf(addDays(start, -7 * (DEFAULT_BUCKETS.week - 1)));
  return dayOf(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - (DEFAULT_BUCKETS.month - 1), 1)));
}
