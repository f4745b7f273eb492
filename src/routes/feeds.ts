import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { publishedActionsOfPartnersBetween } from '../db/actions';
import type { FeedToken } from '../db/feed-tokens';
import { renderAtom, renderJsonFeed, type FeedEntry, type FeedMeta } from '../domain/feeds';
import { bucketEnd, bucketLabel } from '../domain/periods';
import type { AppEnv } from '../env';
import { describe } from '../lib/openapi';
import { nowIso, today } from '../lib/time';
import { createFeedToken, feedTokensOf, feedUrls, revokeFeedToken } from '../services/feed-tokens';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { requireFeedAccess } from '../middleware/feed-auth';
import { reportCache } from '../middleware/report-cache';
import { CreatedFeedTokenSchema, CreateFeedTokenSchema, FeedQuerySchema, FftQuerySchema, FeedTokenSchema, UuidParam } from '../schemas/api';
import { bucketReportFor, loadInsights, type InsightFilters, type LoadedInsights } from '../services/insights';
import { fftReturnCsv, insightsCsv } from '../services/export';

/** Atom, JSON Feed and CSV of the same suppressed insights, and the tokens feed readers use. */
export const feeds = new Hono<AppEnv>();

const feedUrlsFor = (c: Context, token?: string) => feedUrls(new URL(c.req.url).origin, token);

const tokenView = (t: FeedToken) => ({ id: t.id, label: t.label, partnerId: t.partnerId, createdAt: t.createdAt, revokedAt: t.revokedAt });
const tokenOwners = requireKey({ roles: ['admin', 'practice-lead', 'scrutineer'] });

feeds.post(
  '/api/v1/feed-tokens',
  describe({
    summary: 'Create a read-only feed token for a feed reader (scoped like the key; shown once)',
    tags: ['feeds'],
    auth: true,
    responses: { 201: { description: 'Created', schema: CreatedFeedTokenSchema }, 400: { description: 'Invalid' } },
  }),
  tokenOwners,
  validate('json', CreateFeedTokenSchema),
  async (c) => {
    const { token, secret } = await createFeedToken(c.env.DB, c.get('key'), c.req.valid('json').label);
    return c.json({ ...tokenView(token), token: secret, urls: feedUrlsFor(c, secret) }, 201);
  },
);

feeds.get(
  '/api/v1/feed-tokens',
  describe({
    summary: 'List feed tokens (never the secrets): all of the partnership’s for an admin, otherwise the key’s own',
    tags: ['feeds'],
    auth: true,
    responses: { 200: { description: 'Tokens', schema: v.object({ tokens: v.array(FeedTokenSchema) }) } },
  }),
  tokenOwners,
  async (c) => c.json({ tokens: (await feedTokensOf(c.env.DB, c.get('key'))).map(tokenView) }),
);

feeds.delete(
  '/api/v1/feed-tokens/:id',
  describe({
    summary: 'Revoke a feed token: an admin any of the partnership’s, any other key only its own',
    tags: ['feeds'],
    auth: true,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such active token' } },
  }),
  tokenOwners,
  validate('param', UuidParam),
  async (c) => {
    await revokeFeedToken(c.env.DB, c.get('key'), c.req.valid('param').id);
    return c.body(null, 204);
  },
);

const feedDoc = (summary: string, contentType: string) =>
  describe({
    summary,
    tags: ['feeds'],
    auth: true,
    responses: {
      200: { description: 'The feed', contentType, schema: v.string() },
      400: { description: 'Invalid filters' },
      401: { description: 'No key or feed token' },
    },
  });

/** Feeds say `private, max-age=300` to token readers (see feed-auth.ts); the CSV is never kept by a browser. */
const feedCache = reportCache({ scope: (c) => c.get('scope'), cacheControl: 'private, max-age=300' });
const csvCache = reportCache({ scope: (c) => c.get('scope'), cacheControl: 'private, no-store' });

