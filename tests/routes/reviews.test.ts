import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseText, type TextAnalysis } from '../../src/domain/analysis';
import { WITHHELD } from '../../src/domain/intake';
import { runScheduledTasks } from '../../src/scheduled';
import { acceptSubmission } from '../../src/services/intake';
import { acknowledgeAlert } from '../../src/services/alerts';
import { sendReply, startChat } from '../../src/services/conversations';
import { publishedSurvey } from '../../src/services/published-surveys';
import { AI_MODEL, secondOpinion, type AiBinding } from '../../src/services/second-opinion';
import { findKey } from '../../src/db/keys';
import { api, countRows, KEYS, seedDemo } from '../helpers';

/**
 * The review tier (issue 12 item 1, issue 13 items 1 and 5): answers whose triage is `review` are
 * sealed and queued with their response, read and decided by reviewers and safeguarding leads.
 * The rules do not yet produce `review` on this branch, so a small seam swaps the analysis: any
 * text containing REVIEW_ME is a concern for review, everything else is the real analysis.
 */
const REVIEWER = 'demo-reviewer-key';
const MARK = 'REVIEW_ME';
const reviewing = (text: string): TextAnalysis => {
  const real = analyseText(text);
  return text.includes(MARK) ? { ...real, disclosure: null, triage: 'review', concern: { category: null, evidence: 'dont want to go home' } } : real;
};

interface ReviewOut {
  id: string;
  text: string | null;
  evidence: string | null;
  category: string | null;
  source: string;
  contactRef: string | null;
  dueAt: string;
  receivedAt: string;
  status: string;
  wordsKept: boolean;
  partner: { id: string } | null;
  survey: { id: string };
  decision: { outcome: string; alertId: string | null } | null;
}

const waiting: Promise<unknown>[] = [];
const waitUntil = (p: Promise<unknown>) => void waiting.push(p);
const settle = async () => {
  await Promise.all(waiting.splice(0));
};

/** Submits to after-visit through the intake service, with the seam; returns the response id. */
async function submitForReview(text: string, opts: { link?: string; envExtra?: Record<string, unknown> } = {}) {
  const survey = await publishedSurvey(env.DB, 'after-visit');
  const id = crypto.randomUUID();
  const submission = { id, answers: { visit: 3, better: text }, ...(opts.link ? { link: opts.link } : {}) };
  const outcome = await acceptSubmission({ ...env, ...opts.envExtra } as Env, survey, submission, { analyse: reviewing, waitUntil });
  return { id, outcome, submission, survey };
}

const reviewFor = (responseId: string) =>
  env.DB.prepare('SELECT id, text_sealed, evidence_sealed, source, status FROM review_items WHERE response_id = ?1').bind(responseId).all<{
    id: string;
    text_sealed: string | null;
    source: string;
  }>();

