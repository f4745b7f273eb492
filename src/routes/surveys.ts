import { Hono } from 'hono';
import * as v from 'valibot';
import { findPartner } from '../db/partners';
import { findSurveyForEditing, insertSurveyStatements, listSurveys, setSurveyStatus, surveyIdTaken, updateSurvey, type SurveyRecord } from '../db/surveys';
import { contrastProblem } from '../domain/colour';
import { ownIdProblem } from '../domain/ids';
import type { AppEnv } from '../env';
import { canChangePartner, canSeePartner } from '../domain/access';
import { requireKey } from '../middleware/auth';
import { conflict, forbidden, invalid, notFound } from '../lib/errors';
import { describe } from '../lib/openapi';
import { nowIso } from '../lib/time';
import { validate } from '../lib/validate';
import { CreateSurveySchema, IdParam, SurveySummarySchema, UpdateSurveySchema } from '../schemas/api';
import { forgetPublishedSurvey } from '../services/published-surveys';

/** Partner routes for writing and running surveys. */
export const surveys = new Hono<AppEnv>();

const summary = (s: SurveyRecord) => ({
  id: s.id,
  partnerId: s.partnerId,
  audience: s.audience,
  status: s.status,
  version: s.version,
  liveVersion: s.liveVersion,
  languages: s.languages,
  ageBands: s.ageBands,
  allowedOrigins: s.allowedOrigins,
  accentColour: s.accentColour,
});

const writers = requireKey({ roles: ['admin', 'practice-lead'] });
const readers = requireKey({ roles: ['admin', 'practice-lead', 'scrutineer'] });

surveys.get(
  '/',
  describe({
    summary: 'List the partnership’s surveys',
    tags: ['surveys'],
    auth: true,
    responses: { 200: { description: 'Surveys', schema: v.object({ surveys: v.array(SurveySummarySchema) }) }, 401: { description: 'No key' } },
  }),
  readers,
  async (c) => {
    const key = c.get('key');
    const rows = await listSurveys(c.env.DB, key.partnershipId, key.partnerId);
    return c.json({ surveys: rows.map(summary) });
  },
);

surveys.post(
  '/',
  describe({
    summary: 'Create a draft survey; its id starts with the partnership id and a hyphen (it becomes the public URL /s/:id)',
    tags: ['surveys'],
    auth: true,
    responses: { 201: { description: 'Created', schema: SurveySummarySchema }, 400: { description: 'Invalid' }, 409: { description: 'Id taken' } },
  }),
  writers,
  validate('json', CreateSurveySchema),
  async (c) => {
    const key = c.get('key');
    const body = c.req.valid('json');
    const partnerId = body.partnerId ?? (key.role === 'practice-lead' ? key.partnerId : null);
    if (!canChangePartner(key, partnerId) && !(key.role === 'admin' && partnerId === null))
      throw forbidden('A practice lead can only create surveys for their own partner.');
    const idProblem = ownIdProblem(key.partnershipId, body.id);
    if (idProblem) throw invalid([{ path: 'id', message: idProblem }]);
    if (partnerId && !(await findPartner(c.env.DB, key.partnershipId, partnerId)))
      throw invalid([{ path: 'partnerId', message: 'is not a partner of this partnership' }]);
    const colour = body.accentColour ? contrastProblem(body.accentColour) : undefined;
    if (colour) throw invalid([{ path: 'accentColour', message: colour }]);
    if (await surveyIdTaken(c.env.DB, body.id)) throw conflict('id_taken', 'A survey with this id already exists.');
    const at = nowIso();
    await c.env.DB.batch(
      insertSurveyStatements(
        c.env.DB,
        {
          id: body.id,
          partnershipId: key.partnershipId,
          partnerId,
          audience: body.audience,
          allowedOrigins: body.allowedOrigins,
          accentColour: body.accentColour ?? null,
          definition: body.definition,
          status: 'draft',
        },
        at,
      ),
    );
    const created = await findSurveyForEditing(c.env.DB, key.partnershipId, body.id);
    return c.json(summary(created!), 201);
  },
);

/** The survey for a key that may see it, else 404: other partnerships' surveys don't exist for you. */
async function visibleSurvey(db: D1Database, key: AppEnv['Variables']['key'], id: string) {
  const survey = await findSurveyForEditing(db, key.partnershipId, id);
  if (!survey || !canSeePartner(key, survey.partnerId)) throw notFound('survey');
  return survey;
}

surveys.get(
  '/:id/draft',
  describe({
    summary: 'The latest definition and settings of a survey, for editing',
    tags: ['surveys'],
    auth: true,
    responses: { 200: { description: 'Survey' }, 404: { description: 'No such survey' } },
  }),
  readers,
  validate('param', IdParam),
  async (c) => {
    const survey = await visibleSurvey(c.env.DB, c.get('key'), c.req.valid('param').id);
    return c.json({ ...summary(survey), definition: survey.definition });
  },
);

surveys.put(
  '/:id',
  describe({
    summary: 'Update settings or the definition (a changed definition becomes a new version)',
    tags: ['surveys'],
    auth: true,
    responses: { 200: { description: 'Updated', schema: SurveySummarySchema }, 400: { description: 'Invalid' }, 404: { description: 'No such survey' } },
  }),
  writers,
  validate('param', IdParam),
  validate('json', UpdateSurveySchema),
  async (c) => {
    const key = c.get('key');
    const survey = await visibleSurvey(c.env.DB, key, c.req.valid('param').id);
    if (!canChangePartner(key, survey.partnerId)) throw forbidden('Only an admin can change a partnership-wide survey.');
    const body = c.req.valid('json');
    const colour = body.accentColour ? contrastProblem(body.accentColour) : undefined;
    if (colour) throw invalid([{ path: 'accentColour', message: colour }]);
    const definitionChanged = body.definition && JSON.stringify(body.definition) !== JSON.stringify(survey.definition);
    await updateSurvey(
      c.env.DB,
      survey,
      {
        ...(body.allowedOrigins ? { allowedOrigins: body.allowedOrigins } : {}),
        ...(body.accentColour !== undefined ? { accentColour: body.accentColour } : {}),
        ...(definitionChanged ? { definition: body.definition! } : {}),
      },
      nowIso(),
    );
    forgetPublishedSurvey(survey.id);
    return c.json(summary((await findSurveyForEditing(c.env.DB, key.partnershipId, survey.id))!));
  },
);

for (const action of ['publish', 'close'] as const) {
  surveys.post(
    `/:id/${action}`,
    describe({
      summary: action === 'publish' ? 'Make the latest version live' : 'Close the survey to new responses',
      tags: ['surveys'],
      auth: true,
      responses: { 200: { description: 'Done', schema: SurveySummarySchema }, 404: { description: 'No such survey' } },
    }),
    writers,
    validate('param', IdParam),
    async (c) => {
      const key = c.get('key');
      const survey = await visibleSurvey(c.env.DB, key, c.req.valid('param').id);
      if (!canChangePartner(key, survey.partnerId)) throw forbidden('Only an admin can change a partnership-wide survey.');
      await setSurveyStatus(c.env.DB, survey.id, action === 'publish' ? 'live' : 'closed', action === 'publish' ? survey.version : null, nowIso());
      forgetPublishedSurvey(survey.id);
      return c.json(summary((await findSurveyForEditing(c.env.DB, key.partnershipId, survey.id))!));
    },
  );
}
