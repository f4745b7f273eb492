import type { LocalisedText, Question, SurveyDefinition } from '../schemas/survey-definition';

/**
 * The workspace's survey editor is a plain HTML form: each wording is a field named by its place
 * in the definition and its language (`title.en`, `questions.2.text.cy`, `questions.0.labels.4.en`).
 * These pure functions turn such a form back into a definition, apply the button that was pressed
 * (move a question, remove it, add one) and name a definition's fields in words for error messages.
 */

export const QUESTION_KINDS = ['rating', 'choice', 'yes-no', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const KIND_NAMES: Record<QuestionKind, string> = {
  rating: 'Rating with faces',
  choice: 'Choice',
  'yes-no': 'Yes or no',
  text: 'Written answer',
};

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', cy: 'Welsh' };
export const languageName = (lang: string) => LANGUAGE_NAMES[lang] ?? lang;

const TOP_TEXTS = ['title', 'intro', 'privacy', 'thankYou', 'whatNext'] as const;
export const TOP_TEXT_NAMES: Record<(typeof TOP_TEXTS)[number], string> = {
  title: 'Title',
  intro: 'Introduction',
  privacy: 'Privacy line',
  thankYou: 'Thank-you message',
  whatNext: 'What happens next',
};

/** Reads `prefix.<lang>` for each language; an empty field leaves that language out, so validation names it. */
function readText(form: Record<string, string>, prefix: string, languages: string[]): LocalisedText {
  const text: Record<string, string> = {};
  for (const lang of languages) {
    const value = (form[`${prefix}.${lang}`] ?? '').trim();
    if (value) text[lang] = value;
  }
  return text as LocalisedText;
}

/** A new question of a kind, with English wording to edit and Welsh to add. */
export function newQuestion(kind: QuestionKind, existing: Question[]): Question {
  let n = existing.length + 1;
  while (existing.some((q) => q.id === `q${n}`)) n++;
  const id = `q${n}`;
  const text = { en: 'A new question: write it here' };
  if (kind === 'rating')
    return {
      id,
      kind,
      points: 5,
      text,
      labels: [{ en: 'Very bad' }, { en: 'Bad' }, { en: 'OK' }, { en: 'Good' }, { en: 'Very good' }],
    } as Question;
  if (kind === 'choice')
    return {
      id,
      kind,
      multiple: false,
      text,
      options: [
        { id: 'first', label: { en: 'First answer' } },
        { id: 'second', label: { en: 'Second answer' } },
      ],
    } as Question;
  if (kind === 'text') return { id, kind, maxLength: 1000, text } as Question;
  return { id, kind, text } as Question;
}

export type EditorOp = { kind: 'save' } | { kind: 'up' | 'down' | 'remove'; index: number } | { kind: 'add'; question: QuestionKind };

/** Which button was pressed: `op=up:2`, `op=remove:0`, `op=add` (with `newKind`), else save. */
export function editorOp(form: Record<string, string>): EditorOp {
  const m = /^(up|down|remove):(\d{1,2})$/.exec(form.op ?? '');
  if (m) return { kind: m[1] as 'up' | 'down' | 'remove', index: Number(m[2]) };
  if (form.op === 'add') {
    const kind = QUESTION_KINDS.find((k) => k === form.newKind) ?? 'text';
    return { kind: 'add', question: kind };
  }
  return { kind: 'save' };
}

/**
 * The definition the form describes: wording from the form, everything else (ids, branching,
 * age-band wording, scales) from the saved version, then the pressed button applied.
 */
export function definitionFromForm(saved: SurveyDefinition, form: Record<string, string>): SurveyDefinition {
  const languages = ['en', ...saved.languages.filter((l) => l !== 'en' && l !== 'cy'), ...(form.welsh === 'on' ? ['cy'] : [])];
  const def: SurveyDefinition = { ...saved, languages };
  for (const key of TOP_TEXTS) def[key] = readText(form, key, languages);
  def.questions = saved.questions.map((q, i) => {
    const at = `questions.${i}`;
    const next = { ...q, text: readText(form, `${at}.text`, languages) } as Question;
    if (q.hint) next.hint = readText(form, `${at}.hint`, languages);
    if (q.kind === 'rating' && next.kind === 'rating') next.labels = q.labels.map((_, j) => readText(form, `${at}.labels.${j}`, languages));
    if (q.kind === 'choice' && next.kind === 'choice')
      next.options = q.options.map((o, j) => ({ ...o, label: readText(form, `${at}.options.${j}.label`, languages) }));
    if (q.kind === 'yes-no' && next.kind === 'yes-no' && q.labels) {
      // A yes/no question's own answer words (Do / Naddo) stay only for the languages still offered.
      const kept = Object.fromEntries(Object.entries(q.labels).filter(([lang]) => languages.includes(lang)));
      if (Object.keys(kept).length) next.labels = kept;
      else delete next.labels;
    }
    if (q.textByAge) next.textByAge = Object.fromEntries(Object.keys(q.textByAge).map((band) => [band, readText(form, `${at}.textByAge.${band}`, languages)]));
    return next;
  });
  return applyOp(def, editorOp(form));
}

function applyOp(def: SurveyDefinition, op: EditorOp): SurveyDefinition {
  const questions = [...def.questions];
  if (op.kind === 'add') questions.push(newQuestion(op.question, questions));
  if ((op.kind === 'up' || op.kind === 'down') && questions[op.index]) {
    const to = op.kind === 'up' ? op.index - 1 : op.index + 1;
    if (to >= 0 && to < questions.length) [questions[op.index], questions[to]] = [questions[to]!, questions[op.index]!];
  }
  if (op.kind === 'remove' && questions[op.index] && questions.length > 1) {
    const removed = questions.splice(op.index, 1)[0]!;
    // A question shown only after the removed one would refer to nothing: show it always.
    for (const [i, q] of questions.entries()) if (q.showIf?.question === removed.id) questions[i] = { ...q, showIf: undefined } as Question;
  }
  return { ...def, questions: questions.map((q) => (q.showIf === undefined ? (({ showIf: _, ...rest }) => rest as Question)(q) : q)) };
}

/**
 * A definition's field in words, from a validation path: `questions.1.text.cy` → "Question 2,
 * wording (Welsh)". Used to turn validation problems into sentences a practice lead can act on.
 */
export function fieldName(path: string): string {
  const parts = path.split('.');
  const lang = (p: string | undefined) => (p && /^[a-z]{2,3}$/.test(p) ? ` (${languageName(p)})` : '');
  if (parts[0] && parts[0] in TOP_TEXT_NAMES) return `${TOP_TEXT_NAMES[parts[0] as keyof typeof TOP_TEXT_NAMES]}${lang(parts[1])}`;
  if (parts[0] === 'questions' && parts[1] !== undefined) {
    const q = `Question ${Number(parts[1]) + 1}`;
    const [, , field, sub, leaf, leaf2] = parts;
    if (field === 'text') return `${q}, wording${lang(sub)}`;
    if (field === 'hint') return `${q}, hint${lang(sub)}`;
    if (field === 'labels') return `${q}, answer ${Number(sub) + 1}${lang(leaf)}`;
    if (field === 'options') return `${q}, answer ${Number(sub) + 1}${lang(leaf2 ?? leaf)}`;
    if (field === 'showIf') return `${q}, “show only if”`;
    if (field === 'textByAge') return `${q}, wording for ages ${sub}${lang(leaf)}`;
    return q;
  }
  if (parts[0] === 'languages') return 'Languages';
  if (parts[0] === 'questions') return 'Questions';
  return 'The survey';
}

/**
 * The branching problem the schema reported for question `index`, in words a practice lead can
 * act on instead of the API's message about question ids: "Question 2 is shown only after an
 * answer to question 4 (“How did the visit go?”), which now comes after it. Move question 2 below
 * it, or that question up." `undefined` when the question has no branch.
 */
export function branchProblem(def: SurveyDefinition, index: number): string | undefined {
  const q = def.questions[index];
  if (!q?.showIf) return undefined;
  const target = def.questions.findIndex((other) => other.id === q.showIf!.question);
  const n = index + 1;
  if (target === -1)
    return `Question ${n} is shown only after an answer to a question that is no longer in the survey. Remove question ${n}, or save it to show it always.`;
  const named = `question ${target + 1} (“${def.questions[target]!.text.en ?? def.questions[target]!.id}”)`;
  if (target > index)
    return `Question ${n} is shown only after an answer to ${named}, which now comes after it. Move question ${n} below it, or that question up.`;
  return `Question ${n} is shown only for an answer that ${named} no longer offers.`;
}
