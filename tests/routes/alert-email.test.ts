import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { runScheduledTasks } from '../../src/scheduled';
import { emailAboutAlert, queueReviewDigests } from '../../src/services/alert-email';
import { seal } from '../../src/lib/seal';
import { api, BASE, KEYS, seedDemo, seedOtherPartnership } from '../helpers';

/**
 * Alert emails through Miniflare's emulation of the send_email binding: the emulation parses each
 * message (it refuses one without a Message-ID, or whose From does not match the envelope) and,
 * for REFUSING_EMAIL, refuses recipients it is not allowed, as production refuses unverified ones.
 * A recorder sits in front of the emulated binding to read what went in.
 */

beforeAll(seedDemo);

/** The raw message inside an EmailMessage, as Miniflare's `cloudflare:email` stores it. */
const RAW = 'EmailMessage::raw';

interface Sent {
  from: string;
  to: string;
  raw: string;
}

/** A send_email binding that records each message, then hands it to `binding` (an emulated one). */
function recorder(binding: SendEmail): { sent: Sent[]; binding: SendEmail } {
  const sent: Sent[] = [];
  return {
    sent,
    binding: {
      send: async (message: EmailMessage) => {
        const m = message as unknown as { from: string; to: string; [RAW]: string };
        sent.push({ from: m.from, to: m.to, raw: m[RAW] });
        return binding.send(message);
      },
    } as SendEmail,
  };
}

/** The worker's own fetch, with `bindings` in place of the test env's, and its waitUntil work finished. */
async function workerFetch(path: string, init: RequestInit, bindings: Partial<Env>): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch!(new Request(`${BASE}${path}`, init) as Request<unknown, IncomingRequestCfProperties>, { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const RECIPIENTS = ['lead@council.example', 'duty@council.example'];

async function partnershipWithRecipients(recipients = RECIPIENTS) {
  const other = await seedOtherPartnership();
  const res = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertEmailRecipients: recipients } });
  expect(res.status).toBe(200);
  return other;
}

const disclosureWords = (tag: string) => `my dad hits me and I am scared to go home ${tag}`;
const newTag = () => `zq${crypto.randomUUID().slice(0, 6)}`;

/** Submits a flagged response through the worker, with `bindings`, and returns the alert's id. */
async function raise(surveyId: string, tag: string, bindings: Partial<Env> = {}): Promise<string> {
  const res = await workerFetch(
    `/api/v1/surveys/${surveyId}/responses`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: crypto.randomUUID(), answers: { visit: 1, better: disclosureWords(tag) } }),
    },
    bindings,
  );
  expect(res.status).toBe(201);
  const row = await env.DB.prepare('SELECT id FROM safeguarding_alerts WHERE survey_id = ?1 ORDER BY created_at DESC LIMIT 1')
    .bind(surveyId)
    .first<{ id: string }>();
  return row!.id;
}

const emailsOf = async (subjectId: string) =>
  (
    await env.DB.prepare(
      'SELECT id, kind, recipient, status, attempts, last_error, next_attempt_at FROM email_deliveries WHERE subject_id = ?1 ORDER BY kind, recipient',
    )
      .bind(subjectId)
      .all<{ id: string; kind: string; recipient: string; status: string; attempts: number; last_error: string | null; next_attempt_at: string }>()
  ).results;

describe('alertEmailRecipients in the partnership settings', () => {
  it('are set by admins, shown to admins and safeguarding leads, and the change audited', async () => {
    const other = await partnershipWithRecipients(['Lead@Council.example', 'lead@council.example', 'duty@council.example']);
    const got = (await (await api('/api/v1/partnership', { key: other.adminKey })).json()) as { alertEmailRecipients: string[] };
    expect(got.alertEmailRecipients).toEqual(['lead@council.example', 'duty@council.example']);
    const audit = await env.DB.prepare("SELECT subject_ids FROM audit_log WHERE partnership_id = ?1 AND action = 'partnership.alert-email'")
      .bind(other.partnershipId)
      .all<{ subject_ids: string }>();
    expect(audit.results).toEqual([{ subject_ids: JSON.stringify([other.partnershipId]) }]);
    expect((await api('/api/v1/partnership', { method: 'PATCH', key: KEYS.safeguarding, json: { alertEmailRecipients: ['x@y.example'] } })).status).toBe(403);
    const lead = (await (await api('/api/v1/partnership', { key: KEYS.safeguarding })).json()) as { alertEmailRecipients?: string[] };
    expect(lead.alertEmailRecipients).toEqual([]);
    const scrutineer = (await (await api('/api/v1/partnership', { key: KEYS.scrutineer })).json()) as { alertEmailRecipients?: string[] };
    expect(scrutineer.alertEmailRecipients).toBeUndefined();
  });

  it('answers 400 naming a bad address or too many', async () => {
    const other = await seedOtherPartnership();
    const bad = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertEmailRecipients: ['not an address'] } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toEqual(['alertEmailRecipients.0']);
    expect(JSON.stringify(body)).not.toContain('not an address');
    const many = Array.from({ length: 11 }, (_, i) => `p${i}@council.example`);
    expect((await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertEmailRecipients: many } })).status).toBe(400);
  });
});

