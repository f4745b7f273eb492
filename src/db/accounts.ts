import type { Role } from '../schemas/common';
import type { ApiKey } from './keys';

/** A person on a partnership's staff (issue 16). API keys stay for machines. */
export type AccountStatus = 'invited' | 'active' | 'disabled';

export interface Account {
  id: string;
  partnershipId: string;
  email: string;
  displayName: string;
  role: Role;
  partnerId: string | null;
  status: AccountStatus;
  createdAt: string;
  lastSignInAt: string | null;
}

interface AccountRow {
  id: string;
  partnership_id: string;
  email: string;
  display_name: string;
  role: Role;
  partner_id: string | null;
  status: AccountStatus;
  created_at: string;
  last_sign_in_at: string | null;
}

const COLUMNS = 'id, partnership_id, email, display_name, role, partner_id, status, created_at, last_sign_in_at';

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  partnershipId: r.partnership_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  partnerId: r.partner_id,
  status: r.status,
  createdAt: r.created_at,
  lastSignInAt: r.last_sign_in_at,
});

/**
 * What the rest of Heard sees of a signed-in person: the same shape as a key, so access rules and
 * the audit log treat both alike, with `kind: 'account'` and the person's name and email as label.
 */
export const accountActor = (a: Account): ApiKey => ({
  id: a.id,
  partnershipId: a.partnershipId,
  partnerId: a.partnerId,
  role: a.role,
  label: `${a.displayName} <${a.email}>`,
  createdAt: a.createdAt,
  revokedAt: null,
  kind: 'account',
});

export const insertAccountStatement = (db: D1Database, a: Account) =>
  db
    .prepare(`INSERT INTO accounts (${COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`)
    .bind(a.id, a.partnershipId, a.email, a.displayName, a.role, a.partnerId, a.status, a.createdAt, a.lastSignInAt);

export async function findAccountByEmail(db: D1Database, email: string): Promise<Account | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE email = ?1`).bind(email.toLowerCase()).first<AccountRow>();
  return row ? toAccount(row) : null;
}

export async function findAccount(db: D1Database, partnershipId: string, id: string): Promise<Account | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE partnership_id = ?1 AND id = ?2`).bind(partnershipId, id).first<AccountRow>();
  return row ? toAccount(row) : null;
}

export async function findAccountById(db: D1Database, id: string): Promise<Account | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE id = ?1`).bind(id).first<AccountRow>();
  return row ? toAccount(row) : null;
}

export async function listAccounts(db: D1Database, partnershipId: string): Promise<Account[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE partnership_id = ?1 ORDER BY email`).bind(partnershipId).all<AccountRow>();
  return results.map(toAccount);
}

/** Disables an account that is not already disabled; batch the sessions' deletion and the audit row (onlyIfChanged) after it. */
export const disableAccountStatement = (db: D1Database, partnershipId: string, id: string) =>
  db.prepare("UPDATE accounts SET status = 'disabled' WHERE partnership_id = ?1 AND id = ?2 AND status != 'disabled'").bind(partnershipId, id);

export const changeRoleStatement = (db: D1Database, partnershipId: string, id: string, role: Role, partnerId: string | null) =>
  db.prepare('UPDATE accounts SET role = ?3, partner_id = ?4 WHERE partnership_id = ?1 AND id = ?2').bind(partnershipId, id, role, partnerId);

/** A sign-in makes an invited account active and records when; a disabled one stays disabled. */
export const recordSignInStatement = (db: D1Database, id: string, at: string) =>
  db.prepare("UPDATE accounts SET status = 'active', last_sign_in_at = ?2 WHERE id = ?1 AND status != 'disabled'").bind(id, at);

// One-time links ----------------------------------------------------------------------------------

export type LinkPurpose = 'invitation' | 'sign-in';

