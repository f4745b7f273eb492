/**
 * Matches an Origin header against a survey's allowed origins. An entry may end in `:*` to allow
 * any port on that host (the demo allows `http://localhost:*`).
 */
export function originAllowed(origin: string | undefined, allowed: string[]): boolean {
  if (!origin) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  const hostOnly = `${parsed.protocol}//${parsed.hostname}`;
  return allowed.some((entry) => entry === origin || (entry.endsWith(':*') && entry.slice(0, -2) === hostOnly));
}

export const OriginPattern = /^https?:\/\/[a-z0-9.-]+(:(\d{1,5}|\*))?$/i;
