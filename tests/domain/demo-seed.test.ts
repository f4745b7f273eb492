import { describe, expect, it } from 'vitest';
import { demoSubmissions } from '../../src/demo/responses';
import { analyseText } from '../../src/domain/analysis/index';

describe('the demo responses npm start sends', () => {
  it('raise no safeguarding alert: a false alarm at the top of the lead’s queue is the first thing a demo shows', () => {
    const texts = new Set(
      demoSubmissions().flatMap(({ body }) => Object.values(body.answers as Record<string, unknown>).filter((v): v is string => typeof v === 'string')),
    );
    expect(texts.size).toBeGreaterThan(10);
    expect([...texts].filter((t) => analyseText(t).disclosure !== null)).toEqual([]);
  });
});
