/**
 * The audit behind secondary suppression: what an attacker can work out about each hidden cell
 * from every published number, and more suppression until that is too little to matter.
 *
 * A table is a list of cells (true counts) tied by linear relations an attacker knows: lines
 * (a total is the sum of its parts: partners within the partnership, rating points within
 * "rated", exact-month weeks) and orderings (rated ≤ responses, a theme ≤ responses). The
 * attacker also knows the rule: a hidden cell is at least 1 (zeros are shown), a shown cell under
 * the NHS rule is its rounded value ± 2 and, not being small, at least threshold + 1.
 *
 * `attackerBounds` tightens every cell's interval through every relation until nothing changes
 * (bounds propagation, the interval reasoning behind "31 − 30 = 1"). `protectTable` hides more
 * cells until no hidden cell is bounded inside [1, threshold] or pinned to one value, and, under
 * the NHS rule, no shown count can be un-rounded. Propagation finds every disclosure made by
 * chains of lines and orderings, and once it settles, three counts published only two at a time
 * bound each other (`oddCycles`: a sum of lines where one count comes in twice), and each small
 * hidden cell is probed (`probedCells`: assume it above the threshold, propagate, a contradiction
 * is a disclosure); an exact integer-programming attacker (tests/domain/disclosure-attacker.test.ts,
 * tests/attacker) checks that what they miss stays protected.
 *
 * The functions work on any table of counts, so per-question results (yes/no, choice) can use
 * them too: give each answer's count a cell and each question a line.
 */
import { suppressionThreshold, type SuppressionRule } from './suppression';

export interface LinearTable {
  /** True count of each cell. */
  values: ArrayLike<number>;
  /** total = Σ parts; total -1 when the total is not a cell of this table. */
  lines: { total: number; parts: ArrayLike<number> }[];
  /** [smaller, larger]: the first cell never exceeds the second (rated ≤ responses). */
  atMost: [number, number][];
  /**
   * 1 for a cell this table does not publish: a quantity the attacker can reason about (the part of
   * a week that falls in one month, the sum of the weeks inside a month as another view publishes
   * them). Never checked, never hidden; its value is not used. The attacker knows it to be at
   * least 0, or within `given` where that is set.
   */
  free?: ArrayLike<number>;
  /** What the attacker knows of a free cell from elsewhere, [lo, hi]; NaN: nothing. */
  given?: { lo: ArrayLike<number>; hi: ArrayLike<number> };
  /**
   * 1 for a published cell the audit checks but must not hide, so that another cell pays for its
   * protection (a survey's responses, protected by hiding per-question counts: domain/suppression.ts).
   */
  fixed?: ArrayLike<number>;
  /**
   * For a cell another cube publishes (a week's, audited with its month), the cell of this table
   * whose hiding hides it too (the month's cell for the same metric and filter: a week hides what
   * any month it touches hides); -1: none. Such a cell is checked like any other but never hidden
   * on its own.
   */
  owner?: ArrayLike<number>;
}

/**
 * The protections an attacker is assumed to use, each on by default. Switching one off is for
 * the mutation tests only: it shows the exact attacker then succeeds.
 */
export interface Protections {
  /** Count on the attacker knowing a hidden cell is at least 1. */
  lowerBounds: boolean;
  /** Count on rated ≤ responses and theme ≤ responses. */
  crossMeasure: boolean;
  /** Weekly and monthly views of the same days suppressed together (services/cubes.ts). */
  intervalLinking: boolean;
  /** Percentages from the numbers shown, never the true counts (domain/insights.ts). */
  percentFromShown: boolean;
  /** Run the audit at all (off: the plain one-unknown-per-line rule). */
  audit: boolean;
}

export const ALL_PROTECTIONS: Protections = { lowerBounds: true, crossMeasure: true, intervalLinking: true, percentFromShown: true, audit: true };

export interface Bounds {
  lo: Float64Array;
  hi: Float64Array;
}

/**
 * The bounds the audit last settled on and the pattern they are for, kept to start from when the
 * same cells are audited again with more relations (domain/suppression.ts audits a cube in
 * stages): what the attacker works out from fewer relations it works out from more, so
 * propagation need only carry on from there. Bounds for another pattern are never used: a cell
 * hidden since is no longer known.
 */
