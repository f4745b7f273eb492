import { describe, expect, it } from 'vitest';
import { publishedCubes, type CubeCache, type CubeStage, type RollupSource } from '../../src/domain/linked-intervals';
import type { RollupRow, SuppressedCube } from '../../src/domain/suppression';

/** A few responses in each day of March and April 2027 (weeks of 1 March … 3 May). */
function rollups(grain: 'week' | 'month'): RollupRow[] {
  const rows: RollupRow[] = [];
  for (let day = Date.UTC(2027, 2, 1); day < Date.UTC(2027, 4, 1); day += 7 * 86_400_000) {
    const date = new Date(day);
    const period =
      grain === 'month' ? `${date.toISOString().slice(0, 7)}-01` : new Date(day - ((date.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    for (const partner of ['la', 'police']) {
      rows.push({ period, partner, service: '', survey: 's', audience: 'family', ageBand: '', metric: 'responses', n: 3 + (day % 5) });
    }
  }
  return rows;
}

function countingSource() {
  const read: string[] = [];
  const source: RollupSource = {
    async versions(_grain, periods) {
      return new Map(periods.map((p) => [p, 'v1']));
    },
    async rows(grain, periods) {
      read.push(...periods.map((p) => `${grain} ${p}`));
      return rollups(grain).filter((r) => periods.includes(r.period));
    },
  };
  return { source, read };
}

/** A cache that, like a full isolate, has let every base week go and kept what requests read. */
function publishedOnly(): CubeCache & { askedForBase: number } {
  const kept = new Map<string, SuppressedCube>();
  return {
    askedForBase: 0,
    get(key: string, stage?: CubeStage) {
      if (stage === 'base' || key.includes(' week base ')) {
        this.askedForBase++;
        return undefined;
      }
      return kept.get(key);
    },
    set(key: string, cube: SuppressedCube, stage?: CubeStage) {
      if (stage !== 'base' && !key.includes(' week base ')) kept.set(key, cube);
    },
  };
}

describe('publishedCubes with a warm cache', () => {
  it('reads no rollups and builds no base week when every month asked for is cached', async () => {
    const cache = publishedOnly();
    const first = countingSource();
    const cold = await publishedCubes('t', 'month', ['2027-03-01', '2027-04-01'], 'dfe', first.source, cache);
    expect(first.read.length).toBeGreaterThan(0);

    const again = countingSource();
    cache.askedForBase = 0;
    const warm = await publishedCubes('t', 'month', ['2027-03-01', '2027-04-01'], 'dfe', again.source, cache);
    expect(again.read).toEqual([]);
    expect(cache.askedForBase).toBe(0);
    for (const period of ['2027-03-01', '2027-04-01']) {
      expect(warm.cell(period, 'responses', 'la||||')).toEqual(cold.cell(period, 'responses', 'la||||'));
    }
  });

  it('marks base weeks as such, so a cache can keep them apart', async () => {
    const stages = new Set<string>();
    const cache: CubeCache = {
      get: () => undefined,
      set: (key, _cube, stage) => void stages.add(`${key.includes(' week base ') ? 'base-key' : 'other-key'}:${stage}`),
    };
    await publishedCubes('t', 'month', ['2027-03-01'], 'dfe', countingSource().source, cache);
    expect([...stages].sort()).toEqual(['base-key:base', 'other-key:published']);
  });
});
