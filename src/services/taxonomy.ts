import { listAnalysisRows, updateAnalyses, type AnalysisUpdate } from '../db/responses';
import { findTaxonomy, findTaxonomyVersion, saveTaxonomy, type StoredTaxonomy } from '../db/taxonomies';
import type { TextAnswerAnalysis } from '../domain/intake';
import { reanalyseResponse } from '../domain/reanalysis';
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

/**
 * Replaces the partnership's synonyms and own themes (the API's PUT and the workspace's themes
 * page both save here) and caches the new version for intake.
 */
export async function saveThemes(db: D1Database, partnershipId: string, input: CustomTaxonomy, at: string): Promise<StoredTaxonomy> {
  const stored = await saveTaxonomy(db, partnershipId, input, at);
  remember(partnershipId, stored);
  return stored;
}

/** Responses re-analysed per call: enough to make progress, little enough for one request's CPU and one D1 query. */
export const REANALYSE_BATCH = 200;

export interface ReanalysedBatch {
  processed: number;
  changed: number;
  /** Where the next batch starts; null when every stored response has been seen. */
  nextCursor: string | null;
  version: number;
}

/** Re-analyses one batch of stored responses (in id order, after `cursor`) with the current themes. */
export async function reanalyseBatch(db: D1Database, partnershipId: string, cursor: string | null): Promise<ReanalysedBatch> {
  const [current, rows] = await Promise.all([
    taxonomyFor(db, partnershipId),
    // One more than a batch, to know whether there is a next one.
    listAnalysisRows(db, partnershipId, cursor, REANALYSE_BATCH + 1),
  ]);
  const batch = rows.slice(0, REANALYSE_BATCH);
  const updates: AnalysisUpdate[] = [];
  for (const row of batch) {
    const next = reanalyseResponse(
      { answers: JSON.parse(row.answers), analysis: JSON.parse(row.analysis) as Record<string, TextAnswerAnalysis>, rating: row.rating },
      current.taxonomy,
    );
    if (!next) continue;
    const update = { analysis: JSON.stringify(next.analysis), themes: JSON.stringify(next.themes), sentiment: next.sentiment };
    if (update.analysis === row.analysis && update.themes === row.themes && update.sentiment === row.sentiment) continue;
    updates.push({ id: row.id, was: { analysis: row.analysis, themes: row.themes, sentiment: row.sentiment }, ...update });
  }
  const changed = await updateAnalyses(db, partnershipId, updates);
  return {
    processed: batch.length,
    changed: changed.length,
    nextCursor: rows.length > REANALYSE_BATCH ? batch[batch.length - 1]!.id : null,
    version: current.version,
  };
}
