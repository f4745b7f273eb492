import type { AgeBand, Audience } from '../schemas/common';
import type { SurveyDefinition } from '../schemas/survey-definition';

export type SurveyStatus = 'draft' | 'live' | 'closed';

export interface SurveyRecord {
  id: string;
  partnershipId: string;
  partnerId: string | null;
  audience: Audience;
  ageBands: AgeBand[];
  languages: string[];
  status: SurveyStatus;
  allowedOrigins: string[];
  accentColour: string | null;
  version: number;
  liveVersion: number | null;
  updatedAt: string;
}

/** A survey with the definition of one version (the live one for respondents, the latest for editors). */
export interface SurveyWithDefinition extends SurveyRecord {
  definitionVersion: number;
  definition: SurveyDefinition;
}

interface SurveyRow {
  id: string;
  partnership_id: string;
  partner_id: string | null;
  audience: Audience;
  age_bands: string;
  languages: string;
  status: SurveyStatus;
  allowed_origins: string;
  accent_colour: string | null;
  version: number;
  live_version: number | null;
  updated_at: string;
}

const COLUMNS =
  's.id, s.partnership_id, s.partner_id, s.audience, s.age_bands, s.languages, s.status, s.allowed_origins, s.accent_colour, s.version, s.live_version, s.updated_at';

const toSurvey = (r: SurveyRow): SurveyRecord => ({
  id: r.id,
  partnershipId: r.partnership_id,
  partnerId: r.partner_id,
  audience: r.audience,
  ageBands: JSON.parse(r.age_bands),
  languages: JSON.parse(r.languages),
  status: r.status,
  allowedOrigins: JSON.parse(r.allowed_origins),
  accentColour: r.accent_colour,
  version: r.version,
  liveVersion: r.live_version,
  updatedAt: r.updated_at,
});

/** What respondents are served: the live version's definition, whatever the status (callers check it). */
export async function findPublishedSurvey(db: D1Database, id: string): Promise<SurveyWithDefinition | null> {
  const row = await db
    .prepare(
      `SELECT ${COLUMNS}, v.version AS definition_version, v.definition FROM surveys s JOIN survey_versions v ON v.survey_id = s.id AND v.version = s.live_version WHERE s.id = ?1`,
    )
    .bind(id)
    .first<SurveyRow & { definition_version: number; definition: string }>();
  return row ? { ...toSurvey(row), definitionVersion: row.definition_version, definition: JSON.parse(row.definition) } : null;
}

/** The latest version, for editors; scoped to the partnership. */
export async function findSurveyForEditing(db: D1Database, partnershipId: string, id: string): Promise<SurveyWithDefinition | null> {
  const row = await db
    .prepare(
      `SELECT ${COLUMNS}, v.version AS definition_version, v.definition FROM surveys s JOIN survey_versions v ON v.survey_id = s.id AND v.version = s.version WHERE s.id = ?1 AND s.partnership_id = ?2`,
    )
    .bind(id, partnershipId)
    .first<SurveyRow & { definition_version: number; definition: string }>();
  return row ? { ...toSurvey(row), definitionVersion: row.definition_version, definition: JSON.parse(row.definition) } : null;
}

/** Surveys of a partnership; with a partner, only that partner's and the partnership-wide ones. */
export async function listSurveys(db: D1Database, partnershipId: string, partnerId?: string | null): Promise<SurveyRecord[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM surveys s WHERE s.partnership_id = ?1 AND (?2 IS NULL OR s.partner_id IS NULL OR s.partner_id = ?2) ORDER BY s.id`)
    .bind(partnershipId, partnerId ?? null)
    .all<SurveyRow>();
  return results.map(toSurvey);
}

export interface NewSurvey {
  id: string;
  partnershipId: string;
  partnerId: string | null;
  audience: Audience;
  allowedOrigins: string[];
  accentColour: string | null;
  definition: SurveyDefinition;
  status: SurveyStatus;
}

/** The statements that create a survey and its first version; run them in one batch. */
export function insertSurveyStatements(db: D1Database, s: NewSurvey, at: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO surveys (id, partnership_id, partner_id, audience, age_bands, languages, status, allowed_origins, accent_colour, version, live_version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11, ?11)`,
      )
      .bind(
        s.id,
        s.partnershipId,
        s.partnerId,
        s.audience,
        JSON.stringify(s.definition.ageBands),
        JSON.stringify(s.definition.languages),
        s.status,
        JSON.stringify(s.allowedOrigins),
        s.accentColour,
        s.status === 'live' ? 1 : null,
        at,
      ),
    db.prepare('INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES (?1, 1, ?2, ?3)').bind(s.id, JSON.stringify(s.definition), at),
  ];
}

