import { EmailMessage } from 'cloudflare:email';
import {
  accountActor,
  changeRoleStatement,
  consumeLink,
  deleteAccountSessionsStatement,
  disableAccountStatement,
  findAccount,
  findAccountByEmail,
  findAccountById,
  insertAccountSessionStatement,
  insertAccountStatement,
  insertLinkStatement,
  recordSignInStatement,
  type Account,
  type LinkPurpose,
} from '../db/accounts';
import { insertAuditStatement } from '../db/audit';
import type { ApiKey } from '../db/keys';
import { findPartner } from '../db/partners';
import { newId, randomSecret, sha256Hex } from '../lib/crypto';
import { ApiError, conflict, invalid, notFound } from '../lib/errors';
import type { Role } from '../schemas/common';
import { assertMayManage } from './keys';

export type { Account };

/**
 * Staff accounts (issue 16): invitations, email-link sign-in, disabling and role changes, and the
 * sessions a signed-in person holds. Every change is in the audit log, naming who made it.
 */

export const INVITATION_HOURS = 72;
export const SIGN_IN_LINK_MINUTES = 15;
export const SESSION_IDLE_HOURS = 8;
export const SESSION_ABSOLUTE_HOURS = 12;

/** What sending a link needs: the binding and the sender (wrangler.toml), the outbox is not used: a link is worth nothing late. */
export interface AccountEmailEnv {
  DB: D1Database;
  ALERT_EMAIL?: SendEmail;
  ALERT_EMAIL_FROM?: string;
}

export interface InviteInput {
  email: string;
  displayName: string;
  role: Role;
  partnerId: string | null;
}

const hours = (now: Date, h: number) => new Date(now.getTime() + h * 3600_000).toISOString();

/**
 * An admin (or, for safeguarding-lead and reviewer, a safeguarding lead) invites a person: the
 * account is stored as invited, and a one-time link valid for 72 hours is emailed to them.
 */
export async function inviteAccount(env: AccountEmailEnv, actor: ApiKey, input: InviteInput, baseUrl: string): Promise<Account> {
  assertMayManage(actor.role, input.role);
  await assertPartnerFits(env.DB, actor.partnershipId, input.role, input.partnerId);
  const email = input.email.toLowerCase();
  if (await findAccountByEmail(env.DB, email)) throw conflict('account_exists', 'There is already an account for this email address.');
  const now = new Date();
  const account: Account = {
    id: newId(),
    partnershipId: actor.partnershipId,
    email,
    displayName: input.displayName,
    role: input.role,
    partnerId: input.role === 'practice-lead' ? input.partnerId : null,
    status: 'invited',
    createdAt: now.toISOString(),
    lastSignInAt: null,
  };
  const token = randomSecret('hi_', 32);
  await env.DB.batch([
    insertAccountStatement(env.DB, account),
    insertLinkStatement(env.DB, {
      tokenHash: await sha256Hex(token),
      accountId: account.id,
      purpose: 'invitation',
      browserHash: null,
      createdAt: account.createdAt,
      expiresAt: hours(now, INVITATION_HOURS),
    }),
    insertAuditStatement(env.DB, actor, 'accounts.invite', [account.id], account.createdAt, {
      details: { role: account.role, label: `${account.displayName} <${account.email}>`, partnerId: account.partnerId },
    }),
  ]);
  await sendLink(env, account.email, 'You have been invited to Heard', [
    `${actor.label} has invited you to the Heard dashboard as ${account.role}.`,
    '',
    `Open this link within ${INVITATION_HOURS} hours to accept. It works once:`,
    `${baseUrl}/dashboard/invitation/${token}`,
    '',
    'If you did not expect this, you can ignore this email.',
  ]);
  return account;
}

async function assertPartnerFits(db: D1Database, partnershipId: string, role: Role, partnerId: string | null) {
  if (role !== 'practice-lead') return;
  if (!partnerId) throw invalid([{ path: 'partnerId', message: 'is required for a practice lead' }]);
  const partner = await findPartner(db, partnershipId, partnerId);
  if (!partner) throw invalid([{ path: 'partnerId', message: 'is not a partner of this partnership' }]);
}

/**
 * Someone asked for a sign-in link: if the address has an active account, a link valid for 15
 * minutes is emailed, usable once and only in the browser that asked (`browserNonce`, from its
 * cookie). The answer never says whether the address has an account.
 */
export async function requestSignInLink(env: AccountEmailEnv, email: string, browserNonce: string, baseUrl: string): Promise<void> {
  const account = await findAccountByEmail(env.DB, email);
  if (account?.status !== 'active') return;
  const now = new Date();
  const token = randomSecret('hl_', 32);
  await insertLinkStatement(env.DB, {
    tokenHash: await sha256Hex(token),
    accountId: account.id,
    purpose: 'sign-in',
    browserHash: await sha256Hex(browserNonce),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000).toISOString(),
  }).run();
  await sendLink(env, account.email, 'Your link to sign in to Heard', [
    `Open this link within ${SIGN_IN_LINK_MINUTES} minutes, in the same browser you asked from, to sign in. It works once:`,
    `${baseUrl}/dashboard/sign-in/link/${token}`,
    '',
    'If you did not ask for it, you can ignore this email: nobody can use it from another browser.',
  ]);
}

