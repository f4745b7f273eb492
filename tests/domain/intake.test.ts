import { describe, expect, it } from 'vitest';
import { afterVisit } from '../../src/demo/surveys';
import { prepareSubmission, WITHHELD } from '../../src/domain/intake';

describe('prepareSubmission with answers a chat already withheld', () => {
  const kept = {
    themes: [{ id: 'feeling-safe', evidence: [] }],
    sentiment: 'negative' as const,
    disclosure: { category: 'harm-by-others' as const, current: true },
  };

  it('keeps the withheld marker and the analysis made when the words were typed: flagged, but no words for a new alert', () => {
    const prepared = prepareSubmission(afterVisit, { visit: 2, good: WITHHELD, better: 'more time' }, undefined, { good: kept });
    expect(prepared.answers).toEqual({ visit: 2, good: WITHHELD, better: 'more time' });
    expect(prepared.analysis.good).toEqual(kept);
    expect(prepared.flagged).toBe(true);
    expect(prepared.themes['feeling-safe']).toBe('negative');
    expect(prepared.disclosure).toBeNull();
    expect(prepared.flaggedText).toEqual([]);
  });

  it('treats the marker typed by someone, with no withheld entry, as ordinary text', () => {
    const prepared = prepareSubmission(afterVisit, { visit: 4, good: WITHHELD });
    expect(prepared.flagged).toBe(false);
    expect(prepared.analysis.good!.disclosure).toBeNull();
  });

  it('flags a response whose own text may be a disclosure, as before', () => {
    const prepared = prepareSubmission(afterVisit, { visit: 1, better: 'my step dad hits me and I am scared to go home' });
    expect(prepared.flagged).toBe(true);
    expect(prepared.answers.better).toBe(WITHHELD);
    expect(prepared.flaggedText).toHaveLength(1);
  });
});