export const insertLinkStatement = (
  db: D1Database,
  link: { tokenHash: string; accountId: string; purpose: LinkPurpose; browserHash: string | null; createdAt: string; expiresAt: string },
) =>
  db
    .prepare('INSERT INTO account_links (token_hash, account_id, purpose, browser_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(link.tokenHash, link.accountId, link.purpose, link.browserHash, link.createdAt, link.expiresAt);

/**
 * Uses a link once: marks it used if it is unused, unexpired, of this purpose and (for sign-in
 * links) asked for by this browser, in one statement so two clicks cannot both pass.
 * Returns the account it belongs to, or null.
 */
export async function consumeLink(db: D1Database, tokenHash: string, purpose: LinkPurpose, browserHash: string | null, now: string): Promise<string | null> {
  const row = await db
    .prepare(
      `UPDATE account_links SET used_at = ?4
       WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?4 AND (?3 IS NULL OR browser_hash = ?3)
       RETURNING account_id`,
    )
    .bind(tokenHash, purpose, purpose === 'sign-in' ? (browserHash ?? '') : null, now)
    .first<{ account_id: string }>();
  return row?.account_id ?? null;
}

/** Whether a link is still usable (shown before the person confirms, so a mail scanner's visit uses nothing). */
export async function linkUsable(db: D1Database, tokenHash: string, purpose: LinkPurpose, now: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS ok FROM account_links WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3')
    .bind(tokenHash, purpose, now)
    .first<{ ok: number }>();
  return row !== null;
}

// Sessions ----------------------------------------------------------------------------------------

export const insertAccountSessionStatement = (
  db: D1Database,
  s: { idHash: string; accountId: string; csrfToken: string; createdAt: string; idleExpiresAt: string; absoluteExpiresAt: string },
) =>
  db
    .prepare('INSERT INTO account_sessions (id_hash, account_id, csrf_token, created_at, idle_expires_at, absolute_expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(s.idHash, s.accountId, s.csrfToken, s.createdAt, s.idleExpiresAt, s.absoluteExpiresAt);

export interface AccountSession {
  account: Account;
  csrfToken: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

/** A live session of an active account: neither idle too long nor past its absolute end. */
export async function findLiveAccountSession(db: D1Database, idHash: string, now: string): Promise<AccountSession | null> {
  const row = await db
    .prepare(
      `SELECT s.csrf_token, s.idle_expires_at, s.absolute_expires_at, a.id, a.partnership_id, a.email, a.display_name, a.role, a.partner_id, a.status, a.created_at, a.last_sign_in_at
       FROM account_sessions s JOIN accounts a ON a.id = s.account_id
       WHERE s.id_hash = ?1 AND s.idle_expires_at > ?2 AND s.absolute_expires_at > ?2 AND a.status = 'active'`,
    )
    .bind(idHash, now)
    .first<AccountRow & { csrf_token: string; idle_expires_at: string; absolute_expires_at: string }>();
  if (!row) return null;
  return { account: toAccount(row), csrfToken: row.csrf_token, idleExpiresAt: row.idle_expires_at, absoluteExpiresAt: row.absolute_expires_at };
}

/** Activity pushes the idle end on, never past the absolute end. */
export async function renewAccountSession(db: D1Database, idHash: string, idleExpiresAt: string): Promise<void> {
  await db.prepare('UPDATE account_sessions SET idle_expires_at = MIN(?2, absolute_expires_at) WHERE id_hash = ?1').bind(idHash, idleExpiresAt).run();
}

/** Every session of an account: on disabling, a role change, or signing out. */
export const deleteAccountSessionsStatement = (db: D1Database, accountId: string) =>
  db.prepare('DELETE FROM account_sessions WHERE account_id = ?1').bind(accountId);

/** Sessions, one-time links and started single sign-ons past their end (the cron's cleanup); answers how many rows went. */
export async function deleteExpiredAccountState(db: D1Database, now: string): Promise<number> {
  const results = await db.batch([
    db.prepare('DELETE FROM account_sessions WHERE absolute_expires_at <= ?1 OR idle_expires_at <= ?1').bind(now),
    db.prepare('DELETE FROM account_links WHERE expires_at <= ?1').bind(now),
    db.prepare('DELETE FROM oidc_attempts WHERE expires_at <= ?1').bind(now),
  ]);
  return results.reduce((sum, r) => sum + r.meta.changes, 0);
}
