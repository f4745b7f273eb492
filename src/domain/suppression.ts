/**
 * Statistical disclosure control for every number Heard publishes.
 *
 * The published numbers are counts of responses in cells: one period bucket (a calendar month
 * or ISO week) × one metric (responses, a rating point, a theme, a theme's sentiment) × one
 * filter (partner/service, respondent/survey, age band; each fixed or "all"). Every cell is a
 * sum of finer cells, so a small count hidden in one cell could be worked out from its
 * neighbours. The rules, applied to the whole partnership at once so every caller sees the same
 * pattern whatever they filter on:
 *
 * 1. Primary: counts 1..5 (DfE) or 1..7 (NHS) are suppressed; zeros are shown.
 * 2. Secondary: in every additive line (a total and its parts: partners within the partnership,
 *    services within a partner, surveys within a respondent type, age bands, rating points within
 *    "rated", sentiments within a theme) no single cell may be the only unknown, or it could be
 *    recovered by subtraction. Where one is, the smallest other non-zero cell is suppressed too,
 *    until no line has exactly one unknown.
 * 3. Periods: a total over several buckets is published only when every bucket in it is, so
 *    differencing two overlapping ranges can only ever give sums of published numbers. Where a
 *    calendar month is exactly four ISO weeks, those weeks form a line with the month's total.
 * 4. NHS rule: published counts are rounded to the nearest 5, and a total over buckets is the sum
 *    of the buckets' rounded values, never the rounded true sum.
 */

import {
  ALL_PROTECTIONS,
  attackerBounds,
  disclosedCells,
  probedCells,
  protectTable,
  publishedBounds,
  type Bounds,
  type LinearTable,
  type Protections,
  type Settled,
} from './protection';

export type SuppressionRule = 'dfe' | 'nhs';

export const suppressionThreshold = (rule: SuppressionRule) => (rule === 'nhs' ? 7 : 5);

const isPrimary = (n: number, rule: SuppressionRule) => n >= 1 && n <= suppressionThreshold(rule);

/** A count as shown: the number, or null with `suppressed: true`; never 0 for a hidden count. */
export interface ShownCount {
  value: number | null;
  suppressed: boolean;
}

export function shown(n: number, hidden: boolean, rule: SuppressionRule): ShownCount {
  if (hidden) return { value: null, suppressed: true };
  return { value: rule === 'nhs' ? roundToFive(n) : n, suppressed: false };
}

const roundToFive = (n: number) => Math.round(n / 5) * 5;

/** The filter dimensions, nested: a service belongs to one partner, a survey to one respondent type. */
export interface Atom {
  partner: string;
  service: string;
  audience: string;
  survey: string;
  ageBand: string;
}

export interface RollupRow extends Atom {
  period: string;
  metric: string;
  n: number;
}

export const ALL = '*';

/** The cell key for a filter: unset dimensions are "all". A service fixes its partner, a survey its respondent type. */
export const cellKey = (f: Partial<Atom>) => [f.partner ?? ALL, f.service ?? ALL, f.audience ?? ALL, f.survey ?? ALL, f.ageBand ?? ALL].join('|');

/**
 * The metric each metric adds up into: rating points into "rated", a theme's sentiments into the
 * theme, a question's answers into the question (domain/question-results.ts).
 */
export function parentMetric(metric: string): string | undefined {
  if (metric.startsWith('rating:')) return 'rated';
  const parts = metric.split(':');
  if ((parts[0] === 'theme' || parts[0] === 'q') && parts.length === 3) return `${parts[0]}:${parts[1]}`;
  return undefined;
}

/**
 * The metric a per-question metric never exceeds, beyond its own line: a question's total and
 * each of its answers its survey's responses, a ticked option the question's total
 * (domain/question-results.ts). An answer is also at most its question's total, but that is its
 * own line; what is left of the responses after one answer is not, and adds up along the filters
 * on its own: 29 responses, 13 of them "home" at two atoms, 14 at a third with no "home", leave at
 * most 29 − 13 − 14 = 2 at a fourth (tests/domain/question-results.test.ts, seed 7).
 */
function questionBound(metric: string): string | undefined {
  const parts = metric.split(':');
  if (parts[0] === 'q' && (parts.length === 2 || parts.length === 3)) return 'responses';
  if (parts[0] === 'qm' && parts.length === 3) return `q:${parts[1]}`;
  return undefined;
}

/** What a report reads from suppressed counts: one cube, or several buckets' cubes read as one. */
export interface Cube {
  readonly rule: SuppressionRule;
  /** The true count of a cell (0 when nothing was counted). Never publish this without `cell()`. */
  count(period: string, metric: string, key: string): number;
  isHidden(period: string, metric: string, key: string): boolean;
  /** One bucket's count as it may be shown. */
  cell(period: string, metric: string, key: string): ShownCount;
  /** A total over buckets: shown only when every bucket in it is shown (rule 3). */
  total(periods: string[], metric: string, key: string): ShownCount & { count: number };
}

/** A built cube as plain data (`SuppressedCube.toStored`): each dimension's values by rank, and its cells in number order. */
export interface StoredCube {
  rule: SuppressionRule;
  values: string[][];
  codes: number[];
  counts: number[];
  /** Numbers of the hidden cells. */
  hidden: number[];
}

/** The weeks a month touches, each with the cube that publishes it. */
export interface MonthWeeks {
  /** Weeks wholly inside the month. */
  inside: { period: string; cube: Cube }[];
  /** Weeks it shares with the month before or after. */
  shared: { period: string; cube: Cube }[];
  /**
   * What the shared weeks' days in the months before and after hold for a metric and filter, as
   * an attacker can bound it from those months and their other weeks (linked-intervals.ts): 32
   * responses in April leave at least 33 − 32 = 1 of a shared week's 33 in March.
   */
  outside?: (metric: string, key: string) => [number, number];
  /**
   * The shared weeks' rollup rows, relabelled to the month. The month holds a cell for every
   * metric and filter they count (of 0 where it counted nothing), so its lines are those weeks'
   * lines too, and the audit can follow them through the weeks' days in the other month
   * (`auditWithWeeks`).
   */
  sharedRows?: RollupRow[];
}

