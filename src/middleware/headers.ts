import type { MiddlewareHandler } from 'hono';

/**
 * Security headers for every response. A route that renders a page sets its own
 * Content-Security-Policy (see `pagePolicy`); everything else gets the locked-down default.
 * X-Frame-Options is sent only where framing is refused outright: on /s/ pages the CSP's
 * frame-ancestors lists the survey's allowed origins, and X-Frame-Options (Hono's secureHeaders
 * default) would override that in older browsers and break every embed.
 */
export const securityHeaders = (): MiddlewareHandler =>
  async function securityHeaders(c, next) {
    await next();
    const h = c.res.headers;
    if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', LOCKED_DOWN);
    if (!new URL(c.req.url).pathname.startsWith('/s/')) h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('Permissions-Policy', 'geolocation=(), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    // Only over https (RFC 6797 §7.2: a browser ignores it on http); two years, as hstspreload.org asks.
    if (new URL(c.req.url).protocol === 'https:') h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
  };

const LOCKED_DOWN = "default-src 'none'; base-uri 'none'; object-src 'none'; form-action 'none'; frame-ancestors 'none'";

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
