import { insertSystemAuditStatement } from '../db/audit';
import { findAlertWebhook } from '../db/partnerships';
import { claimAttempt, dueDeliveries, pendingDeliveriesFor, recordAttemptStatement, type Delivery } from '../db/webhook-deliveries';
import type { DisclosureCategory } from '../domain/analysis';
import { retryDelayMs, shouldRetry, webhookDestinationProblem } from '../domain/webhook';
import { unseal } from '../lib/seal';
import { signatureHeaders } from '../lib/webhook-signature';
import { emailAboutAlert, type EmailEnv } from './alert-email';

/** A new alert, as the webhook may describe it: ids and category, never what was said. */
export interface AlertRaised {
  id: string;
  partnershipId: string;
  category: DisclosureCategory;
  current: boolean;
}

/** How long the front door's system gets to answer one try. */
export const WEBHOOK_TIMEOUT_MS = 5_000;
/** The most notices one cron run tries, so a long outage can't make one run overrun. */
export const WEBHOOK_BATCH = 50;

export { webhookBody } from '../domain/webhook';

/**
 * Tries the notices for a just-raised alert at once: the webhook, then the emails to the
 * partnership's recipients (services/alert-email.ts; each is independent of the other). Meant for
 * `executionCtx.waitUntil`, after the response has gone: it never throws. A failed try stays in its
 * outbox for the cron ({@link retryDueAnnouncements}); the overdue marking is the last safety net.
 */
export async function announceAlert(
  env: Pick<Env, 'DB' | 'ALERT_KEY'> & Omit<EmailEnv, 'DB'>,
  alert: AlertRaised,
  fetcher: typeof fetch = fetch,
): Promise<void> {
  try {
    for (const d of await pendingDeliveriesFor(env.DB, alert.id)) await attempt(env, d, new Date(), fetcher);
  } catch (err) {
    console.error(`[heard] alert webhook for ${alert.partnershipId} failed:`, err instanceof Error ? err.name : 'non-error thrown');
  }
  await emailAboutAlert(env, alert);
}

/** The cron's part: every waiting notice whose next try is due. Returns how many were tried. */
export async function retryDueAnnouncements(env: Pick<Env, 'DB' | 'ALERT_KEY'>, now: Date, fetcher: typeof fetch = fetch): Promise<number> {
  const due = await dueDeliveries(env.DB, now.toISOString(), WEBHOOK_BATCH);
  for (const d of due) await attempt(env, d, now, fetcher);
  return due.length;
}

type Outcome = { ok: true; httpStatus: number } | { ok: false; httpStatus: number | null; error: string; final?: boolean };

/** One try of one notice: claimed first, signed, posted, recorded. */
async function attempt(env: Pick<Env, 'DB' | 'ALERT_KEY'>, d: Delivery, now: Date, fetcher: typeof fetch): Promise<void> {
  const db = env.DB;
  const tries = d.attempts + 1;
  if (!(await claimAttempt(db, d, now.toISOString(), new Date(now.getTime() + retryDelayMs(tries)).toISOString()))) return;
  const outcome = await send(env, d, fetcher);
  const at = new Date().toISOString();
  if (outcome.ok) {
    await recordAttemptStatement(db, d.id, { status: 'delivered', at, httpStatus: outcome.httpStatus, error: null }).run();
    return;
  }
  const giveUp = outcome.final === true || !shouldRetry(tries, d.createdAt, now);
  console.error(`[heard] alert webhook for ${d.partnershipId}: try ${tries} ${outcome.error}${giveUp ? ', given up' : ''}`);
  const record = recordAttemptStatement(db, d.id, { status: giveUp ? 'failed' : 'pending', at, httpStatus: outcome.httpStatus, error: outcome.error });
  // Given up: the admins see it in the audit log, the safeguarding lead on the alert.
  await (giveUp ? db.batch([record, insertSystemAuditStatement(db, d.partnershipId, 'webhook.failed', [d.alertId, d.id], at)]) : record.run());
}

async function send(env: Pick<Env, 'DB' | 'ALERT_KEY'>, d: Delivery, fetcher: typeof fetch): Promise<Outcome> {
  const hook = await findAlertWebhook(env.DB, d.partnershipId);
  if (!hook) return { ok: false, httpStatus: null, error: 'no_webhook', final: true };
  // Checked again at send time: the URL may predate the check, or the rules may have tightened.
  if (webhookDestinationProblem(hook.url)) return { ok: false, httpStatus: null, error: 'refused_destination', final: true };
  // Set before signing existed: never send unsigned; setting the URL again (or rotating) mends it.
  if (!hook.secretSealed) return { ok: false, httpStatus: null, error: 'no_secret', final: true };
  const secret = await unseal(env.ALERT_KEY, hook.secretSealed);
  try {
    const res = await fetcher(hook.url, {
      method: 'POST',
      // Signed as of the real send time, not the cron's scheduled time: receivers allow five minutes.
      headers: { 'content-type': 'application/json', 'user-agent': 'Heard alert webhook', ...signatureHeaders(secret, d.id, new Date(), d.body) },
      body: d.body,
      // A redirect could point anywhere, the refused ranges included: not followed, counted as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { ok: true, httpStatus: res.status };
    return { ok: false, httpStatus: res.status, error: res.status >= 300 && res.status < 400 ? 'redirect' : `http_${res.status}` };
  } catch (err) {
    return { ok: false, httpStatus: null, error: err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? 'timeout' : 'network' };
  }
}
