import { type CubeSet, type ShownCount, type SuppressedCube, totalOf, type Cube, type SuppressionRule } from './suppression';

/** One bucket's cell as read from its cube: its true count (internal only) and what may be shown. */
type Read = Readonly<{ count: number; cell: ShownCount }>;

/**
 * Cells already read from each bucket's cube, per bucket, filter key and metric. A bucket's cube is
 * built once per version of its rollups and never changes (services/cubes.ts), so what was read
 * from it stays true for as long as the cube is in use, and is dropped with it.
 */
const readFrom = new WeakMap<SuppressedCube, Map<string, Map<string, Map<string, Read>>>>();

/** Filter keys remembered per bucket: those of a partnership's partners and the filters asked; the bound only guards memory. */
const MAX_KEYS = 256;

/**
 * A cube set whose cells are remembered with the cube they were read from. A year's report reads
 * thousands of cells (each theme's count, sentiment and trend, per partner, over 24 buckets), and a
 * cube look-up hashes the bucket, the metric and the key and allocates its answer; read again, a
 * remembered cell costs three look-ups of strings whose hashes are already known. The numbers are
 * the cube's own: totals are summed by the same rule (suppression.ts, `totalOf`).
 */
export class RememberedCube implements Cube {
  readonly rule: SuppressionRule;

  constructor(private readonly cubes: CubeSet) {
    this.rule = cubes.rule;
  }

  count(period: string, metric: string, key: string): number {
    return this.countAndCell(period, metric, key).count;
  }

  isHidden(period: string, metric: string, key: string): boolean {
    return this.cubes.isHidden(period, metric, key);
  }

  cell(period: string, metric: string, key: string): ShownCount {
    return this.countAndCell(period, metric, key).cell;
  }

  total(periods: string[], metric: string, key: string): ShownCount & { count: number } {
    return totalOf(this, periods, metric, key);
  }

  /** The cube answering for one bucket (see CubeSet.of). */
  of(period: string): SuppressedCube | undefined {
    return this.cubes.of(period);
  }

  countAndCell(period: string, metric: string, key: string): Read {
    const cube = this.cubes.of(period);
    if (!cube) return this.cubes.countAndCell(period, metric, key);
    let byPeriod = readFrom.get(cube);
    if (!byPeriod) readFrom.set(cube, (byPeriod = new Map()));
    // An exact month's four weeks share one cube: the bucket is part of what was read.
    let byKey = byPeriod.get(period);
    if (!byKey) byPeriod.set(period, (byKey = new Map()));
    let byMetric = byKey.get(key);
    if (!byMetric) {
      if (byKey.size >= MAX_KEYS) byKey.clear();
      byKey.set(key, (byMetric = new Map()));
    }
    let read = byMetric.get(metric);
    if (!read) {
      const { count, cell } = cube.countAndCell(period, metric, key);
      // Shared by every report that reads it: frozen, so none can change another's numbers.
      read = Object.freeze({ count, cell: Object.freeze(cell) });
      byMetric.set(metric, read);
    }
    return read;
  }
}
