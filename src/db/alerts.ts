import type { DisclosureCategory } from '../domain/analysis';
import { webhookBody } from '../domain/webhook';
import { queueOverdueEmailsStatement } from './email-deliveries';
import { insertDeliveryStatement } from './webhook-deliveries';

/** What every alert holds, as raised and as stored. */
interface AlertCore {
  id: string;
  partnershipId: string;
  surveyId: string;
  linkId: string | null;
  receivedDay: string;
  category: DisclosureCategory;
  current: boolean;
  evidenceSealed: string;
  textSealed: string;
}

export interface NewAlert extends AlertCore {
  partnerId: string | null;
  serviceId: string | null;
  createdAt: string;
  dueAt: string;
  /**
   * Flood control (migration 0013): a keyed hash naming what this alert is "the same as" (see
   * services/alert-flood.ts). Absent: always a new alert.
   */
  textHash?: string | null;
  /** 'burst': an alert standing for many flagged texts from one address; each is appended. */
  kind?: AlertKind;
}

export type AlertKind = 'single' | 'burst';

/** Flagged texts kept in one burst alert before another is started (bounds one row's size). */
export const BURST_MAX_TEXTS = 50;

/** An alert's values for ?1 to ?13 of the inserts below, in their column order. */
const alertColumns = (a: NewAlert) =>
  [
    a.id,
    a.partnershipId,
    a.surveyId,
    a.partnerId,
    a.serviceId,
    a.linkId,
    a.receivedDay,
    a.category,
    a.current ? 1 : 0,
    a.evidenceSealed,
    a.textSealed,
    a.createdAt,
    a.dueAt,
  ] as const;

/**
 * Queues an alert only if the response with `responseId` was stored by this request's insert,
 * so a retried submission never raises a second alert.
 */
export const insertAlertStatement = (db: D1Database, a: NewAlert, responseId: string, fingerprint: string) =>
  db
    .prepare(
      // One statement, so concurrent duplicates are counted, never inserted twice: an open alert
      // with the same text hash (same partnership, survey and day) takes this one as a count; a
      // burst alert also keeps its text, each part sealed on its own and joined by a space.
      `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, partner_id, service_id, link_id, received_day, category, current,
                                        evidence_sealed, text_sealed, created_at, due_at, text_hash, kind)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?16, ?17
       WHERE changes() = 1 AND EXISTS (SELECT 1 FROM responses WHERE id = ?14 AND fingerprint = ?15)
       ON CONFLICT (partnership_id, survey_id, received_day, text_hash) WHERE text_hash IS NOT NULL DO UPDATE SET
         received_count = received_count + 1,
         current = MAX(current, excluded.current),
         text_sealed = CASE WHEN kind = 'burst' THEN text_sealed || ' ' || excluded.text_sealed ELSE text_sealed END,
         evidence_sealed = CASE WHEN kind = 'burst' THEN evidence_sealed || ' ' || excluded.evidence_sealed ELSE evidence_sealed END`,
    )
    .bind(...alertColumns(a), responseId, fingerprint, a.textHash ?? null, a.kind ?? 'single');

/**
 * Queues the alert a chat raises when a typed reply is flagged, only if the conversation's alert
 * is still `previousAlertId` (null: none yet): the first statement claims the conversation, the
 * second inserts only if it did. Run both in one `db.batch`; the second's `meta.changes` says
 * whether the alert was queued.
 */
export const insertChatAlertStatements = (db: D1Database, a: NewAlert, conversationId: string, previousAlertId: string | null) => [
  db.prepare('UPDATE conversations SET alert_id = ?2 WHERE id = ?1 AND alert_id IS ?3').bind(conversationId, a.id, previousAlertId),
  db
    .prepare(
      `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, partner_id, service_id, link_id, received_day, category, current,
                                        evidence_sealed, text_sealed, created_at, due_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13
       WHERE changes() = 1`,
    )
    .bind(...alertColumns(a)),
  announcementStatement(db, a),
];

/**
 * The webhook outbox row for `a`, written only if `a` itself was inserted (see
 * db/webhook-deliveries.ts). Batch it after the alert insert: one transaction, so an alert is never
 * stored without its notice queued, nor a notice without its alert.
 */
export const announcementStatement = (db: D1Database, a: NewAlert) =>
  insertDeliveryStatement(db, {
    id: `msg_${crypto.randomUUID().replaceAll('-', '')}`,
    partnershipId: a.partnershipId,
    alertId: a.id,
    body: JSON.stringify(webhookBody(a)),
    at: a.createdAt,
  });

