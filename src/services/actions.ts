import { findAction, insertAction, updateAction, type Action } from '../db/actions';
import type { ApiKey } from '../db/keys';
import { findPartner } from '../db/partners';
import { findSurveyForEditing } from '../db/surveys';
import { newId } from '../lib/crypto';
import { forbidden, invalid, notFound, type FieldProblem } from '../lib/errors';
import { nowIso } from '../lib/time';
import { canChangePartner, canSeePartner } from '../domain/access';
import type { CreateActionInput, UpdateActionInput } from '../schemas/actions';

/**
 * "You said, we did": recording and changing a partner's actions, for the API and the dashboard
 * alike. Admins act for any partner or the whole partnership, practice leads for their own partner.
 */

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
