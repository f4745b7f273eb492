import { describe, expect, it } from 'vitest';
import { once } from '../../src/lib/once';

describe('once', () => {
  it('builds nothing until first asked, then builds exactly once', () => {
    let builds = 0;
    const table = once(() => {
      builds++;
      return new Set(['a']);
    });
    expect(builds).toBe(0);
    const first = table();
    expect(table()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps a built undefined too, rather than building again', () => {
    let builds = 0;
    const nothing = once(() => {
      builds++;
      return undefined;
    });
    nothing();
    nothing();
    expect(builds).toBe(1);
  });
});
