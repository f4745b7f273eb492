import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvLine, csvLines } from '../../src/domain/csv';

const HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '@SUM(A1:A9)', '-cmd|x!A0', '\tx', '\r=1', '＝1+1', '=a,b\r\nc'];

describe('csvLines', () => {
  it('prefixes every text cell a spreadsheet would run with a quote, and quotes it as CSV needs', () => {
    const text = csvLines([HOSTILE]);
    const [row] = parseCsv(text, { relax_column_count: false }) as string[][];
    expect(row).toEqual(HOSTILE.map((cell) => `'${cell}`));
  });

  it('leaves numbers as numbers, negative ones too, and ordinary text as it was', () => {
    expect(csvLine(['2026-01-01', 'Police, north', 'said "hi"', -3, 0, 12.5, 'c', ''])).toBe('2026-01-01,"Police, north","said ""hi""",-3,0,12.5,c,\r\n');
  });

  it('ends each record with CRLF (RFC 4180)', () => {
    expect(csvLines([['a'], ['b']])).toBe('a\r\nb\r\n');
  });
});
