import { insertAuditStatement } from '../db/audit';
import type { ApiKey } from '../db/keys';
import {
  findPartnership,
  rotateAlertWebhookSecretStatement,
  setAlertEmailRecipientsStatement,
  setAlertWebhookStatement,
  updatePartnershipSettings,
  type Partnership,
} from '../db/partnerships';
import { conflict } from '../lib/errors';
import { seal } from '../lib/seal';
import { newWebhookSecret } from '../lib/webhook-signature';
import type { PartnershipSettings } from '../schemas/api';

/**
 * The partnership's own settings: its name, the suppression rule and the alert webhook. The API
 * (routes/partnership.ts) and the workspace's settings page both change them here.
 */

export type { Partnership };

/**
 * Saves the settings an admin sent. Where alerts are announced is a safeguarding setting, so a
 * webhook change goes in the audit log, and every URL set comes with a new signing secret, in this
 * answer only (sealed at rest: Heard needs it in the clear to sign, so it can't be a one-way hash).
 */
export async function changeSettings(
  db: D1Database,
  alertKey: string,
  key: ApiKey,
  input: PartnershipSettings,
): Promise<{ partnership: Partnership; alertWebhookSecret: string | null }> {
  const id = key.partnershipId;
  const { alertWebhookUrl, alertEmailRecipients, ...settings } = input;
  await updatePartnershipSettings(db, id, settings);
  const secret = alertWebhookUrl ? newWebhookSecret() : null;
  if (alertWebhookUrl !== undefined) {
    await db.batch([
      setAlertWebhookStatement(db, id, alertWebhookUrl, secret ? await seal(alertKey, secret) : null),
      insertAuditStatement(db, key, 'partnership.alert-webhook', [id], new Date().toISOString()),
    ]);
  }
  if (alertEmailRecipients !== undefined) {
    // Who hears of alerts is a safeguarding setting too: audited, with the ids only (addresses stay in the settings).
    await db.batch([
      setAlertEmailRecipientsStatement(db, id, alertEmailRecipients),
      insertAuditStatement(db, key, 'partnership.alert-email', [id], new Date().toISOString()),
    ]);
  }
  return { partnership: (await findPartnership(db, id))!, alertWebhookSecret: secret };
}

/** A new signing secret for the webhook, answered once; the old one stops signing at once. */
export async function rotateWebhookSecret(db: D1Database, alertKey: string, key: ApiKey): Promise<string> {
  const secret = newWebhookSecret();
  const [rotated] = await db.batch([
    rotateAlertWebhookSecretStatement(db, key.partnershipId, await seal(alertKey, secret)),
    insertAuditStatement(db, key, 'partnership.alert-webhook-secret', [key.partnershipId], new Date().toISOString(), { onlyIfChanged: true }),
  ]);
  if (rotated!.meta.changes !== 1) throw conflict('no_webhook', 'Set an alert webhook URL first; it comes with its own secret.');
  return secret;
}
