import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { previousBuckets } from '../../src/domain/periods';
import { findRollups, findRollupVersions } from '../../src/db/rollups';
import { publishedCubes, type RollupSource } from '../../src/domain/linked-intervals';
import { bucketReportFor, insightsFor, loadInsights, reportFor, type LoadedInsights } from '../../src/services/insights';
import { reportTag } from '../../src/services/report-cache';
import { BASE } from '../helpers';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';

/**
 * A warm isolate answers from what it remembers: cells per bucket cube, a feed entry's report per
 * pair of bucket cubes, cube sets and quote candidates per stored fingerprint. Each must give
 * exactly what a fresh isolate computes, and never outlive a change to what it was read from.
 */
let P: Awaited<ReturnType<typeof seedInsightPartnership>>;
const FILTERS = { from: '2026-01-01', to: '2026-04-30', interval: 'month' } as const;
const scope = () => ({ partnershipId: P.id, partnerId: null });

beforeAll(async () => {
  P = await seedInsightPartnership();
  const police = { partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family };
  const health = { partner: P.partners.health, service: P.services.camhs, survey: P.surveys.family };
  await addResponses(P.id, [{ ...police, day: '2026-02-03', rating: 4, themes: { timeliness: 'positive' }, text: 'They were on time.' }], 18);
  await addResponses(P.id, [{ ...health, day: '2026-03-10', rating: 2, themes: { timeliness: 'negative' }, text: 'We waited too long.' }], 14);
  await addResponses(P.id, [{ ...police, day: '2026-03-30', rating: 5 }], 4);
});

/**
 * What a warm isolate answers (asked twice, so the second is from memory), and what is computed
 * afresh: the same loaded question over cubes built from the rollups now, with nothing remembered.
 */
async function warmAndFresh(path: string) {
  const tag = (await reportTag(env.DB, scope(), `${BASE}${path}`, FILTERS))!;
  await insightsFor(env.DB, scope(), FILTERS, tag.fingerprint);
  const warm = await loadInsights(env.DB, scope(), FILTERS, tag.fingerprint);
  const warmReport = await insightsFor(env.DB, scope(), FILTERS, tag.fingerprint);
  const source: RollupSource = {
    versions: async (grain, periods) => {
      const sorted = [...periods].sort();
      return findRollupVersions(env.DB, P.id, grain, sorted[0]!, sorted[sorted.length - 1]!);
    },
    rows: (grain, periods) => findRollups(env.DB, P.id, grain, periods),
  };
  const cube = await publishedCubes(P.id, 'month', [...warm.previous, ...warm.buckets], warm.partnership.suppressionRule, source, new Map());
  const { fingerprint: _f, ...rest } = warm;
  const fresh: LoadedInsights = { ...rest, cube };
  const freshReport = await reportFor(env.DB, fresh, fresh.filter, fresh.buckets, fresh.previous, { compare: true });
  return { warm, warmReport, fresh, freshReport };
}

describe('reports from a warm isolate', () => {
  it('equal a fresh computation, before and after a response changes a month, for the report and every feed entry', async () => {
    const path = '/api/v1/feeds/insights.atom?from=2026-01-01&to=2026-04-30&interval=month';
    const seen: string[] = [];
    for (const change of [null, '2026-03-11', '2026-04-01']) {
      if (change)
        await addResponses(P.id, [{ partner: P.partners.health, survey: P.surveys.family, day: change, rating: 1, themes: { school: 'negative' } }], 6);
      const { warm, warmReport, fresh, freshReport } = await warmAndFresh(path);
      expect(warmReport).toEqual(freshReport);
      for (const bucket of fresh.buckets) {
        for (const partner of fresh.partners) {
          const filter = { ...fresh.filter, partner: partner.id };
          const entry = bucketReportFor(warm, filter, bucket);
          expect(bucketReportFor(warm, filter, bucket)).toBe(entry);
          const computed = await reportFor(env.DB, fresh, filter, [bucket], previousBuckets([bucket], 'month'), {
            compare: false,
            quotes: false,
            questions: false,
          });
          expect(entry, `${bucket} ${partner.id}`).toEqual(computed);
        }
      }
      seen.push(JSON.stringify(freshReport));
    }
    // Each change reached the report: nothing was answered from a cube or entry it made stale.
    expect(new Set(seen).size).toBe(3);
  });
});