export async function surveyIdTaken(db: D1Database, id: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS taken FROM surveys WHERE id = ?1').bind(id).first()) !== null;
}

/**
 * Saves settings and, when the definition changed, a new version. A live survey keeps serving
 * its published version until it is published again.
 */
export async function updateSurvey(
  db: D1Database,
  current: SurveyWithDefinition,
  changes: { allowedOrigins?: string[]; accentColour?: string | null; definition?: SurveyDefinition },
  at: string,
): Promise<void> {
  const newVersion = changes.definition ? current.version + 1 : current.version;
  const statements: D1PreparedStatement[] = [];
  if (changes.definition) {
    statements.push(
      db
        .prepare('INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES (?1, ?2, ?3, ?4)')
        .bind(current.id, newVersion, JSON.stringify(changes.definition), at),
    );
  }
  statements.push(
    db
      .prepare(
        `UPDATE surveys SET version = ?2, allowed_origins = ?3, accent_colour = ?4, age_bands = ?5, languages = ?6, updated_at = ?7
         WHERE id = ?1 AND version = ?8`,
      )
      .bind(
        current.id,
        newVersion,
        JSON.stringify(changes.allowedOrigins ?? current.allowedOrigins),
        changes.accentColour === undefined ? current.accentColour : changes.accentColour,
        JSON.stringify((changes.definition ?? current.definition).ageBands),
        JSON.stringify((changes.definition ?? current.definition).languages),
        at,
        current.version,
      ),
  );
  await db.batch(statements);
}

export async function setSurveyStatus(db: D1Database, id: string, status: SurveyStatus, liveVersion: number | null, at: string) {
  await db
    .prepare('UPDATE surveys SET status = ?2, live_version = COALESCE(?3, live_version), updated_at = ?4 WHERE id = ?1')
    .bind(id, status, liveVersion, at)
    .run();
}

/** A survey's English title from its latest version, beside its record: what the workspace lists instead of raw ids. */
export interface TitledSurvey extends SurveyRecord {
  title: string;
}

/** Surveys of a partnership (a partner's own and the partnership-wide ones), each with its latest version's English title. */
export async function listSurveysWithTitles(db: D1Database, partnershipId: string, partnerId?: string | null): Promise<TitledSurvey[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS}, json_extract(v.definition, '$.title.en') AS title FROM surveys s
       JOIN survey_versions v ON v.survey_id = s.id AND v.version = s.version
       WHERE s.partnership_id = ?1 AND (?2 IS NULL OR s.partner_id IS NULL OR s.partner_id = ?2) ORDER BY title, s.id`,
    )
    .bind(partnershipId, partnerId ?? null)
    .all<SurveyRow & { title: string | null }>();
  return results.map((r) => ({ ...toSurvey(r), title: r.title ?? r.id }));
}

/** A survey as insights report it: its respondent type and the definition respondents answer (the live one, else the latest). */
export interface ReportedSurvey {
  id: string;
  audience: Audience;
  definition: SurveyDefinition;
}

/** The surveys whose questions a report may show: a partner's own and the partnership-wide ones, with a partner. */
export async function listReportedSurveys(db: D1Database, partnershipId: string, partnerId?: string | null): Promise<ReportedSurvey[]> {
  const { results } = await db
    .prepare(
      `SELECT s.id, s.audience, v.definition FROM surveys s
       JOIN survey_versions v ON v.survey_id = s.id AND v.version = COALESCE(s.live_version, s.version)
       WHERE s.partnership_id = ?1 AND (?2 IS NULL OR s.partner_id IS NULL OR s.partner_id = ?2) ORDER BY s.id`,
    )
    .bind(partnershipId, partnerId ?? null)
    .all<{ id: string; audience: Audience; definition: string }>();
  return results.map((r) => ({ id: r.id, audience: r.audience, definition: JSON.parse(r.definition) as SurveyDefinition }));
}
