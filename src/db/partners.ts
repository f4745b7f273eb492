import type { PartnerKind } from '../schemas/common';

export interface Partner {
  id: string;
  partnershipId: string;
  name: string;
  kind: PartnerKind;
}
export interface Service {
  id: string;
  partnershipId: string;
  partnerId: string;
  name: string;
}

interface PartnerRow {
  id: string;
  partnership_id: string;
  name: string;
  kind: PartnerKind;
}
interface ServiceRow {
  id: string;
  partnership_id: string;
  partner_id: string;
  name: string;
}

const toPartner = (r: PartnerRow): Partner => ({ id: r.id, partnershipId: r.partnership_id, name: r.name, kind: r.kind });
const toService = (r: ServiceRow): Service => ({ id: r.id, partnershipId: r.partnership_id, partnerId: r.partner_id, name: r.name });

export async function listPartners(db: D1Database, partnershipId: string, onlyPartnerId?: string | null): Promise<Partner[]> {
  const { results } = await db
    .prepare('SELECT id, partnership_id, name, kind FROM partners WHERE partnership_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY name')
    .bind(partnershipId, onlyPartnerId ?? null)
    .all<PartnerRow>();
  return results.map(toPartner);
}

export async function findPartner(db: D1Database, partnershipId: string, id: string): Promise<Partner | null> {
  const row = await db
    .prepare('SELECT id, partnership_id, name, kind FROM partners WHERE partnership_id = ?1 AND id = ?2')
    .bind(partnershipId, id)
    .first<PartnerRow>();
  return row ? toPartner(row) : null;
}

export const insertPartnerStatement = (db: D1Database, p: Partner, createdAt: string) =>
  db
    .prepare('INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?1, ?2, ?3, ?4, ?5)')
    .bind(p.id, p.partnershipId, p.name, p.kind, createdAt);

/** Inserts unless the id is taken anywhere; returns whether it was inserted. */
export async function insertPartner(db: D1Database, p: Partner, createdAt: string): Promise<boolean> {
  const result = await db
    .prepare('INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING')
    .bind(p.id, p.partnershipId, p.name, p.kind, createdAt)
    .run();
  return result.meta.changes === 1;
}

export async function updatePartner(db: D1Database, partnershipId: string, id: string, changes: { name?: string; kind?: PartnerKind }) {
  await db
    .prepare('UPDATE partners SET name = COALESCE(?3, name), kind = COALESCE(?4, kind) WHERE partnership_id = ?1 AND id = ?2')
    .bind(partnershipId, id, changes.name ?? null, changes.kind ?? null)
    .run();
}

export async function listServices(db: D1Database, partnershipId: string, partnerId: string): Promise<Service[]> {
  const { results } = await db
    .prepare('SELECT id, partnership_id, partner_id, name FROM services WHERE partnership_id = ?1 AND partner_id = ?2 ORDER BY name')
    .bind(partnershipId, partnerId)
    .all<ServiceRow>();
  return results.map(toService);
}

export async function findService(db: D1Database, partnershipId: string, id: string): Promise<Service | null> {
  const row = await db
    .prepare('SELECT id, partnership_id, partner_id, name FROM services WHERE partnership_id = ?1 AND id = ?2')
    .bind(partnershipId, id)
    .first<ServiceRow>();
  return row ? toService(row) : null;
}

export const insertServiceStatement = (db: D1Database, s: Service, createdAt: string) =>
  db
    .prepare('INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)')
    .bind(s.id, s.partnershipId, s.partnerId, s.name, createdAt);

export async function insertService(db: D1Database, s: Service, createdAt: string): Promise<boolean> {
  const result = await db
    .prepare('INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING')
    .bind(s.id, s.partnershipId, s.partnerId, s.name, createdAt)
    .run();
  return result.meta.changes === 1;
}

export async function renameService(db: D1Database, partnershipId: string, id: string, name: string) {
  await db.prepare('UPDATE services SET name = ?3 WHERE partnership_id = ?1 AND id = ?2').bind(partnershipId, id, name).run();
}
