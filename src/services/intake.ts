import type { NewAlert } from '../db/alerts';
import { findLinkByTokenHash, isUsable, type FeedbackLink } from '../db/links';
import { findResponse, type StoredResponse } from '../db/responses';
import type { SurveyWithDefinition } from '../db/surveys';
import { prepareSubmission, WITHHELD, type Analyse, type WithheldAnswers } from '../domain/intake';
import { answerMetrics } from '../domain/question-results';
import { checkAnswers, type Answers } from '../domain/survey';
import { newId, sha256Hex } from '../lib/crypto';
import { closedSurvey, conflict, invalid, linkUnusable } from '../lib/errors';
import type { AlertRaised } from './alert-webhook';
import { newAlert } from './alerts';
import { newReview } from './reviews';
import { secondOpinion, type WaitUntil } from './second-opinion';
import { ingestQueue, ingestStatements, type IngestMessage } from '../queue';
import { taxonomyFor } from './taxonomy';
import { alertFloodKey } from './alert-flood';
import { nowIso, today } from '../lib/time';
import type { ResponseSubmission } from '../schemas/api';

/** Public, unauthenticated routes a respondent's browser calls. */
/**
 * Intake as a use case: a response getting in, from the JSON API, the no-JavaScript form post, a
 * finished chat and the ingest queue's producer alike, and the feedback-link check they share.
 */

export interface Accepted {
  /** False when this was a retry of a response already stored. */
  created: boolean;
  /** Accepted onto the ingest queue rather than written: the consumer stores it shortly. */
  queued?: boolean;
  /** The analysis found a possible disclosure: answer with the signpost. */
  flagged: boolean;
  lang: string;
  /** Sent through a link with a contact reference: the respondent may be identified if there is a worry. */
  identifiable: boolean;
  /** The safeguarding alert this call raised, for the caller to announce; absent otherwise. */
  alert?: AlertRaised;
  /** How many answers this call put in the review queue (triage `review`). */
  reviews?: number;
}

/**
 * The one way a response gets in, from the JSON API, the form post and a finished conversation:
 * checks the answers against the survey, analyses and redacts free text, stores the response and
 * any safeguarding alert together, and treats a repeat of the same id and answers as a retry.
 * The caller has found the survey (404) and set CORS headers; this answers 410 when it has closed.
 *
 * `linkTokenHash` stands in for `submission.link` when the caller holds only the token's hash.
 * `alertAlreadyRaised`: a chat has already raised the alert for this response, with the original
 * text (its stored answers are redacted), so this one is flagged but raises none.
 * `withheld`: answers a chat already replaced with the withheld marker, with their analysis.
 * `sender`: the client address, used only in memory for alert flood control (services/alert-flood.ts).
 * `waitUntil`: where the Workers AI second opinion runs once the answer is stored, when `AI` is bound.
 * `analyse`: the text analysis; the pipeline's own unless a test swaps it.
 */
