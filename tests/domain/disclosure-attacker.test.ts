/**
 * The attacker of issue 18 as a test. It plants random small groups (partner, service, survey,
 * age band, rating, theme and sentiment, the answer to its survey's yes/no question, day within
 * March 2027 and the first days of April), lets
 * the suppression publish every cell every filter can ask for at both intervals (five weeks, two
 * months, linked), then bounds every hidden cell with an exact integer program (HiGHS) over the
 * planted responses, using only what is published: shown counts (exact under DfE, ± 2 under NHS),
 * hidden counts at least 1, every cell a filter could ask for that shows 0, rated ≤ responses,
 * theme ≤ responses, a question's answers ≤ responses (issue 18 item 6: per-question counts,
 * `q:SURVEY/QUESTION[:ANSWER]`, are published and audited like the rest), and each week and month
 * being the sum of its days.
 *
 * It asserts no hidden count from 1 to the threshold can be bounded inside [1, threshold] and,
 * under NHS, that no shown count can be un-rounded. The mutation tests switch each protection off
 * and expect the attacker to win.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInsights, MIN_QUOTE_BASE, type Percent } from '../../src/domain/insights';
import { answerMetric, questionMetric, surveyQuestionResults } from '../../src/domain/question-results';
import { publishedCubes, type RollupSource } from '../../src/domain/linked-intervals';
import { ALL_PROTECTIONS, type Protections } from '../../src/domain/protection';
import { ALL, type Atom, type ShownCount, type RollupRow, type SuppressionRule } from '../../src/domain/suppression';
import type { SurveyDefinition } from '../../src/schemas/survey-definition';
import { type Derived, type Highs, learn, loadHighs, model, type Published } from '../attacker/model';

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

const PARTNERS = [
  ['la', 'fd'],
  ['la', 'sw'],
  ['police', 'ppu'],
] as const;
const SURVEYS = [
  ['child', 's1'],
  ['family', 's2'],
] as const;
const AGES = ['8-12', '13-17'] as const;
const ATOMS = PARTNERS.flatMap(([partner, service]) =>
  SURVEYS.flatMap(([audience, survey]) => AGES.map((ageBand) => ({ partner, service, audience, survey, ageBand }))),
);
/** Pieces of time: the four March weeks, the March and April days of the week of 29 March. */
const PIECES = [
  { week: '2027-03-01', month: '2027-03-01' },
  { week: '2027-03-08', month: '2027-03-01' },
  { week: '2027-03-15', month: '2027-03-01' },
  { week: '2027-03-22', month: '2027-03-01' },
  { week: '2027-03-29', month: '2027-03-01' },
  { week: '2027-03-29', month: '2027-04-01' },
];
const WEEKS = ['2027-03-01', '2027-03-08', '2027-03-15', '2027-03-22', '2027-03-29'];
const MONTHS = ['2027-03-01', '2027-04-01'];
const LEAVES = ['R', 'r1', 'r2', 'r3', 'r4', 'r5', 'tp', 'tn', 'qy', 'qn'] as const;
/** Each survey asks one yes/no question: answered yes (qy), no (qn), or skipped. */
const QUESTION = 'ok';
const ANSWERS = [null, 'yes', 'no'] as const;
const METRICS: Record<string, (typeof LEAVES)[number][]> = {
  responses: ['R'],
  rated: ['r1', 'r2', 'r3', 'r4', 'r5'],
  'rating:1': ['r1'],
  'rating:2': ['r2'],
  'rating:3': ['r3'],
  'rating:4': ['r4'],
  'rating:5': ['r5'],
  'theme:a': ['tp', 'tn'],
  'theme:a:positive': ['tp'],
  'theme:a:negative': ['tn'],
  ...Object.fromEntries(
    SURVEYS.flatMap(([, survey]) => [
      [questionMetric(survey, QUESTION), ['qy', 'qn']],
      [answerMetric(survey, QUESTION, 'yes'), ['qy']],
      [answerMetric(survey, QUESTION, 'no'), ['qn']],
    ]),
  ),
};
/** The survey a per-question metric belongs to: only its atoms count under it. */
const surveyOfMetric = (metric: string) => (metric.startsWith('q:') ? metric.slice(2, metric.indexOf('/')) : undefined);
const DEFINITION: SurveyDefinition = {
  title: { en: 'Survey' },
  languages: ['en'],
  ageBands: ['8-12'],
  intro: { en: 'Hello' },
  privacy: { en: 'Anonymous' },
  thankYou: { en: 'Thanks' },
  whatNext: { en: 'We read every answer' },
  questions: [{ id: QUESTION, kind: 'yes-no', text: { en: 'Was it OK?' } }],
};

