import { Hono, type Context } from 'hono';
import type { NewAlert } from '../db/alerts';
import { findLinkByTokenHash, isUsable, type FeedbackLink } from '../db/links';
import { findResponse, type StoredResponse } from '../db/responses';
import { findPublishedSurvey, type SurveyWithDefinition } from '../db/surveys';
import { prepareSubmission, type WithheldAnswers } from '../domain/intake';
import { privacyFor, signpostFor } from '../domain/privacy';
import { checkAnswers, chooseAgeBand, isShown, resolveSurvey, type Answers } from '../domain/survey';
import type { AppEnv } from '../env';
import { newId, sha256Hex } from '../lib/crypto';
import { ApiError, conflict, gone, invalid, notFound } from '../lib/errors';
import { announceAlert, type AlertRaised } from '../services/alert-webhook';
import { newAlert } from '../services/alerts';
import { describe } from '../lib/openapi';
import { allowOrigin } from '../lib/origins';
import { ingestQueue, ingestStatements, type IngestMessage } from '../queue';
import { renderSurvey } from '../services/survey-page';
import { publishedSurvey, recentPublishedSurvey } from '../services/published-surveys';
import { taxonomyFor } from '../services/taxonomy';
import { alertFloodKey } from '../services/alert-flood';
import { nowIso, today } from '../lib/time';
import { parseOrThrow, readJson, readText, validate } from '../lib/validate';
import { ResponseAcceptedSchema, ResponseSubmissionSchema, SurveyQuerySchema, type ResponseSubmission } from '../schemas/api';

/** Public, unauthenticated routes a respondent's browser calls. */
export const intake = new Hono<AppEnv>();

intake.options('/:id/*', async (c) => {
  const survey = await findPublishedSurvey(c.env.DB, c.req.param('id'));
  if (survey) allowOrigin(c, survey);
  c.header('Access-Control-Allow-Methods', 'GET, POST');
  c.header('Access-Control-Allow-Headers', 'Content-Type');
  return c.body(null, 204);
});
intake.options('/:id', async (c) => {
  const survey = await findPublishedSurvey(c.env.DB, c.req.param('id'));
  if (survey) allowOrigin(c, survey);
  c.header('Access-Control-Allow-Methods', 'GET');
  return c.body(null, 204);
});

intake.get(
  '/:id',
  describe({
    summary: 'The live survey, worded for a language and age band (and, given ?link=, the privacy line that link needs)',
    tags: ['public'],
    responses: { 200: { description: 'The resolved survey' }, 400: { description: 'Bad query, or a link that is not this survey’s' }, 404: { description: 'No such survey' }, 410: { description: 'Survey closed' } },
  }),
  validate('query', SurveyQuerySchema),
  async (c) => {
    const survey = await recentPublishedSurvey(c.env.DB, c.req.param('id'));
    if (!survey || survey.status === 'draft') throw notFound('survey');
    allowOrigin(c, survey);
    if (survey.status === 'closed') throw gone('survey_closed', 'This survey has closed.');
    const { lang, age, link: token } = c.req.valid('query');
    const def = survey.definition;
    const resolved = resolveSurvey(def, lang && def.languages.includes(lang) ? lang : 'en', chooseAgeBand(def, age));
    const link = token ? await linkFor(c.env.DB, await sha256Hex(token), survey) : null;
    const { identifiable, privacy } = privacyFor(def, resolved.lang, link, resolved.ageBand);
    // With a link the answer is about that link: no shared cache should keep it.
    c.header('Cache-Control', token ? 'private, no-store' : 'public, max-age=60');
    return c.json({
      id: survey.id,
      audience: survey.audience,
      version: survey.definitionVersion,
      accentColour: survey.accentColour,
      ...resolved,
      privacy,
      ...(identifiable ? { identifiable: true } : {}),
    });
  },
);

