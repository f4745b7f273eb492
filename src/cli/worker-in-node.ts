/// <reference types="node" />
/**
 * The Worker's Hono app loaded into this Node process, for timing its JavaScript alone
 * (`npm run bench`'s replay). Node cannot load workerd's built-in `cloudflare:*` modules, so they
 * resolve to stand-ins that throw if used: the routes timed here never send email.
 */
import { register } from 'node:module';
import { recordingD1, replayD1, type Recorded } from './d1-replay';
import { LOCAL_ALERT_KEY } from './worker-server';

/** What every `cloudflare:*` module is in Node: the one export the Worker imports, unusable. */
export const CLOUDFLARE_STAND_IN = 'export class EmailMessage { constructor() { throw new Error("cloudflare:email is not available in Node"); } }';

const STAND_INS = `
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('cloudflare:')) return { url: 'data:text/javascript,' + encodeURIComponent(${JSON.stringify(CLOUDFLARE_STAND_IN)}), shortCircuit: true };
  return next(specifier, context);
}`;

let loaded: Promise<typeof import('../index')> | undefined;

/** The Worker module (`app`, `default`) with `cloudflare:*` stood in; loaded once. */
export function workerInNode(): Promise<typeof import('../index')> {
  loaded ??= (() => {
    register(`data:text/javascript,${encodeURIComponent(STAND_INS)}`);
    return import('../index');
  })();
  return loaded;
}

/** A request through the Worker in this process, against some D1 (recording or replaying). */
export async function fetchInNode(request: Request, db: D1Database): Promise<Response> {
  const { app } = await workerInNode();
  const env = { DB: db, ALERT_KEY: LOCAL_ALERT_KEY, ENVIRONMENT: 'local' } as unknown as Env;
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
  return app.fetch(request, env, ctx);
}

/** A request answered from the real D1 behind `sqlUrl`, every statement recorded with the rows it read. */
export async function recordedFetch(sqlUrl: string, request: Request): Promise<{ res: Response; body: string; log: Recorded[] }> {
  const log: Recorded[] = [];
  const res = await fetchInNode(request, recordingD1(sqlUrl, log));
  return { res, body: await res.text(), log };
}

/**
 * The Worker's JavaScript CPU per request: `request` answered again and again from the D1 answers
 * `recorded` (no SQLite, no HTTP), after 3 to 200 runs (about 0.5 s) to warm the JIT, timed over 5
 * to `maxRuns` runs of about `ms` each time; one figure per `repeat`.
 */
export async function replayedCpuMs(
  request: () => Request,
  recorded: Recorded[],
  opts: { maxRuns: number; ms: number; repeat?: number },
): Promise<{ cpuMs: number[]; runs: number }> {
  const replay = replayD1(recorded);
  const once = async () => {
    replay.rewind();
    await (await fetchInNode(request(), replay.db)).arrayBuffer();
  };
  for (let i = 0, t0 = performance.now(); i < 200 && (i < 3 || performance.now() - t0 < 500); i++) await once();
  const cpuMs: number[] = [];
  let runs = 0;
  for (let r = 0; r < (opts.repeat ?? 1); r++) {
    runs = 0;
    const cpu0 = process.cpuUsage();
    for (const t0 = performance.now(); runs < opts.maxRuns && (runs < 5 || performance.now() - t0 < opts.ms); runs++) await once();
    const cpu = process.cpuUsage(cpu0);
    cpuMs.push((cpu.user + cpu.system) / 1000 / runs);
  }
  return { cpuMs, runs };
}