export interface Settled {
  bounds?: Bounds;
  pattern?: Uint8Array;
}

/** The settled bounds when they are for exactly this pattern. */
function settledFor(settled: Settled | undefined, hidden: ArrayLike<number>): Bounds | undefined {
  const { bounds, pattern } = settled ?? {};
  if (!bounds || !pattern || pattern.length !== hidden.length) return undefined;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== (hidden[i] === 1 ? 1 : 0)) return undefined;
  return bounds;
}

function settle(settled: Settled | undefined, hidden: ArrayLike<number>, bounds: Bounds) {
  if (!settled) return;
  settled.bounds = bounds;
  const pattern = new Uint8Array(hidden.length);
  for (let i = 0; i < pattern.length; i++) pattern[i] = hidden[i] === 1 ? 1 : 0;
  settled.pattern = pattern;
}

/** What the attacker starts from for one cell, before any relation. */
function initialBounds(value: number, hidden: boolean, rule: SuppressionRule, lowerBounds: boolean): [number, number] {
  if (hidden) return [lowerBounds && value > 0 ? 1 : 0, Number.POSITIVE_INFINITY];
  if (rule === 'dfe' || value === 0) return [value, value];
  const shownValue = Math.round(value / 5) * 5;
  return [Math.max(shownValue - 2, suppressionThreshold(rule) + 1), shownValue + 2];
}

function givenBounds(table: LinearTable, i: number): [number, number] {
  const lo = table.given?.lo[i];
  return lo === undefined || Number.isNaN(lo) ? [0, Number.POSITIVE_INFINITY] : [lo, table.given!.hi[i]!];
}

/**
 * What the attacker knows of a published count before any relation: a hidden one is at least 1
 * (zeros are shown), a shown one is exact (DfE) or its rounded value ± 2 and more than the
 * threshold (NHS).
 */
export const publishedBounds = (value: number, hidden: boolean, rule: SuppressionRule, protections: Protections = ALL_PROTECTIONS) =>
  initialBounds(value, hidden, rule, protections.lowerBounds);

/**
 * The tightest interval bounds the audit's attacker gives for every cell from the published
 * numbers: propagation along every line and ordering, then the cycles of lines it cannot follow.
 * Sound: every true value lies inside its interval.
 */
export function attackerBounds(
  table: LinearTable,
  hidden: ArrayLike<number>,
  rule: SuppressionRule,
  protections: Protections = ALL_PROTECTIONS,
  /** Bounds settled on this pattern with fewer relations: started from, and replaced by these. */
  settled?: Settled,
): Bounds {
  const bounds = propagatedBounds(table, hidden, rule, protections, settledFor(settled, hidden));
  throughCycles(table, bounds, protections);
  settle(settled, hidden, bounds);
  return bounds;
}

/** Bounds propagation alone: each line and ordering in turn, until nothing changes; from `start` where given. */
function propagatedBounds(table: LinearTable, hidden: ArrayLike<number>, rule: SuppressionRule, protections: Protections, start?: Bounds): Bounds {
  const n = table.values.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [l, h] = table.free?.[i] ? givenBounds(table, i) : initialBounds(table.values[i]!, hidden[i] === 1, rule, protections.lowerBounds);
    lo[i] = start ? Math.max(l, start.lo[i]!) : l;
    hi[i] = start ? Math.min(h, start.hi[i]!) : h;
  }
  const bounds = { lo, hi };
  propagate(table, bounds, protections);
  return bounds;
}

/** Narrows a cell's interval to whole numbers within [l, h]; whether it changed. */
function tighten({ lo, hi }: Bounds, i: number, l: number, h: number): boolean {
  l = Math.ceil(l - 1e-9);
  h = Math.floor(h + 1e-9);
  let changed = false;
  if (l > lo[i]!) {
    lo[i] = l;
    changed = true;
  }
  if (h < hi[i]!) {
    hi[i] = h;
    changed = true;
  }
  return changed;
}

