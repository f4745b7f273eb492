/// <reference types="node" />
/**
 * The built Worker under Miniflare directly (not `wrangler dev`, whose proxy hides the real costs),
 * on 127.0.0.1 with a persisted local D1 that is migrated and seeded with the demo partnership.
 * Used by `npm run bench`, `npm run soak` and `npm run bench:insights`.
 *
 * As a library: `startWorker({ persist })` in this process.
 * As a process, so a harness can SIGKILL it and its workerd, and read its CPU from /proc:
 *   node --import tsx src/cli/worker-server.ts --persist DIR [--port N] [--script bundle.js]
 * prints one JSON line `{"url":…,"sqlUrl":…}` when ready. `sqlUrl` is a loopback-only endpoint
 * that runs `{ sql, params }` (or `{ batch: [...] }`) on the same D1 and answers `{ results, meta }`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { readD1Migrations } from '@cloudflare/vitest-pool-workers';
import * as esbuild from 'esbuild';
import { BUNDLE_ALIASES } from './bundle-aliases';
import { Miniflare } from 'miniflare';
import { buildDemoSeed } from '../demo/seed';

/** A fixed local-only key, as in the tests; production sets ALERT_KEY with `wrangler secret put`. */
export const LOCAL_ALERT_KEY = 'dGVzdC1vbmx5LWFsZXJ0LWtleS0zMi1ieXRlcy1vayE=';

/** How wrangler builds src/index.ts for workerd (ESM, worker conditions, hono/jsx, its aliases). */
export const WORKER_BUILD = {
  entryPoints: ['src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  alias: BUNDLE_ALIASES,
  // As wrangler builds (its keep_names, on by default): every function keeps its name, at ~26 KB.
  keepNames: true,
} satisfies esbuild.BuildOptions;

/** Bundles src/index.ts the way wrangler would for workerd. */
export async function bundleWorker(opts: { minify?: boolean } = {}): Promise<string> {
  const bundle = await esbuild.build({
    ...WORKER_BUILD,
    external: ['cloudflare:*', 'node:*'],
    minify: opts.minify ?? false,
    write: false,
    logLevel: 'warning',
  });
  return bundle.outputFiles[0]!.text;
}

export interface WorkerOptions {
  /** Directory for the persisted local D1 (kept across restarts on the same directory). */
  persist: string;
  /** The D1 database id inside `persist`; wrangler's local D1 uses the id in wrangler.toml. */
  databaseId?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The bundled Worker; bundled from src/index.ts when not given. */
  script?: string;
  /** Apply migrations and the demo seed (both idempotent). Default true. */
  prepare?: boolean;
}

export interface RunningWorker {
  url: string;
  mf: Miniflare;
  db: D1Database;
  dispose: () => Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const script = opts.script ?? (await bundleWorker());
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'worker.js', contents: script }],
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: opts.databaseId ?? 'heard-local' },
    d1Persist: opts.persist,
    bindings: { ENVIRONMENT: 'local', ALERT_KEY: LOCAL_ALERT_KEY, INTAKE_RATE_LIMIT: 'off', CHAT_START_LIMIT: 'off', AUTH_BACKOFF: 'off' }, // one loopback address sends all the load
    host: '127.0.0.1',
    port: opts.port ?? 0,
    // GET /cdn-cgi/handler/scheduled runs the cron handler on demand: the soak folds rollups with it mid-traffic.
    unsafeTriggerHandlers: true,
  });
  const url = (await mf.ready).origin;
  const db = (await mf.getD1Database('DB')) as unknown as D1Database;
  if (opts.prepare ?? true) {
    await applyMigrations(db);
    await seedDemo(db);
  }
  return { url, mf, db, dispose: () => mf.dispose() };
}

/** Applies migrations/ not yet applied, recorded in wrangler's own `d1_migrations` table. */
export async function applyMigrations(db: D1Database): Promise<string[]> {
  await db
    .prepare(
      'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
    )
    .run();
  const { results } = await db.prepare('SELECT name FROM d1_migrations').all<{ name: string }>();
  const done = new Set(results.map((r) => r.name));
  const applied: string[] = [];
  for (const m of await readD1Migrations('migrations')) {
    if (done.has(m.name)) continue;
    await db.batch([...m.queries.map((q) => db.prepare(q)), db.prepare('INSERT INTO d1_migrations (name) VALUES (?1)').bind(m.name)]);
    applied.push(m.name);
  }
  return applied;
}

export async function seedDemo(db: D1Database): Promise<void> {
  const sha256 = async (text: string) => createHash('sha256').update(text).digest('hex');
  const seed = await buildDemoSeed(sha256);
  await db.batch(seed.map(({ sql, params }) => db.prepare(sql).bind(...params)));
}

