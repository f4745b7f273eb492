import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_KEYS } from '../../src/demo/seed';
import { SIGNPOST } from '../../src/domain/analysis';
import { IDENTIFIABLE_PRIVACY } from '../../src/domain/privacy';
import type { AppEnv } from '../../src/env';
import worker from '../../src/index';
import { announceAlert } from '../../src/services/alert-webhook';
import { sha256Hex } from '../../src/lib/crypto';
import { seal, unseal, unsealJoined } from '../../src/lib/seal';
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
  receivedCount: number;
  burst: boolean;
  webhook: { status: string; attempts: number; lastError: string | null } | null;
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
  for (const row of results) if ((await unsealJoined(env.ALERT_KEY, row.text_sealed, '\n\n')).includes(needle)) ids.push(row.id);
  return ids;
}

const alerts = (key: string, query = '') => api(`/api/v1/safeguarding/alerts${query}`, { key });
const alertsOf = async (key: string, query = '') => {
  const res = await alerts(key, query);
  expect(res.status).toBe(200);
  return ((await res.json()) as { alerts: Alert[] }).alerts;
};
const acknowledge = (id: string, body: unknown, key = KEYS.safeguarding) =>
  api(`/api/v1/safeguarding/alerts/${id}/acknowledge`, { method: 'POST', key, json: body });
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
async function insertAlert(
  partnershipId: string,
  a: { createdAt: string; dueAt: string; current?: boolean; status?: string; acknowledgedAt?: string; text?: string },
) {
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

const statusOf = async (id: string) =>
  (await env.DB.prepare('SELECT status FROM safeguarding_alerts WHERE id = ?1').bind(id).first<{ status: string }>())?.status ?? null;

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
    const done = await insertAlert(partnershipId, {
      createdAt: '2026-01-01T06:00:00.000Z',
      dueAt: '2026-01-01T07:00:00.000Z',
      status: 'acknowledged',
      acknowledgedAt: '2026-01-01T06:30:00.000Z',
    });

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
    expect(acked.acknowledgement).toMatchObject({
      actionTaken: 'referred-to-front-door',
      note,
      by: { keyId: SAFEGUARDING_KEY_ID, label: 'Demo safeguarding lead' },
    });

    const row = await env.DB.prepare('SELECT * FROM safeguarding_alerts WHERE id = ?1').bind(id).first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain('MASH');
    expect(await unseal(env.ALERT_KEY, row!.note_sealed!)).toBe(note);

    expect((await errorOf(await acknowledge(id, { actionTaken: 'no-further-action', note: 'again' }), 409)).code).toBe('already_acknowledged');
    expect(
      await unseal(
        env.ALERT_KEY,
        (await env.DB.prepare('SELECT note_sealed FROM safeguarding_alerts WHERE id = ?1').bind(id).first<{ note_sealed: string }>())!.note_sealed,
      ),
    ).toBe(note);
    expect((await alertsOf(KEYS.safeguarding)).map((a) => a.id)).not.toContain(id);
  });

  it('answers 400 naming each invalid field, without echoing them', async () => {
    const id = await raise(newTag());
    const bad = await errorOf(await acknowledge(id, { actionTaken: 'shrugged', note: 'x'.repeat(2001), extra: 1 }), 400);
    expect(bad.fields!.map((f) => f.path).sort()).toEqual(['actionTaken', 'extra', 'note']);
    expect(JSON.stringify(bad)).not.toContain('shrugged');
    // An outcome is required (issue 13: never a default); the note only with "other".
    const missing = await errorOf(await acknowledge(id, {}), 400);
    expect(missing.fields!.map((f) => f.path)).toEqual(['actionTaken']);
    expect(missing.fields![0]!.message).toBe('is required');
    const empty = await errorOf(await acknowledge(id, { actionTaken: '' }), 400);
    expect(empty.fields![0]!.message).toMatch(/must say what was done: one of .*false-alarm/);
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
      expect(e.who).toEqual({ kind: 'key', keyId: SAFEGUARDING_KEY_ID, role: 'safeguarding-lead', label: 'Demo safeguarding lead' });
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
      json: {
        surveyId: 'after-visit',
        partnerId: 'demo-la',
        serviceId: 'demo-social-work',
        contactType: 'home-visit',
        singleUse: false,
        ...(contactRef ? { contactRef } : {}),
      },
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
    const res = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.admin,
      json: { surveyId: 'after-visit', partnerId: 'demo-la', contactType: 'home-visit', contactRef: 'x'.repeat(101) },
    });
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
    const done = await insertAlert(partnershipId, {
      createdAt: '2020-01-31T09:00:00.000Z',
      dueAt: '2020-01-31T10:00:00.000Z',
      status: 'acknowledged',
      acknowledgedAt: '2020-01-31T09:10:00.000Z',
    });

    await runScheduledTasks(env.DB, NOW);
    expect(await statusOf(late)).toBe('overdue');
    expect(await statusOf(onTheHour)).toBe('overdue');
    expect(await statusOf(young)).toBe('new');
    expect(await statusOf(done)).toBe('acknowledged');
  });

  it('deletes the whole alert 30 days after acknowledgement, and keeps younger and open ones', async () => {
    const { partnershipId } = await seedOtherPartnership();
    const old = await insertAlert(partnershipId, {
      createdAt: '2019-12-01T09:00:00.000Z',
      dueAt: '2019-12-01T10:00:00.000Z',
      status: 'acknowledged',
      acknowledgedAt: '2020-01-01T11:59:00.000Z',
    });
    const recent = await insertAlert(partnershipId, {
      createdAt: '2019-12-01T09:00:00.000Z',
      dueAt: '2019-12-01T10:00:00.000Z',
      status: 'acknowledged',
      acknowledgedAt: '2020-01-01T12:01:00.000Z',
    });
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
    const id = await insertAlert(partnershipId, {
      createdAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      dueAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect((await alertsOf(lead)).find((a) => a.id === id)).toMatchObject({ status: 'new', overdue: true });
  });
});

