import { Hono } from 'hono';
import * as v from 'valibot';
import type { ApiKey } from '../db/keys';
import type { AppEnv } from '../env';
import { requireKey } from '../middleware/auth';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { CreatedKeySchema, CreateKeySchema, KeySchema, UuidParam } from '../schemas/api';
import { createKey, keysWithUse, revokeKey } from '../services/keys';

/**
 * API keys: admins create and revoke them, except safeguarding-lead keys, which only safeguarding
 * leads manage (the first comes from `npm run keys`). A key is shown once and stored only as a
 * hash; every creation and revocation is in the audit log.
 */
export const keys = new Hono<AppEnv>();

const managers = requireKey({ roles: ['admin', 'safeguarding-lead'] });
const keyView = (k: ApiKey & { lastUsedOn?: string | null }) => ({
  id: k.id,
  role: k.role,
  partnerId: k.partnerId,
  label: k.label,
  createdAt: k.createdAt,
  revokedAt: k.revokedAt,
  ...(k.lastUsedOn !== undefined ? { lastUsedOn: k.lastUsedOn } : {}),
});

keys.get(
  '/',
  describe({
    summary: 'List the keys this key manages (never the secrets): all for an admin, safeguarding-lead keys for a safeguarding lead',
    tags: ['keys'],
    auth: true,
    responses: { 200: { description: 'Keys', schema: v.object({ keys: v.array(KeySchema) }) } },
  }),
  managers,
  async (c) => {
    const me = c.get('key');
    return c.json({ keys: (await keysWithUse(c.env.DB, me)).map(keyView) });
  },
);

keys.post(
  '/',
  describe({
    summary: 'Create a key (the secret is in this response only). Safeguarding-lead keys: safeguarding leads only; others: admins only',
    tags: ['keys'],
    auth: true,
    responses: {
      201: { description: 'Created', schema: CreatedKeySchema },
      400: { description: 'Invalid' },
      403: { description: 'This key may not create that role (code safeguarding_lead_only for safeguarding-lead keys)' },
    },
  }),
  managers,
  validate('json', CreateKeySchema),
  async (c) => {
    const me = c.get('key');
    const body = c.req.valid('json');
    const { key, secret } = await createKey(c.env.DB, me, { role: body.role, partnerId: body.partnerId ?? null, label: body.label });
    return c.json({ ...keyView(key), key: secret }, 201);
  },
);

keys.delete(
  '/:id',
  describe({
    summary: 'Revoke a key (safeguarding-lead keys: safeguarding leads only)',
    tags: ['keys'],
    auth: true,
    responses: { 204: { description: 'Revoked' }, 403: { description: 'This key may not revoke that role' }, 404: { description: 'No such active key' } },
  }),
  managers,
  validate('param', UuidParam),
  async (c) => {
    await revokeKey(c.env.DB, c.get('key'), c.req.valid('param').id);
    return c.body(null, 204);
  },
);
