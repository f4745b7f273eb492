import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { findLiveSession } from '../db/sessions';
import type { AppEnv } from '../env';
import { sameDigest, sha256Hex } from '../lib/crypto';
import { ApiError } from '../lib/errors';
import { nowIso } from '../lib/time';
import { readForm } from '../lib/validate';

export const SESSION_COOKIE = 'heard_session';
/** Before sign-in there is no session to hold a CSRF token, so the sign-in form pairs a field with this cookie. */
export const SIGN_IN_COOKIE = 'heard_signin';
export const SESSION_HOURS = 8;

const cookieOptions = { httpOnly: true, secure: true, sameSite: 'Strict', path: '/dashboard' } as const;

export const setSessionCookie = (c: Context, secret: string) => setCookie(c, SESSION_COOKIE, secret, { ...cookieOptions, maxAge: SESSION_HOURS * 3600 });
export const clearSessionCookie = (c: Context) => deleteCookie(c, SESSION_COOKIE, cookieOptions);
export const setSignInCookie = (c: Context, token: string) => setCookie(c, SIGN_IN_COOKIE, token, { ...cookieOptions, maxAge: 3600 });
export const readSignInCookie = (c: Context) => getCookie(c, SIGN_IN_COOKIE);

/**
 * Dashboard pages need a live session. A page request without one goes to the sign-in page; a
 * form post without one, or without the session's CSRF token, is refused.
 */
export const requireSession = (): MiddlewareHandler<AppEnv & { Variables: { csrf: string; sessionHash: string } }> =>
  async function requireSession(c, next) {
    const secret = getCookie(c, SESSION_COOKIE);
    const hash = secret ? await sha256Hex(secret) : undefined;
    const session = hash ? await findLiveSession(c.env.DB, hash, nowIso()) : null;
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
  };
