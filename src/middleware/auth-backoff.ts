import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { hashedAddress } from '../lib/address-hash';
import { clientAddress } from './rate-limit';

/**
 * Backoff for wrong keys, per client address: Bearer keys, feed tokens and dashboard sign-in
 * share one budget. After `failures` wrong keys within the window, the address waits a minute;
 * each wrong key after that doubles the wait (up to an hour). While it waits, every key from it
 * is refused, the right one too, or the wait would slow nothing down.
 *
 * Held like the intake rate limit: in this isolate's memory only, keyed by the address hashed
 * with a per-isolate salt; nothing is stored or logged. Each attempt is counted before the key is
 * looked up (and refunded if the key is right), so parallel guesses cannot all slip past the count.
 */

export interface Backoff {
  failures: number;
  windowMs: number;
}

/** 5 wrong keys in 15 minutes: far more than a person mistyping, far fewer than a guesser needs. */
export const DEFAULT_BACKOFF: Backoff = { failures: 5, windowMs: 15 * 60_000 };
export const FIRST_WAIT_MS = 60_000;
export const LONGEST_WAIT_MS = 3600_000;
/** The most addresses one isolate keeps; past it, forgotten ones are swept and then the oldest dropped. */
export const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Reads `AUTH_BACKOFF`: `"<wrong keys>/<seconds>"`, e.g. `"5/900"`, or `"off"`. Anything else
 * falls back to the default rather than switching the backoff off by a typo.
 */
export function parseBackoff(value: string | undefined): Backoff | null {
  if (value === undefined || value.trim() === '') return DEFAULT_BACKOFF;
  if (/^\s*off\s*$/i.test(value)) return null;
  const match = /^\s*(\d{1,7})\s*\/\s*(\d{1,6})\s*$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) return DEFAULT_BACKOFF;
  return { failures: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}

interface Strikes {
  /** Wrong keys in this window, plus attempts still being checked. */
  count: number;
  windowStart: number;
  /** How many waits this address has been given; each is twice the last. */
  waits: number;
  blockedUntil: number;
}

const strikes = new Map<string, Strikes>();

/** Forgets every address (tests). */
export const resetBackoff = () => strikes.clear();

const forgotten = (s: Strikes, limit: Backoff, now: number) => (s.waits === 0 ? now - s.windowStart >= limit.windowMs : now >= s.blockedUntil + limit.windowMs);

/**
 * Counts one attempt for `key` before its key is checked. Returns the seconds to wait when the
 * address is backing off (refuse the attempt), or null to go ahead; call `refund` when the key
 * turns out right. Synchronous, so concurrent attempts are counted exactly.
 *
 * @example attempt('a', { failures: 5, windowMs: 900_000 }, 0) // null: the first attempt goes ahead
 */
export function attempt(key: string, limit: Backoff, now = Date.now()): number | null {
  let s = strikes.get(key);
  if (s && forgotten(s, limit, now)) {
    strikes.delete(key);
    s = undefined;
  }
  if (!s) {
    if (strikes.size >= MAX_TRACKED_ADDRESSES) evict(limit, now);
    s = { count: 0, windowStart: now, waits: 0, blockedUntil: 0 };
    strikes.set(key, s);
  }
  if (s.blockedUntil > now) return Math.ceil((s.blockedUntil - now) / 1000);
  if (s.count >= limit.failures) {
    const wait = Math.min(FIRST_WAIT_MS * 2 ** s.waits, LONGEST_WAIT_MS);
    s.waits++;
    s.blockedUntil = now + wait;
    // One attempt after the wait: a wrong one starts the next, doubled, wait.
    s.count = limit.failures - 1;
    return Math.ceil(wait / 1000);
  }
  s.count++;
  return null;
}

/** The attempt's key was right: it does not count against the address. */
export function refund(key: string): void {
  const s = strikes.get(key);
  if (s && s.count > 0) s.count--;
}

function evict(limit: Backoff, now: number) {
  for (const [key, s] of strikes) if (forgotten(s, limit, now)) strikes.delete(key);
  for (const key of strikes.keys()) {
    if (strikes.size < MAX_TRACKED_ADDRESSES) break;
    strikes.delete(key);
  }
}

/**
 * One key attempt from this request's address: `wait` is the seconds to refuse it for (null: go
 * ahead and check the key); call `succeeded()` once the key is found right.
 */
export async function authBackoff<E extends AppEnv>(c: Context<E>): Promise<{ wait: number | null; succeeded: () => void }> {
  const limit = parseBackoff(c.env.AUTH_BACKOFF);
  if (!limit) return { wait: null, succeeded: () => {} };
  const key = `auth\n${await hashedAddress(clientAddress(c))}`;
  const wait = attempt(key, limit);
  return { wait, succeeded: () => refund(key) };
}
