import { Hono } from 'hono';
import * as v from 'valibot';
import { findPartner } from '../db/partners';
import { insertKeyStatement, listKeys, revokeKey, type ApiKey } from '../db/keys';
import type { AppEnv } from '../env';
import { requireKey } from '../middleware/auth';
import { newId, randomSecret, sha256Hex } from '../lib/crypto';
import { invalid, notFound } from '../lib/errors';
import { describe } from '../lib/openapi';
import { nowIso } from '../lib/time';
import { validate } from '../lib/validate';
import { CreatedKeySchema, CreateKeySchema, KeySchema, UuidParam } from '../schemas/api';

/** API keys: admins create and revoke them; a key is shown once and stored only as a hash. */
export const keys = new Hono<AppEnv>();

const admin = requireKey({ roles: ['admin'] });
const keyView = (k: ApiKey) => ({ id: k.id, role: k.role, partnerId: k.partnerId, label: k.label, createdAt: k.createdAt, revokedAt: k.revokedAt });

keys.get(
  '/',
  describe({ summary: 'List the partnership’s keys (never the secrets)', tags: ['keys'], auth: true, responses: { 200: { description: 'Keys', schema: v.object({ keys: v.array(KeySchema) }) } } }),
  admin,
  async (c) => c.json({ keys: (await listKeys(c.env.DB, c.get('key').partnershipId)).map(keyView) }),
);

keys.post(
  '/',
  describe({ summary: 'Create a key (the secret is in this response only)', tags: ['keys'], auth: true, responses: { 201: { description: 'Created', schema: CreatedKeySchema }, 400: { description: 'Invalid' } } }),
  admin,
  validate('json', CreateKeySchema),
  async (c) => {
    const me = c.get('key');
    const body = c.req.valid('json');
    if (body.partnerId && !(await findPartner(c.env.DB, me.partnershipId, body.partnerId))) {
      throw invalid([{ path: 'partnerId', message: 'is not a partner of this partnership' }]);
    }
    const secret = randomSecret('hk_');
    const key: ApiKey = { id: newId(), partnershipId: me.partnershipId, partnerId: body.partnerId ?? null, role: body.role, label: body.label, createdAt: nowIso(), revokedAt: null };
    await insertKeyStatement(c.env.DB, key, await sha256Hex(secret)).run();
    return c.json({ ...keyView(key), key: secret }, 201);
  },
);

keys.delete(
  '/:id',
  describe({ summary: 'Revoke a key', tags: ['keys'], auth: true, responses: { 204: { description: 'Revoked' }, 404: { description: 'No such active key' } } }),
  admin,
  validate('param', UuidParam),
  async (c) => {
    if (!(await revokeKey(c.env.DB, c.get('key').partnershipId, c.req.valid('param').id, nowIso()))) throw notFound('active key');
    return c.body(null, 204);
  },
);
