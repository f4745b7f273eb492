import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { forgetAddressSalt, hashedAddress } from '../lib/address-hash';
import { ApiError } from '../lib/errors';

/**
 * A fixed-window limit on public intake, per route, per survey (or conversation) and per client
 * address. Held only in this isolate's memory: the address is hashed with a salt made fresh in
 * each isolate, so the map cannot be reversed to an address, and nothing is stored or logged.
 *
 * It is a brake on one noisy device or script, not a quota: Cloudflare runs many isolates, each
 * with its own map, so a determined sender spread over them gets more. For a hard edge, add a
 * WAF rate-limiting rule in front of the Worker.
 */

export interface RateLimit {
  requests: number;
  windowMs: number;
}

/**
 * 60 per minute per address per survey. A school or a family hub sends a whole class through one
 * address, so a tighter default would turn away the end-of-lesson rush; the widgets retry on 429.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 60, windowMs: 60_000 };

/** The most windows one isolate keeps; past it, expired ones are swept and then the oldest dropped. */
export const MAX_TRACKED = 10_000;

/**
 * Reads `INTAKE_RATE_LIMIT` (or another limit in the same form): `"<requests>/<seconds>"`, e.g.
 * `"30/60"`, or `"off"`. Anything else falls back to `fallback` rather than switching the limit
 * off by a typo.
 *
 * @example parseRateLimit('30/60') // { requests: 30, windowMs: 60000 }
 */
export function parseRateLimit(value: string | undefined, fallback: RateLimit = DEFAULT_RATE_LIMIT): RateLimit | null {
  if (value === undefined || value.trim() === '') return fallback;
  if (/^\s*off\s*$/i.test(value)) return null;
  const match = /^\s*(\d{1,7})\s*\/\s*(\d{1,6})\s*$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) return fallback;
  return { requests: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}

interface Window {
  count: number;
  resetAt: number;
}

const windows = new Map<string, Window>();

/** Forgets every window and makes a new salt (tests; a deploy does the same by starting new isolates). */
export function resetRateLimits(): void {
  windows.clear();
  forgetAddressSalt();
}

/** How many windows this isolate holds (tests check the bound). */
export const trackedWindows = () => windows.size;

/**
 * Counts one request against `key`; returns the seconds to wait when over the limit. Synchronous,
 * so concurrent requests in one isolate are counted exactly.
 */
export function take(key: string, limit: RateLimit, now = Date.now()): number | null {
  let window = windows.get(key);
  if (!window || window.resetAt <= now) {
    if (window) windows.delete(key);
    else if (windows.size >= MAX_TRACKED) evict(now);
    window = { count: 0, resetAt: now + limit.windowMs };
    windows.set(key, window);
  }
  if (window.count >= limit.requests) return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  window.count++;
  return null;
}

function evict(now: number) {
  for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
  // Still full: drop the oldest (a Map iterates in insertion order).
  for (const key of windows.keys()) {
    if (windows.size < MAX_TRACKED) break;
    windows.delete(key);
  }
}

/** Cloudflare sets CF-Connecting-IP on every request it forwards; without it (local tools), one shared bucket. */
export const clientAddress = (c: Context) => c.req.header('cf-connecting-ip') ?? 'no-address';

/**
 * Limits POSTs to a public intake route: `scope` names the route, the `:id` in the path (a survey,
 * or a conversation for replies) and the hashed client address make the rest of the key.
 * Past the limit: 429 in the one error shape, with Retry-After. Runs before the body is read or
 * the database touched, so a flood costs no D1 queries.
 */
export const intakeRateLimit = (scope: string): MiddlewareHandler<AppEnv> =>
  async function intakeRateLimit(c, next) {
    const limit = c.req.method === 'POST' ? parseRateLimit(c.env.INTAKE_RATE_LIMIT) : null;
    if (limit) {
      const key = `${scope}\n${c.req.param('id') ?? ''}\n${await hashedAddress(clientAddress(c))}`;
      const wait = take(key, limit);
      if (wait !== null) {
        throw new ApiError(429, 'rate_limited', 'Too many requests from this address. Please wait and try again.', undefined, {
          'Retry-After': String(wait),
        });
      }
    }
    await next();
  };

/**
 * 60 new chats an hour per client address, across every survey. A chat is kept for up to 25
 * hours while unfinished (up to 32 KB each), so this bounds what one address can make the
 * database hold. A school sends a class through one address: 60 lets two classes of 30 start
 * chats in the same hour; past it, the chat page offers the same questions on one page (the form
 * post, limited per minute by INTAKE_RATE_LIMIT and storing only the response).
 */
export const DEFAULT_CHAT_START_LIMIT: RateLimit = { requests: 60, windowMs: 3_600_000 };

/**
 * Limits POSTs by client address alone (no survey or conversation in the key), with its own
 * scope, limit and error code: the same isolate-memory windows and salted hash as
 * {@link intakeRateLimit}, so nothing about the address is stored either.
 */
export const addressRateLimit = (opts: { scope: string; limit: (env: Env) => RateLimit | null; code: string; message: string }): MiddlewareHandler<AppEnv> =>
  async function addressRateLimit(c, next) {
    const limit = c.req.method === 'POST' ? opts.limit(c.env) : null;
    if (limit) {
      const wait = take(`${opts.scope}\n${await hashedAddress(clientAddress(c))}`, limit);
      if (wait !== null) throw new ApiError(429, opts.code, opts.message, undefined, { 'Retry-After': String(wait) });
    }
    await next();
  };

/** New chats per client address per hour, across all surveys: `CHAT_START_LIMIT`, e.g. `"60/3600"`, or `"off"`. */
export const chatStartLimit = () =>
  addressRateLimit({
    scope: 'chat-starts',
    limit: (env) => parseRateLimit(env.CHAT_START_LIMIT, DEFAULT_CHAT_START_LIMIT),
    code: 'too_many_chats',
    message: 'Too many chats have been started from this address in the last hour. Please answer on the one-page survey instead, or try again later.',
  });
