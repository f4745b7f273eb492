/**
 * AES-GCM sealing for the few things Heard must keep that could identify a child: a flagged
 * answer's text in a safeguarding alert and a practitioner's contact reference. The key comes
 * from the ALERT_KEY secret (32 bytes, base64).
 */
const keys = new Map<string, Promise<CryptoKey>>();

function importKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = Uint8Array.from(atob(secret), (ch) => ch.charCodeAt(0));
    if (raw.length !== 32) throw new Error('ALERT_KEY must be 32 bytes, base64-encoded');
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    keys.set(secret, key);
  }
  return key;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));

/** `iv.ciphertext`, both base64. */
export async function seal(secret: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await importKey(secret), new TextEncoder().encode(plaintext));
  return `${toBase64(iv)}.${toBase64(new Uint8Array(data))}`;
}

export async function unseal(secret: string, sealed: string): Promise<string> {
  const [iv, data] = sealed.split('.');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv!) }, await importKey(secret), fromBase64(data!));
  return new TextDecoder().decode(plain);
}

/**
 * A field that may hold several sealed values joined by single spaces (a burst alert appends each
 * flagged text sealed on its own, in SQL, so concurrent appends never overwrite each other),
 * unsealed and joined with `separator`. A single sealed value unseals as with {@link unseal}.
 */
export async function unsealJoined(secret: string, sealed: string, separator: string): Promise<string> {
  const parts = await Promise.all(sealed.split(' ').map((part) => unseal(secret, part)));
  return parts.join(separator);
}
