import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import type { Role } from '../schemas/common';
import { accountActor, findLiveAccountSession, renewAccountSession } from '../db/accounts';
import { findLiveSession } from '../db/sessions';
import type { AppEnv } from '../env';
import { randomSecret, sameDigest, sha256Hex } from '../lib/crypto';
import { ApiError } from '../lib/errors';
import { subkey } from '../lib/subkeys';
import { readForm } from '../lib/validate';

export const SESSION_COOKIE = 'heard_session';
/** Before sign-in there is no session to hold a CSRF token, so the sign-in form pairs a field with this cookie. */
export const SIGN_IN_COOKIE = 'heard_signin';
export const SESSION_HOURS = 8;
/** How long a sign-in form stays usable. */
const SIGN_IN_MAX_AGE_S = 3600;

/**
 * On https the cookies are `__Host-` cookies (Secure, Path=/, no Domain), so no other host, not
 * even a sibling subdomain, can set or overwrite them. `__Host-` needs Secure, which a browser
 * honours on http only for localhost, so local development on http://127.0.0.1 keeps plain names
 * limited to /dashboard.
 */
export function dashboardCookieOptions(c: Context) {
  const https = new URL(c.req.url).protocol === 'https:';
  return https
    ? ({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/', prefix: 'host' } as const)
    : ({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/dashboard' } as const);
}

export const setSessionCookie = (c: Context, secret: string, hours = SESSION_HOURS) =>
  setCookie(c, SESSION_COOKIE, secret, { ...dashboardCookieOptions(c), maxAge: hours * 3600 });
export const clearSessionCookie = (c: Context) => deleteCookie(c, SESSION_COOKIE, dashboardCookieOptions(c));
const readSessionCookie = (c: Context) => getCookie(c, SESSION_COOKIE, dashboardCookieOptions(c).prefix);

// The sign-in cookie is HMAC-signed with a key derived from ALERT_KEY (Hono's signed cookies), so
// only a value this server issued passes: an attacker who can plant a cookie cannot choose one.
const signInKey = (env: Env) => subkey(env.ALERT_KEY, 'dashboard sign-in csrf');

/** Sets a fresh signed sign-in cookie and returns the token the form must echo. */
export async function issueSignIn<E extends AppEnv>(c: Context<E>): Promise<string> {
  const token = `${Math.floor(Date.now() / 1000).toString(36)}.${randomSecret('')}`;
  await setSignedCookie(c, SIGN_IN_COOKIE, token, await signInKey(c.env), { ...dashboardCookieOptions(c), maxAge: SIGN_IN_MAX_AGE_S });
  return token;
}

/** Whether the posted `_csrf` matches a sign-in cookie this server signed within the last hour. */
export async function checkSignIn<E extends AppEnv>(c: Context<E>, field: string): Promise<boolean> {
  const cookie = await getSignedCookie(c, await signInKey(c.env), SIGN_IN_COOKIE, dashboardCookieOptions(c).prefix);
  if (typeof cookie !== 'string' || !sameDigest(await sha256Hex(field), await sha256Hex(cookie))) return false;
  const issuedAt = parseInt(cookie.split('.')[0]!, 36) * 1000;
  return Number.isFinite(issuedAt) && Date.now() - issuedAt <= SIGN_IN_MAX_AGE_S * 1000 && issuedAt <= Date.now() + 60_000;
}

/**
 * A random nonce that ties a sign-in started in this browser (an email link asked for, a single
 * sign-on begun) to the same browser finishing it. Lax, so the provider's redirect back carries it.
 */
export const BROWSER_COOKIE = 'heard_browser';
export function browserNonce(c: Context, create: true): string;
export function browserNonce(c: Context, create?: false): string | null;
export function browserNonce(c: Context, create = false): string | null {
  const https = new URL(c.req.url).protocol === 'https:';
  const existing = getCookie(c, BROWSER_COOKIE, https ? 'host' : undefined);
  if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return existing;
  if (!create) return null;
  const nonce = randomSecret('', 24);
  setCookie(
    c,
    BROWSER_COOKIE,
    nonce,
    https
      ? { httpOnly: true, secure: true, sameSite: 'Lax', path: '/', prefix: 'host', maxAge: 3600 }
      : { httpOnly: true, secure: true, sameSite: 'Lax', path: '/dashboard', maxAge: 3600 },
  );
  return nonce;
}

/** Once signed in (or out), the sign-in cookie has done its job. */
export const clearSignIn = (c: Context) => deleteCookie(c, SIGN_IN_COOKIE, dashboardCookieOptions(c));

/**
 * Dashboard pages need a live session. A page request without one goes to the sign-in page; a
 * form post without one, or without the session's CSRF token, is refused. Whatever a signed-in
 * page answers is never cached.
 */
export const requireSession = (): MiddlewareHandler<AppEnv & { Variables: { csrf: string; sessionHash: string } }> =>
  async function requireSession(c, next) {
    const secret = readSessionCookie(c);
    const hash = secret ? await sha256Hex(secret) : undefined;
    const now = new Date();
    const session = hash ? await liveSession(c.env.DB, hash, now) : null;
    if (!session) {
      if (secret) clearSessionCookie(c);
      if (c.req.method === 'GET') return c.redirect('/dashboard/sign-in', 303);
      throw new ApiError(403, 'session_required', 'Sign in again to do that.');
    }
    if (c.req.method === 'POST') {
      const sent = (await readForm(c)).get('_csrf') ?? '';
      if (!sameDigest(await sha256Hex(sent), await sha256Hex(session.csrfToken))) {
        throw new ApiError(403, 'csrf_failed', 'This form has expired. Go back, reload the page and try again.');
      }
    }
    c.set('key', session.key);
    c.set('csrf', session.csrfToken);
    c.set('sessionHash', hash!);
    await next();
    if (!/no-store/.test(c.res.headers.get('Cache-Control') ?? '')) c.res.headers.set('Cache-Control', 'private, no-store');
  };

/**
 * A person's session (renewed on activity: 8 h idle, never past 12 h) or, where the partnership
 * still allows it, a key's. A disabled account or a changed role has no sessions left to find.
 */
async function liveSession(db: D1Database, hash: string, now: Date) {
  const account = await findLiveAccountSession(db, hash, now.toISOString());
  if (account) {
    const idleEnd = new Date(now.getTime() + ACCOUNT_IDLE_HOURS * 3600_000);
    // Renewed at most once a minute, so a page's burst of requests costs one write.
    if (idleEnd.getTime() - Date.parse(account.idleExpiresAt) > 60_000) await renewAccountSession(db, hash, idleEnd.toISOString());
    return { key: accountActor(account.account), csrfToken: account.csrfToken };
  }
  return findLiveSession(db, hash, now.toISOString());
}

/** A person's session ends after this long without activity (services/accounts.ts starts it). */
const ACCOUNT_IDLE_HOURS = 8;

/**
 * After {@link requireSession}: only these roles may open the page or post the form; anyone else
 * gets a 403 that says why, in words a signed-in person understands.
 * @example dashboard.get('/dashboard/alerts', requireSession(), requireRole(['safeguarding-lead'], 'Only safeguarding leads see alerts.'), …)
 */
export const requireRole = (roles: readonly Role[], refusal: string): MiddlewareHandler<AppEnv> =>
  async function requireRole(c, next) {
    if (!roles.includes(c.get('key').role)) throw new ApiError(403, 'forbidden', refusal);
    await next();
  };