describe('an email when an alert is raised', () => {
  it('is sent to each recipient through send_email: a link to the dashboard, no words of the disclosure, no category', async () => {
    const other = await partnershipWithRecipients();
    const { sent, binding } = recorder(env.ALERT_EMAIL);
    const tag = newTag();
    const alertId = await raise(other.surveyId, tag, { ALERT_EMAIL: binding });

    expect(await emailsOf(alertId)).toEqual([
      expect.objectContaining({ kind: 'alert-created', recipient: 'duty@council.example', status: 'sent', attempts: 1, last_error: null }),
      expect.objectContaining({ kind: 'alert-created', recipient: 'lead@council.example', status: 'sent', attempts: 1, last_error: null }),
    ]);
    expect(sent.map((s) => s.to).sort()).toEqual(RECIPIENTS.slice().sort());
    for (const s of sent) {
      expect(s.from).toBe(env.ALERT_EMAIL_FROM);
      // Decoded as a mail client would, so an encoded body can't hide words from the check.
      const mail = await PostalMime.parse(s.raw);
      expect(mail.subject).toBe('Heard: a safeguarding alert is waiting');
      expect(mail.to?.[0]?.address).toBe(s.to);
      expect(mail.text).toContain(`${env.DASHBOARD_URL}/dashboard/alerts`);
      const everything = `${s.raw}\n${mail.subject}\n${mail.text}\n${mail.html ?? ''}\n${JSON.stringify(mail.headers)}`.toLowerCase();
      for (const word of [tag, 'hits', 'scared', 'dad', 'harm-by-others', 'harm by others', 'harm']) expect(everything).not.toContain(word);
    }
  });

  it('is sent once for a flood of identical disclosures, which raise one alert', async () => {
    const other = await partnershipWithRecipients(['lead@council.example']);
    const tag = newTag();
    const first = await raise(other.surveyId, tag);
    const again = await raise(other.surveyId, tag);
    expect(again).toBe(first);
    expect((await emailsOf(first)).map((e) => [e.kind, e.status])).toEqual([['alert-created', 'sent']]);
  });

  it('is not queued for a partnership with no recipients', async () => {
    const other = await seedOtherPartnership();
    const alertId = await raise(other.surveyId, newTag());
    expect(await emailsOf(alertId)).toEqual([]);
  });

  it('holds no words in the outbox either', async () => {
    const other = await partnershipWithRecipients(['lead@council.example']);
    const tag = newTag();
    const alertId = await raise(other.surveyId, tag);
    const rows = await env.DB.prepare('SELECT * FROM email_deliveries WHERE subject_id = ?1').bind(alertId).all();
    expect(JSON.stringify(rows.results)).not.toContain(tag);
    expect(JSON.stringify(rows.results)).not.toContain('harm');
  });
});

