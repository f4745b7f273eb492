import type { ApiKey } from './keys';
import { prepared, type SqlStatement } from './sql';

/**
 * One audit row: who (the acting key, the signed-in person's account, or the operator at the command line), what (an action and
 * the ids it touched, with the subject's role and label for keys, tokens and sessions), when.
 * Never any content, and never a secret or its hash.
 */
export interface AuditEntry {
  id: string;
  at: string;
  who: { kind: 'key' | 'account'; keyId: string; role: string; label: string };
  action: AuditAction;
  subjectIds: string[];
  details?: AuditDetails;
}

export type AuditAction =
  | 'alerts.list'
  | 'alerts.read'
  | 'alerts.acknowledge'
  | 'reviews.list'
  | 'reviews.read'
  | 'reviews.decide'
  | 'reviews.correct'
  | 'labels.export'
  | 'partnership.alert-webhook'
  | 'partnership.alert-webhook-secret'
  | 'partnership.alert-email'
  | 'keys.create'
  | 'keys.revoke'
  | 'feed-tokens.create'
  | 'feed-tokens.revoke'
  | 'sessions.sign-in'
  | 'sessions.sign-out'
  | 'accounts.invite'
  | 'accounts.disable'
  | 'accounts.role'
  | 'oidc-providers.create'
  | SystemAuditAction;

/** Written by Heard itself (the cron), not by a key: `who` is `system`. */
export type SystemAuditAction = 'webhook.failed' | 'email.failed';

/** What a key, feed token or session was: enough to see what changed, nothing that grants access. */
export interface AuditDetails {
  role?: string;
  label?: string;
  partnerId?: string | null;
}

/** Who acted: an API key, or the operator running `npm run keys`. */
export type AuditActor =
  | Pick<ApiKey, 'id' | 'partnershipId' | 'role' | 'label' | 'kind'>
  | { id: string; partnershipId: string; role: 'operator'; label: string };

/** The operator at the command line (`npm run keys`): there is no key behind the first safeguarding-lead key. */
export const operatorActor = (partnershipId: string): AuditActor => ({ id: 'operator', partnershipId, role: 'operator', label: 'operator (cli)' });

interface AuditRow {
  id: string;
  at: string;
  key_id: string;
  key_role: string;
  key_label: string;
  actor_kind: 'key' | 'account';
  action: AuditAction;
  subject_ids: string;
  details: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  who: { kind: r.actor_kind, keyId: r.key_id, role: r.key_role, label: r.key_label },
  action: r.action,
  subjectIds: JSON.parse(r.subject_ids),
  ...(r.details ? { details: JSON.parse(r.details) as AuditDetails } : {}),
});

/**
 * The SQL that writes one audit row; batch it with the change it records. With `onlyIfChanged`,
 * it writes only if the statement just before it in the batch changed a row.
 */
export function auditInsertSql(
  actor: AuditActor,
  action: AuditAction,
  subjectIds: string[],
  at: string,
  opts: { onlyIfChanged?: boolean; details?: AuditDetails } = {},
): SqlStatement {
  return {
    sql: `INSERT INTO audit_log (id, partnership_id, at, key_id, key_role, key_label, action, subject_ids, details, actor_kind)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 ${opts.onlyIfChanged ? 'WHERE changes() = 1' : ''}`,
    params: [
      crypto.randomUUID(),
      actor.partnershipId,
      at,
      actor.id,
      actor.role,
      actor.label,
      action,
      JSON.stringify(subjectIds),
      opts.details ? JSON.stringify(opts.details) : null,
      'kind' in actor && actor.kind === 'account' ? 'account' : 'key',
    ],
  };
}

/** {@link auditInsertSql} as a D1 statement. */
export const insertAuditStatement = (
  db: D1Database,
  actor: AuditActor,
  action: AuditAction,
  subjectIds: string[],
  at: string,
  opts: { onlyIfChanged?: boolean; details?: AuditDetails } = {},
) => prepared(db, auditInsertSql(actor, action, subjectIds, at, opts));

/** Where a page of the audit log ends: the last row's time and id. */
export interface AuditCursor {
  at: string;
  id: string;
}

/** A page of the partnership's audit log, newest first, starting after `before` when given. */
export async function listAudit(db: D1Database, partnershipId: string, limit: number, before?: AuditCursor): Promise<AuditEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT id, at, key_id, key_role, key_label, actor_kind, action, subject_ids, details FROM audit_log
       WHERE partnership_id = ?1 AND (?2 IS NULL OR at < ?2 OR (at = ?2 AND id < ?3))
       ORDER BY at DESC, id DESC
       LIMIT ?4`,
    )
    .bind(partnershipId, before?.at ?? null, before?.id ?? '', limit)
    .all<AuditRow>();
  return results.map(toEntry);
}

/**
 * An audit row for something Heard did on its own (a webhook notice given up after its last try),
 * so the partnership's admins see it where they see everything else. Ids only, never content.
 */
export const insertSystemAuditStatement = (db: D1Database, partnershipId: string, action: SystemAuditAction, subjectIds: string[], at: string) =>
  db
    .prepare(
      `INSERT INTO audit_log (id, partnership_id, at, key_id, key_role, key_label, action, subject_ids)
       VALUES (?1, ?2, ?3, 'system', 'system', 'Heard', ?4, ?5)`,
    )
    .bind(crypto.randomUUID(), partnershipId, at, action, JSON.stringify(subjectIds));
