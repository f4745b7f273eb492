import { Hono } from 'hono';
import { findAction, insertAction, listActions, updateAction, youSaidWeDidFor, type Action } from '../db/actions';
import type { ApiKey } from '../db/keys';
import { findPartner } from '../db/partners';
import { findSurveyForEditing } from '../db/surveys';
import type { AppEnv } from '../env';
import { newId } from '../lib/crypto';
import { forbidden, invalid, notFound, type FieldProblem } from '../lib/errors';
import { describe } from '../lib/openapi';
import { nowIso } from '../lib/time';
import { validate } from '../lib/validate';
import { canChangePartner, canSeePartner, requireKey } from '../middleware/auth';
import {
  ActionListSchema,
  ActionSchema,
  ActionsQuerySchema,
  CreateActionSchema,
  UpdateActionSchema,
  YouSaidWeDidQuerySchema,
  type CreateActionInput,
  type UpdateActionInput,
  YouSaidWeDidSchema,
} from '../schemas/actions';
import { IdParam, UuidParam } from '../schemas/api';
import { allowOrigin, publishedSurvey } from './intake';

/**
 * "You said, we did" for partners: admins for any partner or the whole partnership, practice
 * leads for their own partner, scrutineers read-only. Safeguarding leads have no part in it.
 */
export const actions = new Hono<AppEnv>();

