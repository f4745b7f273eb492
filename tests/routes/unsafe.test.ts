import { createExecutionContext, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../src/index';
import { api, BASE, KEYS, seedDemo } from '../helpers';

beforeAll(seedDemo);

/** One press of "I'm not safe" (the form post the button sends), from `address`. */
function press(body: Record<string, string>, opts: { address?: string; query?: string; limit?: string } = {}) {
  const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
  if (opts.address) headers.set('cf-connecting-ip', opts.address);
  const bindings = { ...env, ...(opts.limit ? { INTAKE_RATE_LIMIT: opts.limit } : {}) };
  return app.request(
    `${BASE}/s/after-visit/unsafe?${opts.query ?? 'lang=en'}`,
    { method: 'POST', headers, body: new URLSearchParams(body).toString() },
    bindings,
    createExecutionContext(),
  );
}

const address = () => `198.51.100.7-${crypto.randomUUID()}`;
const pressAlertIds = async () =>
  (
    await env.DB.prepare("SELECT id FROM safeguarding_alerts WHERE category = 'immediate-danger' AND survey_id = 'after-visit' ORDER BY created_at")
      .bind()
      .all<{ id: string }>()
  ).results.map((r) => r.id);
const newIds = async (before: string[]) => (await pressAlertIds()).filter((id) => !before.includes(id));
const readAlert = async (id: string) =>
  (await (await api(`/api/v1/safeguarding/alerts/${id}`, { key: KEYS.safeguarding })).json()) as {
    category: string;
    current: boolean;
    evidence: string;
    text: string;
    contactRef: string | null;
  };

describe('POST /s/:id/unsafe ("I’m not safe")', () => {
  it('shows the signpost at once and raises one current immediate-danger alert with no words, honestly labelled anonymous', async () => {
    const before = await pressAlertIds();
    const res = await press({ press: crypto.randomUUID() }, { address: address() });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const needed of ['tel:999', 'tel:08001111', 'sms:85258', 'Do you want to tell us what is happening? You don’t have to.'])
      expect(html).toContain(needed);
    expect(html).toContain('We don’t know who you are, so we can’t come and help you ourselves. These people can, right now.');
    const raised = await newIds(before);
    expect(raised).toHaveLength(1);
    const alert = await readAlert(raised[0]!);
    expect(alert.category).toBe('immediate-danger');
    expect(alert.current).toBe(true);
    expect(alert.evidence).toMatch(/Anonymous/);
    expect(alert.contactRef).toBeNull();
  });

  it('raises exactly one alert for the same press sent again, and for another press from the same address within minutes', async () => {
    const before = await pressAlertIds();
    const from = address();
    const first = crypto.randomUUID();
    await press({ press: first }, { address: from });
    await press({ press: first }, { address: from });
    await press({ press: crypto.randomUUID() }, { address: from });
    expect(await newIds(before)).toHaveLength(1);
    // Another device is another child.
    await press({ press: crypto.randomUUID() }, { address: address() });
    expect(await newIds(before)).toHaveLength(2);
  });

  it('adds the optional words to the same alert, sealed, and thanks the child calmly', async () => {
    const before = await pressAlertIds();
    const from = address();
    const id = crypto.randomUUID();
    await press({ press: id }, { address: from });
    const told = await press({ press: id, text: 'my mum’s boyfriend hurts me' }, { address: from });
    expect(await told.text()).toContain('Thank you for telling us. You did the right thing.');
    const raised = await newIds(before);
    expect(raised).toHaveLength(1);
    expect((await readAlert(raised[0]!)).text).toBe('my mum’s boyfriend hurts me');
    const row = await env.DB.prepare('SELECT text_sealed FROM safeguarding_alerts WHERE id = ?1').bind(raised[0]).first<{ text_sealed: string }>();
    expect(row!.text_sealed).not.toContain('boyfriend');
  });

  it('says so on the alert when the feedback link carries a contact reference, so the lead can route it', async () => {
    const made = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.admin,
      json: { surveyId: 'after-visit', partnerId: 'demo-la', serviceId: 'demo-social-work', contactType: 'home-visit', contactRef: 'CASE-4471' },
    });
    expect(made.status).toBe(201);
    const { token } = (await made.json()) as { token: string };
    const before = await pressAlertIds();
    const res = await press({ press: crypto.randomUUID() }, { address: address(), query: `lang=en&link=${token}` });
    expect(await res.text()).not.toContain('We don’t know who you are');
    const raised = await newIds(before);
    expect(raised).toHaveLength(1);
    const alert = await readAlert(raised[0]!);
    expect(alert.evidence).toMatch(/contact reference: route it to the child’s worker/);
    expect(alert.contactRef).toBe('CASE-4471');
    // A link without a contact reference stays anonymous.
    const plain = await press({ press: crypto.randomUUID() }, { address: address(), query: 'lang=en&link=demo-home-visit-link' });
    expect(await plain.text()).toContain('We don’t know who you are');
  });

  it('is rate-limited like intake: past the limit the signpost still shows (429) and no more alerts are raised', async () => {
    const from = address();
    const before = await pressAlertIds();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await press({ press: crypto.randomUUID() }, { address: from, limit: '2/60' })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const limited = await press({ press: crypto.randomUUID() }, { address: from, limit: '2/60' });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.text()).toContain('tel:999');
    expect(await newIds(before)).toHaveLength(1);
  });

  it('works in Welsh', async () => {
    const html = await (await press({ press: crypto.randomUUID() }, { address: address(), query: 'lang=cy' })).text();
    expect(html).toContain('Galli di gael help nawr');
  });
});
