/**
 * The NHS Friends and Family Test (issue 14, items 3 and 5): the six answers, the NHS "% positive"
 * and "% negative" read from the numbers shown, and the monthly-return CSV layout.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { familyRating } from '../../src/demo/surveys';
import { csvLines } from '../../src/domain/csv';
import { FFT_ANSWERS, FFT_CSV_HEADER, fftQuestion, fftReturnRows, fftScores, type FftAnswer } from '../../src/domain/fft';
import { answerMetrics, surveyQuestionResults } from '../../src/domain/question-results';
import { cellKey, SuppressedCube, type Atom, type RollupRow, type SuppressionRule } from '../../src/domain/suppression';
import { definitionProblems, type SurveyDefinition } from '../../src/schemas/survey-definition';
import type { ShownCount } from '../../src/domain/suppression';

const shown = (value: number): ShownCount => ({ value, suppressed: false });
const hidden: ShownCount = { value: null, suppressed: true };
const counts = (values: Record<FftAnswer, ShownCount>) => values;

describe('fftScores', () => {
  it('divides very good + good by every answer, "Don’t know" included, as NHS England does', () => {
    const c = counts({
      'very-good': shown(50),
      good: shown(20),
      neither: shown(10),
      poor: shown(5),
      'very-poor': shown(5),
      'dont-know': shown(10),
    });
    // 70 of 100, not 70 of the 90 who gave a view.
    expect(fftScores(c, shown(100), 10)).toEqual({ positive: { value: 70, suppressed: false }, negative: { value: 10, suppressed: false } });
  });

  it('hides a percentage when one of its parts is hidden, and keeps the other', () => {
    const c = counts({ 'very-good': shown(30), good: hidden, neither: hidden, poor: shown(0), 'very-poor': shown(0), 'dont-know': shown(0) });
    expect(fftScores(c, shown(40), 10)).toEqual({ positive: { value: null, suppressed: true }, negative: { value: 0, suppressed: false } });
  });

  it('hides both when the base is hidden, and gives none (not hidden) under the minimum base', () => {
    const c = counts({ 'very-good': shown(0), good: shown(0), neither: shown(0), poor: shown(0), 'very-poor': shown(0), 'dont-know': shown(0) });
    expect(fftScores(c, hidden, 10).positive).toEqual({ value: null, suppressed: true });
    expect(fftScores({ ...c, 'very-good': shown(8) }, shown(8), 10).positive).toEqual({ value: null, suppressed: false });
  });

  it('never passes 100 % when separately rounded parts add up to more than the rounded base', () => {
    const c = counts({ 'very-good': shown(15), good: shown(15), neither: shown(0), poor: shown(0), 'very-poor': shown(0), 'dont-know': shown(0) });
    expect(fftScores(c, shown(25), 10).positive.value).toBe(100);
  });
});

describe('the FFT question in a survey definition', () => {
  it('the demo family survey asks it with the six standard answers, valid', () => {
    const q = fftQuestion(familyRating)!;
    expect(q.kind === 'choice' && q.options.map((o) => [o.id, o.label.en])).toEqual([
      ['very-good', 'Very good'],
      ['good', 'Good'],
      ['neither', 'Neither good nor poor'],
      ['poor', 'Poor'],
      ['very-poor', 'Very poor'],
      ['dont-know', 'Don’t know'],
    ]);
    expect(definitionProblems(familyRating)).toEqual([]);
  });

  it('refuses an FFT question without the six answers, or taking several', () => {
    const q = fftQuestion(familyRating)!;
    if (q.kind !== 'choice') throw new Error('not a choice');
    const broken: SurveyDefinition = { ...familyRating, questions: [{ ...q, multiple: true, options: q.options.slice(0, 5) }] };
    expect(definitionProblems(broken).map((p) => p.path)).toEqual(['questions.0.multiple', 'questions.0.options']);
  });
});

/** Rollups of FFT answers at one atom in one month, as the trigger counts them. */
const ATOM: Atom = { partner: 'health', service: 'camhs', audience: 'family', survey: 'fam', ageBand: 'adult' };
function cubeOf(tally: Partial<Record<FftAnswer, number>>, rule: SuppressionRule) {
  const n = new Map<string, number>();
  for (const [answer, times] of Object.entries(tally)) {
    for (let i = 0; i < times; i++) {
      for (const m of ['responses', ...answerMetrics('fam', familyRating, { overall: answer })]) n.set(m, (n.get(m) ?? 0) + 1);
    }
  }
  const rows: RollupRow[] = [...n].map(([metric, count]) => ({ ...ATOM, period: '2027-03-01', metric, n: count }));
  return new SuppressedCube(rows, rule);
}
const resultOf = (tally: Partial<Record<FftAnswer, number>>, rule: SuppressionRule) =>
  surveyQuestionResults(
    cubeOf(tally, rule),
    { id: 'fam', definition: familyRating },
    cellKey({ partner: 'health', audience: 'family', survey: 'fam' }),
    ['2027-03-01'],
    10,
  ).questions[0]!;

