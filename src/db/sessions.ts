import type { ApiKey, KeyRow } from './keys';

export interface DashboardSession {
  key: ApiKey;
  csrfToken: string;
  expiresAt: string;
}

/** Batch with the sign-in's audit row. */
export const insertSessionStatement = (db: D1Database, idHash: string, keyId: string, csrfToken: string, createdAt: string, expiresAt: string) =>
  db
    .prepare('INSERT INTO dashboard_sessions (id_hash, key_id, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)')
    .bind(idHash, keyId, csrfToken, createdAt, expiresAt);

/**
 * A live session whose key is still active, in a partnership that still allows key sign-in:
 * revoking a key, or switching key sign-in off, signs its sessions out.
 */
export async function findLiveSession(db: D1Database, idHash: string, now: string): Promise<DashboardSession | null> {
  const row = await db
    .prepare(
      `SELECT s.csrf_token, s.expires_at, k.id, k.partnership_id, k.partner_id, k.role, k.label, k.created_at, k.revoked_at
       FROM dashboard_sessions s JOIN api_keys k ON k.id = s.key_id JOIN partnerships p ON p.id = k.partnership_id
       WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND k.revoked_at IS NULL AND p.key_sign_in = 1`,
    )
    .bind(idHash, now)
    .first<Omit<KeyRow, 'key_hash'> & { csrf_token: string; expires_at: string }>();
  if (!row) return null;
  return {
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    key: {
      id: row.id,
      partnershipId: row.partnership_id,
      partnerId: row.partner_id,
      role: row.role,
      label: row.label,
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
    },
  };
}

/** Batch with the sign-out's audit row (`onlyIfChanged`). */
export const deleteSessionStatement = (db: D1Database, idHash: string) => db.prepare('DELETE FROM dashboard_sessions WHERE id_hash = ?1').bind(idHash);

export async function deleteExpiredSessions(db: D1Database, now: string): Promise<number> {
  const result = await db.prepare('DELETE FROM dashboard_sessions WHERE expires_at <= ?1').bind(now).run();
  return result.meta.changes;
}
