/**
 * Each surface the end-to-end attacker scrapes, read into one shape (`ReportView`, the parts of an
 * insight report a surface shows) and recorded as facts in a Ledger (facts.ts). The JSON report,
 * the JSON Feed's `_heard` block, the Atom entry's text, the CSV's rows and the dashboard's tables
 * all go through `recordReport`, so each is checked cell by cell against the pure cubes.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseHtml, type HTMLElement } from 'node-html-parser';
import { SENTIMENTS } from '../../src/domain/insights';
import { bucketsBetween, previousBuckets, type Interval } from '../../src/domain/periods';
import { cellKey, type Atom, type ShownCount } from '../../src/domain/suppression';
import { countOf, type Fact, type Ledger, type Universe } from './facts';

type Pct = { value: number | null; suppressed: boolean };
const HIDDEN: ShownCount = { value: null, suppressed: true };

export interface QuestionView {
  id: string;
  answered: ShownCount;
  answers: { answer: string | number; count: ShownCount; share?: Pct }[];
  fft?: { positive: Pct; negative: Pct };
}

/** The parts of an insight report a surface shows; what a surface leaves out is undefined. */
export interface ReportView {
  responses?: ShownCount;
  previous?: ShownCount;
  rated?: ShownCount;
  /** The summary's change in responses. */
  change?: number | null;
  series?: { period: string; responses: ShownCount }[];
  ratings?: { rating: number; count: ShownCount; share?: Pct }[];
  themes?: {
    id: string;
    count: ShownCount;
    share?: Pct;
    sentiment?: Partial<Record<(typeof SENTIMENTS)[number], Pct>> | null;
    previous?: ShownCount;
    difference?: number | null;
    trend?: { period: string; count: ShownCount }[];
  }[];
  emerging?: { id: string; difference: number }[];
  partners?: { id: string; responses: ShownCount; themes: Record<string, ShownCount> }[];
  questions?: { id: string; responses?: ShownCount; questions: QuestionView[] }[];
  /** The dashboard's responses per survey. */
  surveys?: { id: string; count: ShownCount }[];
}

export interface ViewContext {
  where: string;
  grain: Interval;
  buckets: string[];
  filter: Partial<Atom>;
  minBase: number;
  universe: Universe;
}

const strip = (c: ShownCount): ShownCount => ({ value: c.value, suppressed: c.suppressed });