export async function acceptSubmission(
  env: Env,
  survey: SurveyWithDefinition,
  submission: ResponseSubmission,
  opts: {
    linkTokenHash?: string;
    alertAlreadyRaised?: boolean;
    withheld?: WithheldAnswers;
    sender?: string | undefined;
    waitUntil?: WaitUntil;
    analyse?: Analyse;
  } = {},
): Promise<Accepted> {
  const db = env.DB;
  if (survey.status === 'closed') throw closedSurvey();
  const def = survey.definition;

  const problems = checkAnswers(def, submission.answers);
  if (submission.lang && !def.languages.includes(submission.lang)) problems.push({ path: 'lang', message: `must be one of ${def.languages.join(', ')}` });
  if (submission.ageBand && !def.ageBands.includes(submission.ageBand))
    problems.push({ path: 'ageBand', message: `must be one of ${def.ageBands.join(', ')}` });
  if (problems.length) throw invalid(problems);

  const now = nowIso();
  const linkHash = submission.link ? await sha256Hex(submission.link) : opts.linkTokenHash;
  // The link and the partnership's own themes and synonyms (one small read, the compiled matcher
  // is cached) are independent: read together, in one wait.
  const [link, { taxonomy }] = await Promise.all([linkHash ? linkFor(db, linkHash, survey) : null, taxonomyFor(db, survey.partnershipId)]);
  const lang = submission.lang ?? 'en';
  const ageBand = submission.ageBand ?? (def.ageBands.length === 1 ? def.ageBands[0]! : null);
  const prepared = prepareSubmission(def, submission.answers as Answers, taxonomy, opts.withheld, opts.analyse);
  const fingerprint = await sha256Hex(JSON.stringify([survey.id, survey.definitionVersion, prepared.answers, lang, ageBand, link?.id ?? null]));

  const identifiable = link?.identifiable ?? false;
  // Usually no lookup before the write: the insert does nothing for an id already stored, so a new
  // response costs one round trip and a retry is told apart afterwards. Looked up first when the
  // link is already unusable (a retry of the response that used a single-use link is still a
  // retry), when an alert would be raised (its flood control counts in memory: not for a retry),
  // and when the queue takes the write (only a lookup can tell a retry of a stored response then).
  const queue = ingestQueue(env);
  const linkUsable = !link || isUsable(link, now);
  if (!linkUsable || prepared.disclosure || queue) {
    const earlier = await findResponse(db, submission.id);
    if (earlier) return sameOrConflict(earlier, fingerprint, survey.id, identifiable);
    if (!linkUsable) throw linkUnusable();
  }

  const response: StoredResponse = {
    id: submission.id,
    partnershipId: survey.partnershipId,
    surveyId: survey.id,
    surveyVersion: survey.definitionVersion,
    audience: survey.audience,
    partnerId: link?.partnerId ?? survey.partnerId,
    serviceId: link?.serviceId ?? null,
    linkId: link?.id ?? null,
    contactType: link?.contactType ?? null,
    receivedDay: today(),
    ageBand,
    lang,
    answers: prepared.answers,
    analysis: prepared.analysis,
    rating: prepared.rating,
    sentiment: prepared.sentiment,
    themes: prepared.themes,
    flagged: prepared.flagged,
    fingerprint,
    answerMetrics: answerMetrics(survey.id, def, prepared.answers),
  };
  const alertId = newId();
  const raising = prepared.disclosure !== null && !opts.alertAlreadyRaised;
  const secret = env.ALERT_KEY;
  const alertToRaise: NewAlert | null =
    prepared.disclosure && raising
      ? {
          ...(await newAlert(
            secret,
            response,
            prepared.disclosure,
            { text: prepared.flaggedText.map((f) => f.text).join('\n\n'), evidence: prepared.flaggedText.map((f) => f.disclosure.evidence).join('\n') },
            new Date(now),
            alertId,
          )),
          // Identical texts become one alert with a count; a burst from one address, one alert.
          ...(await alertFloodKey(
            secret,
            response,
            prepared.flaggedText.map((f) => f.text),
            opts.sender,
          )),
        }
      : null;
  // Answers for review: sealed like an alert's text, queued in the same batch as the response.
  const reviews = await Promise.all(prepared.reviewText.map((r) => newReview(secret, response, { responseId: response.id, ...r }, new Date(now), 'rules')));
  const message: IngestMessage = { v: 1, response, acceptedAt: now, alert: alertToRaise, ...(reviews.length ? { reviews } : {}) };
  // The second opinion sees the words only here, in memory, after the answer is safely stored.
  const askSecondOpinion = () => {
    if (opts.waitUntil)
      opts.waitUntil(secondOpinion(env, { response, def, texts: textAnswers(def, submission.answers as Answers), prepared, waitUntil: opts.waitUntil }));
  };

  // Queued mode: acknowledged once the queue holds it; the consumer writes it (and announces the alert).
  if (queue && (await enqueued(queue, message))) {
    askSecondOpinion();
    return { created: true, queued: true, flagged: response.flagged, lang, identifiable, ...(reviews.length ? { reviews: reviews.length } : {}) };
  }

  const [inserted, alerted] = await db.batch(ingestStatements(db, message));
  if (inserted!.meta.changes > 0) {
    askSecondOpinion();
    const alert =
      prepared.disclosure && alerted && alerted.meta.changes > 0
        ? { id: alertId, partnershipId: response.partnershipId, category: prepared.disclosure.category, current: prepared.disclosure.current }
        : undefined;
    return {
      created: true,
      flagged: response.flagged,
      lang,
      identifiable,
      ...(alert ? { alert } : {}),
      ...(reviews.length ? { reviews: reviews.length } : {}),
    };
  }

  // Nothing inserted: a retry or a concurrent duplicate, or the link was used meanwhile.
  const raced = await findResponse(db, submission.id);
  if (raced) return sameOrConflict(raced, fingerprint, survey.id, identifiable);
  throw linkUnusable();
}

/** The free-text answers as sent: question id to the words, which the second opinion reads in memory. */
function textAnswers(def: SurveyWithDefinition['definition'], answers: Answers): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const q of def.questions) {
    const value = answers[q.id];
    if (q.kind === 'text' && typeof value === 'string' && value.trim() !== '' && value !== WITHHELD) texts[q.id] = value;
  }
  return texts;
}

/** Sends to the ingest queue; false (and intake writes directly) if the queue refuses it. */
async function enqueued(queue: Queue<IngestMessage>, message: IngestMessage): Promise<boolean> {
  try {
    await queue.send(message, { contentType: 'json' });
    return true;
  } catch (err) {
    console.error('[heard] ingest queue refused a response; writing it directly:', err instanceof Error ? err.message : 'non-error thrown');
    return false;
  }
}

function sameOrConflict(earlier: StoredResponse, fingerprint: string, surveyId: string, identifiable: boolean): Accepted {
  if (earlier.fingerprint !== fingerprint || earlier.surveyId !== surveyId) {
    throw conflict('id_conflict', 'A different response was already sent with this id. Send a new id for a new response.');
  }
  return { created: false, flagged: earlier.flagged, lang: earlier.lang, identifiable };
}

/** The feedback link with this token hash, if it is one for this survey (400 naming `link` otherwise); usable or not. */
export async function linkFor(db: D1Database, tokenHash: string, survey: SurveyWithDefinition): Promise<FeedbackLink> {
  const link = await findLinkByTokenHash(db, tokenHash);
  if (!link || link.surveyId !== survey.id) throw invalid([{ path: 'link', message: 'is not a feedback link for this survey' }]);
  return link;
}
