import { FFT_ANSWERS, type FftAnswer } from '../schemas/common';
import type { SurveyDefinition } from '../schemas/survey-definition';
import type { CsvCell } from './csv';
import { csvCount, csvPct } from './feeds';
import type { Percent } from './insights';
import type { ShownCount } from './suppression';

/**
 * The NHS Friends and Family Test (FFT): "Overall, how was your experience of our service?" with
 * six answers, Very good … Very poor and Don't know. In a survey it is a single-choice question
 * marked `fft: true` whose options are exactly FFT_ANSWERS (schemas/survey-definition.ts checks),
 * so it is collected, counted and suppressed like any choice question (domain/question-results.ts)
 * and reported twice more: the NHS headline scores and the monthly-return CSV below.
 */

export { FFT_ANSWERS, type FftAnswer };

/** The FFT question of a survey, if it has one. */
export const fftQuestion = (def: SurveyDefinition) => def.questions.find((q) => q.kind === 'choice' && q.fft === true);

export interface FftScores {
  /** (Very good + Good) ÷ every answer to the question, Don't know included, as NHS England publishes it. */
  positive: Percent;
  /** (Poor + Very poor) ÷ the same base. */
  negative: Percent;
}

const POSITIVE: FftAnswer[] = ['very-good', 'good'];
const NEGATIVE: FftAnswer[] = ['poor', 'very-poor'];

/**
 * The headline scores, the NHS way: the base is every response to the question including "Don't
 * know". Read from the numbers shown, never the true ones (as domain/insights.ts does): under the
 * NHS rule a percentage of true counts would undo the rounding. A part or base that is hidden
 * hides the percentage; a shown base under `minBase` gives none (not hidden, just too few). The
 * shown parts are rounded separately from the shown base, so a sum can pass it: capped at 100.
 *
 * @example fftScores({ 'very-good': shown(20), good: shown(10), poor: shown(0), 'very-poor': shown(0) }, shown(40), 10)
 *   // { positive: { value: 75, suppressed: false }, negative: { value: 0, suppressed: false } }
 */
export function fftScores(counts: Partial<Record<FftAnswer, ShownCount>>, answered: ShownCount, minBase: number): FftScores {
  const score = (ids: FftAnswer[]): Percent => {
    const parts = ids.map((id) => counts[id]);
    if (answered.suppressed || answered.value === null || parts.some((p) => !p || p.suppressed || p.value === null)) return { value: null, suppressed: true };
    if (answered.value < minBase || answered.value === 0) return { value: null, suppressed: false };
    const sum = parts.reduce((total, p) => total + p!.value!, 0);
    return { value: Math.min(100, Math.round((sum / answered.value) * 100)), suppressed: false };
  };
  return { positive: score(POSITIVE), negative: score(NEGATIVE) };
}

export const FFT_CSV_HEADER = [
  'period_start',
  'period_end',
  'partner_id',
  'partner',
  'service_id',
  'service',
  'survey_id',
  'survey',
  'responses',
  'very_good',
  'good',
  'neither_good_nor_poor',
  'poor',
  'very_poor',
  'dont_know',
  'positive_pct',
  'negative_pct',
];

/** One line of the monthly return: a month, an organisation (or all of them) and service (or all), one survey's FFT question. */
export interface FftReturnLine {
  period: { start: string; end: string };
  /** `null` for the whole partnership. */
  partner: { id: string; name: string } | null;
  /** `null` for every service of the partner. */
  service: { id: string; name: string } | null;
  survey: { id: string; title: string };
  /** The FFT question's per-question result: how many answered, each answer's shown count, the scores. */
  result: { answered: ShownCount; answers: { answer: string | number; count: ShownCount }[]; fft?: FftScores };
}

/**
 * The FFT monthly return as CSV records, one per line given, in NHS England's column order
 * (responses, Very good … Very poor, Don't know, % positive, % negative). "c" marks a suppressed
 * number and "z" a percentage whose base is under the minimum, as in the insights CSV.
 */
export function fftReturnRows(lines: FftReturnLine[]): CsvCell[][] {
  return lines.map(({ period, partner, service, survey, result }) => {
    const count = (id: FftAnswer) => {
      const found = result.answers.find((a) => a.answer === id);
      return found ? csvCount(found.count) : 'c';
    };
    return [
      period.start,
      period.end,
      partner?.id ?? '',
      partner?.name ?? 'All partners',
      service?.id ?? '',
      service?.name ?? 'All services',
      survey.id,
      survey.title,
      csvCount(result.answered),
      ...FFT_ANSWERS.map(count),
      csvPct(result.fft?.positive ?? { value: null, suppressed: true }),
      csvPct(result.fft?.negative ?? { value: null, suppressed: true }),
    ];
  });
}