function propagate(table: LinearTable, bounds: Bounds, protections: Protections) {
  const { lo, hi } = bounds;
  const atMost = protections.crossMeasure ? table.atMost : [];
  for (let sweep = 0, changed = true; changed && sweep < 60; sweep++) {
    changed = false;
    const narrow = (i: number, l: number, h: number) => {
      if (tighten(bounds, i, l, h)) changed = true;
    };
    for (const { total, parts } of table.lines) {
      if (total < 0) continue;
      let sumLo = 0;
      let sumHi = 0;
      for (let k = 0; k < parts.length; k++) {
        sumLo += lo[parts[k]!]!;
        sumHi += hi[parts[k]!]!;
      }
      narrow(total, sumLo, sumHi);
      for (let k = 0; k < parts.length; k++) {
        const p = parts[k]!;
        const othersLo = sumLo - lo[p]!;
        const othersHi = sumHi - hi[p]!;
        narrow(p, Number.isFinite(othersHi) ? lo[total]! - othersHi : lo[p]!, hi[total]! - othersLo);
      }
    }
    for (const [small, large] of atMost) {
      narrow(small, lo[small]!, hi[large]!);
      narrow(large, lo[small]!, hi[large]!);
    }
  }
}

/** Narrows propagated bounds through cycles of lines, and propagates what that gives; a few passes at most, each one sweep of the lines. */
function throughCycles(table: LinearTable, bounds: Bounds, protections: Protections) {
  for (let pass = 0; pass < 8 && oddCycles(table, bounds); pass++) propagate(table, bounds, protections);
}

/**
 * What propagation cannot see: a cell in two lines of a cycle. Three counts a, b, d that are only
 * ever published two at a time (a + b, a + d, b + d: a partner's 13–17s and 8–12s, the 13–17s
 * across partners, the week's child survey across partners) give d = ((a + d) + (b + d) − (a + b)) / 2,
 * and a whole number: under the NHS rule 45 ± 2, 30 ± 2 and 50 ± 2 say d ≤ 15½, so d ≤ 15, while
 * each line alone leaves d its ± 2 (issue 18, seed −371308623: the police's 15 un-rounded).
 *
 * So, once propagation settles: cells equal through a line whose other parts are 0 are one count;
 * a line with exactly two parts not yet known exactly is a sum of two counts (less the known
 * parts); and every triangle of such sums bounds each of its three counts as above (a sum of one
 * count twice bounds it by half). Returns whether any interval narrowed, for propagation to carry
 * it on.
 */
function oddCycles(table: LinearTable, bounds: Bounds): boolean {
  const { lo, hi } = bounds;
  const n = lo.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number) => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  // Each line's parts not known exactly, when there are one or two, and the sum of those known.
  const lines = table.lines;
  const first = new Int32Array(lines.length).fill(-1);
  const second = new Int32Array(lines.length).fill(-1);
  const known = new Float64Array(lines.length);
  for (let l = 0; l < lines.length; l++) {
    const { total, parts } = lines[l]!;
    if (total < 0) continue;
    let a = -1;
    let b = -1;
    let sum = 0;
    for (let k = 0; k < parts.length && b !== -2; k++) {
      const p = parts[k]!;
      if (lo[p] === hi[p]) sum += lo[p]!;
      else if (a < 0) a = p;
      else b = b < 0 ? p : -2;
    }
    if (b === -2) continue;
    first[l] = a;
    second[l] = b;
    known[l] = sum;
    if (a >= 0 && b < 0 && sum === 0) parent[find(total)] = find(a);
  }
  /** For each pair of counts, the interval of their sum; and who sums with whom. */
  const sums = new Map<number, [number, number]>();
  const beside = new Map<number, number[]>();
  let changed = false;
  for (let l = 0; l < lines.length; l++) {
    if (second[l]! < 0) continue;
    const total = lines[l]!.total;
    let u = find(first[l]!);
    let v = find(second[l]!);
    const t = find(total);
    if (t === u || t === v) continue;
    const low = lo[total]! - known[l]!;
    const high = hi[total]! - known[l]!;
    if (u === v) {
      if (tighten(bounds, u, low / 2, high / 2)) changed = true;
      continue;
    }
    if (u > v) [u, v] = [v, u];
    const key = u * n + v;
    const sum = sums.get(key);
    if (sum) {
      sum[0] = Math.max(sum[0], low);
      sum[1] = Math.min(sum[1], high);
      continue;
    }
    sums.set(key, [low, high]);
    beside.get(u)?.push(v) ?? beside.set(u, [v]);
    beside.get(v)?.push(u) ?? beside.set(v, [u]);
  }
  const sumOf = (u: number, v: number) => sums.get(u < v ? u * n + v : v * n + u);
  for (const [key, uv] of sums) {
    const u = Math.floor(key / n);
    const v = key % n;
    const few = beside.get(u)!.length <= beside.get(v)!.length ? u : v;
    for (const w of beside.get(few)!) {
      // Each triangle once: from its edge of the two smallest counts.
      if (w <= v) continue;
      const uw = sumOf(u, w);
      const vw = sumOf(v, w);
      if (!uw || !vw) continue;
      if (tighten(bounds, u, (uv[0] + uw[0] - vw[1]) / 2, (uv[1] + uw[1] - vw[0]) / 2)) changed = true;
      if (tighten(bounds, v, (uv[0] + vw[0] - uw[1]) / 2, (uv[1] + vw[1] - uw[0]) / 2)) changed = true;
      if (tighten(bounds, w, (uw[0] + vw[0] - uv[1]) / 2, (uw[1] + vw[1] - uv[0]) / 2)) changed = true;
    }
  }
  return changed;
}

