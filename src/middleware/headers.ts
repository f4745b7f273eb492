import type { MiddlewareHandler } from 'hono';

/**
 * Security headers for every response. A route that renders a page sets its own
 * Content-Security-Policy (see `pagePolicy` in lib/csp.ts); everything else gets the locked-down default.
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
