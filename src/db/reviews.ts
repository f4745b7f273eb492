import type { DisclosureCategory } from '../domain/analysis';

/**
 * The review queue (migration 0016): answers whose triage is `review`, sealed, each read and
 * decided by a reviewer or safeguarding lead within one working day.
 */

export type ReviewDecision = 'not-a-concern' | 'escalate' | 'worker-conversation';
export type ReviewStatus = 'open' | 'decided';

/** A review item as raised, sealed. */
export interface NewReview {
  id: string;
  partnershipId: string;
  responseId: string;
  questionId: string;
  /** Keyed hash of the words (lib/keyed-hash.ts): the same words for the same answer are one item. */
  textHash: string;
  surveyId: string;
  partnerId: string | null;
  serviceId: string | null;
  linkId: string | null;
  receivedDay: string;
  category: DisclosureCategory | null;
  /** rules, model, or ai:<model id>. */
  source: string;
  evidenceSealed: string;
  textSealed: string;
  createdAt: string;
  dueAt: string;
}

const reviewColumns = (r: NewReview) =>
  [
    r.id,
    r.partnershipId,
    r.responseId,
    r.questionId,
    r.textHash,
    r.surveyId,
    r.partnerId,
    r.serviceId,
    r.linkId,
    r.receivedDay,
    r.category,
    r.source,
    r.evidenceSealed,
    r.textSealed,
    r.createdAt,
    r.dueAt,
  ] as const;

const INSERT = `INSERT INTO review_items (id, partnership_id, response_id, question_id, text_hash, survey_id, partner_id, service_id, link_id,
                                          received_day, category, source, evidence_sealed, text_sealed, created_at, due_at)`;

/**
 * Queues a review item only if the response `r.responseId` with `fingerprint` is stored: batched
 * after the response insert, so the item and its response are written together or not at all, and
 * the unique key makes a retried or concurrent duplicate a no-op.
 */
export const insertReviewStatement = (db: D1Database, r: NewReview, fingerprint: string) =>
  db
    .prepare(
      `${INSERT}
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16
       WHERE EXISTS (SELECT 1 FROM responses WHERE id = ?3 AND fingerprint = ?17)
       ON CONFLICT (response_id, question_id, text_hash) DO NOTHING`,
    )
    .bind(...reviewColumns(r), fingerprint);

/**
 * A review item raised before its response exists (a chat reply, as it is typed) or after it is
 * stored (a second opinion): one statement; the same words for the same answer again are a no-op.
 */
export const insertLooseReviewStatement = (db: D1Database, r: NewReview) =>
  db
    .prepare(
      `${INSERT}
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
       ON CONFLICT (response_id, question_id, text_hash) DO NOTHING`,
    )
    .bind(...reviewColumns(r));

/** A review item as stored, still sealed (the words are null once deleted after the decision). */
export interface StoredReview {
  id: string;
  partnershipId: string;
  responseId: string;
  questionId: string;
  surveyId: string;
  audience: string | null;
  ageBand: string | null;
  partner: { id: string; name: string | null } | null;
  service: { id: string; name: string | null } | null;
  linkId: string | null;
  contactRefSealed: string | null;
  receivedDay: string;
  category: DisclosureCategory | null;
  source: string;
  evidenceSealed: string | null;
  textSealed: string | null;
  createdAt: string;
  dueAt: string;
  status: ReviewStatus;
  decision: ReviewDecision | null;
  decidedAt: string | null;
  decidedBy: { keyId: string; label: string | null } | null;
  alertId: string | null;
}

interface ReviewRow {
  id: string;
  partnership_id: string;
  response_id: string;
  question_id: string;
  survey_id: string;
  audience: string | null;
  age_band: string | null;
  partner_id: string | null;
  partner_name: string | null;
  service_id: string | null;
  service_name: string | null;
  link_id: string | null;
  contact_ref_sealed: string | null;
  received_day: string;
  category: DisclosureCategory | null;
  source: string;
  evidence_sealed: string | null;
  text_sealed: string | null;
  created_at: string;
  due_at: string;
  status: ReviewStatus;
  decision: ReviewDecision | null;
  decided_at: string | null;
  decided_by: string | null;
  decided_by_label: string | null;
  alert_id: string | null;
}

// Joins stay inside the item's own partnership.
const SELECT_REVIEWS = `
  SELECT r.id, r.partnership_id, r.response_id, r.question_id, r.survey_id, resp.audience, resp.age_band,
         r.partner_id, p.name AS partner_name, r.service_id, s.name AS service_name, r.link_id, l.contact_ref_sealed,
         r.received_day, r.category, r.source, r.evidence_sealed, r.text_sealed, r.created_at, r.due_at, r.status,
         r.decision, r.decided_at, r.decided_by, k.label AS decided_by_label, r.alert_id
  FROM review_items r
  LEFT JOIN responses resp ON resp.id = r.response_id AND resp.partnership_id = r.partnership_id
  LEFT JOIN partners p ON p.id = r.partner_id AND p.partnership_id = r.partnership_id
  LEFT JOIN services s ON s.id = r.service_id AND s.partnership_id = r.partnership_id
  LEFT JOIN feedback_links l ON l.id = r.link_id AND l.partnership_id = r.partnership_id
  LEFT JOIN api_keys k ON k.id = r.decided_by AND k.partnership_id = r.partnership_id`;

