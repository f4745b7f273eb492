import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketsBetween } from '../../src/domain/periods';
import { cellKey, type CubeSet } from '../../src/domain/suppression';
import { cubeFor, forgetBuiltCubes } from '../../src/services/cubes';
import { foldRollups } from '../helpers';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';

/**
 * Published cubes kept in D1 (0028): a fresh isolate reads each bucket's stored cube instead of
 * building it from the rollups, and never one built from other rollup versions.
 */
let P: Awaited<ReturnType<typeof seedInsightPartnership>>;
const MONTHS = bucketsBetween('2026-02-01', '2026-04-30', 'month');

beforeAll(async () => {
  P = await seedInsightPartnership();
  const police = { partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family };
  const health = { partner: P.partners.health, service: P.services.camhs, survey: P.surveys.family };
  await addResponses(P.id, [{ ...police, day: '2026-03-03', rating: 4, themes: { timeliness: 'positive' } }], 18);
  await addResponses(P.id, [{ ...health, day: '2026-03-10', rating: 2 }], 3);
  await addResponses(P.id, [{ ...police, day: '2026-03-31', rating: 5 }], 7);
  await addResponses(P.id, [{ ...health, day: '2026-04-01', rating: 1 }], 12);
  // Counted into the rollups as a report's read would (cubeFor itself reads only what is folded).
  await foldRollups();
});

const KEYS = () => [cellKey({}), cellKey({ partner: P.partners.police }), cellKey({ partner: P.partners.health })];
const METRICS = ['responses', 'rated', 'rating:1', 'rating:2', 'rating:4', 'rating:5', 'theme:timeliness'];
/** Every cell a report could read, as shown, for comparing two cubes. */
const shown = (cube: CubeSet) => MONTHS.flatMap((m) => METRICS.flatMap((metric) => KEYS().map((k) => [m, metric, k, cube.cell(m, metric, k)])));
const storedRows = async () =>
  (
    await env.DB.prepare('SELECT slot, cache_key FROM published_cubes WHERE partnership_id = ?1 ORDER BY slot')
      .bind(P.id)
      .all<{ slot: string; cache_key: string }>()
  ).results;

describe('published cubes kept in D1', () => {
  it.each(['dfe', 'nhs'] as const)('stores each month it builds, and a fresh isolate reads them instead of the rollups (%s)', async (rule) => {
    forgetBuiltCubes();
    const built = await cubeFor(env.DB, P.id, 'month', MONTHS, rule);
    const rows = await storedRows();
    expect(rows.filter((r) => r.slot.includes(` ${rule} `) && r.slot.includes(' month ')).length).toBe(MONTHS.length);
    expect(rows.every((r) => !/@/.test(r.slot) && /@/.test(r.cache_key))).toBe(true);

    // The rollups change without a new version (never in real life): only a stored cube can still give the old numbers.
    await env.DB.prepare('UPDATE rollups SET n = n + 40 WHERE partnership_id = ?1').bind(P.id).run();
    try {
      forgetBuiltCubes();
      const restored = await cubeFor(env.DB, P.id, 'month', MONTHS, rule);
      expect(shown(restored)).toEqual(shown(built));
      expect(shown(built).some(([, , , c]) => (c as { suppressed: boolean }).suppressed)).toBe(true);
    } finally {
      await env.DB.prepare('UPDATE rollups SET n = n - 40 WHERE partnership_id = ?1').bind(P.id).run();
    }
  });

  it('never uses a cube stored under other rollup versions: the month is built again and its row replaced', async () => {
    forgetBuiltCubes();
    const before = await cubeFor(env.DB, P.id, 'month', MONTHS, 'dfe');
    const march = (await storedRows()).find((r) => r.slot.includes(' month 2026-03-01 '))!;
    await addResponses(P.id, [{ partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family, day: '2026-03-17', rating: 3 }], 6);
    await foldRollups();
    forgetBuiltCubes();
    const after = await cubeFor(env.DB, P.id, 'month', MONTHS, 'dfe');
    expect(after.count('2026-03-01', 'responses', cellKey({}))).toBe(before.count('2026-03-01', 'responses', cellKey({})) + 6);
    const replaced = (await storedRows()).find((r) => r.slot === march.slot)!;
    expect(replaced.cache_key).not.toBe(march.cache_key);
  });
});