describe('alert webhook', () => {
  interface Configured {
    partnershipId: string;
    adminKey: string;
    surveyId: string;
    secret: string;
  }
  async function otherWithWebhook(url: string): Promise<Configured> {
    const other = await seedOtherPartnership();
    const res = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: url } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { alertWebhookUrl: string; alertWebhookSecret: string };
    expect(body.alertWebhookUrl).toBe(url);
    return { ...other, secret: body.alertWebhookSecret };
  }

  /** A test receiver: records each post to `url` and answers with the next status given (the last repeats). */
  function receiver(url: string, statuses: number[] = [204]) {
    const calls: { body: string; headers: Record<string, string> }[] = [];
    const fetcher = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      expect(String(input)).toBe(url);
      calls.push({ body: String(init?.body), headers: Object.fromEntries(new Headers(init?.headers).entries()) });
      return new Response(null, { status: statuses[Math.min(calls.length, statuses.length) - 1]! });
    });
    return { calls, fetcher: fetcher as unknown as typeof fetch };
  }

  /** Sends every fetch to `url` to the receiver, and the rest on, for code that uses the global fetch. */
  function intercept(url: string, statuses?: number[]) {
    const r = receiver(url, statuses);
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      return target === url ? r.fetcher(target, init) : realFetch(input, init);
    });
    return r;
  }

  const deliveryOf = (alertId: string) =>
    env.DB.prepare('SELECT id, status, attempts, next_attempt_at, last_attempt_at, last_status, last_error FROM webhook_deliveries WHERE alert_id = ?1')
      .bind(alertId)
      .first<{
        id: string;
        status: string;
        attempts: number;
        next_attempt_at: string;
        last_attempt_at: string;
        last_status: number | null;
        last_error: string | null;
      }>();

  it('is set by admins only, https only, shown to admins only, and its change audited', async () => {
    const bad = await errorOf(
      await api('/api/v1/partnership', { method: 'PATCH', key: KEYS.admin, json: { alertWebhookUrl: 'http://front-door.example/hook' } }),
      400,
    );
    expect(bad.fields!.map((f) => f.path)).toEqual(['alertWebhookUrl']);
    expect((await api('/api/v1/partnership', { method: 'PATCH', key: KEYS.safeguarding, json: { alertWebhookUrl: 'https://x.example/' } })).status).toBe(403);

    const other = await otherWithWebhook('https://front-door.example/hook?secret=s3');
    const lead = await addKey(other.partnershipId, 'safeguarding-lead');
    expect(await (await api('/api/v1/partnership', { key: lead })).json()).not.toHaveProperty('alertWebhookUrl');
    expect((await auditOf(other.adminKey)).entries.map((e) => e.action)).toEqual(['partnership.alert-webhook']);
    const cleared = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: null } });
    expect(((await cleared.json()) as { alertWebhookUrl: string | null }).alertWebhookUrl).toBeNull();
  });

  it('answers a new signing secret once (no-store), seals it at rest, and rotates it on a new URL or on request', async () => {
    const url = 'https://front-door.example/signed';
    const other = await seedOtherPartnership();
    const set = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: url } });
    expect(set.headers.get('cache-control')).toBe('no-store');
    const { alertWebhookSecret: first } = (await set.json()) as { alertWebhookSecret: string };
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    // Never shown again, and not stored in the clear.
    expect(await (await api('/api/v1/partnership', { key: other.adminKey })).json()).not.toHaveProperty('alertWebhookSecret');
    const renamed = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { name: 'Renamed' } });
    expect(await renamed.json()).not.toHaveProperty('alertWebhookSecret');
    const row = await env.DB.prepare('SELECT * FROM partnerships WHERE id = ?1').bind(other.partnershipId).first<{ alert_webhook_secret_sealed: string }>();
    expect(JSON.stringify(row)).not.toContain(first.slice(6));
    expect(await unseal(env.ALERT_KEY, row!.alert_webhook_secret_sealed)).toBe(first);

    const again = (await (await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: url } })).json()) as {
      alertWebhookSecret: string;
    };
    expect(again.alertWebhookSecret).not.toBe(first);
    const rotated = await api('/api/v1/partnership/alert-webhook/secret', { method: 'POST', key: other.adminKey });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const { alertWebhookSecret: third } = (await rotated.json()) as { alertWebhookSecret: string };
    expect(new Set([first, again.alertWebhookSecret, third]).size).toBe(3);
    expect((await auditOf(other.adminKey)).entries.map((e) => e.action)).toEqual([
      'partnership.alert-webhook-secret',
      'partnership.alert-webhook',
      'partnership.alert-webhook',
    ]);

    const lead = await addKey(other.partnershipId, 'safeguarding-lead');
    expect((await api('/api/v1/partnership/alert-webhook/secret', { method: 'POST', key: lead })).status).toBe(403);
    const none = await seedOtherPartnership();
    expect((await errorOf(await api('/api/v1/partnership/alert-webhook/secret', { method: 'POST', key: none.adminKey }), 409)).code).toBe('no_webhook');
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://10.1.2.3/',
    'https://192.168.0.10/',
    'https://172.20.0.1/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://0.0.0.0/',
    'https://100.64.1.1/',
    'https://localhost/',
    'https://api.localhost/',
  ])('refuses %s as a destination: 400 naming alertWebhookUrl, nothing stored', async (url) => {
    const other = await seedOtherPartnership();
    const error = await errorOf(await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: url } }), 400);
    expect(error.fields!.map((f) => f.path)).toEqual(['alertWebhookUrl']);
    const row = await env.DB.prepare('SELECT alert_webhook_url, alert_webhook_secret_sealed FROM partnerships WHERE id = ?1').bind(other.partnershipId).first();
    expect(row).toEqual({ alert_webhook_url: null, alert_webhook_secret_sealed: null });
  });

  it('is posted when a response raises an alert, signed as Standard Webhooks: ids and category only, never the words', async () => {
    const url = 'https://front-door.example/heard';
    const other = await otherWithWebhook(url);
    const { calls } = intercept(url);
    const tag = newTag();
    const alertId = await raise(tag, { surveyId: other.surveyId });
    await vi.waitFor(() => expect(calls).toHaveLength(1), { timeout: 2000 });

    const { body, headers } = calls[0]!;
    // The reference library's own verification, with the secret the admin was shown.
    expect(new Webhook(other.secret).verify(body, headers)).toEqual({
      type: 'heard.alert.created',
      partnership: other.partnershipId,
      alertId,
      category: 'harm-by-others',
      current: true,
    });
    expect(headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(() => new Webhook(`whsec_${btoa('another secret, 32 bytes long!!!')}`).verify(body, headers)).toThrow();
    expect(JSON.stringify(calls[0])).not.toContain(tag);
    await vi.waitFor(async () => expect(await deliveryOf(alertId)).toMatchObject({ status: 'delivered', attempts: 1, last_status: 204 }));
  });

  it('retries a failing receiver with backoff (1, 2 … minutes) under the same webhook-id, from the cron, until delivered', async () => {
    const url = 'https://flaky.example/heard';
    const other = await otherWithWebhook(url);
    const first = intercept(url, [503]);
    const alertId = await raise(newTag(), { surveyId: other.surveyId });
    await vi.waitFor(async () => expect(await deliveryOf(alertId)).toMatchObject({ status: 'pending', attempts: 1, last_status: 503, last_error: 'http_503' }));
    const afterFirst = (await deliveryOf(alertId))!;
    const wait1 = Date.parse(afterFirst.next_attempt_at) - Date.parse(afterFirst.last_attempt_at);
    expect(wait1).toBe(60_000);
    vi.restoreAllMocks();

    // The cron: not yet due, nothing sent; due, sent again (still failing), then the wait doubles.
    const receiving = receiver(url, [500, 204]);
    const cron = (at: number) => runScheduledTasks(env.DB, new Date(at), { alertKey: env.ALERT_KEY, fetcher: receiving.fetcher });
    const t1 = Date.parse(afterFirst.last_attempt_at);
    await cron(t1 + 30_000);
    expect(receiving.calls).toHaveLength(0);
    await cron(t1 + 60_000);
    expect(receiving.calls).toHaveLength(1);
    const afterSecond = (await deliveryOf(alertId))!;
    expect(afterSecond).toMatchObject({ status: 'pending', attempts: 2, last_error: 'http_500' });
    expect(Date.parse(afterSecond.next_attempt_at) - (t1 + 60_000)).toBe(120_000);
    await cron(t1 + 60_000 + 119_000);
    expect(receiving.calls).toHaveLength(1);
    await cron(t1 + 60_000 + 120_000);
    expect(receiving.calls).toHaveLength(2);
    expect(await deliveryOf(alertId)).toMatchObject({ status: 'delivered', attempts: 3, last_status: 204 });

    // Every try carried the same webhook-id (receivers dedupe on it), each validly signed.
    const ids = [...first.calls, ...receiving.calls].map((c) => c.headers['webhook-id']);
    expect(new Set(ids).size).toBe(1);
    for (const c of receiving.calls) expect(() => new Webhook(other.secret).verify(c.body, c.headers)).not.toThrow();
    await cron(t1 + 86_400_000);
    expect(receiving.calls).toHaveLength(2);
    const lead = await addKey(other.partnershipId, 'safeguarding-lead');
    expect((await alertsOf(lead)).find((a) => a.id === alertId)).toMatchObject({ webhook: { status: 'delivered', attempts: 3, lastError: null } });
  });

  it('gives up after the last try and shows it: failed on the alert, and an audit entry for the admins', async () => {
    const url = 'https://down.example/heard';
    const other = await otherWithWebhook(url);
    const down = intercept(url, [502]);
    const alertId = await raise(newTag(), { surveyId: other.surveyId });
    await vi.waitFor(() => expect(down.calls).toHaveLength(1));
    await vi.waitFor(async () => expect((await deliveryOf(alertId))!.attempts).toBe(1));
    vi.restoreAllMocks();
    const failing = receiver(url, [502]);
    const created = Date.now();
    // Run the cron far enough ahead each time that every try is due; it stops at the limit.
    for (let i = 1; i <= 15; i++) await runScheduledTasks(env.DB, new Date(created + i * 70 * 60_000), { alertKey: env.ALERT_KEY, fetcher: failing.fetcher });
    expect(down.calls.length + failing.calls.length).toBe(10);
    expect(await deliveryOf(alertId)).toMatchObject({ status: 'failed', attempts: 10, last_error: 'http_502' });
    const lead = await addKey(other.partnershipId, 'safeguarding-lead');
    expect((await alertsOf(lead)).find((a) => a.id === alertId)!.webhook).toEqual({ status: 'failed', attempts: 10, lastError: 'http_502' });
    const failed = (await auditOf(other.adminKey)).entries.filter((e) => e.action === 'webhook.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.subjectIds[0]).toBe(alertId);
    expect(failed[0]!.who.role).toBe('system');
  });

  it('re-checks the destination when sending: an internal URL stored before the check is never posted to', async () => {
    const other = await otherWithWebhook('https://front-door.example/later-changed');
    await env.DB.prepare("UPDATE partnerships SET alert_webhook_url = 'https://169.254.169.254/latest/meta-data/' WHERE id = ?1")
      .bind(other.partnershipId)
      .run();
    const spy = vi.spyOn(globalThis, 'fetch');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const alertId = await raise(newTag(), { surveyId: other.surveyId });
    await vi.waitFor(async () => expect(await deliveryOf(alertId)).toMatchObject({ status: 'failed', last_error: 'refused_destination' }));
    expect(spy.mock.calls.filter(([input]) => String(input instanceof Request ? input.url : input).includes('169.254'))).toEqual([]);
    expect(error).toHaveBeenCalled();
  });

  it('does not follow redirects (they could point inside): a 3xx is a failed try', async () => {
    const url = 'https://redirector.example/heard';
    const other = await otherWithWebhook(url);
    const r = intercept(url, [307]);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const alertId = await raise(newTag(), { surveyId: other.surveyId });
    await vi.waitFor(async () => expect(await deliveryOf(alertId)).toMatchObject({ status: 'pending', last_error: 'redirect' }));
    expect(r.calls).toHaveLength(1);
  });

  it('never throws, and is not called without a URL', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const other = await otherWithWebhook('https://down.example/');
    const alertId = await insertAlert(other.partnershipId, { createdAt: new Date().toISOString(), dueAt: new Date(Date.now() + 3_600_000).toISOString() });
    await env.DB.prepare(
      "INSERT INTO webhook_deliveries (id, partnership_id, alert_id, body, next_attempt_at, created_at) VALUES ('msg_throwing', ?1, ?2, '{}', ?3, ?3)",
    )
      .bind(other.partnershipId, alertId, new Date().toISOString())
      .run();
    const failing = vi.fn(async () => {
      throw new TypeError('network down');
    });
    await expect(announceAlert(env, { id: alertId, partnershipId: other.partnershipId, category: 'neglect', current: true }, failing)).resolves.toBeUndefined();
    expect(failing).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalled();
    expect(await deliveryOf(alertId)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'network' });

    // The demo partnership has no webhook: an alert there queues no notice and posts nothing.
    const unused = vi.fn(async () => new Response(null));
    const demoAlert = await raise(newTag());
    await announceAlert(env, { id: demoAlert, partnershipId: 'demo', category: 'neglect', current: true }, unused);
    expect(unused).not.toHaveBeenCalled();
    expect(await deliveryOf(demoAlert)).toBeNull();
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
    await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: 'https://front-door.example/other' } });
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
    expect(JSON.parse(String(fetcher.mock.calls[0]![1].body))).toMatchObject({
      type: 'heard.alert.created',
      partnership: other.partnershipId,
      category: 'harm-by-others',
    });
  });
});

