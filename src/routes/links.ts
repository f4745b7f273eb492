import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { requireKey } from '../middleware/auth';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { CreatedLinkSchema, CreateLinkSchema, LinkSchema, LinkTokenSchema, UuidParam } from '../schemas/api';
import { issueLink, linksFor, revokeLink, surveyUrlOfShortLink } from '../services/links';

/**
 * Feedback links: a token a practitioner hands out after a contact (QR code or SMS). It says which
 * partner, service and kind of contact the feedback is about, never who the child is. The use
 * cases are in services/links.ts, shared with the workspace's links page.
 */
export const links = new Hono<AppEnv>();

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
  async (c) => c.json(await issueLink(c.env.DB, c.env.ALERT_KEY, c.get('key'), c.req.valid('json'), new URL(c.req.url).origin), 201),
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
  async (c) => c.json({ links: await linksFor(c.env.DB, c.get('key')) }),
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
    await revokeLink(c.env.DB, c.get('key'), c.req.valid('param').id);
    return c.body(null, 204);
  },
);

/**
 * Short links for cards and text messages: `/l/TOKEN` redirects to the survey with the token. An
 * unknown token is a plain 404; an expired or used one goes on to the survey, which says so.
 */
export const shortLinks = new Hono<AppEnv>();

shortLinks.get('/l/:token', async (c) => {
  const token = c.req.param('token');
  const target = v.is(LinkTokenSchema, token) ? await surveyUrlOfShortLink(c.env.DB, token, new URL(c.req.url).origin) : null;
  c.header('Cache-Control', 'no-store');
  if (!target) return c.text('This feedback link is not known. Check the address on the card or message. / Nid ydyn ni’n adnabod y ddolen hon.', 404);
  return c.redirect(target, 302);
});
