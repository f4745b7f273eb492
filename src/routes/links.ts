import { Hono } from 'hono';
import * as v from 'valibot';
import { findPartner, findService } from '../db/partners';
import { expireLink, insertLinkStatement, listLinks, type FeedbackLink } from '../db/links';
import { findSurveyForEditing } from '../db/surveys';
import type { AppEnv } from '../env';
import { canChangePartner, canSeePartner } from '../domain/access';
import { requireKey } from '../middleware/auth';
import { newId, randomSecret, sha256Hex } from '../lib/crypto';
import { forbidden, invalid, notFound } from '../lib/errors';
import { describe } from '../lib/openapi';
import { seal } from '../lib/seal';
import { addDays, nowIso } from '../lib/time';
import { validate } from '../lib/validate';
import { CreatedLinkSchema, CreateLinkSchema, LinkSchema, UuidParam } from '../schemas/api';

/**
 * Feedback links: a token a practitioner hands out after a contact (QR code or SMS). It says which
 * partner, service and kind of contact the feedback is about, never who the child is.
 */
export const links = new Hono<AppEnv>();

/**
 * A link as partners see it. Never its use count, nor whether a single-use link was used: one link
 * is often one family, so "used once" would publish a count of 1 beside its partner, service and
 * contact type. `status` says only whether its date has passed; a used single-use link still
 * refuses a second response inside intake.
 */
const linkView = (l: FeedbackLink, now: string) => ({
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

links.post(
  '/',
  describe({
    summary: 'Issue a feedback link (the token is shown once; an optional contactRef is sealed and shown only on its alerts)',
    tags: ['links'],
    auth: true,
    responses: { 201: { description: 'Issued', schema: CreatedLinkSchema }, 400: { description: 'Invalid' } },
  }),
  requireKey({ roles: ['admin', 'practice-lead'] }),
  validate('json', CreateLinkSchema),
  async (c) => {
    const key = c.get('key');
    const body = c.req.valid('json');
    if (!canChangePartner(key, body.partnerId)) throw forbidden('A practice lead can only issue links for their own partner.');
    const db = c.env.DB;
    const [survey, partner, service] = await Promise.all([
      findSurveyForEditing(db, key.partnershipId, body.surveyId),
      findPartner(db, key.partnershipId, body.partnerId),
      body.serviceId ? findService(db, key.partnershipId, body.serviceId) : Promise.resolve(null),
    ]);
    const problems = [];
    if (!survey || !canSeePartner(key, survey.partnerId)) problems.push({ path: 'surveyId', message: 'is not a survey of this partnership' });
    if (!partner) problems.push({ path: 'partnerId', message: 'is not a partner of this partnership' });
    if (body.serviceId && (!service || service.partnerId !== body.partnerId)) problems.push({ path: 'serviceId', message: 'is not a service of that partner' });
    if (problems.length) throw invalid(problems);

    const now = new Date();
    const token = randomSecret('', 18);
    const link: FeedbackLink = {
      id: newId(),
      partnershipId: key.partnershipId,
      surveyId: body.surveyId,
      partnerId: body.partnerId,
      serviceId: body.serviceId ?? null,
      contactType: body.contactType,
      singleUse: body.singleUse,
      uses: 0,
      expiresAt: addDays(now, body.expiresInDays).toISOString(),
      createdAt: now.toISOString(),
      identifiable: body.contactRef !== undefined,
    };
    const contactRefSealed = body.contactRef === undefined ? null : await seal(c.env.ALERT_KEY, body.contactRef);
    await insertLinkStatement(db, link, await sha256Hex(token), contactRefSealed).run();
    const url = new URL(`/s/${encodeURIComponent(link.surveyId)}?link=${token}`, c.req.url).toString();
    return c.json({ ...linkView(link, now.toISOString()), token, url }, 201);
  },
);

links.get(
  '/',
  describe({
    summary: 'List feedback links (without their tokens)',
    tags: ['links'],
    auth: true,
    responses: { 200: { description: 'Links', schema: v.object({ links: v.array(LinkSchema) }) } },
  }),
  requireKey({ roles: ['admin', 'practice-lead', 'scrutineer'] }),
  async (c) => {
    const key = c.get('key');
    const now = nowIso();
    return c.json({ links: (await listLinks(c.env.DB, key.partnershipId, key.partnerId)).map((l) => linkView(l, now)) });
  },
);

links.post(
  '/:id/revoke',
  describe({
    summary: 'End a feedback link now',
    tags: ['links'],
    auth: true,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such active link' } },
  }),
  requireKey({ roles: ['admin', 'practice-lead'] }),
  validate('param', UuidParam),
  async (c) => {
    const key = c.get('key');
    const ok = await expireLink(c.env.DB, key.partnershipId, c.req.valid('param').id, key.role === 'admin' ? null : key.partnerId, nowIso());
    if (!ok) throw notFound('active link');
    return c.body(null, 204);
  },
);
