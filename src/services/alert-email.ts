import { EmailMessage } from 'cloudflare:email';
import { insertSystemAuditStatement } from '../db/audit';
import {
  claimEmailAttempt,
  digestQueued,
  dueEmails,
  partnershipsWithRecipients,
  pendingEmailsFor,
  queueDigest,
  recordEmailAttemptStatement,
  undeliveredEmails,
  type EmailDelivery,
} from '../db/email-deliveries';
import { findPartnership, isAlertEmailRecipient } from '../db/partnerships';
import { noticeContent } from '../domain/alert-email';
import { once } from '../lib/once';
import { retryDelayMs, shouldRetry } from '../domain/webhook';

/**
 * Email notices through Cloudflare Email Workers (the `send_email` binding ALERT_EMAIL): a new
 * alert, an alert overdue, and the daily digest of reviews due. Each goes through the outbox in
 * db/email-deliveries.ts and is retried with the webhook's backoff (1, 2, 4 … minutes, an hour at
 * most, given up after 10 tries or a day), one envelope per recipient so a retry never reaches
 * someone twice. A notice given up on is shown on the dashboard and written to the audit log.
 */

/**
 * What sending needs: the outbox, the binding and two vars (wrangler.toml). Each may be absent
 * where it isn't configured: the notice then waits, retried, and shows as not sent.
 */
export interface EmailEnv {
  DB: D1Database;
  ALERT_EMAIL?: SendEmail;
  ALERT_EMAIL_FROM?: string;
  DASHBOARD_URL?: string;
}

/** The most notices one cron run tries, so a long outage can't make one run overrun. */
export const EMAIL_BATCH = 50;

/** When the daily digest goes out: the first cron run at or after this hour, London time. */
export const DIGEST_HOUR_LONDON = 8;

/**
 * Sends the notices waiting for one alert at once (a new alert's, from the request that raised it).
 * Meant for `executionCtx.waitUntil`: it never throws; what fails stays for the cron.
 */
export async function emailAboutAlert(env: EmailEnv, alert: { id: string; partnershipId: string }): Promise<void> {
  try {
    const now = new Date();
    for (const e of await pendingEmailsFor(env.DB, alert.partnershipId, alert.id)) await attempt(env, e, now);
  } catch (err) {
    console.error(`[heard] alert email for ${alert.partnershipId} failed:`, err instanceof Error ? err.name : 'non-error thrown');
  }
}

/** The cron's part: every waiting notice whose next try is due. Returns how many were tried. */
export async function retryDueEmails(env: EmailEnv, now: Date): Promise<number> {
  const due = await dueEmails(env.DB, now.toISOString(), EMAIL_BATCH);
  for (const e of due) await attempt(env, e, now);
  return due.length;
}

/**
 * How many reviews a partnership has due. The review queue is built elsewhere (issue 13, item 1):
 * until it is wired in, the cron passes {@link NO_REVIEW_QUEUE} and no digest is sent.
 */
export type CountReviewsDue = (db: D1Database, partnershipId: string, now: Date) => Promise<number>;
export const NO_REVIEW_QUEUE: CountReviewsDue = async () => 0;

/**
 * Queues today's digest for each partnership with recipients and reviews due, once a day, at the
 * first cron run from {@link DIGEST_HOUR_LONDON} London time. Nothing is sent for a day with none due.
 * Returns how many emails were queued; the same run's {@link retryDueEmails} sends them.
 */
export async function queueReviewDigests(db: D1Database, now: Date, countReviewsDue: CountReviewsDue): Promise<number> {
  const { day, hour } = londonDayAndHour(now);
  if (hour < DIGEST_HOUR_LONDON) return 0;
  let queued = 0;
  for (const partnershipId of await partnershipsWithRecipients(db)) {
    if (await digestQueued(db, partnershipId, day)) continue;
    const count = await countReviewsDue(db, partnershipId, now);
    if (count > 0) queued += await queueDigest(db, { partnershipId, day, count, at: now.toISOString() });
  }
  return queued;
}

// Built on first use (the cron), not by every fresh isolate: a time-zone formatter loads ICU's zone data.
const londonParts = once(
  () =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    }),
);

