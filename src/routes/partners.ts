import { Hono } from 'hono';
import * as v from 'valibot';
import { listPartners, listServices, type Service } from '../db/partners';
import type { AppEnv } from '../env';
import { requireKey } from '../middleware/auth';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { addPartner, addService, changePartner, renameService, visiblePartner } from '../services/partners';
import { CreatePartnerSchema, CreateServiceSchema, IdParam, PartnerSchema, ServiceSchema, UpdatePartnerSchema, UpdateServiceSchema } from '../schemas/api';

/** Partner agencies of the partnership and their services or teams. */
export const partners = new Hono<AppEnv>();

const anyKey = requireKey();
const admin = requireKey({ roles: ['admin'] });
const serviceWriters = requireKey({ roles: ['admin', 'practice-lead'] });

const serviceView = (s: Service) => ({ id: s.id, partnerId: s.partnerId, name: s.name });

partners.get(
  '/',
  describe({
    summary: 'List partner agencies (a practice lead sees their own)',
    tags: ['partners'],
    auth: true,
    responses: { 200: { description: 'Partners', schema: v.object({ partners: v.array(PartnerSchema) }) } },
  }),
  anyKey,
  async (c) => {
    const key = c.get('key');
    const rows = await listPartners(c.env.DB, key.partnershipId, key.partnerId);
    return c.json({ partners: rows.map(({ id, name, kind }) => ({ id, name, kind })) });
  },
);

partners.post(
  '/',
  describe({
    summary: 'Add a partner agency; its id starts with the partnership id and a hyphen',
    tags: ['partners'],
    auth: true,
    responses: { 201: { description: 'Created', schema: PartnerSchema }, 409: { description: 'Id taken' } },
  }),
  admin,
  validate('json', CreatePartnerSchema),
  async (c) => {
    const { id, name, kind } = await addPartner(c.env.DB, c.get('key'), c.req.valid('json'));
    return c.json({ id, name, kind }, 201);
  },
);

partners.patch(
  '/:id',
  describe({
    summary: 'Rename a partner or change its kind',
    tags: ['partners'],
    auth: true,
    responses: { 200: { description: 'Updated', schema: PartnerSchema }, 404: { description: 'No such partner' } },
  }),
  admin,
  validate('param', IdParam),
  validate('json', UpdatePartnerSchema),
  async (c) => {
    const partner = await changePartner(c.env.DB, c.get('key'), c.req.valid('param').id, c.req.valid('json'));
    return c.json({ id: partner.id, name: partner.name, kind: partner.kind });
  },
);

partners.get(
  '/:id/services',
  describe({
    summary: 'List a partner’s services or teams',
    tags: ['partners'],
    auth: true,
    responses: { 200: { description: 'Services', schema: v.object({ services: v.array(ServiceSchema) }) }, 404: { description: 'No such partner' } },
  }),
  anyKey,
  validate('param', IdParam),
  async (c) => {
    const key = c.get('key');
    const partner = await visiblePartner(c.env.DB, key, c.req.valid('param').id);
    return c.json({ services: (await listServices(c.env.DB, key.partnershipId, partner.id)).map(serviceView) });
  },
);

partners.post(
  '/:id/services',
  describe({
    summary: 'Add a service or team to a partner; its id starts with the partnership id and a hyphen',
    tags: ['partners'],
    auth: true,
    responses: { 201: { description: 'Created', schema: ServiceSchema }, 404: { description: 'No such partner' }, 409: { description: 'Id taken' } },
  }),
  serviceWriters,
  validate('param', IdParam),
  validate('json', CreateServiceSchema),
  async (c) => {
    return c.json(serviceView(await addService(c.env.DB, c.get('key'), c.req.valid('param').id, c.req.valid('json'))), 201);
  },
);

/** Service routes live under /api/v1/services. */
export const services = new Hono<AppEnv>();

services.patch(
  '/:id',
  describe({
    summary: 'Rename a service',
    tags: ['partners'],
    auth: true,
    responses: { 200: { description: 'Updated', schema: ServiceSchema }, 404: { description: 'No such service' } },
  }),
  serviceWriters,
  validate('param', IdParam),
  validate('json', UpdateServiceSchema),
  async (c) => {
    return c.json(serviceView(await renameService(c.env.DB, c.get('key'), c.req.valid('param').id, c.req.valid('json').name)));
  },
);