intake.post(
  '/:id/responses',
  describe({
    summary: 'Submit a response (JSON, or an HTML form post that answers 303 to the thank-you page)',
    tags: ['public'],
    requestContentTypes: ['application/json', 'application/x-www-form-urlencoded'],
    body: ResponseSubmissionSchema,
    responses: {
      201: { description: 'Stored', schema: ResponseAcceptedSchema },
      202: { description: 'Accepted onto the ingest queue (when the deployment has one); stored within seconds', schema: ResponseAcceptedSchema },
      200: { description: 'Already stored with the same id and answers (a retry)', schema: ResponseAcceptedSchema },
      303: { description: 'Form post stored: see the thank-you page' },
      400: { description: 'Invalid fields, each named' },
      404: { description: 'No such survey' },
      409: { description: 'This id was already used with different answers' },
      410: { description: 'Survey closed, or the feedback link expired or was used' },
      413: { description: 'Body over 32 KB' },
      415: { description: 'Not JSON or a form post' },
      429: { description: 'Too many from this address: wait for Retry-After seconds' },
    },
  }),
  async (c) => {
    if (isFormPost(c)) return formPost(c);
    const submission = parseOrThrow(ResponseSubmissionSchema, await readJson(c));
    const survey = await publishedSurvey(c.env.DB, c.req.param('id'));
    allowOrigin(c, survey);
    const outcome = await acceptSubmission(c.env, survey, submission, { sender: c.req.header('cf-connecting-ip') });
    if (outcome.alert) c.executionCtx.waitUntil(announceAlert(c.env, outcome.alert));
    // `identifiable` tells the page which signpost wording its thank-you page must show.
    const body = { id: submission.id, ...(outcome.flagged ? { signpost: signpostFor(outcome.identifiable), ...(outcome.identifiable ? { identifiable: true } : {}) } : {}) };
    return c.json(body, outcome.queued ? 202 : outcome.created ? 201 : 200);
  },
);

const isFormPost = (c: Context<AppEnv>) => /^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '');

/**
 * A form post from the survey page with JavaScript off: 303 to the thank-you page, or the survey
 * page again (400) with the answers kept and each problem linked to its question.
 * `embed` and `leave` ride on the action's query so the thank-you page keeps them.
 */
async function formPost(c: Context<AppEnv>) {
  const id = c.req.param('id')!;
  const form = new URLSearchParams(await readText(c));
  const survey = await publishedSurvey(c.env.DB, id);
  allowOrigin(c, survey);
  const query = c.req.query();
  try {
    const submission = parseOrThrow(ResponseSubmissionSchema, formToSubmission(form, survey));
    const outcome = await acceptSubmission(c.env, survey, submission, { sender: c.req.header('cf-connecting-ip') });
    if (outcome.alert) c.executionCtx.waitUntil(announceAlert(c.env, outcome.alert));
    const params = new URLSearchParams({ lang: outcome.lang });
    if (outcome.flagged) params.set('support', '1');
    if (outcome.flagged && outcome.identifiable) params.set('known', '1');
    if (query.embed === '1') params.set('embed', '1');
    if (query.leave) params.set('leave', query.leave);
    return c.redirect(`/s/${encodeURIComponent(id)}/thanks?${params}`, 303);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400) throw err;
    const request = { lang: form.get('lang') ?? undefined, age: form.get('ageBand') ?? undefined, link: form.get('link') ?? undefined, embed: query.embed === '1', leave: query.leave };
    return renderSurvey(c, survey, request, { values: form, fields: err.fields ?? [] }, 400);
  }
}

/** Field names: `id`, `lang`, `ageBand`, `link`, and `answer.<questionId>` (repeated for multiple choice). */
function formToSubmission(form: URLSearchParams, survey: SurveyWithDefinition): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const q of survey.definition.questions) {
    const values = form.getAll(`answer.${q.id}`).filter((x) => x !== '');
    if (values.length === 0) continue;
    // Without JavaScript the form shows every question; an answer to a branch not taken is dropped, not refused.
    if (!isShown(q, answers as Answers)) continue;
    if (values.includes(SKIP)) answers[q.id] = null;
    else if (q.kind === 'rating') answers[q.id] = /^\d+$/.test(values[0]!) ? Number(values[0]) : values[0];
    else if (q.kind === 'choice' && q.multiple) answers[q.id] = values;
    else answers[q.id] = values[0];
  }
  for (const key of new Set(form.keys())) {
    if (key.startsWith('answer.') && !survey.definition.questions.some((q) => `answer.${q.id}` === key)) answers[key.slice(7)] = form.get(key);
  }
  const pick = (name: string) => (form.get(name) ? { [name]: form.get(name) } : {});
  return { id: form.get('id') ?? '', answers, ...pick('lang'), ...pick('ageBand'), ...pick('link') };
}

