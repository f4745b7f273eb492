import { createExecutionContext, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../src/index';
import { DEFAULT_CHAT_START_LIMIT, MAX_TRACKED, parseRateLimit, resetRateLimits, take, trackedWindows } from '../../src/middleware/rate-limit';
import { BASE, countRows, seedDemo } from '../helpers';

beforeAll(seedDemo);

/**
 * Requests through the app with a small limit of our own (the project's binding is set high so
 * other test files never meet it). Each test uses its own client address, so tests that share
 * the isolate's windows cannot interfere.
 */
function post(path: string, body: unknown, opts: { limit: string; address?: string; chatLimit?: string }) {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (opts.address) headers.set('cf-connecting-ip', opts.address);
  const bindings = { ...env, INTAKE_RATE_LIMIT: opts.limit, ...(opts.chatLimit ? { CHAT_START_LIMIT: opts.chatLimit } : {}) };
  return app.request(`${BASE}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }, bindings, createExecutionContext());
}

const address = () => `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;
const response = () => ({ id: crypto.randomUUID(), answers: { visit: 4, listened: 'yes' } });
const statuses = (all: Response[]) => all.map((r) => r.status).sort();

describe('parseRateLimit', () => {
  it('reads "<requests>/<seconds>", "off", and falls back to the default on anything else', () => {
    expect(parseRateLimit('30/60')).toEqual({ requests: 30, windowMs: 60_000 });
    expect(parseRateLimit(' 5 / 1 ')).toEqual({ requests: 5, windowMs: 1000 });
    expect(parseRateLimit('off')).toBeNull();
    for (const typo of [undefined, '', '30', '0/60', '30/0', 'lots', '-1/60']) expect(parseRateLimit(typo)).toEqual({ requests: 60, windowMs: 60_000 });
  });
});

describe('take', () => {
  it('opens a new window once the old one has passed', () => {
    const key = `window-${crypto.randomUUID()}`;
    const limit = { requests: 2, windowMs: 1000 };
    expect([take(key, limit, 0), take(key, limit, 10), take(key, limit, 20)]).toEqual([null, null, 1]);
    expect(take(key, limit, 999)).toBe(1);
    expect(take(key, limit, 1000)).toBeNull();
  });

  it('holds at most MAX_TRACKED windows, sweeping expired ones first', () => {
    resetRateLimits();
    const limit = { requests: 1, windowMs: 1000 };
    for (let i = 0; i < MAX_TRACKED + 50; i++) take(`many-${i}`, limit, 0);
    expect(trackedWindows()).toBeLessThanOrEqual(MAX_TRACKED);
    take('after-expiry', limit, 5000);
    expect(trackedWindows()).toBe(1);
    resetRateLimits();
  });
});

describe('POST /api/v1/surveys/:id/responses past the limit', () => {
  it('allows exactly N of a concurrent burst of M and stores exactly those', async () => {
    const before = await countRows('SELECT COUNT(*) AS n FROM responses');
    const client = address();
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => post('/api/v1/surveys/after-visit/responses', response(), { limit: '5/60', address: client })),
    );
    expect(statuses(burst)).toEqual([...Array(5).fill(201), ...Array(7).fill(429)]);
    expect(await countRows('SELECT COUNT(*) AS n FROM responses')).toBe(before + 5);
  });

  it('answers 429 in the one error shape with Retry-After, echoing nothing', async () => {
    const client = address();
    await post('/api/v1/surveys/after-visit/responses', response(), { limit: '1/30', address: client });
    const res = await post('/api/v1/surveys/after-visit/responses', response(), { limit: '1/30', address: client });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: 'Too many requests from this address. Please wait and try again.' } });
  });

  it('counts each client address and each survey separately', async () => {
    const one = address();
    const two = address();
    const send = (survey: string, client: string) =>
      post(`/api/v1/surveys/${survey}/responses`, survey === 'after-visit' ? response() : { id: crypto.randomUUID(), answers: { overall: 'good' } }, {
        limit: '2/60',
        address: client,
      });
    const results = await Promise.all([
      ...[1, 2, 3].map(() => send('after-visit', one)),
      ...[1, 2, 3].map(() => send('after-visit', two)),
      ...[1, 2, 3].map(() => send('family-rating', one)),
    ]);
    for (const group of [results.slice(0, 3), results.slice(3, 6), results.slice(6)]) expect(statuses(group)).toEqual([201, 201, 429]);
  });

  it('turns requests away before reading the body or touching the database', async () => {
    const client = address();
    await post('/api/v1/surveys/no-such-survey/responses', response(), { limit: '1/60', address: client });
    const res = await post('/api/v1/surveys/no-such-survey/responses', 'not even an object', { limit: '1/60', address: client });
    expect(res.status).toBe(429);
  });

  it('is off when INTAKE_RATE_LIMIT is "off"', async () => {
    const client = address();
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => post('/api/v1/surveys/after-visit/responses', response(), { limit: 'off', address: client })),
    );
    expect(burst.every((r) => r.status === 201)).toBe(true);
  });
});

