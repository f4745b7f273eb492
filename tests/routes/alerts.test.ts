import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_KEYS } from '../../src/demo/seed';
import { SIGNPOST } from '../../src/domain/analysis';
import { IDENTIFIABLE_PRIVACY } from '../../src/domain/privacy';
import type { AppEnv } from '../../src/env';
import worker from '../../src/index';
import { announceAlert } from '../../src/lib/alert-webhook';
import { sha256Hex } from '../../src/lib/crypto';
import { seal, unseal } from '../../src/lib/seal';
import { runScheduledTasks } from '../../src/scheduled';
import { api, BASE, countRows, KEYS, seedDemo, seedOtherPartnership, submit } from '../helpers';

beforeAll(seedDemo);
afterEach(() => vi.restoreAllMocks());

interface Alert {
  id: string;
  category: string;
  current: boolean;
  evidence: string | null;
  text: string | null;
  survey: { id: string };
  partner: { id: string; name: string | null } | null;
  service: { id: string; name: string | null } | null;
  day: string;
  status: string;
  dueAt: string;
  overdue: boolean;
  contactRef: string | null;
  acknowledgement: { at: string; by: { keyId: string; label: string | null }; actionTaken: string; note: string | null } | null;
}
interface AuditEntry {
  id: string;
  at: string;
  who: { keyId: string; role: string; label: string };
  action: string;
  subjectIds: string[];
}
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

const SAFEGUARDING_KEY_ID = DEMO_KEYS.find((k) => k.role === 'safeguarding-lead')!.id;

/** A disclosure the real analysis flags, made unique by a tag so a test can find its own alert. */
const disclosure = (tag: string) => `my dad hits me and I am scared to go home ${tag}`;
const newTag = () => `zq${crypto.randomUUID().slice(0, 6)}`;

