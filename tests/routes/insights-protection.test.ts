import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InsightReport } from '../../src/domain/insights';
import { api } from '../helpers';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';

let P: Awaited<ReturnType<typeof seedInsightPartnership>>;

beforeAll(async () => {
  P = await seedInsightPartnership();
  await env.DB.prepare("UPDATE partnerships SET suppression_rule = 'nhs' WHERE id = ?1").bind(P.id).run();
  const at = { partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family, day: '2026-02-10' };
  // 30 rated: 12 rated 5 (shown as 10) and 18 rated 4 (shown as 20), each with a theme.
  await addResponses(P.id, [{ ...at, rating: 5, themes: { timeliness: 'positive' } }], 12);
  await addResponses(P.id, [{ ...at, rating: 4, themes: { timeliness: 'negative' } }], 18);
});

describe('GET /api/v1/insights under the NHS rule', () => {
  it('works every percentage out from the rounded numbers it shows, so a percentage cannot undo the rounding', async () => {
    const res = await api('/api/v1/insights?from=2026-02-01&to=2026-02-28', { key: P.keys.admin });
    expect(res.status).toBe(200);
    const report = (await res.json()) as InsightReport;
    const rated = report.totals.rated.value as number;
    expect(rated).toBe(30);
    const byRating = Object.fromEntries(report.ratings.map((r) => [r.rating, r]));
    // Shown 10 and 20 of 30: 33 % and 67 %, not the true 40 % and 60 % that would give 12 and 18 away.
    expect(byRating[5]?.count.value).toBe(10);
    expect(byRating[5]?.share.value).toBe(33);
    expect(byRating[4]?.count.value).toBe(20);
    expect(byRating[4]?.share.value).toBe(67);
    for (const r of report.ratings) {
      if (r.share.value !== null) expect(r.share.value).toBe(Math.round(((r.count.value as number) / rated) * 100));
    }
    const responses = report.totals.responses.value as number;
    for (const t of report.themes) {
      if (t.share.value !== null) expect(t.share.value).toBe(Math.round(((t.count.value as number) / responses) * 100));
    }
  });
});

describe('GET /api/v1/insights: a small group that all gave one answer', () => {
  it('shows none of the ratings, so the zeros do not tell how each of them rated', async () => {
    const Q = await seedInsightPartnership();
    const at = { partner: Q.partners.health, service: Q.services.camhs, survey: Q.surveys.family, day: '2026-02-10' };
    await addResponses(Q.id, [{ ...at, rating: 1 }], 3);
    await addResponses(Q.id, [{ ...at, partner: Q.partners.police, service: Q.services.ppu, rating: null }], 20);
    const res = await api(`/api/v1/insights?from=2026-02-01&to=2026-02-28&partner=${Q.partners.health}`, { key: Q.keys.admin });
    expect(res.status).toBe(200);
    const report = (await res.json()) as InsightReport;
    expect(report.totals.rated.suppressed).toBe(true);
    expect(report.ratings.map((r) => r.count)).toEqual(Array.from({ length: 5 }, () => ({ value: null, suppressed: true })));
  });
});
