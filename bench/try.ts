import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnWorker } from '../src/cli/worker-server';
import { recordingD1, type Recorded } from '../src/cli/d1-replay';
import { app } from '../src/index';
const w = await spawnWorker({ persist: mkdtempSync(join(tmpdir(), 'heard-try-')) });
try {
  const log: Recorded[] = [];
  const db = recordingD1(w.sqlUrl, log);
  const orig = db.prepare;
  const res = await Promise.race([
    app.fetch(new Request('http://x/api/v1/insights?interval=month', { headers: { authorization: 'Bearer demo-admin-key' } }), { DB: db } as any, { waitUntil() {} } as any),
    new Promise((r) => setTimeout(() => r('timeout'), 10000)),
  ]);
  console.log(res instanceof Response ? res.status : res);
  for (const l of log) console.log(l.sql.slice(0, 80).replace(/\s+/g, ' '), l.rowsRead, l.scans);
} finally { await w.stop(); }
