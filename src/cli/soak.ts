/// <reference types="node" />
/**
 * `npm run soak`: 50 simulated widgets submit responses to the Worker on 127.0.0.1, each with its
 * own client UUID, retrying with exponential backoff on errors and timeouts, while the Worker's
 * process (node + workerd) is SIGKILLed mid-run and restarted on the same local D1. At the end it
 * counts what was sent, acknowledged and stored, and exits 1 unless every acknowledged response is
 * stored exactly once, every unacknowledged one at most once, and the rollups and link-use counts
 * agree with the rows.
 *
 * Rollups are folded, not counted at insert (migration 0027): the cron handler runs every few
 * hundred milliseconds (Miniflare's /cdn-cgi/handler/scheduled) and folds what is pending, an
 * insights reader folds before each read, and a burst of cron runs goes out just before each
 * SIGKILL so the kill lands while folds run. Before the final fold every row must be either
 * counted or pending, never both and never half; after it (one more read), all counted.
 *
 *   npm run soak               # ~75 s: 45 s of traffic, two crashes
 *   npm run soak -- --short    # ~15 s: 7 s of traffic, one crash (runs in `npm test`)
 *   add --json to end with one JSON line of the counts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PARTNER_LINKS } from '../demo/responses';
import { DEMO_KEYS } from '../demo/seed';
import { FFT_ANSWERS } from '../schemas/common';
import { bundleWorker, spawnWorker, sqlClient, type WorkerProcess } from './worker-server';

const SHORT = process.argv.includes('--short');
const JSON_OUT = process.argv.includes('--json');
const WIDGETS = 50;
/** Milliseconds of new traffic, and when (from the start of traffic) the Worker is killed. */
const TRAFFIC_MS = SHORT ? 6_000 : 45_000;
const CRASHES_AT = SHORT ? [2_000] : [12_000, 30_000];
/** After the traffic, widgets keep retrying what is pending for at most this long. */
const GRACE_MS = SHORT ? 4_000 : 15_000;
const REQUEST_TIMEOUT_MS = 2_000;
const LINK = DEMO_PARTNER_LINKS[0]; // demo-police-link: multi-use, so each stored response counts one use
/** The cron (which folds every partnership) this often, and an insights read (which folds first) this often. */
const CRON_EVERY_MS = 250;
const READ_EVERY_MS = 1_000;
const ADMIN_KEY = DEMO_KEYS.find((k) => k.role === 'admin')!.key;

interface Submission {
  id: string;
  viaLink: boolean;
  attempts: number;
  acknowledged: boolean;
  /** Acknowledged with 200 on a retry: an earlier attempt was stored but its answer was lost. */
  foundStored: boolean;
  /** 4xx other than a retry's 200: a bug (a 409 would mean a retry looked like a different response). */
  rejected: number | null;
}

