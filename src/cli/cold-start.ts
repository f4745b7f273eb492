/// <reference types="node" />
/**
 * What a fresh isolate costs (issue 15 item 5): evaluating the Worker's script, then its first
 * request, in CPU ms. Each run is a new Node process (a new V8, as a new isolate is) that imports
 * the minified bundle (`minify = true`, as wrangler uploads it) and answers one request with D1
 * answers recorded by a first run of the same kind, so neither SQLite nor HTTP is timed. Node's CPU clock counts V8's
 * background compiler and GC threads too, so if anything this overstates workerd. What Node itself
 * builds in JavaScript on first use and workerd has natively (fetch classes, Web Crypto,
 * AsyncLocalStorage) is warmed before the clock starts.
 *
 * Most of the evaluation is V8 compiling the script (`vm.SourceTextModule` on the minified bundle
 * alone: ~26-33 ms of ~45 ms on the bench machine), which grows with the bundle's bytes; the rest is
 * module top-level code. A table or formatter only some requests need is built on first use
 * (src/lib/once.ts), so it costs nothing at evaluation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { CLOUDFLARE_STAND_IN } from './worker-in-node';
import { spawnWorker, WORKER_BUILD } from './worker-server';

/** The child: import the bundle, answer one request from the recording, print the CPU of each step. */
const CHILD = `
import { readFileSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
const [bundle, recording, url, headers, sqlUrl] = process.argv.slice(2);
// With a SQL endpoint: ask the real D1 and write down its answers (the recording run, not timed).
const recorded = [];
const ask = async (stmts) => {
  const body = stmts.length === 1 ? { sql: stmts[0].sql, params: stmts[0].params } : { batch: stmts.map((s) => ({ sql: s.sql, params: s.params })) };
  // Once more on a closed socket: a long build keeps the event loop busy past the server's keep-alive.
  const post = () => fetch(sqlUrl, { method: 'POST', body: JSON.stringify(body) });
  const res = await post().catch(post);
  if (!res.ok) throw new Error('D1: ' + (await res.text()));
  const out = await res.json();
  const results = stmts.length === 1 ? [out] : out;
  stmts.forEach((s, i) => recorded.push({ sql: s.sql, result: results[i] }));
  return results;
};
const answers = new Map();
if (!sqlUrl) for (const r of JSON.parse(readFileSync(recording, 'utf8'))) answers.set(r.sql, [...(answers.get(r.sql) ?? []), r.result]);
const seen = new Map();
const exec = sqlUrl ? ask : async (stmts) => stmts.map(({ sql }) => {
  const n = seen.get(sql) ?? 0;
  seen.set(sql, n + 1);
  const a = answers.get(sql);
  if (!a) throw new Error('cold start: no recorded answer for ' + sql.slice(0, 80));
  return a[n % a.length];
});
class Statement {
  constructor(sql, params = []) { this.sql = sql; this.params = params; }
  bind(...params) { return new Statement(this.sql, params); }
  async all() { return (await exec([this]))[0]; }
  async run() { return this.all(); }
  async first(col) { const row = (await this.all()).results[0] ?? null; return col && row ? row[col] : row; }
  async raw() { return (await this.all()).results.map((r) => Object.values(r)); }
}
const db = { prepare: (sql) => new Statement(sql), batch: (s) => exec(s) };
db.withSession = () => ({ prepare: db.prepare, batch: db.batch, getBookmark: () => null });
const env = { DB: db, ALERT_KEY: 'dGVzdC1vbmx5LWFsZXJ0LWtleS0zMi1ieXRlcy1vayE=', ENVIRONMENT: 'local' };
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
const cpu = (from) => { const d = process.cpuUsage(from); return (d.user + d.system) / 1000; };
// Node builds its fetch classes (undici), Web Crypto and AsyncLocalStorage's promise hooks in
// JavaScript on first use; workerd's are native and ready before any script runs. Warm them first
// and let Node's background threads settle, so neither is counted as the Worker's own cost.
new Headers({ accept: 'text/html' });
new URL(new Request('http://127.0.0.1/', { headers: { accept: 'text/html' } }).url);
await new Response('warm', { headers: { 'content-type': 'text/plain' } }).arrayBuffer();
new TextEncoder().encode('warm');
crypto.randomUUID();
await crypto.subtle.digest('SHA-256', new TextEncoder().encode('warm'));
const { AsyncLocalStorage } = await import('node:async_hooks');
await new AsyncLocalStorage().run(1, async () => {});
await new Promise((resolve) => setTimeout(resolve, 100));
const t0 = process.cpuUsage();
const worker = (await import(bundle)).default;
const evaluate = cpu(t0);
const t1 = process.cpuUsage();
const res = await worker.fetch(new Request(url, { headers: JSON.parse(headers) }), env, ctx);
await res.arrayBuffer();
const first = cpu(t1);
if (sqlUrl) writeFileSync(recording, JSON.stringify(recorded));
console.log(JSON.stringify({ evaluate, first, status: res.status }));
`;

