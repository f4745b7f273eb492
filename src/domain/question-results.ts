import type { SurveyDefinition } from '../schemas/survey-definition';
import { fftQuestion, fftScores, type FftAnswer, type FftScores } from './fft';
import { unanimityProtected, type Percent } from './insights';
import { resolveSurvey, type Answers, type ResolvedQuestion } from './survey';
import type { Cube, ShownCount } from './suppression';

/**
 * Every question that was asked, counted per answer and published through the same suppressed cube
 * as everything else.
 *
 * Intake turns a response's answers into metric names (`answerMetrics`), which the rollup fold
 * (0025, 0027) counts like any other metric:
 *
 *   q:SURVEY/QUESTION            responses that answered the question (at most the survey's responses)
 *   q:SURVEY/QUESTION:VALUE      yes | no | an option id | a rating point; these add up to the question
 *   qm:SURVEY/QUESTION:OPTION    a multiple-choice option ticked; at most the question's total
 *
 * A skipped question, one a branch did not show and "I'd rather not say" are not counted: no
 * question is required, so nothing ties a question's total to the responses except "at most", and
 * a question hidden for its own small numbers never forces the survey's responses to be hidden.
 * The survey is in the metric so a question id two surveys share never adds their counts. The
 * first rating question is left out: it is already counted as `rated` and `rating:N`, and two
 * metrics holding the same true counts could be suppressed differently and give each other away.
 * The cube knows these relations (domain/suppression.ts) and audits them like the rest.
 */

export const questionMetric = (surveyId: string, questionId: string) => `q:${surveyId}/${questionId}`;
export const answerMetric = (surveyId: string, questionId: string, value: string | number) => `${questionMetric(surveyId, questionId)}:${value}`;
export const optionMetric = (surveyId: string, questionId: string, option: string) => `qm:${surveyId}/${questionId}:${option}`;

/** The question counted as the response's rating (`rated`, `rating:N`): the first rating question. */
export const primaryRatingQuestion = (def: SurveyDefinition) => def.questions.find((q) => q.kind === 'rating');

/**
 * The metrics one response adds, from its stored answers.
 *
 * @example answerMetrics('demo-after-visit', def, { listened: 'yes' })
 *   // ['q:demo-after-visit/listened', 'q:demo-after-visit/listened:yes']
 */
export function answerMetrics(surveyId: string, def: SurveyDefinition, answers: Answers): string[] {
  const primary = primaryRatingQuestion(def);
  const out: string[] = [];
  for (const q of def.questions) {
    if (q === primary) continue;
    const value = answers[q.id];
    const given = value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
    if (!given) continue;
    out.push(questionMetric(surveyId, q.id));
    if (q.kind === 'text') continue;
    if (Array.isArray(value)) for (const option of value) out.push(optionMetric(surveyId, q.id, option));
    else out.push(answerMetric(surveyId, q.id, value));
  }
  return out;
}

export interface AnswerResult {
  /** The answer as stored: yes | no, an option id, a rating point (named so it is never mistaken for a count's `value`). */
  answer: string | number;
  label: string;
  count: ShownCount;
  /** Of those who answered the question (for multiple choice, of those who ticked anything). */
  share: Percent;
}

export interface QuestionResult {
  id: string;
  kind: ResolvedQuestion['kind'];
  multiple: boolean;
  text: string;
  /** Responses that gave an answer (ticked something, wrote something); skips and "I'd rather not say" are not counted. */
  answered: ShownCount;
  /** One per answer a respondent could give, in the survey's order; empty for free text. */
  answers: AnswerResult[];
  /** The Friends and Family Test question's NHS scores (domain/fft.ts), from the counts shown here. */
  fft?: FftScores;
}

export interface SurveyQuestionResults {
  id: string;
  title: string;
  responses: ShownCount;
  questions: QuestionResult[];
}

type Counted = ShownCount & { count: number };

/**
 * The per-question results of one survey for a cell key and buckets. Every number is a cube
 * total (hidden when any bucket is), shares are read from the numbers shown, and a line of
 * answers where only one small hidden group answered at all has its zeros hidden too.
 *
 * @param key the cube filter key, with this survey (and its respondent type) fixed
 */
export function surveyQuestionResults(
  cube: Cube,
  survey: { id: string; definition: SurveyDefinition },
  key: string,
  buckets: string[],
  minBase: number,
  lang = 'en',
): SurveyQuestionResults {
  const def = survey.definition;
  const resolved = resolveSurvey(def, def.languages.includes(lang) ? lang : 'en', def.ageBands[0]!);
  const total = (metric: string): Counted => cube.total(buckets, metric, key);
  const strip = ({ value, suppressed }: ShownCount): ShownCount => ({ value, suppressed });
  const percent = (part: ShownCount, whole: number | null): Percent => {
    if (part.suppressed || part.value === null || whole === null) return { value: null, suppressed: true };
    if (whole < minBase) return { value: null, suppressed: false };
    return { value: Math.round((part.value / whole) * 100), suppressed: false };
  };
  const primary = primaryRatingQuestion(def);
  const fft = fftQuestion(def);

  const questions = resolved.questions.map((q): QuestionResult => {
    const options = q.options ?? [];
    if (primary && q.id === primary.id) {
      const points = primary.points;
      const rated = total('rated');
      const line = unanimityProtected(options.map((o) => total(`rating:${points === 5 ? o.value : (o.value as number) * 2 - 1}`)));
      return {
        id: q.id,
        kind: q.kind,
        multiple: false,
        text: q.text,
        answered: strip(rated),
        answers: options.map((o, i) => ({
          answer: o.value,
          label: o.label,
          count: strip(line[i]!),
          share: percent(line[i]!, rated.suppressed ? null : rated.value),
        })),
      };
    }
    const answered = total(questionMetric(survey.id, q.id));
    const base = answered.suppressed ? null : answered.value;
    const counts = q.multiple
      ? // Not a line (one response may tick several), but zeros beside a small hidden group would still say what none of them chose.
        options
          .map((o) => total(optionMetric(survey.id, q.id, String(o.value))))
          .map((c) => (answered.suppressed && !c.suppressed && c.count === 0 ? { value: null, suppressed: true, count: 0 } : c))
      : unanimityProtected(options.map((o) => total(answerMetric(survey.id, q.id, o.value))));
    const result: QuestionResult = {
      id: q.id,
      kind: q.kind,
      multiple: Boolean(q.multiple),
      text: q.text,
      answered: strip(answered),
      answers: options.map((o, i) => ({ answer: o.value, label: o.label, count: strip(counts[i]!), share: percent(counts[i]!, base) })),
    };
    if (fft && q.id === fft.id) {
      const shown = Object.fromEntries(result.answers.map((a) => [a.answer, a.count])) as Record<FftAnswer, ShownCount>;
      result.fft = fftScores(shown, result.answered, minBase);
    }
    return result;
  });

  return { id: survey.id, title: resolved.title, responses: strip(total('responses')), questions };
}
