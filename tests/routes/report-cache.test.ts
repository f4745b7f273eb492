import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketEnd, bucketStart, bucketsBetween } from '../../src/domain/periods';
import { weeksNotWithin } from '../../src/domain/linked-intervals';
import { reportTag } from '../../src/services/report-cache';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';
import { api, BASE } from '../helpers';

let P: Awaited<ReturnType<typeof seedInsightPartnership>>;
const RANGE = 'from=2026-01-01&to=2026-03-31&interval=month';
const FILTERS = { from: '2026-01-01', to: '2026-03-31', interval: 'month' } as const;
const colo = () => (caches as CacheStorage & { default: Cache }).default;

beforeAll(async () => {
  P = await seedInsightPartnership();
  const police = { partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family };
  await addResponses(P.id, [{ ...police, day: '2026-01-10', rating: 5, themes: { school: 'positive' } }], 20);
  await addResponses(P.id, [{ ...police, day: '2026-02-03', rating: 4, themes: { timeliness: 'negative' } }], 15);
});

const get = (path: string, key: string, headers: Record<string, string> = {}) => api(path, { key, headers });

/** The Cache API entry is written after the reply (waitUntil), so a test waits for it. */
async function cachedBody(cacheKey: string): Promise<string | null> {
  for (let i = 0; i < 50; i++) {
    const hit = await colo().match(cacheKey);
    if (hit) return hit.text();
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

describe('GET /api/v1/insights with an entity tag', () => {
  it('tags the report and answers If-None-Match with 304 and no body', async () => {
    const first = await get(`/api/v1/insights?${RANGE}`, P.keys.admin);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const body = await first.json();

    const again = await get(`/api/v1/insights?${RANGE}`, P.keys.admin);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.json()).toEqual(body);

    const conditional = await get(`/api/v1/insights?${RANGE}`, P.keys.admin, { 'if-none-match': etag });
    expect(conditional.status).toBe(304);
    expect(conditional.headers.get('etag')).toBe(etag);
    expect(await conditional.text()).toBe('');
    // A weak form of the same tag, or one tag in a list, matches too.
    expect((await get(`/api/v1/insights?${RANGE}`, P.keys.admin, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    expect((await get(`/api/v1/insights?${RANGE}`, P.keys.admin, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('gives each scope and each question its own tag', async () => {
    const tagOf = async (path: string, key: string) => (await get(path, key)).headers.get('etag');
    const admin = await tagOf(`/api/v1/insights?${RANGE}`, P.keys.admin);
    const police = await tagOf(`/api/v1/insights?${RANGE}`, P.keys.police);
    const health = await tagOf(`/api/v1/insights?${RANGE}`, P.keys.health);
    const byWeek = await tagOf('/api/v1/insights?from=2026-01-05&to=2026-03-29&interval=week', P.keys.admin);
    expect(new Set([admin, police, health, byWeek]).size).toBe(4);
    // A practice lead's tag does not answer for the partnership's report.
    expect((await get(`/api/v1/insights?${RANGE}`, P.keys.admin, { 'if-none-match': police! })).status).toBe(200);
  });

  it('changes the tag when a response arrives in the range, and the old tag gets the new report', async () => {
    const before = await get(`/api/v1/insights?${RANGE}`, P.keys.police);
    const etag = before.headers.get('etag')!;
    const total = ((await before.json()) as { totals: { responses: number | null } }).totals.responses;
    await addResponses(P.id, [{ partner: P.partners.police, survey: P.surveys.family, day: '2026-03-02', rating: 3 }], 12);
    const after = await get(`/api/v1/insights?${RANGE}`, P.keys.police, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(((await after.json()) as { totals: { responses: number | null } }).totals.responses).not.toBe(total);
  });

  it('changes the tag when a response lands after the range in a week the range shares, which can change its pattern', async () => {
    // 29 March 2026 is a Sunday: the week of 30 March to 5 April is April's, but the month views are
    // audited with their weeks and the months beside them, so April's responses can change March.
    const etag = (await get(`/api/v1/insights?${RANGE}`, P.keys.admin)).headers.get('etag')!;
    await addResponses(P.id, [{ partner: P.partners.health, survey: P.surveys.family, day: '2026-04-02', rating: 2 }], 3);
    expect((await get(`/api/v1/insights?${RANGE}`, P.keys.admin, { 'if-none-match': etag })).status).toBe(200);
    // Far from the range, nothing the range publishes can change, so the tag holds.
    const settled = (await get(`/api/v1/insights?${RANGE}`, P.keys.admin)).headers.get('etag')!;
    await addResponses(P.id, [{ partner: P.partners.health, survey: P.surveys.family, day: '2026-07-15', rating: 2 }], 3);
    expect((await get(`/api/v1/insights?${RANGE}`, P.keys.admin, { 'if-none-match': settled })).status).toBe(304);
  });

  it('names in the fingerprint every week that can change without a month it reads changing', () => {
    // A response changes the versions of its week and its month, so only a week no month read holds whole can change alone.
    const [from, to] = ['2025-11-24', '2026-04-30'];
    const named = weeksNotWithin(from, to);
    expect(named).toEqual(expect.arrayContaining(['2025-11-24', '2025-12-29', '2026-03-30', '2026-04-27']));
    for (const week of bucketsBetween(from, to, 'week')) {
      const month = bucketStart(week, 'month');
      const heldWhole = month >= from && month <= to && bucketStart(bucketEnd(week, 'week'), 'month') === month;
      expect(named.includes(week), week).toBe(!heldWhole);
    }
  });

  it('changes the tag when a partner is renamed', async () => {
    const etag = (await get(`/api/v1/insights?${RANGE}`, P.keys.admin)).headers.get('etag')!;
    await env.DB.prepare("UPDATE partners SET name = 'Police (renamed)' WHERE id = ?1").bind(P.partners.police).run();
    const after = await get(`/api/v1/insights?${RANGE}`, P.keys.admin, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(JSON.stringify(await after.json())).toContain('Police (renamed)');
  });

  it('keeps the body in the Cache API under the tag and serves it from there', async () => {
    const res = await get(`/api/v1/insights?${RANGE}&partner=${P.partners.police}`, P.keys.admin);
    const body = await res.text();
    const tag = (await reportTag(env.DB, { partnershipId: P.id, partnerId: null }, `${BASE}/api/v1/insights?${RANGE}&partner=${P.partners.police}`, {
      ...FILTERS,
      partner: P.partners.police,
    }))!;
    expect(tag.etag).toBe(res.headers.get('etag'));
    expect(await cachedBody(tag.cacheKey)).toBe(body);

    // What the colo's cache holds under the tag is what is sent: nothing is recomputed.
    await colo().put(tag.cacheKey, new Response('{"from":"the cache"}', { headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' } }));
    const served = await get(`/api/v1/insights?${RANGE}&partner=${P.partners.police}`, P.keys.admin);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ from: 'the cache' });
    expect(served.headers.get('etag')).toBe(tag.etag);
    expect(served.headers.get('cache-control')).toBe('no-store');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('tags no error and keeps none', async () => {
    const res = await get('/api/v1/insights?from=2026-03-01&to=2026-01-01', P.keys.admin);
    expect(res.status).toBe(400);
    expect(res.headers.get('etag')).toBeNull();
    const forbidden = await get(`/api/v1/insights?${RANGE}&partner=${P.partners.health}`, P.keys.police);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('etag')).toBeNull();
  });
});

describe('feeds and the CSV with an entity tag', () => {
  async function feedToken(key: string) {
    const res = await api('/api/v1/feed-tokens', { method: 'POST', key, json: { label: 'reader' } });
    return ((await res.json()) as { token: string }).token;
  }

  it('answers a feed reader’s conditional GET with 304, keeping the feed’s Cache-Control', async () => {
    const token = await feedToken(P.keys.police);
    for (const path of ['/api/v1/feeds/insights.atom', '/api/v1/feeds/insights.json']) {
      const first = await api(`${path}?${RANGE}&token=${token}`);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toBeTruthy();
      expect(first.headers.get('cache-control')).toBe('private, max-age=300');
      const conditional = await api(`${path}?${RANGE}&token=${token}`, { headers: { 'if-none-match': etag } });
      expect(conditional.status).toBe(304);
      expect(conditional.headers.get('cache-control')).toBe('private, max-age=300');
      // A cached copy is sent with the feed's own headers.
      const cached = await api(`${path}?${RANGE}&token=${token}`);
      expect(cached.headers.get('cache-control')).toBe('private, max-age=300');
      expect(cached.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(await cached.text()).toBe(await first.text());
    }
  });

  it('gives the same question the same tag whichever of the scope’s tokens asks, and a revoked token nothing', async () => {
    const [a, b] = [await feedToken(P.keys.police), await feedToken(P.keys.police)];
    const ea = (await api(`/api/v1/feeds/insights.atom?${RANGE}&token=${a}`)).headers.get('etag');
    const eb = (await api(`/api/v1/feeds/insights.atom?${RANGE}&token=${b}`)).headers.get('etag');
    expect(ea).toBe(eb);
    const wrong = await api(`/api/v1/feeds/insights.atom?${RANGE}&token=ft_${'x'.repeat(30)}`, { headers: { 'if-none-match': ea! } });
    expect(wrong.status).toBe(401);
  });

  it('tags the CSV, answers 304, and serves a cached CSV with its filename', async () => {
    const first = await get(`/api/v1/insights.csv?${RANGE}`, P.keys.admin);
    expect(first.status).toBe(200);
    const csv = await first.text();
    const etag = first.headers.get('etag')!;
    expect((await get(`/api/v1/insights.csv?${RANGE}`, P.keys.admin, { 'if-none-match': etag })).status).toBe(304);
    const tag = (await reportTag(env.DB, { partnershipId: P.id, partnerId: null }, `${BASE}/api/v1/insights.csv?${RANGE}`, FILTERS))!;
    expect(await cachedBody(tag.cacheKey)).toBe(csv);
    const cached = await get(`/api/v1/insights.csv?${RANGE}`, P.keys.admin);
    expect(cached.headers.get('content-disposition')).toBe(first.headers.get('content-disposition'));
    expect(await cached.text()).toBe(csv);
  });
});
