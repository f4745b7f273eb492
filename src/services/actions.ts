import { findAction, insertAction, updateAction, type Action } from '../db/actions';
import type { ApiKey } from '../db/keys';
import { findPartner } from '../db/partners';
import { listSurveys } from '../db/surveys';
import { newId } from '../lib/crypto';
import { forbidden, invalid, notFound, type FieldProblem } from '../lib/errors';
import { nowIso } from '../lib/time';
import { canChangePartner, canSeePartner } from '../domain/access';
import type { ActionOutput, CreateActionInput, UpdateActionInput } from '../schemas/actions';
import type { Audience } from '../schemas/common';

/**
 * "You said, we did": recording and changing a partner's actions, for the API and the dashboard
 * alike. Admins act for any partner or the whole partnership, practice leads for their own partner.
 */

/** Records an action for a key: its own partner for a practice lead, any (or none) for an admin. */
export async function createAction(db: D1Database, key: ApiKey, body: CreateActionInput): Promise<Action> {
  // A practice lead's action is their partner's unless they say otherwise (and they may not).
  const partnerId = body.partnerId === undefined && key.role === 'practice-lead' ? key.partnerId : (body.partnerId ?? null);
  if (!canChangePartner(key, partnerId)) throw forbidden('A practice lead can only record actions for their own partner.');
  const surveyIds = body.surveyIds ?? (body.surveyId ? [body.surveyId] : null);
  const audiences = body.audiences ?? null;
  await checkReferences(db, key, partnerId, surveyIds, audiences, body.surveyId ? 'surveyId' : 'surveyIds');
  const at = nowIso();
  const action: Action = {
    id: newId(),
    partnershipId: key.partnershipId,
    partnerId,
    themeId: body.themeId,
    surveyIds,
    audiences,
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

/** Changes an action the key may change; 404 for one it may not see. */
export async function changeAction(db: D1Database, key: ApiKey, id: string, body: UpdateActionInput): Promise<Action> {
  const existing = await findAction(db, key.partnershipId, id);
  if (!existing || !canSeePartner(key, existing.partnerId)) throw notFound('action');
  if (!canChangePartner(key, existing.partnerId)) throw forbidden('A practice lead can only change their own partner’s actions.');
  // surveyId is the older one-survey form of surveyIds; null for either means every survey again.
  const surveyIds =
    body.surveyIds !== undefined ? body.surveyIds : body.surveyId !== undefined ? (body.surveyId === null ? null : [body.surveyId]) : existing.surveyIds;
  const audiences = body.audiences !== undefined ? body.audiences : existing.audiences;
  if (body.surveyIds !== undefined || body.surveyId !== undefined || body.audiences !== undefined) {
    await checkReferences(db, key, existing.partnerId, surveyIds, audiences, body.surveyId !== undefined ? 'surveyId' : 'surveyIds');
  }
  const changed: Action = {
    ...existing,
    ...(body.themeId ? { themeId: body.themeId } : {}),
    surveyIds,
    audiences,
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

/**
 * The partner and surveys must be the partnership's; each survey given must belong to the action's
 * partner (or be partnership-wide), and be for one of the chosen audiences, or the action would
 * never show there. `surveyField` names the field the surveys came in (the older surveyId or surveyIds).
 */
async function checkReferences(
  db: D1Database,
  key: ApiKey,
  partnerId: string | null,
  surveyIds: string[] | null,
  audiences: Audience[] | null,
  surveyField: 'surveyId' | 'surveyIds',
): Promise<void> {
  const [partner, surveys] = await Promise.all([
    partnerId ? findPartner(db, key.partnershipId, partnerId) : Promise.resolve(null),
    surveyIds ? listSurveys(db, key.partnershipId) : Promise.resolve([]),
  ]);
  const problems: FieldProblem[] = [];
  if (partnerId && !partner) problems.push({ path: 'partnerId', message: 'is not a partner of this partnership' });
  (surveyIds ?? []).forEach((id, i) => {
    const path = surveyField === 'surveyId' ? 'surveyId' : `surveyIds.${i}`;
    const survey = surveys.find((s) => s.id === id);
    if (!survey || !canSeePartner(key, survey.partnerId)) problems.push({ path, message: 'is not a survey of this partnership' });
    else if (partnerId && survey.partnerId !== null && survey.partnerId !== partnerId) problems.push({ path, message: 'belongs to another partner' });
    else if (audiences && !audiences.includes(survey.audience)) {
      problems.push({ path, message: `is a survey for ${survey.audience} respondents, not one of the audiences chosen` });
    }
  });
  if (problems.length) throw invalid(problems);
}

/** An action as the API and the dashboard show it; surveyId is there for clients of the one-survey form. */
export const actionOutput = (a: Action): ActionOutput => ({
  id: a.id,
  partnerId: a.partnerId,
  themeId: a.themeId,
  surveyId: a.surveyIds?.length === 1 ? a.surveyIds[0]! : null,
  surveyIds: a.surveyIds,
  audiences: a.audiences,
  heard: a.heard,
  did: a.did,
  when: a.when,
  status: a.status,
  published: a.published,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});
