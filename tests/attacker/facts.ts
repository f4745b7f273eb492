/**
 * What the end-to-end attacker (scrape.test.ts) reads off the running Worker, as facts: each number
 * a surface shows, named by the cube cell it claims to be (interval, buckets, metric, filter key).
 * Three jobs:
 *
 * 1. `Ledger.record` checks each fact against the pure published cubes (domain/linked-intervals.ts
 *    over the same rollups), so a surface showing a number the cubes don't is caught; derived
 *    numbers (percentages, changes) are checked against the numbers shown beside them.
 * 2. `knowledge` turns every fact seen into the integer program of tests/attacker/model.ts, over
 *    the planted counts per piece of time and kind of response, with what the survey definitions
 *    say (rated ≤ responses, rating points add up to rated, ...).
 * 3. `unanimous` and the link checks look for the other leaks the issue names.
 */
import type { Interval } from '../../src/domain/periods';
import { bucketStart } from '../../src/domain/periods';
import { ALL, suppressionThreshold, type Cube, type ShownCount, type SuppressionRule } from '../../src/domain/suppression';
import type { SurveyDefinition } from '../../src/schemas/survey-definition';
import type { Published } from './model';

export interface Fact {
  /** Surface, role, request and the number's place in it, for messages. */
  where: string;
  /** The surface, role and request alone: cells of one line share it. */
  view?: string;
  grain: Interval;
  buckets: string[];
  metric: string;
  key: string;
  shown: ShownCount;
  /**
   * The line it stands in (rating points, one question's answers): zeros beside a single small
   * hidden group are hidden too, so a hidden cell here may be 0.
   */
  line?: string[];
  /** A multiple-choice option: hidden, possibly 0, whenever the question's total is hidden. */
  answered?: string;
  /**
   * As the attacker sees it, this hidden cell may be a hidden 0: every cell of its line is hidden,
   * or it is an option of a question whose total is hidden. Otherwise hidden means at least 1.
   */
  mayBeZero?: boolean;
}

export interface PercentFact {
  where: string;
  shown: { value: number | null; suppressed: boolean };
  part: ShownCount;
  whole: ShownCount;
  minBase: number;
  /** FFT scores: parts added up, capped at 100, none from a base of 0. */
  fft?: boolean;
}

const HIDDEN: ShownCount = { value: null, suppressed: true };
const same = (a: ShownCount, b: ShownCount) => a.suppressed === b.suppressed && a.value === b.value;
const text = (c: ShownCount) => (c.suppressed ? 'c' : String(c.value));

/** A shown count read off a surface: "c" hidden, digits a value. */
export function countOf(raw: string | number): ShownCount {
  const s = String(raw).trim();
  if (s === 'c') return HIDDEN;
  if (!/^\d+$/.test(s)) throw new Error(`not a count: ${JSON.stringify(raw)}`);
  return { value: Number(s), suppressed: false };
}

/** Every fact and check failure of one scrape, against the pure cubes for the same rollups. */
export class Ledger {
  readonly facts: Fact[] = [];
  readonly faults: string[] = [];
  /** Numbers compared, by surface, to show nothing was skipped. */
  readonly compared = new Map<string, number>();

  constructor(
    private readonly cubes: Record<Interval, Cube>,
    readonly rule: SuppressionRule,
  ) {}

  private count(where: string) {
    const surface = where.split(' ')[0]!;
    this.compared.set(surface, (this.compared.get(surface) ?? 0) + 1);
  }

  /** The count the cubes publish for a fact, with the zeros a surface must hide beside a small unanimous group. */
  expected(f: Omit<Fact, 'where' | 'shown'>): ShownCount & { count: number } {
    const cube = this.cubes[f.grain];
    const t = cube.total(f.buckets, f.metric, f.key);
    const hiddenZero = { value: null, suppressed: true, count: 0 };
    if (!t.suppressed && t.count === 0) {
      if (f.line) {
        const occupied = f.line.map((m) => cube.total(f.buckets, m, f.key)).filter((c) => c.suppressed || c.count > 0);
        if (occupied.length === 1 && occupied[0]!.suppressed) return hiddenZero;
      }
      if (f.answered && cube.total(f.buckets, f.answered, f.key).suppressed) return hiddenZero;
    }
    return { value: t.value, suppressed: t.suppressed, count: t.count };
  }

