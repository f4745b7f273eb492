import { createExecutionContext, createScheduledController, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACTIONS, DEMO_LINK } from '../../src/demo/seed';
import { Hono } from 'hono';
import { analyseText, SIGNPOST } from '../../src/domain/analysis';
import type { AppEnv } from '../../src/env';
import { MAX_RESTARTS } from '../../src/domain/conversation';
import { conversationRoutes } from '../../src/routes/conversations';
import { MAX_STORED_BYTES, MAX_TURNS } from '../../src/services/conversations';
import { scheduled } from '../../src/scheduled';
import { api, BASE, countRows, KEYS, seedDemo } from '../helpers';

// Until the analysis pipeline merges, its placeholder never reports a disclosure, and module mocks
// don't reach the Worker's imports here. So the reply tests give the routes a detector that flags
// DISCLOSURE; the whole-path test (flagged response, alert) runs once the real detector flags it.
const DISCLOSURE = 'my dad hits me and I am scared to go home';
const withDetector = new Hono<AppEnv>().route(
  '/api/v1/conversations',
  conversationRoutes({
    analyse: (text) => {
      const real = analyseText(text);
      return text.includes(DISCLOSURE) ? { ...real, disclosure: { category: 'harm-by-others', evidence: DISCLOSURE, current: true } } : real;
    },
  }),
);

beforeAll(seedDemo);

