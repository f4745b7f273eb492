import { SELF } from 'cloudflare:test';
import { BASE } from './helpers';

/** A signed-in dashboard session, through the real sign-in form: its cookie and CSRF token, and helpers to open pages and post forms. */
export interface Session {
  cookie: string;
  csrf: string;
  get: (path: string) => Promise<{ res: Response; html: string }>;
  post: (path: string, fields: Record<string, string>, opts?: { csrf?: string | null }) => Promise<{ res: Response; html: string }>;
}

const cookieValue = (res: Response, name: string) => {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return header ? header.split(';')[0]!.slice(name.length + 1) : undefined;
};

export async function signIn(key: string): Promise<Session> {
  const form = await SELF.fetch(`${BASE}/dashboard/sign-in`);
  const signInCookie = cookieValue(form, 'heard_signin')!;
  const signInCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await SELF.fetch(`${BASE}/dashboard/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `heard_signin=${signInCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: signInCsrf, key }),
  });
  const session = cookieValue(res, 'heard_session');
  if (!session) throw new Error(`sign-in failed for ${key}: ${res.status}`);
  const cookie = `heard_session=${session}`;
  const get = async (path: string) => {
    const r = await SELF.fetch(`${BASE}${path}`, { headers: { cookie }, redirect: 'manual' });
    return { res: r, html: await r.text() };
  };
  // Every signed-in page carries the session's token (in its sign-out form); a safeguarding lead's first page is the alerts.
  const first = await get(key === 'demo-safeguarding-key' ? '/dashboard/alerts' : '/dashboard/links');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(first.html)![1]!;
  const post = async (path: string, fields: Record<string, string>, opts: { csrf?: string | null } = {}) => {
    const body = new URLSearchParams(fields);
    const token = opts.csrf === undefined ? csrf : opts.csrf;
    if (token !== null) body.set('_csrf', token);
    const r = await SELF.fetch(`${BASE}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { res: r, html: await r.text() };
  };
  return { cookie, csrf, get, post };
}
