/** Content-Security-Policy values, built from a page's needs (no request or response in sight). */

/**
 * The CSP for a page a person sees: our own script and styles only (no inline script at all),
 * optional hashed inline styles (the partner's accent colour), and framing limited to `frameAncestors`.
 * Allowed origins such as `http://localhost:*` are already CSP host-source syntax.
 * @example pagePolicy({ frameAncestors: ['https://council.example'] })
 */
export function pagePolicy(opts: { frameAncestors: string[]; styleHashes?: string[] }): string {
  const ancestors = opts.frameAncestors.length ? opts.frameAncestors.join(' ') : "'none'";
  const styles = ["'self'", ...(opts.styleHashes ?? []).map((h) => `'sha256-${h}'`)].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src ${styles}`,
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** Base64 SHA-256 of an inline `<style>` body, for `style-src 'sha256-…'`. */
export async function styleHash(css: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}