interface Planted {
  piece: number;
  atom: number;
  rating: number;
  theme: 'none' | 'positive' | 'negative';
  /** Index into ANSWERS: 0 skipped the survey's yes/no question. */
  answer: number;
}

function rollups(responses: Planted[], grain: 'week' | 'month'): RollupRow[] {
  const counts = new Map<string, RollupRow>();
  const add = (r: Planted, metric: string) => {
    const period = PIECES[r.piece]![grain];
    const key = `${period}#${metric}#${r.atom}`;
    const row = counts.get(key);
    if (row) row.n++;
    else counts.set(key, { ...ATOMS[r.atom]!, period, metric, n: 1 });
  };
  for (const r of responses) {
    add(r, 'responses');
    if (r.rating) {
      add(r, 'rated');
      add(r, `rating:${r.rating}`);
    }
    if (r.theme !== 'none') {
      add(r, 'theme:a');
      add(r, `theme:a:${r.theme}`);
    }
    const answer = ANSWERS[r.answer];
    if (answer) {
      const { survey } = ATOMS[r.atom]!;
      add(r, questionMetric(survey, QUESTION));
      add(r, answerMetric(survey, QUESTION, answer));
    }
  }
  return [...counts.values()];
}

/** Every filter key a caller can ask for over these atoms. */
const KEYS = [
  ...new Set(
    ATOMS.flatMap((a) =>
      [
        [a.partner, a.service],
        [a.partner, ALL],
        [ALL, ALL],
      ].flatMap(([p, s]) =>
        [
          [a.audience, a.survey],
          [a.audience, ALL],
          [ALL, ALL],
        ].flatMap(([au, sv]) => [a.ageBand, ALL].map((b) => [p, s, au, sv, b].join('|'))),
      ),
    ),
  ),
];
const matches = (key: string, atom: (typeof ATOMS)[number]) => {
  const k = key.split('|');
  const v = [atom.partner, atom.service, atom.audience, atom.survey, atom.ageBand];
  return k.every((x, i) => x === ALL || x === v[i]);
};

const MIN_BASE = 10;
const filterOf = (key: string): Partial<Atom> => {
  const [partner, service, audience, survey, ageBand] = key.split('|');
  const f: Partial<Atom> = {};
  if (partner !== ALL) f.partner = partner!;
  if (service !== ALL) f.service = service!;
  if (audience !== ALL) f.audience = audience!;
  if (survey !== ALL) f.survey = survey!;
  if (ageBand !== ALL) f.ageBand = ageBand!;
  return f;
};
/** The planted counts under one published number; the same for every planting, so kept. */
const termsKept = new Map<string, string>();
const termsOf = (grain: 'week' | 'month', periods: string[], metric: string, key: string) => {
  const id = `${grain} ${periods.join()} ${metric} ${key}`;
  const kept = termsKept.get(id);
  if (kept !== undefined) return kept;
  const terms: string[] = [];
  PIECES.forEach((p, pi) => {
    if (!periods.includes(p[grain])) return;
    const survey = surveyOfMetric(metric);
    ATOMS.forEach((a, ai) => {
      if (matches(key, a) && (survey === undefined || survey === a.survey)) for (const leaf of METRICS[metric]!) terms.push(`x_${pi}_${ai}_${leaf}`);
    });
  });
  termsKept.set(id, terms.join(' + '));
  return termsKept.get(id)!;
};

/**
 * Every number published for this planting: each cell of each filter, metric and bucket at both
 * intervals, and each insight report's percentages and thresholds (one bucket, and the whole range).
 * `faults` lists report numbers that are not a function of the shown cells: under the NHS rule
 * they could undo its rounding, so the runtime must never publish one.
 */
