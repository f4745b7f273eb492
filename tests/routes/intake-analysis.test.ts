import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAUSE_ID } from '../../src/domain/conversation';
import { WITHHELD } from '../../src/domain/intake';
import { unseal } from '../../src/lib/seal';
import { api, BASE, countRows, seedDemo, submit } from '../helpers';

beforeAll(seedDemo);

const uuid = () => crypto.randomUUID();

/** Every text value in every table, to prove a phrase was never written anywhere. */
async function everythingStored(): Promise<string> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{
    name: string;
  }>();
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
    const row = await env.DB.prepare('SELECT answers, analysis, sentiment, flagged FROM responses WHERE id = ?1')
      .bind(id)
      .first<{ answers: string; analysis: string; sentiment: string; flagged: number }>();
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
    const res = await submit('after-visit', {
      id,
      answers: { visit: 2, good: `call me on ${written[0]} or ${written[1]}`, better: `mum is on ${written[2]} \u202eok\u202c` },
    });
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
    const alerts = await env.DB.prepare(
      "SELECT * FROM safeguarding_alerts WHERE category = 'harm-by-others' AND survey_id = 'after-visit' ORDER BY created_at DESC",
    ).all<{ text_sealed: string; current: number; status: string }>();
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
    // A past disclosure raises no alert: it goes to the review queue, for a person to read within a working day.
    const alertsBefore = await countRows('SELECT COUNT(*) AS n FROM safeguarding_alerts');
    const id = uuid();
    const past = await submit('after-visit', { id, answers: { good: 'I used to self harm but CAMHS helped and I am ok now' } });
    expect(past.status).toBe(201);
    const reviews = await env.DB.prepare('SELECT question_id, status FROM review_items WHERE response_id = ?1').bind(id).all();
    expect(reviews.results).toEqual([{ question_id: 'good', status: 'open' }]);
    expect(await countRows('SELECT COUNT(*) AS n FROM safeguarding_alerts')).toBe(alertsBefore);
  });

  it('sends a flagged form post to the thank-you page with support shown first', async () => {
    const form = new URLSearchParams({ id: uuid(), 'answer.visit': '1', 'answer.better': 'i want to kill myself' });
    const { SELF } = await import('cloudflare:test');
    const posted = await SELF.fetch('http://heard.test/api/v1/surveys/after-visit/responses', {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/s/after-visit/thanks?lang=en&support=1');
  });
});

/**
 * Every place a phrase is stored in plain text: each column of each row of every table, with JSON
 * columns walked to their string values (so escaping inside JSON can't hide a phrase), compared
 * without case. Sealed columns are ciphertext (base64 of AES-GCM), so words inside them never match.
 */
async function wherePlain(phrases: string[]): Promise<string[]> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{
    name: string;
  }>();
  const needles = phrases.map((p) => p.toLowerCase());
  const found: string[] = [];
  const strings = (value: unknown, out: string[]): string[] => {
    if (typeof value === 'string') {
      out.push(value);
      if (/^\s*[[{"]/.test(value)) {
        try {
          strings(JSON.parse(value), out);
        } catch {
          // Not JSON: the raw string is already in.
        }
      }
    } else if (Array.isArray(value)) for (const v of value) strings(v, out);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, out.concat(k));
    return out;
  };
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    for (const row of rows.results) {
      for (const [column, value] of Object.entries(row)) {
        const texts = strings(value, []).map((t) => t.toLowerCase());
        for (const needle of needles) if (texts.some((t) => t.includes(needle))) found.push(`${name}.${column} holds "${needle}"`);
      }
    }
  }
  return found;
}

/** The alerts whose sealed text contains `phrase`, unsealed. */
async function alertsHolding(phrase: string): Promise<{ id: string; text: string }[]> {
  const all = await env.DB.prepare('SELECT id, text_sealed FROM safeguarding_alerts').all<{ id: string; text_sealed: string }>();
  const out = [];
  for (const a of all.results) {
    const text = await unseal(env.ALERT_KEY, a.text_sealed);
    if (text.includes(phrase)) out.push({ id: a.id, text });
  }
  return out;
}

