/**
 * Per-question results (issue 14, item 5): the metrics intake counts for each question, the
 * report read from the suppressed cube, and an exact attacker (HiGHS integer programs, as in
 * disclosure-attacker.test.ts) that tries to recover a hidden answer count from everything
 * published: every filter's responses, question totals and answer counts.
 */
import fc from 'fast-check';
import highsLoader from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerMetric, answerMetrics, questionMetric, surveyQuestionResults } from '../../src/domain/question-results';
import { cellKey, SuppressedCube, suppressionThreshold, type Atom, type RollupRow, type SuppressionRule } from '../../src/domain/suppression';
import type { SurveyDefinition } from '../../src/schemas/survey-definition';
import { generalisations } from './reference-cube';

const en = (text: string) => ({ en: text });
const DEF: SurveyDefinition = {
  title: en('After your visit'),
  languages: ['en'],
  ageBands: ['8-12'],
  intro: en('Hello'),
  privacy: en('Anonymous'),
  thankYou: en('Thanks'),
  whatNext: en('We read every answer'),
  questions: [
    { id: 'how', kind: 'rating', points: 3, text: en('How was it?'), labels: [en('Bad'), en('OK'), en('Good')] },
    { id: 'listened', kind: 'yes-no', text: en('Did they listen?') },
    {
      id: 'where',
      kind: 'choice',
      multiple: false,
      text: en('Where did you meet?'),
      options: [
        { id: 'home', label: en('At home') },
        { id: 'school', label: en('At school') },
      ],
    },
    {
      id: 'help',
      kind: 'choice',
      multiple: true,
      text: en('What helped?'),
      options: [
        { id: 'talk', label: en('Talking') },
        { id: 'games', label: en('Games') },
      ],
    },
    { id: 'again', kind: 'rating', points: 5, text: en('Again?'), labels: ['1', '2', '3', '4', '5'].map(en) },
    { id: 'else', kind: 'text', maxLength: 500, text: en('Anything else?') },
  ],
};

describe('answerMetrics', () => {
  it('counts every question answered once, and each answer under its value; a skip or "rather not say" not at all', () => {
    const metrics = answerMetrics('s1', DEF, { how: 3, listened: 'yes', where: null, help: ['talk', 'games'], again: 4, else: 'it was fine' });
    expect(metrics).toEqual([
      'q:s1/listened',
      'q:s1/listened:yes',
      'q:s1/help',
      'qm:s1/help:talk',
      'qm:s1/help:games',
      'q:s1/again',
      'q:s1/again:4',
      'q:s1/else',
    ]);
  });

  it('leaves out the first rating question, which is counted as rated and rating:N', () => {
    expect(answerMetrics('s1', DEF, { how: 1 }).some((m) => m.includes('/how'))).toBe(false);
  });

  it('never puts answer text in a metric', () => {
    const metrics = answerMetrics('s1', DEF, { else: 'my name is Sam' });
    expect(metrics.join(' ')).not.toContain('Sam');
    expect(metrics).toEqual(['q:s1/else']);
  });
});

const ATOM: Atom = { partner: 'la', service: 'sw', audience: 'child', survey: 's1', ageBand: '8-12' };
const KEY = cellKey({ partner: 'la', audience: 'child', survey: 's1' });

/** Rollup rows for responses to s1 at one atom, as the trigger counts them. */
function rollupsOf(answers: Record<string, unknown>[], atom: Atom = ATOM, period = '2027-03-01'): RollupRow[] {
  const counts = new Map<string, number>();
  const bump = (m: string) => counts.set(m, (counts.get(m) ?? 0) + 1);
  for (const a of answers) {
    bump('responses');
    if (typeof a.how === 'number') {
      bump('rated');
      bump(`rating:${a.how * 2 - 1}`);
    }
    for (const m of answerMetrics(atom.survey, DEF, a as never)) bump(m);
  }
  return [...counts].map(([metric, n]) => ({ ...atom, period, metric, n }));
}

