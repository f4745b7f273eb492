import type { Role } from '../schemas/common';

export interface ApiKey {
  id: string;
  partnershipId: string;
  partnerId: string | null;
  role: Role;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}
interface KeyRow {
  id: string;
  partnership_id: string;
  partner_id: string | null;
  role: Role;
  label: string;
  created_at: string;
  revoked_at: string | null;
  key_hash: string;
}

const toKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  partnershipId: r.partnership_id,
  partnerId: r.partner_id,
  role: r.role,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** The active key with this hash, and the stored hash so the caller can compare in constant time. */
export async function findActiveKeyByHash(db: D1Database, keyHash: string): Promise<{ key: ApiKey; storedHash: string } | null> {
  const row = await db
    .prepare('SELECT id, partnership_id, partner_id, role, label, created_at, revoked_at, key_hash FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL')
    .bind(keyHash)
    .first<KeyRow>();
  return row ? { key: toKey(row), storedHash: row.key_hash } : null;
}

export const insertKeyStatement = (db: D1Database, key: Omit<ApiKey, 'revokedAt'>, keyHash: string) =>
  db
    .prepare('INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
    .bind(key.id, keyHash, key.partnershipId, key.partnerId, key.role, key.label, key.createdAt);

export async function listKeys(db: D1Database, partnershipId: string): Promise<ApiKey[]> {
  const { results } = await db
    .prepare('SELECT id, partnership_id, partner_id, role, label, created_at, revoked_at, key_hash FROM api_keys WHERE partnership_id = ?1 ORDER BY created_at')
    .bind(partnershipId)
    .all<KeyRow>();
  return results.map(toKey);
}

/** Revokes a key of this partnership; returns false when there is no such active key. */
export async function revokeKey(db: D1Database, partnershipId: string, id: string, at: string): Promise<boolean> {
  const result = await db
    .prepare('UPDATE api_keys SET revoked_at = ?3 WHERE partnership_id = ?1 AND id = ?2 AND revoked_at IS NULL')
    .bind(partnershipId, id, at)
    .run();
  return result.meta.changes === 1;
}
