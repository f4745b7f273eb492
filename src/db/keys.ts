import type { Role } from '../schemas/common';
import { prepared, type SqlStatement } from './sql';

export interface ApiKey {
  id: string;
  partnershipId: string;
  partnerId: string | null;
  role: Role;
  label: string;
  createdAt: string;
  revokedAt: string | null;
  /** Set for a signed-in person (db/accounts.ts accountActor); absent for an API key. */
  kind?: 'account';
}
export interface KeyRow {
  id: string;
  partnership_id: string;
  partner_id: string | null;
  role: Role;
  label: string;
  created_at: string;
  revoked_at: string | null;
  key_hash: string;
}

const toKey = (r: Omit<KeyRow, 'key_hash'>): ApiKey => ({
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

/** The SQL that stores a new key: only the hash of its secret, from `sha256Hex` (the API and `npm run keys` alike). */
export const insertKeySql = (key: Omit<ApiKey, 'revokedAt'>, keyHash: string): SqlStatement => ({
  sql: 'INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
  params: [key.id, keyHash, key.partnershipId, key.partnerId, key.role, key.label, key.createdAt],
});

export const insertKeyStatement = (db: D1Database, key: Omit<ApiKey, 'revokedAt'>, keyHash: string) => prepared(db, insertKeySql(key, keyHash));

/** The SQL that lists a partnership's keys (never their hashes). */
export const listKeysSql = (partnershipId: string): SqlStatement => ({
  sql: 'SELECT id, partnership_id, partner_id, role, label, created_at, revoked_at FROM api_keys WHERE partnership_id = ?1 ORDER BY created_at',
  params: [partnershipId],
});

/** One key of this partnership, active or not. */
export async function findKey(db: D1Database, partnershipId: string, id: string): Promise<ApiKey | null> {
  const row = await db
    .prepare('SELECT id, partnership_id, partner_id, role, label, created_at, revoked_at FROM api_keys WHERE partnership_id = ?1 AND id = ?2')
    .bind(partnershipId, id)
    .first<Omit<KeyRow, 'key_hash'>>();
  return row ? toKey(row) : null;
}

/** The SQL that revokes an active key of this partnership; batch the audit row after it with `onlyIfChanged`. */
export const revokeKeySql = (partnershipId: string, id: string, at: string): SqlStatement => ({
  sql: 'UPDATE api_keys SET revoked_at = ?3 WHERE partnership_id = ?1 AND id = ?2 AND revoked_at IS NULL',
  params: [partnershipId, id, at],
});

export async function listKeys(db: D1Database, partnershipId: string): Promise<ApiKey[]> {
  const { results } = await prepared(db, listKeysSql(partnershipId)).all<Omit<KeyRow, 'key_hash'>>();
  return results.map(toKey);
}

/** Notes that a key was used today; the condition makes it a no-op after the first use of the day. */
export const markKeyUsedStatement = (db: D1Database, id: string, day: string) =>
  db.prepare('UPDATE api_keys SET last_used_on = ?2 WHERE id = ?1 AND (last_used_on IS NULL OR last_used_on < ?2)').bind(id, day);

/** The day each key of a partnership was last used (keys never used are absent). */
export async function keysLastUsed(db: D1Database, partnershipId: string): Promise<Map<string, string>> {
  const { results } = await db
    .prepare('SELECT id, last_used_on FROM api_keys WHERE partnership_id = ?1 AND last_used_on IS NOT NULL')
    .bind(partnershipId)
    .all<{ id: string; last_used_on: string }>();
  return new Map(results.map((r) => [r.id, r.last_used_on]));
}