/*
 * How the cube is laid out. A cell is (period, metric, partner, service, audience, survey, age
 * band). Each of the seven dimensions' values is indexed once, and a cell's code is those indexes
 * in mixed radix, so a generalisation, a parent or a line's neighbour is arithmetic on a number,
 * never a string. The indexes are ranked so that codes sort exactly as the text ids
 * `period#metric#partner|service|audience|survey|ageBand` did: that order breaks ties when a
 * second cell has to be hidden, so it decides the published pattern and must not change. Comparing
 * two such ids, the first differing field decides, and within it the field followed by its
 * separator ('#', '|', or the end of the text for the age band) is compared. Values never contain
 * '#' or '|' (ids, slugs, 'rating:N', 'theme:ID:S').
 */
const SEPARATORS = ['#', '#', '|', '|', '|', '|', ''] as const;
const PERIOD = 0;
const METRIC = 1;
/** Dimension of each filter field, in cellKey order. */
const FILTER = [2, 3, 4, 5, 6] as const;
/** The hierarchies a cell sits in, each a chain of dimensions from "all" to the finest; the fourth is the metric's. */
const HIERARCHIES = [[2, 3], [4, 5], [6]] as const;
const LINES_PER_CELL = 4;

/** Ranks for one dimension's values: the order of `value + separator` as text. */
function rank(values: Map<string, number>, separator: string): Int32Array {
  const sorted = [...values.keys()].map((v) => v + separator).sort();
  const ranks = new Int32Array(values.size);
  sorted.forEach((text, r) => {
    ranks[values.get(separator ? text.slice(0, -separator.length) : text)!] = r;
  });
  return ranks;
}

/**
 * The suppressed cube for a set of period buckets: what every filter, metric and bucket may show.
 * Build it from all of a partnership's rollup rows for those buckets (never a filtered subset, or
 * the pattern would depend on the question asked). No line crosses buckets except an exact
 * month's four weeks, so a bucket (or such a month's weeks) may be built alone and gives the same
 * pattern as inside a bigger cube.
 */
export class SuppressedCube implements Cube {
  /** Per dimension: value → rank. */
  private readonly index: Map<string, number>[];
  /** Per dimension: how far one step of its rank moves a code. */
  private readonly stride: number[];
  /** Code → cell number; cells are numbered as they are first counted. */
  private readonly cells = new Map<number, number>();
  private readonly codes: number[] = [];
  private values: number[] = [];
  private hidden = new Uint8Array(0);
  /** Filter key text → the filter part of a code (-1: a value the cube has never seen). */
  private readonly keys = new Map<string, number>();
  /** How many cells the cube holds (counted ones and zero totals), for sizing caches. */
  readonly size: number;