const toReview = (r: ReviewRow): StoredReview => ({
  id: r.id,
  partnershipId: r.partnership_id,
  responseId: r.response_id,
  questionId: r.question_id,
  surveyId: r.survey_id,
  audience: r.audience,
  ageBand: r.age_band,
  partner: r.partner_id ? { id: r.partner_id, name: r.partner_name } : null,
  service: r.service_id ? { id: r.service_id, name: r.service_name } : null,
  linkId: r.link_id,
  contactRefSealed: r.contact_ref_sealed,
  receivedDay: r.received_day,
  category: r.category,
  source: r.source,
  evidenceSealed: r.evidence_sealed,
  textSealed: r.text_sealed,
  createdAt: r.created_at,
  dueAt: r.due_at,
  status: r.status,
  decision: r.decision,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by ? { keyId: r.decided_by, label: r.decided_by_label } : null,
  alertId: r.alert_id,
});

export type ReviewFilter = 'open' | 'decided' | 'all';

/** The partnership's review items: open ones first, soonest due first; decided ones after, most recent first. */
export async function listReviews(db: D1Database, partnershipId: string, filter: ReviewFilter, limit: number): Promise<StoredReview[]> {
  const { results } = await db
    .prepare(
      `${SELECT_REVIEWS}
       WHERE r.partnership_id = ?1 AND (?2 = 'all' OR r.status = ?2)
       ORDER BY r.status = 'decided', CASE WHEN r.status = 'decided' THEN r.decided_at END DESC, r.due_at ASC, r.id
       LIMIT ?3`,
    )
    .bind(partnershipId, filter, limit)
    .all<ReviewRow>();
  return results.map(toReview);
}

export async function findReview(db: D1Database, partnershipId: string, id: string): Promise<StoredReview | null> {
  const row = await db.prepare(`${SELECT_REVIEWS} WHERE r.partnership_id = ?1 AND r.id = ?2`).bind(partnershipId, id).first<ReviewRow>();
  return row ? toReview(row) : null;
}

/** The open review item for one answer, if any (a second opinion escalates it rather than raising another). */
export async function findOpenReviewFor(db: D1Database, responseId: string, questionId: string): Promise<StoredReview | null> {
  const row = await db
    .prepare(`${SELECT_REVIEWS} WHERE r.response_id = ?1 AND r.question_id = ?2 AND r.status = 'open' ORDER BY r.created_at LIMIT 1`)
    .bind(responseId, questionId)
    .first<ReviewRow>();
  return row ? toReview(row) : null;
}

/** Records the decision unless the item already has one; batch what depends on it after (they check `changes()`). */
export const decideReviewStatement = (
  db: D1Database,
  partnershipId: string,
  id: string,
  d: { decision: ReviewDecision; at: string; by: string; alertId: string | null },
) =>
  db
    .prepare(
      `UPDATE review_items SET status = 'decided', decision = ?3, decided_at = ?4, decided_by = ?5, alert_id = ?6
       WHERE partnership_id = ?1 AND id = ?2 AND status = 'open'`,
    )
    .bind(partnershipId, id, d.decision, d.at, d.by, d.alertId);

/** How long a decided item's sealed words are kept. */
export const REVIEW_WORDS_KEEP_DAYS = 30;

/** Deletes the sealed words (text and evidence) of every item decided {@link REVIEW_WORDS_KEEP_DAYS} or more days ago; the decision stays. */
export async function deleteExpiredReviewWords(db: D1Database, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - REVIEW_WORDS_KEEP_DAYS * 86_400_000).toISOString();
  const result = await db
    .prepare(
      `UPDATE review_items SET text_sealed = NULL, evidence_sealed = NULL
       WHERE status = 'decided' AND decided_at <= ?1 AND (text_sealed IS NOT NULL OR evidence_sealed IS NOT NULL)`,
    )
    .bind(cutoff)
    .run();
  return result.meta.changes;
}

/** Open review items due within the next day: what the morning digest email counts (never their words). */
export async function countReviewsDueSoon(db: D1Database, partnershipId: string, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + 24 * 3600 * 1000).toISOString();
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM review_items WHERE partnership_id = ?1 AND status = 'open' AND due_at <= ?2`)
    .bind(partnershipId, horizon)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