async function publish(responses: Planted[], rule: SuppressionRule, protections: Protections) {
  const source: RollupSource = {
    async versions(_grain, periods) {
      return new Map(periods.map((p) => [p, 'v']));
    },
    async rows(grain, periods) {
      return rollups(responses, grain).filter((r) => periods.includes(r.period));
    },
  };
  const cubes = {
    week: await publishedCubes('t', 'week', WEEKS, rule, source, new Map(), protections),
    month: await publishedCubes('t', 'month', MONTHS, rule, source, new Map(), protections),
  };
  const cells: Published[] = [];
  const derived: Derived[] = [];
  const faults: string[] = [];
  for (const grain of ['week', 'month'] as const) {
    const periods = grain === 'week' ? WEEKS : MONTHS;
    const cube = cubes[grain];
    for (const period of periods) {
      for (const metric of Object.keys(METRICS)) {
        for (const key of KEYS) {
          cells.push({
            id: `${grain} ${period}#${metric}#${key}`,
            expr: termsOf(grain, [period], metric, key),
            count: cube.count(period, metric, key),
            hidden: cube.isHidden(period, metric, key),
          });
        }
      }
    }
    for (const buckets of [...periods.map((p) => [p]), periods]) {
      for (const key of KEYS) {
        const id = `${grain} ${buckets.join('+')} ${key}`;
        const report = buildInsights(
          cube,
          {
            interval: grain,
            buckets,
            previous: buckets,
            filter: filterOf(key),
            themes: [{ id: 'a', label: 'a' }],
            rule,
            minBase: MIN_BASE,
            quotes: [{ themes: ['a'], text: 'q' }],
          },
          protections,
        );
        const shownSum = (metric: string): ShownCount => {
          const parts = buckets.map((b) => cube.cell(b, metric, key));
          if (parts.some((c) => c.suppressed)) return { value: null, suppressed: true };
          return { value: parts.reduce((n, c) => n + c.value!, 0), suppressed: false };
        };
        const expr = (metric: string) => termsOf(grain, buckets, metric, key);
        const check = (what: string, got: ShownCount, metric: string) => {
          const want = shownSum(metric);
          if (got.suppressed !== want.suppressed || got.value !== want.value)
            faults.push(`${id} ${what}: ${JSON.stringify(got)} is not the sum of shown ${JSON.stringify(want)}`);
        };
        const share = (what: string, got: Percent, part: string, whole: string) => {
          if (got.value === null) return;
          const [p, w] = [shownSum(part), shownSum(whole)];
          const fromShown = p.value !== null && w.value !== null && w.value >= MIN_BASE ? Math.round((p.value / w.value) * 100) : null;
          if (fromShown !== got.value) faults.push(`${id} ${what}: ${got.value}% is not ${p.value} of ${w.value} shown`);
          derived.push({ id: `${id} ${what}`, percent: { part: expr(part), whole: expr(whole), value: got.value } });
        };
        check('responses', report.totals.responses, 'responses');
        check('rated', report.totals.rated, 'rated');
        for (const r of report.ratings) share(`rating ${r.rating} share`, r.share, `rating:${r.rating}`, 'rated');
        const theme = report.themes[0]!;
        check('theme', theme.count, 'theme:a');
        share('theme share', theme.share, 'theme:a', 'responses');
        for (const s of ['positive', 'negative'] as const) if (theme.sentiment) share(`${s} share`, theme.sentiment[s], `theme:a:${s}`, 'theme:a');
        if (!theme.count.suppressed) {
          const shownTheme = shownSum('theme:a').value!;
          if ((theme.sentiment !== null) !== shownTheme >= MIN_BASE) faults.push(`${id} sentiment shown for a theme shown as ${shownTheme}`);
          if (theme.quotes.length > 0 !== shownTheme >= MIN_QUOTE_BASE) faults.push(`${id} quotes shown for a theme shown as ${shownTheme}`);
          derived.push({ id: `${id} sentiment`, atLeast: { expr: expr('theme:a'), min: MIN_BASE, met: theme.sentiment !== null } });
        }
        // The survey's per-question results: counts as the cube shows them, shares from those.
        const survey = key.split('|')[3]!;
        if (survey !== ALL) {
          const results = surveyQuestionResults(cube, { id: survey, definition: DEFINITION }, key, buckets, MIN_BASE);
          const question = results.questions[0]!;
          check('answered', question.answered, questionMetric(survey, QUESTION));
          for (const a of question.answers) {
            const metric = answerMetric(survey, QUESTION, a.answer);
            // A zero beside one small hidden answer is hidden too (unanimity), never shown otherwise.
            if (!(a.count.suppressed && shownSum(metric).value === 0)) check(`answer ${a.answer}`, a.count, metric);
            share(`answer ${a.answer} share`, a.share, metric, questionMetric(survey, QUESTION));
          }
        }
      }
    }
  }
  return { cells, derived, faults };
}

