import type { Audience } from '../schemas/common';

/** "You said, we did": what a partner heard about a theme, and what it did (or will do) about it. */
export interface Action {
  id: string;
  partnershipId: string;
  /** null: partnership-wide. */
  partnerId: string | null;
  themeId: string;
  /** Only these surveys; null: every survey of the partner (or, partnership-wide, of the partnership). */
  surveyIds: string[] | null;
  /** Only surveys for these audiences; null: every audience (community surveys still only their own actions). */
  audiences: Audience[] | null;
  heard: Record<string, string>;
  did: Record<string, string>;
  /** YYYY-MM-DD. */
  when: string;
  status: 'planned' | 'done';
  published: boolean;
  createdAt: string;
  updatedAt: string;
}

interface ActionRow {
  id: string;
  partnership_id: string;
  partner_id: string | null;
  theme_id: string;
  survey_ids: string | null;
  audiences: string | null;
  heard: string;
  did: string;
  action_day: string;
  status: 'planned' | 'done';
  published: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, partnership_id, partner_id, theme_id, survey_ids, audiences, heard, did, action_day, status, published, created_at, updated_at';

const toAction = (r: ActionRow): Action => ({
  id: r.id,
  partnershipId: r.partnership_id,
  partnerId: r.partner_id,
  themeId: r.theme_id,
  surveyIds: r.survey_ids === null ? null : JSON.parse(r.survey_ids),
  audiences: r.audiences === null ? null : JSON.parse(r.audiences),
  heard: JSON.parse(r.heard),
  did: JSON.parse(r.did),
  when: r.action_day,
  status: r.status,
  published: r.published === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const jsonOrNull = (list: string[] | null) => (list === null ? null : JSON.stringify(list));
/** survey_id (the older column) is kept in step for anything that still reads it: the one survey, else NULL. */
const singleSurvey = (a: Action) => (a.surveyIds?.length === 1 ? a.surveyIds[0]! : null);

/** What an edit can change, bound as ?5 … ?14 by the insert and ?3 … ?12 by the update, in this order. */
const editable = (a: Action) => [
  a.themeId,
  singleSurvey(a),
  JSON.stringify(a.heard),
  JSON.stringify(a.did),
  a.when,
  a.status,
  a.published ? 1 : 0,
  a.updatedAt,
  jsonOrNull(a.surveyIds),
  jsonOrNull(a.audiences),
];

export async function insertAction(db: D1Database, a: Action): Promise<void> {
  await db
    .prepare(
      `INSERT INTO actions (id, partnership_id, partner_id, created_at, theme_id, survey_id, heard, did, action_day, status, published, updated_at, survey_ids, audiences)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`,
    )
    .bind(a.id, a.partnershipId, a.partnerId, a.createdAt, ...editable(a))
    .run();
}

export async function findAction(db: D1Database, partnershipId: string, id: string): Promise<Action | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM actions WHERE partnership_id = ?1 AND id = ?2`).bind(partnershipId, id).first<ActionRow>();
  return row ? toAction(row) : null;
}

/** Saves every field but the partnership, partner and creation time. */
export async function updateAction(db: D1Database, a: Action): Promise<void> {
  await db
    .prepare(
      `UPDATE actions SET theme_id = ?3, survey_id = ?4, heard = ?5, did = ?6, action_day = ?7, status = ?8, published = ?9, updated_at = ?10,
         survey_ids = ?11, audiences = ?12
       WHERE partnership_id = ?1 AND id = ?2`,
    )
    .bind(a.partnershipId, a.id, ...editable(a))
    .run();
}

/**
 * The partnership's actions, newest first. `visibleTo`: a practice lead's partner, whose list is
 * that partner's actions and the partnership-wide ones; null for every partner's.
 */
export async function listActions(
  db: D1Database,
  partnershipId: string,
  filter: { visibleTo: string | null; partner?: string; survey?: string },
): Promise<Action[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM actions
       WHERE partnership_id = ?1
         AND (?2 IS NULL OR partner_id IS NULL OR partner_id = ?2)
         AND (?3 IS NULL OR partner_id = ?3)
         AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(survey_ids) WHERE value = ?4))
       ORDER BY action_day DESC, updated_at DESC
       LIMIT 500`,
    )
    .bind(partnershipId, filter.visibleTo, filter.partner ?? null, filter.survey ?? null)
    .all<ActionRow>();
  return results.map(toAction);
}

/** One "you said, we did" item as children and families read it, in one language. */
export interface YouSaidWeDidItem {
  heard: string;
  did: string;
  /** The language heard and did are in: the one asked for, or `en` where the action isn't written in it. */
  lang: string;
  status: 'planned' | 'done';
  when: string;
}

/** How many items a thank-you page or the end of a chat shows. */
export const YOU_SAID_WE_DID_MAX = 10;

/**
 * Published actions that apply to a survey: those listing that survey, those for every survey of the
 * survey's partner, and partnership-wide ones, each only where its audiences (if chosen) include the
 * survey's; newest first, at most {@link YOU_SAID_WE_DID_MAX}. A community survey promises "what we
 * heard … on this page", so it shows only actions that list it or were chosen for communities.
 * Each is in `lang` where both its lines are written in it, else wholly in English (never half and
 * half), with `lang` saying which. For the thank-you page, the end of a chat and
 * `GET /api/v1/surveys/:id/you-said-we-did`.
 *
 * @example
 * const items = await youSaidWeDidFor(env.DB, 'after-visit', 'cy');
 */
export async function youSaidWeDidFor(db: D1Database, surveyId: string, lang: string): Promise<YouSaidWeDidItem[]> {
  const { results } = await db
    .prepare(
      `SELECT a.heard, a.did, a.status, a.action_day
       FROM surveys s
       JOIN actions a ON a.partnership_id = s.partnership_id
       WHERE s.id = ?1 AND a.published = 1
         AND (a.audiences IS NULL OR EXISTS (SELECT 1 FROM json_each(a.audiences) WHERE value = s.audience))
         AND CASE
           WHEN a.survey_ids IS NOT NULL THEN EXISTS (SELECT 1 FROM json_each(a.survey_ids) WHERE value = s.id)
           ELSE (a.partner_id IS NULL OR a.partner_id = s.partner_id) AND (s.audience <> 'community' OR a.audiences IS NOT NULL)
         END
       ORDER BY a.action_day DESC, a.updated_at DESC
       LIMIT ?2`,
    )
    .bind(surveyId, YOU_SAID_WE_DID_MAX)
    .all<Pick<ActionRow, 'heard' | 'did' | 'status' | 'action_day'>>();
  return results.map((r) => {
    const heard = JSON.parse(r.heard) as Record<string, string>;
    const did = JSON.parse(r.did) as Record<string, string>;
    const shown = heard[lang] !== undefined && did[lang] !== undefined ? lang : 'en';
    return { heard: heard[shown]!, did: did[shown]!, lang: shown, status: r.status, when: r.action_day };
  });
}

/**
 * Published actions of a partner (and the partnership-wide ones) dated within `from`..`to`
 * inclusive, oldest first, in English: what a feed entry for that partner and period lists.
 *
 * @example
 * const actions = await publishedActionsBetween(env.DB, 'demo', 'demo-la', '2026-06-01', '2026-06-30');
 */
export async function publishedActionsBetween(
  db: D1Database,
  partnershipId: string,
  partnerId: string | null,
  from: string,
  to: string,
): Promise<(Omit<YouSaidWeDidItem, 'lang'> & { themeId: string })[]> {
  const { results } = await db
    .prepare(
      `SELECT theme_id, heard, did, status, action_day FROM actions
       WHERE partnership_id = ?1 AND published = 1 AND (partner_id IS NULL OR partner_id = ?2)
         AND action_day BETWEEN ?3 AND ?4
       ORDER BY action_day, created_at
       LIMIT 100`,
    )
    .bind(partnershipId, partnerId, from, to)
    .all<Pick<ActionRow, 'theme_id' | 'heard' | 'did' | 'status' | 'action_day'>>();
  const en = (json: string) => (JSON.parse(json) as Record<string, string>).en!;
  return results.map((r) => ({ themeId: r.theme_id, heard: en(r.heard), did: en(r.did), status: r.status, when: r.action_day }));
}

/**
 * `publishedActionsBetween` for several partners in one query: each partner's list is what that
 * function gives it (its own and the partnership-wide actions, oldest first, at most 100), so a
 * feed with one entry per partner and period asks D1 once.
 */
export async function publishedActionsOfPartnersBetween(
  db: D1Database,
  partnershipId: string,
  partnerIds: string[],
  from: string,
  to: string,
): Promise<Map<string, (Omit<YouSaidWeDidItem, 'lang'> & { themeId: string })[]>> {
  const { results } = await db
    .prepare(
      `SELECT partner_id, theme_id, heard, did, status, action_day FROM actions
       WHERE partnership_id = ?1 AND published = 1 AND action_day BETWEEN ?2 AND ?3
       ORDER BY action_day, created_at
       LIMIT 1000`,
    )
    .bind(partnershipId, from, to)
    .all<Pick<ActionRow, 'partner_id' | 'theme_id' | 'heard' | 'did' | 'status' | 'action_day'>>();
  const en = (json: string) => (JSON.parse(json) as Record<string, string>).en!;
  const items = results.map((r) => ({
    partnerId: r.partner_id,
    item: { themeId: r.theme_id, heard: en(r.heard), did: en(r.did), status: r.status, when: r.action_day },
  }));
  return new Map(
    partnerIds.map((id) => [
      id,
      items
        .filter((a) => a.partnerId === null || a.partnerId === id)
        .slice(0, 100)
        .map((a) => a.item),
    ]),
  );
}
