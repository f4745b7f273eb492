import {
  acknowledgeAlertStatement,
  ALERT_DUE_HOURS,
  findAlert,
  listAlerts,
  type AlertFilter,
  type AlertScope,
  type NewAlert,
  type StoredAlert,
} from '../db/alerts';
import { insertAuditStatement } from '../db/audit';
import type { ApiKey } from '../db/keys';
import type { FeedbackLink } from '../db/links';
import type { SurveyWithDefinition } from '../db/surveys';
import type { Disclosure } from '../domain/analysis';
import { CATEGORY_SEVERITY } from '../domain/alert-triage';
import { conflict, notFound } from '../lib/errors';
import { seal, unsealJoined } from '../lib/seal';
import { addDays, nowIso, today } from '../lib/time';
import type { ActionTaken } from '../schemas/safeguarding';
import { FALSE_ALARM_OUTCOME, recordLabel } from './labels';

/**
 * Safeguarding alerts as use cases: raising one (sealed, due within the hour), and a safeguarding
 * lead reading and acknowledging them, always audited first. The API and the dashboard share these.
 * Announcing an alert to the partnership's webhook is in services/alert-webhook.ts.
 */

/** Where a flagged answer came from: the response (or chat) that carried it. */
export type AlertPlace = Pick<NewAlert, 'partnershipId' | 'surveyId' | 'partnerId' | 'serviceId' | 'linkId' | 'receivedDay'>;

/**
 * A new alert for a disclosure: the child's words and the evidence sealed with ALERT_KEY, due
 * {@link ALERT_DUE_HOURS} after `now`. Intake and the chat both raise alerts through this.
 */
export async function newAlert(
  secret: string,
  place: AlertPlace,
  disclosure: Pick<Disclosure, 'category' | 'current'>,
  words: { text: string; evidence: string },
  now: Date,
  id: string,
): Promise<NewAlert> {
  return {
    id,
    partnershipId: place.partnershipId,
    surveyId: place.surveyId,
    partnerId: place.partnerId,
    serviceId: place.serviceId,
    linkId: place.linkId,
    receivedDay: place.receivedDay,
    category: disclosure.category,
    current: disclosure.current,
    evidenceSealed: await seal(secret, words.evidence),
    textSealed: await seal(secret, words.text),
    createdAt: now.toISOString(),
    dueAt: addDays(now, ALERT_DUE_HOURS / 24).toISOString(),
  };
}

const scopeOf = (key: ApiKey): AlertScope => ({ partnershipId: key.partnershipId, partnerId: key.partnerId });

/**
 * The queue for a safeguarding lead, unsealed: current before past, then the most severe category,
 * then the soonest due (the API and the dashboard both read it from here). Audited before anything
 * is shown: a read that can't be audited doesn't happen.
 */
export async function readAlerts(env: Env, key: ApiKey, status: AlertFilter, limit: number) {
  const alerts = await listAlerts(env.DB, scopeOf(key), status, limit, CATEGORY_SEVERITY);
  await insertAuditStatement(
    env.DB,
    key,
    'alerts.list',
    alerts.map((a) => a.id),
    nowIso(),
  ).run();
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
    acknowledgeAlertStatement(db, key.partnershipId, id, {
      at,
      keyId: key.id,
      actionTaken: input.actionTaken,
      noteSealed: await seal(env.ALERT_KEY, input.note),
    }),
    insertAuditStatement(db, key, 'alerts.acknowledge', [id], at, { onlyIfChanged: true }),
  ]);
  if (updated!.meta.changes !== 1) throw alreadyAcknowledged();
  // Labelled data (issue 13, item 5): a false alarm teaches the analysis what is not a disclosure.
  if ((input.actionTaken as string) === FALSE_ALARM_OUTCOME) await labelFalseAlarm(env, alert);
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
    receivedAt: a.createdAt,
    status: a.status,
    dueAt: a.dueAt,
    overdue: a.status === 'overdue' || (a.status === 'new' && a.dueAt <= now.toISOString()),
    receivedCount: a.receivedCount,
    burst: a.kind === 'burst',
    webhook: a.webhook,
    emails: a.emails,
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

/**
 * Keeps each flagged text of an alert closed as a false alarm as a label: its redacted form,
 * decided `clear`. The words are unsealed only in memory; a text that won't unseal is skipped.
 */
async function labelFalseAlarm(env: Env, alert: StoredAlert): Promise<void> {
  const text = await unsealOrNull(env.ALERT_KEY, alert.textSealed, alert.id, '\n\n');
  if (text === null) return;
  const parts = text.split('\n\n').filter((t) => t.trim() !== '');
  for (const [i, part] of parts.entries()) {
    await recordLabel(
      env.DB,
      alert.partnershipId,
      'alert',
      part,
      { triage: 'clear' },
      { id: `alert:${alert.id}:${i}`, respondent: null, ageBand: null, service: alert.service?.id ?? null },
    );
  }
}

/**
 * Where an answer raised outside intake came from (a chat reply, an "I'm not safe" press), for its
 * alert or review item: the link's partner and service when it came through one, else the survey's.
 */
export const placeOf = (survey: Pick<SurveyWithDefinition, 'partnershipId' | 'id' | 'partnerId'>, link: FeedbackLink | null) => ({
  partnershipId: survey.partnershipId,
  surveyId: survey.id,
  partnerId: link?.partnerId ?? survey.partnerId,
  serviceId: link?.serviceId ?? null,
  linkId: link?.id ?? null,
  receivedDay: today(),
});