/** Adds more flagged text from the same chat to its alert while the alert is still waiting. */
export async function addToOpenAlert(db: D1Database, id: string, update: { textSealed: string; evidenceSealed: string; current: boolean }): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE safeguarding_alerts SET text_sealed = ?2, evidence_sealed = ?3, current = MAX(current, ?4)
       WHERE id = ?1 AND status <> 'acknowledged'`,
    )
    .bind(id, update.textSealed, update.evidenceSealed, update.current ? 1 : 0)
    .run();
  return result.meta.changes === 1;
}

export type AlertStatus = 'new' | 'overdue' | 'acknowledged';

/** An alert as stored, still sealed: only the alerts routes unseal it. */
export interface StoredAlert extends AlertCore {
  partner: { id: string; name: string | null } | null;
  service: { id: string; name: string | null } | null;
  /** The link's sealed contact reference, when the alert came through a link that has one. */
  contactRefSealed: string | null;
  status: AlertStatus;
  createdAt: string;
  dueAt: string;
  /** How many submissions this alert stands for (identical texts, or a burst from one address). */
  receivedCount: number;
  kind: AlertKind;
  /** The webhook notice for this alert, when the partnership had a webhook. */
  webhook: { status: 'pending' | 'delivered' | 'failed'; attempts: number; lastError: string | null } | null;
  /** The email notices about this alert (db/email-deliveries.ts), oldest first: to whom, and how each went. */
  emails: AlertEmail[];
  acknowledged: { at: string; byKeyId: string; byLabel: string | null; actionTaken: string; noteSealed: string | null } | null;
}

interface AlertRow {
  id: string;
  partnership_id: string;
  survey_id: string;
  partner_id: string | null;
  partner_name: string | null;
  service_id: string | null;
  service_name: string | null;
  link_id: string | null;
  received_day: string;
  category: DisclosureCategory;
  current: number;
  evidence_sealed: string;
  text_sealed: string;
  contact_ref_sealed: string | null;
  status: AlertStatus;
  created_at: string;
  due_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  acknowledged_by_label: string | null;
  action_taken: string | null;
  note_sealed: string | null;
  received_count: number;
  kind: AlertKind;
  webhook_status: 'pending' | 'delivered' | 'failed' | null;
  webhook_attempts: number | null;
  webhook_error: string | null;
  emails: string;
}

export interface AlertEmail {
  kind: 'alert-created' | 'alert-overdue';
  recipient: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
}

// Joins stay inside the alert's own partnership, so nothing of another partnership can leak in.
const SELECT_ALERTS = `
  SELECT a.id, a.partnership_id, a.survey_id, a.partner_id, p.name AS partner_name, a.service_id, s.name AS service_name,
         a.link_id, a.received_day, a.category, a.current, a.evidence_sealed, a.text_sealed, l.contact_ref_sealed,
         a.status, a.created_at, a.due_at, a.acknowledged_at, a.acknowledged_by, k.label AS acknowledged_by_label,
         a.action_taken, a.note_sealed, a.received_count, a.kind,
         d.status AS webhook_status, d.attempts AS webhook_attempts, d.last_error AS webhook_error,
         (SELECT json_group_array(json_object('kind', e.kind, 'recipient', e.recipient, 'status', e.status, 'attempts', e.attempts, 'lastError', e.last_error))
          FROM (SELECT * FROM email_deliveries WHERE partnership_id = a.partnership_id AND subject_id = a.id ORDER BY created_at, recipient) e) AS emails
  FROM safeguarding_alerts a
  LEFT JOIN partners p ON p.id = a.partner_id AND p.partnership_id = a.partnership_id
  LEFT JOIN services s ON s.id = a.service_id AND s.partnership_id = a.partnership_id
  LEFT JOIN feedback_links l ON l.id = a.link_id AND l.partnership_id = a.partnership_id
  LEFT JOIN api_keys k ON k.id = a.acknowledged_by AND k.partnership_id = a.partnership_id
  LEFT JOIN webhook_deliveries d ON d.id = (SELECT id FROM webhook_deliveries WHERE alert_id = a.id AND partnership_id = a.partnership_id ORDER BY created_at DESC LIMIT 1)`;

const toAlert = (r: AlertRow): StoredAlert => ({
  id: r.id,
  partnershipId: r.partnership_id,
  surveyId: r.survey_id,
  partner: r.partner_id ? { id: r.partner_id, name: r.partner_name } : null,
  service: r.service_id ? { id: r.service_id, name: r.service_name } : null,
  linkId: r.link_id,
  receivedDay: r.received_day,
  category: r.category,
  current: r.current === 1,
  evidenceSealed: r.evidence_sealed,
  textSealed: r.text_sealed,
  contactRefSealed: r.contact_ref_sealed,
  status: r.status,
  createdAt: r.created_at,
  dueAt: r.due_at,
  receivedCount: r.received_count,
  kind: r.kind,
  webhook: r.webhook_status ? { status: r.webhook_status, attempts: r.webhook_attempts ?? 0, lastError: r.webhook_error } : null,
  emails: JSON.parse(r.emails) as AlertEmail[],
  acknowledged:
    r.acknowledged_at && r.acknowledged_by
      ? {
          at: r.acknowledged_at,
          byKeyId: r.acknowledged_by,
          byLabel: r.acknowledged_by_label,
          actionTaken: r.action_taken ?? 'other',
          noteSealed: r.note_sealed,
        }
      : null,
});

export type AlertFilter = 'open' | 'acknowledged' | 'all';

/** Whose alerts: a partnership's, or (for a key tied to one partner) only that partner's. */
export interface AlertScope {
  partnershipId: string;
  partnerId: string | null;
}

/**
 * The partnership's alerts. Open ones (new and overdue) come first: current disclosures before
 * past ones, then by `severity` (category ids, most severe first; one not listed comes after every
 * listed one), then the soonest due. Acknowledged ones follow, most recently acknowledged first.
 */
export async function listAlerts(db: D1Database, scope: AlertScope, filter: AlertFilter, limit: number, severity: readonly string[]): Promise<StoredAlert[]> {
  const { results } = await db
    .prepare(
      `${SELECT_ALERTS}
       WHERE a.partnership_id = ?1 AND (?4 IS NULL OR a.partner_id = ?4)
         AND (?2 = 'all' OR (?2 = 'open' AND a.status IN ('new', 'overdue')) OR (?2 = 'acknowledged' AND a.status = 'acknowledged'))
       ORDER BY a.status = 'acknowledged',
                CASE WHEN a.status = 'acknowledged' THEN 0 ELSE a.current END DESC,
                CASE WHEN a.status = 'acknowledged' THEN 0 ELSE COALESCE((SELECT CAST(key AS INTEGER) FROM json_each(?5) WHERE value = a.category), 1000) END,
                CASE WHEN a.status = 'acknowledged' THEN a.acknowledged_at END DESC,
                a.due_at ASC, a.id
       LIMIT ?3`,
    )
    .bind(scope.partnershipId, filter, limit, scope.partnerId, JSON.stringify(severity))
    .all<AlertRow>();
  return results.map(toAlert);
}

export async function findAlert(db: D1Database, scope: AlertScope, id: string): Promise<StoredAlert | null> {
  const row = await db
    .prepare(`${SELECT_ALERTS} WHERE a.partnership_id = ?1 AND a.id = ?2 AND (?3 IS NULL OR a.partner_id = ?3)`)
    .bind(scope.partnershipId, id, scope.partnerId)
    .first<AlertRow>();
  return row ? toAlert(row) : null;
}

/** Records the acknowledgement unless the alert already has one; returns whether this call recorded it. */
export const acknowledgeAlertStatement = (
  db: D1Database,
  partnershipId: string,
  id: string,
  ack: { at: string; keyId: string; actionTaken: string; noteSealed: string },
) =>
  db
    .prepare(
      // The text hash is let go: a later identical disclosure raises a fresh alert rather than a
      // count on one already dealt with.
      `UPDATE safeguarding_alerts SET status = 'acknowledged', acknowledged_at = ?3, acknowledged_by = ?4, action_taken = ?5, note_sealed = ?6,
                                      text_hash = NULL
       WHERE partnership_id = ?1 AND id = ?2 AND status <> 'acknowledged'`,
    )
    .bind(partnershipId, id, ack.at, ack.keyId, ack.actionTaken, ack.noteSealed);

/** How long after creation an alert must be acknowledged before it is overdue. */
export const ALERT_DUE_HOURS = 1;
/** How long an acknowledged alert (text, evidence, note and all) is kept. */
export const ALERT_KEEP_DAYS = 30;

/**
 * Marks every waiting alert whose due time has passed as overdue, queueing its "overdue" email to
 * the partnership's recipients in the same transaction (once per alert). Returns how many changed.
 */
export async function markOverdueAlerts(db: D1Database, now: Date): Promise<number> {
  const at = now.toISOString();
  const [, marked] = await db.batch([
    queueOverdueEmailsStatement(db, at),
    db.prepare("UPDATE safeguarding_alerts SET status = 'overdue' WHERE status = 'new' AND due_at <= ?1").bind(at),
  ]);
  return marked!.meta.changes;
}

/** Deletes the whole row of every alert acknowledged {@link ALERT_KEEP_DAYS} or more days ago. */
export async function deleteExpiredAlerts(db: D1Database, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - ALERT_KEEP_DAYS * 86_400_000).toISOString();
  const result = await db.prepare("DELETE FROM safeguarding_alerts WHERE status = 'acknowledged' AND acknowledged_at <= ?1").bind(cutoff).run();
  return result.meta.changes;
}

/**
 * An alert raised by a decision that is batched just before it (a reviewer's escalation, a second
 * opinion): inserted only if that statement changed a row, so a decision made twice raises one.
 * `source` says who raised it: `review`, `model` or `ai:<model id>` (migration 0016).
 */
export const insertRaisedAlertStatements = (db: D1Database, a: NewAlert, source: string) => [
  db
    .prepare(
      `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, partner_id, service_id, link_id, received_day, category, current,
                                        evidence_sealed, text_sealed, created_at, due_at, source)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14
       WHERE changes() = 1`,
    )
    .bind(...alertColumns(a), source),
  announcementStatement(db, a),
];

/**
 * The alert for an "I'm not safe" press (services/unsafe.ts). Its id is derived from the press,
 * so the same press sent again (a double tap, a re-sent form) inserts nothing: one alert.
 */
export const insertPressAlertStatement = (db: D1Database, a: NewAlert) =>
  db
    .prepare(
      `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, partner_id, service_id, link_id, received_day, category, current,
                                        evidence_sealed, text_sealed, created_at, due_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(...alertColumns(a));
