import type { AgeBand, Audience } from '../schemas/common';

/** A response as stored: free text only in redacted form, the day only, nothing about the device. */
export interface StoredResponse {
  id: string;
  partnershipId: string;
  surveyId: string;
  surveyVersion: number;
  audience: Audience;
  partnerId: string | null;
  serviceId: string | null;
  linkId: string | null;
  contactType: string | null;
  receivedDay: string;
  ageBand: AgeBand | null;
  lang: string;
  answers: Record<string, unknown>;
  analysis: Record<string, unknown>;
  rating: number | null;
  sentiment: string | null;
  themes: Record<string, string>;
  flagged: boolean;
  fingerprint: string;
  /** Per-question metric names for the rollups (domain/question-results.ts); absent in queue messages from before 0025. */
  answerMetrics?: string[];
}

interface ResponseRow {
  id: string;
  partnership_id: string;
  survey_id: string;
  survey_version: number;
  audience: Audience;
  partner_id: string | null;
  service_id: string | null;
  link_id: string | null;
  contact_type: string | null;
  received_day: string;
  age_band: AgeBand | null;
  lang: string;
  answers: string;
  analysis: string;
  rating: number | null;
  sentiment: string | null;
  themes: string;
  flagged: number;
  fingerprint: string;
}

const toResponse = (r: ResponseRow): StoredResponse => ({
  id: r.id,
  partnershipId: r.partnership_id,
  surveyId: r.survey_id,
  surveyVersion: r.survey_version,
  audience: r.audience,
  partnerId: r.partner_id,
  serviceId: r.service_id,
  linkId: r.link_id,
  contactType: r.contact_type,
  receivedDay: r.received_day,
  ageBand: r.age_band,
  lang: r.lang,
  answers: JSON.parse(r.answers),
  analysis: JSON.parse(r.analysis),
  rating: r.rating,
  sentiment: r.sentiment,
  themes: JSON.parse(r.themes),
  flagged: r.flagged === 1,
  fingerprint: r.fingerprint,
});

export async function findResponse(db: D1Database, id: string): Promise<StoredResponse | null> {
  const row = await db.prepare('SELECT * FROM responses WHERE id = ?1').bind(id).first<ResponseRow>();
  return row ? toResponse(row) : null;
}

/** Only the fingerprint: enough to tell a retry (same) from a conflict (different). */
export async function findResponseFingerprint(db: D1Database, id: string): Promise<string | null> {
  const row = await db.prepare('SELECT fingerprint FROM responses WHERE id = ?1').bind(id).first<{ fingerprint: string }>();
  return row?.fingerprint ?? null;
}

/**
 * Stores a response unless its id exists or its link is no longer usable (expired, or a single-use
 * link already used), in one statement: nothing is half-written. Returns whether it was stored.
 */
export function insertResponseStatement(db: D1Database, r: StoredResponse, now: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO responses (id, partnership_id, survey_id, survey_version, audience, partner_id, service_id, link_id, contact_type,
                              received_day, age_band, lang, answers, analysis, rating, sentiment, flagged, fingerprint, themes, answer_metrics)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?20, ?21
       WHERE ?8 IS NULL OR EXISTS (
         SELECT 1 FROM feedback_links l WHERE l.id = ?8 AND l.expires_at > ?19 AND (l.single_use = 0 OR l.uses = 0)
       )
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      r.id,
      r.partnershipId,
      r.surveyId,
      r.surveyVersion,
      r.audience,
      r.partnerId,
      r.serviceId,
      r.linkId,
      r.contactType,
      r.receivedDay,
      r.ageBand,
      r.lang,
      JSON.stringify(r.answers),
      JSON.stringify(r.analysis),
      r.rating,
      r.sentiment,
      r.flagged ? 1 : 0,
      r.fingerprint,
      now,
      JSON.stringify(r.themes),
      JSON.stringify(r.answerMetrics ?? []),
    );
}

export interface QuoteFilter {
  partnerId?: string;
  serviceId?: string;
  surveyId?: string;
  audience?: string;
  ageBand?: string;
}