/** Every number of one view, checked against the cubes and kept as facts. */
export function recordReport(ledger: Ledger, view: ReportView, ctx: ViewContext): void {
  const { grain, buckets, minBase } = ctx;
  const previous = previousBuckets(buckets, grain);
  const key = cellKey(ctx.filter);
  const at = (what: string) => `${ctx.where} ${what}`;
  const rec = (what: string, bs: string[], metric: string, k: string, shown: ShownCount, extra: Partial<Fact> = {}) =>
    ledger.record({ where: at(what), view: ctx.where, grain, buckets: bs, metric, key: k, shown: strip(shown), ...extra });
  /** A count no surface shows here, as the cubes publish it: the base of a percentage read elsewhere. */
  const published = (bs: string[], metric: string, k: string): ShownCount => strip(ledger.expected({ grain, buckets: bs, metric, key: k }));

  const responses = view.responses ?? published(buckets, 'responses', key);
  if (view.responses) rec('responses', buckets, 'responses', key, view.responses);
  if (view.previous) rec('previous', previous, 'responses', key, view.previous);
  if (view.rated) rec('rated', buckets, 'rated', key, view.rated);
  if (view.change !== undefined) ledger.change(at('change'), view.change, responses, view.previous ?? published(previous, 'responses', key));
  for (const s of view.series ?? []) rec(`series ${s.period}`, [s.period], 'responses', key, s.responses);

  if (view.ratings) {
    const line = [1, 2, 3, 4, 5].map((k) => `rating:${k}`);
    const allHidden = view.ratings.every((r) => r.count.suppressed);
    const rated = view.rated ?? published(buckets, 'rated', key);
    for (const r of view.ratings) {
      rec(`rating ${r.rating}`, buckets, `rating:${r.rating}`, key, r.count, { line, mayBeZero: allHidden });
      if (r.share) ledger.percent({ where: at(`rating ${r.rating} share`), shown: r.share, part: r.count, whole: rated, minBase });
    }
  }

  const themeCounts = new Map<string, ShownCount>();
  for (const t of view.themes ?? []) {
    const metric = `theme:${t.id}`;
    themeCounts.set(t.id, t.count);
    rec(`theme ${t.id}`, buckets, metric, key, t.count);
    if (t.share) ledger.percent({ where: at(`theme ${t.id} share`), shown: t.share, part: t.count, whole: responses, minBase });
    if (t.previous) rec(`theme ${t.id} previous`, previous, metric, key, t.previous);
    if (t.difference !== undefined) ledger.change(at(`theme ${t.id} change`), t.difference, t.count, t.previous ?? published(previous, metric, key));
    for (const p of t.trend ?? []) rec(`theme ${t.id} trend ${p.period}`, [p.period], metric, key, p.count);
    if (t.sentiment === undefined) continue;
    const based = !t.count.suppressed && t.count.value! >= minBase;
    if ((t.sentiment !== null) !== based)
      ledger.unexplained(at(`theme ${t.id}`), `sentiment ${t.sentiment ? 'shown' : 'not shown'} for a theme shown as ${JSON.stringify(t.count)}`);
    if (!t.sentiment) continue;
    for (const s of SENTIMENTS) {
      const p = t.sentiment[s];
      if (!p) continue;
      const part = published(buckets, `${metric}:${s}`, key);
      ledger.percent({ where: at(`theme ${t.id} ${s}`), shown: p, part, whole: t.count, minBase });
      // The sentiment count itself is never shown; what its percentage says about it is a fact.
      if (p.suppressed) rec(`theme ${t.id} ${s} (from its %)`, buckets, `${metric}:${s}`, key, HIDDEN);
      else if (p.value !== null) {
        const whole = t.count.value!;
        const step = ledger.rule === 'nhs' ? 5 : 1;
        const candidates: number[] = [];
        for (let n = 0; n <= whole + 2; n += step) if (Math.round((n / whole) * 100) === p.value) candidates.push(n);
        if (candidates.length === 1) rec(`theme ${t.id} ${s} (from its %)`, buckets, `${metric}:${s}`, key, { value: candidates[0]!, suppressed: false });
      }
    }
  }
  for (const e of view.emerging ?? []) {
    const t = view.themes?.find((x) => x.id === e.id);
    if (!t || t.difference !== e.difference || e.difference <= 0) ledger.unexplained(at(`emerging ${e.id}`), `+${e.difference} is no shown theme's rise`);
  }

  if (view.partners) {
    const { partner: _p, service: _s, ...rest } = ctx.filter;
    for (const p of view.partners) {
      const k = cellKey({ ...rest, partner: p.id });
      rec(`partner ${p.id}`, buckets, 'responses', k, p.responses);
      for (const [theme, count] of Object.entries(p.themes)) rec(`partner ${p.id} theme ${theme}`, buckets, `theme:${theme}`, k, count);
    }
  }

  for (const s of view.surveys ?? []) {
    const survey = ctx.universe.surveys.find((x) => x.id === s.id)!;
    rec(`survey ${s.id}`, buckets, 'responses', cellKey({ ...ctx.filter, audience: survey.audience, survey: s.id }), s.count);
  }

  for (const results of view.questions ?? []) {
    const survey = ctx.universe.surveys.find((x) => x.id === results.id);
    if (!survey) {
      ledger.unexplained(at(`survey ${results.id}`), 'results of a survey the partnership has not published');
      continue;
    }
    const k = cellKey({ ...ctx.filter, audience: survey.audience, survey: survey.id });
    if (results.responses) rec(`survey ${survey.id} responses`, buckets, 'responses', k, results.responses);
    const primary = survey.definition.questions.find((q) => q.kind === 'rating');
    for (const q of results.questions) {
      const def = survey.definition.questions.find((d) => d.id === q.id);
      if (!def) {
        ledger.unexplained(at(`question ${q.id}`), 'a question the survey does not ask');
        continue;
      }
      const isPrimary = def === primary;
      const answeredMetric = isPrimary ? 'rated' : `q:${survey.id}/${q.id}`;
      rec(`question ${q.id} answered`, buckets, answeredMetric, k, q.answered);
      const multiple = 'multiple' in def && def.multiple === true;
      const points = 'points' in def ? (def.points as number) : 5;
      const metricOf = (answer: string | number) =>
        isPrimary
          ? `rating:${points === 5 ? answer : Number(answer) * 2 - 1}`
          : multiple
            ? `qm:${survey.id}/${q.id}:${answer}`
            : `q:${survey.id}/${q.id}:${answer}`;
      const line = q.answers.map((a) => metricOf(a.answer));
      const allHidden = q.answers.every((a) => a.count.suppressed);
      for (const a of q.answers) {
        rec(
          `question ${q.id} ${a.answer}`,
          buckets,
          metricOf(a.answer),
          k,
          a.count,
          multiple ? { answered: answeredMetric, mayBeZero: q.answered.suppressed } : { line, mayBeZero: allHidden },
        );
        if (a.share) ledger.percent({ where: at(`question ${q.id} ${a.answer} share`), shown: a.share, part: a.count, whole: q.answered, minBase });
      }
      if (q.fft) {
        const sum = (ids: string[]): ShownCount => {
          const parts = ids.map((id) => q.answers.find((a) => a.answer === id)?.count ?? HIDDEN);
          return parts.some((p) => p.suppressed) ? HIDDEN : { value: parts.reduce((n, p) => n + p.value!, 0), suppressed: false };
        };
        ledger.percent({ where: at('fft positive'), shown: q.fft.positive, part: sum(['very-good', 'good']), whole: q.answered, minBase, fft: true });
        ledger.percent({ where: at('fft negative'), shown: q.fft.negative, part: sum(['poor', 'very-poor']), whole: q.answered, minBase, fft: true });
      }
    }
  }
}

