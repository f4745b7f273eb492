import { stringify } from 'csv-stringify/sync';

/** A CSV cell: text, or a number that a spreadsheet should read as a number. */
export type CsvCell = string | number;

/**
 * The one place Heard's CSV is encoded, so every export gets the same quoting and the same
 * defence. csv-stringify writes RFC 4180 (CRLF, quotes only where needed) and, with
 * `escape_formulas`, prefixes `'` to any text cell starting with = + - @ tab or CR (and their
 * full-width forms): partner names and theme labels are typed by partnership staff, and a
 * spreadsheet would otherwise run `=HYPERLINK(…)` or `+cmd|…` when the file is opened (OWASP
 * "CSV Injection"). Cells given as numbers are left alone, so a negative change stays a number.
 *
 * @example csvLines([['=1+1', -3, 'a,b']]) // "'=1+1,-3,\"a,b\"\r\n"
 */
export function csvLines(records: CsvCell[][]): string {
  // quote_record_delimiter: without it, setting record_delimiter stops csv-stringify quoting a
  // cell that holds a lone CR or LF, and the file would gain a row.
  return stringify(records, { escape_formulas: true, record_delimiter: 'windows', quote_record_delimiter: true });
}

/** One CSV record, with its line ending. */
export const csvLine = (cells: CsvCell[]): string => csvLines([cells]);