describe('alert flooding', () => {
  /** A flagged submission to after-visit (from `address`, when given); answers 201 with the signpost. */
  async function post(text: string, opts: { address?: string; surveyId?: string; link?: string } = {}) {
    const res = await submit(
      opts.surveyId ?? 'after-visit',
      { id: crypto.randomUUID(), answers: { visit: 1, better: text }, ...(opts.link ? { link: opts.link } : {}) },
      opts.address ? { 'cf-connecting-ip': opts.address } : {},
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { signpost?: unknown }).signpost).toEqual(SIGNPOST);
  }
  const alertById = async (id: string) => (await (await api(`/api/v1/safeguarding/alerts/${id}`, { key: KEYS.safeguarding })).json()) as Alert;
  const randomAddress = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${crypto.randomUUID()}`;

  it('makes ten identical anonymous posts one alert "received 10 times", with every response stored', async () => {
    const tag = newTag();
    const variants = [
      disclosure(tag),
      disclosure(tag).toUpperCase(),
      `  ${disclosure(tag)}!!! `,
      disclosure(tag).replaceAll(' ', '   '),
      `${disclosure(tag)}.`,
    ];
    for (let i = 0; i < 10; i++) await post(variants[i % variants.length]!);
    const ids = await alertIdsHolding(tag);
    expect(ids).toHaveLength(1);
    expect(await alertById(ids[0]!)).toMatchObject({ receivedCount: 10, burst: false, text: disclosure(tag) });
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM responses WHERE flagged = 1 AND received_day = ?1 AND answers LIKE '%withheld%'",
        new Date().toISOString().slice(0, 10),
      ),
    ).toBeGreaterThanOrEqual(10);
  });

  it('counts concurrent identical posts exactly, on one alert', async () => {
    const tag = newTag();
    await Promise.all(Array.from({ length: 8 }, () => post(disclosure(tag))));
    const ids = await alertIdsHolding(tag);
    expect(ids).toHaveLength(1);
    expect((await alertById(ids[0]!)).receivedCount).toBe(8);
  });

  it('shows the count on the dashboard', async () => {
    const tag = newTag();
    for (let i = 0; i < 3; i++) await post(disclosure(tag));
    const [id] = await alertIdsHolding(tag);
    const { listAlerts } = await import('../../src/db/alerts');
    const stored = (await listAlerts(env.DB, { partnershipId: 'demo', partnerId: null }, 'open', 500, [])).find((a) => a.id === id)!;
    expect(stored.receivedCount).toBe(3);
    const { AlertCard } = await import('../../src/views/dashboard-work');
    const view = (await alertById(id!)) as unknown as Parameters<typeof AlertCard>[0]['alert'];
    expect(String(AlertCard({ alert: view, csrf: 'x', now: new Date() }))).toContain('3 times');
  });

  it('keeps different texts, surveys and links apart, and raises a fresh alert after the first is acknowledged', async () => {
    const tag = newTag();
    await post(disclosure(tag));
    await post(`${disclosure(tag)} and my mum too`);
    expect(await alertIdsHolding(tag)).toHaveLength(2);

    const other = await seedOtherPartnership();
    const otherTag = newTag();
    await post(disclosure(otherTag));
    await post(disclosure(otherTag), { surveyId: other.surveyId });
    expect(await alertIdsHolding(otherTag)).toHaveLength(2);

    const ackTag = newTag();
    await post(disclosure(ackTag));
    const [first] = await alertIdsHolding(ackTag);
    expect((await acknowledge(first!, { actionTaken: 'referred-to-front-door', note: '' })).status).toBe(200);
    await post(disclosure(ackTag));
    const after = await alertIdsHolding(ackTag);
    expect(after).toHaveLength(2);
    expect((await alertById(first!)).receivedCount).toBe(1);
  });

  it('stores a keyed hash, not one anybody can recompute from a guessed text', async () => {
    const tag = newTag();
    await post(disclosure(tag));
    const [id] = await alertIdsHolding(tag);
    const { text_hash } = (await env.DB.prepare('SELECT text_hash FROM safeguarding_alerts WHERE id = ?1').bind(id).first<{ text_hash: string }>())!;
    expect(text_hash).toMatch(/^[0-9a-f]{64}$/);
    const { normaliseAlertText } = await import('../../src/domain/alert-dedupe');
    for (const guess of [disclosure(tag), normaliseAlertText(disclosure(tag))]) expect(text_hash).not.toBe(await sha256Hex(guess));
  });

  it('merges a burst of different alerts from one address into one burst alert holding every text, after the first five, and announces it once', async () => {
    const address = randomAddress();
    const tags = Array.from({ length: 9 }, newTag);
    for (const tag of tags) await post(disclosure(tag), { address });
    const own = await Promise.all(tags.map(alertIdsHolding));
    // The first five each raised their own alert; nothing was held back.
    for (const ids of own.slice(0, 5)) expect(ids).toHaveLength(1);
    expect(new Set(own.slice(0, 5).map((ids) => ids[0])).size).toBe(5);
    // The other four are one burst alert with all four texts.
    const burstIds = new Set(own.slice(5).flat());
    expect(burstIds.size).toBe(1);
    const burst = await alertById([...burstIds][0]!);
    expect(burst).toMatchObject({ burst: true, receivedCount: 4 });
    for (const tag of tags.slice(5)) expect(burst.text).toContain(disclosure(tag));
    expect(burst.evidence!.split('\n')).toHaveLength(4);

    // Repeating one of its first texts counts onto that alert, not the burst.
    await post(disclosure(tags[0]!), { address });
    expect((await alertById(own[0]![0]!)).receivedCount).toBe(2);
    // Another address is unaffected.
    const elsewhere = newTag();
    await post(disclosure(elsewhere), { address: randomAddress() });
    expect((await alertById((await alertIdsHolding(elsewhere))[0]!)).burst).toBe(false);
  });

  it('announces a merged alert once: the webhook is not posted for counted duplicates', async () => {
    const other = await seedOtherPartnership();
    await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertWebhookUrl: 'https://front-door.example/once' } });
    const realFetch = globalThis.fetch;
    const posted: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      if (target !== 'https://front-door.example/once') return realFetch(input, init);
      posted.push(String(init?.body));
      return new Response(null, { status: 204 });
    });
    const tag = newTag();
    for (let i = 0; i < 4; i++) await post(disclosure(tag), { surveyId: other.surveyId });
    const ids = await alertIdsHolding(tag);
    expect(ids).toHaveLength(1);
    expect(await countRows('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE partnership_id = ?1', other.partnershipId)).toBe(1);
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(JSON.parse(posted[0]!).alertId).toBe(ids[0]);
  });
});
