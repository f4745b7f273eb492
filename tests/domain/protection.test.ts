import { describe, expect, it } from 'vitest';
import { attackerBounds, disclosedCells, type LinearTable, probedCells, protectTable } from '../../src/domain/protection';

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

describe('probedCells', () => {
  // Two services × two age bands, every cell hidden and every margin shown (15, 16; 24, 7), so one
  // unknown t = b moves all four: a = 15 − t, c = 9 + t, d = 7 − t. 15 "yes" fall on a and d only
  // and 15 "no" on b and c only (each at most its cell), so 22 − 2t ≥ 15 and 9 + 2t ≥ 15: t = 3.
  // No line alone says it, and the four sums are an even cycle, not a triangle.
  const [a, b, c, d, r1, r2, c1, c2, ya, yd, yes, nb, nc, no] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const table: LinearTable = {
    values: [12, 3, 12, 4, 15, 16, 24, 7, 12, 3, 15, 3, 12, 15],
    lines: [
      { total: r1, parts: [a, b] },
      { total: r2, parts: [c, d] },
      { total: c1, parts: [a, c] },
      { total: c2, parts: [b, d] },
      { total: yes, parts: [ya, yd] },
      { total: no, parts: [nb, nc] },
    ],
    atMost: [
      [ya, a],
      [yd, d],
      [nb, b],
      [nc, c],
    ],
  };
  const primary = () => Uint8Array.from(table.values as number[], (_, i) => ([a, b, c, d, ya, yd, nb, nc].includes(i) ? 1 : 0));

  it('finds a small hidden count two lines pin together, which propagation leaves open', () => {
    const hidden = primary();
    const bounds = attackerBounds(table, hidden, 'dfe');
    expect(disclosedCells(table, hidden, 'dfe', bounds)).toEqual([]);
    expect(probedCells(table, hidden, 'dfe', bounds)).toContain(b);
  });

  it('protects it when the audit is given the probe, and the probe then finds nothing', () => {
    const hidden = primary();
    const probe = (bounds: ReturnType<typeof attackerBounds>) => probedCells(table, hidden, 'dfe', bounds, undefined, 1);
    expect(protectTable(table, hidden, 'dfe', undefined, probe)).not.toEqual([]);
    const bounds = attackerBounds(table, hidden, 'dfe');
    expect({ disclosed: disclosedCells(table, hidden, 'dfe', bounds), probed: probedCells(table, hidden, 'dfe', bounds) }).toEqual({
      disclosed: [],
      probed: [],
    });
  });
});
