import { changeTone, type ChangeTone, distinctQuotes, withheldNotice, type WithheldNotice } from './insight-notes';
import { bucketEnd, bucketLabel, type Interval } from './periods';
import { ALL_PROTECTIONS, type Protections } from './protection';
import type { SurveyQuestionResults } from './question-results';
import { cellKey, suppressionThreshold, type Atom, type ShownCount, type Cube, type SuppressionRule } from './suppression';

/**
 * Builds the insight report from a suppressed cube. Every count it shows comes from the cube,
 * so the report cannot show what suppression hid; percentages need a published base of at least
 * `minBase`.
 */

/** Who is asking: the partnership, and a partner when the key or token is a practice lead's. */
export interface InsightScope {
  partnershipId: string;
  partnerId: string | null;
}

export const SENTIMENTS = ['positive', 'negative', 'mixed', 'neutral'] as const;

export interface InsightQuery {
  interval: Interval;
  buckets: string[];
  previous: string[];
  filter: Partial<Atom>;
  themes: { id: string; label: string }[];
  rule: SuppressionRule;
  minBase: number;
  /** Redacted answers to quote from, newest first, never from flagged responses. */
  quotes: { themes: string[]; text: string }[];
  /** Partners to compare, for keys that may see the whole partnership. */
  partners?: { id: string; name: string }[];
}

export interface Percent {
  value: number | null;
  suppressed: boolean;
}

export interface ThemeInsight {
  id: string;
  label: string;
  count: ShownCount;
  share: Percent;
  sentiment: Record<(typeof SENTIMENTS)[number], Percent> | null;
  /** `tone`: whether the change is good news, from the theme's shown sentiment (domain/insight-notes.ts). */
  change: { previous: ShownCount; difference: number | null; tone: ChangeTone };
  trend: { period: string; count: ShownCount }[];
  quotes: string[];
}

export interface InsightReport {
  period: { from: string; to: string; interval: Interval; buckets: { start: string; end: string; label: string }[] };
  previousPeriod: { from: string; to: string };
  suppression: { rule: SuppressionRule; threshold: number; minBase: number };
  totals: { responses: ShownCount; previous: ShownCount; rated: ShownCount };
  /** Why the period's total is not a number yet (nothing yet, or hidden), worded from published numbers only; null when it shows. */
  withheld: WithheldNotice | null;
  series: { period: string; responses: ShownCount }[];
  ratings: { rating: number; count: ShownCount; share: Percent }[];
  themes: ThemeInsight[];
  emerging: { id: string; label: string; difference: number; tone: ChangeTone }[];
  partners?: { id: string; name: string; responses: ShownCount; themes: Record<string, ShownCount> }[];
  /** Every question asked, per survey with responses in the period (domain/question-results.ts). */
  questions?: SurveyQuestionResults[];
}

/** The quote rule: only from themes with at least this many responses in the period. */
export const MIN_QUOTE_BASE = 10;
const MAX_QUOTES = 3;

/**
 * A line of categories that together make up a total (the ratings 1–5 of those who rated). When
 * only one category has anyone in it and that group is small enough to be hidden, the zeros beside
 * it would still say how every one of them answered: "0, c, 0, 0, 0"
 * tells everyone that each child in a small group rated the visit "Bad". Then the zeros are hidden
 * too (DfE: "0 where the total is disclosive"). A large group that all answered alike stays shown.
 */
export function unanimityProtected<C extends ShownCount & { count: number }>(line: C[]): (C | (ShownCount & { count: number }))[] {
  const occupied = line.filter((c) => c.suppressed || c.count > 0);
  const smallUnanimous = occupied.length === 1 && occupied[0]!.suppressed;
  if (!smallUnanimous) return line;
  return line.map((c) => (c.suppressed || c.count > 0 ? c : { value: null, suppressed: true, count: 0 }));
}

/**
 * A theme's metric names (`theme:<id>` and `theme:<id>:<sentiment>`), built once: a feed reads them
 * for every theme of every entry, and a string made afresh is hashed afresh by every cube look-up.
 */
function themeMetrics(id: string): { metric: string; bySentiment: string[] } {
  let names = THEME_METRICS.get(id);
  if (!names) {
    if (THEME_METRICS.size >= 4096) THEME_METRICS.clear();
    names = { metric: `theme:${id}`, bySentiment: SENTIMENTS.map((s) => `theme:${id}:${s}`) };
    THEME_METRICS.set(id, names);
  }
  return names;
}
const THEME_METRICS = new Map<string, { metric: string; bySentiment: string[] }>();

/**
 * A theme's quotes from a list of candidates, remembered with the list: the candidates for a
 * question are kept while nothing they come from changed (services/insights.ts), and telling
 * quotes apart normalises every text.
 */
function quotesOf(candidates: InsightQuery['quotes'], id: string): string[] {
  let byTheme = QUOTES_OF.get(candidates);
  if (!byTheme) QUOTES_OF.set(candidates, (byTheme = new Map()));
  let quotes = byTheme.get(id);
  if (!quotes) {
    quotes = distinctQuotes(
      candidates.filter((c) => c.themes.includes(id)).map((c) => c.text),
      MAX_QUOTES,
    );
    byTheme.set(id, quotes);
  }
  return quotes;
}
const QUOTES_OF = new WeakMap<InsightQuery['quotes'], Map<string, string[]>>();

