/// <reference types="node" />
/**
 * `npm run bench`: the whole service, side by side, in one run on this machine.
 *
 * 1. The Worker bundle's size as wrangler would upload it (`wrangler deploy --dry-run`).
 * 2. The built Worker under Miniflare directly, in its own process on 127.0.0.1, with a local D1
 *    seeded with the demo and 100,000 synthetic responses over the last 13 months.
 * 3. autocannon at 1 and 32 connections against each route (insights and the feed each computed,
 *    from the Cache API and answered 304): req/s, p50/p99 latency (exact, from
 *    every response time), the ratio to GET /healthz, and whole-stack CPU per request (user + system
 *    of the Worker's process tree, from /proc, divided by requests).
 * 4. Worker-only JavaScript CPU per request: each route run in this process through the same Hono
 *    app with D1 answers recorded from the real database and replayed, so only the JS is timed.
 *    The same recording counts D1 rows read per request and checks every query plan for full scans.
 * 5. Cold start: the minified bundle evaluated in fresh Node processes (a new V8 each, as a new
 *    isolate is), then its first request, CPU ms (src/cli/cold-start.ts).
 * Prints a markdown table of the issue-7 and issue-15 targets and writes JSON to bench/results/.
 *
 *   npm run bench                 # about 2.5 minutes
 *   npm run bench -- --seconds 3 --responses 20000   # quicker, less exact
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { bundleWorker, processTreeCpuMs, spawnWorker, sqlClient, type WorkerProcess } from './worker-server';
import { seedVolume } from './seed-volume';
import { recordedFetch, replayedCpuMs } from './worker-in-node';
import { coldStart, type ColdStart } from './cold-start';
import { fftAnswerFor } from '../demo/surveys';

const opt = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = opt('seconds', 5);
const RESPONSES = opt('responses', 100_000);
const CONNECTIONS = [1, 32];
const ADMIN = { authorization: 'Bearer demo-admin-key' };

// ~500 characters of everyday feedback, no disclosures: the common path through analysis.
const WHY = [
  'The social worker listened to us and helped with food vouchers and the housing office, but we have had four different workers this year and my kids do not trust any of them. ',
  'We waited eight months for a CAMHS appointment while my daughter’s anxiety got worse, and nobody explained why the waiting list is so long. The nurse was lovely when we finally got there. ',
  'The officer explained what would happen next and kept us updated every week. School did not tell us about the meeting until the day before, so I had to take time off work at short notice. ',
  'Our worker was kind, never judged us, and always rang back. The early help parenting course was useful but the sessions were in the daytime when I work, so I missed half of them. ',
];
const IMPROVE = [
  'Keep us updated more often and talk to the other services so we do not have to repeat ourselves. Evening appointments would help working parents like me a lot.',
  'Shorter waiting times please, and tell us who to ring when the duty line does not answer on a Saturday night. A text message with the next date would be enough.',
];
let posted = 0;
const idPrefix = crypto.randomUUID().slice(0, 24);
function postBody(): string {
  const i = posted++;
  return JSON.stringify({
    id: `${idPrefix}${i.toString(16).padStart(12, '0')}`,
    answers: {
      overall: fftAnswerFor((i % 5) + 1),
      why: WHY[i % WHY.length]! + WHY[(i + 1) % WHY.length]!.slice(0, 120),
      improve: IMPROVE[i % IMPROVE.length]!,
    },
    lang: 'en',
  });
}

interface Target {
  /** Minimum req/s as a share of GET /healthz at 32 connections. */
  ratio?: number;
  /** Maximum p99 latency at 1 connection, ms. */
  p99?: number;
  /** Maximum D1 rows read per request. */
  rows?: number;
  /** Maximum Worker JS CPU per request, ms (1 unless given). */
  js?: number;
}

interface Route {
  key: string;
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: () => string;
  /** A different path per request under load (a new range each time, so the report cache misses). */
  varyPath?: () => string;
  /** Sent with If-None-Match: the tag the route answers now, fetched just before it is measured. */
  conditional?: boolean;
  /** The Worker JS measurement gets an in-memory Cache API, as workerd has (plain Node has none). */
  sharedCache?: boolean;
  target: Target;
}

