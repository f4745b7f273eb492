import { describe, expect, it } from 'vitest';
import { afterVisit, communityVoice } from '../../src/demo/surveys';
import { checkAnswers, chooseAgeBand, chooseLanguage, isRightToLeft, isShown, resolveSurvey, visibleQuestions } from '../../src/domain/survey';
import { contrastProblem, contrastRatio } from '../../src/domain/colour';

describe('resolveSurvey', () => {
  it('uses the age band’s wording when there is one, else the general wording', () => {
    expect(resolveSurvey(afterVisit, 'en', '8-12').questions[0]!.text).toBe('How did the visit from your social worker go?');
    expect(resolveSurvey(afterVisit, 'en', '5-7').questions[0]!.text).toBe('How did the visit go?');
  });

  it('words everything in Welsh, with yes/no answers that echo the question’s verb', () => {
    const cy = resolveSurvey(afterVisit, 'cy', '8-12');
    expect(cy.title).toBe('Sut aeth hi?');
    // "Wnaeth dy weithiwr cymdeithasol wrando arnat ti?" is answered Do / Naddo.
    expect(cy.questions[1]!.options!.map((o) => o.label)).toEqual(['Do', 'Naddo']);
    // "Fyddech chi'n gwybod…?" is answered Byddwn / Na fyddwn.
    const knowWho = resolveSurvey(communityVoice, 'cy', 'adult').questions.find((q) => q.id === 'know-who')!;
    expect(knowWho.options!.map((o) => o.label)).toEqual(['Byddwn', 'Na fyddwn']);
    expect(resolveSurvey(afterVisit, 'en', '8-12').questions[1]!.options!.map((o) => o.label)).toEqual(['Yes', 'No']);
  });

  it('falls back to Ie / Na in Welsh when a yes/no question sets no answer words of its own', () => {
    const plain = { ...afterVisit, questions: [{ id: 'q', kind: 'yes-no' as const, text: { en: 'OK?', cy: 'Iawn?' } }] };
    expect(resolveSurvey(plain, 'cy', '8-12').questions[0]!.options!.map((o) => o.label)).toEqual(['Ie', 'Na']);
  });

  it('marks right-to-left languages', () => {
    expect(isRightToLeft('ar')).toBe(true);
    expect(isRightToLeft('ur-PK')).toBe(true);
    expect(isRightToLeft('cy')).toBe(false);
    expect(resolveSurvey(afterVisit, 'en', '8-12').dir).toBe('ltr');
  });

  it('chooses an offered language and age band, else English and the first band', () => {
    expect(chooseLanguage(afterVisit, 'cy')).toBe('cy');
    expect(chooseLanguage(afterVisit, 'fr')).toBe('en');
    expect(chooseAgeBand(communityVoice, 'adult')).toBe('adult');
    // community-voice lists adults first, so someone who gives no age is addressed as an adult.
    expect(chooseAgeBand(communityVoice, '5-7')).toBe('adult');
  });
});

describe('isShown', () => {
  it.each([
    [{ question: 'a', equals: 'yes' }, { a: 'yes' }, true],
    [{ question: 'a', equals: 'yes' }, { a: 'no' }, false],
    [{ question: 'a', anyOf: ['x', 'y'] }, { a: ['z', 'y'] }, true],
    [{ question: 'a', anyOf: ['x', 'y'] }, { a: ['z'] }, false],
    [{ question: 'a', atMost: 2 }, { a: 2 }, true],
    [{ question: 'a', atMost: 2 }, { a: 3 }, false],
    [{ question: 'a', atLeast: 4 }, { a: 5 }, true],
    [{ question: 'a', atLeast: 4 }, { a: null }, false],
    [{ question: 'a', equals: 1 }, {}, false],
  ] as const)('%j with %j → %s', (showIf, answers, expected) => {
    expect(isShown({ showIf: showIf as never }, answers as never)).toBe(expected);
  });
});

describe('checkAnswers', () => {
  it('accepts valid answers, partial answers and "rather not say"', () => {
    expect(checkAnswers(afterVisit, { visit: 2, listened: 'no', good: 'x', better: 'y' })).toEqual([]);
    expect(checkAnswers(afterVisit, {})).toEqual([]);
    expect(checkAnswers(afterVisit, { visit: null, listened: null })).toEqual([]);
    expect(checkAnswers(communityVoice, { priorities: ['online', 'mental-health'], 'safe-area': 3 })).toEqual([]);
  });

  it('names each problem', () => {
    const problems = checkAnswers(communityVoice, { 'safe-area': 4, priorities: ['online', 'online'], 'know-who': 'maybe', more: 7, extra: 1 });
    expect(Object.fromEntries(problems.map((p) => [p.path, p.message]))).toEqual({
      'answers.extra': 'is not a question in this survey',
      'answers.safe-area': 'must be a whole number from 1 to 3',
      'answers.priorities': 'must not repeat an option',
      'answers.know-who': 'must be yes or no',
      'answers.more': 'must be text',
    });
  });

  it('rejects a single choice given as a list and an unknown option', () => {
    expect(checkAnswers(communityVoice, { priorities: 'online' })[0]!.path).toBe('answers.priorities');
    expect(checkAnswers(communityVoice, { priorities: ['dragons'] })[0]!.message).toBe('includes an option this question does not offer');
  });

  it('counts text length in characters, not UTF-16 units', () => {
    const def = structuredClone(afterVisit);
    (def.questions[2] as { maxLength: number }).maxLength = 3;
    expect(checkAnswers(def, { good: '😀😀😀' })).toEqual([]);
    expect(checkAnswers(def, { good: '😀😀😀😀' })).toHaveLength(1);
  });

  it('rejects answers to a branch not taken, including one whose trigger was rejected', () => {
    expect(checkAnswers(afterVisit, { visit: 5, better: 'x' })[0]!.message).toMatch(/branch was not taken/);
    expect(checkAnswers(afterVisit, { visit: 9, better: 'x' }).map((p) => p.path)).toEqual(['answers.visit', 'answers.better']);
  });
});

describe('visibleQuestions', () => {
  it('applies branches in order', () => {
    expect(visibleQuestions(afterVisit.questions, { visit: 5 }).map((q) => q.id)).toEqual(['visit', 'listened', 'good']);
    expect(visibleQuestions(afterVisit.questions, { visit: 1 }).map((q) => q.id)).toEqual(['visit', 'listened', 'good', 'better']);
  });
});

describe('accent colour contrast', () => {
  it('computes WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#1d70b8', '#ffffff')).toBeGreaterThan(4.5);
  });

  it('accepts 4.5:1 or more against white and explains a failure', () => {
    expect(contrastProblem('#1d70b8')).toBeUndefined();
    expect(contrastProblem('#ffdd00')).toMatch(/at least 4.5:1.*1\.\d\d:1/);
    expect(contrastProblem('#767676')).toBeUndefined(); // 4.54:1, the lightest grey that passes
    expect(contrastProblem('#777777')).toBeDefined();
  });
});