describe('surveyQuestionResults', () => {
  it('reports each yes/no and choice answer per question once enough have answered', () => {
    const answers = [...Array(12).fill({ listened: 'yes', where: 'home' }), ...Array(8).fill({ listened: 'no', where: 'school' })];
    const cube = new SuppressedCube(rollupsOf(answers), 'dfe');
    const report = surveyQuestionResults(cube, { id: 's1', definition: DEF }, KEY, ['2027-03-01'], 10);
    expect(report.responses).toEqual({ value: 20, suppressed: false });
    const listened = report.questions.find((q) => q.id === 'listened')!;
    expect(listened.answers.map((a) => [a.label, a.count.value, a.share.value])).toEqual([
      ['Yes', 12, 60],
      ['No', 8, 40],
    ]);
    expect(listened.answered).toEqual({ value: 20, suppressed: false });
    const where = report.questions.find((q) => q.id === 'where')!;
    expect(where.answers.map((a) => a.count.value)).toEqual([12, 8]);
  });

  it('hides a small answer and a second number beside it, so the question total cannot give it away', () => {
    const answers = [...Array(20).fill({ listened: 'yes' }), ...Array(2).fill({ listened: 'no' })];
    const cube = new SuppressedCube(rollupsOf(answers), 'dfe');
    const listened = surveyQuestionResults(cube, { id: 's1', definition: DEF }, KEY, ['2027-03-01'], 10).questions.find((q) => q.id === 'listened')!;
    expect(listened.answers[1]!.count).toEqual({ value: null, suppressed: true });
    expect([listened.answered, listened.answers[0]!.count].filter((c) => c.suppressed).length).toBeGreaterThanOrEqual(1);
  });

  it('hides the zeros beside a small group that all answered alike', () => {
    const cube = new SuppressedCube(rollupsOf(Array(3).fill({ listened: 'no' })), 'dfe');
    const listened = surveyQuestionResults(cube, { id: 's1', definition: DEF }, KEY, ['2027-03-01'], 10).questions.find((q) => q.id === 'listened')!;
    expect(listened.answers.every((a) => a.count.suppressed)).toBe(true);
    expect(listened.answered.suppressed).toBe(true);
  });

  it('reports the first rating question from the rating counts, and free text as how many answered', () => {
    const answers = [...Array(10).fill({ how: 3, else: 'good' }), ...Array(10).fill({ how: 1 })];
    const cube = new SuppressedCube(rollupsOf(answers), 'dfe');
    const report = surveyQuestionResults(cube, { id: 's1', definition: DEF }, KEY, ['2027-03-01'], 10);
    const how = report.questions.find((q) => q.id === 'how')!;
    expect(how.answers.map((a) => [a.label, a.count.value])).toEqual([
      ['Bad', 10],
      ['OK', 0],
      ['Good', 10],
    ]);
    const text = report.questions.find((q) => q.id === 'else')!;
    expect([text.answered.value, text.answers]).toEqual([10, []]);
  });
});

/*
 * The exact attacker. Responses to s1 at six atoms (three partner/services × two age bands), each
 * answering `listened` yes / no / nothing and `where` home / school / nothing: nine kinds of
 * response per atom, one integer variable each. Survey s2 (families) has its own responses at
 * the same partners, so the partnership's responses are not s1's alone.
 */
type Highs = Awaited<ReturnType<typeof highsLoader>>;
let highs: Highs;
beforeAll(async () => {
  highs = await highsLoader();
});

const PLACES = [
  ['la', 'fd'],
  ['la', 'sw'],
  ['police', 'ppu'],
] as const;
const AGES = ['8-12', '13-17'] as const;
const ATOMS: Atom[] = PLACES.flatMap(([partner, service]) => AGES.map((ageBand) => ({ partner, service, audience: 'child', survey: 's1', ageBand })));
const FAMILY: Atom[] = PLACES.map(([partner, service]) => ({ partner, service, audience: 'family', survey: 's2', ageBand: 'adult' }));
const YES_NO = ['yes', 'no', null] as const;
const WHERE = ['home', 'school', null] as const;
const METRICS = [
  'responses',
  questionMetric('s1', 'listened'),
  ...['yes', 'no'].map((v) => answerMetric('s1', 'listened', v)),
  questionMetric('s1', 'where'),
  ...['home', 'school'].map((v) => answerMetric('s1', 'where', v)),
];