/**
 * Cells the attacker learns too much about: a hidden cell bounded inside [1, threshold] and, under
 * the NHS rule, a hidden cell pinned to one value or a shown count pinned to one value (its
 * rounding undone).
 */
export function disclosedCells(table: LinearTable, hidden: ArrayLike<number>, rule: SuppressionRule, bounds: Bounds): number[] {
  const threshold = suppressionThreshold(rule);
  const out: number[] = [];
  for (let i = 0; i < table.values.length; i++) {
    const { lo, hi } = bounds;
    if (table.free?.[i]) continue;
    if (hidden[i] === 1) {
      // Under DfE a count above the threshold would be shown exactly anyway, so a hidden one
      // worked out (a parent with one child beside its shown twin) discloses nothing; flagging it
      // hid one twin after another until a busy month showed nothing at all. Under NHS it would
      // be an exact count where only a rounded one may be shown.
      if (hi[i]! <= threshold || (lo[i] === hi[i] && rule === 'nhs')) out.push(i);
    } else if (rule === 'nhs' && table.values[i]! > 0 && lo[i] === hi[i]) {
      out.push(i);
    }
  }
  return out;
}

/**
 * How many lines and orderings one probe may revisit. Most probes meet no contradiction and would
 * otherwise follow a raised bound across the whole table; the ones that matter are short (the
 * question-results gap needs under 300).
 */
const PROBE_STEPS = 1000;

/**
 * Hidden small cells that propagation leaves open but a probe closes: assume the cell is above
 * the threshold, propagate that assumption, and if it contradicts what is published the cell is
 * at most the threshold. Propagation bounds each cell on its own, so it misses what two lines say
 * only together: in a 2 × 2 block of hidden responses (two services × two age bands, every
 * margin shown) one unknown moves all four cells, and an answer whose shown zeros put it on one
 * diagonal of the block bounds that unknown twice over (3 "no" at one age band beside 12 "yes" at
 * the other: tests/domain/question-results.test.ts). The probe carries its assumption through
 * every line at once. Sound: a contradiction is a proof.
 *
 * Each probe starts from `bounds` (propagation's fixed point) and revisits only the lines and
 * orderings of cells it changed, at most PROBE_STEPS of them, so it costs what it reaches, not the
 * table. Stopping early only ever misses a contradiction, never claims one.
 */
