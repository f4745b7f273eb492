import { insertRaisedAlertStatements } from '../db/alerts';
import { insertAuditStatement } from '../db/audit';
import type { ApiKey } from '../db/keys';
import { decideReviewStatement, findReview, listReviews, type NewReview, type ReviewDecision, type ReviewFilter, type StoredReview } from '../db/reviews';
import type { DisclosureCategory } from '../domain/analysis';
import type { Concern } from '../domain/analysis/types';
import type { Judgement } from '../domain/labels';
import { oneWorkingDayAfter } from '../domain/working-days';
import { newId } from '../lib/crypto';
import { conflict, invalid, notFound } from '../lib/errors';
import { keyedHash } from '../lib/keyed-hash';
import { seal, unsealJoined } from '../lib/seal';
import { nowIso } from '../lib/time';
import type { AlertRaised } from './alert-webhook';
import { newAlert, type AlertPlace } from './alerts';
import { recordLabel } from './labels';

/**
 * The review queue as use cases: raising an item for an answer whose triage is `review` (sealed,
 * due in one working day), and a reviewer or safeguarding lead reading and deciding it, audited
 * first. The API and the dashboard share these.
 */

/** Who raised a review item or alert: the rules, the embedded model, or Workers AI (`ai:<model id>`). */
export type TriageSource = 'rules' | 'model' | `ai:${string}`;

/**
 * A new review item for one answer: its words and the concern's evidence sealed with ALERT_KEY,
 * due one working day (England and Wales) after `now`. Intake, the chat and the second opinion
 * all raise items through this.
 */
export async function newReview(
  secret: string,
  place: AlertPlace,
  answer: { responseId: string; questionId: string; text: string; concern: Concern },
  now: Date,
  source: TriageSource,
): Promise<NewReview> {
  return {
    id: newId(),
    partnershipId: place.partnershipId,
    responseId: answer.responseId,
    questionId: answer.questionId,
    textHash: await keyedHash(secret, ['review', answer.responseId, answer.questionId, answer.text]),
    surveyId: place.surveyId,
    partnerId: place.partnerId,
    serviceId: place.serviceId,
    linkId: place.linkId,
    receivedDay: place.receivedDay,
    category: answer.concern.category,
    source,
    evidenceSealed: await seal(secret, answer.concern.evidence),
    textSealed: await seal(secret, answer.text),
    createdAt: now.toISOString(),
    dueAt: oneWorkingDayAfter(now).toISOString(),
  };
}

/** The queue, unsealed. Audited before anything is shown: a read that can't be audited doesn't happen. */
export async function readReviews(env: Env, key: ApiKey, status: ReviewFilter, limit: number) {
  const reviews = await listReviews(env.DB, key.partnershipId, status, limit);
  await insertAuditStatement(
    env.DB,
    key,
    'reviews.list',
    reviews.map((r) => r.id),
    nowIso(),
  ).run();
  return Promise.all(reviews.map((r) => reviewView(env.ALERT_KEY, r, new Date())));
}

/** One item, unsealed, audited first. */
export async function readReview(env: Env, key: ApiKey, id: string) {
  const review = await findReview(env.DB, key.partnershipId, id);
  if (!review) throw notFound('review item');
  await insertAuditStatement(env.DB, key, 'reviews.read', [review.id], nowIso()).run();
  return reviewView(env.ALERT_KEY, review, new Date());
}

export interface DecideInput {
  decision: ReviewDecision;
  /** For an escalation of an item whose concern names no kind of harm: the alert's category. */
  category?: DisclosureCategory | undefined;
}

/**
 * Records a decision, audited in the same batch. "escalate" raises an alert through the alert
 * service, its one-hour clock starting now; "worker-conversation" needs a contact reference.
 * Each decision is also kept as a label (the redacted text with what was decided).
 */