interface Step {
  type: 'question' | 'end';
  questionId?: string;
  messages: { text: string; kind: string }[];
  quickReplies?: { value: unknown; label: string }[];
  answers?: unknown;
}
interface Started {
  conversationId: string;
  resumeToken: string;
  lang: string;
  step: Step;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

const start = (surveyId = 'after-visit', body?: unknown) =>
  api(`/api/v1/surveys/${surveyId}/conversations`, { method: 'POST', ...(body === undefined ? {} : { json: body }) });
const reply = (id: string, body: unknown) => api(`/api/v1/conversations/${id}/replies`, { method: 'POST', json: body });
const answer = (chat: Started, answer: unknown) => reply(chat.conversationId, { resumeToken: chat.resumeToken, answer });
/** A reply to routes whose analysis flags DISCLOSURE. */
const answerWithDetector = (chat: Started, answer: unknown) =>
  withDetector.fetch(
    new Request(`${BASE}/api/v1/conversations/${chat.conversationId}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resumeToken: chat.resumeToken, answer }),
    }),
    env,
    createExecutionContext(),
  );
const resume = (id: string, token?: string) => api(`/api/v1/conversations/${id}`, token === undefined ? {} : { headers: { 'X-Resume-Token': token } });

async function started(surveyId = 'after-visit', body?: unknown): Promise<Started> {
  const res = await start(surveyId, body);
  expect(res.status).toBe(201);
  return (await res.json()) as Started;
}

async function stepOf(res: Response, status = 200): Promise<Step & { signpost?: unknown }> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { step: Step; signpost?: unknown };
  return { ...body.step, ...(body.signpost ? { signpost: body.signpost } : {}) };
}

async function errorOf(res: Response, status: number): Promise<ErrorBody['error']> {
  expect(res.status).toBe(status);
  return ((await res.json()) as ErrorBody).error;
}

/** Answers the demo "after visit" survey to its end: visit 4 (so "better" is not asked), listened yes, then `good`. */
async function finish(chat: Started, good = 'The games were fun') {
  expect((await stepOf(await answer(chat, { type: 'answer', value: 4 }))).questionId).toBe('listened');
  expect((await stepOf(await answer(chat, { type: 'answer', value: 'yes' }))).questionId).toBe('good');
  return answer(chat, { type: 'text', text: good });
}

/** A fresh survey made live through the partner API; closed when asked. */
async function liveSurvey(opts: { close?: boolean } = {}) {
  const { afterVisit } = await import('../../src/demo/surveys');
  const id = `demo-t-${crypto.randomUUID().slice(0, 8)}`;
  expect(
    (await api('/api/v1/surveys', { method: 'POST', key: KEYS.admin, json: { id, audience: 'child', partnerId: 'demo-la', definition: afterVisit } })).status,
  ).toBe(201);
  expect((await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
  if (opts.close) expect((await api(`/api/v1/surveys/${id}/close`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
  return id;
}

const responseCount = (id: string) => countRows('SELECT COUNT(*) AS n FROM responses WHERE id = ?1', id);

describe('POST /api/v1/surveys/:id/conversations', () => {
  it('starts a chat with no body: intro, privacy line, then the first question', async () => {
    const chat = await started();
    expect(chat.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(chat.resumeToken.length).toBeGreaterThan(30);
    expect(chat.step.type).toBe('question');
    expect(chat.step.questionId).toBe('visit');
    expect(chat.step.messages.map((m) => m.kind)).toEqual(['intro', 'privacy', 'question']);
    expect(chat.step.quickReplies!.at(-1)).toEqual({ value: null, label: "I'd rather not say" });
  });

  it('speaks the asked language and age band', async () => {
    const chat = await started('after-visit', { lang: 'cy', ageBand: '8-12' });
    expect(chat.lang).toBe('cy');
    expect(chat.step.messages.at(-1)!.text).toBe('Sut aeth hi pan ddaeth dy weithiwr cymdeithasol i dy weld?');
  });

  it('keeps only a hash of the resume token and the hour of the last change', async () => {
    const chat = await started();
    const row = await env.DB.prepare('SELECT * FROM conversations WHERE id = ?1').bind(chat.conversationId).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(chat.resumeToken);
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.updated_hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
  });

  it('answers 400 naming bad fields', async () => {
    const error = await errorOf(await start('after-visit', { ageBand: 'teen', colour: 'red' }), 400);
    expect(error.fields!.map((f) => f.path).sort()).toEqual(['ageBand', 'colour']);
  });

  it('answers 400 naming link for a token that is not this survey’s feedback link', async () => {
    const error = await errorOf(await start('family-rating', { link: DEMO_LINK.token }), 400);
    expect(error.fields!.map((f) => f.path)).toEqual(['link']);
  });

  it('answers 404 for an unknown survey and 410 for a closed one', async () => {
    expect((await start('no-such-survey')).status).toBe(404);
    expect((await errorOf(await start(await liveSurvey({ close: true })), 410)).code).toBe('survey_closed');
  });

  it('answers 415 for a body that is not JSON', async () => {
    expect((await api('/api/v1/surveys/after-visit/conversations', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } })).status).toBe(
      415,
    );
  });
});

describe('POST /api/v1/conversations/:id/replies', () => {
  it('takes replies to the end and stores exactly one response, with the conversation’s id', async () => {
    const chat = await started();
    const end = await stepOf(await finish(chat));
    expect(end.type).toBe('end');
    // Thank-you and what happens next, then the demo's published "you said, we did" actions.
    expect(end.messages.every((m) => m.kind === 'end')).toBe(true);
    expect(end.messages.map((m) => m.text).join('\n')).toContain(DEMO_ACTIONS[0].did.en);
    expect(end).not.toHaveProperty('answers');
    expect(end).not.toHaveProperty('signpost');

    expect(await responseCount(chat.conversationId)).toBe(1);
    const row = await env.DB.prepare('SELECT * FROM responses WHERE id = ?1').bind(chat.conversationId).first<Record<string, unknown>>();
    expect(row).toMatchObject({ survey_id: 'after-visit', lang: 'en', age_band: '8-12', rating: 4, flagged: 0 });
    expect(JSON.parse(row!.answers as string)).toMatchObject({ visit: 4, listened: 'yes', good: expect.any(String) });
    expect(await countRows('SELECT finished AS n FROM conversations WHERE id = ?1', chat.conversationId)).toBe(1);
  });

  it('answers 409 to a reply after the end and stores nothing more', async () => {
    const chat = await started();
    await stepOf(await finish(chat));
    const error = await errorOf(await answer(chat, { type: 'text', text: 'The games were fun' }), 409);
    expect(error.code).toBe('conversation_finished');
    expect(await responseCount(chat.conversationId)).toBe(1);
  });

  it('stores one response when the last reply is retried after the response was stored but the chat not yet marked finished', async () => {
    const chat = await started();
    await stepOf(await answer(chat, { type: 'answer', value: 4 }));
    await stepOf(await answer(chat, { type: 'answer', value: 'yes' }));
    const before = await env.DB.prepare('SELECT state, transcript, turn, finished FROM conversations WHERE id = ?1')
      .bind(chat.conversationId)
      .first<Record<string, unknown>>();
    expect((await stepOf(await answer(chat, { type: 'text', text: 'Nice' }))).type).toBe('end');
    // As if the Worker had stopped between storing the response and saving the conversation.
    await env.DB.prepare('UPDATE conversations SET state = ?2, transcript = ?3, turn = ?4, finished = ?5 WHERE id = ?1')
      .bind(chat.conversationId, before!.state, before!.transcript, before!.turn, before!.finished)
      .run();
    expect((await stepOf(await answer(chat, { type: 'text', text: 'Nice' }))).type).toBe('end');
    expect(await responseCount(chat.conversationId)).toBe(1);
  });

  it('follows a branch: a low rating asks what would have made it better', async () => {
    const chat = await started();
    await stepOf(await answer(chat, { type: 'answer', value: 2 }));
    await stepOf(await answer(chat, { type: 'skip' }));
    await stepOf(await answer(chat, { type: 'text', text: 'The room' }));
    const better = await stepOf(await answer(chat, { type: 'skip' }));
    expect(better.type).toBe('end');
    const row = await env.DB.prepare('SELECT answers FROM responses WHERE id = ?1').bind(chat.conversationId).first<{ answers: string }>();
    expect(JSON.parse(row!.answers)).toMatchObject({ visit: 2, listened: null, better: null });
  });

  it('records the feedback link the chat was started from', async () => {
    const chat = await started('after-visit', { link: DEMO_LINK.token });
    await stepOf(await finish(chat));
    const row = await env.DB.prepare('SELECT link_id, service_id, contact_type FROM responses WHERE id = ?1').bind(chat.conversationId).first();
    expect(row).toEqual({ link_id: DEMO_LINK.id, service_id: DEMO_LINK.serviceId, contact_type: DEMO_LINK.contactType });
    const stored = await env.DB.prepare('SELECT * FROM conversations WHERE id = ?1').bind(chat.conversationId).first();
    expect(JSON.stringify(stored)).not.toContain(DEMO_LINK.token);
  });

  it('never loses a reply to another sent at the same moment', async () => {
    const chat = await started();
    const statuses = (await Promise.all(Array.from({ length: 4 }, () => answer(chat, { type: 'skip' })))).map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const accepted = statuses.filter((s) => s === 200).length;
    expect(accepted).toBeGreaterThan(0);
    expect(await countRows('SELECT turn AS n FROM conversations WHERE id = ?1', chat.conversationId)).toBe(accepted);
  });

  describe('safety', () => {
    it('leads with the supportive message and sends the signpost when typed text may be a disclosure', async () => {
      const chat = await started();
      await stepOf(await answer(chat, { type: 'answer', value: 4 }));
      const next = await stepOf(await answerWithDetector(chat, { type: 'text', text: `no ${DISCLOSURE}` }));
      expect(next.signpost).toEqual(SIGNPOST);
      expect(next.messages[0]!.kind).toBe('support');
      expect(next.messages[0]!.text).toContain('999');
      expect(next.messages[0]!.text).toContain('0800 1111');
    });

    it('puts the support first and the signpost in the end step when the last answer may be a disclosure', async () => {
      const chat = await started();
      await stepOf(await answer(chat, { type: 'answer', value: 4 }));
      await stepOf(await answer(chat, { type: 'answer', value: 'yes' }));
      const end = await stepOf(await answerWithDetector(chat, { type: 'text', text: `sometimes ${DISCLOSURE}` }));
      expect(end.type).toBe('end');
      expect(end.messages[0]!.kind).toBe('support');
      expect(end.messages.slice(1).every((m) => m.kind === 'end')).toBe(true);
      expect(end.signpost).toEqual(SIGNPOST);
    });

    it('flags the stored response and queues one alert, through the real analysis', async () => {
      expect(analyseText(DISCLOSURE).disclosure).not.toBeNull();
      const alerts = () => countRows('SELECT COUNT(*) AS n FROM safeguarding_alerts');
      const before = await alerts();
      const chat = await started();
      await stepOf(await answer(chat, { type: 'answer', value: 4 }));
      await stepOf(await answer(chat, { type: 'answer', value: 'yes' }));
      const end = await stepOf(await answer(chat, { type: 'text', text: DISCLOSURE }));
      expect(end.messages[0]!.kind).toBe('support');
      expect(end.signpost).toEqual(SIGNPOST);
      expect(await countRows('SELECT flagged AS n FROM responses WHERE id = ?1', chat.conversationId)).toBe(1);
      expect(await alerts()).toBe(before + 1);
    });

    it('sends no signpost for an ordinary reply', async () => {
      const chat = await started();
      expect(await stepOf(await answerWithDetector(chat, { type: 'text', text: 'it was ok' }))).not.toHaveProperty('signpost');
    });

    it('keeps no typed text anywhere in D1 except redacted', async () => {
      const typed = ['Jordan Smith 07700 900123 jordan@example.com', 'call 07700 900456 or jo.bloggs@example.org'];
      const chat = await started();
      await stepOf(await answer(chat, { type: 'answer', value: 2 }));
      // Typed where quick replies were offered, then as a free-text answer.
      expect((await stepOf(await answer(chat, { type: 'text', text: typed[0]! }))).messages[0]!.kind).toBe('reprompt');
      await stepOf(await answer(chat, { type: 'skip' }));
      expect((await stepOf(await answer(chat, { type: 'text', text: typed[0]! }))).questionId).toBe('better');
      // Checked mid-way too: the unfinished conversation holds the state and transcript.
      const midway = JSON.stringify((await env.DB.prepare('SELECT * FROM conversations').all()).results);
      expect((await stepOf(await answer(chat, { type: 'answer', value: typed[1]! }))).type).toBe('end');
      const everything = JSON.stringify([
        midway,
        (await env.DB.prepare('SELECT * FROM conversations').all()).results,
        (await env.DB.prepare('SELECT * FROM responses').all()).results,
      ]);
      for (const needle of [...typed, '07700', 'example.com', 'example.org']) expect(everything).not.toContain(needle);
    });
  });

  describe('errors', () => {
    it('answers 400 naming the field for a malformed reply', async () => {
      const chat = await started();
      expect((await errorOf(await reply(chat.conversationId, { resumeToken: chat.resumeToken }), 400)).fields!.map((f) => f.path)).toEqual(['answer']);
      const error = await errorOf(await answer(chat, { type: 'dance' }), 400);
      expect(error.fields!.map((f) => f.path)).toEqual(['answer.type']);
      expect(error.fields![0]!.message).toContain('answer, text, skip, back or restart');
    });

    it('answers 400 bad_reply saying why for a reply the survey can’t take', async () => {
      const chat = await started();
      const outOfRange = await errorOf(await answer(chat, { type: 'answer', value: 9 }), 400);
      expect(outOfRange).toMatchObject({ code: 'bad_reply', fields: [{ path: 'answer', message: expect.stringContaining('1 to 5') }] });
      const noBack = await errorOf(await answer(chat, { type: 'back' }), 400);
      expect(noBack.message).toContain('no earlier question');
    });

    it('never echoes the reply in an error body', async () => {
      const chat = await started();
      const res = await answer(chat, { type: 'answer', value: 'Jordan 07700 900123' });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).not.toContain('Jordan');
      expect(text).not.toContain('07700');
    });

    it('answers 403 for a missing or wrong resume token', async () => {
      const chat = await started();
      expect((await errorOf(await reply(chat.conversationId, { answer: { type: 'skip' } }), 403)).code).toBe('forbidden');
      expect((await reply(chat.conversationId, { resumeToken: 'hr_wrong', answer: { type: 'skip' } })).status).toBe(403);
      const other = await started();
      expect((await reply(chat.conversationId, { resumeToken: other.resumeToken, answer: { type: 'skip' } })).status).toBe(403);
      expect(await countRows('SELECT turn AS n FROM conversations WHERE id = ?1', chat.conversationId)).toBe(0);
    });

    it('answers 404 for an unknown conversation', async () => {
      expect((await errorOf(await reply(crypto.randomUUID(), { resumeToken: 'hr_x', answer: { type: 'skip' } }), 404)).code).toBe('not_found');
      expect((await reply('not-a-uuid', { resumeToken: 'hr_x', answer: { type: 'skip' } })).status).toBe(404);
    });

    it('answers 410 when the survey closed during the chat', async () => {
      const id = await liveSurvey();
      const chat = await started(id);
      expect((await api(`/api/v1/surveys/${id}/close`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
      expect((await errorOf(await answer(chat, { type: 'skip' }), 410)).code).toBe('survey_closed');
    });

    it('answers 415 for a body that is not JSON and 413 for one over 32 KB', async () => {
      const chat = await started();
      const path = `/api/v1/conversations/${chat.conversationId}/replies`;
      expect((await api(path, { method: 'POST', body: 'skip', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
      const big = JSON.stringify({ resumeToken: chat.resumeToken, answer: { type: 'text', text: 'x'.repeat(40_000) } });
      expect((await api(path, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } })).status).toBe(413);
    });
  });
});

describe('GET /api/v1/conversations/:id', () => {
  it('resumes after a reload: the transcript so far and the current step', async () => {
    const chat = await started();
    await stepOf(await answer(chat, { type: 'answer', value: 4 }));
    const res = await resume(chat.conversationId, chat.resumeToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { finished: boolean; step: Step; transcript: { from: string; text: string; kind?: string }[] };
    expect(body.finished).toBe(false);
    expect(body.step.questionId).toBe('listened');
    expect(body.transcript.map((l) => [l.from, l.kind ?? null])).toEqual([
      ['bot', 'intro'],
      ['bot', 'privacy'],
      ['bot', 'question'],
      ['you', null],
      ['bot', 'question'],
    ]);
    expect(body.transcript[3]!.text).toBe('Good');
    expect(body.transcript[4]!.text).toBe('Did your social worker listen to you?');

    // And carries on from there with the same token.
    expect((await stepOf(await answer(chat, { type: 'answer', value: 'no' }))).questionId).toBe('good');
  });

  it('shows the end of a finished chat', async () => {
    const chat = await started();
    await stepOf(await finish(chat));
    const body = (await (await resume(chat.conversationId, chat.resumeToken)).json()) as { finished: boolean; step: Step };
    expect(body.finished).toBe(true);
    expect(body.step.type).toBe('end');
    expect(body.step).not.toHaveProperty('answers');
  });

  it('answers 403 for a missing or wrong token and 404 for an unknown conversation', async () => {
    const chat = await started();
    expect((await resume(chat.conversationId)).status).toBe(403);
    expect((await resume(chat.conversationId, 'hr_wrong')).status).toBe(403);
    expect((await resume(crypto.randomUUID(), chat.resumeToken)).status).toBe(404);
  });

  it('answers a CORS preflight from the survey’s allowed origins, allowing the token header', async () => {
    const chat = await started();
    const res = await api(`/api/v1/conversations/${chat.conversationId}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-headers')).toContain('X-Resume-Token');
    const evil = await api(`/api/v1/conversations/${chat.conversationId}/replies`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('scheduled purge', () => {
  const NOW = new Date('2030-01-02T10:05:00.000Z');

  async function insertAt(updatedHour: string, finished: boolean) {
    const id = crypto.randomUUID();
    await env.DB.prepare(
      `INSERT INTO conversations (id, survey_id, token_hash, link_hash, state, transcript, turn, finished, updated_hour)
       VALUES (?1, 'after-visit', ?2, NULL, '{}', '[]', 0, ?3, ?4)`,
    )
      .bind(id, '0'.repeat(64), finished ? 1 : 0, updatedHour)
      .run();
    return id;
  }
  const exists = async (id: string) => (await countRows('SELECT COUNT(*) AS n FROM conversations WHERE id = ?1', id)) === 1;

  it('deletes unfinished chats idle for over 24 hours and finished ones, and keeps the rest', async () => {
    const rows = {
      // Last reply no later than 09:59 the day before: over 24 hours ago.
      stale: await insertAt('2030-01-01T09:00:00.000Z', false),
      older: await insertAt('2029-12-30T17:00:00.000Z', false),
      // Last reply between 10:00 and 10:59 the day before: maybe under 24 hours, so kept.
      almost: await insertAt('2030-01-01T10:00:00.000Z', false),
      fresh: await insertAt('2030-01-02T10:00:00.000Z', false),
      finished: await insertAt('2030-01-02T10:00:00.000Z', true),
    };
    await scheduled(createScheduledController({ scheduledTime: NOW, cron: '*/10 * * * *' }), env, createExecutionContext());
    expect(await exists(rows.stale)).toBe(false);
    expect(await exists(rows.older)).toBe(false);
    expect(await exists(rows.finished)).toBe(false);
    expect(await exists(rows.almost)).toBe(true);
    expect(await exists(rows.fresh)).toBe(true);
  });

  it('leaves the stored response of a finished chat alone', async () => {
    const chat = await started();
    await stepOf(await finish(chat));
    await scheduled(createScheduledController({ scheduledTime: new Date(), cron: '*/10 * * * *' }), env, createExecutionContext());
    expect(await exists(chat.conversationId)).toBe(false);
    expect(await responseCount(chat.conversationId)).toBe(1);
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('documents the conversation routes', async () => {
    const doc = (await (await api('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/v1/surveys/{id}/conversations']!)).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/v1/conversations/{id}']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/v1/conversations/{id}/replies']!)).toEqual(['post']);
  });
});

describe('reply turns', () => {
  it('refuses a resent reply for an earlier turn instead of answering the next question with it', async () => {
    await seedDemo();
    const start = await api('/api/v1/surveys/after-visit/conversations', { method: 'POST', json: {} });
    const chat = (await start.json()) as { conversationId: string; resumeToken: string; turn: number };
    expect(chat.turn).toBe(0);
    const send = (turn: number, value: unknown) =>
      api(`/api/v1/conversations/${chat.conversationId}/replies`, {
        method: 'POST',
        json: { resumeToken: chat.resumeToken, answer: { type: 'answer', value }, turn },
      });
    const first = await send(0, 4);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { turn: number }).turn).toBe(1);
    // The same reply again, as a client would resend it after losing the answer.
    const again = await send(0, 4);
    expect(again.status).toBe(409);
    const now = (await (await api(`/api/v1/conversations/${chat.conversationId}`, { headers: { 'X-Resume-Token': chat.resumeToken } })).json()) as {
      turn: number;
      step: { questionId: string };
    };
    expect(now).toMatchObject({ turn: 1, step: { questionId: 'listened' } });
    expect((await send(1, 'yes')).status).toBe(200);
  });
});

describe('caps on one chat', () => {
  const storedBytes = (id: string) =>
    countRows('SELECT length(CAST(state AS BLOB)) + length(CAST(transcript AS BLOB)) AS n FROM conversations WHERE id = ?1', id);

  it(`ends the chat at its ${MAX_TURNS}th reply, storing the answers so far, and refuses the next with 409`, async () => {
    const chat = await started();
    await stepOf(await answer(chat, { type: 'answer', value: 4 }));
    // Answer and go back, over and over, as a script cycling one question would.
    for (let turn = 2; turn < MAX_TURNS; turn += 2) {
      expect((await stepOf(await answer(chat, { type: 'answer', value: 'yes' }))).questionId).toBe('good');
      expect((await stepOf(await answer(chat, { type: 'back' }))).questionId).toBe('listened');
    }
    const last = await stepOf(await answer(chat, { type: 'answer', value: 'no' }));
    expect(last.type).toBe('end');
    expect(last.messages[0]!.text).toContain('as much as this chat can take');
    expect(last.messages.every((m) => m.kind === 'end')).toBe(true);
    const row = await env.DB.prepare('SELECT answers FROM responses WHERE id = ?1').bind(chat.conversationId).first<{ answers: string }>();
    expect(JSON.parse(row!.answers)).toEqual({ visit: 4, listened: 'no' });
    expect(await countRows('SELECT turn AS n FROM conversations WHERE id = ?1', chat.conversationId)).toBe(MAX_TURNS);

    expect((await errorOf(await answer(chat, { type: 'skip' }), 409)).code).toBe('conversation_finished');
    const resumed = (await (await resume(chat.conversationId, chat.resumeToken)).json()) as { finished: boolean; step: Step };
    expect(resumed).toMatchObject({ finished: true, step: { type: 'end' } });
  });

  it(`ends the chat when it would store over ${MAX_STORED_BYTES / 1024} KB, and never stores more`, async () => {
    const chat = await started();
    await stepOf(await answer(chat, { type: 'answer', value: 4 }));
    // Text the analysis leaves clear: flagged text is withheld from the chat, so it would never fill it.
    const long = 'we talked about school and my football team '.repeat(90).trim();
    expect(analyseText(long).triage).toBe('clear');
    let step: Step | undefined;
    let replies = 0;
    // Long text no quick reply matches, at the yes/no question: asked again twice, moved on, back.
    while (replies < 40 && step?.type !== 'end') {
      const send = replies % 4 === 3 ? { type: 'back' } : { type: 'text', text: long };
      step = await stepOf(await answer(chat, send));
      replies++;
      expect(await storedBytes(chat.conversationId)).toBeLessThanOrEqual(MAX_STORED_BYTES);
    }
    expect(step!.type).toBe('end');
    expect(replies).toBeLessThan(15);
    expect(await responseCount(chat.conversationId)).toBe(1);
    // The transcript lost its oldest lines to fit; what is left still reads as a transcript.
    const body = (await (await resume(chat.conversationId, chat.resumeToken)).json()) as { transcript: { from: string; text: string }[] };
    expect(body.transcript.at(-1)!.from).toBe('bot');
  });

  it(`allows ${MAX_RESTARTS} restarts, then answers 409 restart_limit and leaves the chat where it was`, async () => {
    const chat = await started();
    for (let i = 0; i < MAX_RESTARTS; i++) {
      await stepOf(await answer(chat, { type: 'answer', value: 2 }));
      expect((await stepOf(await answer(chat, { type: 'restart' }))).questionId).toBe('visit');
    }
    await stepOf(await answer(chat, { type: 'answer', value: 2 }));
    const turn = await countRows('SELECT turn AS n FROM conversations WHERE id = ?1', chat.conversationId);
    const refused = await errorOf(await answer(chat, { type: 'restart' }), 409);
    expect(refused.code).toBe('restart_limit');
    expect(refused.message).toContain('Carry on from here');
    // Typed "start again" is the same request.
    expect((await errorOf(await answer(chat, { type: 'text', text: 'start again' }), 409)).code).toBe('restart_limit');
    expect(await countRows('SELECT turn AS n FROM conversations WHERE id = ?1', chat.conversationId)).toBe(turn);
    expect((await stepOf(await answer(chat, { type: 'answer', value: 'yes' }))).questionId).toBe('good');
  });
});
