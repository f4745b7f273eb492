import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { etagMatches } from '../lib/etag';
import type { InsightFilters, InsightScope } from '../services/insights';
import { cachedReport, keepReport, reportTag } from '../services/report-cache';

/**
 * Wraps a report route (insights, a feed, the CSV) after its auth and query validation:
 * - `If-None-Match` with the current tag is answered 304 after one query, before any report is computed;
 * - otherwise a body kept in the shared cache under that tag is sent as it is;
 * - otherwise the handler computes it, and a 200 is tagged and kept for the next caller.
 *
 * @param opts.scope the caller's scope (set by the route's auth)
 * @param opts.cacheControl what the route's 200 says, repeated on a 304 as RFC 9110 asks
 */
export const reportCache = (opts: {
  scope: (c: Context<AppEnv>) => InsightScope;
  cacheControl: string;
}): MiddlewareHandler<AppEnv, string, { out: { query: InsightFilters } }> =>
  async function reportCache(c, next) {
    const tag = await reportTag(c.env.DB, opts.scope(c), c.req.url, c.req.valid('query'));
    if (!tag) return next();
    c.set('reportFingerprint', tag.fingerprint);
    if (etagMatches(c.req.header('if-none-match'), tag.etag)) {
      return c.body(null, 304, { ETag: tag.etag, 'Cache-Control': opts.cacheControl });
    }
    const hit = await cachedReport(tag);
    if (hit) return new Response(hit.body, { status: 200, headers: { ...hit.headers, ETag: tag.etag } });
    await next();
    if (c.res.status !== 200) return;
    c.res.headers.set('ETag', tag.etag);
    const copy = c.res.clone();
    const kept = keepReport(tag, copy);
    // Kept after the reply where the platform allows, so a streamed CSV is not held back.
    try {
      c.executionCtx.waitUntil(kept);
    } catch {
      await kept;
    }
  };
