import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../env';
import { dashboardCookieOptions } from './session';

/**
 * D1's Sessions API, so a deployment can turn on read replication (Cloudflare dashboard → D1 →
 * the database → Settings → Read replication) without a code change:
 * - a GET or HEAD reads from whichever copy is nearest (`first-unconstrained`);
 * - the dashboard, whatever the method, carries the session's bookmark in a cookie, so a staff
 *   member's next page reads from a copy at least as new as their own last write or read;
 * - anything else (the API's writes, intake) keeps the binding as it is: the primary.
 * With replication off, every session is served by the primary and nothing changes.
 */
export const BOOKMARK_COOKIE = 'heard_d1';
/** A bookmark only orders reads after a write; an old one is harmless, so it may live as long as a session. */
const BOOKMARK_MAX_AGE_S = 8 * 3600;

/** As the session cookie: `__Host-` on https; on http (local development) a plain name under /dashboard. */
const bookmarkCookieOptions = (c: Context) => ({ ...dashboardCookieOptions(c), maxAge: BOOKMARK_MAX_AGE_S });

/** Bookmarks are opaque to us but short and printable; anything else in the cookie is ignored. */
const plausibleBookmark = (value: string | undefined) => (value && /^[\w.:-]{1,200}$/.test(value) ? value : undefined);

/** The binding, with queries through `session`; what a session cannot do (exec, dump) goes to the binding itself. */
function sessionDb(db: D1Database, session: D1DatabaseSession): D1Database {
  return {
    prepare: (query: string) => session.prepare(query),
    batch: <T>(statements: D1PreparedStatement[]) => session.batch<T>(statements),
    exec: (query: string) => db.exec(query),
    withSession: (constraintOrBookmark?: string) => db.withSession(constraintOrBookmark),
    dump: () => db.dump(),
  };
}

export const d1Sessions = (): MiddlewareHandler<AppEnv> =>
  async function d1Sessions(c, next) {
    const dashboard = c.req.path === '/dashboard' || c.req.path.startsWith('/dashboard/');
    const read = c.req.method === 'GET' || c.req.method === 'HEAD';
    if (!dashboard && !read) return next();
    const options = bookmarkCookieOptions(c);
    const bookmark = dashboard ? plausibleBookmark(getCookie(c, BOOKMARK_COOKIE, options.prefix)) : undefined;
    const session = c.env.DB.withSession(bookmark ?? (read ? 'first-unconstrained' : 'first-primary'));
    c.env = { ...c.env, DB: sessionDb(c.env.DB, session) };
    await next();
    if (!dashboard) return;
    const latest = session.getBookmark();
    if (latest && latest !== bookmark) setCookie(c, BOOKMARK_COOKIE, latest, options);
  };
