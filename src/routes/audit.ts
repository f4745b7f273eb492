import { Hono } from 'hono';
import { listAudit, type AuditCursor } from '../db/audit';
import type { AppEnv } from '../env';
import { invalid } from '../lib/errors';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { AuditPageSchema, AuditQuerySchema } from '../schemas/safeguarding';

/**
 * The partnership's audit log (who read or acknowledged which alert; who made or revoked which key,
 * feed token or dashboard session; when), for its admins and safeguarding leads: the leads are the
 * ones who must see if anyone has been given a way to their alerts.
 */
export const audit = new Hono<AppEnv>();

audit.get(
  '/',
  describe({
    summary: 'The audit log, newest first, a page at a time',
    tags: ['safeguarding'],
    auth: true,
    responses: {
      200: { description: 'A page of entries, and the cursor for the next', schema: AuditPageSchema },
      400: { description: 'Bad query' },
      401: { description: 'No valid key' },
      403: { description: 'Not an admin or safeguarding-lead key' },
    },
  }),
  requireKey({ roles: ['admin', 'safeguarding-lead'] }),
  validate('query', AuditQuerySchema),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const entries = await listAudit(c.env.DB, c.get('key').partnershipId, limit, cursor ? decodeCursor(cursor) : undefined);
    const last = entries.at(-1);
    c.header('Cache-Control', 'no-store');
    return c.json({ entries, next: entries.length === limit && last ? encodeCursor({ at: last.at, id: last.id }) : null });
  },
);

const encodeCursor = (cursor: AuditCursor) => btoa(`${cursor.at}|${cursor.id}`).replaceAll('=', '');

function decodeCursor(text: string): AuditCursor {
  let decoded = '';
  try {
    decoded = atob(text);
  } catch {
    // Falls through to the check below.
  }
  const [at, id] = decoded.split('|');
  if (!at || !id || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at)) throw invalid([{ path: 'query.cursor', message: 'is not a cursor from this API' }]);
  return { at, id };
}