/** The London calendar day (YYYY-MM-DD) and hour of `now`: a digest day is a lead's working day, not a UTC one. */
function londonDayAndHour(now: Date): { day: string; hour: number } {
  const p = Object.fromEntries(
    londonParts()
      .formatToParts(now)
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
}

/** The partnership's notices that have not reached someone in the last week, for the dashboard. */
export const recentUndeliveredEmails = (db: D1Database, partnershipId: string, now: Date) =>
  undeliveredEmails(db, partnershipId, new Date(now.getTime() - 7 * 86_400_000).toISOString(), 50);

type Outcome = { ok: true } | { ok: false; error: string; final?: boolean };

/** One try of one notice: claimed first, built, sent, recorded. */
async function attempt(env: EmailEnv, e: EmailDelivery, now: Date): Promise<void> {
  const db = env.DB;
  const tries = e.attempts + 1;
  if (!(await claimEmailAttempt(db, e, now.toISOString(), new Date(now.getTime() + retryDelayMs(tries)).toISOString()))) return;
  const outcome = await send(env, e);
  const at = new Date().toISOString();
  if (outcome.ok) {
    await recordEmailAttemptStatement(db, e.id, { status: 'sent', at, error: null }).run();
    return;
  }
  const giveUp = outcome.final === true || !shouldRetry(tries, e.createdAt, now);
  console.error(`[heard] alert email for ${e.partnershipId}: try ${tries} ${outcome.error}${giveUp ? ', given up' : ''}`);
  const record = recordEmailAttemptStatement(db, e.id, { status: giveUp ? 'failed' : 'pending', at, error: outcome.error });
  await (giveUp ? db.batch([record, insertSystemAuditStatement(db, e.partnershipId, 'email.failed', [e.subjectId, e.id], at)]) : record.run());
}

async function send(env: EmailEnv, e: EmailDelivery): Promise<Outcome> {
  const { ALERT_EMAIL: binding, ALERT_EMAIL_FROM: from, DASHBOARD_URL: dashboard } = env;
  if (!binding) return { ok: false, error: 'no_binding' };
  if (!from || !dashboard) return { ok: false, error: 'no_sender' };
  // Taken off the list since it was queued: that person should no longer hear of alerts.
  if (!(await isAlertEmailRecipient(env.DB, e.partnershipId, e.recipient))) return { ok: false, error: 'removed_recipient', final: true };
  let raw: string;
  try {
    raw = await buildMessage(env.DB, e, from, dashboard);
  } catch {
    // mimetext refuses a malformed address or header: no later try would do better.
    return { ok: false, error: 'bad_message', final: true };
  }
  try {
    await binding.send(new EmailMessage(from, e.recipient, raw));
    return { ok: true };
  } catch (err) {
    // The binding's errors can quote addresses; the outbox keeps a short code only.
    console.error(`[heard] send_email refused a notice for ${e.partnershipId}:`, err instanceof Error ? err.message.slice(0, 200) : 'non-error thrown');
    return { ok: false, error: 'send_failed' };
  }
}

/** The whole RFC 5322 message, built with mimetext: plain text, UTF-8, a stable Message-ID. */
async function buildMessage(db: D1Database, e: EmailDelivery, from: string, dashboardUrl: string): Promise<string> {
  const partnership = await findPartnership(db, e.partnershipId);
  const base = dashboardUrl.replace(/\/+$/, '');
  const content = noticeContent(e.kind, {
    dashboardUrl: e.kind === 'reviews-due' ? `${base}/dashboard` : `${base}/dashboard/alerts`,
    partnershipName: partnership?.name ?? e.partnershipId,
    ...(e.itemCount !== null ? { count: e.itemCount } : {}),
  });
  // Loaded on first use: mimetext brings core-js, whose set-up would cost every fresh isolate (issue 15 item 5).
  const { createMimeMessage } = await import('mimetext/browser');
  const msg = createMimeMessage();
  msg.setSender({ name: 'Heard', addr: from });
  msg.setRecipient(e.recipient);
  msg.setSubject(content.subject);
  // The same id on every try of this notice, so a mail system that got it once can drop a repeat.
  msg.setHeader('Message-ID', `<${e.id}@${from.split('@')[1]}>`);
  msg.addMessage({ contentType: 'text/plain', data: content.text });
  return msg.asRaw();
}