export async function decideReview(env: Env, key: ApiKey, id: string, input: DecideInput): Promise<{ review: ReviewView; alert?: AlertRaised }> {
  const db = env.DB;
  const review = await findReview(db, key.partnershipId, id);
  if (!review) throw notFound('review item');
  if (review.status === 'decided') throw alreadyDecided();
  const secret = env.ALERT_KEY;
  const [text, evidence, contactRef] = await Promise.all([
    open(secret, review.textSealed, review.id),
    open(secret, review.evidenceSealed, review.id),
    open(secret, review.contactRefSealed, review.id),
  ]);
  if (input.decision === 'worker-conversation' && !contactRef) {
    throw invalid([{ path: 'decision', message: 'needs a contact reference: this answer did not come through a link that has one' }]);
  }
  const category = input.category ?? review.category;
  if (input.decision === 'escalate' && !category) throw invalid([{ path: 'category', message: 'is needed to escalate: the concern names no kind of harm' }]);
  if (input.decision === 'escalate' && text === null)
    throw conflict('words_unavailable', 'The words could not be opened, so they cannot be passed on as an alert.');

  const now = new Date();
  const at = now.toISOString();
  const alert =
    input.decision === 'escalate'
      ? await newAlert(
          secret,
          { ...review, partnerId: review.partner?.id ?? null, serviceId: review.service?.id ?? null },
          { category: category!, current: true },
          { text: text!, evidence: evidence ?? '' },
          now,
          newId(),
        )
      : null;
  // The audit row is written only if the decision was (changes() = 1), and the alert only if the audit row was.
  const [decided] = await db.batch([
    decideReviewStatement(db, key.partnershipId, id, { decision: input.decision, at, by: key.id, alertId: alert?.id ?? null }),
    insertAuditStatement(db, key, 'reviews.decide', alert ? [id, alert.id] : [id], at, { onlyIfChanged: true }),
    ...(alert ? insertRaisedAlertStatements(db, alert, 'review') : []),
  ]);
  if (decided!.meta.changes !== 1) throw alreadyDecided();
  if (text !== null) await recordLabel(db, review.partnershipId, 'review', text, judgementOf(input.decision, category), labelContext(review));
  const view = await reviewView(secret, (await findReview(db, key.partnershipId, id))!, now);
  return alert ? { review: view, alert: { id: alert.id, partnershipId: alert.partnershipId, category: alert.category, current: true } } : { review: view };
}

const judgementOf = (decision: ReviewDecision, category: DisclosureCategory | null): Judgement =>
  decision === 'escalate'
    ? { triage: 'alert', category: category! }
    : decision === 'worker-conversation'
      ? { triage: 'review', category }
      : { triage: 'clear' };

export const labelContext = (r: Pick<StoredReview, 'id' | 'audience' | 'ageBand' | 'service'>) => ({
  id: `review:${r.id}`,
  respondent: r.audience,
  ageBand: r.ageBand,
  service: r.service?.id ?? null,
});

const alreadyDecided = () => conflict('already_decided', 'This review item has already been decided.');

export type ReviewView = Awaited<ReturnType<typeof reviewView>>;

/** The item as a reviewer reads it: unsealed, with whether it is overdue right now. */
async function reviewView(secret: string, r: StoredReview, now: Date) {
  const [text, evidence, contactRef] = await Promise.all([
    open(secret, r.textSealed, r.id),
    open(secret, r.evidenceSealed, r.id),
    open(secret, r.contactRefSealed, r.id),
  ]);
  return {
    id: r.id,
    category: r.category,
    evidence,
    text,
    /** False once the words are deleted, 30 days after the decision. */
    wordsKept: r.textSealed !== null,
    source: r.source,
    survey: { id: r.surveyId },
    partner: r.partner,
    service: r.service,
    contactRef,
    day: r.receivedDay,
    receivedAt: r.createdAt,
    dueAt: r.dueAt,
    overdue: r.status === 'open' && r.dueAt <= now.toISOString(),
    status: r.status,
    decision: r.decision ? { outcome: r.decision, at: r.decidedAt!, by: r.decidedBy, alertId: r.alertId } : null,
  };
}

/** A sealed value, or null when there is none or it won't open (ALERT_KEY rotated): the item still shows. */
async function open(secret: string, sealed: string | null, reviewId: string): Promise<string | null> {
  if (sealed === null) return null;
  try {
    return await unsealJoined(secret, sealed, '\n\n');
  } catch {
    console.error(`[heard] review ${reviewId}: a sealed field could not be opened (has ALERT_KEY changed?)`);
    return null;
  }
}