  constructor(
    rows: RollupRow[],
    readonly rule: SuppressionRule,
    options: {
      exactMonths?: { month: string; weeks: string[] }[];
      /** Cells hidden whatever their count, as `period#metric#key`: the same days hidden in the other interval's view. */
      alsoHide?: ReadonlySet<string>;
      protections?: Protections;
      /** For a one-month cube: the weeks it touches, as published, audited with it (see `auditWithWeeks`). */
      weeks?: MonthWeeks;
    } = {},
  ) {
    // 1. Index every dimension's values, ALL included, plus each metric's parent metric.
    const seen = SEPARATORS.map(() => new Map<string, number>());
    const intern = (d: number, value: string) => {
      const ids = seen[d]!;
      let id = ids.get(value);
      if (id === undefined) ids.set(value, (id = ids.size));
      return id;
    };
    for (const d of FILTER) intern(d, ALL);
    // In one order whatever order the rows came in: cells are numbered as first counted, and the
    // audit breaks ties by cell number, so the pattern must depend on the data alone.
    const rowKey = (r: RollupRow) => `${r.period}#${r.metric}#${r.partner}|${r.service}|${r.audience}|${r.survey}|${r.ageBand}`;
    const sorted = (rs: RollupRow[]) =>
      rs
        .filter((r) => r.n !== 0)
        .map((r) => ({ r, key: rowKey(r) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map(({ r }) => r);
    // The shared weeks' cells come last and count 0: every counted cell keeps its number, and so
    // its place in the audit's ties.
    const own = sorted(rows);
    const live = [...own, ...sorted(options.weeks?.sharedRows ?? [])];
    const raw = new Int32Array(live.length * 7);
    live.forEach((r, i) => {
      const o = i * 7;
      raw[o] = intern(PERIOD, r.period);
      raw[o + 1] = intern(METRIC, r.metric);
      raw[o + 2] = intern(2, r.partner);
      raw[o + 3] = intern(3, r.service);
      raw[o + 4] = intern(4, r.audience);
      raw[o + 5] = intern(5, r.survey);
      raw[o + 6] = intern(6, r.ageBand);
    });
    for (const metric of [...seen[METRIC]!.keys()]) {
      const pm = parentMetric(metric);
      if (pm !== undefined) intern(METRIC, pm);
    }
    const ranks = seen.map((ids, d) => rank(ids, SEPARATORS[d]!));
    this.index = seen.map((ids, d) => new Map([...ids].map(([value, id]) => [value, ranks[d]![id]!])));
    this.stride = new Array<number>(7);
    let span = 1;
    for (let d = 6; d >= 0; d--) {
      this.stride[d] = span;
      span *= Math.max(1, seen[d]!.size);
    }
    if (span > Number.MAX_SAFE_INTEGER) throw new Error('SuppressedCube: too many distinct values to code cells as numbers');
    const all = FILTER.map((d) => ranks[d]![seen[d]!.get(ALL)!]! * this.stride[d]!);
    const parentOfMetric = new Int32Array(seen[METRIC]!.size).fill(-1);
    for (const [metric, id] of seen[METRIC]!) {
      const pm = parentMetric(metric);
      if (pm !== undefined) parentOfMetric[ranks[METRIC]![id]!] = this.index[METRIC]!.get(pm)!;
    }

    // 2. Count every row into its 3 × 3 × 2 generalisations.
    const partOf = (d: number, o: number) => ranks[d]![raw[o + d]!]! * this.stride[d]!;
    for (let i = 0; i < live.length; i++) {
      const o = i * 7;
      const n = i < own.length ? live[i]!.n : 0;
      const base = partOf(PERIOD, o) + partOf(METRIC, o);
      const p = partOf(2, o),
        s = partOf(3, o),
        au = partOf(4, o),
        sv = partOf(5, o),
        b = partOf(6, o);
      for (const ps of [p + s, p + all[1]!, all[0]! + all[1]!]) {
        for (const as of [au + sv, au + all[3]!, all[2]! + all[3]!]) {
          this.add(base + ps + as + b, n);
          this.add(base + ps + as + all[4]!, n);
        }
      }
    }
    const counted = this.codes.length;

    // 3. Each counted cell's parent along each hierarchy and its parent metric. A parent metric
    // nobody counted gets a cell of 0, so every line has a total to point at.
    const parent = new Int32Array(counted * LINES_PER_CELL).fill(-1);
    const rankOf = (code: number, d: number) => Math.floor(code / this.stride[d]!) % seen[d]!.size;
    for (let i = 0; i < counted; i++) {
      const code = this.codes[i]!;
      HIERARCHIES.forEach((dims, h) => {
        let level = 0;
        for (const d of dims) if (rankOf(code, d) * this.stride[d]! !== all[d - 2]) level++;
        if (level === 0) return;
        const d = dims[level - 1]!;
        parent[i * LINES_PER_CELL + h] = this.cellFor(code + all[d - 2]! - rankOf(code, d) * this.stride[d]!);
      });
      const m = rankOf(code, METRIC);
      const pm = parentOfMetric[m]!;
      if (pm >= 0) parent[i * LINES_PER_CELL + 3] = this.cellFor(code + (pm - m) * this.stride[METRIC]!);
    }
    const total = this.codes.length;

    // 4. Lines as lists: the parts under each (cell, hierarchy), counting sort by parent.
    const start = new Int32Array(total * LINES_PER_CELL + 1);
    for (let j = 0; j < parent.length; j++) if (parent[j]! >= 0) start[parent[j]! * LINES_PER_CELL + (j % LINES_PER_CELL) + 1]!++;
    for (let g = 0; g < total * LINES_PER_CELL; g++) start[g + 1]! += start[g]!;
    const parts = new Int32Array(start[total * LINES_PER_CELL]!);
    const fill = start.slice(0, total * LINES_PER_CELL);
    for (let j = 0; j < parent.length; j++) {
      const p = parent[j]!;
      if (p >= 0) parts[fill[p * LINES_PER_CELL + (j % LINES_PER_CELL)]!++] = Math.floor(j / LINES_PER_CELL);
    }

    // 5. Exact months: the weeks of one (metric, filter) form a line whose total, the month, is known.
    const weekLines: number[][] = [];
    const weekLinesOf = new Map<number, number[]>();
    for (const { weeks } of options.exactMonths ?? []) {
      const inMonth = new Set(weeks.map((w) => this.index[PERIOD]!.get(w)).filter((r) => r !== undefined));
      const byRest = new Map<number, number>();
      for (let i = 0; i < counted; i++) {
        const code = this.codes[i]!;
        const period = rankOf(code, PERIOD);
        if (!inMonth.has(period)) continue;
        const rest = code - period * this.stride[PERIOD]!;
        let w = byRest.get(rest);
        if (w === undefined) {
          byRest.set(rest, (w = weekLines.length));
          weekLines.push([]);
        }
        weekLines[w]!.push(i);
        const mine = weekLinesOf.get(i);
        if (mine) mine.push(w);
        else weekLinesOf.set(i, [w]);
      }
    }

    this.byRank = this.index.map((ids) => {
      const out: string[] = [];
      for (const [value, r] of ids) out[r] = value;
      return out;
    });
    const forced = new Uint8Array(this.codes.length);
    if (options.alsoHide?.size) {
      for (let i = 0; i < this.codes.length; i++) if (options.alsoHide.has(this.idOf(this.codes[i]!))) forced[i] = 1;
    }
    this.suppress(parent, start, parts, weekLines, weekLinesOf, forced);
    const protections = options.protections ?? ALL_PROTECTIONS;
    const { table, later } = this.relations(parent.length / LINES_PER_CELL, start, parts, weekLines, protections);
    if (options.weeks) this.auditWithWeeks(table, later, options.weeks, protections);
    else {
      const hidden = new Uint8Array(table.values.length).fill(1);
      hidden.set(this.hidden);
      const question = this.questionCells();
      const settled: Settled = {};
      auditQuestionsLast(table, hidden, question, rule, protections, settled);
      if (later.length > 0) auditQuestionsLast({ ...table, lines: [...table.lines, ...later] }, hidden, question, rule, protections, settled);
      this.hidden.set(hidden.subarray(0, this.codes.length));
    }
    this.size = this.codes.length;
  }

  /** Per dimension: rank → value. */
  private readonly byRank: string[][];

  /**
   * The built cube as plain data, to keep it where a fresh isolate can read it instead of
   * building it again (services/cubes.ts). It holds true counts, as the rollups it came from do.
   */
  toStored(): StoredCube {
    const hidden: number[] = [];
    for (let i = 0; i < this.hidden.length; i++) if (this.hidden[i]) hidden.push(i);
    return { rule: this.rule, values: this.byRank, codes: this.codes, counts: this.values, hidden };
  }

  /** A cube from `toStored()`: the same cells, counts and pattern, without building anything. */
  static fromStored(stored: StoredCube): SuppressedCube {
    // Not through the constructor, which builds and suppresses from rows; every field it sets is set here.
    const cube = Object.create(SuppressedCube.prototype) as SuppressedCube;
    const stride = new Array<number>(stored.values.length);
    let span = 1;
    for (let d = stored.values.length - 1; d >= 0; d--) {
      stride[d] = span;
      span *= Math.max(1, stored.values[d]!.length);
    }
    const hidden = new Uint8Array(stored.codes.length);
    for (const i of stored.hidden) hidden[i] = 1;
    Object.assign(cube, {
      rule: stored.rule,
      index: stored.values.map((values) => new Map(values.map((value, rank) => [value, rank]))),
      stride,
      cells: new Map(stored.codes.map((code, i) => [code, i])),
      codes: stored.codes,
      values: stored.counts,
      hidden,
      keys: new Map(),
      size: stored.codes.length,
      byRank: stored.values,
    });
    return cube;
  }

  /** A cell's text id, `period#metric#partner|service|audience|survey|ageBand`. */
  private idOf(code: number): string {
    const v = this.byRank.map((values, d) => values[Math.floor(code / this.stride[d]!) % values.length]!);
    return `${v[0]}#${v[1]}#${v.slice(2).join('|')}`;
  }

  /**
   * Everything an attacker knows ties the cells together: every line (each hierarchy and the
   * metric's, and exact-month weeks, whose total is not in this cube), and rated ≤ responses and
   * a theme or a theme's sentiment ≤ responses for the same filter and bucket.
   *
   * A sentiment's leftover (responses − negative) comes `later`: lines audited once the pattern
   * passes without them, over the same cells (the table holds their leftover cells, unrelated).
   * The audit hides greedily, and more relations from the start make it hide more where a pattern
   * made without them already passes with them: on the bench's 100,000 responses the pattern
   * protected without the sentiments' leftovers passes with them (the same cells shown), while
   * auditing them from the start showed 16,140 NHS cells instead of 16,600 and a partner's monthly
   * total in 25 of 48 partner-months instead of 33. They are still needed where a planting uses
   * them (tests/domain/disclosure-attacker.test.ts, seed 1029583079).
   */
  private relations(
    counted: number,
    start: Int32Array,
    parts: Int32Array,
    weekLines: number[][],
    protections: Protections,
  ): { table: LinearTable; later: LinearTable['lines'] } {
    const lines: LinearTable['lines'] = [];
    for (let g = 0; g + 1 < start.length; g++) {
      if (start[g + 1]! > start[g]!) lines.push({ total: Math.floor(g / LINES_PER_CELL), parts: parts.subarray(start[g]!, start[g + 1]!) });
    }
    for (const w of weekLines) lines.push({ total: -1, parts: Int32Array.from(w) });
    const atMost: [number, number][] = [];
    /**
     * A sentiment and its responses. That it is at most them is known already (it is at most its
     * theme, which is at most them); what it adds is its own leftover, adding up along the filters.
     */
    const sentiments: [number, number][] = [];
    const responses = this.index[METRIC]!.get('responses');
    if (responses !== undefined) {
      const metricStride = this.stride[METRIC]!;
      const metrics = this.byRank[METRIC]!.length;
      for (let i = 0; i < counted; i++) {
        const code = this.codes[i]!;
        const m = Math.floor(code / metricStride) % metrics;
        const metric = this.byRank[METRIC]![m]!;
        const sameCell = (other: number | undefined) => (other === undefined ? undefined : this.cells.get(code + (other - m) * metricStride));
        if (metric.startsWith('q')) {
          // A question's total and each answer are at most the survey's responses, a ticked option at most the question's total.
          const over = questionBound(metric);
          const j = over === undefined ? undefined : sameCell(this.index[METRIC]!.get(over));
          if (j !== undefined) atMost.push([i, j]);
          continue;
        }
        const isTheme = metric.startsWith('theme:');
        if (metric !== 'rated' && !isTheme) continue;
        const j = sameCell(responses);
        if (j === undefined) continue;
        (isTheme && metric.split(':').length === 3 ? sentiments : atMost).push([i, j]);
      }
    }
    if (!protections.crossMeasure || atMost.length + sentiments.length === 0) return { table: { values: this.values, lines, atMost }, later: [] };
    // What is left: responses − rated, responses − a theme or one of its sentiments (and a question's likewise), for each filter. These add up along
    // the filters' lines as the counts do, which is how an attacker combines two orderings: 8
    // responses in a week, 7 of them in a theme shown for two hidden filters, leaves at most 1 for
    // the third. Each is an unpublished cell (at least 0), its own line with the two counts.
    const n = this.codes.length;
    const values = [...this.values];
    /** Each count's leftover cell: a count has one bound above it, so the count alone names it. */
    const slackOf = new Map<number, number>();
    const later: LinearTable['lines'] = [];
    /** For each responses cell, the counts whose leftovers are audited first, and the sentiments'. */
    const xOfR = new Map<number, number[]>();
    const sentimentsOf = new Map<number, number[]>();
    for (const [pairs, into, byR] of [
      [atMost, lines, xOfR],
      [sentiments, later, sentimentsOf],
    ] as const) {
      for (const [x, r] of pairs) {
        const k = values.length;
        values.push(0);
        into.push({ total: r, parts: Int32Array.of(x, k) });
        slackOf.set(x, k);
        byR.get(r)?.push(x) ?? byR.set(r, [x]);
      }
    }
    /** Count x's leftover along line g of its responses cell `total`. */
    const leftoverLine = (x: number, total: number, g: number) => {
      const shift = this.codes[x]! - this.codes[total]!;
      const slackParts = new Int32Array(start[g + 1]! - start[g]!);
      for (let k = start[g]!; k < start[g + 1]!; k++) {
        const r = parts[k]!;
        const xp = this.cells.get(this.codes[r]! + shift);
        // No such count (or a zero total nobody counted): all of the part is left.
        slackParts[k - start[g]!] = (xp === undefined ? undefined : slackOf.get(xp)) ?? r;
      }
      return { total: slackOf.get(x)!, parts: slackParts };
    };
    for (let g = 0; g + 1 < start.length; g++) {
      // The filters' lines only: a metric's own line (a question's answers) holds other metrics.
      if (start[g + 1]! <= start[g]! || g % LINES_PER_CELL === LINES_PER_CELL - 1) continue;
      const total = Math.floor(g / LINES_PER_CELL);
      for (const x of xOfR.get(total) ?? []) lines.push(leftoverLine(x, total, g));
      for (const x of sentimentsOf.get(total) ?? []) later.push(leftoverLine(x, total, g));
    }
    this.questionPairs(start, parts, values, lines, atMost, xOfR, slackOf);
    const free = new Uint8Array(values.length);
    free.fill(1, n);
    return { table: { values, lines, atMost, free }, later };
  }

  /**
   * Two questions of one survey at one filter: those who answered both, and those who answered
   * neither, each an unpublished cell adding up along the filters, with A + B + neither =
   * responses + both (as (responses − A) + both = B + neither) and both at most either question.
   * The leftover cells alone say it only across many lines at once: 14 answered one question and
   * 14 the other, at atoms where the shown zeros say nobody answered both, leave at most
   * 30 − 28 = 2 of 30 responses for an atom where nobody answered either, which propagation and
   * the probe reach only by chasing two bounds round a cycle a few counts at a time, longer the
   * larger the counts (tests/domain/question-results.test.ts, seed 5). With these cells it is one
   * line at a time: neither = 30 − 14 − 14 + 0. The cost grows with the square of a survey's
   * questions (three cells per pair at each filter where both were answered): nothing for a cube
   * without per-question counts, about twice the time for ten questions, four to five times for
   * twenty.
   */
  private questionPairs(
    start: Int32Array,
    parts: Int32Array,
    values: number[],
    lines: LinearTable['lines'],
    atMost: [number, number][],
    xOfR: Map<number, number[]>,
    slackOf: Map<number, number>,
  ) {
    const metricStride = this.stride[METRIC]!;
    const metrics = this.byRank[METRIC]!;
    /** The survey of a question's total (`q:survey/question`), or undefined for any other cell. */
    const surveyOf = (i: number) => {
      const metric = metrics[Math.floor(this.codes[i]! / metricStride) % metrics.length]!;
      const fields = metric.split(':');
      return fields[0] === 'q' && fields.length === 2 ? fields[1]!.split('/')[0] : undefined;
    };
    /** Each pair's cells, by its two question totals' cell numbers (the lower first). */
    const pairCells = new Map<string, { both: number; neither: number }>();
    const pairKey = (a: number, b: number) => (a < b ? `${a},${b}` : `${b},${a}`);
    const pairsOf = new Map<number, [number, number][]>();
    for (const [r, xs] of xOfR) {
      const totals = xs.filter((x) => surveyOf(x) !== undefined && slackOf.has(x));
      const pairs: [number, number][] = [];
      for (let i = 0; i < totals.length; i++) {
        for (let j = i + 1; j < totals.length; j++) {
          const a = totals[i]!;
          const b = totals[j]!;
          if (surveyOf(a) !== surveyOf(b)) continue;
          const both = values.length;
          const neither = both + 1;
          const either = both + 2;
          values.push(0, 0, 0);
          lines.push({ total: either, parts: Int32Array.of(slackOf.get(a)!, both) }, { total: either, parts: Int32Array.of(b, neither) });
          atMost.push([both, a], [both, b]);
          pairCells.set(pairKey(a, b), { both, neither });
          pairs.push([a, b]);
        }
      }
      if (pairs.length > 0) pairsOf.set(r, pairs);
    }
    for (let g = 0; g + 1 < start.length; g++) {
      // The filters' lines only, as for the leftover cells.
      if (start[g + 1]! <= start[g]! || g % LINES_PER_CELL === LINES_PER_CELL - 1) continue;
      const total = Math.floor(g / LINES_PER_CELL);
      for (const [a, b] of pairsOf.get(total) ?? []) {
        const { both, neither } = pairCells.get(pairKey(a, b))!;
        const shiftA = this.codes[a]! - this.codes[total]!;
        const shiftB = this.codes[b]! - this.codes[total]!;
        const bothParts: number[] = [];
        const neitherParts: number[] = [];
        let whole = true;
        for (let k = start[g]!; k < start[g + 1]! && whole; k++) {
          const r = parts[k]!;
          const ap = this.cells.get(this.codes[r]! + shiftA);
          const bp = this.cells.get(this.codes[r]! + shiftB);
          if (ap !== undefined && bp !== undefined) {
            // Both answered here by someone: the pair's own cells.
            const pair = pairCells.get(pairKey(ap, bp));
            if (pair) {
              bothParts.push(pair.both);
              neitherParts.push(pair.neither);
            } else whole = false;
          } else if (ap !== undefined || bp !== undefined) {
            // Nobody answered one of them here: nobody answered both, and neither is what the other leaves.
            const left = slackOf.get((ap ?? bp)!);
            if (left === undefined) whole = false;
            else neitherParts.push(left);
          } else neitherParts.push(r);
        }
        if (!whole) continue;
        lines.push({ total: both, parts: Int32Array.from(bothParts) }, { total: neither, parts: Int32Array.from(neitherParts) });
      }
    }
  }

  /**
   * Audits a one-month cube together with the weeks that touch it. A month is the sum of the weeks
   * inside it and the parts of the weeks it shares with the month before or after, so a shown
   * month less its shown weeks gives those parts exactly (18 − 16 = 2 on 29–31 March); the parts
   * add up like the month does, and a shared week's zero makes its part zero, so the part can be
   * tied to one filter and pin a hidden month cell. And a month bounds its weeks: rated 68 to 72
   * in a month whose second week shows 30 (28 to 32) leaves at least 36 for its first, whose three
   * rating points each shown 10 (8 to 12) can then only be 12 each.
   *
   * The table is the month's cells and lines; each week inside the month as it is published, cell
   * for cell with the month (a week inside holds no cell the month lacks), with the same lines;
   * the parts (unpublished, with the month's lines); and, as the attacker knows it from the weeks
   * published, the sum of the weeks shared: month = the weeks inside + parts, shared = parts + the
   * shared weeks' days in the other month, which are at most what the other month holds. The
   * month holds a cell for everything the shared weeks count (`sharedRows`, 0 where it counted
   * nothing), so their sum and their other days add up along the month's lines too: without
   * those lines, March's partner total less a shared week's family survey, and that week's own
   * partner line less its April days, un-rounded March's other group (19 = 27 − 8 = 33 − 14). The
   * shared weeks' cells are what the attacker knows, not checked here (as before: nothing audits
   * a shared week against both its months at once). The audit hides month cells until no hidden
   * cell, month or week inside, is disclosed and no shown one un-rounded; a week's cell is hidden
   * through the month's for the same metric and filter, as the week will hide it
   * (linked-intervals.ts, step 3).
   */
  private auditWithWeeks(month: LinearTable, later: LinearTable['lines'], weeks: MonthWeeks, protections: Protections) {
    const n = this.codes.length;
    const N = month.values.length;
    const PARTS = N;
    const SHARED = 2 * N;
    const OTHER = 3 * N;
    const WEEKS = 4 * N;
    const size = (4 + weeks.inside.length) * N;
    const values = new Float64Array(size);
    const hidden = new Uint8Array(size).fill(1);
    const free = new Uint8Array(size).fill(1);
    const owner = new Int32Array(size).fill(-1);
    const given = { lo: new Float64Array(size).fill(Number.NaN), hi: new Float64Array(size).fill(Number.NaN) };
    for (let i = 0; i < n; i++) values[i] = this.values[i]!;
    hidden.set(this.hidden);
    free.fill(0, 0, n);
    for (let i = 0; i < n; i++) {
      const id = this.idOf(this.codes[i]!);
      const first = id.indexOf('#');
      const second = id.indexOf('#', first + 1);
      const metric = id.slice(first + 1, second);
      const key = id.slice(second + 1);
      weeks.inside.forEach(({ period, cube }, w) => {
        const j = WEEKS + w * N + i;
        values[j] = cube.count(period, metric, key);
        hidden[j] = cube.isHidden(period, metric, key) ? 1 : 0;
        free[j] = 0;
        owner[j] = i;
      });
      // The shared weeks' sum, as the attacker knows it from their published counts.
      let lo = 0;
      let hi = 0;
      for (const w of weeks.shared) {
        const [l, h] = publishedBounds(w.cube.count(w.period, metric, key), w.cube.isHidden(w.period, metric, key), this.rule, protections);
        lo += l;
        hi += h;
      }
      given.lo[SHARED + i] = lo;
      given.hi[SHARED + i] = hi;
      if (weeks.outside) [given.lo[OTHER + i], given.hi[OTHER + i]] = weeks.outside(metric, key);
    }
    // The parts and each week inside add up along every line the month does; so do the shared
    // weeks and their other days, whose cells the month holds too (`sharedRows`).
    const shared = weeks.shared.length > 0;
    const copies = [...(shared ? [PARTS, SHARED, OTHER] : []), ...weeks.inside.map((_, w) => WEEKS + w * N)];
    /** Month lines as they are and on each copy. */
    const everywhere = (monthLines: LinearTable['lines']) => {
      const out = [...monthLines];
      for (const at of copies) {
        for (const { total, parts } of monthLines) if (total >= 0) out.push({ total: total + at, parts: Int32Array.from(parts, (p) => p + at) });
      }
      return out;
    };
    const lines = everywhere(month.lines);
    const atMost: [number, number][] = [...month.atMost];
    for (const at of copies) for (const [a, b] of month.atMost) atMost.push([a + at, b + at]);
    for (let i = 0; i < N; i++) {
      const inside = weeks.inside.map((_, w) => WEEKS + w * N + i);
      lines.push({ total: i, parts: Int32Array.from(shared ? [...inside, PARTS + i] : inside) });
      if (shared) lines.push({ total: SHARED + i, parts: Int32Array.of(PARTS + i, OTHER + i) });
    }
    const question = this.questionCells();
    const settled: Settled = {};
    const table = { values, lines, atMost, free, given, owner };
    auditQuestionsLast(table, hidden, question, this.rule, protections, settled);
    if (later.length > 0) auditQuestionsLast({ ...table, lines: [...lines, ...everywhere(later)] }, hidden, question, this.rule, protections, settled);
    this.hidden.set(hidden.subarray(0, n));
  }

  /** 1 for each cell of a per-question metric (`q:…`, `qm:…`, domain/question-results.ts). */
  private questionCells(): Uint8Array {
    const metrics = this.byRank[METRIC]!;
    const isQuestion = metrics.map((m) => m.startsWith('q:') || m.startsWith('qm:'));
    const out = new Uint8Array(this.codes.length);
    if (!isQuestion.includes(true)) return out;
    const stride = this.stride[METRIC]!;
    for (let i = 0; i < this.codes.length; i++) if (isQuestion[Math.floor(this.codes[i]! / stride) % metrics.length]) out[i] = 1;
    return out;
  }

  /** Every cell the cube holds, with its count and whether it is hidden: for the attacker tests and for linking intervals. */
  *entries(): Generator<{ id: string; count: number; hidden: boolean }> {
    for (const [code, i] of this.cells) yield { id: this.idOf(code), count: this.values[i]!, hidden: this.hidden[i] === 1 };
  }

  private add(code: number, n: number) {
    const i = this.cells.get(code);
    if (i === undefined) {
      this.cells.set(code, this.codes.length);
      this.codes.push(code);
      this.values.push(n);
    } else {
      this.values[i]! += n;
    }
  }

  /** The cell for a code, added with a count of 0 when nothing was counted there. */
  private cellFor(code: number): number {
    let i = this.cells.get(code);
    if (i === undefined) {
      i = this.codes.length;
      this.cells.set(code, i);
      this.codes.push(code);
      this.values.push(0);
    }
    return i;
  }

  /**
   * Primary suppression, then secondary until no line has exactly one unknown. Cells are taken in
   * code order (the old text order), lines in a fixed order per cell: each hierarchy's parent line
   * then the cell's own, the metric's likewise, then exact-month weeks.
   */
  private suppress(parent: Int32Array, start: Int32Array, parts: Int32Array, weekLines: number[][], weekLinesOf: Map<number, number[]>, forced: Uint8Array) {
    const { codes, values } = this;
    const hidden = (this.hidden = new Uint8Array(codes.length));
    const queue = new Int32Array(codes.length);
    let queued = 0;
    const hide = (i: number) => {
      hidden[i] = 1;
      queue[queued++] = i;
    };
    const primary: number[] = [];
    for (let i = 0; i < codes.length; i++) if (isPrimary(values[i]!, this.rule) || (forced[i] && values[i]! > 0)) primary.push(i);
    primary.sort((a, b) => codes[a]! - codes[b]!);
    for (const i of primary) hide(i);

    /** A line with exactly one unknown gets its smallest visible non-zero part hidden (ties: code order), else its total. */
    const line = (total: number, members: ArrayLike<number>, from: number, to: number) => {
      let unknown = total >= 0 && hidden[total] ? 1 : 0;
      for (let k = from; k < to; k++) if (hidden[members[k]!] && ++unknown > 1) return;
      if (unknown !== 1) return;
      let best = -1;
      for (let k = from; k < to; k++) {
        const m = members[k]!;
        if (hidden[m] || !(values[m]! > 0)) continue;
        if (best < 0 || values[m]! < values[best]! || (values[m] === values[best] && codes[m]! < codes[best]!)) best = m;
      }
      if (best < 0 && total >= 0 && !hidden[total] && values[total]! > 0) best = total;
      if (best >= 0) hide(best);
    };

    for (let q = 0; q < queued; q++) {
      const i = queue[q]!;
      if (i < parent.length / LINES_PER_CELL) {
        for (let h = 0; h < LINES_PER_CELL; h++) {
          const p = parent[i * LINES_PER_CELL + h]!;
          if (p >= 0) line(p, parts, start[p * LINES_PER_CELL + h]!, start[p * LINES_PER_CELL + h + 1]!);
          const own = i * LINES_PER_CELL + h;
          if (start[own + 1]! > start[own]!) line(i, parts, start[own]!, start[own + 1]!);
        }
      }
      for (const w of weekLinesOf.get(i) ?? []) line(-1, weekLines[w]!, 0, weekLines[w]!.length);
    }
  }

  /** The cell number for a question, or -1 when that cell was never counted. */
  private find(period: string, metric: string, key: string): number {
    const p = this.index[PERIOD]!.get(period);
    const m = this.index[METRIC]!.get(metric);
    if (p === undefined || m === undefined) return -1;
    let k = this.keys.get(key);
    if (k === undefined) {
      const fields = key.split('|');
      k = 0;
      if (fields.length !== FILTER.length) k = -1;
      for (let f = 0; f < FILTER.length && k >= 0; f++) {
        const r = this.index[FILTER[f]!]!.get(fields[f]!);
        k = r === undefined ? -1 : k + r * this.stride[FILTER[f]!]!;
      }
      // Keys come from filters and partners, so there are few; the bound only guards memory.
      if (this.keys.size > 4096) this.keys.clear();
      this.keys.set(key, k);
    }
    if (k < 0) return -1;
    return this.cells.get(p * this.stride[PERIOD]! + m * this.stride[METRIC]! + k) ?? -1;
  }

  count(period: string, metric: string, key: string): number {
    const i = this.find(period, metric, key);
    return i < 0 ? 0 : this.values[i]!;
  }

  isHidden(period: string, metric: string, key: string): boolean {
    const i = this.find(period, metric, key);
    return i >= 0 && this.hidden[i] === 1;
  }

  cell(period: string, metric: string, key: string): ShownCount {
    const i = this.find(period, metric, key);
    return i < 0 ? shown(0, false, this.rule) : shown(this.values[i]!, this.hidden[i] === 1, this.rule);
  }

  total(periods: string[], metric: string, key: string): ShownCount & { count: number } {
    return totalOf(this, periods, metric, key);
  }

  /** `count` and `cell` of one bucket from a single look-up (a report reads thousands of them). */
  countAndCell(period: string, metric: string, key: string): { count: number; cell: ShownCount } {
    const i = this.find(period, metric, key);
    return i < 0 ? { count: 0, cell: shown(0, false, this.rule) } : { count: this.values[i]!, cell: shown(this.values[i]!, this.hidden[i] === 1, this.rule) };
  }
}

/**
 * The audit, with per-question counts protected by per-question counts. Hiding whatever shown cell
 * is nearest a failing one let a small question hide a month's total: in the demo's December (125
 * responses, 5 of them to the children's survey) "30 answered the family survey's first question"
 * for a partner put a floor of 30 under that partner's hidden family-survey responses, so its 35
 * responses less 30 left at most 5 for the children's survey, and the audit hid the partner's 35
 * and then the partnership's 125. So, in stages:
 * 1. everything but the questions, as if no question were published (the pattern without them);
 * 2. with the questions published, hiding only question cells: what they would give away is
 *    paid for by the questions, never by a total;
 * 3. only if that cannot protect every cell (hiding question cells alone is not always enough:
 *    zeros are shown, so six answers each hidden still say at least 6), the audit as usual,
 *    free to hide any cell.
 * Every stage checks every published cell, so the result passes the same audit as before.
 * Every stage also probes each small hidden cell (`probedCells`), which finds what only two
 * lines together give away, so the pattern without the questions is the one a cube without them
 * gets.
 *
 * @param question 1 for each question cell (the first cells of `table`)
 */
function auditQuestionsLast(table: LinearTable, hidden: Uint8Array, question: Uint8Array, rule: SuppressionRule, protections: Protections, settled?: Settled) {
  /**
   * One probed cell a round: a probe finds every cell of a block at once, and hiding a neighbour
   * for each hid more than needed. Hiding more only loosens what the attacker knows, so a cell a
   * probe cleared stays cleared in the same table: each round starts at the cell last found.
   */
  const probing = (t: LinearTable) => {
    let from = 0;
    return (bounds: Bounds) => {
      const found = probedCells(t, hidden, rule, bounds, protections, 1, from);
      from = found[0] ?? t.values.length;
      return found;
    };
  };
  if (!protections.audit || !question.includes(1)) {
    protectTable(table, hidden, rule, protections, probing(table), settled);
    return;
  }
  // Propagation misses what only lines together say; the probe finds some of it
  // (domain/protection.ts, probedCells). One cell at a time is enough: a round protects one.
  const hiddenCount = () => hidden.reduce((n, h) => n + h, 0);
  /** How many cells were hidden when the probe last found nothing (cells are only ever added, so the same count is the same pattern). */
  let probedClean = -1;
  const probe = (bounds: Bounds) => {
    const found = probedCells(table, hidden, rule, bounds, protections, 1);
    if (found.length === 0) probedClean = hiddenCount();
    return found;
  };
  const passes = () => {
    // Stage 2 ends on a clean probe of the pattern as it stands: no need for another.
    if (probedClean === hiddenCount()) return true;
    const bounds = attackerBounds(table, hidden, rule, protections, settled);
    return disclosedCells(table, hidden, rule, bounds).length === 0 && probe(bounds).length === 0;
  };
  // Most cubes pass as they are (one bounds pass, as before): the stages are for those that do not.
  if (passes()) return;
  const size = table.values.length;
  const free = new Uint8Array(size);
  if (table.free) free.set(table.free);
  const fixed = new Uint8Array(size);
  for (let i = 0; i < question.length; i++) {
    if (question[i]) free[i] = 1;
    else fixed[i] = 1;
  }
  const withoutQuestions = { ...table, free };
  protectTable(withoutQuestions, hidden, rule, protections, probing(withoutQuestions));
  protectTable({ ...table, fixed }, hidden, rule, protections, probe);
  if (!passes()) protectTable(table, hidden, rule, protections, probe, settled);
}

/**
 * Several cubes read as one, each answering for its own buckets. Each bucket's pattern depends
 * only on its own rows (and an exact month's on its four weeks), so cubes built and cached per
 * bucket give exactly the pattern of one cube over all of them.
 */
export class CubeSet implements Cube {
  constructor(
    readonly rule: SuppressionRule,
    private readonly byPeriod: Map<string, SuppressedCube>,
  ) {}

  count(period: string, metric: string, key: string): number {
    return this.byPeriod.get(period)?.count(period, metric, key) ?? 0;
  }

  isHidden(period: string, metric: string, key: string): boolean {
    return this.byPeriod.get(period)?.isHidden(period, metric, key) ?? false;
  }

  cell(period: string, metric: string, key: string): ShownCount {
    return this.byPeriod.get(period)?.cell(period, metric, key) ?? shown(0, false, this.rule);
  }

  total(periods: string[], metric: string, key: string): ShownCount & { count: number } {
    return totalOf(this, periods, metric, key);
  }

  countAndCell(period: string, metric: string, key: string): { count: number; cell: ShownCount } {
    return this.byPeriod.get(period)?.countAndCell(period, metric, key) ?? { count: 0, cell: shown(0, false, this.rule) };
  }

  /** The cube answering for one bucket: built once per version of its rollups, so what is read from it may be remembered with it. */
  of(period: string): SuppressedCube | undefined {
    return this.byPeriod.get(period);
  }
}

/**
 * A total over buckets (rule 3): hidden when any bucket in it is. Its value is the sum of the
 * buckets' shown values, so under the NHS rule it says nothing the buckets do not: a total rounded
 * from the true sum would undo their rounding (four weeks each shown 10 under a total shown 50 can
 * only be 12 each). `count` is the true sum, for internal use only.
 */
export function totalOf(
  cube: { countAndCell(period: string, metric: string, key: string): { count: number; cell: ShownCount } },
  periods: string[],
  metric: string,
  key: string,
): ShownCount & { count: number } {
  let count = 0;
  let value = 0;
  let hidden = false;
  for (const p of periods) {
    const { count: n, cell: c } = cube.countAndCell(p, metric, key);
    count += n;
    if (c.suppressed) hidden = true;
    else value += c.value!;
  }
  return hidden ? { value: null, suppressed: true, count } : { value, suppressed: false, count };
}