/** A percentage as a surface writes it: "45%" or 45, "c" hidden, "z", "–" or "" too few to show. */
export function pctOf(raw: string | number): Pct {
  const s = String(raw).trim().replace(/%$/, '');
  if (s === 'c') return HIDDEN;
  if (s === 'z' || s === '–' || s === '') return { value: null, suppressed: false };
  if (!/^\d+$/.test(s)) throw new Error(`not a percentage: ${JSON.stringify(raw)}`);
  return { value: Number(s), suppressed: false };
}

/**
 * The insights CSV: one block per group (the partnership, each partner) and period (each bucket,
 * then the whole range), each recorded as a view.
 */
export function recordCsv(ledger: Ledger, csv: string, ctx: Omit<ViewContext, 'buckets'>): number {
  const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
  // Each block opens with its responses row. A range of one bucket has two blocks of the same
  // period (the bucket's and the range's): read apart, or each line would hold every answer twice.
  const blocks: { id: string; rows: Record<string, string>[] }[] = [];
  for (const r of rows) {
    if (r.measure === 'responses' || blocks.length === 0) blocks.push({ id: `${r.period_start}|${r.period_end}|${r.partner_id}`, rows: [] });
    blocks[blocks.length - 1]!.rows.push(r);
  }
  for (const [n, { id, rows: block }] of blocks.entries()) {
    const [start, end, partner] = id.split('|') as [string, string, string];
    const view: ReportView = { ratings: [], themes: [], questions: [] };
    for (const r of block) {
      if (r.measure === 'responses') view.responses = countOf(r.count!);
      else if (r.measure === 'rating') view.ratings!.push({ rating: Number(r.item_id), count: countOf(r.count!), share: pctOf(r.share_pct!) });
      else if (r.measure === 'theme') {
        const noSentiment = SENTIMENTS.every((s) => r[`${s}_pct`] === 'z');
        view.themes!.push({
          id: r.item_id!,
          count: countOf(r.count!),
          share: pctOf(r.share_pct!),
          // "z" in all four: no split shown (too few, or hidden); otherwise each as shown.
          sentiment: noSentiment ? null : Object.fromEntries(SENTIMENTS.map((s) => [s, pctOf(r[`${s}_pct`]!)])),
          difference: r.change === 'c' ? null : Number(r.change),
        });
      } else if (r.measure === 'question') {
        const [survey, question] = r.item_id!.split('/') as [string, string];
        let results = view.questions!.find((q) => q.id === survey);
        if (!results) {
          results = { id: survey, questions: [] };
          view.questions!.push(results);
        }
        results.questions.push({ id: question, answered: countOf(r.count!), answers: [] });
      } else if (r.measure === 'answer') {
        const [path, answer] = splitOnce(r.item_id!, ':');
        const [survey, question] = path.split('/') as [string, string];
        const q = view.questions!.find((x) => x.id === survey)!.questions.find((x) => x.id === question)!;
        const def = ctx.universe.surveys.find((s) => s.id === survey)!.definition.questions.find((d) => d.id === question)!;
        q.answers.push({ answer: def.kind === 'rating' ? Number(answer) : answer, count: countOf(r.count!), share: pctOf(r.share_pct!) });
      } else ledger.unexplained(`${ctx.where} ${id}`, `a row of measure ${r.measure}`);
    }
    recordReport(ledger, view, {
      ...ctx,
      where: `${ctx.where} ${start}..${end} ${partner || 'all'} #${n}`,
      buckets: bucketsBetween(start, end, ctx.grain),
      filter: { ...ctx.filter, ...(partner ? { partner } : {}) },
    });
  }
  return blocks.length;
}

