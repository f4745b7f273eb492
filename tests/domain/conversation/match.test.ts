import { describe, expect, it } from 'vitest';
import { levelToPoint, matchTyped, tokens, typedCommand } from '../../../src/domain/conversation/match';
import { afterVisit, familyRating } from '../../../src/demo/surveys';
import type { Question } from '../../../src/schemas/survey-definition';

const yesNo: Question = { id: 'q', kind: 'yes-no', text: { en: 'Did they listen?' } };
const visit = afterVisit.questions[0]!;
const overall = familyRating.questions[0]!;

describe('tokens', () => {
  it('drops case, accents, apostrophes and punctuation', () => {
    expect(tokens("  Don't KNOW!! ")).toEqual(['dont', 'know']);
    expect(tokens('Yn ôl')).toEqual(['yn', 'ol']);
    expect(tokens('4/5 — great...')).toEqual(['4', '5', 'great']);
    expect(tokens('?!')).toEqual([]);
  });
});

describe('matchTyped', () => {
  it('reads the longest phrase first, so a Welsh "no" is not also a "yes"', () => {
    expect(matchTyped(yesNo, 'nac ydw')).toEqual({ value: 'no' });
    expect(matchTyped(yesNo, 'ydw')).toEqual({ value: 'yes' });
    expect(matchTyped(yesNo, 'I do not')).toEqual({ value: 'no' });
    expect(matchTyped(yesNo, "I don't know")).toBeUndefined();
  });

  it("lets the survey's own labels win over general phrases", () => {
    // familyRating's Friends and Family Test question offers "Neither good nor poor": the "good" and "poor" inside it do not count.
    expect(matchTyped(overall, 'neither good nor poor')).toEqual({ value: 'neither' });
    expect(matchTyped(overall, 'very good')).toEqual({ value: 'very-good' });
    expect(matchTyped(overall, 'poor')).toEqual({ value: 'poor' });
    expect(matchTyped(overall, 'Don’t know')).toEqual({ value: 'dont-know' });
  });

  it('treats negated praise as low, not high', () => {
    expect(matchTyped(visit, 'it was not really good')).toEqual({ value: 2 });
    expect(matchTyped(visit, 'not ok')).toEqual({ value: 2 });
  });

  it('returns nothing for empty text', () => {
    expect(matchTyped(visit, '   ')).toBeUndefined();
  });
});

describe('levelToPoint', () => {
  it('spreads levels over five points and squeezes them onto three', () => {
    expect((['lowest', 'low', 'middle', 'high', 'highest'] as const).map((l) => levelToPoint(l, 5))).toEqual([1, 2, 3, 4, 5]);
    expect((['lowest', 'low', 'middle', 'high', 'highest'] as const).map((l) => levelToPoint(l, 3))).toEqual([1, 1, 2, 3, 3]);
  });
});

describe('typedCommand', () => {
  it('recognises go back and start again only as the whole message', () => {
    expect(typedCommand('Go back')).toBe('back');
    expect(typedCommand('mynd yn ôl')).toBe('back');
    expect(typedCommand('start again!')).toBe('restart');
    expect(typedCommand('dechrau eto')).toBe('restart');
    expect(typedCommand('I want to go back home')).toBeUndefined();
  });
});
