import type { CustomTaxonomy } from '../domain/taxonomy';

export interface StoredTaxonomy extends CustomTaxonomy {
  version: number;
  updatedAt: string;
}

interface TaxonomyRow {
  synonyms: string;
  themes: string;
  version: number;
  updated_at: string;
}

const toTaxonomy = (r: TaxonomyRow): StoredTaxonomy => ({
  synonyms: JSON.parse(r.synonyms),
  themes: JSON.parse(r.themes),
  version: r.version,
  updatedAt: r.updated_at,
});

/** Only the version: what intake reads on every response to know whether its cached taxonomy is current. */
export async function findTaxonomyVersion(db: D1Database, partnershipId: string): Promise<number | null> {
  const row = await db.prepare('SELECT version FROM taxonomies WHERE partnership_id = ?1').bind(partnershipId).first<{ version: number }>();
  return row?.version ?? null;
}

/** The partnership's custom taxonomy, or null when it has never changed the defaults. */
export async function findTaxonomy(db: D1Database, partnershipId: string): Promise<StoredTaxonomy | null> {
  const row = await db
    .prepare('SELECT synonyms, themes, version, updated_at FROM taxonomies WHERE partnership_id = ?1')
    .bind(partnershipId)
    .first<TaxonomyRow>();
  return row ? toTaxonomy(row) : null;
}

/** Replaces the partnership's custom taxonomy and bumps its version (the first save is version 1). */
export async function saveTaxonomy(db: D1Database, partnershipId: string, custom: CustomTaxonomy, now: string): Promise<StoredTaxonomy> {
  const row = await db
    .prepare(
      `INSERT INTO taxonomies (partnership_id, synonyms, themes, version, updated_at) VALUES (?1, ?2, ?3, 1, ?4)
       ON CONFLICT (partnership_id) DO UPDATE SET synonyms = excluded.synonyms, themes = excluded.themes, version = version + 1, updated_at = excluded.updated_at
       RETURNING synonyms, themes, version, updated_at`,
    )
    .bind(partnershipId, JSON.stringify(custom.synonyms), JSON.stringify(custom.themes), now)
    .first<TaxonomyRow>();
  return toTaxonomy(row!);
}