  record(f: Fact): void {
    this.count(f.where);
    const want = this.expected(f);
    if (!same(f.shown, want)) {
      this.faults.push(`${f.where}: ${f.metric} ${f.key} ${f.grain} ${f.buckets.join('+')} shows ${text(f.shown)}, the cubes publish ${text(want)}`);
    }
    this.facts.push(f);
  }

  /** A percentage must be worked out from the counts shown beside it, never the true ones. */
  percent(p: PercentFact): void {
    this.count(p.where);
    const { part, whole, minBase } = p;
    let want: { value: number | null; suppressed: boolean };
    if (part.suppressed || whole.suppressed) want = { value: null, suppressed: true };
    else if (whole.value! < minBase || (p.fft && whole.value === 0)) want = { value: null, suppressed: false };
    else {
      const value = Math.round((part.value! / whole.value!) * 100);
      want = { value: p.fft ? Math.min(100, value) : value, suppressed: false };
    }
    if (want.value !== p.shown.value || want.suppressed !== p.shown.suppressed) {
      this.faults.push(`${p.where}: shows ${JSON.stringify(p.shown)}, the shown ${text(part)} of ${text(whole)} give ${JSON.stringify(want)}`);
    }
  }

  /** A change must be the difference of the two counts shown, hidden when either is. */
  change(where: string, shown: number | null, now: ShownCount, before: ShownCount): void {
    this.count(where);
    const want = now.suppressed || before.suppressed ? null : now.value! - before.value!;
    if (shown !== want) this.faults.push(`${where}: change ${shown} is not ${text(now)} − ${text(before)}`);
  }

  /** A number shown that the checks above have no place for: always a fault. */
  unexplained(where: string, what: string): void {
    this.faults.push(`${where}: ${what}`);
  }
}

/**
 * Lines of categories shown as "0, c, 0, 0, 0": every respondent of a small hidden group gave the
 * same answer, and the zeros say which (attribute disclosure).
 */
export function unanimous(facts: Fact[]): string[] {
  const lines = new Map<string, Fact[]>();
  for (const f of facts) {
    if (!f.line) continue;
    const id = `${f.view ?? f.where} ${f.grain} ${f.buckets.join('+')} ${f.key} ${f.line.join(',')}`;
    lines.set(id, [...(lines.get(id) ?? []), f]);
  }
  const found: string[] = [];
  for (const [id, cells] of lines) {
    const occupied = cells.filter((c) => c.shown.suppressed || c.shown.value! > 0);
    if (cells.length > 1 && occupied.length === 1 && occupied[0]!.shown.suppressed) found.push(`${id}: ${cells.map((c) => text(c.shown)).join(', ')}`);
  }
  return found;
}

/** Link list entries that say how often, or whether, a link was used (one link is often one family). */
export function linkUseLeaks(where: string, links: Record<string, unknown>[]): string[] {
  const found: string[] = [];
  for (const link of links) {
    for (const [name, value] of Object.entries(link)) {
      if (name === 'singleUse') continue;
      if (/use|count|response/i.test(name)) found.push(`${where}: link ${String(link.id)} has ${name} = ${JSON.stringify(value)}`);
      if (name === 'status' && !['active', 'expired', 'revoked'].includes(String(value)))
        found.push(`${where}: link ${String(link.id)} has status ${String(value)}`);
    }
  }
  return found;
}

/** The kinds of response the attacker knows can exist: partner and service pairs, surveys and their age bands. */
export interface Universe {
  partners: { id: string; services: string[] }[];
  surveys: { id: string; audience: string; definition: SurveyDefinition }[];
}

interface AtomParts {
  parts: [string, string, string, string, string];
  survey: Universe['surveys'][number];
}