/** What the attacker knows before anything is published: each planted count, and rated, the theme and the question's answers at most the responses. */
function structure() {
  const rows: string[] = [];
  const vars: string[] = [];
  PIECES.forEach((_, pi) => {
    ATOMS.forEach((_, ai) => {
      const v = (leaf: string) => `x_${pi}_${ai}_${leaf}`;
      for (const leaf of LEAVES) vars.push(v(leaf));
      rows.push(`${v('r1')} + ${v('r2')} + ${v('r3')} + ${v('r4')} + ${v('r5')} - ${v('R')} <= 0`);
      rows.push(`${v('tp')} + ${v('tn')} - ${v('R')} <= 0`);
      rows.push(`${v('qy')} + ${v('qn')} - ${v('R')} <= 0`);
    });
  });
  return { rows, vars };
}

/** What the exact attacker learns: hidden small counts bounded inside [1, threshold], and NHS counts un-rounded. */
async function attack(responses: Planted[], rule: SuppressionRule, protections: Protections) {
  const { cells: published, derived, faults } = await publish(responses, rule, protections);
  const m = model(structure(), published, derived, rule, !protections.percentFromShown);
  const { bounded, unrounded, small } = learn(highs, m, published, rule);
  return { bounded, unrounded, faults, small, hidden: published.filter((p) => p.hidden).length, cells: published.length };
}

/** `n` responses at one piece of time and one atom, rated in turn from `ratings` (0: not rated), answering in turn from `answers` (0: skipped). */
const group = (n: number, piece: number, atom: number, ratings: number[] = [0], theme: Planted['theme'] = 'none', answers: number[] = [0]): Planted[] =>
  Array.from({ length: n }, (_, i) => ({ piece, atom, rating: ratings[i % ratings.length]!, theme, answer: answers[i % answers.length]! }));
const atomOf = (partner: number, survey: number, age: number) => partner * 4 + survey * 2 + age;

const response = fc.record({
  piece: fc.integer({ min: 0, max: PIECES.length - 1 }),
  atom: fc.integer({ min: 0, max: ATOMS.length - 1 }),
  rating: fc.integer({ min: 0, max: 5 }),
  theme: fc.constantFrom('none' as const, 'positive' as const, 'negative' as const),
  answer: fc.constant<number>(0),
});
/**
 * Random plantings of two kinds: scattered small groups, and a few large groups (15–40 alike)
 * beside small ones, where one protection alone is what stops a subtraction (31 − 30 = 1).
 */
const planting = fc
  .record({
    responses: fc.oneof(
      fc.array(response, { minLength: 1, maxLength: 40 }),
      fc
        .array(
          fc.record({
            n: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 15, max: 40 })),
            first: response,
            ratings: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
          }),
          { minLength: 2, maxLength: 5 },
        )
        .map((groups) => groups.flatMap(({ n, first, ratings }) => group(n, first.piece, first.atom, ratings, first.theme))),
    ),
    // Drawn after the responses, so the seeded search plants the same responses as before
    // per-question answers were planted: each answers in turn from a short pattern ([1]: everyone
    // said yes, so the question's total is the responses, as in the demo).
    answers: fc.array(fc.integer({ min: 0, max: ANSWERS.length - 1 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ responses, answers }) => ({ responses: responses.map((r, i) => ({ ...r, answer: answers[i % answers.length]! })) }));

/**
 * Plantings of a few clustered groups, each alike in partner, service, survey, age band, day and
 * theme: small (1–7), middling (8–16, around the NHS threshold) and large (15–45). A search with
 * these found the NHS and per-question plantings the scattered ones never did (the named tests
 * with a seed from "a search of clustered plantings").
 */
const clustered = fc
  .record({
    groups: fc.array(
      fc.record({
        n: fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 8, max: 16 }), fc.integer({ min: 15, max: 45 })),
        first: response,
        ratings: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 2, maxLength: 6 },
    ),
    answers: fc.array(fc.integer({ min: 0, max: ANSWERS.length - 1 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ groups, answers }) => ({
    responses: groups
      .flatMap(({ n, first, ratings }) => group(n, first.piece, first.atom, ratings, first.theme))
      .map((r, i) => ({ ...r, answer: answers[i % answers.length]! })),
  }));