describe('per-question results for the FFT question', () => {
  it('reports each of the six answers and the NHS scores', () => {
    const q = resultOf({ 'very-good': 20, good: 10, neither: 6, poor: 6, 'very-poor': 6, 'dont-know': 12 }, 'dfe');
    expect(q.answers.map((a) => a.count.value)).toEqual([20, 10, 6, 6, 6, 12]);
    expect(q.fft).toEqual({ positive: { value: 50, suppressed: false }, negative: { value: 20, suppressed: false } });
  });

  it('computes % positive from the rounded NHS counts shown, never the true ones', () => {
    // True: 13 + 13 of 61 = 42.6 %. Shown under NHS: 15 + 15 of 60 = 50 %.
    const q = resultOf({ 'very-good': 13, good: 13, neither: 10, poor: 10, 'very-poor': 10, 'dont-know': 5 }, 'nhs');
    expect(q.answered).toEqual({ value: 60, suppressed: false });
    expect(q.answers.slice(0, 2).map((a) => a.count.value)).toEqual([15, 15]);
    expect(q.fft!.positive).toEqual({ value: 50, suppressed: false });
  });

  it('hides % positive when "good" is hidden', () => {
    const q = resultOf({ 'very-good': 30, good: 2, neither: 10, poor: 10, 'very-poor': 10, 'dont-know': 10 }, 'dfe');
    expect(q.answers[1]!.count.suppressed).toBe(true);
    expect(q.fft!.positive).toEqual({ value: null, suppressed: true });
  });
});

describe('fftReturnRows', () => {
  it('lays out one line per month, partner, service and survey in the NHS return’s order, with "c" and "z"', () => {
    const answers = FFT_ANSWERS.map((answer, i) => ({ answer, count: i === 4 ? hidden : shown(i === 5 ? 0 : 10) }));
    const base = { period: { start: '2027-03-01', end: '2027-03-31' }, survey: { id: 'fam', title: 'Your experience' } };
    const rows = fftReturnRows([
      {
        ...base,
        partner: { id: 'health', name: '=Health' },
        service: { id: 'camhs', name: 'CAMHS' },
        result: { answered: shown(50), answers, fft: fftScores(Object.fromEntries(answers.map((a) => [a.answer, a.count])), shown(50), 10) },
      },
      {
        ...base,
        partner: null,
        service: null,
        result: { answered: shown(5), answers, fft: { positive: { value: null, suppressed: false }, negative: { value: null, suppressed: true } } },
      },
    ]);
    const records = parse(csvLines([FFT_CSV_HEADER, ...rows]), { columns: true }) as Record<string, string>[];
    expect(records[0]).toEqual({
      period_start: '2027-03-01',
      period_end: '2027-03-31',
      partner_id: 'health',
      partner: "'=Health",
      service_id: 'camhs',
      service: 'CAMHS',
      survey_id: 'fam',
      survey: 'Your experience',
      responses: '50',
      very_good: '10',
      good: '10',
      neither_good_nor_poor: '10',
      poor: '10',
      very_poor: 'c',
      dont_know: '0',
      positive_pct: '40',
      negative_pct: 'c',
    });
    expect([records[1]!.partner, records[1]!.service, records[1]!.positive_pct, records[1]!.negative_pct]).toEqual(['All partners', 'All services', 'z', 'c']);
  });
});
