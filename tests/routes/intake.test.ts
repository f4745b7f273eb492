import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LINK } from '../../src/demo/seed';
import { api, countRows, KEYS, seedDemo, submit } from '../helpers';

beforeAll(seedDemo);

const uuid = () => crypto.randomUUID();
const fieldPaths = async (res: Response) => ((await res.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path);

/** A fresh draft survey owned by the admin, published when asked: for lifecycle cases. */
async function makeSurvey(opts: { publish?: boolean; close?: boolean } = {}) {
  const { afterVisit } = await import('../../src/demo/surveys');
  const id = `demo-t-${uuid().slice(0, 8)}`;
  const created = await api('/api/v1/surveys', {
    method: 'POST',
    key: KEYS.admin,
    json: { id, audience: 'child', partnerId: 'demo-la', definition: afterVisit },
  });
  expect(created.status).toBe(201);
  if (opts.publish) expect((await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
  if (opts.close) expect((await api(`/api/v1/surveys/${id}/close`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
  return id;
}

describe('GET /api/v1/surveys/:id', () => {
  it('serves the live survey worded for the language and age band', async () => {
    const res = await api('/api/v1/surveys/after-visit?lang=cy&age=8-12');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { lang: string; questions: { id: string; text: string; options?: { label: string }[] }[] };
    expect(body.lang).toBe('cy');
    expect(body.questions[0]!.text).toBe('Sut aeth hi pan ddaeth dy weithiwr cymdeithasol i dy weld?');
    expect(body.questions[0]!.options!.map((o) => o.label)).toContain('Da iawn');
  });

  it('falls back to English for a language the survey does not offer', async () => {
    const body = (await (await api('/api/v1/surveys/family-rating?lang=fr')).json()) as { lang: string; title: string };
    expect(body).toMatchObject({ lang: 'en', title: 'Tell us about your experience' });
  });

  it('answers 400 naming a malformed query field', async () => {
    const res = await api('/api/v1/surveys/after-visit?age=teen');
    expect(res.status).toBe(400);
    expect(await fieldPaths(res)).toEqual(['query.age']);
  });

  it('answers 404 for an unknown survey and for a draft', async () => {
    expect((await api('/api/v1/surveys/no-such-survey')).status).toBe(404);
    expect((await api(`/api/v1/surveys/${await makeSurvey()}`)).status).toBe(404);
  });

  it('answers 410 for a closed survey', async () => {
    expect((await api(`/api/v1/surveys/${await makeSurvey({ publish: true, close: true })}`)).status).toBe(410);
  });
});

describe('POST /api/v1/surveys/:id/responses', () => {
  it('stores a response and answers 201 with its id', async () => {
    const id = uuid();
    const res = await submit('after-visit', { id, answers: { visit: 4, listened: 'yes' }, lang: 'en' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id });
    const row = await env.DB.prepare('SELECT * FROM responses WHERE id = ?1').bind(id).first<Record<string, unknown>>();
    expect(row).toMatchObject({ survey_id: 'after-visit', survey_version: 1, partner_id: 'demo-la', age_band: '8-12', lang: 'en', rating: 4 });
    expect(row!.received_day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('answers a retry with the same id and answers with 200 and the same body, storing one row', async () => {
    const body = { id: uuid(), answers: { visit: 2, better: 'more time to talk' } };
    const first = await submit('after-visit', body);
    const again = await submit('after-visit', body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    expect(await countRows('SELECT COUNT(*) AS n FROM responses WHERE id = ?1', body.id)).toBe(1);
  });

  it('answers 409 when the id was used with different answers', async () => {
    const id = uuid();
    expect((await submit('after-visit', { id, answers: { visit: 5 } })).status).toBe(201);
    const res = await submit('after-visit', { id, answers: { visit: 1 } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('id_conflict');
  });

  it('stores concurrent duplicates exactly once', async () => {
    const body = { id: uuid(), answers: { visit: 3, listened: 'no' } };
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => submit('after-visit', body)))).map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(await countRows('SELECT COUNT(*) AS n FROM responses WHERE id = ?1', body.id)).toBe(1);
  });

  it('accepts "I\'d rather not say" (null) for any question', async () => {
    expect((await submit('after-visit', { id: uuid(), answers: { visit: null, listened: null, good: null } })).status).toBe(201);
  });

  it('accepts an HTML form post and answers 303 to the thank-you page', async () => {
    const id = uuid();
    const form = new URLSearchParams({ id, lang: 'cy', 'answer.visit': '5', 'answer.listened': '_skip' });
    const res = await api('/api/v1/surveys/after-visit/responses', {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/s/after-visit/thanks?lang=cy');
    const row = await env.DB.prepare('SELECT answers, lang FROM responses WHERE id = ?1').bind(id).first<{ answers: string; lang: string }>();
    expect(JSON.parse(row!.answers)).toEqual({ visit: 5, listened: null });
    expect(row!.lang).toBe('cy');
  });

  it('answers a form post carrying an unknown question with the page again (400) and stores nothing', async () => {
    const id = uuid();
    const form = new URLSearchParams({ id, lang: 'en', 'answer.visit': '5' });
    form.append('answer.priorities', 'x');
    const res = await api('/api/v1/surveys/after-visit/responses', {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    // Only a tampered form can carry it, so the page says there is a problem without a field to point at.
    expect(await res.text()).toContain('There is a problem');
    expect(await countRows('SELECT COUNT(*) AS n FROM responses WHERE id = ?1', id)).toBe(0);
  });

  it('takes multiple choice from repeated form fields', async () => {
    const id = uuid();
    const form = new URLSearchParams({ id, ageBand: 'adult' });
    form.append('answer.priorities', 'online');
    form.append('answer.priorities', 'youth-spaces');
    const res = await api('/api/v1/surveys/community-voice/responses', {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(303);
    const row = await env.DB.prepare('SELECT answers FROM responses WHERE id = ?1').bind(id).first<{ answers: string }>();
    expect(JSON.parse(row!.answers)).toEqual({ priorities: ['online', 'youth-spaces'] });
  });

  describe('bad input', () => {
    it.each([
      ['an unknown question', { visit: 4, shoe: 'size 4' }, 'answers.shoe'],
      ['a wrong kind of value', { listened: true }, 'answers.listened'],
      ['an out-of-range rating', { visit: 6 }, 'answers.visit'],
      ['a fractional rating', { visit: 2.5 }, 'answers.visit'],
      ['text over the question’s limit', { visit: 1, better: 'x'.repeat(1001) }, 'answers.better'],
      ['an answer to a branch not taken', { visit: 5, better: 'nothing' }, 'answers.better'],
    ])('answers 400 naming the field for %s', async (_case, answers, path) => {
      const res = await submit('after-visit', { id: uuid(), answers });
      expect(res.status).toBe(400);
      expect(await fieldPaths(res)).toContain(path);
    });

    it('names every bad field at once and stores nothing', async () => {
      const id = uuid();
      const res = await submit('after-visit', { id, answers: { visit: 0, listened: 'maybe', nope: 1 } });
      expect(res.status).toBe(400);
      expect(await fieldPaths(res)).toEqual(expect.arrayContaining(['answers.visit', 'answers.listened', 'answers.nope']));
      expect(await countRows('SELECT COUNT(*) AS n FROM responses WHERE id = ?1', id)).toBe(0);
    });

    it('names envelope fields: id, lang, ageBand, unknown fields', async () => {
      const res = await submit('after-visit', { id: 'not-a-uuid', answers: {}, lang: 'English!', ageBand: 'teen', colour: 'red' });
      expect(res.status).toBe(400);
      expect(await fieldPaths(res)).toEqual(expect.arrayContaining(['id', 'lang', 'ageBand', 'colour']));
    });

    it('rejects a language or age band the survey does not offer', async () => {
      const res = await submit('after-visit', { id: uuid(), answers: {}, lang: 'fr', ageBand: 'adult' });
      expect(res.status).toBe(400);
      expect(await fieldPaths(res)).toEqual(['lang', 'ageBand']);
    });

    it('never echoes the input in an error body', async () => {
      const secret = 'Jordan Smith 07700 900123';
      const res = await submit('after-visit', { id: secret, answers: { [secret.slice(0, 6)]: secret }, lang: secret });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).not.toContain('Jordan');
      expect(text).not.toContain('07700');
    });

    it('answers 400 for malformed JSON', async () => {
      const res = await api('/api/v1/surveys/after-visit/responses', { method: 'POST', body: '{"id": ', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(await fieldPaths(res)).toEqual(['(body)']);
    });

    it('answers 415 for another content type', async () => {
      const res = await api('/api/v1/surveys/after-visit/responses', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
      expect(res.status).toBe(415);
    });

    it('answers 413 for a body over 32 KB, declared or not', async () => {
      const big = JSON.stringify({ id: uuid(), answers: { good: 'x'.repeat(40_000) } });
      expect((await api('/api/v1/surveys/after-visit/responses', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } })).status).toBe(
        413,
      );
      const stream = new Blob([big]).stream();
      const res = await api('/api/v1/surveys/after-visit/responses', { method: 'POST', body: stream, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(413);
    });

    it('answers 404 for an unknown survey and 410 for a closed one', async () => {
      expect((await submit('no-such-survey', { id: uuid(), answers: {} })).status).toBe(404);
      expect((await submit(await makeSurvey({ publish: true, close: true }), { id: uuid(), answers: {} })).status).toBe(410);
    });
  });

  describe('feedback links', () => {
    async function issueLink(extra: Record<string, unknown> = {}) {
      const res = await api('/api/v1/links', {
        method: 'POST',
        key: KEYS.admin,
        json: { surveyId: 'after-visit', partnerId: 'demo-la', serviceId: 'demo-social-work', contactType: 'home-visit', ...extra },
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; token: string; url: string };
    }

    it('records the link’s partner, service and contact type, never who it was', async () => {
      const link = await issueLink();
      const id = uuid();
      expect((await submit('after-visit', { id, answers: { visit: 4 }, link: link.token })).status).toBe(201);
      const row = await env.DB.prepare('SELECT partner_id, service_id, contact_type, link_id FROM responses WHERE id = ?1').bind(id).first();
      expect(row).toEqual({ partner_id: 'demo-la', service_id: 'demo-social-work', contact_type: 'home-visit', link_id: link.id });
    });

    it('answers 410 when a single-use link was used, but a retry of its response still answers 200', async () => {
      const link = await issueLink();
      const body = { id: uuid(), answers: { visit: 4 }, link: link.token };
      expect((await submit('after-visit', body)).status).toBe(201);
      expect((await submit('after-visit', body)).status).toBe(200);
      expect((await submit('after-visit', { ...body, id: uuid() })).status).toBe(410);
      expect(await countRows('SELECT uses AS n FROM feedback_links WHERE id = ?1', link.id)).toBe(1);
    });

    it('lets only one of two concurrent new responses use a single-use link', async () => {
      const link = await issueLink();
      const statuses = await Promise.all(
        [1, 2, 3].map(() => submit('after-visit', { id: uuid(), answers: { visit: 2 }, link: link.token }).then((r) => r.status)),
      );
      expect(statuses.sort()).toEqual([201, 410, 410]);
    });

    it('answers 410 for an expired link', async () => {
      const link = await issueLink({ singleUse: false });
      await env.DB.prepare("UPDATE feedback_links SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ?1").bind(link.id).run();
      expect((await submit('after-visit', { id: uuid(), answers: {}, link: link.token })).status).toBe(410);
    });

    it('answers 400 naming link for an unknown token or another survey’s link', async () => {
      const res = await submit('family-rating', { id: uuid(), answers: {}, link: DEMO_LINK.token });
      expect(res.status).toBe(400);
      expect(await fieldPaths(res)).toEqual(['link']);
      expect(await fieldPaths(await submit('after-visit', { id: uuid(), answers: {}, link: 'no-such-token-123' }))).toEqual(['link']);
    });

    it('lets a multi-use link take many responses', async () => {
      for (let i = 0; i < 3; i++) expect((await submit('after-visit', { id: uuid(), answers: { visit: 5 }, link: DEMO_LINK.token })).status).toBe(201);
    });
  });

  describe('privacy', () => {
    it('stores no IP, user agent, cookie or precise time', async () => {
      const id = uuid();
      await submit(
        'after-visit',
        { id, answers: { visit: 4 } },
        { 'user-agent': 'UniqueAgent/9.9', 'cf-connecting-ip': '203.0.113.77', cookie: 'track=abc123' },
      );
      const row = await env.DB.prepare('SELECT * FROM responses WHERE id = ?1').bind(id).first<Record<string, unknown>>();
      const stored = JSON.stringify(row);
      for (const needle of ['UniqueAgent', '203.0.113.77', 'abc123', 'T0', 'T1', 'T2']) expect(stored).not.toContain(needle);
      expect(Object.keys(row!)).not.toEqual(expect.arrayContaining(['ip', 'user_agent', 'created_at']));
    });

    it('sets no cookie on public routes', async () => {
      const res = await submit('after-visit', { id: uuid(), answers: { visit: 4 } });
      expect(res.headers.get('set-cookie')).toBeNull();
    });
  });

  describe('CORS', () => {
    it('answers the survey’s allowed origins, on any port where the entry says :*', async () => {
      const res = await submit('after-visit', { id: uuid(), answers: {} }, { origin: 'http://localhost:5173' });
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    });

    it('gives other origins no CORS headers', async () => {
      const res = await api('/api/v1/surveys/after-visit', { headers: { origin: 'https://evil.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers a preflight for an allowed origin', async () => {
      const res = await api('/api/v1/surveys/after-visit/responses', {
        method: 'OPTIONS',
        headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    });
  });
});
