import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeTone, distinctQuotes, withheldNotice } from '../../src/domain/insight-notes';
import { buildInsights, type InsightReport } from '../../src/domain/insights';
import { publishedCubes, type RollupSource } from '../../src/domain/linked-intervals';
import type { Atom, Cube, RollupRow, SuppressionRule } from '../../src/domain/suppression';

/*
 * The "why no numbers yet" notice must never give a hidden count away. Responses are planted in a
 * small partnership (two partners, March and the first days of April 2027, weeks and months linked
 * as in production), then every group whose count is hidden is replaced by a different random
 * group: same published numbers, different hidden ones. Wherever the two reports publish the same
 * numbers, their notices must be word for word the same.
 */

const ATOMS: Atom[] = [
  { partner: 'la', service: 'sw', audience: 'child', survey: 's1', ageBand: '8-12' },
  { partner: 'la', service: 'fd', audience: 'family', survey: 's2', ageBand: 'adult' },
  { partner: 'police', service: 'ppu', audience: 'family', survey: 's2', ageBand: 'adult' },
];
/** Pieces of time: a week and the month it falls in (the week of 29 March spans two months). */
const PIECES = [
  { week: '2027-03-01', month: '2027-03-01' },
  { week: '2027-03-15', month: '2027-03-01' },
  { week: '2027-03-29', month: '2027-03-01' },
  { week: '2027-03-29', month: '2027-04-01' },
];
const WEEKS = ['2027-03-01', '2027-03-08', '2027-03-15', '2027-03-22', '2027-03-29'];
const MONTHS = ['2027-03-01', '2027-04-01'];

interface Planted {
  rating: number;
  theme: 'none' | 'positive' | 'negative';
}
/** Responses per piece of time and atom. */
type Planting = Planted[][][];

const response = fc.record({ rating: fc.integer({ min: 0, max: 5 }), theme: fc.constantFrom('none' as const, 'positive' as const, 'negative' as const) });
const group = fc.oneof(fc.constant<Planted[]>([]), fc.array(response, { minLength: 1, maxLength: 5 }), fc.array(response, { minLength: 6, maxLength: 14 }));
const planting: fc.Arbitrary<Planting> = fc.array(fc.array(group, { minLength: ATOMS.length, maxLength: ATOMS.length }), {
  minLength: PIECES.length,
  maxLength: PIECES.length,
});

function rollups(p: Planting, grain: 'week' | 'month'): RollupRow[] {
  const counts = new Map<string, RollupRow>();
  const add = (piece: number, atom: number, metric: string) => {
    const period = PIECES[piece]![grain];
    const id = `${period}#${metric}#${atom}`;
    const row = counts.get(id);
    if (row) row.n++;
    else counts.set(id, { ...ATOMS[atom]!, period, metric, n: 1 });
  };
  p.forEach((atoms, piece) => {
    atoms.forEach((responses, atom) => {
      for (const r of responses) {
        add(piece, atom, 'responses');
        if (r.rating) {
          add(piece, atom, 'rated');
          add(piece, atom, `rating:${r.rating}`);
        }
        if (r.theme !== 'none') {
          add(piece, atom, 'theme:a');
          add(piece, atom, `theme:a:${r.theme}`);
        }
      }
    });
  });
  return [...counts.values()];
}

async function cubes(p: Planting, rule: SuppressionRule) {
  const source: RollupSource = {
    async versions(_grain, periods) {
      return new Map(periods.map((period) => [period, 'v']));
    },
    async rows(grain, periods) {
      return rollups(p, grain).filter((r) => periods.includes(r.period));
    },
  };
  return {
    week: await publishedCubes('t', 'week', WEEKS, rule, source, new Map()),
    month: await publishedCubes('t', 'month', MONTHS, rule, source, new Map()),
  };
}

const FILTERS: Partial<Atom>[] = [{}, { partner: 'la' }, { partner: 'police' }, { partner: 'la', service: 'sw' }, { audience: 'family', survey: 's2' }];

/** Every report a caller could ask for: each filter, each bucket and the whole range, at both intervals. */
function reports(c: { week: Cube; month: Cube }, rule: SuppressionRule): InsightReport[] {
  const out: InsightReport[] = [];
  for (const [interval, buckets] of [
    ['week', WEEKS],
    ['month', MONTHS],
  ] as const) {
    for (const range of [...buckets.map((b) => [b]), buckets]) {
      for (const filter of FILTERS) {
        out.push(
          buildInsights(c[interval], {
            interval,
            buckets: range,
            previous: range,
            filter,
            themes: [{ id: 'a', label: 'A theme' }],
            rule,
            minBase: 10,
            quotes: [],
          }),
        );
      }
    }
  }
  return out;
}

/** Everything a report publishes except the notice itself. */
const published = (r: InsightReport) => JSON.stringify({ ...r, withheld: undefined });