/** Requests on the wire right now, across all widgets. */
let inFlight = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a widget does for one response: send, and on failure or timeout retry with backoff and jitter. */
async function submit(base: () => string, sub: Submission, body: string, deadline: () => number): Promise<void> {
  let backoff = 100;
  while (Date.now() < deadline()) {
    sub.attempts++;
    inFlight++;
    try {
      const res = await fetch(`${base()}/api/v1/surveys/${LINK.surveyId}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 201) {
        sub.acknowledged = true;
        sub.foundStored = res.status === 200;
        return;
      }
      if (res.status < 500) {
        sub.rejected = res.status;
        return;
      }
    } catch {
      // connection refused or reset while the Worker is down, or our timeout: retry
    } finally {
      inFlight--;
    }
    await sleep(backoff * (0.5 + Math.random()));
    backoff = Math.min(backoff * 2, 2_000);
  }
}

export interface SoakResult {
  sent: number;
  acknowledged: number;
  stored: number;
  duplicated: number;
  retried: number;
  retriedStored: number;
  retriedFoundStored: number;
  resent: number;
  resentAnswered200: number;
  unacknowledged: number;
  unacknowledgedStored: number;
  acknowledgedMissing: number;
  rejected: number;
  crashes: number;
  /** Insights reads answered 200 during the traffic: each folded what was pending. */
  insightReads: number;
  /** Cron runs answered during the traffic: each folded what was pending. */
  cronRuns: number;
  /** Before the final fold: responses counted in the rollup, and stored responses still pending. */
  rollupBeforeFinalFold: number;
  pendingBeforeFinalFold: number;
  /** Pending after the final fold: must be none. */
  pendingAfterFinalFold: number;
  rollupResponses: number;
  /** Rows in `responses` for the survey, to hold the rollup against. */
  responseRows: number;
  linkUses: number;
  storedViaLink: number;
  ok: boolean;
  seconds: number;
}

async function main(): Promise<SoakResult> {
  const started = Date.now();
  const say = (msg: string) => !JSON_OUT && console.log(`[soak ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
  const work = mkdtempSync(join(tmpdir(), 'heard-soak-'));
  const scriptPath = join(work, 'worker.js');
  writeFileSync(scriptPath, await bundleWorker());
  const persist = join(work, 'd1');
  // Port 0: Miniflare binds a free port itself. Picking one here and handing it over raced with
  // other tests' servers taking it in between (ERR_ADDRESS_IN_USE in CI).
  let worker: WorkerProcess | null = await spawnWorker({ persist, port: 0, scriptPath });
  let base = worker.url;
  const port = Number(new URL(base).port);
  say(`Worker on ${base} (pid ${worker.pid}), D1 in ${persist}`);
  const sql = sqlClient(worker.sqlUrl);
  const usesBefore = (await sql.all<{ uses: number }>('SELECT uses FROM feedback_links WHERE id = ?1', [LINK.id])).results[0]!.uses;

  const prefix = crypto.randomUUID().slice(0, 24);
  let counter = 0;
  const subs: Submission[] = [];
  /** Re-sends of already acknowledged responses: each must be answered 200 and stored nothing. */
  const replays: Submission[] = [];
  const trafficStart = Date.now();
  // Traffic runs for TRAFFIC_MS and at least 2 s past the last restart; retries get GRACE_MS more.
  let restartedAt = 0;
  const trafficEnd = () => Math.max(trafficStart + TRAFFIC_MS, restartedAt + 2_000);
  const deadline = () => trafficEnd() + GRACE_MS;

  const widget = async (w: number) => {
    await sleep(Math.random() * 500);
    while (Date.now() < trafficEnd()) {
      const n = counter++;
      const sub: Submission = {
        id: `${prefix}${n.toString(16).padStart(12, '0')}`,
        viaLink: w % 2 === 0,
        attempts: 0,
        acknowledged: false,
        foundStored: false,
        rejected: null,
      };
      subs.push(sub);
      const body = JSON.stringify({
        id: sub.id,
        answers: {
          overall: FFT_ANSWERS[n % FFT_ANSWERS.length],
          why: `Widget ${w} response ${n}: the officer kept us updated but we waited weeks for a call back.`,
          improve: 'Keep us updated more often.',
        },
        lang: 'en',
        ...(sub.viaLink ? { link: LINK.token } : {}),
      });
      await submit(() => base, sub, body, deadline);
      // One in ten: the widget never saw the acknowledgement (tab closed, network dropped) and sends it again.
      if (sub.acknowledged && Math.random() < 0.1) {
        const again: Submission = { ...sub, attempts: 0, acknowledged: false, foundStored: false };
        await submit(() => base, again, body, deadline);
        replays.push(again);
      }
      await sleep(50 + Math.random() * 200); // the next person filling it in: enough to keep the Worker busy
    }
  };

  let cronRuns = 0;
  const runCron = async () => {
    try {
      const res = await fetch(`${base}/cdn-cgi/handler/scheduled`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await res.arrayBuffer();
      if (res.ok) cronRuns++;
    } catch {
      // the Worker is down: the next run folds
    }
  };
  let insightReads = 0;
  const readInsights = async () => {
    try {
      const res = await fetch(`${base}/api/v1/insights?interval=month`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      if (res.status === 200) insightReads++;
    } catch {
      // the Worker is down: the next read folds
    }
  };
  const every = (ms: number, work: () => Promise<void>) => async () => {
    while (Date.now() < trafficEnd()) {
      await work();
      await sleep(ms * (0.5 + Math.random()));
    }
  };

  let crashes = 0;
  const chaos = (async () => {
    for (const at of CRASHES_AT) {
      await sleep(trafficStart + at - Date.now());
      // Folds of what the widgets just stored, still running when the kill comes.
      for (let i = 0; i < 3; i++) void runCron();
      await sleep(5);
      say(`SIGKILL the Worker (node + workerd) with ${inFlight} requests in flight, folds among them…`);
      await worker!.crash();
      worker = null;
      crashes++;
      await sleep(500);
      const t = Date.now();
      // A restarted Worker comes back on its old address, as it would behind a fixed route; should
      // something else have taken the port in the meantime, it comes back on a new one and the
      // widgets follow it (their requests to the old address fail and are retried like any other).
      worker = await spawnWorker({ persist, port, scriptPath }).catch(() => spawnWorker({ persist, port: 0, scriptPath }));
      base = worker.url;
      restartedAt = Date.now();
      say(`restarted on the same D1 in ${Date.now() - t} ms (Miniflare start, migrations check and seed ${worker.startMs} ms of it)`);
    }
  })();

  await Promise.all([...Array.from({ length: WIDGETS }, (_, w) => widget(w)), every(CRON_EVERY_MS, runCron)(), every(READ_EVERY_MS, readInsights)(), chaos]);
  say(`traffic over: ${subs.length} responses sent by ${WIDGETS} widgets; ${cronRuns} cron runs and ${insightReads} insights reads folded as they went`);

  try {
    const check = sqlClient(worker!.sqlUrl);
    const { results: rows } = await check.all<{ id: string; link_id: string | null }>(`SELECT id, link_id FROM responses WHERE id LIKE ?1 || '%'`, [prefix]);
    const storedCount = new Map<string, number>();
    for (const r of rows) storedCount.set(r.id, (storedCount.get(r.id) ?? 0) + 1);
    const rollupNow = async () =>
      (
        await check.all<{ n: number | null }>(
          `SELECT sum(n) AS n FROM rollups WHERE partnership_id = 'demo' AND grain = 'month' AND survey_id = ?1 AND metric = 'responses'`,
          [LINK.surveyId],
        )
      ).results[0]!.n ?? 0;
    const pendingNow = async () =>
      (
        await check.all<{ n: number }>('SELECT count(*) AS n FROM rollup_pending p JOIN responses r ON r.id = p.response_id WHERE r.survey_id = ?1', [
          LINK.surveyId,
        ])
      ).results[0]!.n;
    const rollupBeforeFinalFold = await rollupNow();
    const pendingBeforeFinalFold = await pendingNow();
    // The final fold: one more read, as any report would do.
    await readInsights();
    const rollup = [{ n: await rollupNow() }];
    const pendingAfterFinalFold = await pendingNow();
    const { results: all } = await check.all<{ n: number }>('SELECT count(*) AS n FROM responses WHERE survey_id = ?1', [LINK.surveyId]);
    const uses = (await check.all<{ uses: number }>('SELECT uses FROM feedback_links WHERE id = ?1', [LINK.id])).results[0]!.uses - usesBefore;

    const times = (s: Submission) => storedCount.get(s.id) ?? 0;
    const acked = subs.filter((s) => s.acknowledged);
    const unacked = subs.filter((s) => !s.acknowledged);
    const retried = subs.filter((s) => s.attempts > 1);
    const result: SoakResult = {
      sent: subs.length,
      acknowledged: acked.length,
      stored: rows.length,
      duplicated: [...storedCount.values()].filter((n) => n > 1).length + Math.max(0, (rollup[0]!.n ?? 0) - all[0]!.n),
      retried: retried.length,
      retriedStored: retried.filter((s) => times(s) === 1).length,
      retriedFoundStored: subs.filter((s) => s.foundStored).length,
      resent: replays.length,
      resentAnswered200: replays.filter((s) => s.acknowledged && s.foundStored).length,
      unacknowledged: unacked.length,
      unacknowledgedStored: unacked.filter((s) => times(s) > 0).length,
      acknowledgedMissing: acked.filter((s) => times(s) !== 1).length,
      rejected: subs.filter((s) => s.rejected !== null).length,
      crashes,
      insightReads,
      cronRuns,
      rollupBeforeFinalFold,
      pendingBeforeFinalFold,
      pendingAfterFinalFold,
      rollupResponses: rollup[0]!.n ?? 0,
      responseRows: all[0]!.n,
      linkUses: uses,
      storedViaLink: rows.filter((r) => r.link_id !== null).length,
      ok: false,
      seconds: (Date.now() - started) / 1000,
    };
    result.ok =
      result.sent > 0 &&
      crashes === CRASHES_AT.length &&
      result.acknowledgedMissing === 0 &&
      result.duplicated === 0 &&
      subs.every((s) => times(s) <= 1) &&
      result.rejected === 0 &&
      result.resentAnswered200 === result.resent &&
      result.cronRuns > 0 &&
      result.insightReads > 0 &&
      result.rollupBeforeFinalFold + result.pendingBeforeFinalFold === result.responseRows &&
      result.pendingAfterFinalFold === 0 &&
      result.rollupResponses === result.responseRows &&
      result.linkUses === result.storedViaLink;
    return result;
  } finally {
    await worker?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const result = await main();
if (JSON_OUT) {
  console.log(JSON.stringify(result));
} else {
  const row = (label: string, value: number | string) => console.log(`  ${label.padEnd(44)} ${value}`);
  console.log(
    `\nSoak: ${WIDGETS} widgets, ${TRAFFIC_MS / 1000} s of traffic, ${result.crashes} SIGKILL(s) of the Worker, ${result.seconds.toFixed(1)} s in all`,
  );
  row('sent (distinct client UUIDs)', result.sent);
  row('acknowledged (200/201)', result.acknowledged);
  row('stored (rows with those ids)', result.stored);
  row('duplicated', result.duplicated);
  row('retried (more than one attempt)', result.retried);
  row('  of which stored once', result.retriedStored);
  row('  answered 200 "already stored" (ack was lost)', result.retriedFoundStored);
  row('re-sent after an acknowledgement (lost ack)', result.resent);
  row('  of which answered 200 "already stored"', result.resentAnswered200);
  row('never acknowledged (gave up at the deadline)', result.unacknowledged);
  row('  of which stored anyway (at most once)', result.unacknowledgedStored);
  row('acknowledged but not stored exactly once', result.acknowledgedMissing);
  row('rejected with a 4xx', result.rejected);
  row('cron runs during traffic (each folds)', result.cronRuns);
  row('insights reads during traffic (each folds first)', result.insightReads);
  row(
    'before the final fold: counted + pending = rows',
    `${result.rollupBeforeFinalFold} + ${result.pendingBeforeFinalFold} = ${result.responseRows}${
      result.rollupBeforeFinalFold + result.pendingBeforeFinalFold === result.responseRows ? '' : ' (DISAGREE)'
    }`,
  );
  row('pending after the final fold', result.pendingAfterFinalFold);
  row(
    'rollup "responses" = rows for the survey',
    `${result.rollupResponses} = ${result.responseRows}${result.rollupResponses === result.responseRows ? '' : ' (DISAGREE)'}`,
  );
  row('link uses counted = rows stored via the link', `${result.linkUses} = ${result.storedViaLink}`);
  console.log(result.ok ? '\nPASS: every acknowledged response stored exactly once, none twice.' : '\nFAIL: see the counts above.');
}
process.exit(result.ok ? 0 : 1);
