import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, KEYS, seedDemo, submit } from '../helpers';

beforeAll(seedDemo);

interface ListedLink {
  id: string;
  status: string;
  [field: string]: unknown;
}

async function issueLink(): Promise<{ id: string; token: string }> {
  const res = await api('/api/v1/links', {
    method: 'POST',
    key: KEYS.admin,
    json: { surveyId: 'after-visit', partnerId: 'demo-la', serviceId: 'demo-social-work', contactType: 'home-visit', singleUse: true },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string };
}

async function listed(key: string, id: string): Promise<ListedLink> {
  const res = await api('/api/v1/links', { key });
  expect(res.status).toBe(200);
  const found = ((await res.json()) as { links: ListedLink[] }).links.find((l) => l.id === id);
  expect(found).toBeDefined();
  return found as ListedLink;
}

describe('GET /api/v1/links', () => {
  it('never shows how often a link was used: a used single-use link lists exactly like an unused one', async () => {
    const used = await issueLink();
    const unused = await issueLink();
    expect((await submit('after-visit', { id: crypto.randomUUID(), answers: { visit: 4 }, link: used.token })).status).toBe(201);
    // It still works once, inside intake.
    expect((await submit('after-visit', { id: crypto.randomUUID(), answers: { visit: 2 }, link: used.token })).status).toBe(410);

    for (const key of [KEYS.admin, KEYS.scrutineer]) {
      const a = await listed(key, used.id);
      const b = await listed(key, unused.id);
      expect(a).not.toHaveProperty('uses');
      expect(a.status).toBe('active');
      const { id: _a, expiresAt: _ea, ...restUsed } = a;
      const { id: _b, expiresAt: _eb, ...restUnused } = b;
      expect(restUsed).toEqual(restUnused);
    }
  });

  it('shows a link whose date has passed, or that was revoked, as expired', async () => {
    const link = await issueLink();
    await env.DB.prepare("UPDATE feedback_links SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ?1").bind(link.id).run();
    expect((await listed(KEYS.admin, link.id)).status).toBe('expired');
    const revoked = await issueLink();
    expect((await api(`/api/v1/links/${revoked.id}/revoke`, { method: 'POST', key: KEYS.admin })).status).toBeLessThan(300);
    expect((await listed(KEYS.admin, revoked.id)).status).toBe('expired');
  });
});
