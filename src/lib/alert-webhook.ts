import { findPartnership } from '../db/partnerships';
import type { DisclosureCategory } from '../domain/analysis';

/** A new alert, as the webhook may describe it: ids and category, never what was said. */
export interface AlertRaised {
  id: string;
  partnershipId: string;
  category: DisclosureCategory;
  current: boolean;
}

/** How long the front door's system gets to answer before we give up (no retry). */
export const WEBHOOK_TIMEOUT_MS = 5_000;

/** The body posted for a new alert. Deliberately nothing a child said, nor where or when. */
export const webhookBody = (alert: AlertRaised) => ({
  type: 'heard.alert.created',
  partnership: alert.partnershipId,
  alertId: alert.id,
  category: alert.category,
  current: alert.current,
});

/**
 * Tells the partnership's webhook, if it has one, that an alert was raised. Meant for
 * `executionCtx.waitUntil`, after the response has gone: it never throws, and a slow or failing
 * receiver costs one log line. The overdue marking and the alerts queue are the safety net.
 */
export async function announceAlert(db: D1Database, alert: AlertRaised, fetcher: typeof fetch = fetch): Promise<void> {
  try {
    const url = (await findPartnership(db, alert.partnershipId))?.alertWebhookUrl;
    if (!url) return;
    const res = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Heard alert webhook' },
      body: JSON.stringify(webhookBody(alert)),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) console.error(`[heard] alert webhook for ${alert.partnershipId} answered ${res.status}`);
  } catch (err) {
    console.error(`[heard] alert webhook for ${alert.partnershipId} failed:`, err instanceof Error ? err.name : 'non-error thrown');
  }
}
