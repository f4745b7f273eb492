/**
 * A keyed hash for matching flagged texts without keeping them: HMAC-SHA256 with a key derived
 * (HKDF) from ALERT_KEY. A plain hash of a short text ("he hits me") could be reversed by trying
 * every short text; without the key, the stored hash can't be tested against guesses. Deriving
 * a separate key keeps the AES-GCM sealing key itself out of any other use.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = Uint8Array.from(atob(secret), (ch) => ch.charCodeAt(0));
    key = crypto.subtle
      .importKey('raw', raw, 'HKDF', false, ['deriveKey'])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('heard alert dedupe v1') },
          base,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign'],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

/** Hex HMAC of `parts` (JSON-encoded, so no two different lists share an input). */
export async function keyedHash(secret: string, parts: readonly (string | null)[]): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), new TextEncoder().encode(JSON.stringify(parts)));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
