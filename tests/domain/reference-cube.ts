/**
 * The suppression engine as it was first written (text ids, sets of strings), kept as the
 * reference the integer-coded SuppressedCube must match exactly. Slow; for tests only.
 */
import { ALL, parentMetric, shown, type Atom, type RollupRow, type ShownCount, type SuppressionRule } from '../../src/domain/suppression';

const suppressionThreshold = (rule: SuppressionRule) => (rule === 'nhs' ? 7 : 5);
const isPrimary = (n: number, rule: SuppressionRule) => n >= 1 && n <= suppressionThreshold(rule);

type Key = [partner: string, service: string, audience: string, survey: string, ageBand: string];

// The three hierarchies a cell sits in, each a chain of levels from "all" to the finest.
const HIERARCHIES: { dims: number[] }[] = [{ dims: [0, 1] }, { dims: [2, 3] }, { dims: [4] }];

function levelOf(key: Key, dims: number[]): number {
  let level = 0;
  for (const d of dims) if (key[d] !== ALL) level++;
  return level;
}

/** Every filter cell an atom counts towards: 3 × 3 × 2 generalisations. */
export function generalisations(a: Atom): string[] {
  const out: string[] = [];
  for (const [p, s] of [
    [a.partner, a.service],
    [a.partner, ALL],
    [ALL, ALL],
  ] as const) {
    for (const [au, sv] of [
      [a.audience, a.survey],
      [a.audience, ALL],
      [ALL, ALL],
    ] as const) {
      for (const b of [a.ageBand, ALL]) out.push([p, s, au, sv, b].join('|'));
    }
  }
  return out;
}

const cellId = (period: string, metric: string, key: string) => `${period}#${metric}#${key}`;

/**
 * The suppressed cube for a set of period buckets: what every filter, metric and bucket may show.
 * Build it from all of a partnership's rollup rows for those buckets (never a filtered subset, or
 * the pattern would depend on the question asked).
 */
export class ReferenceCube {
  readonly values = new Map<string, number>();
  readonly hidden = new Set<string>();
  /** parent cell id + hierarchy index → ids of its non-zero children along that hierarchy. */
  private readonly children = new Map<string, Set<string>>();
  /** parent metric cell id → ids of non-zero child metric cells. */
  private readonly metricChildren = new Map<string, Set<string>>();
  /** Extra lines (month = its four ISO weeks): each with a known total. */
  private readonly periodLines = new Map<string, string[][]>();

  constructor(
    rows: RollupRow[],
    readonly rule: SuppressionRule,
    options: { exactMonths?: { month: string; weeks: string[] }[] } = {},
  ) {
    for (const row of rows) {
      if (row.n === 0) continue;
      for (const key of generalisations(row)) {
        const id = cellId(row.period, row.metric, key);
        this.values.set(id, (this.values.get(id) ?? 0) + row.n);
      }
    }
    for (const id of this.values.keys()) this.index(id);
    for (const { weeks } of options.exactMonths ?? []) this.addPeriodLines(weeks);
    this.suppress();
  }

  private index(id: string) {
    const [period, metric, keyText] = id.split('#') as [string, string, string];
    const key = keyText.split('|') as Key;
    HIERARCHIES.forEach(({ dims }, h) => {
      const level = levelOf(key, dims);
      if (level === 0) return;
      const parent = [...key] as Key;
      parent[dims[level - 1]!] = ALL;
      const parentId = cellId(period, metric, parent.join('|'));
      const group = `${parentId}/${h}`;
      let set = this.children.get(group);
      if (!set) this.children.set(group, (set = new Set()));
      set.add(id);
    });
    const pm = parentMetric(metric);
    if (pm) {
      const parentId = cellId(period, pm, keyText);
      let set = this.metricChildren.get(parentId);
      if (!set) this.metricChildren.set(parentId, (set = new Set()));
      set.add(id);
    }
  }

