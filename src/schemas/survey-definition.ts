import * as v from 'valibot';
import { AGE_BANDS, AgeBandSchema, FFT_ANSWERS, LanguageSchema, type AgeBand } from './common';

/**
 * The declarative survey definition: what a partner writes and what every renderer
 * (form page, chat, API) reads. Wording is per language (en required) and optionally per age band.
 */

const Words = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(1000));
/** `{ en: "...", cy: "..." }`: every language the survey lists must be present (checked below). */
export const LocalisedTextSchema = v.pipe(
  v.record(LanguageSchema, Words),
  v.check((t) => typeof t.en === 'string', 'must include English (en)'),
);
export type LocalisedText = v.InferOutput<typeof LocalisedTextSchema>;

const QuestionId = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be 1-40 characters of a-z, 0-9 and hyphens'));
const OptionId = QuestionId;

/** Show a question only when an earlier answer matches. */
export const ShowIfSchema = v.union([
  v.strictObject({ question: QuestionId, equals: v.union([v.string(), v.number()]) }),
  v.strictObject({ question: QuestionId, anyOf: v.pipe(v.array(v.union([v.string(), v.number()])), v.minLength(1)) }),
  v.strictObject({ question: QuestionId, atMost: v.number() }),
  v.strictObject({ question: QuestionId, atLeast: v.number() }),
]);
export type ShowIf = v.InferOutput<typeof ShowIfSchema>;

const QuestionBase = {
  id: QuestionId,
  text: LocalisedTextSchema,
  /** Wording for particular age bands, used instead of `text` when the respondent's band matches. */
  textByAge: v.optional(v.record(AgeBandSchema, LocalisedTextSchema)),
  hint: v.optional(LocalisedTextSchema),
  showIf: v.optional(ShowIfSchema),
};

export const RatingQuestionSchema = v.strictObject({
  ...QuestionBase,
  kind: v.literal('rating'),
  points: v.picklist([3, 5], 'must be 3 or 5'),
  /** One label per point, worst first; faces are never shown without these words. */
  labels: v.array(LocalisedTextSchema),
});

export const ChoiceQuestionSchema = v.strictObject({
  ...QuestionBase,
  kind: v.literal('choice'),
  multiple: v.optional(v.boolean(), false),
  /**
   * The NHS Friends and Family Test question: its options are the six standard answers
   * (domain/fft.ts), and it is reported with the NHS "% positive" and the FFT monthly return.
   */
  fft: v.optional(v.boolean()),
  options: v.pipe(v.array(v.strictObject({ id: OptionId, label: LocalisedTextSchema })), v.minLength(2, 'must offer at least 2 options'), v.maxLength(20)),
});

export const TextQuestionSchema = v.strictObject({
  ...QuestionBase,
  kind: v.literal('text'),
  maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2000, 'must be at most 2000')), 1000),
});

/**
 * A yes/no question's answer words in one language. Welsh has no single "yes": the answer echoes
 * the question's verb (*Wnaeth…?* → *Do / Naddo*; *Fyddech chi…?* → *Byddwn / Na fyddwn*;
 * *Wyt ti…?* → *Ydw / Nac ydw*), so the author sets them per question.
 */
export const YesNoLabelsSchema = v.strictObject({ yes: Words, no: Words });

export const YesNoQuestionSchema = v.strictObject({
  ...QuestionBase,
  kind: v.literal('yes-no'),
  /**
   * `{ cy: { yes: 'Do', no: 'Naddo' } }`: the answer words per language. A language left out gets
   * the default, which fits any question: Yes / No, and in Welsh Ie / Na.
   */
  labels: v.optional(v.record(LanguageSchema, YesNoLabelsSchema)),
});

export const QuestionSchema = v.variant('kind', [RatingQuestionSchema, ChoiceQuestionSchema, TextQuestionSchema, YesNoQuestionSchema]);
export type Question = v.InferOutput<typeof QuestionSchema>;
export type RatingQuestion = v.InferOutput<typeof RatingQuestionSchema>;
export type ChoiceQuestion = v.InferOutput<typeof ChoiceQuestionSchema>;

const DefinitionShape = v.strictObject({
  title: LocalisedTextSchema,
  languages: v.pipe(
    v.array(LanguageSchema),
    v.minLength(1),
    v.check((l) => l.includes('en'), 'must include en'),
    v.check((l) => new Set(l).size === l.length, 'must not repeat a language'),
  ),
  ageBands: v.pipe(
    v.array(AgeBandSchema),
    v.minLength(1),
    v.check((b) => new Set(b).size === b.length, 'must not repeat an age band'),
  ),
  intro: LocalisedTextSchema,
  privacy: LocalisedTextSchema,
  thankYou: LocalisedTextSchema,
  whatNext: LocalisedTextSchema,
  questions: v.pipe(v.array(QuestionSchema), v.minLength(1, 'must have at least one question'), v.maxLength(50)),
});

export type SurveyDefinition = v.InferOutput<typeof DefinitionShape>;