function atomsOf(u: Universe): AtomParts[] {
  const pairs: [string, string][] = [['', '']];
  for (const p of u.partners) pairs.push([p.id, ''], ...p.services.map((s): [string, string] => [p.id, s]));
  const out: AtomParts[] = [];
  for (const [partner, service] of pairs) {
    for (const survey of u.surveys) {
      for (const band of ['', ...survey.definition.ageBands]) out.push({ parts: [partner, service, survey.audience, survey.id, band], survey });
    }
  }
  return out;
}

const matches = (key: string, atom: AtomParts) => key.split('|').every((k, i) => k === ALL || k === atom.parts[i]);

const DAY = 86_400_000;
const daysOf = (grain: Interval, bucket: string): string[] => {
  const out: string[] = [];
  for (let d = new Date(`${bucket}T00:00:00Z`); bucketStart(d.toISOString().slice(0, 10), grain) === bucket; d = new Date(d.getTime() + DAY)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
};

/**
 * The integer program of everything scraped. A variable is one metric of one kind of response
 * (partner, service, survey, age band) in one piece of time (the days a week and a month share).
 * Cells a shown 0 covers are left out (known 0). Each fact's true count comes from the cubes.
 *
 * Percentages add nothing here: `Ledger.percent` checks each is a function of counts shown. The
 * one exception is a theme's sentiment split, whose counts are never shown themselves: a
 * percentage of a shown theme count that only one shown sentiment count can give is a fact about
 * that count, and a hidden ("c") one says the sentiment count is hidden.
 */
export function knowledge(u: Universe, facts: Fact[], ledger: Ledger, rule: SuppressionRule) {
  const atoms = atomsOf(u);
  // Known zeros, per bucket and metric: the filter keys a shown 0 covers there.
  const zeros = new Map<string, string[][]>();
  for (const f of facts) {
    if (f.shown.suppressed || f.shown.value !== 0) continue;
    for (const b of f.buckets) {
      const id = `${f.grain}|${b}|${f.metric}`;
      zeros.set(id, [...(zeros.get(id) ?? []), f.key.split('|')]);
    }
  }
  const pieceIndex = new Map<string, number>();
  const pieceName: string[] = [];
  const pieceOf = (day: string) => {
    const id = `${bucketStart(day, 'week')}|${bucketStart(day, 'month')}`;
    if (!pieceIndex.has(id)) {
      pieceIndex.set(id, pieceIndex.size);
      pieceName.push(id);
    }
    return { id, n: pieceIndex.get(id)! };
  };
  const piecesOf = new Map<string, { id: string; n: number }[]>();
  const pieces = (grain: Interval, bucket: string) => {
    const id = `${grain}|${bucket}`;
    if (!piecesOf.has(id)) piecesOf.set(id, [...new Map(daysOf(grain, bucket).map((d) => [pieceOf(d).id, pieceOf(d)])).values()]);
    return piecesOf.get(id)!;
  };
  // Every metric counts some of the responses (rating ≤ rated ≤ responses, a sentiment ≤ its theme,
  // an answer ≤ its question): a shown 0 on any of those above it is a 0 for it too.
  const zeroKnown = new Map<string, boolean>();
  const zeroAt = (grain: Interval, bucket: string, metric: string, atom: AtomParts) => {
    const id = `${grain}|${bucket}|${metric}|${atom.parts.join('|')}`;
    let zero = zeroKnown.get(id);
    if (zero === undefined) {
      zero = [metric, ...above(metric)].some((m) =>
        (zeros.get(`${grain}|${bucket}|${m}`) ?? []).some((k) => k.every((x, i) => x === ALL || x === atom.parts[i])),
      );
      zeroKnown.set(id, zero);
    }
    return zero;
  };
  const wholeBucketZero = (grain: Interval, bucket: string, metric: string) =>
    [metric, ...above(metric)].some((m) => (zeros.get(`${grain}|${bucket}|${m}`) ?? []).some((k) => k.every((x) => x === ALL)));

  const metricIndex = new Map<string, number>();
  const live = new Map<string, { piece: number; atom: number; metrics: Set<string> }>();
  const variable = (piece: number, atom: number, metric: string) => {
    if (!metricIndex.has(metric)) metricIndex.set(metric, metricIndex.size);
    const cell = `${piece}_${atom}`;
    if (!live.has(cell)) live.set(cell, { piece, atom, metrics: new Set() });
    live.get(cell)!.metrics.add(metric);
    return `x_${cell}_${metricIndex.get(metric)}`;
  };
  /** The live variables under a cell: the pieces of its buckets, the kinds of response its key matches, less known zeros. */
  const exprOf = (grain: Interval, buckets: string[], metric: string, key: string) => {
    const terms: string[] = [];
    for (const b of buckets) {
      if (wholeBucketZero(grain, b, metric)) continue;
      for (const piece of pieces(grain, b)) {
        const [week, month] = piece.id.split('|') as [string, string];
        atoms.forEach((atom, ai) => {
          if (!matches(key, atom)) return;
          if (zeroAt('week', week, metric, atom) || zeroAt('month', month, metric, atom)) return;
          terms.push(variable(piece.n, ai, metric));
        });
      }
    }
    return terms.join(' + ');
  };

  const threshold = suppressionThreshold(rule);
  const published = new Map<string, Published>();
  for (const f of facts) {
    const id = `${f.grain} ${f.buckets.join('+')} ${f.metric} ${f.key}`;
    // A hidden cell of a line, where every cell of the line is hidden, may be a hidden 0.
    const floor = !f.shown.suppressed || !f.mayBeZero;
    const known = published.get(id);
    if (known) {
      known.floor = known.floor || floor;
      continue;
    }
    if (f.shown.value === 0) continue;
    published.set(id, {
      id,
      expr: exprOf(f.grain, f.buckets, f.metric, f.key),
      count: ledger.expected(f).count,
      hidden: f.shown.suppressed,
      ...(f.shown.suppressed ? {} : { shown: f.shown.value!, slack: rule === 'nhs' ? 2 * f.buckets.length : 0 }),
      floor,
    });
  }

  // A metric read anywhere brings the metrics it is tied to (its parent, its parts, the responses):
  // a part no surface shows is unknown, not 0, unless a shown 0 covers it.
  const zeroCell = (piece: number, atom: number, metric: string) => {
    const [week, month] = pieceName[piece]!.split('|') as [string, string];
    return zeroAt('week', week, metric, atoms[atom]!) || zeroAt('month', month, metric, atoms[atom]!);
  };
  for (const cell of [...live.values()]) {
    const survey = atoms[cell.atom]!.survey;
    const queue = [...cell.metrics];
    while (queue.length) {
      const m = queue.pop()!;
      for (const r of tiedTo(m, survey)) {
        if (cell.metrics.has(r) || zeroCell(cell.piece, cell.atom, r)) continue;
        variable(cell.piece, cell.atom, r);
        queue.push(r);
      }
    }
  }

  // What the survey definitions say about each kind of response in each piece of time.
  const rows: string[] = [];
  const metricName = [...metricIndex.keys()];
  const row = (terms: [number, string][], op: string) => {
    const text = terms
      .filter(([c]) => c !== 0)
      .map(([c, v], i) => `${c < 0 ? '- ' : i ? '+ ' : ''}${Math.abs(c)} ${v}`)
      .join(' ');
    if (text) rows.push(`${text} ${op} 0`);
  };
  for (const { piece, atom, metrics } of live.values()) {
    const survey = atoms[atom]!.survey;
    const v = (m: string) => (metrics.has(m) ? `x_${piece}_${atom}_${metricIndex.get(m)}` : null);
    const has = (m: string) => v(m) !== null;
    const all = [...metrics];
    const sumRow = (parent: string, children: string[]) => {
      const terms: [number, string][] = children.filter(has).map((c) => [1, v(c)!]);
      if (has(parent)) terms.push([-1, v(parent)!]);
      row(terms, '=');
    };
    const atMost = (part: string, whole: string) => row([[1, v(part)!], ...(has(whole) ? ([[-1, v(whole)!]] as [number, string][]) : [])], '<=');
    sumRow(
      'rated',
      all.filter((m) => m.startsWith('rating:')),
    );
    if (has('rated')) atMost('rated', 'responses');
    for (const m of all) {
      const parts = m.split(':');
      if (parts[0] === 'theme' && parts.length === 2) {
        atMost(m, 'responses');
        sumRow(
          m,
          all.filter((c) => c.startsWith(`${m}:`)),
        );
      }
      if (parts[0] === 'q' && parts.length === 2) {
        atMost(m, 'responses');
        const question = survey.definition.questions.find((q) => `q:${survey.id}/${q.id}` === m);
        if (question && question.kind !== 'text' && !('multiple' in question && question.multiple))
          sumRow(
            m,
            all.filter((c) => c.startsWith(`${m}:`)),
          );
      }
      if (parts[0] === 'qm') atMost(m, `q:${parts[1]}`);
    }
  }
  const vars = [...live.values()].flatMap(({ piece, atom, metrics }) => [...metrics].map((m) => `x_${piece}_${atom}_${metricIndex.get(m)}`));
  /** What a variable stands for: its piece of time, kind of response and metric (for messages and checks). */
  const meaning = (name: string) => {
    const [, piece, atom, metric] = name.split('_').map(Number) as [number, number, number, number];
    const [week, month] = pieceName[piece]!.split('|') as [string, string];
    return { week, month, parts: atoms[atom]!.parts, metric: metricName[metric]! };
  };
  return {
    meaning,
    structure: { vars, rows },
    published: [...published.values()].filter((p) => p.expr !== ''),
    size: { variables: vars.length, rows: rows.length, pieces: pieceIndex.size, metrics: metricName.length, threshold },
  };
}

const SENTIMENT_PARTS = ['positive', 'negative', 'mixed', 'neutral'];

/** The metrics one metric is tied to by the survey definitions: the responses, its parent, its parts. */
function tiedTo(metric: string, survey: Universe['surveys'][number]): string[] {
  if (metric === 'responses') return [];
  if (metric === 'rated') return ['responses', ...[1, 2, 3, 4, 5].map((k) => `rating:${k}`)];
  if (metric.startsWith('rating:')) return ['rated'];
  const parts = metric.split(':');
  if (parts[0] === 'theme') return parts.length === 2 ? ['responses', ...SENTIMENT_PARTS.map((s) => `${metric}:${s}`)] : [`theme:${parts[1]}`];
  if (parts[0] === 'qm') return [`q:${parts[1]}`];
  if (parts[0] === 'q' && parts.length === 3) return [`q:${parts[1]}`];
  if (parts[0] === 'q') {
    const question = survey.definition.questions.find((q) => `q:${survey.id}/${q.id}` === metric);
    return ['responses', ...(question ? closedAnswers(question).map((v) => `${metric}:${v}`) : [])];
  }
  return [];
}

/** The answers that add up to a question's total: none for free text or multiple choice (one response may tick several). */
function closedAnswers(q: SurveyDefinition['questions'][number]): (string | number)[] {
  if (q.kind === 'yes-no') return ['yes', 'no'];
  if (q.kind === 'rating') return Array.from({ length: (q as { points: number }).points }, (_, i) => i + 1);
  if (q.kind === 'choice' && !(q as { multiple?: boolean }).multiple) return ((q as { options: { id: string }[] }).options ?? []).map((o) => o.id);
  return [];
}

/** The metrics a metric never exceeds, nearest first: its parent, then the responses. */
function above(metric: string): string[] {
  if (metric === 'responses') return [];
  if (metric.startsWith('rating:')) return ['rated', 'responses'];
  const parts = metric.split(':');
  if ((parts[0] === 'theme' || parts[0] === 'q') && parts.length === 3) return [`${parts[0]}:${parts[1]}`, 'responses'];
  if (parts[0] === 'qm') return [`q:${parts[1]}`, 'responses'];
  return ['responses'];
}
