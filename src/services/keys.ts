import { auditInsertSql, type AuditActor } from '../db/audit';
import { findKey, insertKeySql, keysLastUsed, listKeys, revokeKeySql, type ApiKey } from '../db/keys';
import { prepared, type SqlStatement } from '../db/sql';
import { newId, randomSecret, sha256Hex } from '../lib/crypto';
import { ApiError, forbidden, invalid, notFound } from '../lib/errors';
import { findPartner } from '../db/partners';
import { nowIso } from '../lib/time';
import type { Role } from '../schemas/common';

/**
 * API keys: who may make which, and the statements that store one with its audit row. The API
 * and the operator's `npm run keys` both build keys here, so a key made either way is stored
 * (only as its SHA-256) and audited the same way.
 */

/** Keys that unseal a child's words: alert text (safeguarding lead) or review items (reviewer). */
const UNSEALING_ROLES: readonly Role[] = ['safeguarding-lead', 'reviewer'];

/**
 * Safeguarding-lead and reviewer keys unseal a child's words, so only a safeguarding lead (or the
 * operator at the command line, for the first one) makes or revokes them: an admin minting one
 * for themself was the way round the seal. Every other key stays an admin's to manage.
 */
export function assertMayManage(actorRole: Role, targetRole: Role): void {
  if (UNSEALING_ROLES.includes(targetRole)) {
    if (actorRole !== 'safeguarding-lead') {
      throw new ApiError(
        403,
        'safeguarding_lead_only',
        `Only a safeguarding lead may create or revoke ${targetRole} keys. Ask a safeguarding lead, or the operator (npm run keys).`,
      );
    }
  } else if (actorRole !== 'admin') {
    throw forbidden('Only an admin may create or revoke keys for this role.');
  }
}

export interface NewKeyInput {
  role: Role;
  partnerId: string | null;
  label: string;
}

/** A new key's secret (shown once), its record, and the statements that store its hash and the audit row. */
export async function newKey(actor: AuditActor, input: NewKeyInput): Promise<{ key: ApiKey; secret: string; statements: SqlStatement[] }> {
  const secret = randomSecret('hk_');
  const key: ApiKey = {
    id: newId(),
    partnershipId: actor.partnershipId,
    partnerId: input.partnerId,
    role: input.role,
    label: input.label,
    createdAt: nowIso(),
    revokedAt: null,
  };
  const statements = [
    insertKeySql(key, await sha256Hex(secret)),
    auditInsertSql(actor, 'keys.create', [key.id], key.createdAt, { details: { role: key.role, label: key.label, partnerId: key.partnerId } }),
  ];
  return { key, secret, statements };
}

/** The statements that revoke a key and, only if it was active, audit it. */
export const revokeKeyStatements = (actor: AuditActor, target: Pick<ApiKey, 'id' | 'role' | 'label' | 'partnerId'>, at = nowIso()): SqlStatement[] => [
  revokeKeySql(actor.partnershipId, target.id, at),
  auditInsertSql(actor, 'keys.revoke', [target.id], at, {
    onlyIfChanged: true,
    details: { role: target.role, label: target.label, partnerId: target.partnerId },
  }),
];

/** Creates a key as `actor`, with its audit row in the same batch; its partner, if any, must be one of the partnership's. */
export async function createKey(db: D1Database, actor: ApiKey, input: NewKeyInput): Promise<{ key: ApiKey; secret: string }> {
  assertMayManage(actor.role, input.role);
  if (input.partnerId && !(await findPartner(db, actor.partnershipId, input.partnerId))) {
    throw invalid([{ path: 'partnerId', message: 'is not a partner of this partnership' }]);
  }
  const { key, secret, statements } = await newKey(actor, input);
  await db.batch(statements.map((s) => prepared(db, s)));
  return { key, secret };
}

/** Revokes an active key of the actor's partnership; the revocation and its audit row are stored together or not at all. */
export async function revokeKey(db: D1Database, actor: ApiKey, id: string): Promise<void> {
  const target = await findKey(db, actor.partnershipId, id);
  if (!target || target.revokedAt) throw notFound('active key');
  assertMayManage(actor.role, target.role);
  const [revoked] = await db.batch(revokeKeyStatements(actor, target).map((s) => prepared(db, s)));
  if (revoked!.meta.changes !== 1) throw notFound('active key');
}

/** Which keys an actor sees: an admin all of them, a safeguarding lead the safeguarding-lead and reviewer keys it manages. */
export const visibleKeys = (actor: ApiKey, keys: ApiKey[]) => (actor.role === 'admin' ? keys : keys.filter((k) => UNSEALING_ROLES.includes(k.role)));

/** The keys an actor manages, each with the day it was last used (null: never). */
export type KeyWithUse = ApiKey & { lastUsedOn: string | null };

export async function keysWithUse(db: D1Database, actor: ApiKey): Promise<KeyWithUse[]> {
  const [keys, used] = await Promise.all([listKeys(db, actor.partnershipId), keysLastUsed(db, actor.partnershipId)]);
  return visibleKeys(actor, keys).map((k) => ({ ...k, lastUsedOn: used.get(k.id) ?? null }));
}
