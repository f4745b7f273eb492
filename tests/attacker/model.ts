/**
 * The exact attacker of issue 18, shared by the pure attacker (tests/domain/disclosure-attacker.test.ts,
 * which reads the published cubes directly) and the end-to-end one (tests/attacker/scrape.test.ts,
 * which reads what the running Worker shows). Both describe what was published as linear facts over
 * the planted counts, and this module bounds every hidden count with an integer program (HiGHS).
 *
 * A variable is one planted count the attacker cannot see (a metric of one kind of response in one
 * piece of time); an expression is a sum of variables, written `a + b + c`. What the attacker knows:
 * - a shown count: the sum exactly (DfE), or within `slack` of the shown value and above the
 *   threshold (NHS: ± 2 for one rounded cell);
 * - a shown 0: every variable under it is 0 (bounds, not rows, so the program stays small);
 * - a hidden count: at least 1, where hidden can only mean "small" (`floor`);
 * - the structure rows the caller knows from the survey definitions (rated ≤ responses, ...);
 * - under the mutation that reads true counts into reports, percentages and thresholds too.
 */
import highsLoader from 'highs';
import { suppressionThreshold, type SuppressionRule } from '../../src/domain/suppression';

export type Highs = Awaited<ReturnType<typeof highsLoader>>;
export const loadHighs = (): Promise<Highs> => highsLoader();

/** One published count as a fact about the planted counts under it. */
export interface Published {
  id: string;
  /** The variables it adds up, joined by ' + ' (the caller's model; pruned of known zeros by `model`). */
  expr: string;
  /** Its true count, only to judge what the attacker learned, never given to the solver. */
  count: number;
  hidden: boolean;
  /** The number shown, when the caller read it off a surface; otherwise the rule's rounding of `count`. */
  shown?: number;
  /**
   * How far the truth may lie from `shown` (NHS: 2 per rounded cell added up). Defaults to 2 under
   * NHS and 0 under DfE.
   */
  slack?: number;
  /** Whether "hidden" here means at least 1. False where a hidden 0 is possible (zeros beside a small unanimous group). Default true. */
  floor?: boolean;
}

/** A percentage or a threshold decision the report made, as a linear fact about the cells it came from. */
export interface Derived {
  id: string;
  /** 100 × part − (p ∓ ½) × whole: the percentage p rounded from part / whole. */
  percent?: { part: string; whole: string; value: number };
  /** A base shown (sentiment, quotes) or not shown for being under `min`. */
  atLeast?: { expr: string; min: number; met: boolean };
}

export interface Model {
  rows: string[];
  vars: string[];
  zero: Set<string>;
}

/** A linear expression as `coefficient variable` terms, like terms added up. */
export function linear(terms: [number, string][]): string {
  const by = new Map<string, number>();
  for (const [c, v] of terms) by.set(v, (by.get(v) ?? 0) + c);
  return [...by]
    .filter(([, c]) => c !== 0)
    .map(([v, c], i) => `${c < 0 ? '- ' : i ? '+ ' : ''}${Math.abs(c)} ${v}`)
    .join(' ');
}

const shownOf = (p: Published, rule: SuppressionRule) => p.shown ?? (rule === 'nhs' ? Math.round(p.count / 5) * 5 : p.count);

/**
 * The integer program of what the attacker knows. `structure` holds the variables and the rows the
 * attacker knows before anything is published (from the survey definitions). Percentages and
 * thresholds enter only when the report reads true counts (the mutation); read from shown counts,
 * as the callers check they are, they say nothing the cells do not.
 */
