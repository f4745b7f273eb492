import { describe, expect, it } from 'vitest';
import { DEMO_CONCERNS, demoConcernSubmissions, demoSubmissions } from '../../src/demo/responses';
import { analyseText } from '../../src/domain/analysis/index';

describe('the demo responses npm start sends', () => {
  it('raise no safeguarding alert: a false alarm at the top of the lead’s queue is the first thing a demo shows', () => {
    const texts = new Set(
      demoSubmissions().flatMap(({ body }) => Object.values(body.answers as Record<string, unknown>).filter((v): v is string => typeof v === 'string')),
    );
    expect(texts.size).toBeGreaterThan(10);
    expect([...texts].filter((t) => analyseText(t).disclosure !== null)).toEqual([]);
  });

  it('fill the safeguarding queue realistically: two alerts and three reviews, from the concerns alone', () => {
    const triaged = demoConcernSubmissions().map(({ body }) => analyseText((body.answers as { better: string }).better).triage);
    expect(triaged).toEqual(DEMO_CONCERNS.map((c) => c.triage));
    expect(triaged.filter((t) => t === 'alert')).toHaveLength(2);
    expect(triaged.filter((t) => t === 'review')).toHaveLength(3);
  });

  it('put no ordinary feedback in the review queue either', () => {
    const texts = new Set(
      demoSubmissions().flatMap(({ body }) => Object.values(body.answers as Record<string, unknown>).filter((v): v is string => typeof v === 'string')),
    );
    expect([...texts].filter((t) => analyseText(t).triage !== 'clear')).toEqual([]);
  });
});