/** Submits a flagged response and returns the id of the alert it raised (found by unsealing). */
async function raise(tag: string, opts: { surveyId?: string; link?: string; question?: string } = {}): Promise<string> {
  const answers = { visit: 1, [opts.question ?? 'better']: disclosure(tag) };
  const res = await submit(opts.surveyId ?? 'after-visit', { id: crypto.randomUUID(), answers, ...(opts.link ? { link: opts.link } : {}) });
  expect(res.status).toBe(201);
  const ids = await alertIdsHolding(tag);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** Ids of every alert whose sealed text holds `needle`. */
async function alertIdsHolding(needle: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT id, text_sealed FROM safeguarding_alerts').all<{ id: string; text_sealed: string }>();
  const ids = [];
  for (const row of results) if ((await unseal(env.ALERT_KEY, row.text_sealed)).includes(needle)) ids.push(row.id);
  return ids;
}

const alerts = (key: string, query = '') => api(`/api/v1/safeguarding/alerts${query}`, { key });
const alertsOf = async (key: string, query = '') => {
  const res = await alerts(key, query);
  expect(res.status).toBe(200);
  return ((await res.json()) as { alerts: Alert[] }).alerts;
};
const acknowledge = (id: string, body: unknown, key = KEYS.safeguarding) => api(`/api/v1/safeguarding/alerts/${id}/acknowledge`, { method: 'POST', key, json: body });
const auditOf = async (key = KEYS.admin, query = '') => {
  const res = await api(`/api/v1/audit${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as { entries: AuditEntry[]; next: string | null };
};

async function errorOf(res: Response, status: number): Promise<ErrorBody['error']> {
  expect(res.status).toBe(status);
  return ((await res.json()) as ErrorBody).error;
}

/** A key of another role added to a partnership by SQL, as seedOtherPartnership adds its admin. */
async function addKey(partnershipId: string, role: string, partnerId: string | null = null): Promise<string> {
  const key = `${role}-${crypto.randomUUID()}`;
  await env.DB.prepare('INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
    .bind(crypto.randomUUID(), await sha256Hex(key), partnershipId, partnerId, role, `${role} of ${partnershipId}`, new Date().toISOString())
    .run();
  return key;
}

/** An alert put straight into D1 with chosen times, for ordering and the scheduled tasks. */
async function insertAlert(partnershipId: string, a: { createdAt: string; dueAt: string; current?: boolean; status?: string; acknowledgedAt?: string; text?: string }) {
  const id = crypto.randomUUID();
  await env.DB.prepare(
    `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, partner_id, service_id, link_id, received_day, category, current,
                                      evidence_sealed, text_sealed, status, created_at, due_at, acknowledged_at, acknowledged_by, action_taken, note_sealed)
     VALUES (?1, ?2, 'after-visit', NULL, NULL, NULL, ?3, 'neglect', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)`,
  )
    .bind(
      id,
      partnershipId,
      a.createdAt.slice(0, 10),
      a.current === false ? 0 : 1,
      await seal(env.ALERT_KEY, 'evidence'),
      await seal(env.ALERT_KEY, a.text ?? 'text'),
      a.status ?? 'new',
      a.createdAt,
      a.dueAt,
      a.acknowledgedAt ?? null,
      a.acknowledgedAt ? 'someone' : null,
      a.acknowledgedAt ? 'no-further-action' : null,
      a.acknowledgedAt ? await seal(env.ALERT_KEY, 'a note') : null,
    )
    .run();
  return id;
}

const statusOf = async (id: string) => (await env.DB.prepare('SELECT status FROM safeguarding_alerts WHERE id = ?1').bind(id).first<{ status: string }>())?.status ?? null;

describe('GET /api/v1/safeguarding/alerts', () => {
  it('shows the safeguarding lead each alert unsealed: category, evidence, text, survey, partner, service, day, status, due time', async () => {
    const tag = newTag();
    const id = await raise(tag);
    const mine = (await alertsOf(KEYS.safeguarding)).find((a) => a.id === id)!;
    expect(mine).toMatchObject({
      category: 'harm-by-others',
      current: true,
      text: disclosure(tag),
      survey: { id: 'after-visit' },
      partner: { id: 'demo-la', name: expect.any(String) },
      service: null,
      day: new Date().toISOString().slice(0, 10),
      status: 'new',
      overdue: false,
      contactRef: null,
      acknowledgement: null,
    });
    expect(mine.evidence).toMatch(/hits me/);
    expect(Date.parse(mine.dueAt) - Date.now()).toBeGreaterThan(55 * 60_000);
  });

  it('answers 403 to every other role and 401 without a key', async () => {
    for (const key of [KEYS.admin, KEYS.policeLead, KEYS.healthLead, KEYS.scrutineer]) {
      expect((await errorOf(await alerts(key), 403)).code).toBe('forbidden');
      expect((await api(`/api/v1/safeguarding/alerts/${crypto.randomUUID()}`, { key })).status).toBe(403);
      expect((await acknowledge(crypto.randomUUID(), { actionTaken: 'other', note: 'x' }, key)).status).toBe(403);
    }
    expect((await alerts('')).status).toBe(401);
  });

  it('never shows one partnership’s alerts to another’s safeguarding lead', async () => {
    const other = await seedOtherPartnership();
    const otherLead = await addKey(other.partnershipId, 'safeguarding-lead');
    const demoAlert = await raise(newTag());
    const otherTag = newTag();
    const otherAlert = await raise(otherTag, { surveyId: other.surveyId, question: 'better' });

    const seenByOther = await alertsOf(otherLead, '?status=all');
    expect(seenByOther.map((a) => a.id)).toEqual([otherAlert]);
    expect(seenByOther[0]!.text).toBe(disclosure(otherTag));
    expect((await alertsOf(KEYS.safeguarding, '?status=all')).map((a) => a.id)).not.toContain(otherAlert);
    expect((await api(`/api/v1/safeguarding/alerts/${demoAlert}`, { key: otherLead })).status).toBe(404);
    expect((await acknowledge(demoAlert, { actionTaken: 'other', note: 'not mine' }, otherLead)).status).toBe(404);
    expect(await statusOf(demoAlert)).toBe('new');
  });

  it('shows a lead tied to one partner only that partner’s alerts', async () => {
    const policeSafeguarding = await addKey('demo', 'safeguarding-lead', 'demo-police');
    const la = await raise(newTag());
    expect((await alertsOf(policeSafeguarding, '?status=all')).map((a) => a.id)).not.toContain(la);
    expect((await api(`/api/v1/safeguarding/alerts/${la}`, { key: policeSafeguarding })).status).toBe(404);
  });

  it('puts current disclosures first, then the oldest due first; acknowledged ones only when asked', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const lead = await addKey(partnershipId, 'safeguarding-lead');
    const pastEarly = await insertAlert(partnershipId, { createdAt: '2026-01-01T08:00:00.000Z', dueAt: '2026-01-01T09:00:00.000Z', current: false });
    const currentLate = await insertAlert(partnershipId, { createdAt: '2026-01-02T08:00:00.000Z', dueAt: '2026-01-02T09:00:00.000Z' });
    const currentEarly = await insertAlert(partnershipId, { createdAt: '2026-01-01T07:00:00.000Z', dueAt: '2026-01-01T08:00:00.000Z', status: 'overdue' });
    const done = await insertAlert(partnershipId, { createdAt: '2026-01-01T06:00:00.000Z', dueAt: '2026-01-01T07:00:00.000Z', status: 'acknowledged', acknowledgedAt: '2026-01-01T06:30:00.000Z' });

    expect((await alertsOf(lead)).map((a) => a.id)).toEqual([currentEarly, currentLate, pastEarly]);
    expect((await alertsOf(lead, '?status=open')).every((a) => a.overdue)).toBe(true);
    expect((await alertsOf(lead, '?status=acknowledged')).map((a) => a.id)).toEqual([done]);
    expect((await alertsOf(lead, '?status=all')).map((a) => a.id)).toEqual([currentEarly, currentLate, pastEarly, done]);
  });

  it('answers 400 naming a bad status or limit', async () => {
    const error = await errorOf(await alerts(KEYS.safeguarding, '?status=closed&limit=0'), 400);
    expect(error.fields!.map((f) => f.path).sort()).toEqual(['query.limit', 'query.status']);
  });
});

describe('GET /api/v1/safeguarding/alerts/:id', () => {
  it('shows one alert, and 404 for an unknown one', async () => {
    const tag = newTag();
    const id = await raise(tag);
    const res = await api(`/api/v1/safeguarding/alerts/${id}`, { key: KEYS.safeguarding });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as Alert).text).toBe(disclosure(tag));
    expect((await api(`/api/v1/safeguarding/alerts/${crypto.randomUUID()}`, { key: KEYS.safeguarding })).status).toBe(404);
  });
});

describe('POST /api/v1/safeguarding/alerts/:id/acknowledge', () => {
  it('records what was done, seals the note, and answers 409 to a second acknowledgement', async () => {
    const id = await raise(newTag());
    const note = 'Passed to MASH duty; strategy discussion booked';
    const res = await acknowledge(id, { actionTaken: 'referred-to-front-door', note });
    expect(res.status).toBe(200);
    const acked = (await res.json()) as Alert;
    expect(acked.status).toBe('acknowledged');
    expect(acked.overdue).toBe(false);
    expect(acked.acknowledgement).toMatchObject({ actionTaken: 'referred-to-front-door', note, by: { keyId: SAFEGUARDING_KEY_ID, label: 'Demo safeguarding lead' } });

    const row = await env.DB.prepare('SELECT * FROM safeguarding_alerts WHERE id = ?1').bind(id).first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain('MASH');
    expect(await unseal(env.ALERT_KEY, row!.note_sealed!)).toBe(note);

    expect((await errorOf(await acknowledge(id, { actionTaken: 'no-further-action', note: 'again' }), 409)).code).toBe('already_acknowledged');
    expect(await unseal(env.ALERT_KEY, (await env.DB.prepare('SELECT note_sealed FROM safeguarding_alerts WHERE id = ?1').bind(id).first<{ note_sealed: string }>())!.note_sealed)).toBe(note);
    expect((await alertsOf(KEYS.safeguarding)).map((a) => a.id)).not.toContain(id);
  });

  it('answers 400 naming each invalid field, without echoing them', async () => {
    const id = await raise(newTag());
    const bad = await errorOf(await acknowledge(id, { actionTaken: 'shrugged', note: 'x'.repeat(2001), extra: 1 }), 400);
    expect(bad.fields!.map((f) => f.path).sort()).toEqual(['actionTaken', 'extra', 'note']);
    expect(JSON.stringify(bad)).not.toContain('shrugged');
    const missing = await errorOf(await acknowledge(id, {}), 400);
    expect(missing.fields!.map((f) => f.path).sort()).toEqual(['actionTaken', 'note']);
    const other = await errorOf(await acknowledge(id, { actionTaken: 'other', note: '  ' }), 400);
    expect(other.fields!.map((f) => f.path)).toEqual(['note']);
    expect(await statusOf(id)).toBe('new');
  });

  it('answers 404 for an unknown alert', async () => {
    expect((await acknowledge(crypto.randomUUID(), { actionTaken: 'no-further-action', note: '' })).status).toBe(404);
  });
});

describe('audit log', () => {
  it('writes who, what and when for every list, read and acknowledgement, and never the alert’s words', async () => {
    const tag = newTag();
    const id = await raise(tag);
    const started = new Date().toISOString();
    await alertsOf(KEYS.safeguarding);
    await api(`/api/v1/safeguarding/alerts/${id}`, { key: KEYS.safeguarding });
    await acknowledge(id, { actionTaken: 'contacted-practitioner', note: `spoke to the social worker ${tag}` });

    const { entries } = await auditOf(KEYS.admin, '?limit=200');
    const mine = entries.filter((e) => e.subjectIds.includes(id) && e.at >= started);
    expect(mine.map((e) => e.action)).toEqual(['alerts.acknowledge', 'alerts.read', 'alerts.list']);
    for (const e of mine) {
      expect(e.who).toEqual({ keyId: SAFEGUARDING_KEY_ID, role: 'safeguarding-lead', label: 'Demo safeguarding lead' });
      expect(Date.parse(e.at)).toBeGreaterThan(0);
    }
    const table = JSON.stringify((await env.DB.prepare('SELECT * FROM audit_log').all()).results);
    expect(table).not.toContain(tag);
    expect(table).not.toContain('hits me');
  });

  it('is readable only by the partnership’s admins and safeguarding leads', async () => {
    for (const key of [KEYS.scrutineer, KEYS.policeLead]) expect((await api('/api/v1/audit', { key })).status).toBe(403);
    expect((await api('/api/v1/audit', { key: KEYS.safeguarding })).status).toBe(200);
    await alertsOf(KEYS.safeguarding);
    const other = await seedOtherPartnership();
    expect((await auditOf(other.adminKey)).entries).toEqual([]);
  });

  it('pages newest first with a cursor', async () => {
    const { partnershipId, adminKey } = await seedOtherPartnership();
    const lead = await addKey(partnershipId, 'safeguarding-lead');
    for (let i = 0; i < 5; i++) await alertsOf(lead);
    const first = await auditOf(adminKey, '?limit=2');
    expect(first.entries).toHaveLength(2);
    const second = await auditOf(adminKey, `?limit=2&cursor=${first.next}`);
    const third = await auditOf(adminKey, `?limit=2&cursor=${second.next}`);
    const all = [...first.entries, ...second.entries, ...third.entries];
    expect(new Set(all.map((e) => e.id)).size).toBe(5);
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());
    expect(third.next).toBeNull();
    expect((await api('/api/v1/audit?cursor=nonsense', { key: adminKey })).status).toBe(400);
  });
});

describe('contact references', () => {
  async function linkWithRef(contactRef?: string) {
    const res = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.admin,
      json: { surveyId: 'after-visit', partnerId: 'demo-la', serviceId: 'demo-social-work', contactType: 'home-visit', singleUse: false, ...(contactRef ? { contactRef } : {}) },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; token: string; identifiable: boolean };
  }

  it('are sealed in D1, never listed, and shown only on alerts raised through the link', async () => {
    const ref = `CASE-${crypto.randomUUID().slice(0, 8)}`;
    const link = await linkWithRef(ref);
    expect(JSON.stringify(link)).not.toContain(ref);
    expect(link.identifiable).toBe(true);

    const listed = await api('/api/v1/links', { key: KEYS.admin });
    expect(await listed.text()).not.toContain(ref);
    const row = await env.DB.prepare('SELECT * FROM feedback_links WHERE id = ?1').bind(link.id).first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain(ref);
    expect(await unseal(env.ALERT_KEY, row!.contact_ref_sealed!)).toBe(ref);

    const tag = newTag();
    const alertId = await raise(tag, { link: link.token });
    const alert = (await alertsOf(KEYS.safeguarding)).find((a) => a.id === alertId)!;
    expect(alert).toMatchObject({ contactRef: ref, service: { id: 'demo-social-work' } });

    // Nowhere else: not the response, not an ordinary alert.
    const responses = JSON.stringify((await env.DB.prepare('SELECT * FROM responses WHERE link_id = ?1').bind(link.id).all()).results);
    expect(responses).not.toContain(ref);
    const plain = await raise(newTag());
    expect((await alertsOf(KEYS.safeguarding)).find((a) => a.id === plain)!.contactRef).toBeNull();
  });

  it('make the survey say who may be told, in English and Welsh, and change the signpost to match', async () => {
    const link = await linkWithRef('REF-1');
    const en = (await (await api(`/api/v1/surveys/after-visit?link=${link.token}`)).json()) as { privacy: string; identifiable?: boolean };
    expect(en).toMatchObject({ identifiable: true, privacy: 'We will only share who you are if we are worried you are not safe.' });
    const cy = (await (await api(`/api/v1/surveys/after-visit?lang=cy&link=${link.token}`)).json()) as { privacy: string };
    expect(cy.privacy).toBe(IDENTIFIABLE_PRIVACY.cy);

    const res = await submit('after-visit', { id: crypto.randomUUID(), link: link.token, answers: { visit: 1, better: disclosure(newTag()) } });
    const { signpost } = (await res.json()) as { signpost: typeof SIGNPOST };
    expect(signpost.message).not.toContain("can't see who you are");
    expect(signpost.contacts).toEqual(SIGNPOST.contacts);
  });

  it('leave the usual privacy line for links without one, and 400 for a link of another survey', async () => {
    const plain = await linkWithRef();
    expect(plain.identifiable).toBe(false);
    const body = (await (await api(`/api/v1/surveys/after-visit?link=${plain.token}`)).json()) as { privacy: string; identifiable?: boolean };
    expect(body.identifiable).toBeUndefined();
    expect(body.privacy).toBe("We won't know it's you. We can't reply to you here.");
    const wrong = await errorOf(await api(`/api/v1/surveys/family-rating?link=${plain.token}`), 400);
    expect(wrong.fields!.map((f) => f.path)).toEqual(['link']);
  });

  it('make a chat through the link say the same, and its support message honest', async () => {
    const link = await linkWithRef('REF-2');
    const res = await api('/api/v1/surveys/after-visit/conversations', { method: 'POST', json: { link: link.token } });
    const chat = (await res.json()) as { conversationId: string; resumeToken: string; step: { messages: { text: string; kind: string }[] } };
    expect(chat.step.messages.find((m) => m.kind === 'privacy')!.text).toBe(IDENTIFIABLE_PRIVACY.en);
    const reply = await api(`/api/v1/conversations/${chat.conversationId}/replies`, {
      method: 'POST',
      json: { resumeToken: chat.resumeToken, answer: { type: 'text', text: disclosure(newTag()) } },
    });
    const { step } = (await reply.json()) as { step: { messages: { text: string; kind: string }[] } };
    const support = step.messages.find((m) => m.kind === 'support')!.text;
    expect(support).not.toContain("can't see who you are");
    expect(support).toContain('999');
  });

  it('answers 400 for a contact reference over 100 characters', async () => {
    const res = await api('/api/v1/links', { method: 'POST', key: KEYS.admin, json: { surveyId: 'after-visit', partnerId: 'demo-la', contactType: 'home-visit', contactRef: 'x'.repeat(101) } });
    expect((await errorOf(res, 400)).fields!.map((f) => f.path)).toEqual(['contactRef']);
  });
});

describe('scheduled alert tasks', () => {
  // Long past, so alerts other tests raise today are never touched by this clock.
  const NOW = new Date('2020-01-31T12:00:00.000Z');

  it('marks alerts unacknowledged an hour after creation as overdue, and no others', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const late = await insertAlert(partnershipId, { createdAt: '2020-01-31T10:59:00.000Z', dueAt: '2020-01-31T11:59:00.000Z' });
    const onTheHour = await insertAlert(partnershipId, { createdAt: '2020-01-31T11:00:00.000Z', dueAt: '2020-01-31T12:00:00.000Z' });
    const young = await insertAlert(partnershipId, { createdAt: '2020-01-31T11:30:00.000Z', dueAt: '2020-01-31T12:30:00.000Z' });
    const done = await insertAlert(partnershipId, { createdAt: '2020-01-31T09:00:00.000Z', dueAt: '2020-01-31T10:00:00.000Z', status: 'acknowledged', acknowledgedAt: '2020-01-31T09:10:00.000Z' });

    await runScheduledTasks(env.DB, NOW);
    expect(await statusOf(late)).toBe('overdue');
    expect(await statusOf(onTheHour)).toBe('overdue');
    expect(await statusOf(young)).toBe('new');
    expect(await statusOf(done)).toBe('acknowledged');
  });

  it('deletes the whole alert 30 days after acknowledgement, and keeps younger and open ones', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const old = await insertAlert(partnershipId, { createdAt: '2019-12-01T09:00:00.000Z', dueAt: '2019-12-01T10:00:00.000Z', status: 'acknowledged', acknowledgedAt: '2020-01-01T11:59:00.000Z' });
    const recent = await insertAlert(partnershipId, { createdAt: '2019-12-01T09:00:00.000Z', dueAt: '2019-12-01T10:00:00.000Z', status: 'acknowledged', acknowledgedAt: '2020-01-01T12:01:00.000Z' });
    const open = await insertAlert(partnershipId, { createdAt: '2019-11-01T09:00:00.000Z', dueAt: '2019-11-01T10:00:00.000Z', status: 'overdue' });

    await runScheduledTasks(env.DB, NOW);
    expect(await countRows('SELECT COUNT(*) AS n FROM safeguarding_alerts WHERE id = ?1', old)).toBe(0);
    expect(await statusOf(recent)).toBe('acknowledged');
    expect(await statusOf(open)).toBe('overdue');
  });

  it('runs from the cron handler', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const late = await insertAlert(partnershipId, { createdAt: '2020-01-31T10:00:00.000Z', dueAt: '2020-01-31T11:00:00.000Z' });
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: NOW, cron: '*/10 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await statusOf(late)).toBe('overdue');
  });

  it('shows an alert past its due time as overdue before the scheduled run marks it', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const lead = await addKey(partnershipId, 'safeguarding-lead');
    const id = await insertAlert(partnershipId, { createdAt: new Date(Date.now() - 2 * 3_600_000).toISOString(), dueAt: new Date(Date.now() - 3_600_000).toISOString() });
    expect((await alertsOf(lead)).find((a) => a.id === id)).toMatchObject({ status: 'new', overdue: true });
  });
});

describe('alert webhook', () => {
  async function otherWithWebhook(url: string) {
    const other = await seedOtherPartnership();
    const res = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: url } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { alertWebhookUrl: string }).alertWebhookUrl).toBe(url);
    return other;
  }

  it('is set by admins only, https only, shown to admins only, and its change audited', async () => {
    const bad = await errorOf(await api('/api/v1/partnership', { method: 'PATCH', key: KEYS.admin, json: { alertWebhookUrl: 'http://front-door.example/hook' } }), 400);
    expect(bad.fields!.map((f) => f.path)).toEqual(['alertWebhookUrl']);
    expect((await api('/api/v1/partnership', { method: 'PATCH', key: KEYS.safeguarding, json: { alertWebhookUrl: 'https://x.example/' } })).status).toBe(403);

    const other = await otherWithWebhook('https://front-door.example/hook?secret=s3');
    const lead = await addKey(other.partnershipId, 'safeguarding-lead');
    expect(await (await api('/api/v1/partnership', { key: lead })).json()).not.toHaveProperty('alertWebhookUrl');
    expect((await auditOf(other.adminKey)).entries.map((e) => e.action)).toEqual(['partnership.alert-webhook']);
    const cleared = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: null } });
    expect(((await cleared.json()) as { alertWebhookUrl: string | null }).alertWebhookUrl).toBeNull();
  });

  it('is posted when a response raises an alert: ids and category only, never the words', async () => {
    const url = 'https://front-door.example/heard';
    const other = await otherWithWebhook(url);
    const calls: { url: string; init: RequestInit }[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      if (target !== url) return realFetch(input, init);
      calls.push({ url: target, init: init ?? {} });
      return new Response(null, { status: 204 });
    });
    const tag = newTag();
    const alertId = await raise(tag, { surveyId: other.surveyId });
    await vi.waitFor(() => expect(calls).toHaveLength(1), { timeout: 2000 });

    const body = JSON.parse(String(calls[0]!.init.body));
    expect(body).toEqual({ type: 'heard.alert.created', partnership: other.partnershipId, alertId, category: 'harm-by-others', current: true });
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
    expect(JSON.stringify(calls[0])).not.toContain(tag);
  });

  it('never throws, and is not called without a URL', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const other = await otherWithWebhook('https://down.example/');
    const failing = vi.fn(async () => {
      throw new TypeError('network down');
    });
    await expect(announceAlert(env.DB, { id: crypto.randomUUID(), partnershipId: other.partnershipId, category: 'neglect', current: true }, failing)).resolves.toBeUndefined();
    expect(failing).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalled();

    const unused = vi.fn(async () => new Response(null));
    await announceAlert(env.DB, { id: crypto.randomUUID(), partnershipId: 'demo', category: 'neglect', current: true }, unused);
    expect(unused).not.toHaveBeenCalled();
  });
});

describe('chat disclosures', () => {
  const start = async (body: unknown = {}) => {
    const res = await api('/api/v1/surveys/after-visit/conversations', { method: 'POST', json: body });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversationId: string; resumeToken: string };
  };
  const say = async (chat: { conversationId: string; resumeToken: string }, answer: unknown) => {
    const res = await api(`/api/v1/conversations/${chat.conversationId}/replies`, { method: 'POST', json: { resumeToken: chat.resumeToken, answer } });
    expect(res.status).toBe(200);
    return (await res.json()) as { step: { type: string; questionId?: string; messages: { kind: string }[] }; signpost?: unknown };
  };

  it('raises exactly one alert with the words as typed when a disclosure is typed at a quick-reply question', async () => {
    const tag = newTag();
    const typed = `no, ${disclosure(tag)}`;
    const chat = await start();
    await say(chat, { type: 'answer', value: 4 });
    const atYesNo = await say(chat, { type: 'text', text: typed });
    expect(atYesNo.signpost).toEqual(SIGNPOST);
    expect(atYesNo.step.messages[0]!.kind).toBe('support');

    // Raised now, not at the end: the chat may never finish.
    const raised = await alertIdsHolding(tag);
    expect(raised).toHaveLength(1);
    const alert = (await (await api(`/api/v1/safeguarding/alerts/${raised[0]}`, { key: KEYS.safeguarding })).json()) as Alert;
    expect(alert).toMatchObject({ text: typed, category: 'harm-by-others', current: true, survey: { id: 'after-visit' }, partner: { id: 'demo-la' } });

    // Finish the chat (answering again where needed): still one alert.
    let step = atYesNo.step;
    while (step.type !== 'end') step = (await say(chat, { type: 'skip' })).step;
    expect(await alertIdsHolding(tag)).toEqual(raised);
    const stored = JSON.stringify(await env.DB.prepare('SELECT * FROM responses WHERE id = ?1').bind(chat.conversationId).first());
    expect(stored).not.toContain('hits me');
  });

  it('keeps the original (unredacted) text of a free-text disclosure, and the response raises no second alert', async () => {
    const tag = newTag();
    const typed = `my dad Jordan Smith hits me and I am scared to go home, call 07700 900123 ${tag}`;
    const chat = await start();
    await say(chat, { type: 'answer', value: 4 });
    await say(chat, { type: 'answer', value: 'yes' });
    const end = await say(chat, { type: 'text', text: typed });
    expect(end.step.type).toBe('end');
    expect(end.signpost).toEqual(SIGNPOST);

    const raised = await alertIdsHolding(tag);
    expect(raised).toHaveLength(1);
    expect(await alertIdsHolding('Jordan Smith')).toContain(raised[0]);
    expect(await countRows('SELECT flagged AS n FROM responses WHERE id = ?1', chat.conversationId)).toBe(1);
    expect(await countRows('SELECT COUNT(*) AS n FROM conversations WHERE id = ?1 AND alert_id = ?2', chat.conversationId, raised[0])).toBe(1);
  });

  it('adds a second disclosure in the same chat to the same waiting alert', async () => {
    const [first, second] = [newTag(), newTag()];
    const chat = await start();
    await say(chat, { type: 'text', text: disclosure(first) });
    await say(chat, { type: 'text', text: disclosure(second) });
    const raised = await alertIdsHolding(first);
    expect(raised).toHaveLength(1);
    expect(await alertIdsHolding(second)).toEqual(raised);
  });

  it('tells the webhook about an alert raised mid-chat', async () => {
    const { conversationRoutes } = await import('../../src/routes/conversations');
    const { Hono } = await import('hono');
    const other = await seedOtherPartnership();
    await env.DB.prepare("UPDATE partnerships SET alert_webhook_url = 'https://front-door.example/other' WHERE id = ?1").bind(other.partnershipId).run();
    const fetcher = vi.fn(async (_url: string, _init: RequestInit) => new Response(null, { status: 204 }));
    const routes = new Hono<AppEnv>().route('/api/v1/conversations', conversationRoutes({ fetcher: fetcher as unknown as typeof fetch }));
    const res = await api(`/api/v1/surveys/${other.surveyId}/conversations`, { method: 'POST', json: {} });
    const chat = (await res.json()) as { conversationId: string; resumeToken: string };
    const ctx = createExecutionContext();
    const replied = await routes.fetch(
      new Request(`${BASE}/api/v1/conversations/${chat.conversationId}/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resumeToken: chat.resumeToken, answer: { type: 'text', text: disclosure(newTag()) } }),
      }),
      env,
      ctx,
    );
    expect(replied.status).toBe(200);
    await waitOnExecutionContext(ctx);
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(fetcher.mock.calls[0]![0]).toBe('https://front-door.example/other');
    expect(JSON.parse(String(fetcher.mock.calls[0]![1].body))).toMatchObject({ type: 'heard.alert.created', partnership: other.partnershipId, category: 'harm-by-others' });
  });
});