const splitOnce = (s: string, sep: string): [string, string] => {
  const i = s.indexOf(sep);
  return [s.slice(0, i), s.slice(i + 1)];
};

/** The NHS FFT monthly return: each line one month, organisation, service and survey's FFT question. */
export function recordFftCsv(ledger: Ledger, csv: string, ctx: Omit<ViewContext, 'buckets' | 'grain'>): number {
  const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
  for (const r of rows) {
    const survey = ctx.universe.surveys.find((s) => s.id === r.survey_id)!;
    const question = survey.definition.questions.find((q) => q.kind === 'choice' && 'fft' in q && q.fft)!;
    const answers = ['very-good', 'good', 'neither', 'poor', 'very-poor', 'dont-know'];
    const columns = ['very_good', 'good', 'neither_good_nor_poor', 'poor', 'very_poor', 'dont_know'];
    const filter = { ...ctx.filter, ...(r.partner_id ? { partner: r.partner_id } : {}), ...(r.service_id ? { service: r.service_id } : {}) };
    const buckets = [r.period_start!];
    recordReport(
      ledger,
      {
        questions: [
          {
            id: survey.id,
            questions: [
              {
                id: question.id,
                answered: countOf(r.responses!),
                answers: answers.map((a, i) => ({ answer: a, count: countOf(r[columns[i]!]!) })),
                fft: { positive: pctOf(r.positive_pct!), negative: pctOf(r.negative_pct!) },
              },
            ],
          },
        ],
      },
      { ...ctx, grain: 'month', where: `${ctx.where} ${r.period_start} ${r.partner_id || 'all'} ${r.service_id || 'all'}`, buckets, filter },
    );
  }
  return rows.length;
}

