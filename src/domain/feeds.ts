import { heardWithoutPrefix } from './you-said';
import { csvLines, type CsvCell } from './csv';
import type { InsightReport } from './insights';
import type { ShownCount } from './suppression';

/**
 * Renders insight reports as Atom 1.0 (RFC 4287), JSON Feed 1.1 and CSV (RFC 4180). Pure: the
 * numbers come already suppressed; these functions only choose words and escape.
 */

export interface FeedAction {
  heard: string;
  did: string;
  status: 'planned' | 'done';
}

export interface FeedEntry {
  /** Stable across requests: a URN naming partnership, partner, interval and period. */
  id: string;
  title: string;
  updated: string;
  partner: { id: string; name: string };
  periodLabel: string;
  report: InsightReport;
  actions: FeedAction[];
}

export interface FeedMeta {
  id: string;
  title: string;
  selfUrl: string;
  homeUrl: string;
  updated: string;
}

const countText = (c: ShownCount) => (c.suppressed ? 'fewer than a safe number (suppressed)' : String(c.value));

/** The few lines a practice lead reads in a feed reader. */
export function entryText(entry: FeedEntry): string[] {
  return [...reportLines(entry.report), ...actionLines(entry.actions)];
}

const actionLines = (actions: FeedAction[]) =>
  actions.map((a) => `You said: ${heardWithoutPrefix(a.heard)} We did${a.status === 'planned' ? ' (planned)' : ''}: ${a.did}`);

/**
 * The lines a report gives, remembered with it: a feed's reports are shared by every request
 * while their buckets' rollups are unchanged (services/insights.ts, `bucketReportFor`).
 */
function reportLines(r: InsightReport): string[] {
  let lines = linesOfReport.get(r);
  if (!lines) linesOfReport.set(r, (lines = writeReportLines(r)));
  return lines;
}
const linesOfReport = new WeakMap<InsightReport, string[]>();

function writeReportLines(r: InsightReport): string[] {
  const lines = [`Responses: ${countText(r.totals.responses)} (previous period: ${countText(r.totals.previous)}).`];
  const themes = r.themes.filter((t) => t.count.suppressed || (t.count.value ?? 0) > 0).sort((a, b) => (b.count.value ?? 0) - (a.count.value ?? 0));
  lines.push(
    themes.length
      ? `Themes: ${themes.map((t) => `${t.label} ${countText(t.count)}${t.share.value !== null ? ` (${t.share.value}%)` : ''}`).join('; ')}.`
      : 'Themes: none this period.',
  );
  if (r.emerging.length) lines.push(`Emerging: ${r.emerging.map((e) => `${e.label} (+${e.difference})`).join('; ')}.`);
  return lines;
}

const escapeXml = (s: string) =>
  s
    .replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
const escapeHtml = escapeXml;

const entryHtml = (lines: string[]) => lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('');

/**
 * An entry's summary and content, escaped for Atom. The report's part is remembered with the report
 * (shared while its buckets are unchanged); escaping works a character at a time, so the actions'
 * part is escaped alone and appended.
 */
function atomText(e: FeedEntry): { summary: string; content: string } {
  let ofReport = atomOfReport.get(e.report);
  if (!ofReport) {
    const lines = reportLines(e.report);
    atomOfReport.set(e.report, (ofReport = { summary: escapeXml(lines[0]!), content: escapeXml(entryHtml(lines)) }));
  }
  if (e.actions.length === 0) return ofReport;
  return { summary: ofReport.summary, content: ofReport.content + escapeXml(entryHtml(actionLines(e.actions))) };
}
const atomOfReport = new WeakMap<InsightReport, { summary: string; content: string }>();

