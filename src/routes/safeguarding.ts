import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { UuidParam } from '../schemas/api';
import { acknowledgeAlert, readAlert, readAlerts } from '../services/alerts';
import { AcknowledgeSchema, AlertListSchema, AlertSchema, AlertsQuerySchema } from '../schemas/safeguarding';

/**
 * The safeguarding alert queue: possible disclosures, with what was written, for the partnership's
 * safeguarding leads and nobody else. Every read and acknowledgement goes in the audit log first.
 */
export const safeguarding = new Hono<AppEnv>();

safeguarding.use('*', requireKey({ roles: ['safeguarding-lead'] }));

const FORBIDDEN = { 401: { description: 'No valid key' }, 403: { description: 'Not a safeguarding lead key' } } as const;

safeguarding.get(
  '/alerts',
  describe({
    summary: 'The alert queue: open (new and overdue; current first, then oldest due), acknowledged, or all',
    tags: ['safeguarding'],
    auth: true,
    responses: { 200: { description: 'Alerts, unsealed', schema: AlertListSchema }, 400: { description: 'Bad query' }, ...FORBIDDEN },
  }),
  validate('query', AlertsQuerySchema),
  async (c) => {
    const { status, limit } = c.req.valid('query');
    c.header('Cache-Control', 'no-store');
    return c.json({ alerts: await readAlerts(c.env, c.get('key'), status, limit) });
  },
);

safeguarding.get(
  '/alerts/:id',
  describe({
    summary: 'One alert, unsealed',
    tags: ['safeguarding'],
    auth: true,
    responses: { 200: { description: 'The alert', schema: AlertSchema }, 404: { description: 'No such alert for this key' }, ...FORBIDDEN },
  }),
  validate('param', UuidParam),
  async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await readAlert(c.env, c.get('key'), c.req.valid('param').id));
  },
);

safeguarding.post(
  '/alerts/:id/acknowledge',
  describe({
    summary: 'Acknowledge an alert, saying what was done (the note is sealed; the alert is deleted 30 days later)',
    tags: ['safeguarding'],
    auth: true,
    responses: {
      200: { description: 'Acknowledged', schema: AlertSchema },
      400: { description: 'Invalid fields, each named' },
      404: { description: 'No such alert for this key' },
      409: { description: 'Already acknowledged' },
      ...FORBIDDEN,
    },
  }),
  validate('param', UuidParam),
  validate('json', AcknowledgeSchema),
  async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await acknowledgeAlert(c.env, c.get('key'), c.req.valid('param').id, c.req.valid('json')));
  },
);