describe('a failed email', () => {
  it('is retried with backoff under the same Message-ID, from the cron, until sent, and shown meanwhile', async () => {
    const other = await partnershipWithRecipients(['lead@council.example']);
    // The emulated binding refuses this recipient, as send_email refuses an unverified address.
    const refusing = recorder(env.REFUSING_EMAIL);
    const alertId = await raise(other.surveyId, newTag(), { ALERT_EMAIL: refusing.binding });
    const [failed] = await emailsOf(alertId);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: 'send_failed' });
    expect(refusing.sent).toHaveLength(1);

    // The lead sees it on the alert, in the API and on the dashboard.
    const lead = await addLead(other.partnershipId);
    const alerts = (await (await api('/api/v1/safeguarding/alerts', { key: lead })).json()) as { alerts: { id: string; emails: unknown[] }[] };
    expect(alerts.alerts.find((a) => a.id === alertId)!.emails).toEqual([
      { kind: 'alert-created', recipient: 'lead@council.example', status: 'pending', attempts: 1, lastError: 'send_failed' },
    ]);

    // Not before its backoff (a minute after the first try); then through the working binding.
    const working = recorder(env.ALERT_EMAIL);
    const emailEnv = { ALERT_EMAIL: working.binding, ALERT_EMAIL_FROM: env.ALERT_EMAIL_FROM, DASHBOARD_URL: env.DASHBOARD_URL };
    await runScheduledTasks(env.DB, new Date(), { email: emailEnv });
    expect(working.sent).toHaveLength(0);
    await runScheduledTasks(env.DB, new Date(Date.parse(failed!.next_attempt_at) + 1000), { email: emailEnv });
    expect(await emailsOf(alertId)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, last_error: null })]);
    expect(working.sent).toHaveLength(1);
    const messageId = (raw: string) => /^Message-ID: (.*)$/im.exec(raw)![1];
    expect(messageId(working.sent[0]!.raw)).toBe(messageId(refusing.sent[0]!.raw));
    expect(messageId(working.sent[0]!.raw)).toBe(`<${failed!.id}@${env.ALERT_EMAIL_FROM.split('@')[1]}>`);

    // Sent: a later run never sends it again (it may send this alert's overdue notice, a new message).
    await runScheduledTasks(env.DB, new Date(Date.now() + 3 * 3_600_000), { email: emailEnv });
    expect(working.sent.filter((s) => messageId(s.raw) === messageId(refusing.sent[0]!.raw))).toHaveLength(1);
    expect((await emailsOf(alertId)).find((e) => e.kind === 'alert-created')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('is given up after the last try: failed on the alert and on the dashboard, and an audit entry', async () => {
    const other = await partnershipWithRecipients(['lead@council.example']);
    const alertId = await raise(other.surveyId, newTag(), { ALERT_EMAIL: env.REFUSING_EMAIL });
    const emailEnv = { ALERT_EMAIL: env.REFUSING_EMAIL, ALERT_EMAIL_FROM: env.ALERT_EMAIL_FROM, DASHBOARD_URL: env.DASHBOARD_URL };
    let at = Date.now();
    for (let i = 0; i < 12; i++) {
      const [row] = await emailsOf(alertId);
      if (row!.status !== 'pending') break;
      at = Math.max(at, Date.parse(row!.next_attempt_at)) + 1000;
      await runScheduledTasks(env.DB, new Date(at), { email: emailEnv });
    }
    const [row] = await emailsOf(alertId);
    expect(row).toMatchObject({ status: 'failed', last_error: 'send_failed' });
    expect(row!.attempts).toBeLessThanOrEqual(10);
    const audit = await env.DB.prepare("SELECT subject_ids FROM audit_log WHERE partnership_id = ?1 AND action = 'email.failed'")
      .bind(other.partnershipId)
      .first<{ subject_ids: string }>();
    expect(JSON.parse(audit!.subject_ids)).toEqual([alertId, row!.id]);

    const lead = await addLead(other.partnershipId);
    const html = await dashboardAlerts(lead);
    expect(html).toContain('Emails not delivered');
    expect(html).toMatch(/lead@council\.example \(new alert\): not sent, gave up after \d+ tries \(send_failed\)/);
  });

  it('is not sent to an address taken off the list since it was queued', async () => {
    const other = await partnershipWithRecipients(['lead@council.example']);
    const alertId = await raise(other.surveyId, newTag(), { ALERT_EMAIL: env.REFUSING_EMAIL });
    await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { alertEmailRecipients: ['new-lead@council.example'] } });
    const working = recorder(env.ALERT_EMAIL);
    await runScheduledTasks(env.DB, new Date(Date.now() + 5 * 60_000), {
      email: { ALERT_EMAIL: working.binding, ALERT_EMAIL_FROM: env.ALERT_EMAIL_FROM, DASHBOARD_URL: env.DASHBOARD_URL },
    });
    expect(working.sent).toHaveLength(0);
    expect(await emailsOf(alertId)).toEqual([expect.objectContaining({ status: 'failed', last_error: 'removed_recipient' })]);
  });
});

