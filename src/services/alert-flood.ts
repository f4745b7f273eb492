import { BURST_MAX_TEXTS, type AlertKind } from '../db/alerts';
import { normaliseAlertText } from '../domain/alert-dedupe';
import { forgetAddressSalt, hashedAddress } from '../lib/address-hash';
import { keyedHash } from '../lib/keyed-hash';

/**
 * Flood control for safeguarding alerts (issue 10, item 8), decided before the alert is written:
 *
 * - The same flagged text (normalised: case, spacing, punctuation) from the same place (survey,
 *   link, partner, service) on the same day is ONE alert with a count: the alert insert counts onto
 *   an open alert with the same keyed hash (db/alerts.ts, a single upsert, so it is race-safe).
 * - One client address gets {@link ALERTS_PER_ADDRESS_HOUR} different new alerts an hour. Past
 *   that, its further flagged responses are still stored and still signposted, but their alerts go
 *   into one "burst" alert for that address (per survey and link), each text appended, sealed, so
 *   no disclosure is dropped and the lead is not paged fifty times. The first alerts are never
 *   held back, and an address that repeats one text never reaches the limit (repeats are counts).
 *
 * The address is never stored: it is hashed with a salt made fresh in each isolate and kept in
 * this isolate's memory for the hour, as the intake rate limiter does. The burst alert's hash is of
 * a random token, not of the address. Like that limiter, this is per isolate: a sender spread over
 * many isolates gets more separate alerts, never fewer, so the failure mode is more alerts, not
 * lost ones. Without an address (local tools) only the identical-text merge applies.
 */

/** Distinct new alerts one address may raise in an hour before the rest are merged into a burst alert. */
export const ALERTS_PER_ADDRESS_HOUR = 5;
const WINDOW_MS = 3_600_000;
/** The most addresses one isolate remembers; past it, expired ones are swept, then the oldest dropped. */
export const MAX_SENDERS = 10_000;

interface SenderWindow {
  resetAt: number;
  /** Text hashes of this address's alerts this hour (at most ALERTS_PER_ADDRESS_HOUR). */
  texts: Set<string>;
  burst: { token: string; texts: number } | null;
}

const senders = new Map<string, SenderWindow>();

/** Forgets every address (tests). */
export function resetAlertFlood(): void {
  senders.clear();
  forgetAddressSalt();
}

/** Where an alert comes from: alerts from different places never merge. */
export interface AlertOrigin {
  partnershipId: string;
  surveyId: string;
  partnerId: string | null;
  serviceId: string | null;
  linkId: string | null;
}

/**
 * The `textHash` and `kind` for a new alert from `texts` (the flagged answers as written).
 * `sender`: the client address, or undefined when unknown.
 */
export async function alertFloodKey(
  alertKey: string,
  origin: AlertOrigin,
  texts: readonly string[],
  sender: string | undefined,
  now = Date.now(),
): Promise<{ textHash: string; kind: AlertKind }> {
  const where = [origin.partnershipId, origin.surveyId, origin.partnerId, origin.serviceId, origin.linkId];
  const textHash = await keyedHash(alertKey, ['text', ...where, ...texts.map(normaliseAlertText)]);
  if (!sender) return { textHash, kind: 'single' };

  const key = await hashedAddress(sender);
  let window = senders.get(key);
  if (!window || window.resetAt <= now) {
    if (window) senders.delete(key);
    else if (senders.size >= MAX_SENDERS) evict(now);
    window = { resetAt: now + WINDOW_MS, texts: new Set(), burst: null };
    senders.set(key, window);
  }
  // Synchronous from here, so concurrent requests in one isolate are counted exactly.
  if (window.texts.has(textHash) || window.texts.size < ALERTS_PER_ADDRESS_HOUR) {
    window.texts.add(textHash);
    return { textHash, kind: 'single' };
  }
  // A full burst alert is closed and another begun, so one row never grows without bound.
  if (!window.burst || window.burst.texts >= BURST_MAX_TEXTS) window.burst = { token: crypto.randomUUID(), texts: 0 };
  window.burst.texts++;
  return { textHash: await keyedHash(alertKey, ['burst', window.burst.token, ...where]), kind: 'burst' };
}

function evict(now: number) {
  for (const [key, window] of senders) if (window.resetAt <= now) senders.delete(key);
  for (const key of senders.keys()) {
    if (senders.size < MAX_SENDERS) break;
    senders.delete(key);
  }
}