/** What one feed entry says (Atom text or JSON Feed), as a view of one bucket for one partner. */
export function entryView(lines: string[], themesByLabel: Map<string, string>): ReportView {
  const view: ReportView = { themes: [], emerging: [] };
  const count = (s: string) => (s.startsWith('fewer than') ? HIDDEN : countOf(s));
  for (const line of lines) {
    const responses = /^Responses: (.+) \(previous period: (.+)\)\.$/.exec(line);
    if (responses) {
      view.responses = count(responses[1]!);
      view.previous = count(responses[2]!);
      continue;
    }
    if (line.startsWith('Themes: ')) {
      if (line === 'Themes: none this period.') continue;
      for (const part of line.slice('Themes: '.length, -1).split('; ')) {
        const m = /^(.+?) (fewer than a safe number \(suppressed\)|\d+)(?: \((\d+)%\))?$/.exec(part);
        if (!m) throw new Error(`unread theme: ${part}`);
        view.themes!.push({ id: themesByLabel.get(m[1]!)!, count: count(m[2]!), ...(m[3] ? { share: pctOf(m[3]) } : {}) });
      }
      continue;
    }
    if (line.startsWith('Emerging: ')) {
      for (const part of line.slice('Emerging: '.length, -1).split('; ')) {
        const m = /^(.+) \(\+(\d+)\)$/.exec(part)!;
        view.emerging!.push({ id: themesByLabel.get(m[1]!)!, difference: Number(m[2]) });
      }
      continue;
    }
    if (line.startsWith('You said:')) continue;
    throw new Error(`unread feed line: ${line}`);
  }
  // The text gives no theme's change, only emerging rises; each must match the counts shown.
  for (const e of view.emerging!) {
    const t = view.themes!.find((x) => x.id === e.id);
    if (t) t.difference = e.difference;
  }
  return view;
}

const cellText = (el: HTMLElement | undefined | null) => (el ? el.text.replace(/\s+/g, ' ').trim() : '');

/**
 * The dashboard's insights page as a view: the summary, the trend chart and its table, themes,
 * ratings, every question, partners compared and responses by survey. Every number cell
 * (`td.num`) must be read by one of these, or it is reported as unexplained.
 */
export interface DashboardNames {
  /** Theme ids in the order the page lists them, and by label. */
  themeIds: string[];
  themesByLabel: Map<string, string>;
  partnersByName: Map<string, string>;
  surveysByTitle: Map<string, string>;
  /** A question's caption: its survey, its id and its answers' values in the page's order. */
  questionsByText: Map<string, { survey: string; question: string; answers: (string | number)[] }>;
}

