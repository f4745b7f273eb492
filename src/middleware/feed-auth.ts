import type { MiddlewareHandler } from 'hono';
import { findActiveFeedToken } from '../db/feed-tokens';
import type { AppEnv } from '../env';
import { sameDigest, sha256Hex } from '../lib/crypto';
import { unauthorised } from '../lib/errors';
import { requireKey, tooManyAttempts } from './auth';
import { authBackoff } from './auth-backoff';

const readers = requireKey({ roles: ['admin', 'practice-lead', 'scrutineer'] });

/**
 * Feed and export routes take an API key in the Authorization header like the rest of the API,
 * or, because feed readers cannot send headers, a read-only feed token as `?token=`. Only these
 * routes accept a feed token, and no route accepts an API key in the URL. Wrong tokens count
 * towards the address's backoff like wrong keys.
 *
 * Caching: with an API key the answer is `no-store` (requireKey). With a feed token the feed
 * routes answer `private, max-age=300`: a feed holds only suppressed aggregates, readers poll,
 * `private` keeps it out of shared caches, and the token is already in the reader's own URL
 * history, so no-store would protect nothing that the reader's cache does not already hold.
 */
export const requireFeedAccess = (): MiddlewareHandler<AppEnv> =>
  async function requireFeedAccess(c, next) {
    const token = c.req.query('token');
    if (c.req.header('authorization') || token === undefined) {
      return readers(c, async () => {
        const key = c.get('key');
        c.set('scope', { partnershipId: key.partnershipId, partnerId: key.partnerId });
        await next();
      });
    }
    const attempt = await authBackoff(c);
    if (attempt.wait !== null) throw tooManyAttempts(attempt.wait);
    if (!/^ft_[A-Za-z0-9_-]{20,100}$/.test(token)) throw unauthorised();
    const hash = await sha256Hex(token);
    const found = await findActiveFeedToken(c.env.DB, hash);
    if (!found || !sameDigest(found.storedHash, hash)) throw unauthorised();
    attempt.succeeded();
    c.set('scope', { partnershipId: found.token.partnershipId, partnerId: found.token.partnerId });
    await next();
  };
