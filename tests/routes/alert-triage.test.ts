import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/crypto';
import { seal } from '../../src/lib/seal';
import { api, BASE, KEYS, seedDemo, seedOtherPartnership, submit } from '../helpers';

/** Issue 13, item 2: no default outcome, the queue's order, and each card's times, countdown and evidence. */

beforeAll(seedDemo);

const newTag = () => `zq${crypto.randomUUID().slice(0, 6)}`;
const disclosure = (tag: string) => `It was ok. My dad hits me when mum is out ${tag}`;

async function addLead(partnershipId: string): Promise<string> {
  const key = `lead-${crypto.randomUUID()}`;
  await env.DB.prepare(
    "INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?1, ?2, ?3, NULL, 'safeguarding-lead', 'Lead', ?4)",
  )
    .bind(crypto.randomUUID(), await sha256Hex(key), partnershipId, new Date().toISOString())
    .run();
  return key;
}

async function insertAlert(partnershipId: string, a: { category: string; current?: boolean; createdAt: string; dueAt: string; status?: string }) {
  const id = crypto.randomUUID();
  await env.DB.prepare(
    `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, received_day, category, current, evidence_sealed, text_sealed, status, created_at, due_at)
     VALUES (?1, ?2, 'after-visit', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
  )
    .bind(
      id,
      partnershipId,
      a.createdAt.slice(0, 10),
      a.category,
      a.current === false ? 0 : 1,
      await seal(env.ALERT_KEY, 'evidence'),
      await seal(env.ALERT_KEY, 'text'),
      a.status ?? 'new',
      a.createdAt,
      a.dueAt,
    )
    .run();
  return id;
}

const cookie = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))!
    .split(';')[0]!;

/** A dashboard session for `key`: fetches a page, or posts a form with the page's CSRF token. */
async function session(key: string) {
  const form = await SELF.fetch(`${BASE}/dashboard/sign-in`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await SELF.fetch(`${BASE}/dashboard/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(form, 'heard_signin'), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, key }),
  });
  const sessionCookie = cookie(res, 'heard_session');
  const get = async (path: string) => {
    const r = await SELF.fetch(`${BASE}${path}`, { headers: { cookie: sessionCookie }, redirect: 'manual' });
    return { status: r.status, html: await r.text() };
  };
  const post = async (path: string, fields: Record<string, string>) => {
    const page = await get('/dashboard/alerts');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!;
    const r = await SELF.fetch(`${BASE}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: sessionCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, ...fields }),
    });
    return { status: r.status, html: await r.text() };
  };
  return { get, post };
}

const acknowledge = (id: string, body: unknown, key = KEYS.safeguarding) =>
  api(`/api/v1/safeguarding/alerts/${id}/acknowledge`, { method: 'POST', key, json: body });

const statusOf = async (id: string) =>
  (await env.DB.prepare('SELECT status, action_taken FROM safeguarding_alerts WHERE id = ?1')
    .bind(id)
    .first<{ status: string; action_taken: string | null }>())!;

describe('acknowledging needs an outcome, with no default', () => {
  it('accepts "false-alarm" and "already-known", with no note needed', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const lead = await addLead(partnershipId);
    const now = new Date();
    const due = new Date(now.getTime() + 3_600_000).toISOString();
    const falseAlarm = await insertAlert(partnershipId, { category: 'self-harm-suicide', createdAt: now.toISOString(), dueAt: due });
    const known = await insertAlert(partnershipId, { category: 'neglect', createdAt: now.toISOString(), dueAt: due });
    expect((await acknowledge(falseAlarm, { actionTaken: 'false-alarm' }, lead)).status).toBe(200);
    expect((await acknowledge(known, { actionTaken: 'already-known', note: 'Open child in need plan' }, lead)).status).toBe(200);
    expect(await statusOf(falseAlarm)).toEqual({ status: 'acknowledged', action_taken: 'false-alarm' });
    expect(await statusOf(known)).toEqual({ status: 'acknowledged', action_taken: 'already-known' });
  });

  it('answers 400 naming actionTaken when there is none, or it is empty', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const lead = await addLead(partnershipId);
    const id = await insertAlert(partnershipId, {
      category: 'neglect',
      createdAt: new Date().toISOString(),
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    for (const body of [{ note: 'Looked at it' }, { actionTaken: '', note: '' }, { actionTaken: null }]) {
      const res = await acknowledge(id, body, lead);
      expect(res.status).toBe(400);
      const error = ((await res.json()) as { error: { fields: { path: string; message: string }[] } }).error;
      expect(error.fields.map((f) => f.path)).toEqual(['actionTaken']);
    }
    expect((await statusOf(id)).status).toBe('new');
  });

  it('starts the dashboard form on "Choose what was done", never on an outcome, and refuses it unchosen', async () => {
    const tag = newTag();
    const res = await submit('after-visit', { id: crypto.randomUUID(), answers: { visit: 1, better: disclosure(tag) } });
    expect(res.status).toBe(201);
    const dashboard = await session(KEYS.safeguarding);
    const { html } = await dashboard.get('/dashboard/alerts');
    const select = /<select id="alert-[^"]+-action" name="actionTaken"[^>]*>(.*?)<\/select>/s.exec(html)![1]!;
    const options = [...select.matchAll(/<option value="([^"]*)"([^>]*)>/g)];
    expect(options[0]![1]).toBe('');
    expect(options.map((o) => o[1])).toContain('false-alarm');
    expect(options.map((o) => o[1])).toContain('already-known');
    expect(select).not.toContain('selected');
    expect(select).toContain('Not a safeguarding concern (false alarm)');

    const id = /action="\/dashboard\/alerts\/([0-9a-f-]{36})\/acknowledge"/.exec(html)![1]!;
    const refused = await dashboard.post(`/dashboard/alerts/${id}/acknowledge`, { actionTaken: '', note: '' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('What was done: choose what was done from the list.');
    expect((await statusOf(id)).status).not.toBe('acknowledged');
  });
});

describe('the queue order', () => {
  it('is current before past, then immediate danger first, then the soonest due, in the API and on the dashboard alike', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const lead = await addLead(partnershipId);
    const t = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const ids = {
      pastDanger: await insertAlert(partnershipId, { category: 'immediate-danger', current: false, createdAt: t(-100), dueAt: t(-40) }),
      neglectOverdue: await insertAlert(partnershipId, { category: 'neglect', createdAt: t(-120), dueAt: t(-60), status: 'overdue' }),
      selfHarm: await insertAlert(partnershipId, { category: 'self-harm-suicide', createdAt: t(-30), dueAt: t(30) }),
      dangerLate: await insertAlert(partnershipId, { category: 'immediate-danger', createdAt: t(-5), dueAt: t(55) }),
      dangerSoon: await insertAlert(partnershipId, { category: 'immediate-danger', createdAt: t(-50), dueAt: t(10) }),
      harm: await insertAlert(partnershipId, { category: 'harm-by-others', createdAt: t(-10), dueAt: t(50) }),
    };
    const expected = [ids.dangerSoon, ids.dangerLate, ids.selfHarm, ids.harm, ids.neglectOverdue, ids.pastDanger];
    const res = await api('/api/v1/safeguarding/alerts', { key: lead });
    expect(((await res.json()) as { alerts: { id: string }[] }).alerts.map((a) => a.id)).toEqual(expected);
    const { html } = await (await session(lead)).get('/dashboard/alerts');
    expect([...html.matchAll(/<h3 id="alert-([0-9a-f-]{36})"/g)].map((m) => m[1])).toEqual(expected);
  });
});

describe('each card', () => {
  it('shows the exact received and due times in UK time, and a countdown', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const lead = await addLead(partnershipId);
    const now = Date.now();
    const fresh = await insertAlert(partnershipId, {
      category: 'neglect',
      createdAt: new Date(now - 37 * 60_000).toISOString(),
      dueAt: new Date(now + 23 * 60_000 + 30_000).toISOString(),
    });
    const late = await insertAlert(partnershipId, {
      category: 'neglect',
      createdAt: new Date(now - 3 * 3_600_000).toISOString(),
      dueAt: new Date(now - 2 * 3_600_000 - 60_000).toISOString(),
    });
    const summer = await insertAlert(partnershipId, {
      category: 'neglect',
      createdAt: '2026-07-01T09:05:00.000Z',
      dueAt: '2026-07-01T10:05:00.000Z',
      status: 'overdue',
    });
    const winter = await insertAlert(partnershipId, {
      category: 'neglect',
      createdAt: '2026-01-15T09:05:00.000Z',
      dueAt: '2026-01-15T10:05:00.000Z',
      status: 'overdue',
    });
    const { html } = await (await session(lead)).get('/dashboard/alerts');
    const card = (id: string) => {
      const start = html.indexOf(`<h3 id="alert-${id}"`);
      return html.slice(start, html.indexOf('</section>', start));
    };
    expect(card(fresh)).toContain('(due in 23 min)');
    expect(card(late)).toContain('(overdue by 2 h)');
    expect(card(summer)).toContain('<time datetime="2026-07-01T09:05:00.000Z">Wed 1 Jul 2026, 10:05 BST</time>');
    expect(card(summer)).toContain('<time datetime="2026-07-01T10:05:00.000Z">Wed 1 Jul 2026, 11:05 BST</time>');
    expect(card(winter)).toContain('Thu 15 Jan 2026, 09:05 GMT');
  });

  it('prints the evidence once, marked in the words', async () => {
    const tag = newTag();
    const res = await submit('after-visit', { id: crypto.randomUUID(), answers: { visit: 1, better: disclosure(tag) } });
    expect(res.status).toBe(201);
    const { html } = await (await session(KEYS.safeguarding)).get('/dashboard/alerts');
    const start = html.lastIndexOf('<h3', html.indexOf(tag));
    const card = html.slice(start, html.indexOf('</section>', start));
    expect(card.match(/hits me/g)).toHaveLength(1);
    expect(card).toMatch(/<mark>[^<]*hits me[^<]*<\/mark>/);
  });
});

describe('nothing outside the seal', () => {
  it('keeps the words out of the audit log, the email outbox and every unsealed column, through reading and acknowledging', async () => {
    const tag = newTag();
    await submit('after-visit', { id: crypto.randomUUID(), answers: { visit: 1, better: disclosure(tag) } });
    const dashboard = await session(KEYS.safeguarding);
    const { html } = await dashboard.get('/dashboard/alerts');
    const start = html.lastIndexOf('<h3', html.indexOf(tag));
    const id = /id="alert-([0-9a-f-]{36})"/.exec(html.slice(start))![1]!;
    expect((await dashboard.post(`/dashboard/alerts/${id}/acknowledge`, { actionTaken: 'false-alarm', note: '' })).status).toBe(303);
    for (const table of ['audit_log', 'email_deliveries', 'webhook_deliveries', 'safeguarding_alerts']) {
      const { results } = await env.DB.prepare(`SELECT * FROM ${table}`).all();
      expect(JSON.stringify(results), table).not.toContain(tag);
      expect(JSON.stringify(results), table).not.toContain('hits me');
    }
  });
});
