/**
 * The demo's December (issue 18, items 1 and 6): `npm start` sends the demo's 125 responses on one
 * day, so the whole month is one week, and on 3 December 2026 that week (30 November – 6 December)
 * is shared with November, the case where the audit links the most. Per-question counts go through
 * the same audit; they must never cost the partnership its month total, the number an admin
 * looks for first. The rollups are built from the demo's own responses (./demo-rollups.ts).
 */
import { describe, expect, it } from 'vitest';
import { generalisations } from './reference-cube';
import { DEMO_DECEMBER, demoDecemberRollups } from './demo-rollups';
import { DEMO_PARTNERS } from '../../src/demo/seed';
import { publishedCubes, type RollupSource } from '../../src/domain/linked-intervals';
import { cellKey, type SuppressionRule } from '../../src/domain/suppression';

const { WEEK, MONTH } = DEMO_DECEMBER;

async function december(rule: SuppressionRule, rows = demoDecemberRollups()) {
  const source: RollupSource = {
    async versions(grain, periods) {
      return new Map(periods.filter((p) => p === (grain === 'week' ? WEEK : MONTH)).map((p) => [p, 'v']));
    },
    async rows(grain, periods) {
      return rows.filter((r) => periods.includes(r.period) && (r.period === WEEK) === (grain === 'week'));
    },
  };
  return publishedCubes('demo', 'month', [MONTH], rule, source);
}

const total = (partner?: string) => cellKey(partner ? { partner } : {});

describe("the demo's December", () => {
  it('is the 125 responses npm start sends, 5 of them to the children’s survey', () => {
    const rows = demoDecemberRollups().filter((r) => r.period === MONTH && r.metric === 'responses');
    expect(rows.reduce((n, r) => n + r.n, 0)).toBe(125);
    expect(rows.filter((r) => r.survey === 'after-visit').reduce((n, r) => n + r.n, 0)).toBe(5);
  });

  for (const rule of ['dfe', 'nhs'] as const) {
    it(`shows the month's total and every partner's total under ${rule}, with per-question counts audited too`, async () => {
      const cube = await december(rule);
      expect(cube.cell(MONTH, 'responses', total())).toEqual({ value: 125, suppressed: false });
      for (const { id } of DEMO_PARTNERS) expect(cube.cell(MONTH, 'responses', total(id)).suppressed, id).toBe(false);
    });
  }

  it('pays for per-question counts with per-question counts: every other cell is hidden exactly as without them', async () => {
    const rows = demoDecemberRollups();
    const withQuestions = await december('dfe', rows);
    const without = await december(
      'dfe',
      rows.filter((r) => !r.metric.startsWith('q')),
    );
    const cells = new Set<string>();
    for (const r of rows) if (r.period === MONTH && !r.metric.startsWith('q')) for (const key of generalisations(r)) cells.add(`${r.metric}#${key}`);
    const differ = [...cells].filter((id) => {
      const [metric, key] = id.split('#') as [string, string];
      return withQuestions.isHidden(MONTH, metric, key) !== without.isHidden(MONTH, metric, key);
    });
    expect(cells.size).toBeGreaterThan(500);
    expect(differ).toEqual([]);
    // The children's survey has 5 responses: its question's counts stay hidden at every level.
    for (const key of generalisations(rows.find((r) => r.survey === 'after-visit')!))
      expect(withQuestions.isHidden(MONTH, 'q:after-visit/better', key), key).toBe(true);
  });
});