describe('POST conversations and replies past the limit', () => {
  it('allows exactly N chat starts of a burst per survey and address', async () => {
    const client = address();
    const burst = await Promise.all(Array.from({ length: 6 }, () => post('/api/v1/surveys/after-visit/conversations', {}, { limit: '4/60', address: client })));
    expect(statuses(burst)).toEqual([201, 201, 201, 201, 429, 429]);
  });

  it('allows exactly N replies of a burst to one conversation', async () => {
    const chat = (await (await post('/api/v1/surveys/after-visit/conversations', {}, { limit: 'off' })).json()) as {
      conversationId: string;
      resumeToken: string;
    };
    const client = address();
    // Replies with a bad answer: each is refused (400) after the limit lets it through, and changes nothing.
    const burst = await Promise.all(
      Array.from({ length: 7 }, () =>
        post(
          `/api/v1/conversations/${chat.conversationId}/replies`,
          { resumeToken: chat.resumeToken, answer: { type: 'answer', value: 99 } },
          { limit: '3/60', address: client },
        ),
      ),
    );
    expect(statuses(burst)).toEqual([400, 400, 400, 429, 429, 429, 429]);
  });
});

describe('new chats per address per hour (CHAT_START_LIMIT)', () => {
  it('defaults to 60 an hour, also for a typo, and can be switched off', () => {
    expect(DEFAULT_CHAT_START_LIMIT).toEqual({ requests: 60, windowMs: 3_600_000 });
    expect(parseRateLimit(undefined, DEFAULT_CHAT_START_LIMIT)).toEqual(DEFAULT_CHAT_START_LIMIT);
    expect(parseRateLimit('sixty', DEFAULT_CHAT_START_LIMIT)).toEqual(DEFAULT_CHAT_START_LIMIT);
    expect(parseRateLimit('20/3600', DEFAULT_CHAT_START_LIMIT)).toEqual({ requests: 20, windowMs: 3_600_000 });
    expect(parseRateLimit('off', DEFAULT_CHAT_START_LIMIT)).toBeNull();
  });

  it('counts starts across every survey from one address, answering 429 too_many_chats past the limit', async () => {
    const client = address();
    const start = (survey: string) => post(`/api/v1/surveys/${survey}/conversations`, {}, { limit: 'off', chatLimit: '3/3600', address: client });
    const results = [];
    for (const survey of ['after-visit', 'family-rating', 'after-visit', 'community-voice']) results.push(await start(survey));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 429]);
    const refused = results[3]!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_many_chats');
    // Another address is not affected, and the per-minute survey limit is separate.
    expect((await post('/api/v1/surveys/after-visit/conversations', {}, { limit: 'off', chatLimit: '3/3600', address: address() })).status).toBe(201);
  });

  it('still lets the same address send the one-page form', async () => {
    const client = address();
    await post('/api/v1/surveys/after-visit/conversations', {}, { limit: 'off', chatLimit: '1/3600', address: client });
    expect((await post('/api/v1/surveys/after-visit/conversations', {}, { limit: 'off', chatLimit: '1/3600', address: client })).status).toBe(429);
    expect((await post('/api/v1/surveys/after-visit/responses', response(), { limit: 'off', chatLimit: '1/3600', address: client })).status).toBe(201);
  });
});
