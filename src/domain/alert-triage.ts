import { once } from '../lib/once';
import type { DisclosureCategory } from './analysis';

/**
 * How a safeguarding lead's queue is ordered and how its clock reads. Pure: no I/O.
 *
 * Order (issue 13): current disclosures before past ones, then the most severe category, then the
 * soonest due. Severity follows the analysis's own tie-break (immediate danger first), so the queue
 * and the category an answer is given agree on what is most urgent.
 */
export const CATEGORY_SEVERITY: readonly DisclosureCategory[] = [
  'immediate-danger',
  'sexual-harm',
  'exploitation',
  'self-harm-suicide',
  'harm-by-others',
  'neglect',
];

/** 0 for the most severe; a category this list does not know sorts after every known one. */
export const severityRank = (category: string): number => {
  const rank = (CATEGORY_SEVERITY as readonly string[]).indexOf(category);
  return rank === -1 ? CATEGORY_SEVERITY.length : rank;
};

/** The queue order of open alerts: current first, then severity, then due time, then id (stable). */
export const compareOpenAlerts = (
  a: { current: boolean; category: string; dueAt: string; id: string },
  b: { current: boolean; category: string; dueAt: string; id: string },
): number =>
  Number(b.current) - Number(a.current) ||
  severityRank(a.category) - severityRank(b.category) ||
  (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Safeguarding leads in England and Wales work in UK time, summer time included. */
export const LEAD_TIME_ZONE = 'Europe/London';

// Built on first use: a time-zone formatter costs a fresh isolate ICU's zone data (issue 15 item 5).
const london = once(
  () =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: LEAD_TIME_ZONE,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }),
);

/**
 * An instant as a lead reads it: the wall-clock time in London, with GMT or BST named so a time
 * near the clock change can't be misread.
 *
 * @example londonTime('2026-07-01T09:05:00.000Z') // 'Wed 1 Jul 2026, 10:05 BST'
 */
export function londonTime(iso: string): string {
  const part = Object.fromEntries(
    london()
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute} ${part.timeZoneName}`;
}

/**
 * How long until (or since) `dueAt`, in words: minutes under two hours, then hours, then days,
 * rounded towards telling the lead less time is left (a due time in 59.5 minutes reads "due in 59 min").
 *
 * @example countdown('2026-07-01T10:00:00Z', new Date('2026-07-01T09:37:00Z')) // 'due in 23 min'
 * @example countdown('2026-07-01T10:00:00Z', new Date('2026-07-01T12:10:00Z')) // 'overdue by 2 h'
 */
export function countdown(dueAt: string, now: Date): string {
  const ms = Date.parse(dueAt) - now.getTime();
  const overdue = ms <= 0;
  // Due: round down, so the time left is never overstated. Overdue: round down too, so "overdue by
  // 1 min" starts a minute after the due time and the first moment reads "due now".
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes === 0) return overdue ? 'due now' : 'due in under a minute';
  const span = minutes < 120 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / (24 * 60))} days`;
  return overdue ? `overdue by ${span}` : `due in ${span}`;
}

/**
 * The flagged text cut into plain runs and evidence runs, so the card prints the evidence once,
 * marked where it stands, instead of again beside the text. Evidence spans are matched in order,
 * case-insensitively; one that can't be found is returned in `unplaced` for the card to list.
 */
export function markEvidence(text: string, evidence: string[]): { parts: { text: string; evidence: boolean }[]; unplaced: string[] } {
  const spans: [number, number][] = [];
  const unplaced: string[] = [];
  const lower = text.toLowerCase();
  for (const e of evidence.map((x) => x.trim()).filter(Boolean)) {
    let from = 0;
    let found = -1;
    // The first occurrence not already inside a marked span.
    while ((found = lower.indexOf(e.toLowerCase(), from)) !== -1 && spans.some(([s, end]) => found < end && found + e.length > s)) from = found + 1;
    if (found === -1) unplaced.push(e);
    else spans.push([found, found + e.length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const parts: { text: string; evidence: boolean }[] = [];
  let at = 0;
  for (const [s, e] of spans) {
    if (s > at) parts.push({ text: text.slice(at, s), evidence: false });
    parts.push({ text: text.slice(s, e), evidence: true });
    at = e;
  }
  if (at < text.length) parts.push({ text: text.slice(at), evidence: false });
  return { parts, unplaced };
}
