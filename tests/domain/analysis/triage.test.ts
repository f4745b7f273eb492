import { describe, expect, it } from 'vitest';
import { analyseText } from '../../../src/domain/analysis/index';

describe('analyseText triage: alert, review, clear', () => {
  it('alerts on a clear, current disclosure, with disclosure set and no concern', () => {
    const a = analyseText('my dad hits me with his belt when he is drunk');
    expect(a.triage).toBe('alert');
    expect(a.disclosure).not.toBeNull();
    expect(a.concern).toBeNull();
  });

  it.each([
    ["he's going mental at home so i can't go home tonight"],
    ['my partner goes for me when he drinks'],
    ['the worker came when mums boyfriend was in so i said everything was fine'],
    ['the nurse didnt ask how it happened'],
    ['the worker made a safety plan with me about what to do if i feel low'],
    ['i used to get hit at home but that was years ago'],
  ])('sends a weaker or past concern to review: %s', (text) => {
    const a = analyseText(text);
    expect(a.triage).toBe('review');
    expect(a.disclosure).toBeNull();
    expect(a.concern?.evidence.length).toBeGreaterThan(0);
  });

  it.each([
    ['His teacher listened to him and made a plan with us for his attendance'],
    ['We had a strategy meeting and a section 47 and nobody explained what either meant'],
    ['I am furious, three social workers in a year and nobody returns my calls'],
    ['nobody hurts me at my house i am happy there'],
    ['the nurse asked if anyone at home hurts me and i said nah'],
  ])('clears jargon, an angry complaint, a negation and a question answered no: %s', (text) => {
    const a = analyseText(text);
    expect(a.triage).toBe('clear');
    expect(a.disclosure).toBeNull();
    expect(a.concern).toBeNull();
  });

  it('never alerts on professional jargon alone', () => {
    for (const text of ['i have a safety plan now', 'the risk assessment was fair', 'they held a strategy meeting', 'it went to section 47']) {
      expect(analyseText(text).triage).not.toBe('alert');
    }
  });
});