  private addPeriodLines(weeks: string[]) {
    const byRest = new Map<string, string[]>();
    for (const id of this.values.keys()) {
      const [period, ...rest] = id.split('#');
      if (!weeks.includes(period!)) continue;
      const restKey = rest.join('#');
      byRest.set(restKey, [...(byRest.get(restKey) ?? []), id]);
    }
    for (const members of byRest.values()) {
      for (const id of members) this.periodLines.set(id, [...(this.periodLines.get(id) ?? []), members]);
    }
  }

  /** The lines a cell is in, each as [total or null when the total is a known, published sum, ...parts]. */
  private linesOf(id: string): (string | null)[][] {
    const [period, metric, keyText] = id.split('#') as [string, string, string];
    const key = keyText.split('|') as Key;
    const lines: (string | null)[][] = [];
    HIERARCHIES.forEach(({ dims }, h) => {
      const level = levelOf(key, dims);
      if (level > 0) {
        const parent = [...key] as Key;
        parent[dims[level - 1]!] = ALL;
        const parentId = cellId(period, metric, parent.join('|'));
        lines.push([parentId, ...(this.children.get(`${parentId}/${h}`) ?? [])]);
      }
      const own = this.children.get(`${id}/${h}`);
      if (own) lines.push([id, ...own]);
    });
    const pm = parentMetric(metric);
    if (pm) {
      const parentId = cellId(period, pm, keyText);
      lines.push([parentId, ...(this.metricChildren.get(parentId) ?? [])]);
    }
    const own = this.metricChildren.get(id);
    if (own) lines.push([id, ...own]);
    for (const members of this.periodLines.get(id) ?? []) lines.push([null, ...members]);
    return lines;
  }

  private suppress() {
    const queue: string[] = [];
    for (const [id, n] of this.values) {
      if (isPrimary(n, this.rule)) {
        this.hidden.add(id);
        queue.push(id);
      }
    }
    // Sorted so the pattern depends only on the data, not on row order.
    queue.sort();
    for (let i = 0; i < queue.length; i++) {
      for (const line of this.linesOf(queue[i]!)) {
        const unknown = line.filter((m) => m !== null && this.hidden.has(m)).length;
        if (unknown !== 1) continue;
        const extra = this.complement(line);
        if (extra) {
          this.hidden.add(extra);
          queue.push(extra);
        }
      }
    }
  }

  /** The smallest visible non-zero cell of a line, preferring parts over the total. */
  private complement(line: (string | null)[]): string | undefined {
    const [total, ...parts] = line;
    const candidates = parts
      .filter((m): m is string => m !== null && !this.hidden.has(m) && (this.values.get(m) ?? 0) > 0)
      .sort((a, b) => this.values.get(a)! - this.values.get(b)! || (a < b ? -1 : 1));
    if (candidates.length) return candidates[0];
    if (total && !this.hidden.has(total) && (this.values.get(total) ?? 0) > 0) return total;
    return undefined;
  }

  /** The true count of a cell (0 when nothing was counted). Never publish this without `cell()`. */
  count(period: string, metric: string, key: string): number {
    return this.values.get(cellId(period, metric, key)) ?? 0;
  }

  isHidden(period: string, metric: string, key: string): boolean {
    return this.hidden.has(cellId(period, metric, key));
  }

  /** One bucket's count as it may be shown. */
  cell(period: string, metric: string, key: string): ShownCount {
    return shown(this.count(period, metric, key), this.isHidden(period, metric, key), this.rule);
  }

  /** A total over buckets: shown only when every bucket in it is shown (rule 3), as the sum of the buckets' shown values. */
  total(periods: string[], metric: string, key: string): ShownCount & { count: number } {
    const count = periods.reduce((sum, p) => sum + this.count(p, metric, key), 0);
    const hidden = periods.some((p) => this.isHidden(p, metric, key));
    if (hidden) return { value: null, suppressed: true, count };
    return { value: periods.reduce((sum, p) => sum + this.cell(p, metric, key).value!, 0), suppressed: false, count };
  }
}