export function renderAtom(meta: FeedMeta, entries: FeedEntry[]): string {
  const parts = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${escapeXml(meta.id)}</id>`,
    `<title>${escapeXml(meta.title)}</title>`,
    `<updated>${escapeXml(meta.updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${escapeXml(meta.selfUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(meta.homeUrl)}"/>`,
    '<author><name>Heard</name></author>',
    '<generator>Heard</generator>',
  ];
  const home = escapeXml(meta.homeUrl);
  for (const e of entries) {
    const { summary, content } = atomText(e);
    parts.push(
      '<entry>',
      `<id>${escapeXml(e.id)}</id>`,
      `<title>${escapeXml(e.title)}</title>`,
      `<updated>${escapeXml(e.updated)}</updated>`,
      `<link rel="alternate" type="text/html" href="${home}"/>`,
      `<summary type="text">${summary}</summary>`,
      `<content type="html">${content}</content>`,
      `<category term="${escapeXml(e.partner.id)}" label="${escapeXml(e.partner.name)}"/>`,
      '</entry>',
    );
  }
  parts.push('</feed>');
  return parts.join('\n');
}

export function renderJsonFeed(meta: FeedMeta, entries: FeedEntry[]) {
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.homeUrl,
    feed_url: meta.selfUrl,
    description: 'Themes from what children and families told the partnership, with small numbers suppressed.',
    language: 'en-GB',
    authors: [{ name: 'Heard' }],
    items: entries.map((e) => {
      const lines = entryText(e);
      return {
        id: e.id,
        title: e.title,
        content_text: lines.join('\n'),
        content_html: entryHtml(lines),
        date_modified: e.updated,
        tags: [e.partner.name],
        _heard: {
          partner: e.partner,
          period: e.report.period,
          totals: e.report.totals,
          themes: e.report.themes.map(({ id, label, count, share, change }) => ({ id, label, count, share, change })),
          emerging: e.report.emerging,
          actions: e.actions,
        },
      };
    }),
  };
}

export const CSV_HEADER = [
  'period_start',
  'period_end',
  'partner_id',
  'partner',
  'measure',
  'item_id',
  'item',
  'count',
  'share_pct',
  'positive_pct',
  'negative_pct',
  'mixed_pct',
  'neutral_pct',
  'change',
];

/** "c" marks a suppressed number (DfE convention); "z" a percentage not shown because its base is under the minimum. */
export const csvCount = (c: ShownCount) => (c.suppressed ? 'c' : c.value!);
export const csvPct = (p: { value: number | null; suppressed: boolean } | undefined) => (!p ? '' : p.value !== null ? p.value : p.suppressed ? 'c' : 'z');

/** The rows of one report, CSV-encoded: responses, then each rating point, then each theme, then every question's answers. */
export function csvRows(report: InsightReport, partner: { id: string; name: string }, period: { start: string; end: string }): string {
  const lead = [period.start, period.end, partner.id, partner.name];
  const rows: CsvCell[][] = [[...lead, 'responses', '', 'Responses', csvCount(report.totals.responses), '', '', '', '', '', '']];
  for (const r of report.ratings) {
    rows.push([...lead, 'rating', String(r.rating), `Rating ${r.rating} of 5`, csvCount(r.count), csvPct(r.share), '', '', '', '', '']);
  }
  for (const t of report.themes) {
    const s = t.sentiment;
    rows.push([
      ...lead,
      'theme',
      t.id,
      t.label,
      csvCount(t.count),
      csvPct(t.share),
      s ? csvPct(s.positive) : 'z',
      s ? csvPct(s.negative) : 'z',
      s ? csvPct(s.mixed) : 'z',
      s ? csvPct(s.neutral) : 'z',
      t.change.difference === null ? 'c' : t.change.difference,
    ]);
  }
  // Every question: how many answered it, then each answer (item_id survey/question:answer).
  for (const survey of report.questions ?? []) {
    for (const q of survey.questions) {
      const id = `${survey.id}/${q.id}`;
      rows.push([...lead, 'question', id, `${survey.title}: ${q.text}`, csvCount(q.answered), '', '', '', '', '', '']);
      for (const a of q.answers)
        rows.push([...lead, 'answer', `${id}:${a.answer}`, `${q.text}: ${a.label}`, csvCount(a.count), csvPct(a.share), '', '', '', '', '']);
    }
  }
  return csvLines(rows);
}
