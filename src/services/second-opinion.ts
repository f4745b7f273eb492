import { insertRaisedAlertStatements } from '../db/alerts';
import type { StoredResponse } from '../db/responses';
import { decideReviewStatement, findOpenReviewFor, insertLooseReviewStatement } from '../db/reviews';
import type { PreparedSubmission } from '../domain/intake';
import { messagesFor, parseVerdict, raiseTo, type Verdict } from '../domain/second-opinion';
import type { SurveyDefinition } from '../schemas/survey-definition';
import { newId } from '../lib/crypto';
import { announceAlert } from './alert-webhook';
import { newAlert } from './alerts';
import { newReview } from './reviews';

/**
 * The optional Workers AI second opinion (issue 12, item 4). With an `AI` binding, each free-text
 * answer is read again by a language model after the answer is stored, in `waitUntil`; the model
 * can only raise (clear to review, review to alert), and what it raises records its source as
 * `ai:<model id>`. Without the binding nothing runs. A failing or slow call changes nothing: the
 * answer is already stored. Its accuracy has not been measured.
 */

export const AI_MODEL = '@cf/meta/llama-3.1-8b-instruct-fp8-fast';
/** A model call slower than this is abandoned (the answer is stored already; nothing waits on it). */
export const AI_TIMEOUT_MS = 8_000;

/** The part of Cloudflare's `Ai` binding used here: `env.AI.run(model, inputs)`. */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

/** Work that must outlive the reply (the request's `executionCtx.waitUntil`). */
export type WaitUntil = (work: Promise<unknown>) => void;

/** Not in wrangler.toml by default (a local `npm start` has no Cloudflare account), so read through this. */
export const aiBinding = (env: Env): AiBinding | undefined => (env as Env & { AI?: AiBinding }).AI;

/** One model call: its verdict, or null when it failed, timed out or did not answer in our JSON. */
export async function askModel(ai: AiBinding, text: string, timeoutMs = AI_TIMEOUT_MS): Promise<Verdict | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const reply = await Promise.race([ai.run(AI_MODEL, { messages: messagesFor(text), max_tokens: 200, temperature: 0 }), timeout]);
    if (reply === 'timeout') {
      console.error(`[heard] second opinion: ${AI_MODEL} took longer than ${timeoutMs} ms; skipped`);
      return null;
    }
    return parseVerdict(reply);
  } catch (err) {
    // Logged without the text or the reply: either may hold a child's words.
    console.error(`[heard] second opinion: ${AI_MODEL} failed (${err instanceof Error ? err.name : 'non-error thrown'}); skipped`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads every free-text answer of a stored response again with the model, raising what it finds.
 * `texts` are the words as sent, held only in memory here: a raised review seals them now.
 */
export async function secondOpinion(
  env: Env,
  input: {
    response: StoredResponse;
    def: SurveyDefinition;
    texts: Record<string, string>;
    prepared: Pick<PreparedSubmission, 'flaggedText' | 'reviewText'>;
    waitUntil?: WaitUntil;
  },
  opts: { timeoutMs?: number; fetcher?: typeof fetch } = {},
): Promise<{ raised: { questionId: string; to: 'review' | 'alert' }[] }> {
  const ai = aiBinding(env);
  const raised: { questionId: string; to: 'review' | 'alert' }[] = [];
  if (!ai) return { raised };
  const { response, prepared } = input;
  const source = `ai:${AI_MODEL}` as const;
  for (const [questionId, text] of Object.entries(input.texts)) {
    // A withheld chat answer's words are in its alert or review already; the marker is not the words.
    if (prepared.flaggedText.some((f) => f.questionId === questionId)) continue;
    const current = prepared.reviewText.some((r) => r.questionId === questionId) ? 'review' : 'clear';
    const verdict = await askModel(ai, text, opts.timeoutMs);
    const to = verdict ? raiseTo(current, verdict) : null;
    if (!verdict || !to) continue;
    try {
      if (to === 'review') {
        const review = await newReview(
          env.ALERT_KEY,
          response,
          { responseId: response.id, questionId, text, concern: { category: verdict.category, evidence: verdict.evidence } },
          new Date(),
          source,
        );
        const result = await insertLooseReviewStatement(env.DB, review).run();
        if (result.meta.changes === 1) raised.push({ questionId, to });
      } else {
        const open = await findOpenReviewFor(env.DB, response.id, questionId);
        if (!open) continue;
        const now = new Date();
        const alert = await newAlert(
          env.ALERT_KEY,
          response,
          { category: verdict.category!, current: true },
          { text, evidence: verdict.evidence },
          now,
          newId(),
        );
        const [decided] = await env.DB.batch([
          decideReviewStatement(env.DB, response.partnershipId, open.id, { decision: 'escalate', at: now.toISOString(), by: source, alertId: alert.id }),
          ...insertRaisedAlertStatements(env.DB, alert, source),
        ]);
        if (decided!.meta.changes === 1) {
          raised.push({ questionId, to });
          const announcing = announceAlert(env, { id: alert.id, partnershipId: alert.partnershipId, category: alert.category, current: true }, opts.fetcher);
          if (input.waitUntil) input.waitUntil(announcing);
          else await announcing;
        }
      }
    } catch (err) {
      console.error(`[heard] second opinion: could not store what it raised (${err instanceof Error ? err.message : 'non-error thrown'})`);
    }
  }
  return { raised };
}