export function probedCells(
  table: LinearTable,
  hidden: ArrayLike<number>,
  rule: SuppressionRule,
  bounds: Bounds,
  protections: Protections = ALL_PROTECTIONS,
  /** Stop after finding this many. */
  limit = Number.POSITIVE_INFINITY,
  /** The first cell to probe: those before it were cleared on a pattern with no more hidden. */
  from = 0,
): number[] {
  const threshold = suppressionThreshold(rule);
  const n = table.values.length;
  const lo = Float64Array.from(bounds.lo);
  const hi = Float64Array.from(bounds.hi);
  const m = membership(table);
  const atMost = protections.crossMeasure ? table.atMost : [];
  const L = table.lines.length;
  /** Work items: line l as l, ordering o as L + o. */
  const queued = new Uint8Array(L + atMost.length);
  const queue: number[] = [];
  /** Cells a probe changed, with what they were, to put back before the next probe. */
  const touched: number[] = [];
  const was = new Uint8Array(n);
  const savedLo = new Float64Array(n);
  const savedHi = new Float64Array(n);
  let impossible = false;
  /** Cells a finished probe showed could be above the threshold. */
  const cleared = new Uint8Array(n);
  /** Whether this probe met the step limit (work left undone). */
  let stopped = false;
  const push = (item: number) => {
    if (queued[item]) return;
    // Work past the step limit is never queued, so the queue is the probe's whole budget; a probe
    // that had to leave work out has not finished.
    if (queue.length >= PROBE_STEPS) {
      stopped = true;
      return;
    }
    queued[item] = 1;
    queue.push(item);
  };
  const enqueue = (i: number) => {
    for (const l of m.lines[i]!) push(l);
    if (protections.crossMeasure) for (const o of m.orders[i]!) push(L + o);
  };
  const tighten = (i: number, l: number, h: number) => {
    l = Math.ceil(l - 1e-9);
    h = Math.floor(h + 1e-9);
    if (l <= lo[i]! && h >= hi[i]!) return;
    if (!was[i]) {
      was[i] = 1;
      savedLo[i] = lo[i]!;
      savedHi[i] = hi[i]!;
      touched.push(i);
    }
    if (l > lo[i]!) lo[i] = l;
    if (h < hi[i]!) hi[i] = h;
    if (lo[i]! > hi[i]!) impossible = true;
    // A cell with no upper bound passes a raised lower bound only to others without one: at
    // propagation's fixed point every line or ordering that could bound it above already did.
    else if (Number.isFinite(hi[i]!)) enqueue(i);
  };
  const out: number[] = [];
  for (let i = from; i < n && out.length < limit; i++) {
    const value = table.values[i]!;
    // Only a cell that is in fact small can be shown to be small.
    if (cleared[i] || hidden[i] !== 1 || table.free?.[i] || value < 1 || value > threshold || hi[i]! <= threshold || !Number.isFinite(hi[i]!)) continue;
    impossible = false;
    stopped = false;
    tighten(i, threshold + 1, hi[i]!);
    // Breadth first, so a contradiction near the cell is met before a long chain is followed.
    let head = 0;
    for (; head < queue.length && !impossible; head++) {
      const item = queue[head]!;
      queued[item] = 0;
      if (item >= L) {
        const [small, large] = atMost[item - L]!;
        tighten(small, lo[small]!, hi[large]!);
        tighten(large, lo[small]!, hi[large]!);
        continue;
      }
      const { total, parts } = table.lines[item]!;
      if (total < 0) continue;
      let sumLo = 0;
      let sumHi = 0;
      let unbounded = 0;
      for (let k = 0; k < parts.length; k++) {
        const p = parts[k]!;
        sumLo += lo[p]!;
        if (Number.isFinite(hi[p]!)) sumHi += hi[p]!;
        else unbounded++;
      }
      tighten(total, sumLo, unbounded > 0 ? Number.POSITIVE_INFINITY : sumHi);
      for (let k = 0; k < parts.length && !impossible; k++) {
        const p = parts[k]!;
        const finite = Number.isFinite(hi[p]!);
        const othersHi = unbounded - (finite ? 0 : 1) > 0 ? Number.POSITIVE_INFINITY : sumHi - (finite ? hi[p]! : 0);
        tighten(p, lo[total]! - othersHi, hi[total]! - (sumLo - lo[p]!));
      }
    }
    if (impossible) out.push(i);
    // A probe that ran to its end without a contradiction clears every cell it raised above the
    // threshold: probing one of those assumes no more than this probe's end state holds, so it
    // could meet no contradiction either (a count and its copies under every filter, above all).
    else if (!stopped && head >= queue.length) for (const t of touched) if (lo[t]! > threshold) cleared[t] = 1;
    for (const item of queue) queued[item] = 0;
    queue.length = 0;
    for (const t of touched) {
      lo[t] = savedLo[t]!;
      hi[t] = savedHi[t]!;
      was[t] = 0;
    }
    touched.length = 0;
  }
  return out;
}

