import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldStatements } from '../../src/db/rollups';
import { findPublishedSurvey } from '../../src/db/surveys';
import { queue, type IngestMessage } from '../../src/queue';
import { acceptSubmission } from '../../src/services/intake';
import { parseOrThrow } from '../../src/lib/validate';
import { ResponseSubmissionSchema } from '../../src/schemas/api';
import { countRows, seedDemo, submit } from '../helpers';

beforeAll(seedDemo);

const uuid = () => crypto.randomUUID();
/** The statements of the one fold the consumer runs after storing a batch (one partnership here). */
const FOLD = foldStatements(env.DB, 'demo', 1).length;
const pendingMarks = () => countRows("SELECT COUNT(*) AS n FROM rollup_pending WHERE partnership_id = 'demo'");
const disclosure = (tag: string) => `my dad hits me and I am scared to go home ${tag}`;
const stored = (id: string) => countRows('SELECT COUNT(*) AS n FROM responses WHERE id = ?1', id);

/** Waits for the local queue's consumer (max_batch_timeout 1 s) to store what it was sent. */
async function eventually(check: () => Promise<boolean>, ms = 10_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the queue consumer did not store it in time');
}

/** Real prepared messages: intake run against a queue that only records what it is sent. */
async function prepared(n: number, answers: (i: number) => Record<string, unknown> = (i) => ({ visit: (i % 5) + 1, listened: 'yes' })) {
  const sent: IngestMessage[] = [];
  const recorder = { send: async (m: IngestMessage) => void sent.push(m), sendBatch: async () => {} } as unknown as Queue<IngestMessage>;
  const survey = (await findPublishedSurvey(env.DB, 'after-visit'))!;
  for (let i = 0; i < n; i++) {
    const outcome = await acceptSubmission(
      { ...env, INGEST_QUEUE: recorder } as Env,
      survey,
      parseOrThrow(ResponseSubmissionSchema, { id: uuid(), answers: answers(i) }),
    );
    expect(outcome).toMatchObject({ created: true, queued: true });
  }
  return sent;
}

const batchOf = (messages: IngestMessage[], attempts = 1) =>
  createMessageBatch<IngestMessage>(
    'heard-ingest',
    messages.map((body, i) => ({ id: `m-${i}-${body.response.id}`, timestamp: new Date(), attempts, body })),
  );

/** The real D1, except that `batch` fails when `fails` says so; counts the calls. */
function flakyDb(fails: (statements: D1PreparedStatement[]) => boolean) {
  const calls: number[] = [];
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          calls.push(statements.length);
          if (fails(statements)) throw new Error('D1_ERROR: simulated outage');
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { env: { ...env, DB: db } as Env, calls };
}

describe('POST /api/v1/surveys/:id/responses with the ingest queue bound', () => {
  it('answers 202 with the id once the queue holds it, and the consumer stores it once', async () => {
    const id = uuid();
    const res = await submit('after-visit', { id, answers: { visit: 4, listened: 'yes' } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id });
    await eventually(async () => (await stored(id)) === 1);
  });

  it('stores a burst of 60 exactly once each', async () => {
    const ids = Array.from({ length: 60 }, uuid);
    const results = await Promise.all(ids.map((id, i) => submit('after-visit', { id, answers: { visit: (i % 5) + 1 } })));
    expect(results.every((r) => r.status === 202)).toBe(true);
    await eventually(async () => (await countRows(`SELECT COUNT(*) AS n FROM responses WHERE id IN (${ids.map((id) => `'${id}'`).join(',')})`)) === 60);
  });

  it('keeps a retry single: queued twice before it is stored, or retried after (200); a different body for a stored id is 409', async () => {
    const id = uuid();
    const body = { id, answers: { visit: 2, listened: 'no' } };
    const [first, second] = await Promise.all([submit('after-visit', body), submit('after-visit', body)]);
    expect([first!.status, second!.status]).toEqual([202, 202]);
    await eventually(async () => (await stored(id)) === 1);
    expect((await submit('after-visit', body)).status).toBe(200);
    expect((await submit('after-visit', { ...body, answers: { visit: 5 } })).status).toBe(409);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stored(id)).toBe(1);
  });

  it('signposts a flagged response at once and raises its alert once, with the response', async () => {
    const id = uuid();
    const tag = uuid();
    const res = await submit('after-visit', { id, answers: { visit: 1, better: disclosure(tag) } });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { signpost?: unknown }).signpost).toBeDefined();
    await eventually(async () => (await stored(id)) === 1);
    const row = await env.DB.prepare('SELECT flagged, answers FROM responses WHERE id = ?1').bind(id).first<{ flagged: number; answers: string }>();
    expect(row!.flagged).toBe(1);
    expect(row!.answers).not.toContain(tag);
  });
});