describe('a possible disclosure is stored only inside the sealed alert', () => {
  const chat = async () => {
    const res = await api('/api/v1/surveys/after-visit/conversations', { method: 'POST', json: {} });
    expect(res.status).toBe(201);
    const started = (await res.json()) as { conversationId: string; resumeToken: string };
    const say = async (answer: unknown) => {
      const r = await api(`/api/v1/conversations/${started.conversationId}/replies`, { method: 'POST', json: { resumeToken: started.resumeToken, answer } });
      expect(r.status).toBe(200);
      return (await r.json()) as { step: { type: string; questionId?: string; messages: { kind: string }[] }; signpost?: unknown };
    };
    return { ...started, say };
  };

  it('in a chat: typed at a free-text question, the words are in the alert and nowhere else, before and after the chat ends', async () => {
    const words = 'my stepdad hits me with a belt when mum is out';
    const flagged = await chat();
    await flagged.say({ type: 'answer', value: 2 });
    await flagged.say({ type: 'skip' });
    const paused = await flagged.say({ type: 'text', text: words });
    expect(paused.signpost).toBeDefined();
    expect(paused.step.questionId).toBe(PAUSE_ID);
    // Mid-chat: the unfinished conversation's transcript and state.
    expect(await wherePlain([words, 'stepdad', 'with a belt'])).toEqual([]);
    const resumed = (await (await api(`/api/v1/conversations/${flagged.conversationId}`, { headers: { 'X-Resume-Token': flagged.resumeToken } })).json()) as {
      transcript: { from: string; text: string }[];
    };
    expect(resumed.transcript.filter((l) => l.from === 'you').map((l) => l.text)).toEqual(['Bad', "I'd rather not say", WITHHELD]);

    // The child chooses to carry on from the pause, answers the last question, and the chat ends.
    expect((await flagged.say({ type: 'answer', value: 'carry-on' })).step.questionId).toBe('better');
    expect((await flagged.say({ type: 'text', text: 'more time' })).step.type).toBe('end');
    expect(await wherePlain([words, 'stepdad', 'with a belt'])).toEqual([]);
    const response = await env.DB.prepare('SELECT answers, analysis, flagged FROM responses WHERE id = ?1')
      .bind(flagged.conversationId)
      .first<{ answers: string; analysis: string; flagged: number }>();
    expect(response!.flagged).toBe(1);
    expect(JSON.parse(response!.answers)).toMatchObject({ visit: 2, listened: null, good: WITHHELD, better: 'more time' });
    expect(JSON.parse(response!.analysis).good).toMatchObject({ disclosure: { category: 'harm-by-others', current: true } });
    expect((await alertsHolding(words)).map((a) => a.text)).toEqual([words]);
  });

  it('in a chat: the last answer flagged, the final response holds only the withheld form', async () => {
    const words = 'my big cousin kicks me in the ribs at night';
    const c = await chat();
    await c.say({ type: 'answer', value: 4 });
    await c.say({ type: 'answer', value: 'no' });
    const end = await c.say({ type: 'answer', value: words });
    expect(end.step.type).toBe('end');
    expect(end.signpost).toBeDefined();
    expect(await wherePlain([words, 'kicks me in the ribs'])).toEqual([]);
    const response = await env.DB.prepare('SELECT answers, flagged FROM responses WHERE id = ?1')
      .bind(c.conversationId)
      .first<{ answers: string; flagged: number }>();
    expect(response!.flagged).toBe(1);
    expect(JSON.parse(response!.answers).good).toBe(WITHHELD);
    expect(await alertsHolding(words)).toHaveLength(1);
  });

  it('in a chat: typed at a yes/no question, the words reach the alert and no stored row', async () => {
    const words = 'no, my uncle punches me and locks me in the shed';
    const c = await chat();
    await c.say({ type: 'answer', value: 4 });
    const paused = await c.say({ type: 'text', text: words });
    expect(paused.signpost).toBeDefined();
    expect(paused.step.questionId).toBe(PAUSE_ID);
    expect(paused.step.messages[0]!.kind).toBe('support');
    expect(await wherePlain([words, 'uncle punches', 'in the shed'])).toEqual([]);
    expect(await alertsHolding(words)).toHaveLength(1);
    // Typed again after going back (a new line in the same alert), then stopping at the pause: the end.
    await c.say({ type: 'back' });
    expect((await c.say({ type: 'text', text: `yes but ${words.slice(4)}` })).step.questionId).toBe(PAUSE_ID);
    expect((await c.say({ type: 'answer', value: 'stop' })).step.type).toBe('end');
    expect(await wherePlain([words, 'uncle punches', 'in the shed'])).toEqual([]);
  });

  it('in a form post (no JavaScript): a flagged free-text answer is withheld everywhere', async () => {
    const words = 'my brother burns me with a lighter and I am scared';
    const id = uuid();
    const form = new URLSearchParams({ id, 'answer.visit': '1', 'answer.listened': 'no', 'answer.better': words });
    const posted = await SELF.fetch(`${BASE}/api/v1/surveys/after-visit/responses`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(303);
    expect(await wherePlain([words, 'burns me', 'with a lighter'])).toEqual([]);
    const row = await env.DB.prepare('SELECT answers, flagged FROM responses WHERE id = ?1').bind(id).first<{ answers: string; flagged: number }>();
    expect(row!.flagged).toBe(1);
    expect(JSON.parse(row!.answers).better).toBe(WITHHELD);
    expect(await alertsHolding(words)).toHaveLength(1);
  });

  it('in a form post or JSON: text sent as the answer to a yes/no question is refused and stored nowhere', async () => {
    const words = 'my nan slaps me across the face every night';
    const before = await countRows('SELECT COUNT(*) AS n FROM responses');
    const form = new URLSearchParams({ id: uuid(), 'answer.visit': '2', 'answer.listened': words });
    const posted = await SELF.fetch(`${BASE}/api/v1/surveys/after-visit/responses`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(400);
    const json = await submit('after-visit', { id: uuid(), answers: { visit: 2, listened: words } });
    expect(json.status).toBe(400);
    // The form post names the field; its page keeps what was typed for the child to correct, but nothing is written.
    expect(await countRows('SELECT COUNT(*) AS n FROM responses')).toBe(before);
    expect(await wherePlain([words, 'slaps me', 'across the face'])).toEqual([]);
  });
});
