import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';
import { KEYS, seedDemo } from '../helpers';

let P: Awaited<ReturnType<typeof seedInsightPartnership>>;

beforeAll(async () => {
  await seedDemo();
  P = await seedInsightPartnership();
  await addResponses(
    P.id,
    [{ partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family, day: '2026-02-03', rating: 4, themes: { school: 'positive' } }],
    30,
  );
  await addResponses(
    P.id,
    [
      {
        partner: P.partners.health,
        service: P.services.camhs,
        survey: P.surveys.family,
        day: '2026-02-04',
        rating: 2,
        themes: { 'mental-health': 'negative' },
      },
    ],
    4,
  );
});

const BASE = 'http://heard.test';
const cookieValue = (res: Response, name: string) => {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return header ? { value: header.split(';')[0]!.slice(name.length + 1), header } : undefined;
};

/** Signs in through the real form and returns the session cookie and the page's CSRF token. */
async function signIn(key: string) {
  const form = await SELF.fetch(`${BASE}/dashboard/sign-in`);
  const signInCookie = cookieValue(form, 'heard_signin')!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await SELF.fetch(`${BASE}/dashboard/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `heard_signin=${signInCookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, key }),
  });
  return { res, session: cookieValue(res, 'heard_session') };
}

async function page(path: string, session: string) {
  const res = await SELF.fetch(`${BASE}${path}`, { headers: { cookie: `heard_session=${session}` }, redirect: 'manual' });
  return { res, html: await res.text() };
}

describe('dashboard sign-in', () => {
  it('exchanges a key for an HttpOnly, Secure, SameSite=Strict session cookie', async () => {
    const { res, session } = await signIn(P.keys.admin);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    expect(session!.header).toMatch(/HttpOnly/);
    expect(session!.header).toMatch(/Secure/);
    expect(session!.header).toMatch(/SameSite=Strict/);
    expect(session!.header).toMatch(/Max-Age=28800/);
    expect(session!.value).not.toContain(P.keys.admin);
    const stored = await env.DB.prepare('SELECT * FROM dashboard_sessions').all();
    expect(JSON.stringify(stored.results)).not.toContain(session!.value);
  });

  it('refuses an unknown key with the form again', async () => {
    const { res, session } = await signIn('not-a-key-at-all');
    expect(res.status).toBe(401);
    expect(session).toBeUndefined();
    expect(await res.text()).toContain('not recognised');
  });

  it('refuses a sign-in post without the form’s CSRF token', async () => {
    const res = await SELF.fetch(`${BASE}/dashboard/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: P.keys.admin }),
    });
    expect(res.status).toBe(403);
    expect(cookieValue(res, 'heard_session')).toBeUndefined();
  });

  it('sends a visitor without a session to the sign-in page', async () => {
    const res = await SELF.fetch(`${BASE}/dashboard`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/sign-in');
  });
});

describe('dashboard pages', () => {
  it('shows an admin the themes, the chart with its table, partners and surveys, suppressed', async () => {
    const { session } = await signIn(P.keys.admin);
    const { res, html } = await page('/dashboard?from=2026-01-01&to=2026-03-31', session!.value);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(html).toContain('<svg class="chart"');
    expect(html).toContain('Responses per month (the chart’s numbers)');
    expect(html).toContain('Partners compared');
    expect(html).toContain('School and education');
    // Health's 4 responses are hidden, and so is police's February (its complement in the partnership total).
    expect(html).not.toMatch(/<td class="num">4<\/td>/);
    expect(html).toContain('title="Suppressed: a small number hidden to protect privacy"');
  });

  it('scopes a practice lead to their own partner', async () => {
    const { session } = await signIn(P.keys.health);
    const { html } = await page('/dashboard?from=2026-01-01&to=2026-03-31', session!.value);
    expect(html).not.toContain('Partners compared');
    expect(html).not.toContain(P.partners.police);
    const { res } = await page(`/dashboard?partner=${P.partners.police}`, session!.value);
    expect(res.status).toBe(403);
  });

  it('explains bad filters instead of failing', async () => {
    const { session } = await signIn(P.keys.admin);
    const { res, html } = await page('/dashboard?from=2026-02-31&interval=year', session!.value);
    expect(res.status).toBe(400);
    expect(html).toContain('Some filters were not right');
  });

  it('sends a safeguarding lead to the alerts', async () => {
    const { session } = await signIn(P.keys.safeguarding);
    const { res } = await page('/dashboard', session!.value);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/alerts');
  });

  it('exports the view as CSV for a signed-in user', async () => {
    const { session } = await signIn(P.keys.scrutineer);
    const { res, html } = await page('/dashboard/export.csv?from=2026-02-01&to=2026-02-28', session!.value);
    expect(res.status).toBe(200);
    expect(html.split('\r\n')[0]).toContain('period_start,period_end');
    expect(html).toContain(',c,');
  });
});

describe('dashboard sessions', () => {
  it('signs out only with the CSRF token, and then the session is gone', async () => {
    const { session } = await signIn(P.keys.admin);
    const { html } = await page('/dashboard', session!.value);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const without = await SELF.fetch(`${BASE}/dashboard/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `heard_session=${session!.value}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: 'forged' }),
    });
    expect(without.status).toBe(403);
    expect((await page('/dashboard', session!.value)).res.status).toBe(200);
    const out = await SELF.fetch(`${BASE}/dashboard/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `heard_session=${session!.value}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(out.status).toBe(303);
    expect(cookieValue(out, 'heard_session')!.header).toMatch(/Max-Age=0/);
    expect((await page('/dashboard', session!.value)).res.status).toBe(303);
  });

  it('expires sessions, and ends them when the key is revoked', async () => {
    const { session } = await signIn(KEYS.scrutineer);
    await env.DB.prepare("UPDATE dashboard_sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE key_id = '00000000-0000-4000-8000-00000000000e'").run();
    expect((await page('/dashboard', session!.value)).res.status).toBe(303);

    const created = await SELF.fetch(`${BASE}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'scrutineer', label: 'temporary' }),
    });
    const { id, key } = (await created.json()) as { id: string; key: string };
    const second = await signIn(key);
    expect((await page('/dashboard', second.session!.value)).res.status).toBe(200);
    await SELF.fetch(`${BASE}/api/v1/keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${KEYS.admin}` } });
    expect((await page('/dashboard', second.session!.value)).res.status).toBe(303);
  });
});