describe('the queue consumer', () => {
  it('writes a batch of 60 in one D1 batch and acks every message', async () => {
    const messages = await prepared(60);
    const { env: counted, calls } = flakyDb(() => false);
    const batch = batchOf(messages);
    const ctx = createExecutionContext();
    await queue(batch, counted, ctx);
    const result = await getQueueResult(batch, ctx);
    // One batch writes the rows, one more folds them into the rollups.
    expect(calls).toEqual([60, FOLD]);
    expect(result.retryMessages).toEqual([]);
    expect(new Set(result.explicitAcks).size).toBe(60);
    for (const m of messages) expect(await stored(m.response.id)).toBe(1);
    expect(await pendingMarks()).toBe(0);
  });

  it('after a failed write, retries every message; redelivery stores each once and raises each alert once', async () => {
    const tag = uuid();
    const messages = await prepared(5, (i) => (i === 2 ? { visit: 1, better: disclosure(tag) } : { visit: 3 }));
    const flagged = messages[2]!;
    expect(flagged.alert).not.toBeNull();
    const alertRows = () => countRows('SELECT COUNT(*) AS n FROM safeguarding_alerts WHERE id = ?1', flagged.alert!.id);

    // D1 down: nothing stored, every message retried.
    const down = flakyDb(() => true);
    const first = batchOf(messages);
    const ctx1 = createExecutionContext();
    const log = console.error;
    console.error = () => {};
    await queue(first, down.env, ctx1);
    console.error = log;
    const failed = await getQueueResult(first, ctx1);
    expect(failed.retryMessages.map((r: { msgId: string }) => r.msgId).sort()).toEqual(messages.map((m, i) => `m-${i}-${m.response.id}`).sort());
    for (const m of messages) expect(await stored(m.response.id)).toBe(0);
    expect(await alertRows()).toBe(0);

    // Redelivered twice (the second as if the ack after a good write had been lost): stored once.
    for (const attempt of [2, 3]) {
      const again = batchOf(messages, attempt);
      const ctx = createExecutionContext();
      await queue(again, env, ctx);
      expect((await getQueueResult(again, ctx)).retryMessages).toEqual([]);
      for (const m of messages) expect(await stored(m.response.id)).toBe(1);
      expect(await alertRows()).toBe(1);
    }
  });

  it('when one row cannot be written, stores the rest and retries only that one', async () => {
    const messages = await prepared(4);
    // A row the schema refuses (lang is NOT NULL), as from a message an older version wrongly
    // made: the whole-batch transaction fails with it.
    messages[1] = { ...messages[1]!, response: { ...messages[1]!.response, lang: null as never } };
    const bad = messages[1]!.response.id;
    const { env: counted, calls } = flakyDb(() => false);
    const batch = batchOf(messages);
    const ctx = createExecutionContext();
    const log = console.error;
    console.error = () => {};
    await queue(batch, counted, ctx);
    console.error = log;
    const result = await getQueueResult(batch, ctx);
    expect(calls).toEqual([4, 1, 1, 1, 1, FOLD]);
    expect(result.retryMessages.map((r: { msgId: string }) => r.msgId)).toEqual([`m-1-${bad}`]);
    expect(await stored(bad)).toBe(0);
    for (const m of messages.filter((m) => m.response.id !== bad)) expect(await stored(m.response.id)).toBe(1);
  });

  it('acks and drops a message that is not a response, without failing the batch', async () => {
    const [good] = await prepared(1);
    const batch = createMessageBatch('heard-ingest', [
      { id: 'junk', timestamp: new Date(), attempts: 1, body: { hello: 'world' } },
      { id: 'good', timestamp: new Date(), attempts: 1, body: good },
    ]);
    const ctx = createExecutionContext();
    const log = console.error;
    console.error = () => {};
    await queue(batch, env, ctx);
    console.error = log;
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['good', 'junk']);
    expect(await stored(good!.response.id)).toBe(1);
  });
});

describe('intake when the queue refuses a message', () => {
  it('writes the response directly instead (201)', async () => {
    const refusing = { send: async () => Promise.reject(new Error('Queue send failed: too large')) } as unknown as Queue<IngestMessage>;
    const survey = (await findPublishedSurvey(env.DB, 'after-visit'))!;
    const id = uuid();
    const log = console.error;
    console.error = () => {};
    const outcome = await acceptSubmission(
      { ...env, INGEST_QUEUE: refusing } as Env,
      survey,
      parseOrThrow(ResponseSubmissionSchema, { id, answers: { visit: 5 } }),
    );
    console.error = log;
    expect(outcome).toMatchObject({ created: true });
    expect(outcome.queued).toBeUndefined();
    expect(await stored(id)).toBe(1);
  });
});
