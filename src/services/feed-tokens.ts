import { insertAuditStatement } from '../db/audit';
import { findFeedToken, insertFeedTokenStatement, listFeedTokens, revokeFeedTokenStatement, type FeedToken, type FeedTokenOwner } from '../db/feed-tokens';
import type { ApiKey } from '../db/keys';
import { newId, randomSecret, sha256Hex } from '../lib/crypto';
import { notFound } from '../lib/errors';
import { nowIso } from '../lib/time';

/**
 * Read-only feed tokens for feed readers. A token is scoped like the key that made it and shown
 * once; making and revoking one is in the audit log.
 */

export type { FeedToken };

/** An admin manages every token of its partnership; any other key only the tokens it made itself. */
export const ownerFor = (key: ApiKey): FeedTokenOwner => ({ partnershipId: key.partnershipId, createdBy: key.role === 'admin' ? null : key.id });

export async function createFeedToken(db: D1Database, key: ApiKey, label: string): Promise<{ token: FeedToken; secret: string }> {
  const secret = randomSecret('ft_');
  const token: FeedToken = {
    id: newId(),
    partnershipId: key.partnershipId,
    partnerId: key.partnerId,
    createdBy: key.id,
    label,
    createdAt: nowIso(),
    revokedAt: null,
  };
  await db.batch([
    insertFeedTokenStatement(db, token, await sha256Hex(secret)),
    insertAuditStatement(db, key, 'feed-tokens.create', [token.id], token.createdAt, { details: { label, partnerId: token.partnerId } }),
  ]);
  return { token, secret };
}

export const feedTokensOf = (db: D1Database, key: ApiKey) => listFeedTokens(db, ownerFor(key));

/** Revokes a token the key may revoke (404 for anyone else's, so ids of others' tokens are not confirmed). */
export async function revokeFeedToken(db: D1Database, key: ApiKey, id: string): Promise<void> {
  const owner = ownerFor(key);
  const token = await findFeedToken(db, owner, id);
  if (!token || token.revokedAt) throw notFound('active feed token');
  const at = nowIso();
  const [revoked] = await db.batch([
    revokeFeedTokenStatement(db, owner, id, at),
    insertAuditStatement(db, key, 'feed-tokens.revoke', [id], at, { onlyIfChanged: true, details: { label: token.label, partnerId: token.partnerId } }),
  ]);
  if (revoked!.meta.changes !== 1) throw notFound('active feed token');
}

/** The feed addresses for a token (or, without one, for a reader that sends its key as a header). */
export const feedUrls = (origin: string, token?: string) => {
  const q = token ? `?token=${token}` : '';
  return {
    atom: `${origin}/api/v1/feeds/insights.atom${q}`,
    json: `${origin}/api/v1/feeds/insights.json${q}`,
    csv: `${origin}/api/v1/insights.csv${q}`,
  };
};
