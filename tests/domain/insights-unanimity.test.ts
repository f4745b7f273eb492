import { describe, expect, it } from 'vitest';
import { unanimityProtected } from '../../src/domain/insights';

const shown = (n: number) => ({ value: n, suppressed: false, count: n });
const hidden = (n: number) => ({ value: null, suppressed: true, count: n });
const pattern = (line: { suppressed: boolean; value: number | null }[]) => line.map((c) => (c.suppressed ? 'c' : String(c.value)));

describe('unanimityProtected', () => {
  it('hides the zeros beside a small group that all gave one answer ("0, c, 0, 0, 0")', () => {
    expect(pattern(unanimityProtected([shown(0), hidden(3), shown(0), shown(0), shown(0)]))).toEqual(['c', 'c', 'c', 'c', 'c']);
  });

  it('leaves a large group that all answered alike as it is', () => {
    expect(pattern(unanimityProtected([shown(0), shown(0), shown(0), shown(0), shown(12)]))).toEqual(['0', '0', '0', '0', '12']);
  });

  it('leaves a line with answers in more than one category as it is', () => {
    const line = [hidden(2), shown(0), hidden(4), shown(0), shown(30)];
    expect(pattern(unanimityProtected(line))).toEqual(['c', '0', 'c', '0', '30']);
  });

  it('leaves an empty line as it is', () => {
    expect(pattern(unanimityProtected([shown(0), shown(0), shown(0), shown(0), shown(0)]))).toEqual(['0', '0', '0', '0', '0']);
  });
});