describe('withheldNotice', () => {
  it('says the same words for any hidden count: plantings that differ only in hidden counts get identical notices (property)', async () => {
    let compared = 0;
    let hiddenNotices = 0;
    await fc.assert(
      fc.asyncProperty(planting, planting, fc.constantFrom<SuppressionRule>('dfe', 'nhs'), async (a, replacements, rule) => {
        const cubesA = await cubes(a, rule);
        // B: every group whose responses are hidden in its week (so hidden in every report) gets other responses.
        const b = a.map((atoms, piece) =>
          atoms.map((responses, atom) => {
            const key = [ATOMS[atom]!.partner, ATOMS[atom]!.service, ATOMS[atom]!.audience, ATOMS[atom]!.survey, ATOMS[atom]!.ageBand].join('|');
            return cubesA.week.isHidden(PIECES[piece]!.week, 'responses', key) ? replacements[piece]![atom]! : responses;
          }),
        );
        if (JSON.stringify(b) === JSON.stringify(a)) return;
        const [ra, rb] = [reports(cubesA, rule), reports(await cubes(b, rule), rule)];
        ra.forEach((reportA, i) => {
          const reportB = rb[i]!;
          if (published(reportA) !== published(reportB)) return;
          compared++;
          if (reportA.withheld?.reason === 'hidden') hiddenNotices++;
          expect(reportB.withheld).toEqual(reportA.withheld);
        });
      }),
      { numRuns: 60 },
    );
    // Not vacuous: many reports with the same published numbers over different plantings were compared, many of them hidden.
    expect(compared).toBeGreaterThan(500);
    expect(hiddenNotices).toBeGreaterThan(100);
  }, 60_000);

  it('tells a brand-new partnership how many responses it needs, as no response has arrived', () => {
    const notice = withheldNotice({
      rule: 'dfe',
      threshold: 5,
      interval: 'month',
      total: { value: 0, suppressed: false },
      series: [{ label: 'March 2027', responses: { value: 0, suppressed: false } }],
    });
    expect(notice).toMatchObject({ reason: 'no-responses', moreNeeded: 6, hiddenPeriods: [] });
    expect(notice!.message).toContain('at least 6 more are needed');
  });

  it('gives no number to go when the total is hidden, and names the hidden periods already shown as c', () => {
    const hidden = { value: null, suppressed: true };
    const notice = withheldNotice({
      rule: 'nhs',
      threshold: 7,
      interval: 'month',
      total: hidden,
      series: [
        { label: 'February 2027', responses: { value: 20, suppressed: false } },
        { label: 'March 2027', responses: hidden },
      ],
    });
    expect(notice).toMatchObject({ reason: 'hidden', moreNeeded: null, hiddenPeriods: ['March 2027'] });
    expect(notice!.message).toContain('at least 8 responses (NHS rule: counts from 1 to 7 are hidden and others rounded to the nearest 5');
    expect(notice!.message).toContain('hidden now: March 2027');
  });

  it('says nothing when the total shows', () => {
    expect(withheldNotice({ rule: 'dfe', threshold: 5, interval: 'week', total: { value: 12, suppressed: false }, series: [] })).toBeNull();
  });
});

describe('changeTone', () => {
  const sentiment = (positive: number | null, negative: number | null) => ({ positive: { value: positive }, negative: { value: negative } });

  it('colours a rise in a mostly positive theme as good news and in a mostly negative one as bad', () => {
    expect(changeTone(4, sentiment(70, 10))).toBe('good');
    expect(changeTone(4, sentiment(10, 70))).toBe('bad');
  });

  it('colours a fall the other way: fewer complaints is good news, less praise is not', () => {
    expect(changeTone(-4, sentiment(10, 70))).toBe('good');
    expect(changeTone(-4, sentiment(70, 10))).toBe('bad');
  });

  it('stays neutral without a shown sentiment, with an even one, or without a change', () => {
    expect(changeTone(4, null)).toBe('neutral');
    expect(changeTone(4, sentiment(null, null))).toBe('neutral');
    expect(changeTone(4, sentiment(40, 40))).toBe('neutral');
    expect(changeTone(0, sentiment(70, 10))).toBe('neutral');
    expect(changeTone(null, sentiment(70, 10))).toBe('neutral');
  });
});

describe('distinctQuotes', () => {
  it('shows the same words once, whatever their case, spacing or end punctuation, keeping the newest first', () => {
    expect(distinctQuotes(['They listened to me.', 'they  listened to me', 'School was good', 'THEY LISTENED TO ME!', 'I felt safe', 'More'], 3)).toEqual([
      'They listened to me.',
      'School was good',
      'I felt safe',
    ]);
  });

  it('skips quotes that are only punctuation or space', () => {
    expect(distinctQuotes(['…', '  ', 'ok'], 3)).toEqual(['ok']);
  });
});