export function model(
  structure: { vars: string[]; rows: string[] },
  published: Published[],
  derived: Derived[],
  rule: SuppressionRule,
  trueCountsInReports: boolean,
): Model {
  const rows = [...structure.rows];
  const threshold = suppressionThreshold(rule);
  const zero = new Set<string>();
  for (const p of published) if (!p.hidden && shownOf(p, rule) === 0) for (const v of p.expr.split(' + ')) zero.add(v);
  const live = (expr: string) =>
    expr
      .split(' + ')
      .filter((v) => v && !zero.has(v))
      .join(' + ');
  const seen = new Set<string>();
  for (const p of published) {
    const expr = live(p.expr);
    const shown = shownOf(p, rule);
    if (!expr || seen.has(`${expr} ${p.hidden} ${shown} ${p.floor}`)) continue;
    seen.add(`${expr} ${p.hidden} ${shown} ${p.floor}`);
    p.expr = expr;
    if (p.hidden) {
      if (p.floor !== false) rows.push(`${p.expr} >= 1`);
    } else {
      const slack = p.slack ?? (rule === 'nhs' ? 2 : 0);
      if (slack === 0 || shown === 0) rows.push(`${p.expr} = ${shown}`);
      else {
        rows.push(`${p.expr} >= ${Math.max(shown - slack, threshold + 1)}`);
        rows.push(`${p.expr} <= ${shown + slack}`);
      }
    }
  }
  if (trueCountsInReports) {
    const vs = (expr: string) => live(expr).split(' + ').filter(Boolean);
    for (const d of derived) {
      if (d.percent) {
        const { part, whole, value } = d.percent;
        const row = (p: number) => linear([...vs(part).map((v) => [100, v] as [number, string]), ...vs(whole).map((v) => [-p, v] as [number, string])]);
        const low = row(value - 0.5);
        const high = row(value + 0.5);
        if (low && !seen.has(`pct ${low}`)) rows.push(`${low} >= 0`);
        if (high && !seen.has(`pct ${high}`)) rows.push(`${high} <= 0`);
        seen.add(`pct ${low}`).add(`pct ${high}`);
      } else if (d.atLeast) {
        const expr = live(d.atLeast.expr);
        if (!expr) continue;
        rows.push(d.atLeast.met ? `${expr} >= ${d.atLeast.min}` : `${expr} <= ${d.atLeast.min - 1}`);
      }
    }
  }
  return { rows, vars: structure.vars, zero };
}

/** The constraints and bounds of a model as LP text, built once per model: only the objective changes between solves. */
const bodies = new WeakMap<Model, string>();
const bodyOf = (m: Model) => {
  let body = bodies.get(m);
  if (body === undefined) {
    body = [
      'Subject To',
      ...m.rows.map((r, i) => ` c${i}: ${r}`),
      'Bounds',
      ...m.vars.map((v) => ` 0 <= ${v} <= ${m.zero.has(v) ? 0 : 1000}`),
      'General',
      ` ${m.vars.join(' ')}`,
      'End',
    ].join('\n');
    bodies.set(m, body);
  }
  return body;
};

/** A row as numbers: its terms, its sense and its right-hand side. */
interface Row {
  terms: [number, string][];
  op: '<=' | '>=' | '=';
  rhs: number;
}
const parsed = new WeakMap<Model, Row[]>();
/** Rows are written here (`a + b >= 1`, `1 a - 1 b <= 0`), so they are read back the same way. */
function rowsOf(m: Model): Row[] {
  let rows = parsed.get(m);
  if (!rows) {
    rows = m.rows.map((text) => {
      const [, lhs, op, rhs] = /^(.*) (<=|>=|=) (-?\d+(?:\.\d+)?)$/.exec(text)!;
      const terms: [number, string][] = [];
      let sign = 1;
      let coefficient = 1;
      for (const token of lhs!.split(' ')) {
        if (token === '+' || token === '-') sign = token === '-' ? -1 : 1;
        else if (/^\d+(\.\d+)?$/.test(token)) coefficient = Number(token);
        else {
          terms.push([sign * coefficient, token]);
          sign = 1;
          coefficient = 1;
        }
      }
      return { terms, op: op as Row['op'], rhs: Number(rhs) };
    });
    parsed.set(m, rows);
  }
  return rows;
}

/** The rows a solution breaks (as written), and its variables out of bounds. */
export function violated(m: Model, x: Map<string, number>): string[] {
  const out = m.vars.filter((v) => {
    const value = x.get(v) ?? 0;
    return value < 0 || value > (m.zero.has(v) ? 0 : 1000);
  });
  rowsOf(m).forEach(({ terms, op, rhs }, i) => {
    const sum = terms.reduce((n, [c, v]) => n + c * (x.get(v) ?? 0), 0);
    const ok = op === '=' ? Math.abs(sum - rhs) < 1e-6 : op === '<=' ? sum <= rhs + 1e-6 : sum >= rhs - 1e-6;
    if (!ok) out.push(`${m.rows[i]} (gives ${sum})`);
  });
  return out;
}

/**
 * The optimum of `objective` over every planting consistent with the model, or null if none is.
 * HiGHS's MIP presolve now and then calls a feasible program infeasible (ERGO-Code/HiGHS#3296 and
 * others like it), so an answer that is not a checked solution is asked again without presolve.
 */
