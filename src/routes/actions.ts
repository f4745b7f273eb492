import { Hono } from 'hono';
import { listActions, youSaidWeDidFor } from '../db/actions';
import type { AppEnv } from '../env';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import {
  ActionListSchema,
  ActionSchema,
  ActionsQuerySchema,
  CreateActionSchema,
  UpdateActionSchema,
  YouSaidWeDidQuerySchema,
  YouSaidWeDidSchema,
} from '../schemas/actions';
import { IdParam, UuidParam } from '../schemas/api';
import { actionOutput, changeAction, createAction } from '../services/actions';
import { publishedSurvey } from '../services/published-surveys';

/**
 * "You said, we did" for partners: admins for any partner or the whole partnership, practice
 * leads for their own partner, scrutineers read-only. Safeguarding leads have no part in it.
 */
export const actions = new Hono<AppEnv>();

const WHO = { 401: { description: 'No valid key' }, 403: { description: 'This key may not do that' } } as const;

actions.get(
  '/',
  describe({
    summary: 'List actions (a practice lead sees its partner’s and the partnership-wide ones)',
    tags: ['actions'],
    auth: true,
    responses: { 200: { description: 'Actions, newest first', schema: ActionListSchema }, 400: { description: 'Bad query' }, ...WHO },
  }),
  requireKey({ roles: ['admin', 'practice-lead', 'scrutineer'] }),
  validate('query', ActionsQuerySchema),
  async (c) => {
    const key = c.get('key');
    const { partner, survey } = c.req.valid('query');
    const found = await listActions(c.env.DB, key.partnershipId, { visibleTo: key.partnerId, ...(partner ? { partner } : {}), ...(survey ? { survey } : {}) });
    return c.json({ actions: found.map(actionOutput) });
  },
);

actions.post(
  '/',
  describe({
    summary:
      'Record an action against a theme, in English and any other language, for every survey or chosen audiences and surveys (publish with published: true)',
    tags: ['actions'],
    auth: true,
    responses: { 201: { description: 'Recorded', schema: ActionSchema }, 400: { description: 'Invalid fields, each named' }, ...WHO },
  }),
  requireKey({ roles: ['admin', 'practice-lead'] }),
  validate('json', CreateActionSchema),
  async (c) => c.json(actionOutput(await createAction(c.env.DB, c.get('key'), c.req.valid('json'))), 201),
);

actions.patch(
  '/:id',
  describe({
    summary: 'Change an action: its words (per language), day, status, who it is shown to, or whether it is published',
    tags: ['actions'],
    auth: true,
    responses: {
      200: { description: 'Changed', schema: ActionSchema },
      400: { description: 'Invalid fields, each named' },
      404: { description: 'No such action' },
      ...WHO,
    },
  }),
  requireKey({ roles: ['admin', 'practice-lead'] }),
  validate('param', UuidParam),
  validate('json', UpdateActionSchema),
  async (c) => c.json(actionOutput(await changeAction(c.env.DB, c.get('key'), c.req.valid('param').id, c.req.valid('json')))),
);

/** `GET /api/v1/surveys/:id/you-said-we-did`: public, beside the survey's other public routes. */
export const youSaidWeDid = new Hono<AppEnv>();

youSaidWeDid.get(
  '/:id/you-said-we-did',
  describe({
    summary: '“You said, we did”: published actions that apply to this survey, newest first (at most 10), in a language',
    tags: ['public'],
    responses: {
      200: { description: 'Items in child-friendly words', schema: YouSaidWeDidSchema },
      400: { description: 'Bad query' },
      404: { description: 'No such survey' },
    },
  }),
  validate('param', IdParam),
  validate('query', YouSaidWeDidQuerySchema),
  async (c) => {
    const survey = await publishedSurvey(c.env.DB, c.req.valid('param').id);
    const { lang } = c.req.valid('query');
    const chosen = lang && survey.definition.languages.includes(lang) ? lang : 'en';
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ items: await youSaidWeDidFor(c.env.DB, survey.id, chosen) });
  },
);
