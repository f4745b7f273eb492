import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { UuidParam } from '../schemas/api';
import { acknowledgeAlert, readAlert, readAlerts } from '../services/alerts';
import { announceAlert } from '../services/alert-webhook';
import { decideReview, readReview, readReviews } from '../services/reviews';
import {
  AcknowledgeSchema,
  AlertListSchema,
  AlertSchema,
  AlertsQuerySchema,
  DecideReviewSchema,
  ReviewListSchema,
  ReviewSchema,
  ReviewsQuerySchema,
} from '../schemas/safeguarding';

/**
 * The safeguarding alert queue: possible disclosures, with what was written, for the partnership's
 * safeguarding leads and nobody else; and the review queue, for reviewers and safeguarding leads.
 * Every read, acknowledgement and decision goes in the audit log first.
 */
export const safeguarding = new Hono<AppEnv>();

const onlySafeguardingLeads = requireKey({ roles: ['safeguarding-lead'] });
safeguarding.use('/alerts', onlySafeguardingLeads);
safeguarding.use('/alerts/*', onlySafeguardingLeads);
const reviewers = requireKey({ roles: ['reviewer', 'safeguarding-lead'] });
safeguarding.use('/reviews', reviewers);
safeguarding.use('/reviews/*', reviewers);

const FORBIDDEN = { 401: { description: 'No valid key' }, 403: { description: 'Not a safeguarding lead key' } } as const;
const NOT_A_REVIEWER = { 401: { description: 'No valid key' }, 403: { description: 'Not a reviewer or safeguarding lead key' } } as const;

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

safeguarding.get(
  '/reviews',
  describe({
    summary: 'The review queue: answers whose triage is review (open ones soonest due first), decided, or all',
    tags: ['safeguarding'],
    auth: true,
    responses: { 200: { description: 'Review items, unsealed', schema: ReviewListSchema }, 400: { description: 'Bad query' }, ...NOT_A_REVIEWER },
  }),
  validate('query', ReviewsQuerySchema),
  async (c) => {
    const { status, limit } = c.req.valid('query');
    return c.json({ reviews: await readReviews(c.env, c.get('key'), status, limit) });
  },
);

safeguarding.get(
  '/reviews/:id',
  describe({
    summary: 'One review item, unsealed',
    tags: ['safeguarding'],
    auth: true,
    responses: { 200: { description: 'The item', schema: ReviewSchema }, 404: { description: 'No such item for this key' }, ...NOT_A_REVIEWER },
  }),
  validate('param', UuidParam),
  async (c) => c.json(await readReview(c.env, c.get('key'), c.req.valid('param').id)),
);

safeguarding.post(
  '/reviews/:id/decision',
  describe({
    summary:
      'Decide a review item: not-a-concern, escalate (raises an alert, due within the hour from now), or worker-conversation (only with a contact reference)',
    tags: ['safeguarding'],
    auth: true,
    responses: {
      200: { description: 'Decided', schema: ReviewSchema },
      400: { description: 'Invalid fields, each named (worker-conversation without a contact reference; escalate without a category)' },
      404: { description: 'No such item for this key' },
      409: { description: 'Already decided' },
      ...NOT_A_REVIEWER,
    },
  }),
  validate('param', UuidParam),
  validate('json', DecideReviewSchema),
  async (c) => {
    const { review, alert } = await decideReview(c.env, c.get('key'), c.req.valid('param').id, c.req.valid('json'));
    if (alert) c.executionCtx.waitUntil(announceAlert(c.env, alert));
    return c.json(review);
  },
);
