import { announcementStatement, insertAlertStatement, type NewAlert } from './db/alerts';
import { insertResponseStatement, type StoredResponse } from './db/responses';
import { insertReviewStatement, type NewReview } from './db/reviews';
import { announceAlert } from './services/alert-webhook';
import { foldPending } from './services/rollup-fold';

/**
 * Optional queued ingestion (Cloudflare Queues). With an `INGEST_QUEUE` binding, intake checks,
 * analyses and seals as always, then sends the prepared rows here instead of writing them; the
 * consumer writes up to a whole batch (max_batch_size, 50–100) in one D1 transaction. Without the
 * binding nothing changes: intake writes directly. See README "Scaling past one database".
 */

/** One accepted response, ready to store: exactly the rows direct intake would have written. */
export interface IngestMessage {
  v: 1;
  response: StoredResponse;
  /** The time intake accepted it: the link-usability check is made as of then, not of delivery. */
  acceptedAt: string;
  /** The sealed safeguarding alert to raise with it, when the analysis flagged it. */
  alert: NewAlert | null;
  /** Sealed review items (triage `review`) to store with it; absent when none (and in messages from before 0016). */
  reviews?: NewReview[];
}

/** Not in wrangler.toml by default, so not in the generated `Env`; read through this. */
export const ingestQueue = (env: Env): Queue<IngestMessage> | undefined => (env as Env & { INGEST_QUEUE?: Queue<IngestMessage> }).INGEST_QUEUE;

/**
 * The rows for one message. The response insert does nothing for an id already stored (a retry,
 * or a redelivery of this very message), and the alert insert only follows a response insert
 * that happened: however often a message is delivered, one response and at most one alert (or
 * one count on an identical open alert). The webhook notice is queued only for a new alert.
 */
export function ingestStatements(db: D1Database, m: IngestMessage): D1PreparedStatement[] {
  return [
    insertResponseStatement(db, m.response, m.acceptedAt),
    ...(m.alert ? [insertAlertStatement(db, m.alert, m.response.id, m.response.fingerprint), announcementStatement(db, m.alert)] : []),
    // After the alert: its insert reads changes() of the response insert just before it.
    ...(m.reviews ?? []).map((r) => insertReviewStatement(db, r, m.response.fingerprint)),
  ];
}

const isIngestMessage = (body: unknown): body is IngestMessage =>
  typeof body === 'object' && body !== null && (body as IngestMessage).v === 1 && typeof (body as IngestMessage).response?.id === 'string';

/**
 * The Worker's queue handler. Writes the whole batch in one `db.batch` (one transaction, one
 * round trip); if that fails, writes message by message so one bad row cannot hold back the rest,
 * acking what was stored and retrying the others (after max_retries they go to the dead-letter
 * queue, if one is configured). Alerts are announced only for rows this delivery stored. Then the
 * stored responses are folded into their partnerships' rollups (services/rollup-fold.ts).
 */
export async function queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  const db = env.DB;
  const usable: { message: Message<unknown>; body: IngestMessage }[] = [];
  for (const message of batch.messages) {
    if (isIngestMessage(message.body)) usable.push({ message, body: message.body });
    else {
      // Nothing can ever store it; retrying would only loop. Logged by id, never by content.
      console.error(`[heard] ingest: dropped message ${message.id} that is not a response`);
      message.ack();
    }
  }
  if (usable.length === 0) return;

  const announce = (m: IngestMessage, results: D1Result[]) => {
    const [inserted, alerted] = results;
    if (m.alert && inserted!.meta.changes > 0 && alerted && alerted.meta.changes > 0) {
      const { id, partnershipId, category, current } = m.alert;
      ctx.waitUntil(announceAlert(env, { id, partnershipId, category, current }));
    }
  };

  const statements = usable.map(({ body }) => ingestStatements(db, body));
  try {
    const results = await db.batch(statements.flat());
    let at = 0;
    for (const [i, { body, message }] of usable.entries()) {
      announce(body, results.slice(at, at + statements[i]!.length));
      at += statements[i]!.length;
      message.ack();
    }
  } catch (err) {
    console.error(`[heard] ingest: batch of ${usable.length} failed, writing one by one:`, err instanceof Error ? err.message : 'non-error thrown');
    for (const [i, { body, message }] of usable.entries()) {
      try {
        announce(body, await db.batch(statements[i]!));
        message.ack();
      } catch {
        message.retry({ delaySeconds: Math.min(300, 10 * 2 ** message.attempts) });
      }
    }
  }
  // After the acks: the responses are stored whatever happens here, and a fold that fails is
  // retried by the next batch, the cron or the next read, never by redelivering messages.
  const partnerships = new Set(usable.map(({ body }) => body.response.partnershipId));
  for (const partnershipId of partnerships) {
    try {
      await foldPending(db, partnershipId);
    } catch (err) {
      console.error('[heard] ingest: fold after a batch failed; the cron or the next read folds it:', err instanceof Error ? err.message : 'non-error thrown');
    }
  }
}
