/**
 * The alert webhook's outbox (migration 0013): one row per alert notice, tried at once and then
 * by the cron until delivered or given up. The body is content-free (ids and category).
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  /** The `webhook-id`: the same on every try, so the receiver can drop repeats. */
  id: string;
  partnershipId: string;
  alertId: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  lastStatus: number | null;
  lastError: string | null;
}

interface DeliveryRow {
  id: string;
  partnership_id: string;
  alert_id: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  last_status: number | null;
  last_error: string | null;
}

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  partnershipId: r.partnership_id,
  alertId: r.alert_id,
  body: r.body,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
});

const COLUMNS = 'id, partnership_id, alert_id, body, status, attempts, next_attempt_at, created_at, last_status, last_error';

/**
 * Queues the notice for alert `alertId`, only if that alert row exists (this batch's alert insert
 * really inserted it, rather than counting a duplicate onto an older alert) and the partnership
 * has a webhook. Batch it right after the alert insert.
 */
export const insertDeliveryStatement = (db: D1Database, d: { id: string; partnershipId: string; alertId: string; body: string; at: string }) =>
  db
    .prepare(
      `INSERT INTO webhook_deliveries (id, partnership_id, alert_id, body, status, attempts, next_attempt_at, created_at)
       SELECT ?1, p.id, ?3, ?4, 'pending', 0, ?5, ?5 FROM partnerships p
       WHERE p.id = ?2 AND p.alert_webhook_url IS NOT NULL AND EXISTS (SELECT 1 FROM safeguarding_alerts WHERE id = ?3 AND partnership_id = ?2)`,
    )
    .bind(d.id, d.partnershipId, d.alertId, d.body, d.at);

/** The waiting notices for one alert (normally one). */
export async function pendingDeliveriesFor(db: D1Database, alertId: string): Promise<Delivery[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE alert_id = ?1 AND status = 'pending'`).bind(alertId).all<DeliveryRow>();
  return results.map(toDelivery);
}

/** Waiting notices whose next try is due, oldest first. */
export async function dueDeliveries(db: D1Database, now: string, limit: number): Promise<Delivery[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2`)
    .bind(now, limit)
    .all<DeliveryRow>();
  return results.map(toDelivery);
}

/**
 * Takes the next try of a notice: counts it and moves its next try to `retryAt` before anything is
 * sent, so a Worker that dies mid-send leaves it for the cron, and two runners (the request's
 * waitUntil and the cron) never send the same try twice. False: another runner took it.
 */
export async function claimAttempt(db: D1Database, d: Delivery, now: string, retryAt: string): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?3, next_attempt_at = ?4
       WHERE id = ?1 AND status = 'pending' AND attempts = ?2`,
    )
    .bind(d.id, d.attempts, now, retryAt)
    .run();
  return result.meta.changes === 1;
}

/** Records how a try went: delivered, or still pending (its next try already set by the claim), or given up. */
export const recordAttemptStatement = (
  db: D1Database,
  id: string,
  outcome: { status: DeliveryStatus; at: string; httpStatus: number | null; error: string | null },
) =>
  db
    .prepare(
      `UPDATE webhook_deliveries SET status = ?2, last_status = ?3, last_error = ?4, delivered_at = CASE WHEN ?2 = 'delivered' THEN ?5 END
       WHERE id = ?1 AND status = 'pending'`,
    )
    .bind(id, outcome.status, outcome.httpStatus, outcome.error, outcome.at);
