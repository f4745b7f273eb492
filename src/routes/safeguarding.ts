import { Hono } from 'hono';
import { acknowledgeAlertStatement, findAlert, listAlerts, type AlertFilter, type AlertScope, type StoredAlert } from '../db/alerts';
import { insertAuditStatement } from '../db/audit';
import type { ApiKey } from '../db/keys';
import type { AppEnv } from '../env';
import { conflict, notFound } from '../lib/errors';
import { describe } from '../lib/openapi';
import { seal, unseal, unsealJoined } from '../lib/seal';
import { nowIso } from '../lib/time';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { UuidParam } from '../schemas/api';
import { AcknowledgeSchema, AlertListSchema, AlertSchema, AlertsQuerySchema, type ActionTaken } from '../schemas/safeguarding';

/**
 * The safeguarding alert queue: possible disclosures, with what was written, for the partnership's
 * safeguarding leads and nobody else. Every read and acknowledgement goes in the audit log first.
 */
export const safeguarding = new Hono<AppEnv>();

safeguarding.use('*', requireKey({ roles: ['safeguarding-lead'] }));

const scopeOf = (key: ApiKey): AlertScope => ({ partnershipId: key.partnershipId, partnerId: key.partnerId });

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

/** The queue for a safeguarding lead, unsealed. Audited before anything is shown: a read that can't be audited doesn't happen. */
export async function readAlerts(env: Env, key: ApiKey, status: AlertFilter, limit: number) {
  const alerts = await listAlerts(env.DB, scopeOf(key), status, limit);
  await insertAuditStatement(env.DB, key, 'alerts.list', alerts.map((a) => a.id), nowIso()).run();
  return Promise.all(alerts.map((a) => alertView(env.ALERT_KEY, a, new Date())));
}

/** One alert, unsealed, audited first. */
export async function readAlert(env: Env, key: ApiKey, id: string) {
  const alert = await findAlert(env.DB, scopeOf(key), id);
  if (!alert) throw notFound('alert');
  await insertAuditStatement(env.DB, key, 'alerts.read', [alert.id], nowIso()).run();
  return alertView(env.ALERT_KEY, alert, new Date());
}

/** Records what was done; the acknowledgement and its audit row are stored together or not at all. */
export async function acknowledgeAlert(env: Env, key: ApiKey, id: string, input: { actionTaken: ActionTaken; note: string }) {
  const db = env.DB;
  const scope = scopeOf(key);
  const alert = await findAlert(db, scope, id);
  if (!alert) throw notFound('alert');
  if (alert.status === 'acknowledged') throw alreadyAcknowledged();
  const at = nowIso();
  const [updated] = await db.batch([
    acknowledgeAlertStatement(db, key.partnershipId, id, { at, keyId: key.id, actionTaken: input.actionTaken, noteSealed: await seal(env.ALERT_KEY, input.note) }),
    insertAuditStatement(db, key, 'alerts.acknowledge', [id], at, { onlyIfChanged: true }),
  ]);
  if (updated!.meta.changes !== 1) throw alreadyAcknowledged();
  return alertView(env.ALERT_KEY, (await findAlert(db, scope, id))!, new Date());
}

export type AlertView = Awaited<ReturnType<typeof alertView>>;

const alreadyAcknowledged = () => conflict('already_acknowledged', 'This alert has already been acknowledged.');

/** The alert as a safeguarding lead reads it: unsealed, with whether it is overdue right now. */
async function alertView(secret: string, a: StoredAlert, now: Date) {
  const open = (sealed: string | null, separator = '\n\n') => (sealed === null ? Promise.resolve(null) : unsealOrNull(secret, sealed, a.id, separator));
  const [evidence, text, contactRef, note] = await Promise.all([
    open(a.evidenceSealed, '\n'),
    open(a.textSealed),
    open(a.contactRefSealed),
    open(a.acknowledged?.noteSealed ?? null),
  ]);
  return {
    id: a.id,
    category: a.category,
    current: a.current,
    evidence,
    text,
    survey: { id: a.surveyId },
    partner: a.partner,
    service: a.service,
    day: a.receivedDay,
    status: a.status,
    dueAt: a.dueAt,
    overdue: a.status === 'overdue' || (a.status === 'new' && a.dueAt <= now.toISOString()),
    receivedCount: a.receivedCount,
    burst: a.kind === 'burst',
    webhook: a.webhook,
    contactRef,
    acknowledgement: a.acknowledged
      ? { at: a.acknowledged.at, by: { keyId: a.acknowledged.byKeyId, label: a.acknowledged.byLabel }, actionTaken: a.acknowledged.actionTaken, note }
      : null,
  };
}

/**
 * A value that won't unseal (ALERT_KEY rotated, say) shows as null rather than failing the whole
 * queue: the lead still sees the alert exists, its category and where it came from.
 */
async function unsealOrNull(secret: string, sealed: string, alertId: string, separator: string): Promise<string | null> {
  try {
    return await unsealJoined(secret, sealed, separator);
  } catch {
    console.error(`[heard] alert ${alertId}: a sealed field could not be opened (has ALERT_KEY changed?)`);
    return null;
  }
}
