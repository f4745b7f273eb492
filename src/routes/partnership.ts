import { Hono } from 'hono';
import * as v from 'valibot';
import { findPartnership, updatePartnershipSettings, type Partnership } from '../db/partnerships';
import type { AppEnv } from '../env';
import { requireKey } from '../middleware/auth';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { PartnershipSettingsSchema } from '../schemas/api';

/** The key's own partnership (the tenant) and its disclosure-control settings. */
export const partnership = new Hono<AppEnv>();

const PartnershipView = v.object({ id: v.string(), name: v.string(), suppressionRule: v.picklist(['dfe', 'nhs']), minBase: v.number() });
const view = (p: Partnership) => ({ id: p.id, name: p.name, suppressionRule: p.suppressionRule, minBase: p.minBase });

partnership.get(
  '/',
  describe({ summary: 'The partnership this key belongs to', tags: ['partnership'], auth: true, responses: { 200: { description: 'Partnership', schema: PartnershipView } } }),
  requireKey(),
  async (c) => c.json(view((await findPartnership(c.env.DB, c.get('key').partnershipId))!)),
);

partnership.patch(
  '/',
  describe({ summary: 'Change the name or the suppression rule (dfe or nhs)', tags: ['partnership'], auth: true, responses: { 200: { description: 'Updated', schema: PartnershipView }, 400: { description: 'Invalid' } } }),
  requireKey({ roles: ['admin'] }),
  validate('json', PartnershipSettingsSchema),
  async (c) => {
    const id = c.get('key').partnershipId;
    await updatePartnershipSettings(c.env.DB, id, c.req.valid('json'));
    return c.json(view((await findPartnership(c.env.DB, id))!));
  },
);
