export interface FeedToken {
  id: string;
  partnershipId: string;
  partnerId: string | null;
  createdBy: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}
interface Row {
  id: string;
  partnership_id: string;
  partner_id: string | null;
  created_by: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
  token_hash: string;
}
const COLUMNS = 'id, partnership_id, partner_id, created_by, label, created_at, revoked_at, token_hash';
const toToken = (r: Row): FeedToken => ({
  id: r.id,
  partnershipId: r.partnership_id,
  partnerId: r.partner_id,
  createdBy: r.created_by,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export async function findActiveFeedToken(db: D1Database, tokenHash: string): Promise<{ token: FeedToken; storedHash: string } | null> {
  // A token dies with the key that made it.
  const row = await db
    .prepare(
      `SELECT ${COLUMNS} FROM feed_tokens
       WHERE token_hash = ?1 AND revoked_at IS NULL
         AND created_by IN (SELECT id FROM api_keys WHERE revoked_at IS NULL)`,
    )
    .bind(tokenHash)
    .first<Row>();
  return row ? { token: toToken(row), storedHash: row.token_hash } : null;
}

export const insertFeedTokenStatement = (db: D1Database, token: Omit<FeedToken, 'revokedAt'>, tokenHash: string) =>
  db
    .prepare('INSERT INTO feed_tokens (id, token_hash, partnership_id, partner_id, created_by, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
    .bind(token.id, tokenHash, token.partnershipId, token.partnerId, token.createdBy, token.label, token.createdAt);

/** Whose tokens a key may see and revoke: any of its partnership's for an admin, otherwise only the ones it made. */
export interface FeedTokenOwner {
  partnershipId: string;
  /** null: every token of the partnership. */
  createdBy: string | null;
}

export async function listFeedTokens(db: D1Database, owner: FeedTokenOwner): Promise<FeedToken[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM feed_tokens WHERE partnership_id = ?1 AND (?2 IS NULL OR created_by = ?2) ORDER BY created_at`)
    .bind(owner.partnershipId, owner.createdBy)
    .all<Row>();
  return results.map(toToken);
}

export async function findFeedToken(db: D1Database, owner: FeedTokenOwner, id: string): Promise<FeedToken | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM feed_tokens WHERE partnership_id = ?1 AND (?2 IS NULL OR created_by = ?2) AND id = ?3`)
    .bind(owner.partnershipId, owner.createdBy, id)
    .first<Row>();
  return row ? toToken(row) : null;
}

/** Revokes an active token the owner may revoke; batch the audit row after it with `onlyIfChanged`. */
export const revokeFeedTokenStatement = (db: D1Database, owner: FeedTokenOwner, id: string, at: string) =>
  db
    .prepare('UPDATE feed_tokens SET revoked_at = ?4 WHERE partnership_id = ?1 AND (?2 IS NULL OR created_by = ?2) AND id = ?3 AND revoked_at IS NULL')
    .bind(owner.partnershipId, owner.createdBy, id, at);
