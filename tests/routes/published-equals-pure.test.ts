import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { findRollups, findRollupVersions } from '../../src/db/rollups';
import type { InsightReport } from '../../src/domain/insights';
import { publishedCubes, type RollupSource } from '../../src/domain/linked-intervals';
import { bucketsBetween } from '../../src/domain/periods';
import { cellKey, type Cube, type SuppressionRule } from '../../src/domain/suppression';
import { api } from '../helpers';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';

/**
 * The routes publish exactly what the pure computation gives (domain/linked-intervals.ts on the
 * same rollups), so the domain attacker (tests/domain/disclosure-attacker.test.ts) covers what the
 * API, the CSV and the feeds show. Responses are stored as intake stores them (the rollup trigger
 * runs); intake itself can only stamp today's date.
 */
let P: Awaited<ReturnType<typeof seedInsightPartnership>>;

beforeAll(async () => {
  P = await seedInsightPartnership();
  const police = { partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family };
  const health = { partner: P.partners.health, service: P.services.camhs, survey: P.surveys.family };
  // The shapes: a large group rated beside one response; weeks against months (36 − 34 = 2).
  await addResponses(P.id, [{ ...police, day: '2026-03-03', rating: 4, themes: { timeliness: 'positive' } }], 18);
  await addResponses(P.id, [{ ...police, day: '2026-03-03', rating: 2, themes: { timeliness: 'negative' } }], 12);
  await addResponses(P.id, [{ ...health, day: '2026-03-10', rating: null }], 1);
  await addResponses(P.id, [{ ...police, service: P.services.custody, day: '2026-03-04', rating: 5 }], 34);
  await addResponses(P.id, [{ ...police, service: P.services.custody, day: '2026-03-11', rating: 5 }], 2);
  await addResponses(P.id, [{ ...health, day: '2026-03-24', rating: 3 }], 9);
});

async function pure(grain: 'week' | 'month', buckets: string[], rule: SuppressionRule): Promise<Cube> {
  const source: RollupSource = {
    async versions(g, ps) {
      if (ps.length === 0) return new Map();
      const sorted = [...ps].sort();
      return findRollupVersions(env.DB, P.id, g, sorted[0]!, sorted[sorted.length - 1]!);
    },
    rows: (g, ps) => findRollups(env.DB, P.id, g, ps),
  };
  return publishedCubes(P.id, grain, buckets, rule, source);
}

const plain = (c: { value: number | null; suppressed: boolean }) => ({ value: c.value, suppressed: c.suppressed });

describe('published insights equal the pure publishedCubes output', () => {
  for (const rule of ['dfe', 'nhs'] as const) {
    for (const interval of ['week', 'month'] as const) {
      it(`JSON and CSV at ${interval} under ${rule}`, async () => {
        await env.DB.prepare('UPDATE partnerships SET suppression_rule = ?2 WHERE id = ?1').bind(P.id, rule).run();
        const filters: Record<string, string>[] = [
          {},
          { partner: P.partners.police },
          { partner: P.partners.health },
          { service: P.services.ppu },
          { respondent: 'family' },
        ];
        let compared = 0;
        for (const f of filters) {
          const q = new URLSearchParams({ from: '2026-03-01', to: '2026-03-31', interval, ...f });
          const res = await api(`/api/v1/insights?${q}`, { key: P.keys.admin });
          expect(res.status).toBe(200);
          const report = (await res.json()) as InsightReport;
          const buckets = report.period.buckets.map((b) => b.start);
          const cube = await pure(interval, buckets, rule);
          const key = cellKey({ partner: f.partner, service: f.service, audience: f.respondent });
          const partner = f.service ? P.partners.police : f.partner;
          const k = cellKey({ partner, service: f.service, audience: f.respondent });
          expect(key === k || f.service !== undefined).toBe(true);
          expect(plain(report.totals.responses)).toEqual(plain(cube.total(buckets, 'responses', k)));
          expect(plain(report.totals.rated)).toEqual(plain(cube.total(buckets, 'rated', k)));
          for (const s of report.series) expect(plain(s.responses)).toEqual(cube.cell(s.period, 'responses', k));
          for (const r of report.ratings) if (!r.count.suppressed) expect(r.count.value).toBe(cube.total(buckets, `rating:${r.rating}`, k).value);
          for (const t of report.themes) {
            expect(plain(t.count)).toEqual(plain(cube.total(buckets, `theme:${t.id}`, k)));
            for (const p of t.trend) expect(plain(p.count)).toEqual(cube.cell(p.period, `theme:${t.id}`, k));
          }
          compared += report.series.length;
        }
        expect(compared).toBeGreaterThan(0);

        // The CSV: each period's responses row per partner, and the partnership's.
        const csv = await api(`/api/v1/insights.csv?from=2026-03-01&to=2026-03-31&interval=${interval}`, { key: P.keys.admin });
        expect(csv.status).toBe(200);
        const lines = (await csv.text()).trim().split(/\r?\n/).slice(1);
        let rows = 0;
        for (const line of lines) {
          const [start, end, partnerId, , measure, , , count] = line.split(',');
          if (measure !== 'responses') continue;
          // A row is one range (the whole export, or a period): the total over its buckets.
          const buckets = bucketsBetween(start!, end!, interval);
          const cube = await pure(interval, buckets, rule);
          const shown = cube.total(buckets, 'responses', cellKey({ partner: partnerId || undefined }));
          expect(`${line} ${count}`).toBe(`${line} ${shown.suppressed ? 'c' : String(shown.value)}`);
          rows++;
        }
        expect(rows).toBeGreaterThan(0);
      });
    }
  }
});
