import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../dashboard-session';
import { api, countRows, KEYS, seedDemo } from '../helpers';

beforeAll(async () => {
  await seedDemo();
});

const NEW_LINK = { surveyId: 'family-rating', partnerId: 'demo-police', serviceId: 'demo-public-protection', contactType: 'home-visit', expiresInDays: '10' };
const linkRows = () => countRows('SELECT COUNT(*) AS n FROM feedback_links');
const htmlDecode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');

describe('feedback links: the API and the workspace share one service', () => {
  it('API: issues a link with a short URL that redirects to the survey with the token', async () => {
    const res = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.policeLead,
      json: { surveyId: 'family-rating', partnerId: 'demo-police', contactType: 'phone-call', singleUse: false },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; url: string; shortUrl: string };
    expect(body.shortUrl).toBe(`http://heard.test/l/${body.token}`);
    const hop = await api(`/l/${body.token}`);
    expect(hop.status).toBe(302);
    expect(hop.headers.get('location')).toBe(body.url);
    expect(body.url).toBe(`http://heard.test/s/family-rating?link=${body.token}`);
  });

  it('a short link nobody issued is a 404, not a redirect', async () => {
    expect((await api('/l/notARealToken123456')).status).toBe(404);
    expect((await api('/l/bad!token')).status).toBe(404);
  });

  it('workspace: a practice lead makes a link for their own partner and gets the card, QR, short URL and text messages once', async () => {
    const s = await signIn(KEYS.policeLead);
    const before = await linkRows();
    // A practice lead's form has no partner field; a posted partner is ignored, not trusted.
    const { res, html } = await s.post('/dashboard/links', { ...NEW_LINK, partnerId: 'demo-la', singleUse: 'true', contactRef: 'CASE-42' });
    expect(res.status).toBe(200);
    expect(await linkRows()).toBe(before + 1);
    const row = await env.DB.prepare(
      'SELECT partner_id, service_id, single_use, contact_ref_sealed FROM feedback_links ORDER BY created_at DESC LIMIT 1',
    ).first<Record<string, unknown>>();
    expect(row).toMatchObject({ partner_id: 'demo-police', service_id: 'demo-public-protection', single_use: 1 });
    expect(String(row!.contact_ref_sealed)).not.toContain('CASE-42');

    const shortUrl = /id="short-url" readonly="" value="([^"]+)"/.exec(html)?.[1];
    expect(shortUrl).toMatch(/^http:\/\/heard\.test\/l\/[A-Za-z0-9_-]{20,}$/);
    expect(html).toContain('<svg class="qr" role="img"');
    expect(html).toContain('It’s anonymous: we don’t ask your name.');
    expect(html).toContain('Mae’n ddienw: dydyn ni ddim yn gofyn eich enw.');
    const sms = [...html.matchAll(/href="(sms:[^"]+)"/g)].map((m) => decodeURIComponent(htmlDecode(m[1]!).replace('sms:?&body=', '')));
    expect(sms).toEqual([`Thank you for seeing us. Tell us how it went (it’s anonymous): ${shortUrl}`, expect.stringContaining(shortUrl!)]);

    // The short link leads to the survey through the real intake: the link attributes the answer.
    const hop = await api(new URL(shortUrl!).pathname);
    expect(hop.headers.get('location')).toMatch(/\/s\/family-rating\?link=/);

    // The list shows it, by survey title, never its token.
    const list = await s.get('/dashboard/links');
    expect(list.html).toContain('<td>Tell us about your experience</td>');
    expect(list.html).not.toContain(new URL(shortUrl!).pathname.slice(3));
  });

  it('workspace: names each bad field in words and writes nothing', async () => {
    const s = await signIn(KEYS.admin);
    const before = await linkRows();
    const { res, html } = await s.post('/dashboard/links', { ...NEW_LINK, expiresInDays: '400', serviceId: 'demo-camhs' });
    expect(res.status).toBe(400);
    expect(html).toContain('Days before it ends must be at most 90');
    expect(html).toContain('href="#l-days"');
    expect(html).toMatch(/id="l-days"[^>]*aria-invalid="true"/);
    const wrongService = await s.post('/dashboard/links', { ...NEW_LINK, serviceId: 'demo-camhs' });
    expect(wrongService.res.status).toBe(400);
    expect(wrongService.html).toContain('Service is not a service of that partner');
    expect(await linkRows()).toBe(before);
  });

  it('workspace: refuses a post without the session’s CSRF token, and a scrutineer’s post', async () => {
    const admin = await signIn(KEYS.admin);
    const before = await linkRows();
    expect((await admin.post('/dashboard/links', NEW_LINK, { csrf: null })).res.status).toBe(403);
    expect((await admin.post('/dashboard/links', NEW_LINK, { csrf: 'forged' })).res.status).toBe(403);
    const scrutineer = await signIn(KEYS.scrutineer);
    const refused = await scrutineer.post('/dashboard/links', NEW_LINK);
    expect(refused.res.status).toBe(403);
    expect(refused.html).toContain('Only admins and practice leads make feedback links.');
    expect(await linkRows()).toBe(before);
    const { html } = await scrutineer.get('/dashboard/links');
    expect(html).not.toContain('Make the link');
  });

  it('a link made through the API is revoked in the workspace, and the API then lists it as expired', async () => {
    const made = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.admin,
      json: { surveyId: 'after-visit', partnerId: 'demo-la', contactType: 'home-visit' },
    });
    const { id } = (await made.json()) as { id: string };
    const s = await signIn(KEYS.admin);
    const { res } = await s.post(`/dashboard/links/${id}/revoke`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/links?revoked=1');
    const listed = (await (await api('/api/v1/links', { key: KEYS.admin })).json()) as { links: { id: string; status: string }[] };
    expect(listed.links.find((l) => l.id === id)?.status).toBe('expired');
    // Twice is a 404 page, not a second audit or a 500.
    expect((await s.post(`/dashboard/links/${id}/revoke`, {})).res.status).toBe(404);
    // A practice lead cannot revoke another partner's link.
    const other = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.admin,
      json: { surveyId: 'after-visit', partnerId: 'demo-la', contactType: 'home-visit' },
    });
    const police = await signIn(KEYS.policeLead);
    expect((await police.post(`/dashboard/links/${((await other.json()) as { id: string }).id}/revoke`, {})).res.status).toBe(404);
  });
});
