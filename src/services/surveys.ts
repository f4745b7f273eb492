import type { ApiKey } from '../db/keys';
import { findPartner } from '../db/partners';
import { findSurveyForEditing, insertSurveyStatements, setSurveyStatus, surveyIdTaken, updateSurvey, type SurveyWithDefinition } from '../db/surveys';
import { canChangePartner, canSeePartner } from '../domain/access';
import { contrastProblem } from '../domain/colour';
import { ownIdProblem } from '../domain/ids';
import { conflict, forbidden, invalid, notFound } from '../lib/errors';
import { nowIso } from '../lib/time';
import type { Audience } from '../schemas/common';
import type { SurveyDefinition } from '../schemas/survey-definition';
import { forgetPublishedSurvey } from './published-surveys';

/**
 * Writing and running surveys: create (as a draft), change, publish, close and duplicate. The API
 * (routes/surveys.ts) and the workspace's survey pages both call these, so a draft never reaches
 * the public by either door until it is published.
 */

export interface NewSurveyInput {
  id: string;
  audience: Audience;
  partnerId?: string | null | undefined;
  allowedOrigins: string[];
  accentColour?: string | null | undefined;
  definition: SurveyDefinition;
}

/** The survey for a key that may see it, else 404: other partnerships' surveys don't exist for you. */
export async function visibleSurvey(db: D1Database, key: ApiKey, id: string): Promise<SurveyWithDefinition> {
  const survey = await findSurveyForEditing(db, key.partnershipId, id);
  if (!survey || !canSeePartner(key, survey.partnerId)) throw notFound('survey');
  return survey;
}

/** A survey the key may change (a partnership-wide one: admins only). */
async function changeableSurvey(db: D1Database, key: ApiKey, id: string): Promise<SurveyWithDefinition> {
  const survey = await visibleSurvey(db, key, id);
  if (!canChangePartner(key, survey.partnerId)) throw forbidden('Only an admin can change a partnership-wide survey.');
  return survey;
}

/** Creates a draft; a practice lead's is for their own partner. */
export async function createSurvey(db: D1Database, key: ApiKey, input: NewSurveyInput): Promise<SurveyWithDefinition> {
  const partnerId = input.partnerId ?? (key.role === 'practice-lead' ? key.partnerId : null);
  if (!canChangePartner(key, partnerId) && !(key.role === 'admin' && partnerId === null))
    throw forbidden('A practice lead can only create surveys for their own partner.');
  const idProblem = ownIdProblem(key.partnershipId, input.id);
  if (idProblem) throw invalid([{ path: 'id', message: idProblem }]);
  if (partnerId && !(await findPartner(db, key.partnershipId, partnerId)))
    throw invalid([{ path: 'partnerId', message: 'is not a partner of this partnership' }]);
  const colour = input.accentColour ? contrastProblem(input.accentColour) : undefined;
  if (colour) throw invalid([{ path: 'accentColour', message: colour }]);
  if (await surveyIdTaken(db, input.id)) throw conflict('id_taken', 'A survey with this id already exists.');
  await db.batch(
    insertSurveyStatements(
      db,
      {
        id: input.id,
        partnershipId: key.partnershipId,
        partnerId,
        audience: input.audience,
        allowedOrigins: input.allowedOrigins,
        accentColour: input.accentColour ?? null,
        definition: input.definition,
        status: 'draft',
      },
      nowIso(),
    ),
  );
  return (await findSurveyForEditing(db, key.partnershipId, input.id))!;
}

/** Saves settings and, when the definition changed, a new version; a live survey keeps serving its published version. */
export async function changeSurvey(
  db: D1Database,
  key: ApiKey,
  id: string,
  changes: { allowedOrigins?: string[] | undefined; accentColour?: string | null | undefined; definition?: SurveyDefinition | undefined },
): Promise<SurveyWithDefinition> {
  const survey = await changeableSurvey(db, key, id);
  const colour = changes.accentColour ? contrastProblem(changes.accentColour) : undefined;
  if (colour) throw invalid([{ path: 'accentColour', message: colour }]);
  const definitionChanged = changes.definition && JSON.stringify(changes.definition) !== JSON.stringify(survey.definition);
  await updateSurvey(
    db,
    survey,
    {
      ...(changes.allowedOrigins ? { allowedOrigins: changes.allowedOrigins } : {}),
      ...(changes.accentColour !== undefined ? { accentColour: changes.accentColour } : {}),
      ...(definitionChanged ? { definition: changes.definition! } : {}),
    },
    nowIso(),
  );
  forgetPublishedSurvey(survey.id);
  return (await findSurveyForEditing(db, key.partnershipId, survey.id))!;
}

/** Publishes the latest version (it becomes what respondents get) or closes the survey to new answers. */
export async function setSurveyLive(db: D1Database, key: ApiKey, id: string, action: 'publish' | 'close'): Promise<SurveyWithDefinition> {
  const survey = await changeableSurvey(db, key, id);
  await setSurveyStatus(db, survey.id, action === 'publish' ? 'live' : 'closed', action === 'publish' ? survey.version : null, nowIso());
  forgetPublishedSurvey(survey.id);
  return (await findSurveyForEditing(db, key.partnershipId, survey.id))!;
}

/** A new draft with the latest definition and settings of a survey the key can see. */
export async function duplicateSurvey(db: D1Database, key: ApiKey, id: string, newId: string): Promise<SurveyWithDefinition> {
  const source = await visibleSurvey(db, key, id);
  return createSurvey(db, key, {
    id: newId,
    audience: source.audience,
    partnerId: key.role === 'practice-lead' ? key.partnerId : source.partnerId,
    allowedOrigins: source.allowedOrigins,
    accentColour: source.accentColour,
    definition: source.definition,
  });
}
