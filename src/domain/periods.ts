/**
 * Period buckets on a fixed calendar grid: ISO weeks (Monday to Sunday) or calendar months.
 * Every range is snapped outward to whole buckets, so two questions about overlapping dates are
 * always answered from the same buckets (see suppression.ts, rule 3).
 */

export type Interval = 'week' | 'month';

const DAY = 86_400_000;
const parse = (day: string) => new Date(`${day}T00:00:00Z`);
const format = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Remembers a pure function of a day and an interval. Reports ask the same few dozen buckets for
 * their ends, next buckets and labels thousands of times a request (a feed labels every period of
 * every partner, the linked cubes look up each month's weeks), and a Date parse and format costs
 * about a microsecond. Bounded, though a deployment only ever asks about a few thousand days.
 */
function remembered<T>(compute: (day: string, interval: Interval) => T): (day: string, interval: Interval) => T {
  const known = { week: new Map<string, T>(), month: new Map<string, T>() };
  return (day, interval) => {
    const seen = known[interval];
    let value = seen.get(day);
    if (value === undefined) {
      if (seen.size >= 8192) seen.clear();
      value = compute(day, interval);
      seen.set(day, value);
    }
    return value;
  };
}

/** The first day of the bucket holding `day`. */
export const bucketStart = remembered((day: string, interval: Interval): string => {
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const d = parse(day);
  const mondayOffset = (d.getUTCDay() + 6) % 7;
  return format(new Date(d.getTime() - mondayOffset * DAY));
});

/** The first day of the bucket after the one starting on `start`. */
export const nextBucket = remembered((start: string, interval: Interval): string => {
  const d = parse(start);
  if (interval === 'week') return format(new Date(d.getTime() + 7 * DAY));
  return format(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
});

/** The last day of the bucket starting on `start`. */
export const bucketEnd = remembered((start: string, interval: Interval) => format(new Date(parse(nextBucket(start, interval)).getTime() - DAY)));

/** Bucket starts covering `from`..`to` (inclusive days), snapped outward. */
export function bucketsBetween(from: string, to: string, interval: Interval): string[] {
  const out: string[] = [];
  const last = bucketStart(to, interval);
  for (let b = bucketStart(from, interval); b <= last; b = nextBucket(b, interval)) out.push(b);
  return out;
}

/** The first day of the bucket before the one starting on `start`. */
const bucketBefore = remembered((start: string, interval: Interval) => bucketStart(format(new Date(parse(start).getTime() - DAY)), interval));

/** The same number of buckets immediately before `buckets`. */
export function previousBuckets(buckets: string[], interval: Interval): string[] {
  if (buckets.length === 0) return [];
  const out: string[] = [];
  let b = buckets[0]!;
  for (let i = 0; i < buckets.length; i++) {
    b = bucketBefore(b, interval);
    out.unshift(b);
  }
  return out;
}

/**
 * Calendar months that are exactly four ISO weeks (a February starting on a Monday in a
 * common year): their weeks add up to the month, so suppression treats them as a line.
 */
export function exactMonths(weeks: string[]): { month: string; weeks: string[] }[] {
  const found: { month: string; weeks: string[] }[] = [];
  for (const w of weeks) {
    const d = parse(w);
    const isFirst = d.getUTCDate() === 1;
    const monthDays = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    if (isFirst && monthDays === 28) {
      const four = [w];
      while (four.length < 4) four.push(nextBucket(four[four.length - 1]!, 'week'));
      found.push({ month: w, weeks: four });
    }
  }
  return found;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A short human label: "March 2026" or "Week of 2 March 2026". Built by hand because
 * toLocaleDateString costs ~50 µs a call, and a feed labels every period of every partner.
 */
export const bucketLabel = remembered((start: string, interval: Interval): string => {
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  const monthName = MONTHS[month - 1]!;
  return interval === 'month' ? `${monthName} ${year}` : `Week of ${day} ${monthName} ${year}`;
});
