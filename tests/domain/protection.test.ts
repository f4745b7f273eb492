import { describe, expect, it } from 'vitest';
import { attackerBounds, type LinearTable } from '../../src/domain/protection';

describe('attackerBounds', () => {
  it('bounds a count by the triangle of sums it is in, which no single line does (NHS)', () => {
    // a = 31, b = 17, d = 15, each shown with a + b = 48, a + d = 46 and b + d = 32, all rounded
    // to 5 (± 2). Line by line d stays within 13..16; the three sums give 2d <= 47 + 32 - 48 = 31.
    const [a, b, d, ab, ad, bd] = [0, 1, 2, 3, 4, 5];
    const table: LinearTable = {
      values: [31, 17, 15, 48, 46, 32],
      lines: [
        { total: ab, parts: [a, b] },
        { total: ad, parts: [a, d] },
        { total: bd, parts: [b, d] },
      ],
      atMost: [],
    };
    const { lo, hi } = attackerBounds(table, new Uint8Array(6), 'nhs');
    expect([lo[d], hi[d]]).toEqual([13, 15]);
  });

  it('reads a cell equal to another through a line whose other parts are 0 as the same count', () => {
    // As above, but a + d is published as a line of a' (a's copy in a wider filter) and d, beside a zero.
    const [a, b, d, ab, ad, bd, copy, zero] = [0, 1, 2, 3, 4, 5, 6, 7];
    const table: LinearTable = {
      values: [31, 17, 15, 48, 46, 32, 31, 0],
      lines: [
        { total: ab, parts: [a, b] },
        { total: copy, parts: [a, zero] },
        { total: ad, parts: [copy, d] },
        { total: bd, parts: [b, d] },
      ],
      atMost: [],
    };
    const { hi } = attackerBounds(table, new Uint8Array(8), 'nhs');
    expect(hi[d]).toBe(15);
  });
});