/**
 * Redacted free-text answers to quote, newest first, with the themes each raised. Never from a
 * flagged response, and without the day, service or age band they came with.
 */
export async function findQuoteCandidates(
  db: D1Database,
  partnershipId: string,
  fromDay: string,
  toDay: string,
  filter: QuoteFilter,
  limit = 100,
): Promise<{ themes: string[]; text: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT answers, analysis FROM responses
       WHERE partnership_id = ?1 AND received_day >= ?2 AND received_day <= ?3 AND flagged = 0 AND themes != '{}'
         AND (?4 IS NULL OR partner_id = ?4) AND (?5 IS NULL OR service_id = ?5) AND (?6 IS NULL OR survey_id = ?6)
         AND (?7 IS NULL OR audience = ?7) AND (?8 IS NULL OR age_band = ?8)
       ORDER BY received_day DESC
       LIMIT ?9`,
    )
    .bind(
      partnershipId,
      fromDay,
      toDay,
      filter.partnerId ?? null,
      filter.serviceId ?? null,
      filter.surveyId ?? null,
      filter.audience ?? null,
      filter.ageBand ?? null,
      limit,
    )
    .all<{ answers: string; analysis: string }>();
  const quotes: { themes: string[]; text: string }[] = [];
  for (const row of results) {
    const answers = JSON.parse(row.answers) as Record<string, unknown>;
    const analysis = JSON.parse(row.analysis) as Record<string, { themes: { id: string }[]; disclosure: unknown }>;
    for (const [questionId, found] of Object.entries(analysis)) {
      const text = answers[questionId];
      if (typeof text !== 'string' || found.disclosure || found.themes.length === 0) continue;
      quotes.push({ themes: found.themes.map((t) => t.id), text });
    }
  }
  return quotes;
}

/** A response as re-analysis reads it: the stored JSON kept as text, so an update can check nothing changed meanwhile. */
export interface AnalysisRow {
  id: string;
  answers: string;
  analysis: string;
  rating: number | null;
  sentiment: string | null;
  themes: string;
}

/** Up to `limit` of a partnership's responses in id order, after `afterId` when given. */
export async function listAnalysisRows(db: D1Database, partnershipId: string, afterId: string | null, limit: number): Promise<AnalysisRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, answers, analysis, rating, sentiment, themes FROM responses
       WHERE partnership_id = ?1 AND (?2 IS NULL OR id > ?2)
       ORDER BY id
       LIMIT ?3`,
    )
    .bind(partnershipId, afterId, limit)
    .all<AnalysisRow>();
  return results;
}

export interface AnalysisUpdate {
  id: string;
  /** The row as read: the update applies only if it is still so. */
  was: Pick<AnalysisRow, 'analysis' | 'themes' | 'sentiment'>;
  analysis: string;
  themes: string;
  sentiment: string | null;
}

/**
 * Writes new analyses in one statement (a JSON list, so a batch of 200 is one query, not 200).
 * A row changed since it was read is left alone. The rollups follow by trigger for a response
 * already folded into them, in the same statement; a pending one is counted as it is when folded (0027).
 * Returns the ids updated.
 */
export async function updateAnalyses(db: D1Database, partnershipId: string, updates: AnalysisUpdate[]): Promise<string[]> {
  if (updates.length === 0) return [];
  const { results } = await db
    .prepare(
      `UPDATE responses
       SET analysis = json_extract(u.value, '$.analysis'), themes = json_extract(u.value, '$.themes'), sentiment = json_extract(u.value, '$.sentiment')
       FROM json_each(?2) AS u
       WHERE responses.id = json_extract(u.value, '$.id') AND responses.partnership_id = ?1
         AND responses.analysis = json_extract(u.value, '$.was.analysis') AND responses.themes = json_extract(u.value, '$.was.themes')
         AND responses.sentiment IS json_extract(u.value, '$.was.sentiment')
       RETURNING responses.id`,
    )
    .bind(partnershipId, JSON.stringify(updates))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}
