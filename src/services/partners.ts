import type { ApiKey } from '../db/keys';
import {
  findPartner,
  findService,
  insertPartner,
  insertService,
  renameService as renameServiceRow,
  updatePartner,
  type Partner,
  type Service,
} from '../db/partners';
import { canChangePartner, canSeePartner } from '../domain/access';
import { ownIdProblem } from '../domain/ids';
import { conflict, forbidden, invalid, notFound } from '../lib/errors';
import { nowIso } from '../lib/time';
import type { PartnerKind } from '../schemas/common';

/**
 * Partner agencies and their services or teams. The API (routes/partners.ts) and the workspace's
 * partners page both change them here, so ids are checked the same way behind either door.
 */

export type { Partner, Service };

export async function addPartner(db: D1Database, key: ApiKey, input: { id: string; name: string; kind: PartnerKind }): Promise<Partner> {
  const idProblem = ownIdProblem(key.partnershipId, input.id);
  if (idProblem) throw invalid([{ path: 'id', message: idProblem }]);
  const partner = { ...input, partnershipId: key.partnershipId };
  if (!(await insertPartner(db, partner, nowIso()))) throw conflict('id_taken', 'A partner with this id already exists.');
  return partner;
}

export async function changePartner(db: D1Database, key: ApiKey, id: string, changes: { name?: string; kind?: PartnerKind }): Promise<Partner> {
  if (!(await findPartner(db, key.partnershipId, id))) throw notFound('partner');
  await updatePartner(db, key.partnershipId, id, changes);
  return (await findPartner(db, key.partnershipId, id))!;
}

/** A partner the key may see, or 404 (so ids of partners it can't see are not confirmed). */
export async function visiblePartner(db: D1Database, key: ApiKey, id: string): Promise<Partner> {
  const partner = await findPartner(db, key.partnershipId, id);
  if (!partner || !canSeePartner(key, partner.id)) throw notFound('partner');
  return partner;
}

export async function addService(db: D1Database, key: ApiKey, partnerId: string, input: { id: string; name: string }): Promise<Service> {
  const partner = await visiblePartner(db, key, partnerId);
  if (!canChangePartner(key, partner.id)) throw forbidden();
  const service = { ...input, partnerId: partner.id, partnershipId: key.partnershipId };
  const idProblem = ownIdProblem(key.partnershipId, service.id);
  if (idProblem) throw invalid([{ path: 'id', message: idProblem }]);
  if (!(await insertService(db, service, nowIso()))) throw conflict('id_taken', 'A service with this id already exists.');
  return service;
}

export async function renameService(db: D1Database, key: ApiKey, id: string, name: string): Promise<Service> {
  const service = await findService(db, key.partnershipId, id);
  if (!service || !canSeePartner(key, service.partnerId)) throw notFound('service');
  if (!canChangePartner(key, service.partnerId)) throw forbidden();
  await renameServiceRow(db, key.partnershipId, id, name);
  return { ...service, name };
}
