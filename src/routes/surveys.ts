import { Hono } from 'hono';
import * as v from 'valibot';
import { listSurveys, type SurveyRecord } from '../db/surveys';
import type { AppEnv } from '../env';
import { requireKey } from '../middleware/auth';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { CreateSurveySchema, DuplicateSurveySchema, IdParam, SurveySummarySchema, UpdateSurveySchema } from '../schemas/api';
import { changeSurvey, createSurvey, duplicateSurvey, setSurveyLive, visibleSurvey } from '../services/surveys';

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
  async (c) => c.json(summary(await createSurvey(c.env.DB, c.get('key'), c.req.valid('json'))), 201),
);

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
  async (c) => c.json(summary(await changeSurvey(c.env.DB, c.get('key'), c.req.valid('param').id, c.req.valid('json')))),
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
    async (c) => c.json(summary(await setSurveyLive(c.env.DB, c.get('key'), c.req.valid('param').id, action))),
  );
}

surveys.post(
  '/:id/duplicate',
  describe({
    summary: 'Copy a survey’s latest definition and settings into a new draft with the given id',
    tags: ['surveys'],
    auth: true,
    responses: {
      201: { description: 'The copy, a draft', schema: SurveySummarySchema },
      404: { description: 'No such survey' },
      409: { description: 'Id taken' },
    },
  }),
  writers,
  validate('param', IdParam),
  validate('json', DuplicateSurveySchema),
  async (c) => c.json(summary(await duplicateSurvey(c.env.DB, c.get('key'), c.req.valid('param').id, c.req.valid('json').id)), 201),
);
