/**
 * A statement and its binds, built once and run either through a D1 binding (`prepared`) or, by
 * the operator CLI, as literal SQL through `wrangler d1 execute` (`renderSql`), so both send the
 * same SQL.
 */
export interface SqlStatement {
  sql: string;
  params: (string | number | null)[];
}

export const prepared = (db: D1Database, s: SqlStatement) => db.prepare(s.sql).bind(...s.params);

/** A value as an SQL literal: strings quoted with `'` doubled, numbers as they are, nothing as NULL. */
export const sqlLiteral = (p: string | number | null | undefined) =>
  p === null || p === undefined ? 'NULL' : typeof p === 'number' ? String(p) : `'${p.replaceAll("'", "''")}'`;

/**
 * The statement with its `?N` binds written as SQL literals (strings quoted, `'` doubled), for
 * `wrangler d1 execute --command`, which takes no binds.
 *
 * @example renderSql({ sql: 'SELECT ?1, ?2', params: ['it''s', 2] }) // "SELECT 'it''s', 2"
 */
export function renderSql(s: SqlStatement): string {
  // Only binds outside quoted strings are replaced; our SQL never has a `?` inside a literal.
  return s.sql
    .replace(/\s+/g, ' ')
    .replace(/\?(\d+)/g, (_, n: string) => sqlLiteral(s.params[Number(n) - 1]))
    .trim();
}