/** The form value meaning "I'd rather not say". */
export const SKIP = '_skip';

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
 */
export async function acceptSubmission(
  env: Env,
  survey: SurveyWithDefinition,
  submission: ResponseSubmission,
  opts: { linkTokenHash?: string; alertAlreadyRaised?: boolean; withheld?: WithheldAnswers; sender?: string | undefined } = {},
): Promise<Accepted> {
  const db = env.DB;
  if (survey.status === 'closed') throw gone('survey_closed', 'This survey has closed.');
  const def = survey.definition;

  const problems = checkAnswers(def, submission.answers);
  if (submission.lang && !def.languages.includes(submission.lang)) problems.push({ path: 'lang', message: `must be one of ${def.languages.join(', ')}` });
  if (submission.ageBand && !def.ageBands.includes(submission.ageBand)) problems.push({ path: 'ageBand', message: `must be one of ${def.ageBands.join(', ')}` });
  if (problems.length) throw invalid(problems);

  const now = nowIso();
  const linkHash = submission.link ? await sha256Hex(submission.link) : opts.linkTokenHash;
  const link = linkHash ? await linkFor(db, linkHash, survey) : null;
  const lang = submission.lang ?? 'en';
  const ageBand = submission.ageBand ?? (def.ageBands.length === 1 ? def.ageBands[0]! : null);
  // The partnership's own themes and synonyms: one small read, the compiled matcher is cached.
  const { taxonomy } = await taxonomyFor(db, survey.partnershipId);
  const prepared = prepareSubmission(def, submission.answers as Answers, taxonomy, opts.withheld);
  const fingerprint = await sha256Hex(
    JSON.stringify([survey.id, survey.definitionVersion, prepared.answers, lang, ageBand, link?.id ?? null]),
  );

  const identifiable = link?.identifiable ?? false;
  const earlier = await findResponse(db, submission.id);
  if (earlier) return sameOrConflict(earlier, fingerprint, survey.id, identifiable);
  // Checked after the retry lookup: a retry of the response that used a single-use link is still a retry.
  if (link && !isUsable(link, now)) throw gone('link_unusable', 'This feedback link has expired or has already been used.');

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
          ...(await alertFloodKey(secret, response, prepared.flaggedText.map((f) => f.text), opts.sender)),
        }
      : null;
  const message: IngestMessage = { v: 1, response, acceptedAt: now, alert: alertToRaise };

  // Queued mode: acknowledged once the queue holds it; the consumer writes it (and announces the alert).
  const queue = ingestQueue(env);
  if (queue && (await enqueued(queue, message))) {
    return { created: true, queued: true, flagged: response.flagged, lang, identifiable };
  }

  const [inserted, alerted] = await db.batch(ingestStatements(db, message));
  if (inserted!.meta.changes > 0) {
    const alert =
      prepared.disclosure && alerted && alerted.meta.changes > 0
        ? { id: alertId, partnershipId: response.partnershipId, category: prepared.disclosure.category, current: prepared.disclosure.current }
        : undefined;
    return { created: true, flagged: response.flagged, lang, identifiable, ...(alert ? { alert } : {}) };
  }

  // Nothing inserted: a concurrent duplicate got there first, or the link was used meanwhile.
  const raced = await findResponse(db, submission.id);
  if (raced) return sameOrConflict(raced, fingerprint, survey.id, identifiable);
  throw gone('link_unusable', 'This feedback link has expired or has already been used.');
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

async function linkFor(db: D1Database, tokenHash: string, survey: SurveyWithDefinition): Promise<FeedbackLink> {
  const link = await findLinkByTokenHash(db, tokenHash);
  if (!link || link.surveyId !== survey.id) throw invalid([{ path: 'link', message: 'is not a feedback link for this survey' }]);
  return link;
}

