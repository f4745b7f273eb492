import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(seedDemo);

const setCookie = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
const cookieValue = (header: string | undefined) => header?.split(';')[0]?.split('=').slice(1).join('=');
const form = (body: Record<string, string>, cookie: string) => ({
  method: 'POST',
  redirect: 'manual' as const,
  headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body),
});

async function signInForm(base: string, cookieName: string) {
  const res = await SELF.fetch(`${base}/dashboard/sign-in`);
  const header = setCookie(res, cookieName);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { header, cookie: `${cookieName}=${cookieValue(header)}`, csrf };
}

describe('dashboard sign-in CSRF', () => {
  it('refuses a cookie and field the attacker chose themselves, even when they match', async () => {
    const chosen = 'attacker-chosen-value-123';
    const res = await SELF.fetch('http://heard.test/dashboard/sign-in', form({ _csrf: chosen, key: KEYS.admin }, `heard_signin=${chosen}`));
    expect(res.status).toBe(403);
    expect(setCookie(res, 'heard_session')).toBeUndefined();
  });

  it('refuses a server-issued cookie paired with another field, and a field copied without its signature', async () => {
    const { cookie, csrf } = await signInForm('http://heard.test', 'heard_signin');
    expect((await SELF.fetch('http://heard.test/dashboard/sign-in', form({ _csrf: `${csrf}x`, key: KEYS.admin }, cookie))).status).toBe(403);
    expect((await SELF.fetch('http://heard.test/dashboard/sign-in', form({ _csrf: csrf, key: KEYS.admin }, `heard_signin=${csrf}`))).status).toBe(403);
  });

  it('clears the sign-in cookie once signed in', async () => {
    const { cookie, csrf } = await signInForm('http://heard.test', 'heard_signin');
    const res = await SELF.fetch('http://heard.test/dashboard/sign-in', form({ _csrf: csrf, key: KEYS.scrutineer }, cookie));
    expect(res.status).toBe(303);
    expect(setCookie(res, 'heard_signin')).toMatch(/Max-Age=0/);
    expect(setCookie(res, 'heard_session')).toMatch(/HttpOnly/);
  });

  it('uses __Host- cookies on https, and signs in and out with them', async () => {
    const { header, cookie, csrf } = await signInForm('https://heard.test', '__Host-heard_signin');
    expect(header).toMatch(/Path=\/(;|$)/);
    expect(header).toMatch(/Secure/);
    expect(header).not.toMatch(/Domain=/);
    const res = await SELF.fetch('https://heard.test/dashboard/sign-in', form({ _csrf: csrf, key: KEYS.admin }, cookie));
    expect(res.status).toBe(303);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    const session = setCookie(res, '__Host-heard_session');
    expect(session).toMatch(/Path=\/;.*Secure/);
    expect(setCookie(res, '__Host-heard_signin')).toMatch(/Max-Age=0/);
    const page = await SELF.fetch('https://heard.test/dashboard', { headers: { cookie: `__Host-heard_session=${cookieValue(session)}` }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    // A plain-named cookie is not a session on https.
    expect(
      (await SELF.fetch('https://heard.test/dashboard', { headers: { cookie: `heard_session=${cookieValue(session)}` }, redirect: 'manual' })).status,
    ).toBe(303);
  });
});

describe('dashboard sessions in the audit log', () => {
  it('records each sign-in and sign-out with the key’s id, role and label, and safeguarding leads can read them', async () => {
    const { cookie, csrf } = await signInForm('http://heard.test', 'heard_signin');
    const started = new Date().toISOString();
    const res = await SELF.fetch('http://heard.test/dashboard/sign-in', form({ _csrf: csrf, key: KEYS.policeLead }, cookie));
    const session = cookieValue(setCookie(res, 'heard_session'))!;
    const html = await (await SELF.fetch('http://heard.test/dashboard', { headers: { cookie: `heard_session=${session}` } })).text();
    const sessionCsrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const out = await SELF.fetch('http://heard.test/dashboard/sign-out', form({ _csrf: sessionCsrf }, `heard_session=${session}`));
    expect(out.status).toBe(303);

    const res2 = await api('/api/v1/audit?limit=200', { key: KEYS.safeguarding });
    expect(res2.status).toBe(200);
    const { entries } = (await res2.json()) as {
      entries: { at: string; action: string; who: { keyId: string; role: string; label: string }; details?: unknown }[];
    };
    const police = { kind: 'key', keyId: '00000000-0000-4000-8000-00000000000b', role: 'practice-lead', label: 'Demo police practice lead' };
    const mine = entries.filter((e) => e.at >= started && e.who.keyId === police.keyId && e.action.startsWith('sessions.'));
    expect(mine.map((e) => e.action)).toEqual(['sessions.sign-out', 'sessions.sign-in']);
    for (const e of mine) {
      expect(e.who).toEqual(police);
      expect(e.details).toEqual({ role: 'practice-lead', label: 'Demo police practice lead' });
    }
    const table = JSON.stringify((await env.DB.prepare('SELECT * FROM audit_log').all()).results);
    expect(table).not.toContain(session);
    expect(table).not.toContain(KEYS.policeLead);
  });
});
