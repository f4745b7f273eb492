/// <reference types="node" />
/**
 * `npm run bench:insights`: insights at volume (issue 6, Scale). Seeds its own local D1 with
 * 1,000,000 synthetic responses over 13 months (as `npm run seed:volume` does), starts the built
 * Worker under Miniflare on it, then times, sequentially, on 127.0.0.1:
 *   GET /api/v1/insights for the last year by month   (target < 200 ms)
 *   GET /api/v1/insights.csv for the last year         (target: streamed in < 2 s)
 * and the D1 reads behind them, so a miss shows whether the time is in SQLite or in the Worker.
 *
 *   npm run bench:insights                        # 1,000,000 responses, about 3–4 minutes
 *   npm run bench:insights -- --responses 100000  # quicker
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedVolume } from './seed-volume';
import { bundleWorker, processTreeCpuMs, spawnWorker, sqlClient } from './worker-server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RESPONSES = arg('responses', 1_000_000);
const RUNS = arg('runs', 5);
const AUTH = { authorization: 'Bearer demo-admin-key' };

const now = new Date();
const FROM = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 10);
const TO = now.toISOString().slice(0, 10);
const YEAR = `from=${FROM}&to=${TO}&interval=month`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${Math.round(n).toLocaleString('en-GB')} ms`;

async function timed(url: string): Promise<{ firstByte: number; total: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: AUTH });
  const reader = res.body!.getReader();
  let firstByte = NaN;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (Number.isNaN(firstByte)) firstByte = performance.now() - t0;
    bytes += value.byteLength;
  }
  return { firstByte, total: performance.now() - t0, bytes, status: res.status };
}

const log = (msg: string) => console.error(`[bench:insights] ${msg}`);
const work = mkdtempSync(join(tmpdir(), 'heard-insights-'));
const scriptPath = join(work, 'worker.js');
writeFileSync(scriptPath, await bundleWorker());
const worker = await spawnWorker({ persist: join(work, 'd1'), scriptPath });
try {
  const sql = sqlClient(worker.sqlUrl);
  log(`seeding ${RESPONSES.toLocaleString('en-GB')} responses…`);
  let shown = 0;
  const seeded = await seedVolume((statements) => sql.batch(statements), RESPONSES, {
    progress: ({ inserted, ms: t }) => {
      if (inserted - shown < 200_000 && inserted < RESPONSES) return;
      shown = inserted;
      log(`  ${inserted.toLocaleString('en-GB')} rows, ${(t / 1000).toFixed(0)} s, ${Math.round(inserted / (t / 1000)).toLocaleString('en-GB')} rows/s`);
    },
  });
  const counts = (
    await sql.all<{ responses: number; rollups: number }>('SELECT (SELECT count(*) FROM responses) AS responses, (SELECT count(*) FROM rollups) AS rollups')
  ).results[0]!;

  // The read a fresh isolate does once: all of the partnership's month rollups for 24 months (then cached per bucket, see services/cubes.ts).
  const prevFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 23, 1)).toISOString().slice(0, 10);
  const t0 = performance.now();
  const rollups = await sql.all(
    `SELECT period, partner_id, service_id, survey_id, audience, age_band, metric, n FROM rollups
     WHERE partnership_id = ?1 AND grain = ?2 AND period >= ?3 AND period <= ?4 AND metric NOT LIKE 'sentiment:%'`,
    ['demo', 'month', prevFrom, TO],
  );
  const rollupMs = performance.now() - t0;

  log(`GET /api/v1/insights?${YEAR} × ${RUNS}…`);
  await timed(`${worker.url}/api/v1/insights?${YEAR}`); // warm
  const insights: number[] = [];
  let cpu0 = processTreeCpuMs(worker.pid);
  for (let i = 0; i < RUNS; i++) {
    const r = await timed(`${worker.url}/api/v1/insights?${YEAR}`);
    if (r.status !== 200) throw new Error(`insights answered ${r.status}`);
    insights.push(r.total);
  }
  const insightsCpu = (processTreeCpuMs(worker.pid) - cpu0) / RUNS;

  log(`GET /api/v1/insights.csv?${YEAR} × ${RUNS}…`);
  const csv: { firstByte: number; total: number; bytes: number }[] = [];
  cpu0 = processTreeCpuMs(worker.pid);
  for (let i = 0; i < RUNS; i++) {
    const r = await timed(`${worker.url}/api/v1/insights.csv?${YEAR}`);
    if (r.status !== 200) throw new Error(`CSV answered ${r.status}`);
    csv.push(r);
  }
  const csvCpu = (processTreeCpuMs(worker.pid) - cpu0) / RUNS;

  const insightsMedian = median(insights);
  const csvMedian = median(csv.map((c) => c.total));
  const result = {
    at: new Date().toISOString(),
    responses: counts.responses,
    rollupRows: counts.rollups,
    seedSeconds: seeded.ms / 1000,
    seedRowsPerSecond: seeded.inserted / (seeded.ms / 1000),
    rollupQuery: { rows: rollups.results.length, rowsRead: rollups.meta.rows_read, ms: rollupMs },
    insights: { runsMs: insights, medianMs: insightsMedian, cpuMsPerRequest: insightsCpu, targetMs: 200, ok: insightsMedian < 200 },
    csv: {
      runs: csv,
      medianMs: csvMedian,
      firstByteMs: median(csv.map((c) => c.firstByte)),
      bytes: csv[0]!.bytes,
      cpuMsPerRequest: csvCpu,
      targetMs: 2000,
      ok: csvMedian < 2000,
    },
  };
  console.log(`
Insights at volume: ${counts.responses.toLocaleString('en-GB')} responses (${counts.rollups.toLocaleString('en-GB')} rollup rows), seeded in ${(seeded.ms / 1000).toFixed(0)} s (${Math.round(result.seedRowsPerSecond).toLocaleString('en-GB')} rows/s with the rollup fold)

| measure (median of ${RUNS}, sequential, 127.0.0.1) | measured | target | |
|---|---:|---:|---|
| GET /api/v1/insights, ${FROM} to ${TO} by month | ${ms(insightsMedian)} | < 200 ms | ${result.insights.ok ? 'pass' : '**miss**'} |
| GET /api/v1/insights.csv, the same year, last byte | ${ms(csvMedian)} (first byte ${ms(result.csv.firstByteMs)}, ${result.csv.bytes.toLocaleString('en-GB')} bytes) | < 2 s | ${result.csv.ok ? 'pass' : '**miss**'} |

Where the time goes:
  the rollup read a fresh isolate does once (later requests reuse cached buckets): ${rollups.results.length.toLocaleString('en-GB')} rows returned, ${Number(rollups.meta.rows_read).toLocaleString('en-GB')} rows read, ${ms(rollupMs)} through the SQL endpoint
  whole-stack CPU per request: insights ${ms(insightsCpu)}, CSV ${ms(csvCpu)} (Miniflare process tree, /proc)
`);
  mkdirSync(join('bench', 'results'), { recursive: true });
  writeFileSync(join('bench', 'results', `insights-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
} finally {
  await worker.stop();
  rmSync(work, { recursive: true, force: true });
}
