import type { StoredCube } from '../domain/suppression';

/** A stored cube, with the cache key (rollup versions included) it was built under. */
export interface PublishedCubeRow {
  slot: string;
  cacheKey: string;
  cube: StoredCube;
}

/** The stored cubes of some slots of a partnership (0028), whatever versions they were built from. */
export async function findPublishedCubes(db: D1Database, partnershipId: string, slots: string[]): Promise<PublishedCubeRow[]> {
  if (slots.length === 0) return [];
  const { results } = await db
    .prepare('SELECT slot, cache_key, cube FROM published_cubes WHERE partnership_id = ?1 AND slot IN (SELECT value FROM json_each(?2))')
    .bind(partnershipId, JSON.stringify(slots))
    .all<{ slot: string; cache_key: string; cube: string }>();
  return results.map((r) => ({ slot: r.slot, cacheKey: r.cache_key, cube: JSON.parse(r.cube) as StoredCube }));
}

/** Stores cubes, each replacing whatever its slot held: one batch, so a failure stores none. */
export async function storePublishedCubes(db: D1Database, partnershipId: string, rows: PublishedCubeRow[], builtAt: string): Promise<void> {
  if (rows.length === 0) return;
  await db.batch(
    rows.map((r) =>
      db
        .prepare(
          `INSERT INTO published_cubes (partnership_id, slot, cache_key, cube, built_at) VALUES (?1, ?2, ?3, ?4, ?5)
           ON CONFLICT (partnership_id, slot) DO UPDATE SET cache_key = excluded.cache_key, cube = excluded.cube, built_at = excluded.built_at`,
        )
        .bind(partnershipId, r.slot, r.cacheKey, JSON.stringify(r.cube), builtAt),
    ),
  );
}
