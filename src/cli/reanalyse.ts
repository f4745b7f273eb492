/// <reference types="node" />
/**
 * `npm run reanalyse -- --url http://127.0.0.1:8787 --key demo-admin-key`: applies the
 * partnership's current themes and synonyms to every stored response, by calling
 * POST /api/v1/taxonomy/reanalyse until it has no next cursor. Works against `npm start` and a
 * deployed Worker alike. The key may come from HEARD_API_KEY instead, to keep it out of shell history.
 * Safe to stop and run again: each batch is saved with its rollups, and a second run changes nothing.
 */
import { parseArgs } from 'node:util';

interface Batch {
  processed: number;
  changed: number;
  nextCursor: string | null;
  version: number;
}

const { values } = parseArgs({
  options: { url: { type: 'string', default: 'http://127.0.0.1:8787' }, key: { type: 'string' } },
});
const key = values.key ?? process.env.HEARD_API_KEY;
if (!key) {
  console.error('reanalyse: give an admin key with --key <key> or HEARD_API_KEY');
  process.exit(2);
}
const endpoint = new URL('/api/v1/taxonomy/reanalyse', values.url).href;

/** One call; a network failure or a 5xx is tried again (a batch can be repeated safely). */
async function call(cursor: string | null): Promise<Batch> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(cursor ? { cursor } : {}),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      if (attempt >= 3) throw new Error(`cannot reach ${endpoint}: ${err instanceof Error ? err.message : 'network error'}`);
      await new Promise((r) => setTimeout(r, 1000 * attempt));
      continue;
    }
    if (res.ok) return (await res.json()) as Batch;
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (res.status >= 500 && attempt < 3) {
      await new Promise((r) => setTimeout(r, 1000 * attempt));
      continue;
    }
    throw new Error(`${res.status} from ${endpoint}: ${body?.error?.message ?? res.statusText}`);
  }
}

async function main(): Promise<void> {
  let cursor: string | null = null;
  let version: number | null = null;
  let processed = 0;
  let changed = 0;
  for (let n = 1; ; n++) {
    const batch = await call(cursor);
    if (version !== null && batch.version !== version) {
      // The themes changed during the run: what was done before used the old ones.
      console.log(`The themes changed (version ${version} → ${batch.version}); starting again from the first response.`);
      [cursor, version, processed, changed, n] = [null, null, 0, 0, 0];
      continue;
    }
    version = batch.version;
    processed += batch.processed;
    changed += batch.changed;
    console.log(`batch ${n}: ${batch.processed} processed, ${batch.changed} changed (so far ${processed} processed, ${changed} changed)`);
    if (batch.nextCursor === null) break;
    cursor = batch.nextCursor;
  }
  console.log(`Done: ${processed} responses re-analysed with themes version ${version}; ${changed} changed.`);
}

main().catch((err: unknown) => {
  console.error(`reanalyse: ${err instanceof Error ? err.message : 'failed'}`);
  process.exitCode = 1;
});
