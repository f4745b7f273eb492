import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { afterVisit, familyRating } from '../../src/demo/surveys';
import { branchProblem, definitionFromForm, editorOp, fieldName } from '../../src/domain/survey-form';
import { fieldProblems } from '../../src/lib/validate';
import { SurveyDefinitionSchema } from '../../src/schemas/survey-definition';

/** The form a browser would post for a definition, unchanged. */
function formOf(def: typeof familyRating): Record<string, string> {
  const form: Record<string, string> = {};
  const put = (prefix: string, text: Record<string, string> | undefined) => {
    for (const [lang, words] of Object.entries(text ?? {})) form[`${prefix}.${lang}`] = words;
  };
  for (const key of ['title', 'intro', 'privacy', 'thankYou', 'whatNext'] as const) put(key, def[key]);
  def.questions.forEach((q, i) => {
    put(`questions.${i}.text`, q.text);
    put(`questions.${i}.hint`, q.hint);
    for (const [band, t] of Object.entries(q.textByAge ?? {})) put(`questions.${i}.textByAge.${band}`, t);
    if (q.kind === 'rating') for (const [j, l] of q.labels.entries()) put(`questions.${i}.labels.${j}`, l);
    if (q.kind === 'choice') for (const [j, o] of q.options.entries()) put(`questions.${i}.options.${j}.label`, o.label);
  });
  if (def.languages.includes('cy')) form.welsh = 'on';
  return form;
}

describe('the survey editor form', () => {
  it('gives back the same definition when nothing was changed', () => {
    for (const def of [afterVisit, familyRating]) expect(definitionFromForm(def, formOf(def))).toEqual(def);
  });

  it('turning Welsh off drops every Welsh wording, and the result is valid', () => {
    const form = formOf(afterVisit);
    delete form.welsh;
    const def = definitionFromForm(afterVisit, form);
    expect(def.languages).toEqual(['en']);
    expect(JSON.stringify(def)).not.toContain('"cy"');
    expect(v.safeParse(SurveyDefinitionSchema, def).success).toBe(true);
  });

  it('moves, removes and adds questions; removing a question that others branch on drops their branch', () => {
    const form = formOf(afterVisit);
    const moved = definitionFromForm(afterVisit, { ...form, op: 'down:0' });
    expect(moved.questions.map((q) => q.id).slice(0, 2)).toEqual([afterVisit.questions[1]!.id, afterVisit.questions[0]!.id]);
    const branched = afterVisit.questions.find((q) => q.showIf);
    if (branched) {
      const target = afterVisit.questions.findIndex((q) => q.id === branched.showIf!.question);
      const removed = definitionFromForm(afterVisit, { ...form, op: `remove:${target}` });
      expect(removed.questions.find((q) => q.id === branched.id)?.showIf).toBeUndefined();
    }
    const added = definitionFromForm(familyRating, { ...formOf(familyRating), op: 'add', newKind: 'yes-no' });
    expect(added.questions.at(-1)).toMatchObject({ kind: 'yes-no', id: 'q4' });
    expect(editorOp({ op: 'remove:x' })).toEqual({ kind: 'save' });
  });

  it('names a missing translation in words', () => {
    const form = formOf(familyRating);
    delete form['questions.1.text.cy'];
    const result = v.safeParse(SurveyDefinitionSchema, definitionFromForm(familyRating, form));
    expect(result.success).toBe(false);
    const named = fieldProblems(result.issues!).map((p) => `${fieldName(p.path)}: ${p.message}`);
    expect(named).toContain('Question 2, wording (Welsh): missing cy translation');
    expect(fieldName('questions.0.labels.4.cy')).toBe('Question 1, answer 5 (Welsh)');
    expect(fieldName('questions.2.options.1.label.en')).toBe('Question 3, answer 2 (English)');
  });
});

describe('branchProblem', () => {
  const branchedAt = afterVisit.questions.findIndex((q) => q.showIf);
  const targetAt = afterVisit.questions.findIndex((q) => q.id === afterVisit.questions[branchedAt]!.showIf!.question);

  it('says nothing of a question without a branch', () => {
    expect(branchProblem(afterVisit, targetAt)).toBeUndefined();
  });

  it('names the questions by number and wording, and what to do, when a branch comes before its question', () => {
    const questions = [...afterVisit.questions];
    const [branched] = questions.splice(branchedAt, 1);
    questions.unshift(branched!);
    const message = branchProblem({ ...afterVisit, questions }, 0)!;
    expect(message).toBe(
      `Question 1 is shown only after an answer to question ${targetAt + 2} (“${afterVisit.questions[targetAt]!.text.en}”), which now comes after it. Move question 1 below it, or that question up.`,
    );
  });
});