interface Planted {
  atom: number;
  listened: number;
  where: number;
}
/** n responses alike. */
const copies = (n: number, p: Planted) => Array.from({ length: n }, () => p);
/** Family responses are planted as atom -1 - partner. */
const variable = (p: Planted) => (p.atom < 0 ? `f${-1 - p.atom}` : `x${p.atom}_${p.listened}_${p.where}`);
const atomOf = (p: Planted) => (p.atom < 0 ? FAMILY[-1 - p.atom]! : ATOMS[p.atom]!);
const answersOf = (p: Planted) => (p.atom < 0 ? {} : { listened: YES_NO[p.listened]!, where: WHERE[p.where]! });
const metricsOf = (p: Planted) => (p.atom < 0 ? ['responses'] : ['responses', ...answerMetrics('s1', DEF, answersOf(p) as never)]);

/** Every cell any filter can ask for, as the sum of the planted variables under it. */
function cells(planted: Planted[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const every = [...ATOMS.map((a, i) => ({ atom: i, a })), ...FAMILY.map((a, i) => ({ atom: -1 - i, a }))];
  for (const { a } of every)
    for (const key of generalisations(a)) for (const metric of METRICS) out.set(`${metric}#${key}`, out.get(`${metric}#${key}`) ?? new Set());
  for (const p of planted) for (const key of generalisations(atomOf(p))) for (const metric of metricsOf(p)) out.get(`${metric}#${key}`)?.add(variable(p));
  return out;
}

function publish(planted: Planted[], rule: SuppressionRule) {
  const counts = new Map<string, RollupRow>();
  for (const p of planted) {
    for (const metric of metricsOf(p)) {
      const id = `${metric}#${variable(p)}`;
      const row = counts.get(id);
      if (row) row.n++;
      else counts.set(id, { ...atomOf(p), period: 'm', metric, n: 1 });
    }
  }
  return new SuppressedCube([...counts.values()], rule);
}

function attack(planted: Planted[], rule: SuppressionRule): string[] {
  const cube = publish(planted, rule);
  const threshold = suppressionThreshold(rule);
  const truth = new Map<string, number>();
  for (const p of planted) truth.set(variable(p), (truth.get(variable(p)) ?? 0) + 1);
  const rows: string[] = [];
  const zero = new Set<string>();
  const vars = new Set<string>();
  const published = [...cells(planted)].map(([id, planted]) => {
    const [metric, key] = id.split('#') as [string, string];
    const count = cube.count('m', metric, key);
    return { id, vars: [...planted], count, hidden: cube.isHidden('m', metric, key) };
  });
  // Every variable the attacker might imagine: any kind of response at any atom.
  for (let a = 0; a < ATOMS.length; a++) for (let l = 0; l < YES_NO.length; l++) for (let w = 0; w < WHERE.length; w++) vars.add(`x${a}_${l}_${w}`);
  for (let f = 0; f < FAMILY.length; f++) vars.add(`f${f}`);
  const cellsAll = cells(
    [...vars].map((v) =>
      v.startsWith('f')
        ? { atom: -1 - Number(v.slice(1)), listened: 0, where: 0 }
        : { atom: Number(v.slice(1).split('_')[0]), listened: Number(v.split('_')[1]), where: Number(v.split('_')[2]) },
    ),
  );
  for (const p of published) {
    const expr = [...cellsAll.get(p.id)!];
    p.vars = expr;
    if (p.hidden) rows.push(`${expr.join(' + ')} >= 1`);
    else if (p.count === 0) for (const v of expr) zero.add(v);
    else if (rule === 'dfe') rows.push(`${expr.join(' + ')} = ${p.count}`);
    else {
      const shown = Math.round(p.count / 5) * 5;
      rows.push(`${expr.join(' + ')} >= ${Math.max(shown - 2, threshold + 1)}`, `${expr.join(' + ')} <= ${shown + 2}`);
    }
  }
  const solveMax = (objective: string[]) => {
    const live = objective.filter((v) => !zero.has(v));
    if (live.length === 0) return 0 as const;
    const lp = [
      'Maximize',
      ` obj: ${live.join(' + ')}`,
      'Subject To',
      ...rows.map((r, i) => ` c${i}: ${r}`),
      'Bounds',
      ...[...vars].map((v) => ` 0 <= ${v} <= ${zero.has(v) ? 0 : 1000}`),
      'General',
      ` ${[...vars].join(' ')}`,
      'End',
    ].join('\n');
    // Without presolve: with it HiGHS has reported maxima as optimal that were not (tests/attacker/model.ts).
    const result = highs.solve(lp, { presolve: 'off' });
    if (result.Status !== 'Optimal') throw new Error(`the true planting must be feasible (${result.Status})`);
    return new Map(Object.entries(result.Columns).map(([name, col]) => [name, Math.round((col as { Primal: number }).Primal)]));
  };
  const evaluate = (expr: string[], x: Map<string, number>) => expr.reduce((sum, v) => sum + (x.get(v) ?? 0), 0);
  // Any solution already puts a cell above the threshold: no need to solve for it again.
  const witnesses: Map<string, number>[] = [];
  const leaks: string[] = [];
  for (const p of published) {
    if (!p.hidden || p.count < 1 || p.count > threshold) continue;
    if (witnesses.some((x) => evaluate(p.vars, x) > threshold)) continue;
    const x = solveMax(p.vars);
    if (x === 0) {
      leaks.push(`${p.id} = ${p.count}`);
      continue;
    }
    witnesses.push(x);
    if (evaluate(p.vars, x) <= threshold) leaks.push(`${p.id} = ${p.count}`);
  }
  return leaks;
}

const planted = fc.array(
  fc.oneof(
    fc.record({ atom: fc.integer({ min: 0, max: ATOMS.length - 1 }), listened: fc.integer({ min: 0, max: 2 }), where: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ atom: fc.integer({ min: -FAMILY.length, max: -1 }), listened: fc.constant(0), where: fc.constant(0) }),
  ),
  { minLength: 1, maxLength: 30 },
);
/** Large groups alike beside a few odd ones: where a subtraction (20 − 19 = 1) would give one away. */
const grouped = fc
  .array(
    fc.record({
      n: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 12, max: 25 })),
      atom: fc.integer({ min: 0, max: ATOMS.length - 1 }),
      listened: fc.integer({ min: 0, max: 2 }),
      where: fc.integer({ min: 0, max: 2 }),
    }),
    {
      minLength: 2,
      maxLength: 5,
    },
  )
  .map((groups) => groups.flatMap(({ n, ...p }) => Array.from({ length: n }, () => p)));

