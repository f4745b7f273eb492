import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), through the reference
 * `standardwebhooks` package: `webhook-signature` is `v1,` + base64 HMAC-SHA256 of
 * `"<webhook-id>.<webhook-timestamp>.<body>"`, keyed with the secret's base64 bytes.
 * Receivers verify with any Standard Webhooks library (or Svix's) and dedupe on `webhook-id`.
 */

/** A fresh signing secret: `whsec_` + 32 random bytes in base64 (the spec allows 24 to 64). */
export function newWebhookSecret(): string {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...raw))}`;
}

/**
 * The three headers for one delivery. `at` is the send time (the receiver rejects one more than
 * five minutes off), so each retry is signed afresh while keeping the same `id`.
 */
export function signatureHeaders(secret: string, id: string, at: Date, body: string): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}
