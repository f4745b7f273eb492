import { Hono } from 'hono';
import * as v from 'valibot';
import { insertAuditStatement } from '../db/audit';
import type { ApiKey } from '../db/keys';
import { findPartnership, setAlertWebhookStatement, updatePartnershipSettings, type Partnership } from '../db/partnerships';
import type { AppEnv } from '../env';
import { requireKey } from '../middleware/auth';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { PartnershipSettingsSchema } from '../schemas/api';

/** The key's own partnership (the tenant) and its disclosure-control settings. */
export const partnership = new Hono<AppEnv>();

const PartnershipView = v.object({
  id: v.string(),
  name: v.string(),
  suppressionRule: v.picklist(['dfe', 'nhs']),
  minBase: v.number(),
  /** Admins only: the URL may carry the receiving system's own secret. */
  alertWebhookUrl: v.optional(v.nullable(v.string())),
});
const view = (p: Partnership, key: ApiKey) => ({
  id: p.id,
  name: p.name,
  suppressionRule: p.suppressionRule,
  minBase: p.minBase,
  ...(key.role === 'admin' ? { alertWebhookUrl: p.alertWebhookUrl } : {}),
});

partnership.get(
  '/',
  describe({ summary: 'The partnership this key belongs to', tags: ['partnership'], auth: true, responses: { 200: { description: 'Partnership', schema: PartnershipView } } }),
  requireKey(),
  async (c) => c.json(view((await findPartnership(c.env.DB, c.get('key').partnershipId))!, c.get('key'))),
);

partnership.patch(
  '/',
  describe({ summary: 'Change the name, the suppression rule (dfe or nhs) or the alert webhook (https; null removes it)', tags: ['partnership'], auth: true, responses: { 200: { description: 'Updated', schema: PartnershipView }, 400: { description: 'Invalid' } } }),
  requireKey({ roles: ['admin'] }),
  validate('json', PartnershipSettingsSchema),
  async (c) => {
    const key = c.get('key');
    const id = key.partnershipId;
    const { alertWebhookUrl, ...settings } = c.req.valid('json');
    await updatePartnershipSettings(c.env.DB, id, settings);
    // Where alerts are announced is a safeguarding setting: who changed it goes in the audit log.
    if (alertWebhookUrl !== undefined) {
      await c.env.DB.batch([
        setAlertWebhookStatement(c.env.DB, id, alertWebhookUrl),
        insertAuditStatement(c.env.DB, key, 'partnership.alert-webhook', [id], new Date().toISOString()),
      ]);
    }
    return c.json(view((await findPartnership(c.env.DB, id))!, key));
  },
);