const year = (() => {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 10);
  return `from=${from}&to=${now.toISOString().slice(0, 10)}&interval=month`;
})();

/** A random day between `daysAgo` and `daysAgo - spread` days before today. */
const dayBefore = (daysAgo: number, spread: number) =>
  new Date(Date.now() - (daysAgo - Math.floor(Math.random() * spread)) * 86_400_000).toISOString().slice(0, 10);

/**
 * Three rows per report route (issue 15 item 2): computed (a different year-long range per request,
 * so every request misses the report cache: what the route cost before it), answered from the
 * Cache API (the same question again), and a conditional GET answered 304.
 */
function reportRoutes(key: string, name: string, path: string, jsLimitMs: number): Route[] {
  const fixed = `${path}?${year}`;
  return [
    {
      key,
      name: `${name}, computed (new range each request)`,
      method: 'GET',
      path: fixed,
      varyPath: () => `${path}?from=${dayBefore(370, 60)}&to=${dayBefore(1, 60)}&interval=month`,
      headers: ADMIN,
      target: { ratio: 0.3, p99: 5, rows: 50, js: jsLimitMs },
    },
    { key: `${key}-cached`, name: `${name}, from the Cache API`, method: 'GET', path: fixed, headers: ADMIN, sharedCache: true, target: { ratio: 0.5 } },
    { key: `${key}-304`, name: `${name}, If-None-Match → 304`, method: 'GET', path: fixed, headers: ADMIN, conditional: true, target: { ratio: 0.7 } },
  ];
}

const ROUTES: Route[] = [
  { key: 'a', name: 'GET /healthz (ceiling)', method: 'GET', path: '/healthz', target: {} },
  { key: 'b', name: 'GET /api/v1/surveys/after-visit', method: 'GET', path: '/api/v1/surveys/after-visit', target: { ratio: 0.7, p99: 1 } },
  { key: 'c', name: 'GET /s/after-visit (page)', method: 'GET', path: '/s/after-visit', target: { ratio: 0.7 } },
  {
    key: 'd',
    name: 'POST a response, 500 chars of text',
    method: 'POST',
    path: '/api/v1/surveys/family-rating/responses',
    headers: { 'content-type': 'application/json' },
    body: postBody,
    target: { ratio: 0.2, p99: 5 },
  },
  ...reportRoutes('e', 'GET /api/v1/insights, a year by month', '/api/v1/insights', 1),
  ...reportRoutes('f', 'GET /api/v1/feeds/insights.atom', '/api/v1/feeds/insights.atom', 2),
];

interface LoadRun {
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpuMsPerRequest: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

/** One autocannon run; latencies are collected from every response, not autocannon's 1 ms histogram. */
function load(
  url: string,
  route: Route,
  connections: number,
  seconds: number,
): Promise<{ result: autocannon.Result; latencies: number[]; unexpected: number }> {
  const latencies: number[] = [];
  let unexpected = 0;
  const expected = (status: number) => (route.conditional ? status === 304 : status >= 200 && status < 300);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [
          {
            method: route.method,
            path: route.path,
            ...(route.headers ? { headers: route.headers } : {}),
            ...(route.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: route.body!() }) } : {}),
            ...(route.varyPath ? { setupRequest: (req: autocannon.Request) => ({ ...req, path: route.varyPath!() }) } : {}),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies, unexpected })),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      if (!expected(status)) unexpected++;
    });
  });
}

/** Waits until the Worker has finished what autocannon left in flight (it answers in order). */
async function drain(url: string) {
  await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(180_000) }).then((r) => r.arrayBuffer());
}