const view = (a: Action) => ({
  id: a.id,
  partnerId: a.partnerId,
  themeId: a.themeId,
  surveyId: a.surveyId,
  heard: a.heard,
  did: a.did,
  when: a.when,
  status: a.status,
  published: a.published,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

const WHO = { 401: { description: 'No valid key' }, 403: { description: 'This key may not do that' } } as const;

actions.get(
  '/',
  describe({ summary: 'List actions (a practice lead sees its partner’s and the partnership-wide ones)', tags: ['actions'], auth: true, responses: { 200: { description: 'Actions, newest first', schema: ActionListSchema }, 400: { description: 'Bad query' }, ...WHO } }),
  requireKey({ roles: ['admin', 'practice-lead', 'scrutineer'] }),
  validate('query', ActionsQuerySchema),
  async (c) => {
    const key = c.get('key');
    const { partner, survey } = c.req.valid('query');
    const found = await listActions(c.env.DB, key.partnershipId, { visibleTo: key.partnerId, ...(partner ? { partner } : {}), ...(survey ? { survey } : {}) });
    return c.json({ actions: found.map(view) });
  },
);

actions.post(
  '/',
  describe({ summary: 'Record an action against a theme (publish with published: true)', tags: ['actions'], auth: true, responses: { 201: { description: 'Recorded', schema: ActionSchema }, 400: { description: 'Invalid fields, each named' }, ...WHO } }),
  requireKey({ roles: ['admin', 'practice-lead'] }),
  validate('json', CreateActionSchema),
  async (c) => c.json(view(await createAction(c.env.DB, c.get('key'), c.req.valid('json'))), 201),
);

/** Records an action for a key: its own partner for a practice lead, any (or none) for an admin. */
export async function createAction(db: D1Database, key: ApiKey, body: CreateActionInput): Promise<Action> {
  // A practice lead's action is their partner's unless they say otherwise (and they may not).
  const partnerId = body.partnerId === undefined && key.role === 'practice-lead' ? key.partnerId : (body.partnerId ?? null);
  if (!canChangePartner(key, partnerId)) throw forbidden('A practice lead can only record actions for their own partner.');
  const surveyId = body.surveyId ?? null;
  await checkReferences(db, key, partnerId, surveyId);
  const at = nowIso();
  const action: Action = {
    id: newId(),
    partnershipId: key.partnershipId,
    partnerId,
    themeId: body.themeId,
    surveyId,
    heard: body.heard,
    did: body.did,
    when: body.when,
    status: body.status,
    published: body.published,
    createdAt: at,
    updatedAt: at,
  };
  await insertAction(db, action);
  return action;
}

actions.patch(
  '/:id',
  describe({ summary: 'Change an action: its words, day, status, or whether it is published', tags: ['actions'], auth: true, responses: { 200: { description: 'Changed', schema: ActionSchema }, 400: { description: 'Invalid fields, each named' }, 404: { description: 'No such action' }, ...WHO } }),
  requireKey({ roles: ['admin', 'practice-lead'] }),
  validate('param', UuidParam),
  validate('json', UpdateActionSchema),
  async (c) => c.json(view(await changeAction(c.env.DB, c.get('key'), c.req.valid('param').id, c.req.valid('json')))),
);

/** Changes an action the key may change; 404 for one it may not see. */
export async function changeAction(db: D1Database, key: ApiKey, id: string, body: UpdateActionInput): Promise<Action> {
  const existing = await findAction(db, key.partnershipId, id);
  if (!existing || !canSeePartner(key, existing.partnerId)) throw notFound('action');
  if (!canChangePartner(key, existing.partnerId)) throw forbidden('A practice lead can only change their own partner’s actions.');
  const surveyId = body.surveyId === undefined ? existing.surveyId : body.surveyId;
  if (surveyId !== existing.surveyId) await checkReferences(db, key, existing.partnerId, surveyId);
  const changed: Action = {
    ...existing,
    ...(body.themeId ? { themeId: body.themeId } : {}),
    surveyId,
    ...(body.heard ? { heard: body.heard } : {}),
    ...(body.did ? { did: body.did } : {}),
    ...(body.when ? { when: body.when } : {}),
    ...(body.status ? { status: body.status } : {}),
    ...(body.published !== undefined ? { published: body.published } : {}),
    updatedAt: nowIso(),
  };
  await updateAction(db, changed);
  return changed;
}

/** The partner and survey must be the partnership's; a survey given must belong to the action's partner (or be partnership-wide). */
async function checkReferences(db: D1Database, key: ApiKey, partnerId: string | null, surveyId: string | null): Promise<void> {
  const [partner, survey] = await Promise.all([
    partnerId ? findPartner(db, key.partnershipId, partnerId) : Promise.resolve(null),
    surveyId ? findSurveyForEditing(db, key.partnershipId, surveyId) : Promise.resolve(null),
  ]);
  const problems: FieldProblem[] = [];
  if (partnerId && !partner) problems.push({ path: 'partnerId', message: 'is not a partner of this partnership' });
  if (surveyId && (!survey || !canSeePartner(key, survey.partnerId))) problems.push({ path: 'surveyId', message: 'is not a survey of this partnership' });
  else if (survey && partnerId && survey.partnerId !== null && survey.partnerId !== partnerId) {
    problems.push({ path: 'surveyId', message: 'belongs to another partner' });
  }
  if (problems.length) throw invalid(problems);
}

/** `GET /api/v1/surveys/:id/you-said-we-did`: public, beside the survey's other public routes. */
export const youSaidWeDid = new Hono<AppEnv>();

youSaidWeDid.get(
  '/:id/you-said-we-did',
  describe({
    summary: '“You said, we did”: published actions that apply to this survey, newest first (at most 10), in a language',
    tags: ['public'],
    responses: { 200: { description: 'Items in child-friendly words', schema: YouSaidWeDidSchema }, 400: { description: 'Bad query' }, 404: { description: 'No such survey' } },
  }),
  validate('param', IdParam),
  validate('query', YouSaidWeDidQuerySchema),
  async (c) => {
    const survey = await publishedSurvey(c.env.DB, c.req.valid('param').id);
    allowOrigin(c, survey);
    const { lang } = c.req.valid('query');
    const chosen = lang && survey.definition.languages.includes(lang) ? lang : 'en';
    c.header('Cache-Control', 'public, max-age=300');
    return c.json({ items: await youSaidWeDidFor(c.env.DB, survey.id, chosen) });
  },
);
