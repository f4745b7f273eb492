/**
 * A client address as an in-memory key: SHA-256 with a salt made fresh in each isolate, so the
 * maps of the rate limits, the wrong-key backoff and the alert-flood control can't be reversed to
 * an address. Nothing derived from it is stored or logged.
 */

// Made on first use: Workers refuse random values at module scope.
let salt: string | undefined;

export async function hashedAddress(address: string): Promise<string> {
  salt ??= [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${salt}\n${address}`));
  // 16 bytes is plenty to keep addresses apart, and halves the memory per entry.
  return [...new Uint8Array(digest, 0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A new salt from the next call on (tests; a deploy does the same by starting new isolates). */
export function forgetAddressSalt(): void {
  salt = undefined;
}