const RUNS = Number(process.env.ATTACKER_RUNS ?? 15);
/**
 * Seeded so CI is repeatable; `ATTACKER_SEED=random` (with a larger ATTACKER_RUNS) searches
 * afresh, and a counterexample it finds becomes a named test below.
 */
const SEED = process.env.ATTACKER_SEED === 'random' ? undefined : Number(process.env.ATTACKER_SEED ?? 14);

describe('the exact attacker on per-question results', () => {
  for (const rule of ['dfe', 'nhs'] as const) {
    it(`bounds no hidden answer count inside [1, ${suppressionThreshold(rule)}] under the ${rule} rule (property)`, () => {
      fc.assert(
        fc.property(fc.oneof(planted, grouped), (p) => {
          expect(attack(p, rule)).toEqual([]);
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
    }, 120_000);
  }

  it('keeps a question total from giving away its survey responses, hidden to protect another survey', () => {
    // 20 children and 2 families at one partner: the families' 2 is hidden, and the children's 20
    // beside it too; a question all 20 children answered counts 20 as well, and 22 − 20 = 2 would
    // follow if the attacker could tell that every child answered it.
    const p: Planted[] = [
      ...Array.from({ length: 20 }, () => ({ atom: 0, listened: 0, where: 0 })),
      { atom: -1, listened: 0, where: 0 },
      { atom: -1, listened: 0, where: 0 },
    ];
    expect(attack(p, 'dfe')).toEqual([]);
    expect(attack(p, 'nhs')).toEqual([]);
  });

  // Found by a longer seeded search (ATTACKER_RUNS=80, seed 14). la's responses form a 2 × 2 block,
  // two services × two age bands, every cell hidden and every margin shown (15 at fd, 24 aged
  // 8-12, 7 aged 13-17, 31 in all), so one unknown t (fd's 13-17) moves all four cells: 15 − t,
  // t, 9 + t, 7 − t. The answers' shown zeros put every "yes" on one diagonal and every "no" on the
  // other, and 15 of each were shown: (15 − t) + (7 − t) ≥ 15 and t + (9 + t) ≥ 15 leave t = 3, and
  // from it every hidden count. Bounds propagation reads one line at a time and cannot see t
  // counted twice; the audit's probe (probedCells in domain/protection.ts: assume a small hidden
  // count is above the threshold and propagate) meets the contradiction and hides the answers.
  // The audit's odd cycles see it too: each two of the hidden 3, 12 and 12 add up to a shown
  // count (15, 15, 24), so 3 = (15 + 15 − 24) / 2.
  it('DfE: 3 "no" at one age band beside 12 "yes" at the other and 12 "no" at the next service', () => {
    const p: Planted[] = [
      ...copies(12, { atom: 0, listened: 0, where: 0 }),
      ...copies(3, { atom: 1, listened: 1, where: 0 }),
      ...copies(12, { atom: 2, listened: 1, where: 0 }),
      ...copies(3, { atom: 3, listened: 0, where: 0 }),
      { atom: 3, listened: 2, where: 0 },
    ];
    expect(attack(p, 'dfe')).toEqual([]);
  });

  // Three more wins on the code before the probe, found by this search at ATTACKER_RUNS=1000 with
  // seeds 3 and 4 (where the probe wins nothing); the probe closes them too.
  it('NHS: 13 "yes" and one "no" at one partner beside 12 "no" and 12 "yes" at the other (seed 3)', () => {
    const p: Planted[] = [
      ...copies(12, { atom: 4, listened: 1, where: 0 }),
      { atom: 3, listened: 1, where: 0 },
      ...copies(12, { atom: 5, listened: 0, where: 0 }),
      ...copies(13, { atom: 0, listened: 0, where: 0 }),
    ];
    expect(attack(p, 'nhs')).toEqual([]);
  });

  it('DfE: 3 "yes" and one skip at one service\'s older children, 12 skips at the other\'s younger, 12 "yes" beside 3 skips at the police (seed 4)', () => {
    const p: Planted[] = [
      { atom: 3, listened: 2, where: 0 },
      ...copies(12, { atom: 0, listened: 2, where: 0 }),
      ...copies(3, { atom: 3, listened: 0, where: 0 }),
      ...copies(3, { atom: 5, listened: 2, where: 0 }),
      ...copies(12, { atom: 4, listened: 0, where: 0 }),
    ];
    expect(attack(p, 'dfe')).toEqual([]);
  });

  it('NHS: 4 "yes" and one "no" at one service\'s younger children, 4 "yes" and 14 "no" at the other\'s two age bands (seed 4)', () => {
    const p: Planted[] = [
      ...copies(4, { atom: 0, listened: 0, where: 0 }),
      { atom: 0, listened: 1, where: 0 },
      ...copies(4, { atom: 3, listened: 0, where: 0 }),
      ...copies(14, { atom: 2, listened: 1, where: 0 }),
    ];
    expect(attack(p, 'nhs')).toEqual([]);
  });

  // Found by the search with the probe in place (ATTACKER_RUNS=1000, seed 7; the code before it
  // loses it too). 29 responses, 13 of them "home": 12 at la/fd 13-17 and one at the police, and
  // la/sw's 14 with no "home" at all. Responses less "home" is 16, and 14 of that is la/sw's, so
  // la/fd's 8-12, with no "home" either, holds at most 2. The audit knew "home" ≤ the question's
  // total ≤ responses, each on its own line, but not what is left of the responses after one
  // answer as a count that adds up along the filters (questionBound in domain/suppression.ts).
  it('DfE: one at la/fd 8-12 beside 12 "home" at its 13-17, one "home" at the police and 14 at la/sw (seed 7)', () => {
    const p: Planted[] = [
      { atom: 0, listened: 0, where: 1 },
      ...copies(12, { atom: 1, listened: 0, where: 0 }),
      { atom: 1, listened: 1, where: 2 },
      { atom: 5, listened: 0, where: 0 },
      ...copies(14, { atom: 3, listened: 1, where: 1 }),
    ];
    expect(attack(p, 'dfe')).toEqual([]);
  });

  // Found by the search with the probe in place (ATTACKER_RUNS=1000, seed 5; both rules; the code
  // before the probe loses it too). 13 answered only `listened` at the police's younger band and 13
  // only `where` at its older one, one of each at two of la's atoms, and 2 at la/fd 13-17 answered
  // neither: 30 responses, 14 answered each question. The shown zeros put the two questions'
  // answers on different atoms, so those atoms hold at least 14 + 14 and the rest at most
  // 30 − 28 = 2 (NHS: at most 32 − 13 − 13 = 6). The audit's leftover cells already implied it,
  // responses − `where` being all of the responses wherever nobody answered `where`: (responses −
  // listened) + (responses − where), 16 + 16, counts la/fd 13-17 twice and every other atom at
  // least once, so 32 ≥ 30 + its responses. But that is many lines added up: propagation cannot,
  // and the probe met the contradiction only after its bounds had chased each other round a
  // cycle a few counts at a time (1,527 steps under DfE, 2,881 under NHS, more than the 1,000 it
  // may take; 6,464 and 18,569 for the same planting four times larger, below). Cells per pair of
  // questions of a survey ("answered both", at most either, and "answered neither", adding up
  // along the filters: SuppressedCube.questionPairs in domain/suppression.ts) make it one line at
  // a time, neither = 30 − 14 − 14 + both, with both 0 wherever a shown zero says so.
  it('DfE: 2 who answered nothing beside 14 who answered only one question and 14 only the other (seed 5)', () => {
    const p: Planted[] = [
      { atom: 0, listened: 2, where: 0 },
      { atom: 3, listened: 0, where: 2 },
      ...copies(13, { atom: 5, listened: 2, where: 0 }),
      ...copies(2, { atom: 1, listened: 2, where: 2 }),
      ...copies(13, { atom: 4, listened: 0, where: 2 }),
    ];
    expect(attack(p, 'dfe')).toEqual([]);
  });

  it('NHS: the same with 12 answering only `where` at the police, 29 responses shown as 30 (seed 5)', () => {
    const p: Planted[] = [
      { atom: 0, listened: 2, where: 0 },
      { atom: 3, listened: 0, where: 2 },
      ...copies(12, { atom: 5, listened: 2, where: 0 }),
      ...copies(2, { atom: 1, listened: 2, where: 2 }),
      ...copies(13, { atom: 4, listened: 0, where: 2 }),
    ];
    expect(attack(p, 'nhs')).toEqual([]);
  });

  // The same four times larger: a longer probe alone would not do, its chase grows with the counts.
  it('DfE and NHS: 2 who answered nothing beside 53 who answered only one question and 53 only the other (seed 5 × 4)', () => {
    const p: Planted[] = [
      { atom: 0, listened: 2, where: 0 },
      { atom: 3, listened: 0, where: 2 },
      ...copies(52, { atom: 5, listened: 2, where: 0 }),
      ...copies(2, { atom: 1, listened: 2, where: 2 }),
      ...copies(52, { atom: 4, listened: 0, where: 2 }),
    ];
    expect(attack(p, 'dfe')).toEqual([]);
    expect(attack(p, 'nhs')).toEqual([]);
  });

  it('keeps a lone "no" beside 19 "yes" hidden from the answers, the question total and the responses', () => {
    const p: Planted[] = [...Array.from({ length: 19 }, () => ({ atom: 0, listened: 0, where: 0 })), { atom: 0, listened: 1, where: 0 }];
    expect(attack(p, 'dfe')).toEqual([]);
    const cube = publish(p, 'dfe');
    expect(cube.isHidden('m', answerMetric('s1', 'listened', 'no'), cellKey(ATOMS[0]!))).toBe(true);
  });
});