const RUNS = Number(process.env.ATTACKER_RUNS ?? 200);
const CLUSTERED_RUNS = Number(process.env.ATTACKER_CLUSTERED_RUNS ?? 100);
/**
 * The search is seeded so CI is repeatable: a failure there is a failure on every machine, never
 * luck. `ATTACKER_SEED=random` (with a larger ATTACKER_RUNS) searches afresh; a counterexample it
 * finds becomes a named test below.
 */
const SEED = process.env.ATTACKER_SEED === 'random' ? undefined : Number(process.env.ATTACKER_SEED ?? 20271203);

/**
 * Plantings where one protection is what matters, each from the issue where it gives one. Each
 * names the rules under which switching its protection off lets the attacker win.
 */
const CASES: { protection: string; off: Partial<Protections>; rules: SuppressionRule[]; responses: Planted[] }[] = [
  {
    // Ratings 2 and 3 hidden with 3 each beside 20 shown "1"s of 26 rated: 2 + 3 = 6, and each
    // is at least 1, so each is at most 5. Without the floor of 1 the audit sees [0, 6].
    protection: 'lower bounds of 1',
    off: { lowerBounds: false },
    rules: ['dfe'],
    responses: [...group(20, 0, atomOf(0, 0, 0), [1]), ...group(3, 0, atomOf(0, 0, 0), [2]), ...group(3, 0, atomOf(0, 0, 0), [3])],
  },
  {
    // The health example: all surveys 31, family survey's responses hidden but its rated
    // shown as 30, so the other survey has 31 − 30 = 1 (NHS: at most 32 − 28 = 4).
    protection: 'rated and theme ≤ responses',
    off: { crossMeasure: false },
    rules: ['dfe', 'nhs'],
    responses: [...group(30, 0, atomOf(0, 1, 0), [3, 4, 5]), ...group(1, 0, atomOf(0, 0, 0))],
  },
  {
    // Weeks against months: March shows 36, its first week 34, the other weeks 0 or hidden:
    // 36 − 34 = 2 (NHS: 37 − 33 = 4).
    protection: 'weeks linked with months',
    off: { intervalLinking: false },
    rules: ['dfe', 'nhs'],
    responses: [...group(34, 0, atomOf(0, 0, 0)), ...group(2, 1, atomOf(0, 0, 0))],
  },
  {
    // NHS: rating 1 is 12 of 30 rated, shown as 10 of 30; a 40 % from true counts can only be 12/30.
    protection: 'percentages from shown numbers',
    off: { percentFromShown: false },
    rules: ['nhs'],
    responses: [...group(12, 0, atomOf(0, 0, 0), [1]), ...group(18, 0, atomOf(0, 0, 0), [2])],
  },
  {
    // No audit at all (main's engine before issue 18): the health example again.
    protection: 'the audit',
    off: { audit: false },
    rules: ['dfe', 'nhs'],
    responses: [...group(30, 0, atomOf(0, 1, 0), [3, 4, 5]), ...group(1, 0, atomOf(0, 0, 0))],
  },
];