async function sendLink(env: AccountEmailEnv, to: string, subject: string, lines: string[]): Promise<void> {
  if (!env.ALERT_EMAIL || !env.ALERT_EMAIL_FROM) throw new ApiError(503, 'email_unavailable', 'Email is not set up for this Heard, so no link could be sent.');
  // Loaded on first use: mimetext brings core-js, whose set-up would cost every fresh isolate (issue 15 item 5).
  const { createMimeMessage } = await import('mimetext/browser');
  const msg = createMimeMessage();
  msg.setSender({ name: 'Heard', addr: env.ALERT_EMAIL_FROM });
  msg.setRecipient(to);
  msg.setSubject(subject);
  msg.addMessage({ contentType: 'text/plain', data: lines.join('\n') });
  await env.ALERT_EMAIL.send(new EmailMessage(env.ALERT_EMAIL_FROM, to, msg.asRaw()));
}

/**
 * Uses a one-time link (an invitation, or a sign-in link from this browser) and signs its person
 * in. Returns the new session's secret for the cookie, or null when the link cannot be used.
 */
export async function signInWithLink(db: D1Database, token: string, purpose: LinkPurpose, browserNonce: string | null): Promise<string | null> {
  const now = new Date().toISOString();
  const accountId = await consumeLink(db, await sha256Hex(token), purpose, browserNonce ? await sha256Hex(browserNonce) : null, now);
  if (!accountId) return null;
  const account = await findAccountById(db, accountId);
  if (!account || account.status === 'disabled') return null;
  return startSession(db, account, purpose === 'invitation' ? 'invitation' : 'email link');
}

/** Signs an account in: a new session (8 h idle, 12 h at most), the sign-in recorded, audited. Returns the cookie's secret. */
export async function startSession(db: D1Database, account: Account, method: string): Promise<string> {
  const secret = randomSecret('hs_', 32);
  const now = new Date();
  const actor = accountActor(account);
  await db.batch([
    insertAccountSessionStatement(db, {
      idHash: await sha256Hex(secret),
      accountId: account.id,
      csrfToken: randomSecret(''),
      createdAt: now.toISOString(),
      idleExpiresAt: hours(now, SESSION_IDLE_HOURS),
      absoluteExpiresAt: hours(now, SESSION_ABSOLUTE_HOURS),
    }),
    recordSignInStatement(db, account.id, now.toISOString()),
    insertAuditStatement(db, actor, 'sessions.sign-in', [account.id], now.toISOString(), {
      details: { role: account.role, label: `${actor.label} by ${method}` },
    }),
  ]);
  return secret;
}

/** Signing out ends every session of the account, wherever it is signed in. */
export async function signOutAccount(db: D1Database, actor: ApiKey): Promise<void> {
  await db.batch([
    deleteAccountSessionsStatement(db, actor.id),
    insertAuditStatement(db, actor, 'sessions.sign-out', [actor.id], new Date().toISOString(), { details: { role: actor.role, label: actor.label } }),
  ]);
}

/** Disables an account and ends its sessions at once. */
export async function disableAccount(db: D1Database, actor: ApiKey, id: string): Promise<Account> {
  const target = await findAccount(db, actor.partnershipId, id);
  if (!target) throw notFound('account');
  assertMayManage(actor.role, target.role);
  await db.batch([
    disableAccountStatement(db, actor.partnershipId, id),
    insertAuditStatement(db, actor, 'accounts.disable', [id], new Date().toISOString(), {
      onlyIfChanged: true,
      details: { role: target.role, label: `${target.displayName} <${target.email}>` },
    }),
    deleteAccountSessionsStatement(db, id),
  ]);
  return { ...target, status: 'disabled' };
}

/** Changes an account's role (both the old and the new role must be the actor's to manage) and ends its sessions at once. */
export async function changeAccountRole(db: D1Database, actor: ApiKey, id: string, role: Role, partnerId: string | null): Promise<Account> {
  const target = await findAccount(db, actor.partnershipId, id);
  if (!target) throw notFound('account');
  assertMayManage(actor.role, target.role);
  assertMayManage(actor.role, role);
  await assertPartnerFits(db, actor.partnershipId, role, partnerId);
  const newPartner = role === 'practice-lead' ? partnerId : null;
  await db.batch([
    changeRoleStatement(db, actor.partnershipId, id, role, newPartner),
    deleteAccountSessionsStatement(db, id),
    insertAuditStatement(db, actor, 'accounts.role', [id], new Date().toISOString(), {
      details: { role, label: `${target.displayName} <${target.email}>`, partnerId: newPartner },
    }),
  ]);
  return { ...target, role, partnerId: newPartner };
}
