import { Hono, type Context } from 'hono';
import type { SurveyWithDefinition } from '../db/surveys';
import { privacyFor, signpostFor } from '../domain/privacy';
import { chooseAgeBand, chooseLanguage, isShown, resolveSurvey, type Answers } from '../domain/survey';
import type { AppEnv } from '../env';
import { sha256Hex } from '../lib/crypto';
import { ApiError, closedSurvey, notFound } from '../lib/errors';
import { acceptSubmission, linkFor } from '../services/intake';
import { SKIP } from '../views/survey';
import { announceAlert } from '../services/alert-webhook';
import { describe } from '../lib/openapi';
import { renderSurvey } from '../services/survey-page';
import { publishedSurvey, recentPublishedSurvey } from '../services/published-surveys';
import { parseOrThrow, readJson, readText, validate } from '../lib/validate';
import { ResponseAcceptedSchema, ResponseSubmissionSchema, SurveyQuerySchema } from '../schemas/api';

/** Public, unauthenticated routes a respondent's browser calls (CORS: surveyCors in index.ts). */
export const intake = new Hono<AppEnv>();

intake.get(
  '/:id',
  describe({
    summary: 'The live survey, worded for a language and age band (and, given ?link=, the privacy line that link needs)',
    tags: ['public'],
    responses: {
      200: { description: 'The resolved survey' },
      400: { description: 'Bad query, or a link that is not this survey’s' },
      404: { description: 'No such survey' },
      410: { description: 'Survey closed' },
    },
  }),
  validate('query', SurveyQuerySchema),
  async (c) => {
    const survey = await recentPublishedSurvey(c.env.DB, c.req.param('id'));
    if (!survey || survey.status === 'draft') throw notFound('survey');
    if (survey.status === 'closed') throw closedSurvey();
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
    const outcome = await acceptSubmission(c.env, survey, submission, {
      sender: c.req.header('cf-connecting-ip'),
      waitUntil: (work) => c.executionCtx.waitUntil(work),
    });
    if (outcome.alert) c.executionCtx.waitUntil(announceAlert(c.env, outcome.alert));
    // `identifiable` tells the page which signpost wording its thank-you page must show; the
    // signpost speaks the respondent's language, in the register of their age band.
    const def = survey.definition;
    const body = {
      id: submission.id,
      ...(outcome.flagged
        ? {
            signpost: signpostFor(outcome.identifiable, chooseLanguage(def, submission.lang), chooseAgeBand(def, submission.ageBand)),
            ...(outcome.identifiable ? { identifiable: true } : {}),
          }
        : {}),
    };
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
  const query = c.req.query();
  try {
    const submission = parseOrThrow(ResponseSubmissionSchema, formToSubmission(form, survey));
    const outcome = await acceptSubmission(c.env, survey, submission, {
      sender: c.req.header('cf-connecting-ip'),
      waitUntil: (work) => c.executionCtx.waitUntil(work),
    });
    if (outcome.alert) c.executionCtx.waitUntil(announceAlert(c.env, outcome.alert));
    const params = new URLSearchParams({ lang: outcome.lang });
    // The age band sets the thank-you page's Welsh register (ti or chi), as it did the survey's;
    // a survey with one band needs no hint.
    if (submission.ageBand && survey.definition.ageBands.length > 1) params.set('age', submission.ageBand);
    if (outcome.flagged) params.set('support', '1');
    if (outcome.flagged && outcome.identifiable) params.set('known', '1');
    if (query.embed === '1') params.set('embed', '1');
    if (query.leave) params.set('leave', query.leave);
    return c.redirect(`/s/${encodeURIComponent(id)}/thanks?${params}`, 303);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400) throw err;
    const request = {
      lang: form.get('lang') ?? undefined,
      age: form.get('ageBand') ?? undefined,
      link: form.get('link') ?? undefined,
      embed: query.embed === '1',
      leave: query.leave,
    };
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
