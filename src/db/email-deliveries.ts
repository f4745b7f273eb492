/**
 * The email outbox (migration 0017): one row per notice per recipient, tried at once where a
 * request can and then by the cron until sent or given up, like the webhook's outbox. A row holds
 * the kind of notice and to whom, never any words of a disclosure nor its category. New-alert rows
 * are written by the database itself, in the alert's own insert (trigger `safeguarding_alerts_email`).
 */

export type EmailKind = 'alert-created' | 'alert-overdue' | 'reviews-due';
export type EmailStatus = 'pending' | 'sent' | 'failed';

export interface EmailDelivery {
  /** The Message-ID's local part: the same on every try, so a mail system can drop repeats. */
  id: string;
  partnershipId: string;
  kind: EmailKind;
  /** The alert's id, or the digest's day. */
  subjectId: string;
  recipient: string;
  itemCount: number | null;
  status: EmailStatus;
  attempts: number;
  createdAt: string;
  lastError: string | null;
}

interface EmailRow {
  id: string;
  partnership_id: string;
  kind: EmailKind;
  subject_id: string;
  recipient: string;
  item_count: number | null;
  status: EmailStatus;
  attempts: number;
  created_at: string;
  last_error: string | null;
}

const toDelivery = (r: EmailRow): EmailDelivery => ({
  id: r.id,
  partnershipId: r.partnership_id,
  kind: r.kind,
  subjectId: r.subject_id,
  recipient: r.recipient,
  itemCount: r.item_count,
  status: r.status,
  attempts: r.attempts,
  createdAt: r.created_at,
  lastError: r.last_error,
});

const COLUMNS = 'id, partnership_id, kind, subject_id, recipient, item_count, status, attempts, created_at, last_error';

/**
 * Queues the "overdue" email, once per alert per recipient, for every alert still waiting past its
 * due time. Batch it just before the statement that marks those alerts overdue, with the same `now`:
 * the two see the same alerts, and the unique index keeps a second run from queueing it again.
 */
export const queueOverdueEmailsStatement = (db: D1Database, now: string) =>
  db
    .prepare(
      `INSERT OR IGNORE INTO email_deliveries (id, partnership_id, kind, subject_id, recipient, next_attempt_at, created_at)
       SELECT 'em' || lower(hex(randomblob(16))), a.partnership_id, 'alert-overdue', a.id, r.value, ?1, ?1
       FROM safeguarding_alerts a JOIN partnerships p ON p.id = a.partnership_id, json_each(COALESCE(p.alert_email_recipients, '[]')) r
       WHERE a.status = 'new' AND a.due_at <= ?1`,
    )
    .bind(now);

/** Queues one partnership's digest for `day` to each of its recipients, once a day (the unique index). Returns how many were queued. */
export async function queueDigest(db: D1Database, d: { partnershipId: string; day: string; count: number; at: string }): Promise<number> {
  const result = await db
    .prepare(
      `INSERT OR IGNORE INTO email_deliveries (id, partnership_id, kind, subject_id, recipient, item_count, next_attempt_at, created_at)
       SELECT 'em' || lower(hex(randomblob(16))), p.id, 'reviews-due', ?2, r.value, ?3, ?4, ?4
       FROM partnerships p, json_each(COALESCE(p.alert_email_recipients, '[]')) r
       WHERE p.id = ?1`,
    )
    .bind(d.partnershipId, d.day, d.count, d.at)
    .run();
  return result.meta.changes;
}

/** Whether a partnership's digest for `day` has been queued already (to anyone). */
export async function digestQueued(db: D1Database, partnershipId: string, day: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS queued FROM email_deliveries WHERE partnership_id = ?1 AND kind = 'reviews-due' AND subject_id = ?2 LIMIT 1")
    .bind(partnershipId, day)
    .first<{ queued: number }>();
  return row !== null;
}

/** The waiting notices about one alert (or digest day). */
export async function pendingEmailsFor(db: D1Database, partnershipId: string, subjectId: string): Promise<EmailDelivery[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM email_deliveries WHERE partnership_id = ?1 AND subject_id = ?2 AND status = 'pending'`)
    .bind(partnershipId, subjectId)
    .all<EmailRow>();
  return results.map(toDelivery);
}

/** Waiting notices whose next try is due, oldest first. */
export async function dueEmails(db: D1Database, now: string, limit: number): Promise<EmailDelivery[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM email_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2`)
    .bind(now, limit)
    .all<EmailRow>();
  return results.map(toDelivery);
}

/**
 * Takes the next try of a notice before anything is sent: counts it and moves its next try to
 * `retryAt`, so a Worker that dies mid-send leaves it for the cron, and two runners (a request's
 * waitUntil and the cron) never send the same try twice. False: another runner took it.
 */
export async function claimEmailAttempt(db: D1Database, e: EmailDelivery, now: string, retryAt: string): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE email_deliveries SET attempts = attempts + 1, last_attempt_at = ?3, next_attempt_at = ?4
       WHERE id = ?1 AND status = 'pending' AND attempts = ?2`,
    )
    .bind(e.id, e.attempts, now, retryAt)
    .run();
  return result.meta.changes === 1;
}

/** Records how a try went: sent, still pending (its next try already set by the claim), or given up. */
export const recordEmailAttemptStatement = (db: D1Database, id: string, outcome: { status: EmailStatus; at: string; error: string | null }) =>
  db
    .prepare(
      `UPDATE email_deliveries SET status = ?2, last_error = ?3, sent_at = CASE WHEN ?2 = 'sent' THEN ?4 END
       WHERE id = ?1 AND status = 'pending'`,
    )
    .bind(id, outcome.status, outcome.error, outcome.at);

/** The partnership's notices not sent: failed ones, and pending ones that have been tried, queued since `since`; newest first. */
export async function undeliveredEmails(db: D1Database, partnershipId: string, since: string, limit: number): Promise<EmailDelivery[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM email_deliveries
       WHERE partnership_id = ?1 AND created_at >= ?2 AND (status = 'failed' OR (status = 'pending' AND attempts > 0))
       ORDER BY created_at DESC, id LIMIT ?3`,
    )
    .bind(partnershipId, since, limit)
    .all<EmailRow>();
  return results.map(toDelivery);
}

/** Partnerships that have someone to email, for the daily digest. */
export async function partnershipsWithRecipients(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT id FROM partnerships WHERE json_array_length(COALESCE(alert_email_recipients, '[]')) > 0 ORDER BY id")
    .all<{ id: string }>();
  return results.map((r) => r.id);
}