export function dashboardView(html: string, names: DashboardNames) {
  const { themeIds, surveysByTitle, questionsByText } = names;
  const root = parseHtml(html);
  const main = root.querySelector('main')!;
  const view: ReportView = { themes: [], ratings: [], questions: [], surveys: [], emerging: [] };
  const unread: string[] = [];
  let read = 0;
  const summary = new Map(main.querySelectorAll('dl.totals > div').map((d) => [cellText(d.querySelector('dt')), cellText(d.querySelector('dd'))]));
  view.responses = countOf(summary.get('Responses')!);
  view.previous = countOf(summary.get('Previous period')!);
  view.rated = countOf(summary.get('Gave a rating')!);
  const change = summary.get('Change')!;
  view.change = change === 'c' ? null : Number(change.replace('−', '-').replace('+', ''));

  const series: { label: string; responses: ShownCount }[] = [];
  for (const table of main.querySelectorAll('table')) {
    const caption = cellText(table.querySelector('caption'));
    const rows = table
      .querySelectorAll('tbody tr')
      .map((tr) => ({ head: tr.querySelector('th'), nums: tr.querySelectorAll('td.num').map((td) => cellText(td)) }));
    const readAll = () => (read += rows.reduce((n, r) => n + r.nums.length, 0));
    if (caption.startsWith('Responses per ')) {
      for (const r of rows) series.push({ label: cellText(r.head), responses: countOf(r.nums[0]!) });
      readAll();
    } else if (caption === 'Themes in what people said') {
      rows.forEach((r, i) => {
        const [count, share, positive, negative, mixed, change] = r.nums as [string, string, string, string, string, string];
        const sentiment = [positive, negative, mixed].every((x) => x === '–')
          ? null
          : { positive: pctOf(positive), negative: pctOf(negative), mixed: pctOf(mixed) };
        const difference = change === 'c' ? null : change === 'no change' ? 0 : Number(/^([+−])(\d+)/.exec(change)![2]) * (change.startsWith('−') ? -1 : 1);
        view.themes!.push({ id: themeIds[i]!, count: countOf(count), share: pctOf(share), sentiment, difference });
      });
      readAll();
    } else if (caption.startsWith('How people rated the service')) {
      for (const r of rows) view.ratings!.push({ rating: Number(cellText(r.head)), count: countOf(r.nums[0]!), share: pctOf(r.nums[1]!) });
      readAll();
    } else if (caption === 'Responses and the largest themes by partner agency') {
      view.partners = rows.map((r) => ({
        id: names.partnersByName.get(cellText(r.head))!,
        responses: countOf(r.nums[0]!),
        themes: Object.fromEntries(themeIds.map((t, j) => [t, countOf(r.nums[j + 1]!)])),
      }));
      readAll();
    } else if (caption === 'Responses by survey in this period') {
      for (const r of rows) view.surveys!.push({ id: surveysByTitle.get(cellText(r.head))!, count: countOf(r.nums[0]!) });
      readAll();
    } else if (questionsByText.has(caption)) {
      const { survey: surveyId, question: questionId, answers: values } = questionsByText.get(caption)!;
      let results = view.questions!.find((q) => q.id === surveyId);
      if (!results) {
        const section = table.closest('section')!;
        const heading = /: (c|\d+) responses$/.exec(cellText(section.querySelector('h3')))!;
        results = { id: surveyId, responses: countOf(heading[1]!), questions: [] };
        view.questions!.push(results);
      }
      const answers = rows.filter((r) => cellText(r.head) !== 'Answered this question');
      const answered = rows.find((r) => cellText(r.head) === 'Answered this question')!;
      results.questions.push({
        id: questionId,
        answered: countOf(answered.nums[0]!),
        answers: answers.map((r, i) => ({ answer: values[i]!, count: countOf(r.nums[0]!), share: pctOf(r.nums[1]!) })),
      });
      readAll();
    } else unread.push(`a table "${caption}"`);
  }
  // The Friends and Family Test scores under their question's table.
  for (const p of main.querySelectorAll('section p')) {
    const m = /^Friends and Family Test \(“(.+)”\): (\S+) positive \(very good or good\) and (\S+) negative/.exec(cellText(p));
    if (!m) continue;
    const { survey, question } = questionsByText.get(m[1]!) ?? { survey: '', question: '' };
    const q = view.questions!.find((x) => x.id === survey)?.questions.find((x) => x.id === question);
    if (!q) unread.push(`FFT scores of an unread question: ${cellText(p)}`);
    else q.fft = { positive: pctOf(m[2]!), negative: pctOf(m[3]!) };
  }
  const tds = main.querySelectorAll('td.num').length;
  if (tds !== read) unread.push(`${tds - read} number cells outside the tables read`);

  // The chart's bars say the same as its table.
  const bars = main.querySelectorAll('svg.chart g title').map((t) => cellText(t));
  bars.forEach((title, i) => {
    const want = series[i] ? `${series[i]!.label}: ${series[i]!.responses.suppressed ? 'suppressed' : series[i]!.responses.value}` : '';
    if (title !== want) unread.push(`chart bar "${title}" is not the table's "${want}"`);
  });
  for (const li of main.querySelectorAll('h2 + ul li')) {
    const m = /^(.+): (\d+) more than the previous period/.exec(cellText(li));
    if (m) view.emerging!.push({ id: names.themesByLabel.get(m[1]!)!, difference: Number(m[2]) });
  }
  return { view, series, unread };
}