async function linkWithContactRef(): Promise<string> {
  const res = await api('/api/v1/links', {
    method: 'POST',
    key: KEYS.admin,
    json: {
      surveyId: 'after-visit',
      partnerId: 'demo-la',
      serviceId: 'demo-social-work',
      contactType: 'home-visit',
      contactRef: 'CASE-4417',
      singleUse: false,
    },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(seedDemo);

describe('intake: an answer whose triage is review', () => {
  it('is withheld from the response, sealed in a review item written with it, and signposted', async () => {
    const words = `i dont want to go home tonight ${MARK}`;
    const { id, outcome } = await submitForReview(words);
    expect(outcome).toMatchObject({ created: true, flagged: true, reviews: 1 });
    const row = await env.DB.prepare('SELECT answers, analysis, flagged FROM responses WHERE id = ?1')
      .bind(id)
      .first<{ answers: string; analysis: string; flagged: number }>();
    expect(JSON.parse(row!.answers).better).toBe(WITHHELD);
    expect(row!.flagged).toBe(1);
    expect(JSON.parse(row!.analysis).better).toMatchObject({ disclosure: null, concern: { category: null } });
    const { results } = await reviewFor(id);
    expect(results).toHaveLength(1);
    expect(results[0]!.source).toBe('rules');
    // Sealed: nothing of the words is stored in the clear anywhere.
    expect(results[0]!.text_sealed).not.toContain('home');
    const everywhere = await env.DB.prepare("SELECT count(*) AS n FROM responses WHERE answers LIKE '%go home tonight%'").first<{ n: number }>();
    expect(everywhere!.n).toBe(0);
  });

  it('a retry stores nothing more; a different answer under the same id is refused and queues nothing', async () => {
    const { id, submission, survey } = await submitForReview(`scared of him ${MARK}`);
    const again = await acceptSubmission(env, survey, submission, { analyse: reviewing });
    expect(again).toMatchObject({ created: false, flagged: true });
    await expect(
      acceptSubmission(env, survey, { ...submission, answers: { visit: 2, better: `other words ${MARK}` } }, { analyse: reviewing }),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect(await countRows('SELECT count(*) AS n FROM review_items WHERE response_id = ?1', id)).toBe(1);
  });

  it('in a chat, queues the reply as it is typed, once however often it is resent, and the response keeps only the marker', async () => {
    const chat = await startChat(env.DB, 'after-visit', { lang: 'en' });
    const reply = (answer: unknown, turn: number) =>
      sendReply(env, chat.conversationId, chat.resumeToken, () => ({ answer, turn }) as never, { analyse: reviewing, waitUntil });
    let turn = 0;
    let step = chat.step as { type: string; questionId?: string };
    const words = `he shouts at me when mum is out ${MARK}`;
    let signposted = false;
    while (step.type === 'question' && turn < 12) {
      const answer =
        step.questionId === 'visit'
          ? { type: 'answer', value: 3 }
          : step.questionId === 'listened'
            ? { type: 'answer', value: 'yes' }
            : { type: 'text', text: step.questionId === 'better' ? words : 'fine' };
      const out = await reply(answer, turn);
      if (step.questionId === 'better') {
        signposted = out.signpost !== undefined;
        // A resend of the same words (a stale retry) is refused as stale but queues nothing new.
        await expect(reply(answer, turn)).rejects.toMatchObject({ status: 409 });
      }
      turn = out.turn;
      step = out.step as typeof step;
    }
    expect(signposted).toBe(true);
    expect(await countRows('SELECT count(*) AS n FROM review_items WHERE response_id = ?1', chat.conversationId)).toBe(1);
    const stored = await env.DB.prepare('SELECT answers FROM responses WHERE id = ?1').bind(chat.conversationId).first<{ answers: string }>();
    expect(JSON.parse(stored!.answers).better).toBe(WITHHELD);
  });
});

describe('GET /api/v1/safeguarding/reviews', () => {
  it.each([
    ['admin', KEYS.admin],
    ['scrutineer', KEYS.scrutineer],
    ['practice lead', KEYS.policeLead],
  ])('refuses %s keys with 403', async (_role, key) => {
    for (const path of ['/api/v1/safeguarding/reviews', `/api/v1/safeguarding/reviews/${crypto.randomUUID()}`]) {
      expect((await api(path, { key })).status).toBe(403);
    }
    const decide = await api(`/api/v1/safeguarding/reviews/${crypto.randomUUID()}/decision`, { method: 'POST', key, json: { decision: 'not-a-concern' } });
    expect(decide.status).toBe(403);
  });

  it('refuses a reviewer the alert queue (that stays the safeguarding lead’s)', async () => {
    expect((await api('/api/v1/safeguarding/alerts', { key: REVIEWER })).status).toBe(403);
  });

  it('shows a reviewer and a safeguarding lead the sealed words, the source, the concern and a due time one working day on', async () => {
    const token = await linkWithContactRef();
    const { id } = await submitForReview(`i dont want to go home, sent through a link ${MARK}`, { link: token });
    for (const key of [REVIEWER, KEYS.safeguarding]) {
      const res = await api('/api/v1/safeguarding/reviews?limit=500', { key });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('no-store');
      const item = ((await res.json()) as { reviews: ReviewOut[] }).reviews.find((r) => r.text?.includes('sent through a link'))!;
      expect(item).toMatchObject({
        source: 'rules',
        contactRef: 'CASE-4417',
        evidence: 'dont want to go home',
        partner: { id: 'demo-la' },
        survey: { id: 'after-visit' },
      });
      expect(Date.parse(item.dueAt)).toBeGreaterThan(Date.parse(item.receivedAt) + 23 * 3600_000);
    }
    // Every read is audited, by id only.
    const audit = await env.DB.prepare("SELECT subject_ids, details FROM audit_log WHERE action = 'reviews.list'").all<{ subject_ids: string }>();
    expect(audit.results.length).toBeGreaterThanOrEqual(2);
    const review = (await reviewFor(id)).results[0]!;
    expect(audit.results.some((a) => JSON.parse(a.subject_ids).includes(review.id))).toBe(true);
  });
});

describe('POST /api/v1/safeguarding/reviews/:id/decision', () => {
  const decide = (id: string, body: unknown, key = REVIEWER) => api(`/api/v1/safeguarding/reviews/${id}/decision`, { method: 'POST', key, json: body });
  const itemOf = async (responseId: string) => (await reviewFor(responseId)).results[0]!.id;

  it('"not a concern" is recorded once, audited without the words, and kept as a redacted label', async () => {
    const { id: responseId } = await submitForReview(`my name is Grace Hopper and i am scared ${MARK}`);
    const id = await itemOf(responseId);
    const res = await decide(id, { decision: 'not-a-concern' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ReviewOut).decision).toMatchObject({ outcome: 'not-a-concern', alertId: null });
    expect((await decide(id, { decision: 'not-a-concern' })).status).toBe(409);
    const audit = await env.DB.prepare("SELECT * FROM audit_log WHERE action = 'reviews.decide' AND subject_ids LIKE ?1").bind(`%${id}%`).all();
    expect(audit.results).toHaveLength(1);
    expect(JSON.stringify(audit.results)).not.toMatch(/scared|Grace/);
    const label = await env.DB.prepare('SELECT record FROM labels WHERE id = ?1').bind(`review:${id}`).first<{ record: string }>();
    const record = JSON.parse(label!.record);
    expect(record).toMatchObject({ triage: 'clear', disclosure: null, pii: [], decided: ['triage', 'disclosure'] });
    expect(record.text).not.toContain('Grace');
    expect(record.text).toContain('scared');
  });

  it('"escalate" raises an alert through the alert service, due an hour from the decision', async () => {
    const { id: responseId } = await submitForReview(`he hurts me ${MARK}`);
    const id = await itemOf(responseId);
    expect((await decide(id, { decision: 'escalate' })).status).toBe(400); // the concern names no category
    const before = Date.now();
    const res = await decide(id, { decision: 'escalate', category: 'harm-by-others' });
    expect(res.status).toBe(200);
    const { decision } = (await res.json()) as ReviewOut;
    const alert = await env.DB.prepare('SELECT category, current, created_at, due_at, source FROM safeguarding_alerts WHERE id = ?1')
      .bind(decision!.alertId)
      .first<{ category: string; created_at: string; due_at: string; source: string }>();
    expect(alert).toMatchObject({ category: 'harm-by-others', source: 'review' });
    expect(Date.parse(alert!.created_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(alert!.due_at) - Date.parse(alert!.created_at)).toBe(3600_000);
    const shown = (await (await api(`/api/v1/safeguarding/alerts/${decision!.alertId}`, { key: KEYS.safeguarding })).json()) as { text: string };
    expect(shown.text).toContain('he hurts me');
    const label = JSON.parse((await env.DB.prepare('SELECT record FROM labels WHERE id = ?1').bind(`review:${id}`).first<{ record: string }>())!.record);
    expect(label).toMatchObject({ triage: 'alert', disclosure: { category: 'harm-by-others' } });
  });

  it('"needs a conversation with the child’s worker" needs a contact reference (400 without one)', async () => {
    const { id: without } = await submitForReview(`no one listens ${MARK}`);
    const res = await decide(await itemOf(without), { decision: 'worker-conversation' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { fields: { path: string }[] } }).error.fields[0]!.path).toBe('decision');
    const { id: withRef } = await submitForReview(`no one listens ${MARK}`, { link: await linkWithContactRef() });
    expect((await decide(await itemOf(withRef), { decision: 'worker-conversation' }, KEYS.safeguarding)).status).toBe(200);
  });

  it('names each bad field', async () => {
    const res = await decide(crypto.randomUUID(), { decision: 'maybe', category: 'x' });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path).sort();
    expect(fields).toEqual(['category', 'decision']);
  });
});

describe('retention', () => {
  it('deletes the sealed words 30 days after the decision, keeping the decision', async () => {
    const { id: responseId } = await submitForReview(`keep me a month ${MARK}`);
    const id = (await reviewFor(responseId)).results[0]!.id;
    expect((await api(`/api/v1/safeguarding/reviews/${id}/decision`, { method: 'POST', key: REVIEWER, json: { decision: 'not-a-concern' } })).status).toBe(200);
    await runScheduledTasks(env.DB, new Date(Date.now() + 29 * 86_400_000));
    expect((await reviewFor(responseId)).results[0]!.text_sealed).not.toBeNull();
    const ran = await runScheduledTasks(env.DB, new Date(Date.now() + 31 * 86_400_000));
    expect(ran.reviewWordsDeleted).toBeGreaterThanOrEqual(1);
    const row = await env.DB.prepare('SELECT text_sealed, evidence_sealed, decision FROM review_items WHERE id = ?1').bind(id).first();
    expect(row).toEqual({ text_sealed: null, evidence_sealed: null, decision: 'not-a-concern' });
    const shown = (await (await api(`/api/v1/safeguarding/reviews/${id}`, { key: REVIEWER })).json()) as ReviewOut;
    expect(shown).toMatchObject({ text: null, wordsKept: false, decision: { outcome: 'not-a-concern' } });
  });
});

describe('GET /api/v1/labels.jsonl', () => {
  it('exports redacted labels in the fixtures’ format to a safeguarding lead or admin, and to nobody else', async () => {
    const { id: responseId } = await submitForReview(`call me on 07700 900123 ${MARK}`);
    const id = (await reviewFor(responseId)).results[0]!.id;
    await api(`/api/v1/safeguarding/reviews/${id}/decision`, { method: 'POST', key: REVIEWER, json: { decision: 'not-a-concern' } });
    for (const key of [REVIEWER, KEYS.scrutineer, KEYS.policeLead]) expect((await api('/api/v1/labels.jsonl', { key })).status).toBe(403);
    for (const key of [KEYS.safeguarding, KEYS.admin]) {
      const res = await api('/api/v1/labels.jsonl', { key });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/x-ndjson');
      const body = await res.text();
      expect(body).not.toContain('07700');
      const lines = body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const mine = lines.find((l) => l.id === `review:${id}`)!;
      for (const field of ['id', 'respondent', 'age_band', 'service', 'text', 'themes', 'sentiment', 'disclosure', 'pii']) expect(mine).toHaveProperty(field);
    }
  });

  it('keeps an alert acknowledged as a false alarm as a clear label (outcome id false-alarm)', async () => {
    const res = await api('/api/v1/surveys/after-visit/responses', {
      method: 'POST',
      json: { id: crypto.randomUUID(), answers: { visit: 1, better: 'my step dad hits me when mum is out' } },
    });
    expect(res.status).toBe(201);
    const alert = await env.DB.prepare("SELECT id FROM safeguarding_alerts WHERE status = 'new' ORDER BY created_at DESC LIMIT 1").first<{ id: string }>();
    const lead = await findKey(env.DB, 'demo', '00000000-0000-4000-8000-00000000000d');
    // The acknowledgement outcomes are another change's; the hook is keyed on the outcome id.
    await acknowledgeAlert(env, lead!, alert!.id, { actionTaken: 'false-alarm' as never, note: '' });
    const label = await env.DB.prepare('SELECT record FROM labels WHERE id = ?1').bind(`alert:${alert!.id}:0`).first<{ record: string }>();
    expect(JSON.parse(label!.record)).toMatchObject({ triage: 'clear', disclosure: null, text: 'my step dad hits me when mum is out' });
  });
});

describe('Workers AI second opinion', () => {
  /** A stand-in for the `AI` binding: replies recorded from the model, in order, or a failure. */
  const fakeAi = (replies: (unknown | Error | 'hang')[]): AiBinding & { calls: string[] } => {
    const calls: string[] = [];
    return {
      calls,
      async run(model: string) {
        calls.push(model);
        const next = replies.shift();
        if (next === 'hang') return new Promise(() => {});
        if (next instanceof Error) throw next;
        return next;
      },
    };
  };
  const recorded = (verdict: object) => ({ response: `Here is my answer:\n${JSON.stringify(verdict)}` });

  it('raises a clear answer to review, sealed, with source ai:<model>', async () => {
    const AI = fakeAi([recorded({ triage: 'alert', category: 'neglect', evidence: 'no food' })]);
    const { id, outcome } = await submitForReview('the worker came late and we waited a while', { envExtra: { AI } });
    expect(outcome.flagged).toBe(false);
    await settle();
    expect(AI.calls).toEqual([AI_MODEL]);
    const { results } = await reviewFor(id);
    expect(results).toHaveLength(1);
    expect(results[0]!.source).toBe(`ai:${AI_MODEL}`);
    expect(results[0]!.text_sealed).not.toContain('late');
  });

  it('raises a review to an alert, and never clears one', async () => {
    const raise = fakeAi([recorded({ triage: 'alert', category: 'harm-by-others', evidence: 'hits' })]);
    const { id } = await submitForReview(`he hits me ${MARK}`, { envExtra: { AI: raise } });
    await settle();
    const review = await env.DB.prepare('SELECT decision, decided_by, alert_id FROM review_items WHERE response_id = ?1')
      .bind(id)
      .first<{ alert_id: string }>();
    expect(review).toMatchObject({ decision: 'escalate', decided_by: `ai:${AI_MODEL}` });
    expect(await env.DB.prepare('SELECT source FROM safeguarding_alerts WHERE id = ?1').bind(review!.alert_id).first()).toEqual({ source: `ai:${AI_MODEL}` });

    const clearing = fakeAi([recorded({ triage: 'clear', category: null, evidence: '' })]);
    const { id: kept } = await submitForReview(`scared ${MARK}`, { envExtra: { AI: clearing } });
    await settle();
    expect(await env.DB.prepare('SELECT status FROM review_items WHERE response_id = ?1').bind(kept).first()).toEqual({ status: 'open' });
  });

  it('without the binding, calls nothing and changes nothing', async () => {
    const { id } = await submitForReview('the worker came late and we waited a while');
    await settle();
    expect(await countRows('SELECT count(*) AS n FROM review_items WHERE response_id = ?1', id)).toBe(0);
  });

  it('a failing call or an unreadable reply loses nothing: the answer is stored and stays as it was', async () => {
    const AI = fakeAi([new Error('3040: capacity'), { response: 'I cannot help with that.' }]);
    const first = await submitForReview('the worker came late', { envExtra: { AI } });
    const second = await submitForReview('the worker came late again', { envExtra: { AI } });
    await settle();
    expect(AI.calls).toHaveLength(2);
    for (const { id } of [first, second]) {
      expect(await countRows('SELECT count(*) AS n FROM responses WHERE id = ?1', id)).toBe(1);
      expect(await countRows('SELECT count(*) AS n FROM review_items WHERE response_id = ?1', id)).toBe(0);
    }
  });

  it('a slow call is abandoned after the timeout', async () => {
    const AI = fakeAi(['hang']);
    const { id, survey } = await submitForReview('nothing to see');
    const response = await env.DB.prepare('SELECT id FROM responses WHERE id = ?1').bind(id).first();
    expect(response).not.toBeNull();
    const started = Date.now();
    const stored = { id, partnershipId: 'demo', surveyId: 'after-visit', partnerId: null, serviceId: null, linkId: null, receivedDay: '2025-01-01' };
    const result = await secondOpinion(
      { ...env, AI } as unknown as Env,
      { response: stored as never, def: survey.definition, texts: { better: 'nothing to see' }, prepared: { flaggedText: [], reviewText: [] } },
      { timeoutMs: 50 },
    );
    expect(result.raised).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
