import { createExecutionContext, env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../src/index';
import { attempt, FIRST_WAIT_MS, LONGEST_WAIT_MS, parseBackoff, refund } from '../../src/middleware/auth-backoff';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(seedDemo);

const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;
type Audit = { entries: { action: string; who: { keyId: string; role: string; label: string }; subjectIds: string[]; details?: Record<string, unknown> }[] };
const auditFor = async (key: string) => (await json<Audit>(await api('/api/v1/audit?limit=200', { key }))).entries;
const SAFEGUARDING_KEY_ID = '00000000-0000-4000-8000-00000000000d';
const ADMIN_KEY_ID = '00000000-0000-4000-8000-00000000000a';
const SCRUTINEER_KEY_ID = '00000000-0000-4000-8000-00000000000e';

describe('safeguarding-lead keys', () => {
  it('refuses an admin who mints a safeguarding-lead key, with a code naming the rule', async () => {
    const res = await api('/api/v1/keys', { method: 'POST', key: KEYS.admin, json: { role: 'safeguarding-lead', label: 'Me, reading alerts' } });
    expect(res.status).toBe(403);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('safeguarding_lead_only');
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE label = 'Me, reading alerts'").first<{ n: number }>())!.n).toBe(0);
  });

  it('refuses an admin who revokes a safeguarding-lead key', async () => {
    const res = await api(`/api/v1/keys/${SAFEGUARDING_KEY_ID}`, { method: 'DELETE', key: KEYS.admin });
    expect(res.status).toBe(403);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('safeguarding_lead_only');
    expect((await api('/api/v1/safeguarding/alerts', { key: KEYS.safeguarding })).status).toBe(200);
  });

  it('lets a safeguarding lead create and revoke one, both audited with who, role and label but never the secret', async () => {
    const made = await api('/api/v1/keys', { method: 'POST', key: KEYS.safeguarding, json: { role: 'safeguarding-lead', label: 'Deputy lead' } });
    expect(made.status).toBe(201);
    expect(made.headers.get('cache-control')).toBe('no-store');
    const { id, key } = await json<{ id: string; key: string }>(made);
    expect((await api('/api/v1/safeguarding/alerts', { key })).status).toBe(200);
    // An admin sees it in the audit log but still cannot revoke it; the lead can.
    expect((await api(`/api/v1/keys/${id}`, { method: 'DELETE', key: KEYS.admin })).status).toBe(403);
    expect((await api(`/api/v1/keys/${id}`, { method: 'DELETE', key: KEYS.safeguarding })).status).toBe(204);
    expect((await api('/api/v1/safeguarding/alerts', { key })).status).toBe(401);

    const mine = (await auditFor(KEYS.safeguarding)).filter((e) => e.subjectIds.includes(id));
    expect(mine.map((e) => e.action)).toEqual(['keys.revoke', 'keys.create']);
    for (const e of mine) {
      expect(e.who).toEqual({ kind: 'key', keyId: SAFEGUARDING_KEY_ID, role: 'safeguarding-lead', label: 'Demo safeguarding lead' });
      expect(e.details).toEqual({ role: 'safeguarding-lead', label: 'Deputy lead', partnerId: null });
    }
    expect((await auditFor(KEYS.admin)).filter((e) => e.subjectIds.includes(id))).toHaveLength(2);
    const table = JSON.stringify((await env.DB.prepare('SELECT * FROM audit_log').all()).results);
    expect(table).not.toContain(key);
  });

  it('still lets an admin make and revoke other keys, audited', async () => {
    const made = await api('/api/v1/keys', { method: 'POST', key: KEYS.admin, json: { role: 'scrutineer', label: 'Board scrutineer' } });
    expect(made.status).toBe(201);
    const { id } = await json<{ id: string }>(made);
    expect((await api(`/api/v1/keys/${id}`, { method: 'DELETE', key: KEYS.admin })).status).toBe(204);
    const mine = (await auditFor(KEYS.safeguarding)).filter((e) => e.subjectIds.includes(id));
    expect(mine.map((e) => [e.action, e.who.keyId, e.details?.role, e.details?.label])).toEqual([
      ['keys.revoke', ADMIN_KEY_ID, 'scrutineer', 'Board scrutineer'],
      ['keys.create', ADMIN_KEY_ID, 'scrutineer', 'Board scrutineer'],
    ]);
  });
});

describe('feed tokens', () => {
  const newToken = async (key: string, label: string) => {
    const res = await api('/api/v1/feed-tokens', { method: 'POST', key, json: { label } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return json<{ id: string; token: string }>(res);
  };

  it('lets a scrutineer revoke only its own tokens, and an admin any', async () => {
    const admins = await newToken(KEYS.admin, 'Admin reader');
    const policeLeads = await newToken(KEYS.policeLead, 'Police reader');
    for (const t of [admins, policeLeads]) expect((await api(`/api/v1/feed-tokens/${t.id}`, { method: 'DELETE', key: KEYS.scrutineer })).status).toBe(404);
    expect((await api(`/api/v1/feeds/insights.atom?token=${admins.token}`)).status).toBe(200);
    expect(await (await api('/api/v1/feed-tokens', { key: KEYS.scrutineer })).text()).not.toContain(admins.id);
    const own = await newToken(KEYS.scrutineer, 'Scrutiny reader');
    expect((await api(`/api/v1/feed-tokens/${own.id}`, { method: 'DELETE', key: KEYS.scrutineer })).status).toBe(204);
    expect((await api(`/api/v1/feed-tokens/${policeLeads.id}`, { method: 'DELETE', key: KEYS.admin })).status).toBe(204);
    expect((await api(`/api/v1/feeds/insights.atom?token=${policeLeads.token}`)).status).toBe(401);
  });

  it('audits each token made and revoked, without the token', async () => {
    const t = await newToken(KEYS.scrutineer, 'Audited reader');
    expect((await api(`/api/v1/feed-tokens/${t.id}`, { method: 'DELETE', key: KEYS.scrutineer })).status).toBe(204);
    const mine = (await auditFor(KEYS.safeguarding)).filter((e) => e.subjectIds.includes(t.id));
    expect(mine.map((e) => [e.action, e.who.keyId, e.details?.label])).toEqual([
      ['feed-tokens.revoke', SCRUTINEER_KEY_ID, 'Audited reader'],
      ['feed-tokens.create', SCRUTINEER_KEY_ID, 'Audited reader'],
    ]);
    expect(JSON.stringify((await env.DB.prepare('SELECT * FROM audit_log').all()).results)).not.toContain(t.token);
  });

  it('lets a feed reader keep a feed for five minutes in its own cache, never a shared one', async () => {
    const t = await newToken(KEYS.scrutineer, 'Caching reader');
    expect((await api(`/api/v1/feeds/insights.atom?token=${t.token}`)).headers.get('cache-control')).toBe('private, max-age=300');
    expect((await api('/api/v1/feeds/insights.atom', { key: KEYS.scrutineer })).headers.get('cache-control')).toBe('no-store');
  });
});

describe('Cache-Control on authenticated replies', () => {
  it('is no-store on every reply to an API key, errors included', async () => {
    for (const [path, key] of [
      ['/api/v1/partners', KEYS.admin],
      ['/api/v1/keys', KEYS.admin],
      ['/api/v1/insights', KEYS.scrutineer],
      ['/api/v1/keys', KEYS.scrutineer],
      ['/api/v1/partners/no-such-partner/services', KEYS.admin],
    ] as const) {
      expect((await api(path, { key })).headers.get('cache-control'), path).toBe('no-store');
    }
  });
});

describe('security headers', () => {
  it('sends HSTS on https only', async () => {
    expect((await SELF.fetch('https://heard.test/healthz')).headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect((await SELF.fetch('http://heard.test/healthz')).headers.get('strict-transport-security')).toBeNull();
  });
});

/** Through the app with a small budget of our own and a fresh address, so no other test meets it. */
function request(path: string, init: RequestInit & { address: string; key?: string }) {
  const headers = new Headers(init.headers);
  headers.set('cf-connecting-ip', init.address);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  return app.request(`http://heard.test${path}`, { ...init, headers }, { ...env, AUTH_BACKOFF: '3/900' }, createExecutionContext());
}
const address = () => `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;

describe('backoff after wrong keys', () => {
  it('answers 429 with Retry-After once an address has sent too many wrong Bearer keys, even for a right key', async () => {
    const from = address();
    for (let i = 0; i < 3; i++) expect((await request('/api/v1/partners', { address: from, key: `wrong-key-${i}-xxxxxxxx` })).status).toBe(401);
    const refused = await request('/api/v1/partners', { address: from, key: `wrong-key-again-xxxxxxxx` });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');
    expect((await request('/api/v1/partners', { address: from, key: KEYS.admin })).status).toBe(429);
    // Another address is not held back, and right keys do not use up its budget.
    const other = address();
    for (let i = 0; i < 6; i++) expect((await request('/api/v1/partners', { address: other, key: KEYS.admin })).status).toBe(200);
  });

  it('counts wrong feed tokens and dashboard sign-ins against the same address', async () => {
    const from = address();
    for (let i = 0; i < 3; i++) expect((await request(`/api/v1/feeds/insights.atom?token=ft_${'x'.repeat(30)}${i}`, { address: from })).status).toBe(401);
    const form = await request('/dashboard/sign-in', { address: from });
    const cookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const signIn = await request('/dashboard/sign-in', {
      address: from,
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, key: KEYS.admin }),
    });
    expect(signIn.status).toBe(429);
    expect(signIn.headers.get('retry-after')).toBe('60');
    expect(signIn.headers.getSetCookie().some((c) => c.startsWith('heard_session='))).toBe(false);
    expect(await signIn.text()).toContain('Too many keys were tried from here');
  });

  it('doubles the wait with each wrong key after the first, up to an hour, and forgets a quiet address', () => {
    const limit = { failures: 2, windowMs: 900_000 };
    const key = `backoff-${crypto.randomUUID()}`;
    expect([attempt(key, limit, 0), attempt(key, limit, 1)]).toEqual([null, null]);
    expect(attempt(key, limit, 2)).toBe(FIRST_WAIT_MS / 1000);
    let now = 2 + FIRST_WAIT_MS;
    const waits: (number | null)[] = [];
    for (let i = 0; i < 8; i++) {
      expect(attempt(key, limit, now)).toBeNull(); // one try after each wait, and it is wrong
      const wait = attempt(key, limit, now + 1);
      waits.push(wait);
      now += 1 + wait! * 1000;
    }
    expect(waits).toEqual([120, 240, 480, 960, 1920, 3600, 3600, 3600].map((s) => Math.min(s, LONGEST_WAIT_MS / 1000)));
    expect(attempt(key, limit, now + limit.windowMs)).toBeNull();
    // A right key is refunded: it never adds to the count.
    const fine = `backoff-${crypto.randomUUID()}`;
    for (let i = 0; i < 10; i++) {
      expect(attempt(fine, limit, i)).toBeNull();
      refund(fine);
    }
  });

  it('reads AUTH_BACKOFF, and a typo keeps the default rather than switching it off', () => {
    expect(parseBackoff('5/900')).toEqual({ failures: 5, windowMs: 900_000 });
    expect(parseBackoff('off')).toBeNull();
    for (const typo of [undefined, '', '5', '0/900', 'lots']) expect(parseBackoff(typo)).toEqual({ failures: 5, windowMs: 900_000 });
  });
});
