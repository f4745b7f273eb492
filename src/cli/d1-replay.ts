/// <reference types="node" />
/**
 * Two stand-ins for the D1 binding, for timing the Worker's own JavaScript (`npm run bench`):
 * `recordingD1` runs every statement on a real local D1 (through worker-server's SQL endpoint) and
 * keeps its answer, rows read and query plan; `replayD1` then gives the same answers at once.
 * Only the subset of the D1 API that src/ uses: prepare/bind/first/all/run/raw, batch and withSession.
 */

export interface Recorded {
  sql: string;
  params: unknown[];
  result: D1Result;
  rowsRead: number;
  /** Query-plan lines that scan a whole table or index, e.g. "SCAN responses". */
  scans: string[];
}

type Exec = (stmts: { sql: string; params: unknown[] }[]) => Promise<D1Result[]>;

class Statement {
  constructor(
    readonly exec: Exec,
    readonly sql: string,
    readonly params: unknown[] = [],
  ) {}
  bind(...params: unknown[]) {
    return new Statement(this.exec, this.sql, params);
  }
  async all() {
    return (await this.exec([{ sql: this.sql, params: this.params }]))[0]!;
  }
  async run() {
    return this.all();
  }
  async first(column?: string) {
    const row = ((await this.all()).results[0] as Record<string, unknown> | undefined) ?? null;
    return column && row ? row[column] : row;
  }
  async raw() {
    return (await this.all()).results.map((r) => Object.values(r as Record<string, unknown>));
  }
}

function fakeD1(exec: Exec): D1Database {
  const db = {
    prepare: (sql: string) => new Statement(exec, sql),
    batch: (stmts: Statement[]) => exec(stmts.map((s) => ({ sql: s.sql, params: s.params }))),
    // A session (middleware/d1-session.ts) is the same database here: there are no replicas.
    withSession: () => ({ prepare: db.prepare, batch: db.batch, getBookmark: () => null }),
  };
  return db as unknown as D1Database;
}

/** A D1 that runs on the real database behind `sqlUrl` and appends every statement to `log`. */
export function recordingD1(sqlUrl: string, log: Recorded[]): D1Database {
  const post = async (body: unknown) => {
    const res = await fetch(sqlUrl, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`D1: ${await res.text()}`);
    return res.json();
  };
  let tables: Set<string> | undefined;
  const plans = new Map<string, string[]>();
  const scansOf = async (sql: string, params: unknown[]) => {
    if (!plans.has(sql)) {
      tables ??= new Set(
        ((await post({ sql: "SELECT name FROM sqlite_master WHERE type = 'table'" })) as D1Result<{ name: string }>).results.map((r) => r.name),
      );
      const plan = (await post({ sql: `EXPLAIN QUERY PLAN ${sql}`, params })) as D1Result<{ detail: string }>;
      plans.set(
        sql,
        plan.results.map((r) => r.detail).filter((d) => /^SCAN (\w+)/.test(d) && tables!.has(/^SCAN (\w+)/.exec(d)![1]!)),
      );
    }
    return plans.get(sql)!;
  };
  return fakeD1(async (stmts) => {
    const results = (stmts.length === 1 ? [await post(stmts[0])] : await post({ batch: stmts })) as D1Result[];
    for (const [i, s] of stmts.entries()) {
      log.push({ ...s, result: results[i]!, rowsRead: Number(results[i]!.meta?.rows_read ?? 0), scans: await scansOf(s.sql, s.params) });
    }
    return results;
  });
}

/** A D1 that answers each statement with what was recorded for the same SQL, in the same order. */
export function replayD1(log: Recorded[]): { db: D1Database; rewind: () => void } {
  const bySql = new Map<string, D1Result[]>();
  for (const r of log) bySql.set(r.sql, [...(bySql.get(r.sql) ?? []), r.result]);
  const seen = new Map<string, number>();
  const db = fakeD1(async (stmts) =>
    stmts.map(({ sql }) => {
      const answers = bySql.get(sql);
      if (!answers) throw new Error(`replay: no recorded answer for ${sql.slice(0, 80)}`);
      const n = seen.get(sql) ?? 0;
      seen.set(sql, n + 1);
      return answers[n % answers.length]!;
    }),
  );
  return { db, rewind: () => seen.clear() };
}
