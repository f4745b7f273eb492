import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEMO_SURVEYS, afterVisit } from '../../src/demo/surveys';
import { SurveyDefinitionSchema } from '../../src/schemas/survey-definition';

const problems = (input: unknown) => {
  const result = v.safeParse(SurveyDefinitionSchema, input);
  return result.success ? {} : (v.flatten(result.issues).nested ?? {});
};
const clone = <T>(x: T): T => structuredClone(x);

describe('SurveyDefinitionSchema', () => {
  it.each(DEMO_SURVEYS.map((s) => [s.id, s.definition]))('accepts the demo survey %s', (_id, def) => {
    expect(v.safeParse(SurveyDefinitionSchema, def).success).toBe(true);
  });

  it('rejects a branch that refers to a later or unknown question', () => {
    const def = clone(afterVisit);
    def.questions[1]!.showIf = { question: 'better', equals: 'x' };
    expect(problems(def)).toHaveProperty(['questions.1.showIf.question']);
    def.questions[1]!.showIf = { question: 'nope', equals: 'x' };
    expect(problems(def)).toHaveProperty(['questions.1.showIf.question']);
  });

  it('takes yes/no answer words per language, and names a language the survey lacks or a missing word', () => {
    const def = clone(afterVisit) as unknown as { questions: Record<string, unknown>[] };
    def.questions[1]!.labels = { cy: { yes: 'Do', no: 'Naddo' } };
    expect(problems(def)).toEqual({});
    def.questions[1]!.labels = { fr: { yes: 'Oui', no: 'Non' } };
    expect(problems(def)).toHaveProperty(['questions.1.labels.fr']);
    def.questions[1]!.labels = { cy: { yes: 'Do' } };
    expect(Object.keys(problems(def)).some((path) => path.startsWith('questions.1.labels.cy'))).toBe(true);
  });

  it('rejects a branch value the earlier question cannot give', () => {
    const def = clone(afterVisit);
    def.questions[1]!.showIf = { question: 'visit', equals: 9 };
    expect(problems(def)).toHaveProperty(['questions.1.showIf']);
  });

  it('rejects a missing translation for a listed language', () => {
    const def = clone(afterVisit);
    delete (def.questions[2]!.text as Record<string, string>).cy;
    expect(problems(def)).toHaveProperty(['questions.2.text.cy']);
  });

  it('requires English', () => {
    const def = clone(afterVisit);
    def.languages = ['cy'];
    expect(problems(def)).toHaveProperty(['languages']);
  });

  it('rejects rating labels that do not match the points', () => {
    const def = clone(afterVisit);
    const q = def.questions[0]!;
    if (q.kind !== 'rating') throw new Error('fixture changed');
    q.labels = q.labels.slice(0, 4);
    expect(problems(def)).toHaveProperty(['questions.0.labels']);
  });

  it('rejects free text longer than 2000 characters', () => {
    const def = clone(afterVisit);
    (def.questions[2] as { maxLength: number }).maxLength = 5000;
    expect(problems(def)).toHaveProperty(['questions.2.maxLength']);
  });

  it('rejects repeated question ids', () => {
    const def = clone(afterVisit);
    def.questions[3]!.id = 'good';
    expect(problems(def)).toHaveProperty(['questions.3.id']);
  });
});
