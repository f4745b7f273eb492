import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL, cellKey, SuppressedCube, type Atom, type RollupRow } from '../../src/domain/suppression';

const ATOMS: Atom[] = [
  { partner: 'la', service: 'front-door', audience: 'child', survey: 's1', ageBand: '8-12' },
  { partner: 'la', service: 'social-work', audience: 'child', survey: 's1', ageBand: '8-12' },
  { partner: 'la', service: 'social-work', audience: 'family', survey: 's2', ageBand: 'adult' },
  { partner: 'police', service: 'ppu', audience: 'child', survey: 's1', ageBand: '13-17' },
  { partner: 'police', service: '', audience: 'family', survey: 's2', ageBand: 'adult' },
  { partner: 'health', service: 'camhs', audience: 'child', survey: 's3', ageBand: '13-17' },
  { partner: 'health', service: 'camhs', audience: 'child', survey: 's1', ageBand: '8-12' },
];
const METRICS = ['responses', 'rated', 'rating:1', 'rating:5', 'theme:school', 'theme:school:negative', 'theme:school:positive'];

const rows = (period: string, counts: number[][]): RollupRow[] =>
  counts.flatMap((byMetric, i) => byMetric.map((n, m) => ({ ...ATOMS[i % ATOMS.length]!, period, metric: METRICS[m % METRICS.length]!, n })));

/** Every filter a caller can ask for, over these atoms. */
function allKeys(): string[] {
  const keys = new Set<string>();
  for (const a of ATOMS) {
    for (const [p, s] of [
      [a.partner, a.service],
      [a.partner, ALL],
      [ALL, ALL],
    ]) {
      for (const [au, sv] of [
        [a.audience, a.survey],
        [a.audience, ALL],
        [ALL, ALL],
      ]) {
        for (const b of [a.ageBand, ALL]) keys.add([p, s, au, sv, b].join('|'));
      }
    }
  }
  return [...keys];
}

/**
 * An attacker's view, built independently of the engine: every additive line (a total and its
 * parts) over filters and metrics. A line with exactly one hidden, non-zero member gives it away.
 */
function leakingLines(cube: SuppressedCube, period: string): string[] {
  const keys = allKeys();
  const leaks: string[] = [];
  const check = (cells: [string, string][], label: string) => {
    const unknown = cells.filter(([metric, key]) => cube.isHidden(period, metric, key));
    if (unknown.length === 1) leaks.push(label);
  };
  const dims = [
    {
      free: (k: string[]) => k[0] === ALL,
      expand: (k: string[]) =>
        keys.filter((c) => {
          const x = c.split('|');
          return x[0] !== ALL && x[1] === ALL && x[2] === k[2] && x[3] === k[3] && x[4] === k[4];
        }),
    },
    {
      free: (k: string[]) => k[0] !== ALL && k[1] === ALL,
      expand: (k: string[]) =>
        keys.filter((c) => {
          const x = c.split('|');
          return x[0] === k[0] && x[1] !== ALL && x[2] === k[2] && x[3] === k[3] && x[4] === k[4];
        }),
    },
    {
      free: (k: string[]) => k[2] === ALL,
      expand: (k: string[]) =>
        keys.filter((c) => {
          const x = c.split('|');
          return x[0] === k[0] && x[1] === k[1] && x[2] !== ALL && x[3] === ALL && x[4] === k[4];
        }),
    },
    {
      free: (k: string[]) => k[2] !== ALL && k[3] === ALL,
      expand: (k: string[]) =>
        keys.filter((c) => {
          const x = c.split('|');
          return x[0] === k[0] && x[1] === k[1] && x[2] === k[2] && x[3] !== ALL && x[4] === k[4];
        }),
    },
    {
      free: (k: string[]) => k[4] === ALL,
      expand: (k: string[]) =>
        keys.filter((c) => {
          const x = c.split('|');
          return x.slice(0, 4).join('|') === k.slice(0, 4).join('|') && x[4] !== ALL;
        }),
    },
  ];
  for (const metric of METRICS) {
    for (const key of keys) {
      const k = key.split('|');
      for (const dim of dims) {
        if (!dim.free(k)) continue;
        const parts = dim.expand(k).filter((c) => cube.count(period, metric, c) > 0);
        if (parts.length) check([[metric, key], ...parts.map((c) => [metric, c] as [string, string])], `${metric} ${key}`);
      }
    }
  }
  for (const key of keys) {
    check([['rated', key], ...['rating:1', 'rating:5'].filter((m) => cube.count(period, m, key) > 0).map((m) => [m, key] as [string, string])], `rated ${key}`);
    check(
      [
        ['theme:school', key],
        ...['theme:school:negative', 'theme:school:positive'].filter((m) => cube.count(period, m, key) > 0).map((m) => [m, key] as [string, string]),
      ],
      `theme ${key}`,
    );
  }
  return leaks;
}

