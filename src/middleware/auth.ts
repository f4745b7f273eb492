import type { Context, MiddlewareHandler } from 'hono';
import { findActiveKeyByHash, markKeyUsedStatement } from '../db/keys';
import type { AppEnv } from '../env';
import { sameDigest, sha256Hex } from '../lib/crypto';
import { ApiError, unauthorised } from '../lib/errors';
import type { Role } from '../schemas/common';
import { authBackoff } from './auth-backoff';

/** Refuses a key attempt while its address backs off after wrong keys (see auth-backoff.ts). */
export const tooManyAttempts = (wait: number) =>
  new ApiError(429, 'too_many_attempts', 'Too many wrong keys were sent from this address. Wait and try again.', undefined, { 'Retry-After': String(wait) });

/**
 * Requires `Authorization: Bearer <key>` and, when given, one of the roles. Keys are only ever
 * read from the header: a key in a URL ends up in logs and browser history. Wrong keys make the
 * address back off. Whatever an authenticated request answers is never cached.
 */
export const requireKey = (opts: { roles?: Role[] } = {}): MiddlewareHandler<AppEnv> =>
  async function requireKey(c, next) {
    const header = c.req.header('authorization') ?? '';
    if (header === '') throw unauthorised();
    const attempt = await authBackoff(c);
    if (attempt.wait !== null) throw tooManyAttempts(attempt.wait);
    const match = /^Bearer\s+([A-Za-z0-9_\-.~+/=]{8,200})\s*$/i.exec(header);
    if (!match) throw unauthorised();
    const hash = await sha256Hex(match[1]!);
    const found = await findActiveKeyByHash(c.env.DB, hash);
    if (!found || !sameDigest(found.storedHash, hash)) throw unauthorised();
    attempt.succeeded();
    if (opts.roles && !opts.roles.includes(found.key.role)) {
      throw new ApiError(403, 'forbidden', 'This key may not do that.', undefined, { 'Cache-Control': 'no-store' });
    }
    c.set('key', found.key);
    // "Last used" (a day) for the keys page, written after the answer: at most one real write a day per key.
    afterResponse(c, markKeyUsedStatement(c.env.DB, found.key.id, new Date().toISOString().slice(0, 10)).run());
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  };

/** Lets a promise finish after the response where the runtime allows it; elsewhere (a bare app.request) awaits nothing and just lets it run. */
function afterResponse(c: Context<AppEnv>, work: Promise<unknown>): void {
  const settled = work.catch((err) => console.error('[heard] after-response work failed:', err instanceof Error ? err.message : 'non-error'));
  try {
    c.executionCtx.waitUntil(settled);
  } catch {
    // No execution context (tests calling app.request directly): the promise still runs.
  }
}
