import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../dashboard-session';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(async () => {
  await seedDemo();
});

const NEW_LINK = { surveyId: 'family-rating', partnerId: 'demo-police', serviceId: 'demo-public-protection', contactType: 'home-visit', expiresInDays: '10' };
const bookmarkOf = (res: Response, name = 'heard_d1') => {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return header?.split(';')[0]?.slice(name.length + 1);
};
const rows = (html: string) => (html.match(/<tr>/g) ?? []).length;

describe('D1 sessions (read replication ready)', () => {
  it('the dashboard carries its session bookmark, so the next page reads the write it just made', async () => {
    const s = await signIn(KEYS.policeLead);
    const before = rows((await s.get('/dashboard/links')).html);
    const { res } = await s.post('/dashboard/links', NEW_LINK);
    expect(res.status).toBe(200);
    const bookmark = bookmarkOf(res);
    expect(bookmark).toMatch(/^[\w.:-]+$/);

    const after = await SELF.fetch(`http://heard.test/dashboard/links`, { headers: { cookie: `${s.cookie}; heard_d1=${bookmark}` } });
    expect(after.status).toBe(200);
    expect(rows(await after.text())).toBe(before + 1);
  });

  it('on https the bookmark is a __Host- cookie: Secure, HttpOnly, SameSite=Strict, Path=/', async () => {
    const form = await SELF.fetch('https://heard.test/dashboard/sign-in');
    const signInCookie = form.headers
      .getSetCookie()
      .find((c) => c.startsWith('__Host-heard_signin='))!
      .split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await SELF.fetch('https://heard.test/dashboard/sign-in', {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: signInCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, key: KEYS.admin }),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-heard_d1='));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=strict', 'path=/']));
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
  });

  it('a bookmark cookie that is not one is ignored, never a 500', async () => {
    const s = await signIn(KEYS.admin);
    for (const value of ['not%20a%20bookmark', 'x'.repeat(500), '00000000-00000000-00000000-00000000000000000000000000000000']) {
      const res = await SELF.fetch('http://heard.test/dashboard/links', { headers: { cookie: `${s.cookie}; heard_d1=${value}` } });
      expect(res.status).toBe(200);
    }
  });

  it('API reads run in a session but set no cookie; API writes are answered as before', async () => {
    const read = await api('/api/v1/insights', { key: KEYS.admin });
    expect(read.status).toBe(200);
    expect(bookmarkOf(read)).toBeUndefined();
    const write = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.admin,
      json: { surveyId: 'family-rating', partnerId: 'demo-la', contactType: 'home-visit' },
    });
    expect(write.status).toBe(201);
    expect(bookmarkOf(write)).toBeUndefined();
  });
});