const smallOrLarge = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 9, max: 60 }));
/** Per atom, counts that add up as real data does: rated = its rating points, a theme = its sentiments. */
const countsArb = fc.array(
  fc.tuple(smallOrLarge, smallOrLarge, smallOrLarge, smallOrLarge, smallOrLarge).map(([r1, r5, neg, pos, extra]) => {
    const rated = r1 + r5;
    const theme = neg + pos;
    return [Math.max(rated, theme) + extra, rated, r1, r5, theme, neg, pos];
  }),
  { minLength: 1, maxLength: ATOMS.length },
);

describe('SuppressedCube', () => {
  it('hides counts 1 to 5 and shows 0 and 6 upwards under the DfE rule', () => {
    const at = (i: number, n: number): RollupRow => ({ ...ATOMS[i]!, period: '2026-01-01', metric: 'responses', n });
    const cube = new SuppressedCube([at(0, 3), at(1, 12), at(2, 20), at(3, 6)], 'dfe');
    const key = (i: number) => cellKey(ATOMS[i]!);
    expect(cube.cell('2026-01-01', 'responses', key(0))).toEqual({ value: null, suppressed: true });
    expect(cube.cell('2026-01-01', 'responses', key(4))).toEqual({ value: 0, suppressed: false });
    expect(cube.cell('2026-01-01', 'responses', key(3))).toEqual({ value: 6, suppressed: false });
    expect(cube.cell('2026-01-01', 'responses', cellKey({})).value).toBe(41);
  });

  it('hides a second cell so a total cannot give a hidden one away', () => {
    // LA front door 3, LA social work 10 + 12: the LA total (25) minus one visible service would reveal 3.
    const cube = new SuppressedCube(rows('2026-01-01', [[3], [10], [12]]), 'dfe');
    const la = cellKey({ partner: 'la' });
    expect(cube.cell('2026-01-01', 'responses', la).value).toBe(25);
    const services = ['front-door', 'social-work'].map((s) => cube.isHidden('2026-01-01', 'responses', cellKey({ partner: 'la', service: s })));
    expect(services).toEqual([true, true]);
  });

  it('hides 1 to 7 and rounds the rest to 5 under the NHS rule', () => {
    const cube = new SuppressedCube(rows('2026-01-01', [[7], [8], [13], [40]]), 'nhs');
    expect(cube.cell('2026-01-01', 'responses', cellKey(ATOMS[0]!)).suppressed).toBe(true);
    expect(cube.cell('2026-01-01', 'responses', cellKey(ATOMS[3]!)).value).toBe(40);
    expect(cube.cell('2026-01-01', 'responses', cellKey({})).value).toBe(70); // 68 rounded
  });

  it('publishes a total over periods only when every period in it is published', () => {
    const cube = new SuppressedCube([...rows('2026-01-01', [[2]]), ...rows('2026-02-01', [[30]]), ...rows('2026-03-01', [[40]])], 'dfe');
    const all = cellKey({});
    expect(cube.total(['2026-01-01', '2026-02-01', '2026-03-01'], 'responses', all)).toMatchObject({ value: null, suppressed: true });
    expect(cube.total(['2026-02-01', '2026-03-01'], 'responses', all)).toMatchObject({ value: 70, suppressed: false });
  });

  it('makes the four ISO weeks of an exact month a line, so the month total cannot give a week away', () => {
    const weeks = ['2027-02-01', '2027-02-08', '2027-02-15', '2027-02-22'];
    const data = weeks.flatMap((w, i) => rows(w, [[i === 1 ? 3 : 20]]));
    const cube = new SuppressedCube(data, 'dfe', { exactMonths: [{ month: '2027-02-01', weeks }] });
    const hidden = weeks.filter((w) => cube.isHidden(w, 'responses', cellKey({})));
    expect(hidden.length).toBeGreaterThanOrEqual(2);
  });

  it('never shows a count from 1 to 5, never leaves a line with one unknown (property)', () => {
    fc.assert(
      fc.property(countsArb, (counts) => {
        const cube = new SuppressedCube(rows('2026-01-01', counts), 'dfe');
        for (const key of allKeys()) {
          for (const metric of METRICS) {
            const shown = cube.cell('2026-01-01', metric, key);
            if (!shown.suppressed) expect(shown.value === 0 || shown.value! > 5).toBe(true);
            if (shown.suppressed) expect(cube.count('2026-01-01', metric, key)).toBeGreaterThan(0);
          }
        }
        const leaks = leakingLines(cube, '2026-01-01');
        expect(leaks).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('gives the same pattern whatever order the rollup rows arrive in (property)', () => {
    fc.assert(
      fc.property(countsArb, fc.integer(), (counts, seed) => {
        const given = rows('2026-01-01', counts);
        // A seeded shuffle: SQL without ORDER BY may hand the rows over in any order.
        let state = seed | 1;
        const shuffled = [...given];
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (state * 1103515245 + 12345) | 0;
          const j = Math.abs(state) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        for (const rule of ['dfe', 'nhs'] as const) {
          const a = new SuppressedCube(given, rule);
          const b = new SuppressedCube(shuffled.reverse(), rule);
          for (const key of allKeys()) for (const metric of METRICS) expect(b.cell('2026-01-01', metric, key)).toEqual(a.cell('2026-01-01', metric, key));
        }
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('gives every bucket the same pattern whatever other buckets are asked for (property)', () => {
    fc.assert(
      fc.property(countsArb, countsArb, (jan, feb) => {
        const alone = new SuppressedCube(rows('2026-01-01', jan), 'dfe');
        const together = new SuppressedCube([...rows('2026-01-01', jan), ...rows('2026-02-01', feb)], 'dfe');
        for (const key of allKeys()) {
          for (const metric of METRICS) {
            expect(together.cell('2026-01-01', metric, key)).toEqual(alone.cell('2026-01-01', metric, key));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('leaves no hidden count recoverable by differencing overlapping ranges (property)', () => {
    const periods = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 4, maxLength: 4 }), (perMonth) => {
        const cube = new SuppressedCube(
          periods.flatMap((p, i) => rows(p, [[perMonth[i]!]])),
          'dfe',
        );
        const key = cellKey({});
        // Every published range total must be the sum of published monthly counts.
        for (let a = 0; a < periods.length; a++) {
          for (let b = a; b < periods.length; b++) {
            const range = periods.slice(a, b + 1);
            const total = cube.total(range, 'responses', key);
            if (!total.suppressed) {
              const parts = range.map((p) => cube.cell(p, 'responses', key));
              expect(parts.every((c) => !c.suppressed)).toBe(true);
              expect(total.value).toBe(parts.reduce((s, c) => s + c.value!, 0));
            }
          }
        }
      }),
    );
  });
});
