export interface FeedbackLink {
  id: string;
  partnershipId: string;
  surveyId: string;
  partnerId: string;
  serviceId: string | null;
  contactType: string;
  singleUse: boolean;
  uses: number;
  expiresAt: string;
  createdAt: string;
  /** Whether the practitioner gave a contact reference: the survey then says who may be told. The reference itself stays sealed. */
  identifiable: boolean;
}
interface LinkRow {
  id: string;
  partnership_id: string;
  survey_id: string;
  partner_id: string;
  service_id: string | null;
  contact_type: string;
  single_use: number;
  uses: number;
  expires_at: string;
  created_at: string;
  identifiable: number;
}
const COLUMNS =
  'id, partnership_id, survey_id, partner_id, service_id, contact_type, single_use, uses, expires_at, created_at, contact_ref_sealed IS NOT NULL AS identifiable';
const toLink = (r: LinkRow): FeedbackLink => ({
  id: r.id,
  partnershipId: r.partnership_id,
  surveyId: r.survey_id,
  partnerId: r.partner_id,
  serviceId: r.service_id,
  contactType: r.contact_type,
  singleUse: r.single_use === 1,
  uses: r.uses,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  identifiable: r.identifiable === 1,
});

export const isUsable = (link: FeedbackLink, now: string) => link.expiresAt > now && !(link.singleUse && link.uses > 0);

export async function findLinkByTokenHash(db: D1Database, tokenHash: string): Promise<FeedbackLink | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM feedback_links WHERE token_hash = ?1`).bind(tokenHash).first<LinkRow>();
  return row ? toLink(row) : null;
}

/** `contactRefSealed`: the practitioner's contact reference sealed with ALERT_KEY, or null. */
export const insertLinkStatement = (db: D1Database, link: Omit<FeedbackLink, 'identifiable'>, tokenHash: string, contactRefSealed: string | null = null) =>
  db
    .prepare(
      `INSERT INTO feedback_links (id, token_hash, partnership_id, survey_id, partner_id, service_id, contact_type, single_use, uses, expires_at, created_at, contact_ref_sealed)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10, ?11)`,
    )
    .bind(
      link.id,
      tokenHash,
      link.partnershipId,
      link.surveyId,
      link.partnerId,
      link.serviceId,
      link.contactType,
      link.singleUse ? 1 : 0,
      link.expiresAt,
      link.createdAt,
      contactRefSealed,
    );

export async function listLinks(db: D1Database, partnershipId: string, partnerId?: string | null): Promise<FeedbackLink[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM feedback_links WHERE partnership_id = ?1 AND (?2 IS NULL OR partner_id = ?2) ORDER BY created_at DESC LIMIT 500`)
    .bind(partnershipId, partnerId ?? null)
    .all<LinkRow>();
  return results.map(toLink);
}

/** Ends a link early. */
export async function expireLink(db: D1Database, partnershipId: string, id: string, partnerId: string | null, at: string): Promise<boolean> {
  const result = await db
    .prepare('UPDATE feedback_links SET expires_at = ?3 WHERE partnership_id = ?1 AND id = ?2 AND (?4 IS NULL OR partner_id = ?4) AND expires_at > ?3')
    .bind(partnershipId, id, at, partnerId)
    .run();
  return result.meta.changes === 1;
}
