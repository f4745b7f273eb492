import { findTaxonomy, findTaxonomyVersion } from '../db/taxonomies';
import { DEFAULT_TAXONOMY, type Taxonomy } from '../domain/analysis';
import { effectiveTaxonomy, EMPTY_CUSTOM, type CustomTaxonomy } from '../domain/taxonomy';

export interface PartnershipTaxonomy {
  /** 0: the defaults, never changed. */
  version: number;
  custom: CustomTaxonomy;
  taxonomy: Taxonomy;
}

const DEFAULTS: PartnershipTaxonomy = { version: 0, custom: EMPTY_CUSTOM, taxonomy: DEFAULT_TAXONOMY };

/**
 * One Taxonomy object per partnership and version, for the life of the isolate: the theme matcher
 * compiles once per Taxonomy object, so a new object per request would recompile every time.
 * Only the latest version of each partnership is kept, and only so many partnerships.
 */
const cache = new Map<string, PartnershipTaxonomy>();
const MAX_CACHED = 200;

/**
 * The taxonomy a partnership's answers are analysed with. One small read (the version) when the
 * cache is current; the whole row only after a change.
 */
export async function taxonomyFor(db: D1Database, partnershipId: string): Promise<PartnershipTaxonomy> {
  const version = await findTaxonomyVersion(db, partnershipId);
  if (version === null) return DEFAULTS;
  const hit = cache.get(partnershipId);
  if (hit && hit.version === version) {
    cache.delete(partnershipId);
    cache.set(partnershipId, hit);
    return hit;
  }
  const stored = await findTaxonomy(db, partnershipId);
  if (!stored) return DEFAULTS;
  return remember(partnershipId, stored);
}

/** Caches what was just saved, so the next intake does not read the row again. */
export function remember(partnershipId: string, stored: CustomTaxonomy & { version: number }): PartnershipTaxonomy {
  const custom = { synonyms: stored.synonyms, themes: stored.themes };
  const entry: PartnershipTaxonomy = { version: stored.version, custom, taxonomy: effectiveTaxonomy(custom) };
  const current = cache.get(partnershipId);
  // A slower request may bring an older version: keep the newer one.
  if (current && current.version > entry.version) return entry;
  cache.delete(partnershipId);
  cache.set(partnershipId, entry);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return entry;
}
