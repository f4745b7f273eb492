import type { ApiKey } from '../db/keys';
import { expireLink, findLinkByTokenHash, insertLinkStatement, listLinks, type FeedbackLink } from '../db/links';
import { findPartner, findService } from '../db/partners';
import { findSurveyForEditing } from '../db/surveys';
import { canChangePartner, canSeePartner } from '../domain/access';
import { newId, randomSecret, sha256Hex } from '../lib/crypto';
import { forbidden, invalid, notFound, type FieldProblem } from '../lib/errors';
import { seal } from '../lib/seal';
import { addDays, nowIso } from '../lib/time';
import type { CreateLinkOutput } from '../schemas/api';

/**
 * Feedback links: a token a practitioner hands out after a contact (QR code, printed card or SMS).
 * It says which partner, service and kind of contact the feedback is about, never who the child
 * is. The API (routes/links.ts) and the workspace (routes/workspace.tsx) both issue, list and
 * revoke links here, so a link made either way is checked and stored the same way.
 */

/**
 * A link as partners see it. Never its use count, nor whether a single-use link was used: one link
 * is often one family, so "used once" would publish a count of 1 beside its partner, service and
 * contact type. `status` says only whether its date has passed; a used single-use link still
 * refuses a second response inside intake.
 */
export const linkView = (l: FeedbackLink, now: string) => ({
  id: l.id,
  surveyId: l.surveyId,
  partnerId: l.partnerId,
  serviceId: l.serviceId,
  contactType: l.contactType,
  singleUse: l.singleUse,
  status: l.expiresAt > now ? ('active' as const) : ('expired' as const),
  expiresAt: l.expiresAt,
  // Whether a contact reference was given; the reference itself is shown only on this link's alerts.
  identifiable: l.identifiable,
});
export type LinkView = ReturnType<typeof linkView>;

/** The survey URL a link opens, and the short one that redirects to it (for cards and text messages). */
export const linkUrls = (origin: string, surveyId: string, token: string) => ({
  url: new URL(`/s/${encodeURIComponent(surveyId)}?link=${token}`, origin).toString(),
  shortUrl: new URL(`/l/${token}`, origin).toString(),
});

export interface IssuedLink extends LinkView {
  token: string;
  url: string;
  shortUrl: string;
}

/**
 * Issues a link for `key` (admins for any partner, practice leads for their own). The token is in
 * this answer only: it is stored as its SHA-256, so a lost card means a new link.
 */
export async function issueLink(db: D1Database, alertKey: string, key: ApiKey, input: CreateLinkOutput, origin: string): Promise<IssuedLink> {
  if (!canChangePartner(key, input.partnerId)) throw forbidden('A practice lead can only issue links for their own partner.');
  const [survey, partner, service] = await Promise.all([
    findSurveyForEditing(db, key.partnershipId, input.surveyId),
    findPartner(db, key.partnershipId, input.partnerId),
    input.serviceId ? findService(db, key.partnershipId, input.serviceId) : Promise.resolve(null),
  ]);
  const problems: FieldProblem[] = [];
  if (!survey || !canSeePartner(key, survey.partnerId)) problems.push({ path: 'surveyId', message: 'is not a survey of this partnership' });
  if (!partner) problems.push({ path: 'partnerId', message: 'is not a partner of this partnership' });
  if (input.serviceId && (!service || service.partnerId !== input.partnerId)) problems.push({ path: 'serviceId', message: 'is not a service of that partner' });
  if (problems.length) throw invalid(problems);

  const now = new Date();
  const token = randomSecret('', 18);
  const link: FeedbackLink = {
    id: newId(),
    partnershipId: key.partnershipId,
    surveyId: input.surveyId,
    partnerId: input.partnerId,
    serviceId: input.serviceId ?? null,
    contactType: input.contactType,
    singleUse: input.singleUse,
    uses: 0,
    expiresAt: addDays(now, input.expiresInDays).toISOString(),
    createdAt: now.toISOString(),
    identifiable: input.contactRef !== undefined,
  };
  const contactRefSealed = input.contactRef === undefined ? null : await seal(alertKey, input.contactRef);
  await insertLinkStatement(db, link, await sha256Hex(token), contactRefSealed).run();
  return { ...linkView(link, now.toISOString()), token, ...linkUrls(origin, link.surveyId, token) };
}

/** The links a key may see (a partner's own, or all for partnership-wide keys), newest first. */
export async function linksFor(db: D1Database, key: ApiKey): Promise<LinkView[]> {
  const now = nowIso();
  return (await listLinks(db, key.partnershipId, key.partnerId)).map((l) => linkView(l, now));
}

/** Ends a link now; 404 for a link that is not the key's to end, or already ended. */
export async function revokeLink(db: D1Database, key: ApiKey, id: string): Promise<void> {
  const ok = await expireLink(db, key.partnershipId, id, key.role === 'admin' ? null : key.partnerId, nowIso());
  if (!ok) throw notFound('active link');
}

/** Where a short link leads: the survey page with the token, or null for a token never issued. */
export async function surveyUrlOfShortLink(db: D1Database, token: string, origin: string): Promise<string | null> {
  const link = await findLinkByTokenHash(db, await sha256Hex(token));
  return link ? linkUrls(origin, link.surveyId, token).url : null;
}
