import { parse as parseCsv } from 'csv-parse/sync';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';
import { beforeAll, describe, expect, it } from 'vitest';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';
import { api, KEYS, seedDemo } from '../helpers';

let P: Awaited<ReturnType<typeof seedInsightPartnership>>;
const RANGE = 'from=2026-01-01&to=2026-03-31&interval=month';

beforeAll(async () => {
  await seedDemo();
  P = await seedInsightPartnership();
  const police = { partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family };
  const health = { partner: P.partners.health, service: P.services.camhs, survey: P.surveys.family };
  await addResponses(P.id, [{ ...police, day: '2026-01-10', rating: 5, themes: { school: 'positive' } }], 20);
  await addResponses(P.id, [{ ...health, day: '2026-01-12', rating: 2, themes: { 'mental-health': 'negative' } }], 3);
  await addResponses(P.id, [{ ...police, day: '2026-02-03', rating: 4, themes: { school: 'positive', timeliness: 'negative' } }], 30);
  await addResponses(P.id, [{ ...health, day: '2026-02-20', rating: 1, themes: { 'mental-health': 'negative' } }], 12);
});

async function newToken(key: string) {
  const res = await api('/api/v1/feed-tokens', { method: 'POST', key, json: { label: 'My feed reader' } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string; urls: { atom: string; json: string; csv: string } };
}

describe('Atom feed', () => {
  it('parses as Atom with one entry per period per partner, with stable ids', async () => {
    const res = await api(`/api/v1/feeds/insights.atom?${RANGE}`, { key: P.keys.admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    const feed = parseAtomFeed(xml);
    expect(feed.title!.value).toContain('what children and families told us');
    expect(feed.entries).toHaveLength(6);
    const ids = feed.entries!.map((e) => e.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toContain(`urn:heard:${P.id}:${P.partners.police}:month:2026-02-01`);
    const again = parseAtomFeed(await (await api(`/api/v1/feeds/insights.atom?${RANGE}`, { key: P.keys.admin })).text());
    expect(again.entries!.map((e) => e.id)).toEqual(ids);
    const febPolice = feed.entries!.find((e) => e.id!.endsWith(`${P.partners.police}:month:2026-02-01`))!;
    expect(febPolice.title!.value).toContain('February 2026');
    expect(febPolice.content!.value).toContain('Responses: 30');
    expect(febPolice.content!.value).toContain('School and education 30');
    // January: health had 3, so both partners' January counts are suppressed.
    const janHealth = feed.entries!.find((e) => e.id!.endsWith(`${P.partners.health}:month:2026-01-01`))!;
    expect(janHealth.content!.value).toContain('suppressed');
    expect(xml).not.toMatch(/Responses: [1-5]\b/);
  });

  it('lists a partner’s published "you said, we did" actions in that period’s entry', async () => {
    const made = await api('/api/v1/actions', {
      method: 'POST',
      key: P.keys.police,
      json: {
        themeId: 'timeliness',
        heard: 'You said you waited too long to hear back.',
        did: 'We now ring every family within 2 days.',
        when: '2026-02-14',
        status: 'done',
        published: true,
      },
    });
    expect(made.status).toBe(201);
    await api('/api/v1/actions', {
      method: 'POST',
      key: P.keys.police,
      json: { themeId: 'school', heard: 'Draft only.', did: 'Not yet.', when: '2026-02-15' },
    });
    const feed = parseAtomFeed(await (await api(`/api/v1/feeds/insights.atom?${RANGE}`, { key: P.keys.police })).text());
    const feb = feed.entries!.find((e) => e.id!.endsWith(`${P.partners.police}:month:2026-02-01`))!;
    expect(feb.content!.value).toContain('You said: you waited too long to hear back. We did: We now ring every family within 2 days.');
    expect(feb.content!.value).not.toContain('You said: You said');
    expect(feb.content!.value).not.toContain('Draft only');
    const jan = feed.entries!.find((e) => e.id!.endsWith(`${P.partners.police}:month:2026-01-01`))!;
    expect(jan.content!.value).not.toContain('You said');
  });

  it('shows a practice lead only their own partner', async () => {
    const feed = parseAtomFeed(await (await api(`/api/v1/feeds/insights.atom?${RANGE}`, { key: P.keys.police })).text());
    expect(feed.entries).toHaveLength(3);
    expect(feed.entries!.every((e) => e.id!.includes(P.partners.police))).toBe(true);
  });
});

describe('JSON Feed', () => {
  it('parses as JSON Feed 1.1 with the same entries', async () => {
    const res = await api(`/api/v1/feeds/insights.json?${RANGE}`, { key: P.keys.scrutineer });
    expect(res.status).toBe(200);
    const feed = parseJsonFeed(await res.text());
    expect(feed.items).toHaveLength(6);
    // Newest period first.
    expect(
      feed
        .items!.slice(0, 2)
        .map((i) => i.id)
        .sort(),
    ).toEqual([`urn:heard:${P.id}:${P.partners.health}:month:2026-03-01`, `urn:heard:${P.id}:${P.partners.police}:month:2026-03-01`]);
  });
});

describe('CSV export', () => {
  it('parses as RFC 4180 CSV with "c" for every suppressed count', async () => {
    const res = await api(`/api/v1/insights.csv?${RANGE}`, { key: P.keys.scrutineer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const text = await res.text();
    expect(text).toContain('\r\n');
    const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
    const responses = rows.filter((r) => r.measure === 'responses');
    // 3 groups (all partners, police, health) × (3 months + the whole range)
    expect(responses).toHaveLength(12);
    const allFeb = responses.find((r) => r.partner_id === '' && r.period_start === '2026-02-01')!;
    expect(allFeb.count).toBe('42');
    const healthJan = responses.find((r) => r.partner_id === P.partners.health && r.period_start === '2026-01-01' && r.period_end === '2026-01-31')!;
    expect(healthJan.count).toBe('c');
    for (const row of rows) expect(row.count).toMatch(/^(0|c|[6-9]|\d{2,})$/);
    const school = rows.find((r) => r.item_id === 'school' && r.partner_id === P.partners.police && r.period_start === '2026-02-01')!;
    expect(school).toMatchObject({ count: '30', share_pct: '100', positive_pct: '100' });
  });

  it('is scoped for a practice lead', async () => {
    const rows = parseCsv(await (await api(`/api/v1/insights.csv?${RANGE}`, { key: P.keys.health })).text(), { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((r) => r.partner_id))).toEqual(new Set([P.partners.health]));
  });
});

describe('feed tokens', () => {
  it('let a feed reader in through the URL, on feed URLs only, until revoked', async () => {
    const created = await newToken(P.keys.police);
    expect(created.token).toMatch(/^ft_/);
    expect(created.urls.atom).toContain(`token=${created.token}`);
    const viaToken = await api(`/api/v1/feeds/insights.atom?${RANGE}&token=${created.token}`);
    expect(viaToken.status).toBe(200);
    const feed = parseAtomFeed(await viaToken.text());
    expect(feed.entries!.every((e) => e.id!.includes(P.partners.police))).toBe(true);
    expect((await api(`/api/v1/insights.csv?${RANGE}&token=${created.token}`)).status).toBe(200);
    expect((await api(`/api/v1/feeds/insights.json?token=${created.token}`)).status).toBe(200);

    // Not an API key: no other route takes it, in a header or the URL.
    expect((await api(`/api/v1/insights?${RANGE}&token=${created.token}`)).status).toBe(401);
    expect((await api(`/api/v1/insights?${RANGE}`, { key: created.token })).status).toBe(401);
    expect((await api('/api/v1/surveys', { key: created.token })).status).toBe(401);

    expect((await api(`/api/v1/feed-tokens/${created.id}`, { method: 'DELETE', key: P.keys.health })).status).toBe(404);
    expect((await api(`/api/v1/feed-tokens/${created.id}`, { method: 'DELETE', key: P.keys.police })).status).toBe(204);
    expect((await api(`/api/v1/feeds/insights.atom?token=${created.token}`)).status).toBe(401);
  });

  it('never accepts an API key in the URL', async () => {
    expect((await api(`/api/v1/feeds/insights.atom?token=${P.keys.admin}`)).status).toBe(401);
    expect((await api(`/api/v1/feeds/insights.atom?token=${KEYS.admin}`)).status).toBe(401);
  });

  it('are listed without secrets and never cross partnerships', async () => {
    const created = await newToken(P.keys.admin);
    const list = await (await api('/api/v1/feed-tokens', { key: P.keys.admin })).text();
    expect(list).toContain(created.id);
    expect(list).not.toContain(created.token);
    expect(await (await api('/api/v1/feed-tokens', { key: KEYS.admin })).text()).not.toContain(created.id);
    expect((await api(`/api/v1/feed-tokens/${created.id}`, { method: 'DELETE', key: KEYS.admin })).status).toBe(404);
    const demoFeed = await (await api(`/api/v1/feeds/insights.atom?token=${created.token}`)).text();
    expect(demoFeed).not.toContain('demo-');
  });

  it('refuse a safeguarding lead, and feeds need a key or token', async () => {
    expect((await api('/api/v1/feed-tokens', { method: 'POST', key: P.keys.safeguarding, json: { label: 'x' } })).status).toBe(403);
    expect((await api('/api/v1/feeds/insights.atom')).status).toBe(401);
    expect((await api('/api/v1/feeds/insights.atom', { key: P.keys.safeguarding })).status).toBe(403);
  });
});