async function measure(worker: WorkerProcess, route: Route, connections: number): Promise<LoadRun> {
  const cpu0 = processTreeCpuMs(worker.pid);
  const { result, latencies, unexpected } = await load(worker.url, route, connections, SECONDS);
  // Requests still in flight when the run ends are finished before the CPU is read, and counted.
  await drain(worker.url);
  const cpu = processTreeCpuMs(worker.pid) - cpu0;
  latencies.sort((x, y) => x - y);
  const sent = (result.requests as { sent?: number }).sent ?? result.requests.total;
  return {
    connections,
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || SECONDS),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    // A conditional route expects 304; every other route 2xx.
    non2xx: unexpected,
    errors: result.errors + result.timeouts,
    cpuMsPerRequest: sent ? cpu / sent : NaN,
  };
}

/** The size wrangler would upload, from `wrangler deploy --dry-run --outdir`. */
function wranglerSize(): { method: string; gzipBytes: number; rawBytes: number; printed: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'heard-dry-run-'));
  try {
    const run = spawnSync('node_modules/.bin/wrangler', ['deploy', '--dry-run', '--outdir', outdir], {
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
      encoding: 'utf8',
    });
    const printed = /Total Upload:[^\n]*/.exec(run.stdout + run.stderr)?.[0] ?? '';
    const js = readdirSync(outdir).filter((f) => f.endsWith('.js'));
    const raw = js.map((f) => readFileSync(join(outdir, f)));
    if (run.status !== 0 || raw.length === 0) throw new Error(`wrangler deploy --dry-run failed:\n${run.stderr}`);
    return {
      method: 'wrangler deploy --dry-run --outdir (CI=true), gzip -9 of its output',
      rawBytes: raw.reduce((n, b) => n + b.length, 0),
      gzipBytes: raw.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
      printed,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

interface JsCost {
  cpuMs: number;
  runs: number;
  rowsRead: number;
  /** Rows read by the first request in a fresh isolate, before its caches are filled. */
  firstRowsRead: number;
  queries: number;
  scans: string[];
  status: number;
}

/**
 * The Worker's own JavaScript per request: the route runs in this process (same Hono app, same V8)
 * with D1 answers recorded from the real database and then replayed, so the timing holds no SQLite
 * and no HTTP. Node's Request/Response are heavier than workerd's native ones, so if anything this
 * overstates the Worker's CPU.
 */
async function workerJsCost(sqlUrl: string, route: Route): Promise<JsCost> {
  const global = globalThis as { caches?: unknown };
  if (route.sharedCache) global.caches = { default: memoryCache() };
  try {
    return await replayedCost(sqlUrl, route);
  } finally {
    delete global.caches;
  }
}

/** The little of the Cache API the report cache uses, in memory, for the replayed Worker JS. */
function memoryCache() {
  const kept = new Map<string, { body: ArrayBuffer; headers: [string, string][] }>();
  return {
    async match(key: string) {
      const hit = kept.get(key);
      return hit ? new Response(hit.body.slice(0), { headers: hit.headers }) : undefined;
    },
    async put(key: string, res: Response) {
      kept.set(key, { body: await res.arrayBuffer(), headers: [...res.headers] });
    },
  };
}

async function replayedCost(sqlUrl: string, route: Route): Promise<JsCost> {
  const request = () =>
    new Request(`http://127.0.0.1${route.path}`, { method: route.method, headers: route.headers ?? {}, ...(route.body ? { body: route.body() } : {}) });

  // The first request in a fresh isolate fills its caches (insight cubes per bucket, surveys); the
  // second is what an isolate serves from then on. Both are recorded; the second is replayed.
  const { log: first } = await recordedFetch(sqlUrl, request());
  const { res, log: recorded } = await recordedFetch(sqlUrl, request());
  const scans = new Set<string>();
  for (const q of recorded) for (const s of q.scans) scans.add(s);
  const {
    cpuMs: [cpuMs],
    runs,
  } = await replayedCpuMs(request, recorded, { maxRuns: 1000, ms: 1500 });
  // BENCH_SHOW_READS=N: the first request's statements that read more than N rows, to find where a cold read goes.
  const showAbove = Number(process.env.BENCH_SHOW_READS ?? Number.NaN);
  for (const q of first) if (q.rowsRead > showAbove) console.error(`[bench] ${q.rowsRead} rows read: ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
  return {
    cpuMs: cpuMs!,
    runs,
    rowsRead: recorded.reduce((n, q) => n + q.rowsRead, 0),
    queries: recorded.length,
    firstRowsRead: first.reduce((n, q) => n + q.rowsRead, 0),
    scans: [...scans],
    status: res.status,
  };
}

const loadAverage = () => loadavg()[0]!.toFixed(2);
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 0) : '–');
const pct = (n: number) => `${Math.round(n * 100)} %`;
const mark = (ok: boolean) => (ok ? 'pass' : '**miss**');

async function main() {
  const started = Date.now();
  const load0 = loadAverage();
  const log = (msg: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}`);

  log('bundle size (wrangler deploy --dry-run)…');
  // What wrangler uploads as configured (no minify), and what `minify = true` in wrangler.toml would upload.
  const size = { ...wranglerSize(), minifiedGzipBytes: gzipSync(await bundleWorker({ minify: true }), { level: 9 }).length };

  const work = mkdtempSync(join(tmpdir(), 'heard-bench-'));
  const scriptPath = join(work, 'worker.js');
  writeFileSync(scriptPath, await bundleWorker());
  log('starting the Worker under Miniflare…');
  const worker = await spawnWorker({ persist: join(work, 'd1'), scriptPath });
  const results: Record<string, unknown> = {};
  try {
    log(`seeding ${RESPONSES.toLocaleString('en-GB')} synthetic responses (folded into the rollups chunk by chunk)…`);
    const seeded = await seedVolume((statements) => sqlClient(worker.sqlUrl).batch(statements), RESPONSES);
    const counts = (await (
      await fetch(worker.sqlUrl, {
        method: 'POST',
        body: JSON.stringify({ sql: 'SELECT (SELECT count(*) FROM responses) AS responses, (SELECT count(*) FROM rollups) AS rollups', params: [] }),
      })
    ).json()) as {
      results: { responses: number; rollups: number }[];
    };
    log(
      `seeded in ${(seeded.ms / 1000).toFixed(1)} s (${Math.round(seeded.inserted / (seeded.ms / 1000))} rows/s): ${counts.results[0]!.responses} responses, ${counts.results[0]!.rollups} rollup rows`,
    );

    const rows: { route: Route; runs: LoadRun[]; js: JsCost }[] = [];
    const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]!.split(',') : null;
    for (const route of ROUTES.filter((r) => r.key === 'a' || !only || only.includes(r.key))) {
      if (route.conditional) {
        // The tag the route answers now: after (d) has posted its last response, so it holds.
        const res = await fetch(`${worker.url}${route.path}`, { headers: route.headers ?? {} });
        await res.arrayBuffer();
        const etag = res.headers.get('etag');
        if (!etag) throw new Error(`${route.name}: no ETag (status ${res.status}: ${JSON.stringify([...res.headers])})`);
        route.headers = { ...route.headers, 'if-none-match': etag };
      }
      log(`${route.name}: Worker JS CPU (recorded D1, replayed)…`);
      const js = await workerJsCost(worker.sqlUrl, route);
      if (js.status >= 300 && !(route.conditional && js.status === 304)) throw new Error(`${route.name} answered ${js.status}`);
      await load(worker.url, route, 2, 1); // warm workerd and SQLite's cache
      await drain(worker.url);
      const runs: LoadRun[] = [];
      for (const c of CONNECTIONS) {
        // workerd runs one isolate: when one request takes longer than the run, 32 of them would only queue.
        if (c > 1 && runs[0] && !(runs[0].p50 < 250)) {
          log(`${route.name}: ${c} connections skipped (one request takes ${Math.round(runs[0].p50)} ms; they would only queue)`);
          continue;
        }
        log(`${route.name}: ${c} connection${c > 1 ? 's' : ''}, ${SECONDS} s…`);
        runs.push(await measure(worker, route, c));
      }
      rows.push({ route, runs, js });
    }

    // A fresh isolate: the survey page a child opens (the cold start that matters most), and the
    // insights a year by month, whose first request builds every bucket's cube.
    const cold: (ColdStart & { name: string; target?: number })[] = [];
    if (!only || only.includes('cold')) {
      log('cold start: the survey page in fresh processes…');
      cold.push({ name: '(c) GET /s/after-visit', target: 25, ...(await coldStart('/s/after-visit', {}, worker.sqlUrl, 7)) });
      log('cold start: insights in fresh processes…');
      cold.push({ name: '(e) GET /api/v1/insights, a year by month', ...(await coldStart(`/api/v1/insights?${year}`, ADMIN, worker.sqlUrl, 3)) });
    }

    const ceiling = rows[0]!.runs;
    const at = (r: LoadRun[], c: number) => r.find((x) => x.connections === c)!;
    const table: string[] = [];
    table.push(
      `Heard bench — ${new Date().toISOString()} — ${RESPONSES.toLocaleString('en-GB')} seeded responses, ${SECONDS} s per run, Miniflare ${process.env.npm_package_devDependencies_miniflare ?? ''}`.trim(),
    );
    table.push(
      `Load average (1 min) at start ${load0}, at end ${loadAverage()} on ${cpus().length} CPUs: anything above ~0.5 means other processes shared the machine and the figures are pessimistic.`,
    );
    table.push('');
    table.push(
      '| route | conns | req/s | vs (a) | target vs (a) | p50 ms | p99 ms | whole-stack CPU ms/req | Worker JS CPU ms/req | D1 queries | D1 rows read | non-2xx |',
    );
    table.push('|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const { route, runs, js } of rows) {
      for (const r of runs) {
        const ratio = r.rps / at(ceiling, r.connections).rps;
        // The targets are set at 32 connections; at 1 the ratio is shown against the same figure, for reading only.
        const target =
          route.target.ratio === undefined ? '–' : `≥ ${pct(route.target.ratio)}${r.connections === 32 ? ` ${mark(ratio >= route.target.ratio)}` : ''}`;
        table.push(
          `| (${route.key}) ${route.name} | ${r.connections} | ${f1(r.rps)} | ${pct(ratio)} | ${target} | ${f1(r.p50)} | ${f1(r.p99)} | ${f1(r.cpuMsPerRequest)} | ${f1(js.cpuMs)} | ${js.queries} | ${js.rowsRead} | ${r.non2xx + r.errors} |`,
        );
      }
    }
    table.push('');
    table.push(
      '| cold start (a fresh isolate: script evaluation, then its first request) | evaluation CPU ms | first request CPU ms | total CPU ms | target |',
    );
    table.push('|---|---:|---:|---:|---|');
    for (const c of cold) {
      table.push(
        `| ${c.name} (median of ${c.runs}) | ${f1(c.evaluateMs)} | ${f1(c.firstRequestMs)} | ${f1(c.totalMs)} | ${c.target === undefined ? '–' : `≤ ${c.target} ms ${mark(c.totalMs <= c.target)}`} |`,
      );
    }
    table.push(
      `| upload: wrangler deploy --dry-run, gzip -9 | ${(size.gzipBytes / 1024).toFixed(1)} KB gzipped (${(size.rawBytes / 1024).toFixed(0)} KB raw) | | | ≤ 1 MB ${mark(size.gzipBytes <= 1024 * 1024)} |`,
    );

    const checks: { target: string; measured: string; ok: boolean }[] = [];
    for (const { route, runs, js } of rows) {
      const t = route.target;
      if (t.ratio !== undefined) {
        const c = runs.some((r) => r.connections === 32) ? 32 : 1;
        const ratio = at(runs, c).rps / at(ceiling, c).rps;
        checks.push({
          target: `(${route.key}) req/s ≥ ${pct(t.ratio)} of (a) at 32 connections`,
          measured: `${pct(ratio)} (${f1(at(runs, c).rps)} of ${Math.round(at(ceiling, c).rps)} req/s${c === 1 ? ', at 1 connection: 32 skipped' : ''})`,
          ok: ratio >= t.ratio,
        });
      }
      if (t.p99 !== undefined) {
        checks.push({ target: `(${route.key}) p99 at 1 connection ≤ ${t.p99} ms`, measured: `${f1(at(runs, 1).p99)} ms`, ok: at(runs, 1).p99 <= t.p99 });
      }
      if (t.rows !== undefined)
        checks.push({
          target: `(${route.key}) ≤ ${t.rows} D1 rows read per request`,
          measured: `${js.rowsRead} rows in ${js.queries} queries (first request in a fresh isolate: ${js.firstRowsRead})`,
          ok: js.rowsRead <= t.rows,
        });
      checks.push({
        target: `(${route.key}) Worker JS ≤ ${t.js ?? 1} ms CPU per request`,
        measured: `${f1(js.cpuMs)} ms (whole stack ${f1(at(runs, 1).cpuMsPerRequest)} ms at 1 conn)`,
        ok: js.cpuMs <= (t.js ?? 1),
      });
      checks.push({ target: `(${route.key}) no full table scans`, measured: js.scans.length ? js.scans.join('; ') : 'none', ok: js.scans.length === 0 });
      const failed = runs.reduce((n, r) => n + r.non2xx + r.errors, 0);
      if (failed) checks.push({ target: `(${route.key}) every response 2xx`, measured: `${failed} failed`, ok: false });
    }
    for (const c of cold.filter((x) => x.target !== undefined)) {
      checks.push({
        target: `cold start ${c.name}: evaluation + first request ≤ ${c.target} ms CPU`,
        measured: `${f1(c.totalMs)} ms (evaluation ${f1(c.evaluateMs)}, first request ${f1(c.firstRequestMs)}; ${(c.minifiedBytes / 1024).toFixed(0)} KB minified)`,
        ok: c.totalMs <= c.target!,
      });
    }
    checks.push({
      target: 'upload ≤ 1 MB gzipped (issue 15; the free plan allows 3 MB)',
      measured: `${(size.gzipBytes / 1024).toFixed(1)} KB`,
      ok: size.gzipBytes <= 1024 * 1024,
    });
    checks.push({
      target: 'Worker bundle ≤ 100 KB gzipped (wrangler deploy --dry-run)',
      measured: `${(size.gzipBytes / 1024).toFixed(1)} KB (wrangler: “${size.printed || '–'}”); minified with esbuild: ${(size.minifiedGzipBytes / 1024).toFixed(1)} KB`,
      ok: size.gzipBytes <= 100 * 1024,
    });
    const refRatio = at(ceiling, 32).rps / 3200;
    table.push('');
    table.push(`Ceiling (a) at 32 connections: ${Math.round(at(ceiling, 32).rps)} req/s (issue 7's reference harness: ≈ 3,200; ${pct(refRatio)} of it).`);
    table.push('');
    table.push('| target (issues 7 and 15) | measured | |');
    table.push('|---|---|---|');
    for (const c of checks) table.push(`| ${c.target} | ${c.measured} | ${mark(c.ok)} |`);
    table.push('');
    table.push(
      'Whole-stack CPU = user+system ms of the Miniflare process tree (node host + workerd: HTTP, D1/SQLite, JS) ÷ requests. ' +
        'Worker JS CPU = the same route through the same Hono app in Node with D1 answers replayed (no SQLite, no HTTP). ' +
        `Seeding: ${seeded.inserted.toLocaleString('en-GB')} rows in ${(seeded.ms / 1000).toFixed(1)} s.`,
    );
    console.log(table.join('\n'));

    Object.assign(results, {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, loadAverage: { start: load0, end: loadAverage() } },
      seconds: SECONDS,
      seeded: { ...seeded, ...counts.results[0] },
      size,
      coldStart: cold,
      routes: rows.map(({ route, runs, js }) => ({ key: route.key, name: route.name, method: route.method, path: route.path, target: route.target, runs, js })),
      checks,
    });
    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, JSON.stringify(results, null, 2));
    log(`wrote ${file}; ${checks.filter((c) => !c.ok).length} of ${checks.length} targets missed; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await worker.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
