import { findReportFingerprint } from '../db/report-versions';
import { daysPublishedFrom, weeksNotWithin } from '../domain/linked-intervals';
import type { InsightScope } from '../domain/insights';
import { sha256Hex } from '../lib/crypto';
import { today } from '../lib/time';
import { insightRange, type InsightFilters } from './insights';
import { readFolded } from './rollup-fold';

/**
 * Insights, feeds and the CSV export, answered from what was computed before while nothing they
 * are computed from has changed. Feed readers poll every few minutes and dashboards reload: most
 * requests ask a question whose answer is already known.
 *
 * - The entity tag is a hash of the question (path and query, less a feed token), the caller's
 *   scope, today's date (defaults and "this period" move with it) and the stored fingerprint of
 *   everything a report reads (db/report-versions.ts: one query, no report computed).
 * - The body is kept in the Workers Cache API under that tag, so every isolate in a colo shares
 *   it. A changed rollup version, partner name, setting, taxonomy, survey or action gives a new tag,
 *   so nothing is ever purged: stale entries are simply never asked for again and expire.
 * - The key is computed from the caller's own scope, never from what the client sends, so a tag
 *   seen by one partner cannot fetch another's report.
 */

/** Bumped when the bodies' shape changes, so a deploy never serves a body an older Worker rendered. */
const FORMAT = 1;
/** How long the shared cache keeps a body; a new tag replaces it long before that in a busy partnership. */
const KEEP_SECONDS = 86_400;
/** Where the report's own Cache-Control travels while the cached copy carries the one the Cache API needs. */
const ORIGINAL_CACHE_CONTROL = 'X-Heard-Cache-Control';
/** The response headers a cached body keeps; the rest (security headers, ETag) are set per request. */
const KEPT_HEADERS = ['content-type', 'content-disposition'];

export interface ReportTag {
  etag: string;
  /** The Cache API key: a path on the Worker's own origin that no route serves. */
  cacheKey: string;
  /** The stored fingerprint the tag was made from: while it holds, so does everything a report reads (services/insights.ts). */
  fingerprint: string;
}

/**
 * The tag of a report for a caller and question, from one query. Null when the range itself is
 * invalid: the handler then answers its 400, and errors are never tagged or kept.
 */
export async function reportTag(db: D1Database, scope: InsightScope, requestUrl: string, filters: InsightFilters): Promise<ReportTag | null> {
  let span: string[];
  try {
    span = insightRange(filters).span;
  } catch {
    return null;
  }
  // After a fold of what is pending, whose new bucket versions change the fingerprint.
  const { from, to } = daysPublishedFrom(span[0]!, span[span.length - 1]!, filters.interval);
  const fingerprint = await readFolded(db, scope.partnershipId, () => findReportFingerprint(db, scope.partnershipId, from, to, weeksNotWithin(from, to)));
  const url = new URL(requestUrl);
  url.searchParams.delete('token');
  url.searchParams.sort();
  const hash = await sha256Hex(JSON.stringify([FORMAT, url.pathname, url.search, scope.partnershipId, scope.partnerId, today(), fingerprint]));
  return { etag: `"${hash.slice(0, 40)}"`, cacheKey: `${url.origin}/__heard/report-cache/${hash}`, fingerprint };
}

/**
 * The colo's Cache API where the platform has one (workerd, Miniflare); none in plain Node (the
 * bench's replay). tsconfig's DOM lib declares a CacheStorage without workers-types' `default`.
 */
const sharedCache = (): Cache | null => (typeof caches === 'undefined' ? null : (caches as CacheStorage & { default: Cache }).default);

/** A body kept under this tag, with the headers it was first sent with; null when there is none. */
export async function cachedReport(tag: ReportTag): Promise<{ body: ReadableStream | null; headers: Record<string, string> } | null> {
  const cache = sharedCache();
  if (!cache) return null;
  try {
    const hit = await cache.match(tag.cacheKey);
    if (!hit) return null;
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = hit.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const cacheControl = hit.headers.get(ORIGINAL_CACHE_CONTROL);
    if (cacheControl !== null) headers['cache-control'] = cacheControl;
    return { body: hit.body, headers };
  } catch {
    // A cache that fails is a miss: the report is computed as if it had never been kept.
    return null;
  }
}

/**
 * Keeps a computed report's body under its tag. The cached copy says `max-age` (the Cache API
 * refuses `private` and `no-store`); the report's own Cache-Control is restored when it is served.
 */
export async function keepReport(tag: ReportTag, response: Response): Promise<void> {
  const cache = sharedCache();
  if (!cache) return;
  const headers = new Headers();
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set(ORIGINAL_CACHE_CONTROL, response.headers.get('cache-control') ?? 'no-store');
  headers.set('Cache-Control', `max-age=${KEEP_SECONDS}`);
  try {
    await cache.put(tag.cacheKey, new Response(response.body, { status: 200, headers }));
  } catch {
    // Not kept: the next request computes it again.
  }
}