const memberships = new WeakMap<LinearTable['lines'], { atMost: LinearTable['atMost']; member: ReturnType<typeof membershipOf> }>();

/** For each cell, the lines and orderings it is in; remembered per list of lines, as the audit asks round after round. */
function membership(table: LinearTable) {
  const kept = memberships.get(table.lines);
  if (kept && kept.atMost === table.atMost && kept.member.lines.length === table.values.length) return kept.member;
  const member = membershipOf(table);
  memberships.set(table.lines, { atMost: table.atMost, member });
  return member;
}

function membershipOf(table: LinearTable) {
  const lines: number[][] = Array.from({ length: table.values.length }, () => []);
  const orders: number[][] = Array.from({ length: table.values.length }, () => []);
  table.lines.forEach(({ total, parts }, l) => {
    if (total >= 0) lines[total]!.push(l);
    for (let k = 0; k < parts.length; k++) lines[parts[k]!]!.push(l);
  });
  table.atMost.forEach(([a, b], o) => {
    orders[a]!.push(o);
    orders[b]!.push(o);
  });
  return { lines, orders };
}

/**
 * Hides more cells until the audit passes (or nothing more can be hidden). For each cell the
 * attacker learns too much about, the smallest shown non-zero cell sharing a relation with it, or
 * with a hidden cell it is related to, is hidden; ties go to the lower cell number, so the
 * pattern depends only on the data. Returns the cells it hid.
 *
 * @param hidden 1 for each cell already hidden (primary and secondary); updated in place
 */
export function protectTable(
  table: LinearTable,
  hidden: Uint8Array,
  rule: SuppressionRule,
  protections: Protections = ALL_PROTECTIONS,
  /**
   * Once propagation finds nothing, the cells a stronger check finds (the audit's
   * `probedCells`: domain/suppression.ts), protected the same way.
   */
  probe?: (bounds: Bounds) => number[],
  /** Bounds settled on the pattern as it comes in, with fewer relations: the first round starts from them; the last round's are left here. */
  settled?: Settled,
): number[] {
  if (!protections.audit) return [];
  const added: number[] = [];
  const { values } = table;
  let member: ReturnType<typeof membership> | undefined;
  let roundStart = 0;
  /** The round (from 1) in which the audit hid each cell. */
  const hiddenAt = new Uint16Array(hidden.length);
  const owner = table.owner;
  /** For each cell, the other cubes' cells that hiding it hides too. */
  const followers = new Map<number, number[]>();
  if (owner) for (let j = 0; j < owner.length; j++) if (owner[j]! >= 0) followers.get(owner[j]!)?.push(j) ?? followers.set(owner[j]!, [j]);
  const hide = (j: number, round: number) => {
    hidden[j] = 1;
    hiddenAt[j] = round + 1;
    added.push(j);
    // A week's zero stays shown, as it will in the week (only counts are hidden).
    for (const f of followers.get(j) ?? []) {
      if (!(values[f]! > 0)) continue;
      hidden[f] = 1;
      hiddenAt[f] = round + 1;
    }
  };
  for (let round = 0; round < 1000; round++) {
    const bounds = propagatedBounds(table, hidden, rule, protections, round === 0 ? settledFor(settled, hidden) : undefined);
    let failing = disclosedCells(table, hidden, rule, bounds);
    // The cycles only once propagation alone finds nothing: a round that hides more anyway need
    // not pay for them, and the last round sees all of attackerBounds.
    if (failing.length === 0) {
      throughCycles(table, bounds, protections);
      failing = disclosedCells(table, hidden, rule, bounds);
    }
    // One probed cell a round: a probe finds every cell of a block at once, and hiding a
    // neighbour for each of them hid every question cell where two were enough.
    if (failing.length === 0 && probe) failing = probe(bounds).slice(0, 1);
    if (failing.length === 0) {
      settle(settled, hidden, bounds);
      break;
    }
    member ??= membership(table);
    const m = member;
    const related = (i: number, visit: (j: number) => void) => {
      for (const l of m.lines[i]!) {
        const { total, parts } = table.lines[l]!;
        if (total >= 0) visit(total);
        for (let k = 0; k < parts.length; k++) visit(parts[k]!);
      }
      if (protections.crossMeasure) for (const o of m.orders[i]!) for (const j of table.atMost[o]!) visit(j);
    };
    let progress = false;
    const canHide = (j: number) => !hidden[j] && !table.free?.[j] && !table.fixed?.[j] && !(owner && owner[j]! >= 0) && values[j]! > 0;
    for (const i of failing) {
      // An NHS count whose rounding is undone: hide the count itself, or a week's through its month.
      const self = owner && owner[i]! >= 0 ? owner[i]! : i;
      if (canHide(self)) {
        hide(self, round);
        progress = true;
        continue;
      }
      // A cell beside it hidden this round may already be enough: wait for the next round's
      // bounds rather than hide more for it (one small count bounds many cells around it).
      let nearNew = false;
      related(i, (j) => {
        if (hidden[j] && hiddenAt[j] === round + 1) nearNew = true;
      });
      if (nearNew) continue;
      let best = -1;
      const consider = (k: number) => {
        // Another cube's cell is hidden through its owner.
        const j = owner && owner[k]! >= 0 ? owner[k]! : k;
        if (j === i || !canHide(j)) return;
        if (best < 0 || values[j]! < values[best]! || (values[j] === values[best] && j < best)) best = j;
      };
      // First a cell in one of its own lines: hiding one further away (a smaller count two
      // steps off) leaves the line that bounds it as it was, and round after round of that once
      // hid every cell of a busy month.
      related(i, consider);
      if (best < 0) {
        related(i, (j) => {
          if (hidden[j] && j !== i && !table.free?.[j]) related(j, consider);
        });
      }
      // Further out, through hidden and unpublished cells, when nothing near can be hidden (a
      // month cell tied to its total only through the weeks' parts).
      if (best < 0 && !progress) {
        const reached = new Set<number>([i]);
        let frontier = [i];
        // A few steps at most: every unpublished cell is hidden, so the whole table is one step away.
        for (let depth = 0; best < 0 && frontier.length > 0 && depth < 4; depth++) {
          const next: number[] = [];
          for (const f of frontier) {
            related(f, (j) => {
              if (reached.has(j)) return;
              reached.add(j);
              consider(j);
              if (hidden[j]) next.push(j);
            });
          }
          frontier = next;
        }
      }
      if (best >= 0 && !hidden[best]) {
        hide(best, round);
        progress = true;
      }
    }
    if (!progress) {
      settle(settled, hidden, bounds);
      break;
    }
    closeLines(table, hidden, m, added, roundStart, (j) => hide(j, round));
    roundStart = added.length;
  }
  return added;
}

