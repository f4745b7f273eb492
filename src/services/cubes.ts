import { findPublishedCubes, storePublishedCubes, type PublishedCubeRow } from '../db/published-cubes';
import { findRollups, findRollupVersions } from '../db/rollups';
import { publishedCubes, type CubeCache, type CubeStage, type RollupSource } from '../domain/linked-intervals';
import type { Interval } from '../domain/periods';
import { type CubeSet, SuppressedCube, type SuppressionRule } from '../domain/suppression';
import { Lru } from '../lib/lru';
import { nowIso } from '../lib/time';

/**
 * Suppressed cubes per bucket, kept in isolate memory. A bucket's pattern depends only on its own
 * rollups and those of the other interval's buckets over the same days (domain/linked-intervals.ts),
 * so each is built and audited once per version of those rollups (0010) and reused by every
 * request, whatever range or filter it asks for.
 *
 * The published ones (not the base weeks) are also stored in D1 (0028) when built, so an isolate
 * that has never built a bucket reads one row for it instead of its rollups and the weeks around
 * it: a year by month costs a fresh isolate 24 rows, not ~44,000 rows and seconds of CPU.
 */

/** A cache key without its rollup versions: the same bucket under any versions, one stored row. */
const slotOf = (key: string) => key.replace(/@[0-9a-f]*/g, '');

/** About 70 bytes a cell: ~14 MB of the isolate's 128 MB per cache. A month of a busy partnership is a few thousand cells. */
const MAX_CELLS = 200_000;
/** The cubes requests read (a year by month and the year before: 24 months, ~150,000 cells). */
const published = new Lru<string, SuppressedCube>(MAX_CELLS);
/**
 * Base weeks, read only to rebuild a month or week whose rollups changed. Kept apart so building a
 * whole year of them (more cells than the limit) never pushes out the published cubes.
 */
const base = new Lru<string, SuppressedCube>(MAX_CELLS);
const cacheOf = (stage: CubeStage = 'published') => (stage === 'base' ? base : published);

/**
 * The cube for some buckets of a partnership, from cached cubes where the versions they were built
 * from are unchanged. Reads rollups only for the buckets that are missing or stale.
 *
 * @param versions the asked grain's versions from `findRollupVersions`, when already read
 * @param fingerprint the stored fingerprint a report's tag was made from, when read
 *   (services/report-cache.ts): while it holds, no version the cubes are built from has changed, so
 *   the same question is answered with the same cubes, kept as a set, without reading any version
 */
export async function cubeFor(
  db: D1Database,
  partnershipId: string,
  grain: Interval,
  periods: string[],
  rule: SuppressionRule,
  versions?: Map<string, string>,
  fingerprint?: string,
): Promise<CubeSet> {
  const setKey = fingerprint ? `${partnershipId} ${grain} ${rule} ${periods.join(',')}\n${fingerprint}` : null;
  const kept = setKey ? sets.get(setKey) : undefined;
  if (kept) return kept;
  const source: RollupSource = {
    async versions(g, ps) {
      if (ps.length === 0) return new Map();
      if (g === grain && versions && ps.every((p) => periods.includes(p))) return versions;
      const sorted = [...ps].sort();
      return findRollupVersions(db, partnershipId, g, sorted[0]!, sorted[sorted.length - 1]!);
    },
    rows: (g, ps) => findRollups(db, partnershipId, g, ps),
  };
  const built: PublishedCubeRow[] = [];
  const cache: CubeCache = {
    get: (k, stage) => cacheOf(stage).get(k),
    set: (k, cube, stage) => {
      cacheOf(stage).set(k, cube, Math.max(1, cube.size));
      if (stage !== 'base') built.push({ slot: slotOf(k), cacheKey: k, cube: cube.toStored() });
    },
    async load(keys) {
      const missing = new Set(keys.filter((k) => !published.get(k)));
      if (missing.size === 0) return;
      for (const row of await findPublishedCubes(db, partnershipId, [...new Set([...missing].map(slotOf))])) {
        // A row built from other versions is stale: the bucket is built again and the row replaced.
        if (missing.has(row.cacheKey)) published.set(row.cacheKey, SuppressedCube.fromStored(row.cube), Math.max(1, row.cube.codes.length));
      }
    },
  };
  const cubes = await publishedCubes(partnershipId, grain, periods, rule, source, cache);
  if (setKey) sets.set(setKey, cubes);
  try {
    await storePublishedCubes(db, partnershipId, built, nowIso());
  } catch (err) {
    // Not stored: the next fresh isolate builds these buckets again. The report itself is fine.
    console.error('[heard] published cubes not stored:', err instanceof Error ? err.message : 'unknown error');
  }
  return cubes;
}

/**
 * Whole sets of cubes as a question last used them, under the fingerprint their versions came from:
 * a warm request then skips working out every bucket's key. Few, as each holds its cubes alive
 * beside the limit above.
 */
const sets = new Lru<string, CubeSet>(8);

/** Empties this isolate's cube caches: what a fresh isolate starts with (for tests). */
export function forgetBuiltCubes(): void {
  published.clear();
  base.clear();
  sets.clear();
}
