import EXCEPTIONS from './data/bank-holidays.json';

/**
 * Working days in England and Wales, computed without the network: weekends and bank holidays
 * (the regular ones by rule, with substitute days, plus the one-offs and moves in
 * data/bank-holidays.json). A review item is due one working day after it arrives.
 * Days are `YYYY-MM-DD` strings throughout, read as calendar dates (no time zone).
 */

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
/** 0 Sunday … 6 Saturday, for a calendar date. */
const weekday = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
 * @example easterSunday(2025) // '2025-04-20'
 */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

const firstMonday = (year: number, month: number) => ymd(year, month, 1 + ((8 - weekday(year, month, 1)) % 7));
function lastMonday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return ymd(year, month, last - ((weekday(year, month, last) + 6) % 7));
}

/** New Year's Day, or the Monday after when it falls at a weekend. */
function newYear(year: number): string {
  const w = weekday(year, 1, 1);
  return w === 6 ? ymd(year, 1, 3) : w === 0 ? ymd(year, 1, 2) : ymd(year, 1, 1);
}

/** Christmas Day and Boxing Day, each moved to the next weekday not already a holiday when at a weekend. */
function christmas(year: number): [string, string] {
  switch (weekday(year, 12, 25)) {
    case 5: // Friday: Boxing Day on Saturday moves to Monday
      return [ymd(year, 12, 25), ymd(year, 12, 28)];
    case 6: // Saturday and Sunday: Monday and Tuesday
      return [ymd(year, 12, 27), ymd(year, 12, 28)];
    case 0: // Sunday: Boxing Day stays Monday, Christmas moves to Tuesday
      return [ymd(year, 12, 27), ymd(year, 12, 26)];
    default:
      return [ymd(year, 12, 25), ymd(year, 12, 26)];
  }
}

/**
 * Every England and Wales bank holiday of `year`, sorted.
 * @example bankHolidays(2026) // ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28']
 */
export function bankHolidays(year: number): string[] {
  const easter = easterSunday(year);
  const regular = [newYear(year), shift(easter, -2), shift(easter, 1), firstMonday(year, 5), lastMonday(year, 5), lastMonday(year, 8), ...christmas(year)];
  const moved = new Map(EXCEPTIONS.moved.map((m) => [m.from, m.to]));
  const days = regular.map((d) => moved.get(d) ?? d);
  for (const { date } of EXCEPTIONS.added) if (date.startsWith(`${year}-`)) days.push(date);
  return [...new Set(days)].sort();
}

const cache = new Map<number, Set<string>>();
function isBankHoliday(date: string): boolean {
  const year = Number(date.slice(0, 4));
  let set = cache.get(year);
  if (!set) cache.set(year, (set = new Set(bankHolidays(year))));
  return set.has(date);
}

/** Whether `date` is a working day: not a Saturday or Sunday and not a bank holiday. */
export function isWorkingDay(date: string): boolean {
  const w = new Date(`${date}T00:00:00Z`).getUTCDay();
  return w !== 0 && w !== 6 && !isBankHoliday(date);
}

/** The first working day after `date`. */
export function nextWorkingDay(date: string): string {
  let day = shift(date, 1);
  while (!isWorkingDay(day)) day = shift(day, 1);
  return day;
}

/** The calendar date in Europe/London of an instant: a review that arrives at 00:30 BST counts from that London day. */
export const londonDate = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/**
 * When something received at `at` is due, one working day later: the same time of day on the next
 * working day after the London day it arrived (Friday 15:00 is due Monday 15:00; anything over a
 * weekend or bank holiday is due at that time on the next working day after it).
 */
export function oneWorkingDayAfter(at: Date): Date {
  const arrived = londonDate(at);
  const due = nextWorkingDay(arrived);
  const days = (Date.parse(`${due}T00:00:00Z`) - Date.parse(`${arrived}T00:00:00Z`)) / 86_400_000;
  return new Date(at.getTime() + days * 86_400_000);
}