export interface SqlRequest {
  sql: string;
  params?: unknown[];
}

/** Runs SQL for a harness on the same D1: 127.0.0.1 only, never part of the Worker. */
export function serveSql(db: D1Database): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      try {
        const request = JSON.parse(body) as SqlRequest | { batch: SqlRequest[] };
        const statement = (q: SqlRequest) => db.prepare(q.sql).bind(...(q.params ?? []));
        const out = 'batch' in request ? await db.batch(request.batch.map(statement)) : await statement(request).all();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : 'failed');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server });
    }),
  );
}

/** A client for `serveSql`. */
export const sqlClient = (sqlUrl: string) => ({
  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<{ results: T[]; meta: Record<string, number> }> {
    const res = await fetch(sqlUrl, { method: 'POST', body: JSON.stringify({ sql, params }) });
    if (!res.ok) throw new Error(`SQL failed: ${await res.text()}`);
    return res.json() as Promise<{ results: T[]; meta: Record<string, number> }>;
  },
  /** Runs the statements as one D1 batch (one transaction). */
  async batch(statements: SqlRequest[]): Promise<{ results: unknown[]; meta: Record<string, number> }[]> {
    const res = await fetch(sqlUrl, { method: 'POST', body: JSON.stringify({ batch: statements }) });
    if (!res.ok) throw new Error(`SQL failed: ${await res.text()}`);
    return res.json() as Promise<{ results: unknown[]; meta: Record<string, number> }[]>;
  },
});

export interface WorkerProcess {
  url: string;
  sqlUrl: string;
  /** Milliseconds Miniflare took to start, migrate and seed; and since the process started. */
  startMs: number;
  bootMs: number;
  /** The worker-server process; Miniflare's workerd runs as its child, in the same process group. */
  pid: number;
  child: ChildProcess;
  /** SIGKILLs the whole process group (node and workerd), as a crash would. */
  crash: () => Promise<void>;
  /** Stops it cleanly. */
  stop: () => Promise<void>;
}

/**
 * Starts worker-server.ts in its own process group. Its stderr goes to ours; its exit is awaited
 * by `crash` and `stop`, so nothing is left running.
 */
export function spawnWorker(opts: { persist: string; port?: number; scriptPath?: string; timeoutMs?: number }): Promise<WorkerProcess> {
  const args = ['--import', 'tsx', 'src/cli/worker-server.ts', '--persist', opts.persist, '--port', String(opts.port ?? 0)];
  if (opts.scriptPath) args.push('--script', opts.scriptPath);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup('SIGKILL');
      reject(new Error('worker-server did not start in time'));
    }, opts.timeoutMs ?? 60_000);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line || !out.includes('\n')) return;
      clearTimeout(timer);
      const ready = JSON.parse(line) as { url: string; sqlUrl: string; startMs: number; bootMs: number };
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        ...ready,
        pid: child.pid!,
        child,
        crash: async () => {
          killGroup('SIGKILL');
          await exited;
        },
        stop: async () => {
          killGroup('SIGTERM');
          const late = setTimeout(() => killGroup('SIGKILL'), 5000);
          await exited;
          clearTimeout(late);
          killGroup('SIGKILL'); // workerd, should it have outlived its parent
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker-server exited with ${code} before it was ready`));
    });
  });
}

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on Linux). */
const CLK_TCK = 100;

/**
 * CPU milliseconds (user + system) used so far by a process and every live descendant, from
 * /proc/<pid>/stat. Linux only; the resolution is one clock tick (10 ms).
 */
export function processTreeCpuMs(root: number): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  for (const [pid, t] of ticks) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += t;
        break;
      }
    }
  }
  return (total / CLK_TCK) * 1000;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const persist = arg('persist');
  if (!persist) {
    console.error('usage: node --import tsx src/cli/worker-server.ts --persist DIR [--port N] [--script bundle.js] [--database-id ID]');
    process.exit(2);
  }
  const scriptPath = arg('script');
  const t0 = performance.now();
  const worker = await startWorker({
    persist,
    port: Number(arg('port') ?? 0),
    ...(scriptPath ? { script: readFileSync(scriptPath, 'utf8') } : {}),
    ...(arg('database-id') ? { databaseId: arg('database-id')! } : {}),
  });
  const sql = await serveSql(worker.db);
  const startMs = Math.round(performance.now() - t0);
  process.stdout.write(`${JSON.stringify({ url: worker.url, sqlUrl: sql.url, pid: process.pid, startMs, bootMs: Math.round(performance.now()) })}\n`);
  const stop = async () => {
    sql.server.close();
    await worker.dispose();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Detached from the harness's process group, so stop when the harness is gone, however it died.
  const harness = process.ppid;
  setInterval(() => process.ppid !== harness && void stop(), 1000).unref();
}