export interface ColdStart {
  path: string;
  /** Medians over the runs, CPU ms. */
  evaluateMs: number;
  firstRequestMs: number;
  totalMs: number;
  runs: number;
  minifiedBytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * @param sqlUrl worker-server's SQL endpoint: a first, untimed run records D1's answers through it
 */
export async function coldStart(
  path: string,
  headers: Record<string, string>,
  sqlUrl: string,
  runs = 7,
  opts: { cpuProfileDir?: string } = {},
): Promise<ColdStart> {
  const work = mkdtempSync(join(tmpdir(), 'heard-cold-'));
  try {
    // The uploaded bundle, except that workerd's own cloudflare:* modules are stand-ins Node can load.
    const built = await esbuild.build({
      ...WORKER_BUILD,
      external: ['node:*'],
      minify: true,
      write: false,
      logLevel: 'warning',
      plugins: [
        {
          name: 'cloudflare-stand-ins',
          setup(build) {
            build.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: 'stand-in' }));
            build.onLoad({ filter: /.*/, namespace: 'stand-in' }, () => ({ contents: CLOUDFLARE_STAND_IN }));
          },
        },
      ],
    });
    const bundle = join(work, 'worker.mjs');
    writeFileSync(bundle, built.outputFiles[0]!.text);
    const recording = join(work, 'recording.json');
    const child = join(work, 'child.mjs');
    writeFileSync(child, CHILD);
    const samples: { evaluate: number; first: number }[] = [];
    for (let i = -1; i < runs; i++) {
      const profile = i >= 0 && opts.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', opts.cpuProfileDir] : [];
      const args = [...profile, child, bundle, recording, `http://127.0.0.1${path}`, JSON.stringify(headers), ...(i < 0 ? [sqlUrl] : [])];
      const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
      const line = run.stdout.trim().split('\n').pop() ?? '';
      if (run.status !== 0 || !line.startsWith('{')) throw new Error(`cold start run failed:\n${run.stderr}`);
      const out = JSON.parse(line) as { evaluate: number; first: number; status: number };
      if (out.status >= 400) throw new Error(`cold start: ${path} answered ${out.status}:\n${run.stderr}`);
      if (i >= 0) samples.push(out);
    }
    const evaluateMs = median(samples.map((s) => s.evaluate));
    const firstRequestMs = median(samples.map((s) => s.first));
    return {
      path,
      evaluateMs,
      firstRequestMs,
      totalMs: median(samples.map((s) => s.evaluate + s.first)),
      runs,
      minifiedBytes: built.outputFiles[0]!.contents.length,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The cold-start row alone, without the rest of the bench (seconds, not minutes): a Worker with the
 * demo seed answers the recording run, then each route is timed in fresh processes.
 *   npx tsx src/cli/cold-start.ts [--runs 7] [--cpu-prof DIR]   # DIR: one .cpuprofile per timed run
 */
async function main() {
  const arg = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
  const runs = Number(arg('runs') ?? 7);
  const cpuProfileDir = arg('cpu-prof') ? resolve(arg('cpu-prof')!) : undefined;
  const work = mkdtempSync(join(tmpdir(), 'heard-cold-db-'));
  const worker = await spawnWorker({ persist: work });
  try {
    const routes: [string, Record<string, string>][] = [
      ['/s/after-visit', {}],
      ['/api/v1/insights?interval=month', { authorization: 'Bearer demo-admin-key' }],
    ];
    for (const [path, headers] of routes) {
      const c = await coldStart(path, headers, worker.sqlUrl, runs, cpuProfileDir ? { cpuProfileDir } : {});
      console.log(
        `${path}: evaluation ${c.evaluateMs.toFixed(1)} ms + first request ${c.firstRequestMs.toFixed(1)} ms = ${c.totalMs.toFixed(1)} ms CPU (median of ${c.runs}; minified ${Math.round(c.minifiedBytes / 1024)} KB)`,
      );
    }
  } finally {
    await worker.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
