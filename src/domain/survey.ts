import type { AgeBand } from '../schemas/common';
import type { LocalisedText, Question, ShowIf, SurveyDefinition } from '../schemas/survey-definition';

/**
 * One answer as Heard stores it: a rating point (1..points), a choice option id (or ids when
 * multiple), free text, 'yes' | 'no', or null for "I'd rather not say".
 */
export type AnswerValue = number | string | string[] | null;
export type Answers = Record<string, AnswerValue>;

/** Languages written right to left; a survey may add one and every renderer must flip. */
const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ku-arab']);
export const isRightToLeft = (lang: string) => RTL.has(lang.toLowerCase()) || RTL.has(lang.split('-')[0]!.toLowerCase());

/** Picks the survey's language for a request: the asked one when offered, else English. */
export function chooseLanguage(def: SurveyDefinition, asked: string | undefined): string {
  return asked && def.languages.includes(asked) ? asked : 'en';
}

/** Picks the age band: the asked one when the survey has it, else its first. */
export function chooseAgeBand(def: SurveyDefinition, asked: string | undefined): AgeBand {
  return def.ageBands.find((b) => b === asked) ?? def.ageBands[0]!;
}

export const say = (text: LocalisedText, lang: string) => text[lang] ?? text.en!;

export interface ResolvedQuestion {
  id: string;
  kind: Question['kind'];
  text: string;
  hint?: string;
  showIf?: ShowIf;
  /** rating: one per point, worst first; choice: one per option; yes-no: yes then no. */
  options?: { value: string | number; label: string }[];
  multiple?: boolean;
  maxLength?: number;
}

export interface ResolvedSurvey {
  lang: string;
  dir: 'ltr' | 'rtl';
  ageBand: AgeBand;
  title: string;
  intro: string;
  privacy: string;
  thankYou: string;
  whatNext: string;
  languages: string[];
  questions: ResolvedQuestion[];
}

/**
 * Yes/no words when the question sets none for a language. Welsh answers echo the question's verb
 * (Do / Naddo, Byddwn / Na fyddwn, Ydw / Nac ydw), which only the author knows, so the default is
 * the neutral *Ie / Na*; authors set the verb's own answers in the question's `labels`.
 */
const DEFAULT_YES_NO: Readonly<Record<string, { yes: string; no: string }>> = { en: { yes: 'Yes', no: 'No' }, cy: { yes: 'Ie', no: 'Na' } };

/** The definition in one language for one age band: what a respondent actually reads. */
export function resolveSurvey(def: SurveyDefinition, lang: string, ageBand: AgeBand): ResolvedSurvey {
  return {
    lang,
    dir: isRightToLeft(lang) ? 'rtl' : 'ltr',
    ageBand,
    title: say(def.title, lang),
    intro: say(def.intro, lang),
    privacy: say(def.privacy, lang),
    thankYou: say(def.thankYou, lang),
    whatNext: say(def.whatNext, lang),
    languages: def.languages,
    questions: def.questions.map((q) => resolveQuestion(q, lang, ageBand)),
  };
}

function resolveQuestion(q: Question, lang: string, ageBand: AgeBand): ResolvedQuestion {
  const base: ResolvedQuestion = {
    id: q.id,
    kind: q.kind,
    text: say(q.textByAge?.[ageBand] ?? q.text, lang),
    ...(q.hint ? { hint: say(q.hint, lang) } : {}),
    ...(q.showIf ? { showIf: q.showIf } : {}),
  };
  switch (q.kind) {
    case 'rating':
      return { ...base, options: q.labels.map((label, i) => ({ value: i + 1, label: say(label, lang) })) };
    case 'choice':
      return { ...base, multiple: q.multiple, options: q.options.map((o) => ({ value: o.id, label: say(o.label, lang) })) };
    case 'yes-no': {
      const { yes, no } = q.labels?.[lang] ?? DEFAULT_YES_NO[lang] ?? q.labels?.en ?? DEFAULT_YES_NO.en!;
      return {
        ...base,
        options: [
          { value: 'yes', label: yes },
          { value: 'no', label: no },
        ],
      };
    }
    case 'text':
      return { ...base, maxLength: q.maxLength };
  }
}

/** Whether a question's branch condition holds for the answers given so far. */
export function isShown(question: { showIf?: ShowIf }, answers: Answers): boolean {
  const rule = question.showIf;
  if (!rule) return true;
  const answer = answers[rule.question];
  if (answer === undefined || answer === null) return false;
  const given = Array.isArray(answer) ? answer : [answer];
  if ('equals' in rule) return given.includes(rule.equals as never);
  if ('anyOf' in rule) return given.some((a) => rule.anyOf.includes(a as never));
  if (typeof answer !== 'number') return false;
  return 'atMost' in rule ? answer <= rule.atMost : answer >= rule.atLeast;
}

export interface AnswerProblem {
  path: string;
  message: string;
}

/**
 * Checks answers against the survey's own definition: unknown question, wrong kind,
 * out-of-range rating, unknown option, too-long text, and answers to branches not taken.
 * Unanswered questions are allowed: nobody is made to answer anything.
 */
export function checkAnswers(def: SurveyDefinition, answers: Record<string, unknown>): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const known = new Map(def.questions.map((q) => [q.id, q]));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) problems.push({ path: `answers.${id}`, message: 'is not a question in this survey' });
  }
  const accepted: Answers = {};
  for (const q of def.questions) {
    if (!(q.id in answers)) continue;
    const value = answers[q.id];
    const path = `answers.${q.id}`;
    if (!isShown(q, accepted)) {
      problems.push({ path, message: 'answers a question that was not asked (its branch was not taken)' });
      continue;
    }
    const message = valueProblem(q, value);
    if (message) problems.push({ path, message });
    else accepted[q.id] = value as AnswerValue;
  }
  return problems;
}

function valueProblem(q: Question, value: unknown): string | undefined {
  if (value === null) return undefined; // "I'd rather not say" is always a valid answer
  switch (q.kind) {
    case 'rating':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= q.points ? undefined : `must be a whole number from 1 to ${q.points}`;
    case 'yes-no':
      return value === 'yes' || value === 'no' ? undefined : 'must be yes or no';
    case 'text':
      if (typeof value !== 'string') return 'must be text';
      return [...value].length <= q.maxLength ? undefined : `must be at most ${q.maxLength} characters`;
    case 'choice': {
      const ids = new Set(q.options.map((o) => o.id));
      if (q.multiple) {
        if (!Array.isArray(value) || value.length === 0) return 'must be a list of option ids';
        if (new Set(value).size !== value.length) return 'must not repeat an option';
        return value.every((x) => typeof x === 'string' && ids.has(x)) ? undefined : 'includes an option this question does not offer';
      }
      return typeof value === 'string' && ids.has(value) ? undefined : 'must be one of the options this question offers';
    }
  }
}

/** The questions a respondent sees for the answers given: branches applied in order. */
export function visibleQuestions<Q extends { id: string; showIf?: ShowIf }>(questions: Q[], answers: Answers): Q[] {
  const seen: Answers = {};
  const shown: Q[] = [];
  for (const q of questions) {
    if (!isShown(q, seen)) continue;
    shown.push(q);
    if (q.id in answers) seen[q.id] = answers[q.id]!;
  }
  return shown;
}