describe('the exact attacker (issue 18)', { timeout: 120_000 }, () => {
  /** The attacker learns nothing, and every report number comes from shown cells, under both rules, over `runs` plantings. */
  const learnsNothing = (plantings: fc.Arbitrary<{ responses: Planted[] }>, runs: number) =>
    fc.assert(
      fc.asyncProperty(plantings, async ({ responses }) => {
        for (const rule of ['dfe', 'nhs'] as const) {
          const { bounded, unrounded, faults } = await attack(responses, rule, ALL_PROTECTIONS);
          expect({ rule, faults, bounded, unrounded }).toEqual({ rule, faults: [], bounded: [], unrounded: [] });
        }
      }),
      { numRuns: runs, ...(SEED === undefined ? {} : { seed: SEED }) },
    );

  it(
    'bounds no hidden small count inside [1, threshold], and every report number comes from shown cells, under both rules (property)',
    () => learnsNothing(planting, RUNS),
    600_000,
  );

  it('learns nothing from clustered groups either, under both rules (property)', () => learnsNothing(clustered, CLUSTERED_RUNS), 600_000);

  it('DfE: a month less its shown weeks cannot pin a hidden cell through the days it shares with the next month', async () => {
    // Found by the random property in CI (seed -1859906054): March shows 18 and its whole weeks
    // 0, 0, 0 and 16, so 29–31 March hold 2; the week of 29 March shows 0 for every filter but
    // one, which pinned that filter's hidden March count to 2.
    const responses = [...group(2, 4, atomOf(0, 0, 0)), ...group(15, 3, atomOf(2, 0, 0)), ...group(1, 3, atomOf(0, 0, 1)), ...group(4, 5, atomOf(0, 0, 0))];
    const { bounded, unrounded, faults } = await attack(responses, 'dfe', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  it('DfE: a theme count beside hidden responses cannot pin a hidden count', async () => {
    // Found by the random search (seed -1887292317).
    const responses = [
      ...group(2, 0, atomOf(0, 1, 0), [0], 'negative'),
      ...group(1, 0, atomOf(0, 0, 0)),
      ...group(15, 1, atomOf(0, 0, 0)),
      ...group(5, 0, atomOf(0, 0, 1), [0], 'positive'),
    ];
    const { bounded, unrounded, faults } = await attack(responses, 'dfe', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  it('DfE: rated beside unrated in one week, against the month (found by the random search, seed 462519895)', async () => {
    const responses = [...group(33, 0, atomOf(0, 0, 0), [1]), ...group(15, 3, atomOf(0, 0, 1), [1]), ...group(3, 3, atomOf(0, 0, 0))];
    const { bounded, unrounded, faults } = await attack(responses, 'dfe', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Found by the random search in CI (seed -1685732828), when months were audited without their weeks.
  it('NHS: a quiet week beside a busy month cannot be un-rounded', async () => {
    const week = (piece: number, atom: number, rating: number, n: number) =>
      Array.from({ length: n }, () => ({ piece, atom, rating, theme: 'none' as const, answer: 0 }));
    const responses = [
      ...week(0, 0, 1, 18),
      ...Array.from({ length: 28 }, (_, i) => ({ piece: 0, atom: 1, rating: i % 2, theme: 'none' as const, answer: 0 })),
      ...week(1, 4, 1, 1),
      ...week(1, 3, 1, 15),
    ];
    const { unrounded } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect(unrounded).toEqual([]);
  });

  it("the demo's shape: a question all 30 families answered cannot give away the children's 5, and costs no total", async () => {
    // One partner: 30 families at one service, every one answering the question (so its 30 is a
    // floor under their hidden responses), and 5 children at the other; another partner 30
    // families. 35 − 30 = 5 once hid the partner's total and the partnership's.
    const responses = [
      ...group(30, 0, atomOf(0, 1, 1), [3, 4, 5], 'none', [1, 1, 2]),
      ...group(5, 0, atomOf(1, 0, 0), [2], 'negative', [0]),
      ...group(30, 0, atomOf(2, 1, 1), [4, 5], 'positive', [1, 2]),
    ];
    for (const rule of ['dfe', 'nhs'] as const) {
      const { bounded, unrounded, faults } = await attack(responses, rule, ALL_PROTECTIONS);
      expect({ rule, bounded, unrounded, faults }).toEqual({ rule, bounded: [], unrounded: [], faults: [] });
      const { cells } = await publish(responses, rule, ALL_PROTECTIONS);
      const shown = (id: string) => cells.find((c) => c.id === id)?.hidden === false;
      expect(shown(`month 2027-03-01#responses#*|*|*|*|*`), rule).toBe(true);
      expect(shown(`month 2027-03-01#responses#la|*|*|*|*`), rule).toBe(true);
    }
  });

  // Once a known gap: the attacker's own solver was wrong. HiGHS with presolve called 4 the most
  // the week's negative theme could be, and so "bounded inside [1, 7]"; without presolve (and
  // by hand: the week's 13-17 group rated at least 8 + 1, so at most 17 − 9 = 8 for 8-12) it is 8.
  it('NHS: one negative theme beside fifteen positive in a week, the others a week before (seed -435699274)', async () => {
    const responses = [
      ...group(15, 0, atomOf(0, 0, 0)),
      ...group(1, 2, atomOf(0, 0, 0), [1], 'negative'),
      ...group(15, 2, atomOf(0, 0, 1), [2, 3], 'positive'),
    ];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Once a known gap. March rated for the partner is 68 to 72 (shown 70) and its week of 15 March
  // 28 to 32 (shown 30), so its week of 1 March holds at least 36: three rating points each shown
  // 10 (8 to 12) could only be 12 each. The month audit saw its weeks only as sums per cell; it now
  // holds each week inside the month cell for cell, with the week's lines.
  it('NHS: three ratings of 12 in one week and 31 in another, against the month (seed 655758444)', async () => {
    const responses = [...group(31, 2, atomOf(0, 0, 0), [2]), ...group(36, 0, atomOf(0, 0, 1), [1, 2, 3]), ...group(1, 2, atomOf(1, 1, 1), [1])];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Found by the random search (seed -1540224527). The week of 29 March shows 35 (33 to 37) and
  // April, its days in April, 30 (28 to 32), so at least 1 of it fell in March; March shows 25
  // (at most 27), so its first week, rated by at least 13 + 13 of two rating points each shown 15,
  // held exactly 26. The month audit now bounds a shared week's other days by the next month.
  it('NHS: a week shared with April, against April, cannot un-round the first week of March (seed -1540224527)', async () => {
    const responses = [...group(26, 0, atomOf(1, 0, 1), [1, 2]), ...group(1, 4, atomOf(1, 0, 1)), ...group(32, 5, atomOf(1, 0, 1))];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Found by a search of clustered plantings (seed 714379626). March's theme, at least 53, less the
  // March days of the week of 29 March (at most its 22 less April's 8) left at least 39 for the
  // first week's other group, so at most 47 − 39 = 8 responses, and at most 7 of a hidden rating
  // point, for this one. The month audit now bounds a shared week's other days from below too.
  it('NHS: a week shared with April, against April, cannot bound a hidden rating in the first week of March (seed 714379626)', async () => {
    const responses = [
      ...group(2, 0, atomOf(0, 0, 0), [1]),
      ...group(1, 0, atomOf(0, 0, 0), [2]),
      ...group(41, 0, atomOf(1, 0, 0), [0], 'positive'),
      ...group(14, 4, atomOf(1, 0, 0), [0], 'positive'),
      ...group(8, 5, atomOf(0, 0, 0)),
    ];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Once a known gap: closed when the month audit began holding each week inside it cell for cell.
  it('NHS: 21 families rated "1" in one week and 16 rated "2" beside 15 unrated in the next (found by the seeded search with answers drawn inside each response)', async () => {
    // No per-question answers in it: the two weeks' rated and rating counts are un-rounded
    // through the month.
    const responses = [
      ...group(26, 1, atomOf(0, 0, 0), [1]),
      ...group(21, 0, atomOf(0, 1, 0), [1]),
      ...group(15, 0, atomOf(0, 0, 0)),
      ...group(31, 1, atomOf(0, 1, 0), [2, 0]),
    ];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Once a known gap, but the attacker's win was HiGHS's presolve (a maximum reported optimal that
  // was not): a second program without presolve finds the count can be above 7.
  it('NHS: 4 children beside 15 families in one week, everyone answering their yes/no question (seed 1685028686)', async () => {
    const responses = [...group(4, 4, atomOf(0, 0, 0), [1], 'positive', [1]), ...group(15, 4, atomOf(0, 1, 0), [2, 1], 'negative', [1])];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Found by a search of clustered plantings (seed -1906144410), when the month audit knew a week
  // shared with April only cell by cell: March's partner total (at most 27) less the shared week's
  // family survey (at least 8) left at most 19 for its other group, and the week's own lines (33
  // at least, 14 at most in April) at least 19: exactly 19. The month now holds a cell for
  // everything its shared weeks count, and the audit follows its lines through their April days.
  it('NHS: a week shared with April cannot be un-rounded between March and its own lines (seed -1906144410)', async () => {
    const responses = [...group(19, 4, atomOf(0, 0, 0)), ...group(8, 4, atomOf(1, 1, 1)), ...group(14, 5, atomOf(0, 0, 1))];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Found by a search of clustered plantings (seed -371308623): every count shown, and the police
  // count of the week of 15 March (15) un-rounded by adding two lines, which propagation never
  // does. Four counts a (la/fd 13-17, 1 March), b (la/fd 8-12), c (la/sw family), d (police), each
  // published only two or three at a time: the month's child 13-17s a + d (shown 45), la/fd a + b
  // (50) and the week's child survey b + d (30) give 2d <= 47 + 32 - 48 = 31; the month's children
  // a + b + d (65), the week's 13-17s c + d (25) and the month's la a + b + c (55) give 2d >= 63 +
  // 23 - 57 = 29: each line alone leaves d its ± 2, but d is whole, so 15. Closed
  // by the audit's odd cycles (domain/protection.ts): three counts summed two at a time bound each.
  it('NHS: four groups of responses in two March weeks cannot un-round the police count (seed -371308623)', async () => {
    const responses = [...group(31, 0, atomOf(0, 0, 1)), ...group(17, 2, atomOf(0, 0, 0)), ...group(8, 2, atomOf(1, 1, 1)), ...group(15, 2, atomOf(2, 0, 1))];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // Found by a search of clustered plantings (2–6 groups of 1–7, 8–16 or 15–45 alike; seed
  // 1029583079). March shows 36 responses as 35 (33 to 37) and 28 negative mentions of the theme
  // as 30 (28 to 32); the week of 15 March shows 0 negative, so the weeks of 1 and 8 March hold at
  // least 28 responses and the week of 15 March at most 37 − 28 = 9, of which its 7 rated (two
  // hidden rating points, at least 1 each) leave at most 7 for its other age band: the hidden 1.
  // The audit tied a theme to responses only through the theme's total (its leftover cell,
  // responses − theme); the chain needs a sentiment's own leftover (responses − negative) adding
  // up along the lines, which bounds propagation cannot put together from the two lines. Closed by
  // giving each sentiment that leftover, audited second (domain/suppression.ts, relations): the
  // same cells shown on the bench's data.
  it("NHS: a week's responses cannot be bounded by March's total less its negative theme mentions (seed 1029583079)", async () => {
    const responses = [
      ...group(1, 2, atomOf(0, 0, 0)),
      ...group(7, 2, atomOf(0, 0, 1), [1, 2], 'positive'),
      ...group(16, 0, atomOf(0, 1, 1), [0], 'negative'),
      ...group(12, 1, atomOf(0, 0, 0), [0], 'negative'),
    ];
    const { bounded, unrounded, faults } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  // KNOWN GAP (issue 18 stays open), found by the clustered property with a random seed
  // (-1509652857) on 3 December 2026. Every family answered the question. March's question total
  // (19) less the week of 15 March's (16) leaves 3 answers on 29–31 March, and la's March (8) less
  // its week of 15 March (8) puts none of them at la, so the police's answers in the week of 29
  // March (hidden, April shows none for the police) are exactly 3. The month audit reads the
  // shared week's days as unpublished sums and never checks the shared week's own cells against
  // the month (auditWithWeeks: "nothing audits a shared week against both its months at once").
  it.fails("DfE: a week shared with April cannot give away the police's 3 answers through March less its other weeks (known gap, seed -1509652857)", async () => {
    const responses = [
      ...group(8, 2, atomOf(2, 1, 0), [0], 'none', [1]),
      ...group(4, 5, atomOf(0, 1, 0), [0], 'none', [1]),
      ...group(3, 4, atomOf(2, 1, 0), [2, 1, 2], 'none', [1]),
      ...group(8, 2, atomOf(0, 1, 0), [0], 'none', [1]),
    ];
    const { bounded, unrounded, faults } = await attack(responses, 'dfe', ALL_PROTECTIONS);
    expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
  });

  it('publishes a total over four NHS weeks shown 10 each as 40, so it cannot pin each to 12', async () => {
    const responses = [0, 1, 2, 3].flatMap((piece) => group(12, piece, atomOf(0, 0, 0)));
    const { faults, unrounded } = await attack(responses, 'nhs', ALL_PROTECTIONS);
    expect({ faults, unrounded }).toEqual({ faults: [], unrounded: [] });
  });

  // The suite can fail: each planting beats the attacker with every protection on, and the
  // attacker wins it once that one protection is switched off.
  for (const { protection, off, rules, responses } of CASES) {
    for (const rule of ['dfe', 'nhs'] as const) {
      it(`loses the ${protection} planting under ${rule} with every protection on`, async () => {
        const { bounded, unrounded, faults } = await attack(responses, rule, ALL_PROTECTIONS);
        expect({ bounded, unrounded, faults }).toEqual({ bounded: [], unrounded: [], faults: [] });
      });
    }
    for (const rule of rules) {
      it(`wins when ${protection} is switched off, under ${rule} (mutation)`, async () => {
        const { bounded, unrounded } = await attack(responses, rule, { ...ALL_PROTECTIONS, ...off });
        expect([...bounded, ...unrounded]).not.toEqual([]);
      });
    }
  }
});