/** One entry per period per partner, newest first, each with a stable id. */
async function feedEntries(db: D1Database, loaded: LoadedInsights, f: InsightFilters): Promise<FeedEntry[]> {
  const partners = f.partner ? loaded.partners.filter((p) => p.id === f.partner) : loaded.partners;
  const now = nowIso();
  const current = today();
  const entries: FeedEntry[] = [];
  const from = loaded.buckets[0]!;
  const to = bucketEnd(loaded.buckets[loaded.buckets.length - 1]!, loaded.interval);
  // One query for every partner and the whole range; each entry takes the actions dated in its period.
  const actions = await publishedActionsOfPartnersBetween(
    db,
    loaded.scope.partnershipId,
    partners.map((p) => p.id),
    from,
    to,
  );
  for (const bucket of [...loaded.buckets].reverse()) {
    const end = bucketEnd(bucket, loaded.interval);
    const label = bucketLabel(bucket, loaded.interval);
    for (const partner of partners) {
      // A feed entry shows totals, themes and what is emerging: no quotes, no per-question results.
      const report = bucketReportFor(loaded, { ...loaded.filter, partner: partner.id }, bucket);
      entries.push({
        id: `urn:heard:${loaded.scope.partnershipId}:${partner.id}:${loaded.interval}:${bucket}`,
        title: `${partner.name}: ${label}`,
        updated: end < current ? `${end}T23:59:59Z` : now,
        partner: { id: partner.id, name: partner.name },
        periodLabel: label,
        report,
        actions: actions
          .get(partner.id)!
          .filter((a) => a.when >= bucket && a.when <= end)
          .map(({ heard, did, status }) => ({ heard, did, status })),
      });
    }
  }
  return entries;
}

function feedMeta(c: Context, loaded: LoadedInsights, entries: FeedEntry[], kind: 'atom' | 'json'): FeedMeta {
  const url = new URL(c.req.url);
  url.searchParams.delete('token');
  const scopeName = loaded.scope.partnerId ? (loaded.partners[0]?.name ?? loaded.partnership.name) : loaded.partnership.name;
  return {
    id: `urn:heard:${loaded.scope.partnershipId}:insights:${loaded.scope.partnerId ?? 'all'}:${loaded.interval}:${kind}`,
    title: `${scopeName}: what children and families told us`,
    selfUrl: url.toString(),
    homeUrl: `${url.origin}/dashboard`,
    updated:
      entries
        .map((e) => e.updated)
        .sort()
        .pop() ?? nowIso(),
  };
}

/**
 * A feed's insights and entries for the asking key or token. Readers poll, so it may be kept for
 * five minutes, by the reader only (`private`): the token is in the reader's own URL.
 */
async function feedFor(c: Context<AppEnv>, query: v.InferOutput<typeof FeedQuerySchema>) {
  const { token: _token, ...filters } = query;
  const loaded = await loadInsights(c.env.DB, c.get('scope'), filters, c.get('reportFingerprint'));
  const entries = await feedEntries(c.env.DB, loaded, filters);
  c.header('Cache-Control', 'private, max-age=300');
  return { loaded, entries };
}

feeds.get(
  '/api/v1/feeds/insights.atom',
  feedDoc('Atom 1.0 feed: one entry per period per partner', 'application/atom+xml'),
  requireFeedAccess(),
  validate('query', FeedQuerySchema),
  feedCache,
  async (c) => {
    const { loaded, entries } = await feedFor(c, c.req.valid('query'));
    c.header('Content-Type', 'application/atom+xml; charset=utf-8');
    return c.body(renderAtom(feedMeta(c, loaded, entries, 'atom'), entries));
  },
);

feeds.get(
  '/api/v1/feeds/insights.json',
  feedDoc('JSON Feed 1.1: one item per period per partner', 'application/feed+json'),
  requireFeedAccess(),
  validate('query', FeedQuerySchema),
  feedCache,
  async (c) => {
    const { loaded, entries } = await feedFor(c, c.req.valid('query'));
    c.header('Content-Type', 'application/feed+json; charset=utf-8');
    return c.body(JSON.stringify(renderJsonFeed(feedMeta(c, loaded, entries, 'json'), entries)));
  },
);

feeds.get(
  '/api/v1/insights.csv',
  feedDoc('CSV (RFC 4180) of responses, ratings and themes per period and partner; "c" = suppressed', 'text/csv'),
  requireFeedAccess(),
  validate('query', FeedQuerySchema),
  csvCache,
  async (c) => {
    const { token: _t, ...filters } = c.req.valid('query');
    return insightsCsv(c.env.DB, c.get('scope'), filters);
  },
);

feeds.get(
  '/api/v1/insights/fft.csv',
  feedDoc(
    'CSV (RFC 4180) in the NHS Friends and Family Test monthly return layout: per month, partner and service, responses, very good … very poor, don’t know, % positive and % negative; "c" = suppressed, "z" = base too small',
    'text/csv',
  ),
  requireFeedAccess(),
  validate('query', FftQuerySchema),
  csvCache,
  async (c) => {
    const { from, to } = c.req.valid('query');
    return fftReturnCsv(c.env.DB, c.get('scope'), { ...(from ? { from } : {}), ...(to ? { to } : {}) });
  },
);