describe('an email when an alert is overdue', () => {
  it('is queued by the cron when it marks the alert overdue, sent in the same run, and only once', async () => {
    const other = await partnershipWithRecipients(['lead@council.example']);
    const created = new Date(Date.now() - 2 * 3_600_000);
    const alertId = crypto.randomUUID();
    await env.DB.prepare(
      `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, received_day, category, current, evidence_sealed, text_sealed, created_at, due_at)
       VALUES (?1, ?2, ?3, ?4, 'neglect', 1, ?5, ?6, ?7, ?8)`,
    )
      .bind(
        alertId,
        other.partnershipId,
        other.surveyId,
        created.toISOString().slice(0, 10),
        await seal(env.ALERT_KEY, 'evidence'),
        await seal(env.ALERT_KEY, 'text'),
        created.toISOString(),
        new Date(created.getTime() + 3_600_000).toISOString(),
      )
      .run();
    const { sent, binding } = recorder(env.ALERT_EMAIL);
    const emailEnv = { ALERT_EMAIL: binding, ALERT_EMAIL_FROM: env.ALERT_EMAIL_FROM, DASHBOARD_URL: env.DASHBOARD_URL };
    await runScheduledTasks(env.DB, new Date(), { email: emailEnv });
    await runScheduledTasks(env.DB, new Date(Date.now() + 60_000), { email: emailEnv });
    expect((await emailsOf(alertId)).map((e) => [e.kind, e.status])).toEqual([
      ['alert-created', 'sent'],
      ['alert-overdue', 'sent'],
    ]);
    const overdue = await Promise.all(sent.map((s) => PostalMime.parse(s.raw)));
    expect(overdue.map((m) => m.subject).sort()).toEqual(['Heard: a safeguarding alert is overdue', 'Heard: a safeguarding alert is waiting']);
  });
});

describe('the daily digest of reviews due', () => {
  it('is queued once a day from 08:00 London time with the count it is given, and none on a day with none due', async () => {
    const other = await partnershipWithRecipients(['lead@council.example']);
    const count = async (_db: D1Database, partnershipId: string) => (partnershipId === other.partnershipId ? 3 : 0);
    // 07:30 BST is 06:30 UTC: too early.
    expect(await queueReviewDigests(env.DB, new Date('2026-07-01T06:30:00Z'), count)).toBe(0);
    const nine = new Date('2026-07-01T08:00:00Z'); // 09:00 BST
    await queueReviewDigests(env.DB, nine, count);
    await queueReviewDigests(env.DB, new Date('2026-07-01T09:00:00Z'), count);
    expect((await emailsOf('2026-07-01')).filter((e) => e.recipient === 'lead@council.example' && e.kind === 'reviews-due')).toHaveLength(1);

    const { sent, binding } = recorder(env.ALERT_EMAIL);
    await emailAboutAlert(
      { DB: env.DB, ALERT_EMAIL: binding, ALERT_EMAIL_FROM: env.ALERT_EMAIL_FROM, DASHBOARD_URL: env.DASHBOARD_URL },
      {
        id: '2026-07-01',
        partnershipId: other.partnershipId,
      },
    );
    expect(sent).toHaveLength(1);
    const mail = await PostalMime.parse(sent[0]!.raw);
    expect(mail.subject).toBe('Heard: 3 reviews are due');
    expect(mail.text).toContain(`${env.DASHBOARD_URL}/dashboard`);

    const none = await partnershipWithRecipients(['other@council.example']);
    await queueReviewDigests(env.DB, nine, async () => 0);
    const noneRows = await env.DB.prepare('SELECT COUNT(*) AS n FROM email_deliveries WHERE partnership_id = ?1')
      .bind(none.partnershipId)
      .first<{ n: number }>();
    expect(noneRows!.n).toBe(0);
  });
});

async function addLead(partnershipId: string): Promise<string> {
  const key = `lead-${crypto.randomUUID()}`;
  const { sha256Hex } = await import('../../src/lib/crypto');
  await env.DB.prepare(
    "INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?1, ?2, ?3, NULL, 'safeguarding-lead', 'lead', ?4)",
  )
    .bind(crypto.randomUUID(), await sha256Hex(key), partnershipId, new Date().toISOString())
    .run();
  return key;
}

/** The alerts page as `key`'s dashboard session sees it. */
async function dashboardAlerts(key: string): Promise<string> {
  const form = await workerFetch('/dashboard/sign-in', {}, {});
  const signInCookie = form.headers
    .getSetCookie()
    .find((c) => c.startsWith('heard_signin='))!
    .split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signedIn = await workerFetch(
    '/dashboard/sign-in',
    {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: signInCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, key }),
    },
    {},
  );
  const session = signedIn.headers
    .getSetCookie()
    .find((c) => c.startsWith('heard_session='))!
    .split(';')[0]!;
  return (await workerFetch('/dashboard/alerts', { headers: { cookie: session } }, {})).text();
}
