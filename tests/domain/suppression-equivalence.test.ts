import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_PROTECTIONS } from '../../src/domain/protection';
import { CubeSet, SuppressedCube, type RollupRow } from '../../src/domain/suppression';

// The reference is the one-unknown-per-line rule alone; the audit on top is tested in disclosure-attacker.test.ts.
const BASE = { protections: { ...ALL_PROTECTIONS, audit: false } };
import { ReferenceCube } from './reference-cube';

// Values chosen to stress the tie-break order: prefixes of each other, characters sorting before
// and after the old separators ('#', '*', '|'), empty strings, upper case and non-ASCII.
const PARTNERS = ['la', 'l', 'la-x', 'la x', 'LA', '', 'pólice', 'a!', 'z~'];
const SERVICES = ['', 's', 's1', 's 1', 'S', 's~', 'é'];
const AUDIENCES = ['child', 'family', 'c', 'child!'];
const SURVEYS = ['v', 'v1', 'v-1', 'V', ''];
const AGES = ['', '8-12', '13-17', '8', 'adult', '8 12'];
const METRICS = [
  'responses',
  'rated',
  'rating:1',
  'rating:2',
  'rating:5',
  'theme:a',
  'theme:a:negative',
  'theme:a:positive',
  'theme:ab:mixed',
  'theme:a b',
  'theme:a b:neutral',
  'sentiment:x',
];
const WEEKS = ['2027-02-01', '2027-02-08', '2027-02-15', '2027-02-22'];
const PERIODS = [...WEEKS, '2027-03-01', '2026-12-28'];

const pick = <T>(values: T[]) => fc.subarray(values, { minLength: 1, maxLength: 3 });

/** Rows over a few values per dimension, so lines are dense and ties between candidates common. */
const data = fc
  .record({
    periods: fc.subarray(PERIODS, { minLength: 1 }),
    partners: pick(PARTNERS),
    services: pick(SERVICES),
    audiences: pick(AUDIENCES),
    surveys: pick(SURVEYS),
    ages: pick(AGES),
    metrics: fc.subarray(METRICS, { minLength: 1, maxLength: 6 }),
  })
  .chain((pool) =>
    fc.record({
      rows: fc.array(
        fc.record({
          period: fc.constantFrom(...pool.periods),
          partner: fc.constantFrom(...pool.partners),
          service: fc.constantFrom(...pool.services),
          audience: fc.constantFrom(...pool.audiences),
          survey: fc.constantFrom(...pool.surveys),
          ageBand: fc.constantFrom(...pool.ages),
          metric: fc.constantFrom(...pool.metrics),
          n: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 9, max: 30 })),
        }) satisfies fc.Arbitrary<RollupRow>,
        { maxLength: 150 },
      ),
      rule: fc.constantFrom('dfe' as const, 'nhs' as const),
      exact: fc.boolean(),
    }),
  );

describe('SuppressedCube matches the reference implementation', () => {
  it('hides exactly the same cells and counts the same on random data (property)', () => {
    fc.assert(
      fc.property(data, ({ rows, rule, exact }) => {
        const options = exact ? { exactMonths: [{ month: WEEKS[0]!, weeks: WEEKS }] } : {};
        const reference = new ReferenceCube(rows, rule, options);
        const cube = new SuppressedCube(rows, rule, { ...options, ...BASE });
        let hidden = 0;
        for (const id of reference.values.keys()) {
          const [period, metric, key] = id.split('#') as [string, string, string];
          expect(cube.count(period, metric, key)).toBe(reference.count(period, metric, key));
          expect([id, cube.isHidden(period, metric, key)]).toEqual([id, reference.hidden.has(id)]);
          if (cube.isHidden(period, metric, key)) hidden++;
        }
        expect(hidden).toBe(reference.hidden.size);
        for (const metric of [...METRICS, 'theme:none']) {
          for (const key of ['*|*|*|*|*', 'la|*|*|*|*', 'la|s|child|v|8-12', 'nobody|*|*|*|*', 'bad']) {
            expect(cube.total(PERIODS, metric, key)).toEqual(reference.total(PERIODS, metric, key));
            expect(cube.cell(PERIODS[0]!, metric, key)).toEqual(reference.cell(PERIODS[0]!, metric, key));
          }
        }
      }),
      { numRuns: 400 },
    );
  }, 120_000);

  it('gives the same pattern built bucket by bucket and read as one (property)', () => {
    fc.assert(
      fc.property(data, ({ rows, rule }) => {
        const options = { exactMonths: [{ month: WEEKS[0]!, weeks: WEEKS }] };
        const reference = new ReferenceCube(rows, rule, options);
        const groups = [WEEKS, ...PERIODS.filter((p) => !WEEKS.includes(p)).map((p) => [p])];
        const byPeriod = new Map<string, SuppressedCube>();
        for (const periods of groups) {
          const cube = new SuppressedCube(
            rows.filter((r) => periods.includes(r.period)),
            rule,
            periods === WEEKS ? { ...options, ...BASE } : BASE,
          );
          for (const p of periods) byPeriod.set(p, cube);
        }
        const set = new CubeSet(rule, byPeriod);
        for (const id of reference.values.keys()) {
          const [period, metric, key] = id.split('#') as [string, string, string];
          expect([id, set.isHidden(period, metric, key)]).toEqual([id, reference.hidden.has(id)]);
          expect(set.cell(period, metric, key)).toEqual(reference.cell(period, metric, key));
          expect(set.total(PERIODS, metric, key)).toEqual(reference.total(PERIODS, metric, key));
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
