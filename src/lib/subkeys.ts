/**
 * Keys for other purposes derived from ALERT_KEY with HKDF-SHA256 (RFC 5869), so a deployment
 * has one secret to set and rotate. Each purpose gets an independent key: knowing one derived
 * key tells nothing about ALERT_KEY or the others.
 */
const derived = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** 32 bytes for `purpose`, derived from the base64 ALERT_KEY (cached per isolate). */
export function subkey(alertKey: string, purpose: string): Promise<Uint8Array<ArrayBuffer>> {
  const id = `${purpose}\n${alertKey}`;
  let bytes = derived.get(id);
  if (!bytes) {
    bytes = (async () => {
      const raw = Uint8Array.from(atob(alertKey), (ch) => ch.charCodeAt(0));
      const base = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveBits']);
      const encoder = new TextEncoder();
      const bits = await crypto.subtle.deriveBits(
        { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('heard subkey v1'), info: encoder.encode(purpose) },
        base,
        256,
      );
      return new Uint8Array(bits);
    })();
    derived.set(id, bytes);
  }
  return bytes;
}
