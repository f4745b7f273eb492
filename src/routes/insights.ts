import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { reportCache } from '../middleware/report-cache';
import { InsightQuerySchema } from '../schemas/api';
import { insightsFor, scopeOf } from '../services/insights';

/** Themes, trends and ratings for practice leads, admins and scrutineers, always suppressed. */
export const insights = new Hono<AppEnv>();

insights.get(
  '/',
  describe({
    summary:
      'Totals, responses per period, ratings, themes (count, share, sentiment, change, trend, quotes) and every question asked (each answer per survey), with small numbers suppressed',
    tags: ['insights'],
    auth: true,
    responses: { 200: { description: 'The report' }, 400: { description: 'Invalid filters' }, 403: { description: 'Not this key’s partner' } },
  }),
  requireKey({ roles: ['admin', 'practice-lead', 'scrutineer'] }),
  validate('query', InsightQuerySchema),
  reportCache({ scope: (c) => scopeOf(c.get('key')), cacheControl: 'private, no-store' }),
  async (c) => {
    const report = await insightsFor(c.env.DB, scopeOf(c.get('key')), c.req.valid('query'), c.get('reportFingerprint'));
    c.header('Cache-Control', 'private, no-store');
    return c.json(report);
  },
);