/** Cross-field rules valibot's shape can't express: translations, branch references, option ids. */
export function definitionProblems(def: SurveyDefinition): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const needLanguages = (text: LocalisedText | undefined, path: string) => {
    if (!text) return;
    for (const lang of def.languages) {
      if (!text[lang]) problems.push({ path: `${path}.${lang}`, message: `missing ${lang} translation` });
    }
    for (const lang of Object.keys(text)) {
      if (!def.languages.includes(lang)) problems.push({ path: `${path}.${lang}`, message: `${lang} is not one of the survey's languages` });
    }
  };
  for (const key of ['title', 'intro', 'privacy', 'thankYou', 'whatNext'] as const) needLanguages(def[key], key);

  const seen = new Map<string, Question>();
  def.questions.forEach((q, i) => {
    const at = `questions.${i}`;
    if (seen.has(q.id)) problems.push({ path: `${at}.id`, message: `repeats question id ${q.id}` });
    needLanguages(q.text, `${at}.text`);
    needLanguages(q.hint, `${at}.hint`);
    for (const [band, text] of Object.entries(q.textByAge ?? {})) {
      if (!def.ageBands.includes(band as AgeBand)) problems.push({ path: `${at}.textByAge.${band}`, message: `${band} is not one of the survey's age bands` });
      needLanguages(text, `${at}.textByAge.${band}`);
    }
    if (q.kind === 'rating') {
      if (q.labels.length !== q.points) problems.push({ path: `${at}.labels`, message: `must have exactly ${q.points} labels` });
      for (const [j, label] of q.labels.entries()) needLanguages(label, `${at}.labels.${j}`);
    }
    if (q.kind === 'yes-no') {
      for (const lang of Object.keys(q.labels ?? {})) {
        if (!def.languages.includes(lang)) problems.push({ path: `${at}.labels.${lang}`, message: `${lang} is not one of the survey's languages` });
      }
    }
    if (q.kind === 'choice' && q.fft) {
      if (q.multiple) problems.push({ path: `${at}.multiple`, message: 'must be false: the Friends and Family Test takes one answer' });
      const ids = q.options.map((o) => o.id).join(',');
      if (ids !== FFT_ANSWERS.join(','))
        problems.push({ path: `${at}.options`, message: `must be the Friends and Family Test's six answers: ${FFT_ANSWERS.join(', ')}` });
      if (def.questions.findIndex((other) => other.kind === 'choice' && other.fft) !== i)
        problems.push({ path: `${at}.fft`, message: 'must be set on one question only' });
    }
    if (q.kind === 'choice') {
      const ids = new Set<string>();
      q.options.forEach((o, j) => {
        if (ids.has(o.id)) problems.push({ path: `${at}.options.${j}.id`, message: `repeats option id ${o.id}` });
        ids.add(o.id);
        needLanguages(o.label, `${at}.options.${j}.label`);
      });
    }
    if (q.showIf) {
      const target = seen.get(q.showIf.question);
      if (!target) {
        problems.push({ path: `${at}.showIf.question`, message: `refers to ${q.showIf.question}, which is not an earlier question` });
      } else {
        const message = branchMismatch(q.showIf, target);
        if (message) problems.push({ path: `${at}.showIf`, message });
      }
    }
    seen.set(q.id, q);
  });
  return problems;
}

function branchMismatch(rule: ShowIf, target: Question): string | undefined {
  const values = 'equals' in rule ? [rule.equals] : 'anyOf' in rule ? rule.anyOf : undefined;
  if (!values) {
    return target.kind === 'rating' ? undefined : 'atMost and atLeast apply only to rating questions';
  }
  for (const value of values) {
    const ok =
      target.kind === 'rating'
        ? typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= target.points
        : target.kind === 'choice'
          ? target.options.some((o) => o.id === value)
          : target.kind === 'yes-no'
            ? value === 'yes' || value === 'no'
            : false;
    if (!ok) return `${JSON.stringify(value)} is not a possible answer to ${target.id}`;
  }
  return undefined;
}

export const SurveyDefinitionSchema = v.pipe(
  DefinitionShape,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const p of definitionProblems(dataset.value)) {
      addIssue({ message: p.message, path: pathItems(dataset.value, p.path) });
    }
  }),
);

// valibot wants path items; we build them from the dotted path so flatten() reports `questions.2.showIf.question`.
export function pathItems(input: unknown, dotted: string): [v.IssuePathItem, ...v.IssuePathItem[]] {
  let current: unknown = input;
  const [first, ...rest] = dotted.split('.').map((segment): v.IssuePathItem => {
    const key: string | number = Array.isArray(current) ? Number(segment) : segment;
    const value = current && typeof current === 'object' ? (current as Record<string | number, unknown>)[key] : undefined;
    const item = { type: 'object' as const, origin: 'value' as const, input: current as Record<string, unknown>, key: String(key), value };
    current = value;
    return item;
  });
  return [first!, ...rest];
}

export { AGE_BANDS };