export function solve(highs: Highs, m: Model, sense: 'Maximize' | 'Minimize', objective: string): Map<string, number> | null {
  const lp = `${sense}\n obj: ${objective}\n${bodyOf(m)}`;
  for (const options of [{}, { presolve: 'off' }] as const) {
    const result = highs.solve(lp, options);
    if (result.Status !== 'Optimal') continue;
    const x = new Map(Object.entries(result.Columns).map(([name, col]) => [name, Math.round((col as { Primal: number }).Primal)]));
    if (violated(m, x).length === 0) return x;
  }
  return null;
}

export const evaluate = (expr: string, x: Map<string, number>) => expr.split(' + ').reduce((s, v) => s + (x.get(v) ?? 0), 0);

/**
 * Whether no planting consistent with the model also meets `row`. Asked without presolve: with it,
 * HiGHS has reported a maximum of 4 as optimal where 8 is feasible (the npm build and scipy's
 * alike), which made the attacker claim a win it had not got. So a win is claimed only when this
 * second program agrees.
 */
export function infeasibleWith(highs: Highs, m: Model, objective: string, row: string): boolean {
  const lp = `Maximize\n obj: ${objective}\n${bodyOf(m).replace('\nBounds\n', `\n extra: ${row}\nBounds\n`)}`;
  const result = highs.solve(lp, { presolve: 'off' });
  if (result.Status === 'Infeasible') return true;
  if (result.Status !== 'Optimal') throw new Error(`HiGHS: ${result.Status}`);
  return false;
}

/**
 * What the exact attacker learns from a model built over `published`: hidden counts from 1 to the
 * threshold that no planting consistent with everything shown can push above the threshold
 * (bounded inside [1, threshold], or pinned), and, under NHS, shown counts whose rounding every
 * consistent planting undoes (minimum = maximum = the truth).
 */
export function learn(highs: Highs, m: Model, published: Published[], rule: SuppressionRule) {
  const threshold = suppressionThreshold(rule);
  const witnesses: Map<string, number>[] = [];
  const small = published.filter((p) => p.hidden && p.count >= 1 && p.count <= threshold);
  const bounded: string[] = [];
  // Witnesses first for many cells at once: a planting that maximises their sum pushes most of
  // them above the threshold, so few need a program of their own. Any consistent planting is a
  // witness, so this changes only how fast the answer comes, never the answer.
  for (;;) {
    const open = small.filter((cell) => !witnesses.some((x) => evaluate(cell.expr, x) > threshold));
    if (open.length < 2) break;
    const x = solve(highs, m, 'Maximize', linear(open.flatMap((cell) => cell.expr.split(' + ').map((v): [number, string] => [1, v]))));
    if (!x) throw new Error('the true planting must be feasible');
    witnesses.push(x);
    if (!open.some((cell) => evaluate(cell.expr, x) > threshold)) break;
  }
  for (const cell of small) {
    if (witnesses.some((x) => evaluate(cell.expr, x) > threshold)) continue;
    const x = solve(highs, m, 'Maximize', cell.expr);
    if (!x) throw new Error('the true planting must be feasible');
    witnesses.push(x);
    if (evaluate(cell.expr, x) <= threshold && infeasibleWith(highs, m, cell.expr, `${cell.expr} >= ${threshold + 1}`))
      bounded.push(`${cell.id} = ${cell.count}`);
  }
  const unrounded: string[] = [];
  if (rule === 'nhs') {
    for (const cell of published.filter((p) => !p.hidden && p.count > 0)) {
      if (witnesses.some((x) => evaluate(cell.expr, x) !== cell.count)) continue;
      const up = solve(highs, m, 'Maximize', cell.expr)!;
      witnesses.push(up);
      if (evaluate(cell.expr, up) !== cell.count) continue;
      const down = solve(highs, m, 'Minimize', cell.expr)!;
      witnesses.push(down);
      const confirmed = [`${cell.expr} >= ${cell.count + 1}`, `${cell.expr} <= ${cell.count - 1}`].every((row) => infeasibleWith(highs, m, cell.expr, row));
      if (evaluate(cell.expr, down) === cell.count && confirmed) unrounded.push(`${cell.id} = ${cell.count}`);
    }
  }
  return { bounded, unrounded, small: small.length, solves: witnesses.length };
}