/**
 * Secondary suppression for the cells the audit hid: no published line (one without an
 * unpublished cell) may be left with exactly one hidden cell, or that cell is recovered by
 * subtraction; the smallest other non-zero cell is hidden, else the total. Cells it hides are
 * appended to `added` and checked in turn.
 */
function closeLines(table: LinearTable, hidden: Uint8Array, m: ReturnType<typeof membership>, added: number[], from: number, hide: (j: number) => void) {
  const { values, free, fixed, owner } = table;
  // A line of another cube's cells (a week's, or a month's with its weeks) is that cube's to close.
  const elsewhere = (j: number) => free?.[j] || (owner && owner[j]! >= 0);
  for (let q = from; q < added.length; q++) {
    for (const l of m.lines[added[q]!]!) {
      const { total, parts } = table.lines[l]!;
      if (total < 0) continue;
      let unknown = hidden[total] ? 1 : 0;
      let published = !elsewhere(total);
      for (let k = 0; k < parts.length && published; k++) {
        if (elsewhere(parts[k]!)) published = false;
        else if (hidden[parts[k]!]) unknown++;
      }
      if (!published || unknown !== 1) continue;
      let best = -1;
      for (let k = 0; k < parts.length; k++) {
        const p = parts[k]!;
        if (hidden[p] || fixed?.[p] || !(values[p]! > 0)) continue;
        if (best < 0 || values[p]! < values[best]! || (values[p] === values[best] && p < best)) best = p;
      }
      if (best < 0 && !hidden[total] && !fixed?.[total] && values[total]! > 0) best = total;
      if (best >= 0) hide(best);
    }
  }
}
