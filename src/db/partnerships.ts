export type SuppressionRule = 'dfe' | 'nhs';
export interface Partnership {
  id: string;
  name: string;
  suppressionRule: SuppressionRule;
  minBase: number;
  /** https URL told of each new safeguarding alert (ids and category only), or null. */
  alertWebhookUrl: string | null;
  /** Who is emailed when an alert is raised or overdue, and the daily digest of reviews due. */
  alertEmailRecipients: string[];
  /** Whether pasting an API key into the dashboard still signs in (issue 16: off for new partnerships). */
  keySignIn: boolean;
}

interface PartnershipRow {
  id: string;
  name: string;
  suppression_rule: SuppressionRule;
  min_base: number;
  alert_webhook_url: string | null;
  alert_email_recipients: string | null;
  key_sign_in: number;
}

const toPartnership = (r: PartnershipRow): Partnership => ({
  id: r.id,
  name: r.name,
  suppressionRule: r.suppression_rule,
  minBase: r.min_base,
  alertWebhookUrl: r.alert_webhook_url,
  alertEmailRecipients: r.alert_email_recipients ? (JSON.parse(r.alert_email_recipients) as string[]) : [],
  keySignIn: r.key_sign_in === 1,
});

export async function findPartnership(db: D1Database, id: string): Promise<Partnership | null> {
  const row = await db
    .prepare('SELECT id, name, suppression_rule, min_base, alert_webhook_url, alert_email_recipients, key_sign_in FROM partnerships WHERE id = ?1')
    .bind(id)
    .first<PartnershipRow>();
  return row ? toPartnership(row) : null;
}

export async function updatePartnershipSettings(
  db: D1Database,
  id: string,
  settings: { name?: string; suppressionRule?: SuppressionRule; minBase?: number; keySignIn?: boolean },
) {
  await db
    .prepare(
      'UPDATE partnerships SET name = COALESCE(?2, name), suppression_rule = COALESCE(?3, suppression_rule), min_base = COALESCE(?4, min_base), key_sign_in = COALESCE(?5, key_sign_in) WHERE id = ?1',
    )
    .bind(
      id,
      settings.name ?? null,
      settings.suppressionRule ?? null,
      settings.minBase ?? null,
      settings.keySignIn === undefined ? null : settings.keySignIn ? 1 : 0,
    )
    .run();
}

/**
 * Sets the alert webhook with its (sealed) signing secret, or with nulls removes both. Setting a
 * URL always comes with a new secret: the old one stops working at once.
 */
export const setAlertWebhookStatement = (db: D1Database, id: string, url: string | null, secretSealed: string | null = null) =>
  db
    .prepare('UPDATE partnerships SET alert_webhook_url = ?2, alert_webhook_secret_sealed = ?3 WHERE id = ?1')
    .bind(id, url, url === null ? null : secretSealed);

/** Replaces the webhook's signing secret, only while a webhook is set. Batch with its audit row (onlyIfChanged). */
export const rotateAlertWebhookSecretStatement = (db: D1Database, id: string, secretSealed: string) =>
  db.prepare('UPDATE partnerships SET alert_webhook_secret_sealed = ?2 WHERE id = ?1 AND alert_webhook_url IS NOT NULL').bind(id, secretSealed);

/** Where to post alert notices for a partnership, and the sealed secret to sign them with. */
export async function findAlertWebhook(db: D1Database, id: string): Promise<{ url: string; secretSealed: string | null } | null> {
  const row = await db
    .prepare('SELECT alert_webhook_url AS url, alert_webhook_secret_sealed AS secret_sealed FROM partnerships WHERE id = ?1 AND alert_webhook_url IS NOT NULL')
    .bind(id)
    .first<{ url: string; secret_sealed: string | null }>();
  return row ? { url: row.url, secretSealed: row.secret_sealed } : null;
}

/** Replaces who is emailed about alerts; an empty list emails nobody. Batch with its audit row. */
export const setAlertEmailRecipientsStatement = (db: D1Database, id: string, recipients: string[]) =>
  db.prepare('UPDATE partnerships SET alert_email_recipients = ?2 WHERE id = ?1').bind(id, recipients.length ? JSON.stringify(recipients) : null);

/** Whether `recipient` is still one of the partnership's alert email recipients (checked again at send time). */
export async function isAlertEmailRecipient(db: D1Database, id: string, recipient: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS yes FROM partnerships p, json_each(COALESCE(p.alert_email_recipients, '[]')) r WHERE p.id = ?1 AND r.value = ?2")
    .bind(id, recipient)
    .first<{ yes: number }>();
  return row !== null;
}

export const insertPartnershipStatement = (db: D1Database, p: { id: string; name: string; createdAt: string }) =>
  db.prepare('INSERT INTO partnerships (id, name, created_at) VALUES (?1, ?2, ?3)').bind(p.id, p.name, p.createdAt);

/** Whether any partnership still lets people paste an API key into the dashboard (shows the form). */
export async function anyKeySignIn(db: D1Database): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS on_ FROM partnerships WHERE key_sign_in = 1 LIMIT 1').first()) !== null;
}
