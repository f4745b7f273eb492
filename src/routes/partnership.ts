import { Hono } from 'hono';
import * as v from 'valibot';
import type { ApiKey } from '../db/keys';
import { findPartnership, type Partnership } from '../db/partnerships';
import type { AppEnv } from '../env';
import { requireKey } from '../middleware/auth';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { PartnershipSettingsSchema } from '../schemas/api';
import { changeSettings, rotateWebhookSecret } from '../services/partnership';

/** The key's own partnership (the tenant) and its disclosure-control settings. */
export const partnership = new Hono<AppEnv>();

const PartnershipView = v.object({
  id: v.string(),
  name: v.string(),
  suppressionRule: v.picklist(['dfe', 'nhs']),
  minBase: v.number(),
  /** Admins only: the URL may carry the receiving system's own secret. */
  alertWebhookUrl: v.optional(v.nullable(v.string())),
  /**
   * Only in the reply that set the URL (or rotated the secret), and never again: the Standard
   * Webhooks signing secret (`whsec_…`) the receiver verifies `webhook-signature` with.
   */
  alertWebhookSecret: v.optional(v.string()),
  /** Admins and safeguarding leads: who is emailed about alerts (and the daily digest of reviews due). */
  alertEmailRecipients: v.optional(v.array(v.string())),
});
const view = (p: Partnership, key: ApiKey) => ({
  id: p.id,
  name: p.name,
  suppressionRule: p.suppressionRule,
  minBase: p.minBase,
  ...(key.role === 'admin' ? { alertWebhookUrl: p.alertWebhookUrl } : {}),
  ...(key.role === 'admin' || key.role === 'safeguarding-lead' ? { alertEmailRecipients: p.alertEmailRecipients } : {}),
});

partnership.get(
  '/',
  describe({
    summary: 'The partnership this key belongs to',
    tags: ['partnership'],
    auth: true,
    responses: { 200: { description: 'Partnership', schema: PartnershipView } },
  }),
  requireKey(),
  async (c) => c.json(view((await findPartnership(c.env.DB, c.get('key').partnershipId))!, c.get('key'))),
);

partnership.patch(
  '/',
  describe({
    summary:
      'Change the name, the suppression rule (dfe or nhs), the alert webhook (https, a public host; null removes it) or who is emailed about alerts (alertEmailRecipients; [] for nobody). Setting the webhook answers its new signing secret, once',
    tags: ['partnership'],
    auth: true,
    responses: { 200: { description: 'Updated', schema: PartnershipView }, 400: { description: 'Invalid' } },
  }),
  requireKey({ roles: ['admin'] }),
  validate('json', PartnershipSettingsSchema),
  async (c) => {
    const key = c.get('key');
    const { partnership: saved, alertWebhookSecret: secret } = await changeSettings(c.env.DB, c.env.ALERT_KEY, key, c.req.valid('json'));
    if (secret) c.header('Cache-Control', 'no-store');
    return c.json({ ...view(saved, key), ...(secret ? { alertWebhookSecret: secret } : {}) });
  },
);

partnership.post(
  '/alert-webhook/secret',
  describe({
    summary: 'Rotate the alert webhook’s signing secret: the new one is answered once; the old one stops signing at once',
    tags: ['partnership'],
    auth: true,
    responses: { 200: { description: 'The new secret', schema: v.object({ alertWebhookSecret: v.string() }) }, 409: { description: 'No webhook is set' } },
  }),
  requireKey({ roles: ['admin'] }),
  async (c) => {
    const secret = await rotateWebhookSecret(c.env.DB, c.env.ALERT_KEY, c.get('key'));
    c.header('Cache-Control', 'no-store');
    return c.json({ alertWebhookSecret: secret });
  },
);
