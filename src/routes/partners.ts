import { Hono } from 'hono';
import * as v from 'valibot';
import { findPartner, findService, insertPartner, insertService, listPartners, listServices, renameService, updatePartner, type Service } from '../db/partners';
import { ownIdProblem } from '../domain/ids';
import type { AppEnv } from '../env';
import { canChangePartner, canSeePartner } from '../domain/access';
import { requireKey } from '../middleware/auth';
import { conflict, forbidden, invalid, notFound } from '../lib/errors';
import { describe } from '../lib/openapi';
import { nowIso } from '../lib/time';
import { validate } from '../lib/validate';
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
    const key = c.get('key');
    const body = c.req.valid('json');
    const idProblem = ownIdProblem(key.partnershipId, body.id);
    if (idProblem) throw invalid([{ path: 'id', message: idProblem }]);
    const created = await insertPartner(c.env.DB, { ...body, partnershipId: key.partnershipId }, nowIso());
    if (!created) throw conflict('id_taken', 'A partner with this id already exists.');
    return c.json(body, 201);
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
    const key = c.get('key');
    const { id } = c.req.valid('param');
    if (!(await findPartner(c.env.DB, key.partnershipId, id))) throw notFound('partner');
    await updatePartner(c.env.DB, key.partnershipId, id, c.req.valid('json'));
    const partner = (await findPartner(c.env.DB, key.partnershipId, id))!;
    return c.json({ id: partner.id, name: partner.name, kind: partner.kind });
  },
);

async function visiblePartner(db: D1Database, key: AppEnv['Variables']['key'], id: string) {
  const partner = await findPartner(db, key.partnershipId, id);
  if (!partner || !canSeePartner(key, partner.id)) throw notFound('partner');
  return partner;
}

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
    const key = c.get('key');
    const partner = await visiblePartner(c.env.DB, key, c.req.valid('param').id);
    if (!canChangePartner(key, partner.id)) throw forbidden();
    const service = { ...c.req.valid('json'), partnerId: partner.id, partnershipId: key.partnershipId };
    const idProblem = ownIdProblem(key.partnershipId, service.id);
    if (idProblem) throw invalid([{ path: 'id', message: idProblem }]);
    if (!(await insertService(c.env.DB, service, nowIso()))) throw conflict('id_taken', 'A service with this id already exists.');
    return c.json(serviceView(service), 201);
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
    const key = c.get('key');
    const { id } = c.req.valid('param');
    const service = await findService(c.env.DB, key.partnershipId, id);
    if (!service || !canSeePartner(key, service.partnerId)) throw notFound('service');
    if (!canChangePartner(key, service.partnerId)) throw forbidden();
    await renameService(c.env.DB, key.partnershipId, id, c.req.valid('json').name);
    return c.json(serviceView({ ...service, name: c.req.valid('json').name }));
  },
);
