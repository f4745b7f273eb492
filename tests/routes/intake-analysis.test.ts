import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { unseal } from '../../src/lib/seal';
import { countRows, seedDemo, submit } from '../helpers';

beforeAll(seedDemo);

const uuid = () => crypto.randomUUID();

/** Every text value in every table, to prove a phrase was never written anywhere. */
async function everythingStored(): Promise<string> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  const dumps = await Promise.all(tables.results.map(({ name }) => env.DB.prepare(`SELECT * FROM "${name}"`).all()));
  return JSON.stringify(dumps.map((d) => d.results));
}

describe('analysis at intake', () => {
  it('stores only redacted free text, with themes and sentiment, never the original', async () => {
    const id = uuid();
    const original = 'my sw Jessica Brown rang me on 07700 900 456 and she really listened to me';
    const res = await submit('after-visit', { id, answers: { visit: 5, good: original } });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id });
    const row = await env.DB.prepare('SELECT answers, analysis, sentiment, flagged FROM responses WHERE id = ?1').bind(id).first<{ answers: string; analysis: string; sentiment: string; flagged: number }>();
    const answers = JSON.parse(row!.answers) as Record<string, string>;
    expect(answers.good).toContain('[name]');
    expect(answers.good).toContain('[phone]');
    expect(row!.sentiment).toBe('positive');
    expect(row!.flagged).toBe(0);
    const analysis = JSON.parse(row!.analysis) as Record<string, { themes: { id: string }[] }>;
    expect(analysis.good!.themes.map((t) => t.id)).toContain('listened-to');
    const stored = await everythingStored();
    for (const fragment of ['Jessica', 'Brown', '07700', '900 456']) expect(stored).not.toContain(fragment);
  });

  it('stores [phone] for numbers in Arabic-Indic or Devanagari digits or with o for zero, and no bidi controls', async () => {
    const written = ['٠٧٧٠٠ ٩٠٠٧٨٩', '०७७००९००१२३', 'o7700 900321'];
    const id = uuid();
    const res = await submit('after-visit', { id, answers: { visit: 2, good: `call me on ${written[0]} or ${written[1]}`, better: `mum is on ${written[2]} \u202eok\u202c` } });
    expect(res.status).toBe(201);
    const row = await env.DB.prepare('SELECT answers FROM responses WHERE id = ?1').bind(id).first<{ answers: string }>();
    const answers = JSON.parse(row!.answers) as Record<string, string>;
    expect(answers.good).toBe('call me on [phone] or [phone]');
    expect(answers.better).toBe('mum is on [phone] ok');
    const stored = await everythingStored();
    for (const fragment of [...written, '900321', '\u202e']) expect(stored).not.toContain(fragment);
  });

  it('answers a possible disclosure with the signpost and queues a sealed alert once', async () => {
    const id = uuid();
    const original = 'my step dad hits me when mum is at work and I am scared to go home';
    const body = { id, answers: { visit: 1, better: original } };
    const res = await submit('after-visit', body);
    expect(res.status).toBe(201);
    const reply = (await res.json()) as { signpost: { message: string; contacts: { number: string }[] } };
    expect(reply.signpost.message).toMatch(/not your fault/i);
    expect(reply.signpost.contacts.map((c) => c.number)).toEqual(expect.arrayContaining(['0800 1111', '85258', '116 123']));

    const retry = await submit('after-visit', body);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(reply);

    const flagged = await env.DB.prepare('SELECT flagged, answers FROM responses WHERE id = ?1').bind(id).first<{ flagged: number; answers: string }>();
    expect(flagged!.flagged).toBe(1);
    expect(JSON.parse(flagged!.answers).better).toMatch(/^\[withheld/);
    const alerts = await env.DB.prepare("SELECT * FROM safeguarding_alerts WHERE category = 'harm-by-others' AND survey_id = 'after-visit' ORDER BY created_at DESC").all<{ text_sealed: string; current: number; status: string }>();
    const mine = [];
    for (const a of alerts.results) if ((await unseal(env.ALERT_KEY, a.text_sealed)) === original) mine.push(a);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ current: 1, status: 'new' });
    // The original text is only in the sealed alert, never in plain text anywhere.
    const stored = await everythingStored();
    const at = stored.indexOf('step dad hits me');
    expect(at, stored.slice(Math.max(0, at - 300), at + 100)).toBe(-1);
  });

  it('does not flag hyperbole, and marks a past, resolved situation for lower-priority review', async () => {
    const plain = await submit('after-visit', { id: uuid(), answers: { good: 'PE was murder lol but the visit was fine' } });
    expect(await plain.json()).not.toHaveProperty('signpost');
    const before = await countRows("SELECT COUNT(*) AS n FROM safeguarding_alerts WHERE current = 0");
    const past = await submit('after-visit', { id: uuid(), answers: { good: 'I used to self harm but CAMHS helped and I am ok now' } });
    expect(past.status).toBe(201);
    expect(await countRows("SELECT COUNT(*) AS n FROM safeguarding_alerts WHERE current = 0")).toBe(before + 1);
  });

  it('sends a flagged form post to the thank-you page with support shown first', async () => {
    const form = new URLSearchParams({ id: uuid(), 'answer.visit': '1', 'answer.better': 'i want to kill myself' });
    const { SELF } = await import('cloudflare:test');
    const posted = await SELF.fetch('http://heard.test/api/v1/surveys/after-visit/responses', { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/s/after-visit/thanks?lang=en&support=1');
  });
});
