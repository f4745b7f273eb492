/// <reference types="node" />
/**
 * `npm run bench:reports-js`: the Worker JS of (e) insights and (f) the Atom feed alone, as
 * `npm run bench` measures it (the real Hono app in this process, D1 answers recorded from a local
 * D1 seeded with 100,000 responses, then replayed), repeated so the spread shows. The D1 is kept in
 * `--persist DIR` between runs, so only the first run seeds. Run under `node --cpu-prof` to profile.
 *
 *   npm run bench:reports-js -- --persist /tmp/heard-reports --repeat 3
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Recorded } from './d1-replay';
import { seedVolume } from './seed-volume';
import { recordedFetch, replayedCpuMs } from './worker-in-node';
import { bundleWorker, spawnWorker, sqlClient } from './worker-server';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const PERSIST = arg('persist', '/tmp/heard-reports-js');
const RESPONSES = Number(arg('responses', '100000'));
const REPEAT = Number(arg('repeat', '3'));
const SECONDS = Number(arg('seconds', '1.5'));
const ADMIN = { authorization: 'Bearer demo-admin-key' };

const now = new Date();
const YEAR = `from=${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 10)}&to=${now.toISOString().slice(0, 10)}&interval=month`;
const ROUTES = [
  { key: 'e', path: `/api/v1/insights?${YEAR}` },
  { key: 'f', path: `/api/v1/feeds/insights.atom?${YEAR}` },
].filter((r) => arg('only', 'e,f').split(',').includes(r.key));

mkdirSync(PERSIST, { recursive: true });
const seededMark = join(PERSIST, 'seeded');
const scriptPath = join(PERSIST, 'worker.js');
writeFileSync(scriptPath, await bundleWorker());
const worker = await spawnWorker({ persist: join(PERSIST, 'd1'), scriptPath });
try {
  if (!existsSync(seededMark)) {
    console.error(`seeding ${RESPONSES} responses…`);
    await seedVolume((s) => sqlClient(worker.sqlUrl).batch(s), RESPONSES);
    writeFileSync(seededMark, String(RESPONSES));
  }
  for (const route of ROUTES) {
    const headers: Record<string, string> = { ...ADMIN };
    const request = () => new Request(`http://127.0.0.1${route.path}`, { headers });
    const { res: firstRes, body, log: first } = await recordedFetch(worker.sqlUrl, request());
    // --conditional: what a feed reader's poll costs, answered 304 from the tag alone.
    if (process.argv.includes('--conditional')) headers['if-none-match'] = firstRes.headers.get('etag')!;
    const { res, body: again, log: recorded } = await recordedFetch(worker.sqlUrl, request());
    if (!process.argv.includes('--conditional') && (res.status !== 200 || again.length !== body.length))
      throw new Error(`(${route.key}) ${res.status}, or a second answer unlike the first`);
    if (process.argv.includes('--write') && res.status === 200) writeFileSync(join(PERSIST, `${route.key}.body`), body);
    const { cpuMs: costs } = await replayedCpuMs(request, recorded, { maxRuns: 2000, ms: SECONDS * 1000, repeat: REPEAT });
    const rows = (log: Recorded[]) => log.reduce((n, q) => n + q.rowsRead, 0);
    console.log(
      `(${route.key}) Worker JS ms/request: ${costs.map((c) => c.toFixed(2)).join(', ')}; ${recorded.length} queries, ${rows(recorded)} rows warm ` +
        `(first request: ${first.length} queries, ${rows(first)} rows); ${body.length} bytes`,
    );
    if (process.argv.includes('--queries'))
      for (const q of recorded) console.log(`   ${q.rowsRead}\t${q.scans.join(';') || '-'}\t${q.sql.replace(/\s+/g, ' ').slice(0, 120)}`);
  }
} finally {
  await worker.stop();
}