/**
 * @param protections internal: `percentFromShown: false` brings back percentages and thresholds
 *   read from true counts, only so the attacker test can show it then un-rounds NHS counts
 */
export function buildInsights(cube: Cube, q: InsightQuery, protections: Pick<Protections, 'percentFromShown'> = ALL_PROTECTIONS): InsightReport {
  const key = cellKey(q.filter);
  const total = (metric: string, k = key, buckets = q.buckets) => cube.total(buckets, metric, k);
  // Every derived number and every choice to show one (a percentage, the bases for sentiment and
  // quotes) reads the numbers shown, never the true ones: under the NHS rule a true count inside
  // one would undo the rounding (a "10" shown as 40 % of 30 could only be 12; sentiment shown for
  // a theme shown as 10 would say it is at least 10).
  const base = (c: ShownCount & { count: number }) => (protections.percentFromShown ? c.value : c.count);
  const percent = (part: ShownCount & { count: number }, whole: ShownCount & { count: number }): Percent => {
    if (part.suppressed || whole.suppressed || part.value === null || whole.value === null) return { value: null, suppressed: true };
    const [p, w] = [base(part)!, base(whole)!];
    // Too small a base to give a percentage: not hidden for privacy, just not meaningful.
    if (w < q.minBase) return { value: null, suppressed: false };
    return { value: Math.round((p / w) * 100), suppressed: false };
  };
  const strip = ({ value, suppressed }: ShownCount) => ({ value, suppressed });

  const responses = total('responses');
  const previous = total('responses', key, q.previous);
  const rated = total('rated');

  const themes: ThemeInsight[] = q.themes.map(({ id, label }) => {
    const { metric, bySentiment } = themeMetrics(id);
    const count = total(metric);
    const before = total(metric, key, q.previous);
    const sentiment =
      !count.suppressed && base(count)! >= q.minBase
        ? (Object.fromEntries(SENTIMENTS.map((s, i) => [s, percent(total(bySentiment[i]!), count)])) as ThemeInsight['sentiment'])
        : null;
    const quotable = !count.suppressed && base(count)! >= MIN_QUOTE_BASE;
    const difference = count.suppressed || before.suppressed ? null : count.value! - before.value!;
    return {
      id,
      label,
      count: strip(count),
      share: percent(count, responses),
      sentiment,
      change: { previous: strip(before), difference, tone: changeTone(difference, sentiment) },
      trend: q.buckets.map((period) => ({ period, count: cube.cell(period, metric, key) })),
      quotes: quotable ? [...quotesOf(q.quotes, id)] : [],
    };
  });

  const emerging = themes
    .filter((t) => t.change.difference !== null && t.change.difference > 0)
    .sort((a, b) => b.change.difference! - a.change.difference! || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((t) => ({ id: t.id, label: t.label, difference: t.change.difference!, tone: t.change.tone }));

  const series = q.buckets.map((period) => ({ period, responses: cube.cell(period, 'responses', key) }));
  const labels = q.buckets.map((start) => bucketLabel(start, q.interval));
  const first = q.buckets[0]!;
  const last = q.buckets[q.buckets.length - 1]!;
  const report: InsightReport = {
    period: {
      from: first,
      to: bucketEnd(last, q.interval),
      interval: q.interval,
      buckets: q.buckets.map((start, i) => ({ start, end: bucketEnd(start, q.interval), label: labels[i]! })),
    },
    previousPeriod: { from: q.previous[0]!, to: bucketEnd(q.previous[q.previous.length - 1]!, q.interval) },
    suppression: { rule: q.rule, threshold: suppressionThreshold(q.rule), minBase: q.minBase },
    totals: { responses: strip(responses), previous: strip(previous), rated: strip(rated) },
    // Worded from the shown total and series only: the same words for any hidden count.
    withheld: withheldNotice({
      rule: q.rule,
      threshold: suppressionThreshold(q.rule),
      interval: q.interval,
      total: strip(responses),
      series: series.map((s, i) => ({ label: labels[i]!, responses: s.responses })),
    }),
    series,
    ratings: unanimityProtected([1, 2, 3, 4, 5].map((rating) => total(`rating:${rating}`))).map((count, i) => ({
      rating: i + 1,
      count: strip(count),
      share: percent(count, rated),
    })),
    themes,
    emerging,
  };

  if (q.partners) {
    // Compared on the other filters; a service filter belongs to one partner, so it is dropped here.
    const { partner: _p, service: _s, ...rest } = q.filter;
    report.partners = q.partners.map(({ id, name }) => {
      const partnerKey = cellKey({ ...rest, partner: id });
      return {
        id,
        name,
        responses: strip(total('responses', partnerKey)),
        themes: Object.fromEntries(q.themes.map((t) => [t.id, strip(total(themeMetrics(t.id).metric, partnerKey))])),
      };
    });
  }
  return report;
}
