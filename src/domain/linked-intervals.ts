import { bucketEnd, bucketStart, bucketsBetween, exactMonths, type Interval, nextBucket, previousBuckets } from './periods';
import { ALL_PROTECTIONS, publishedBounds, type Protections } from './protection';
import { ALL, CubeSet, type MonthWeeks, parentMetric, SuppressedCube, suppressionThreshold, type RollupRow, type SuppressionRule } from './suppression';

/**
 * Weekly and monthly views of the same days, suppressed together. The two are separate rollups,
 * but a month is the sum of the parts of the weeks it touches, so a week hidden inside a shown
 * month could be worked out from the month and its other weeks (36 − 34 = 2), and a month hidden
 * among shown weeks from the weeks.
 *
 * The construction, so no pattern depends on any range asked for and each is cached by the
 * versions of the rollups it reads:
 * 1. every week (or exact month's four weeks) is suppressed alone: its base pattern;
 * 2. a month hides every cell that any week touching it hides in its base pattern, then is
 *    suppressed and audited with those as primaries, together with those weeks as published
 *    (each week inside it cell for cell, so a month cannot pin or un-round a week's count; the
 *    month less those weeks is the parts of the weeks it shares with its neighbours, bounded by
 *    the months beside read as if shown, which must not pin a hidden cell either; the shared
 *    weeks' own lines run through those parts and their days beside): the month pattern;
 * 3. a week hides every cell that any month it touches hides, on top of its own counts.
 * So for each metric and filter, a month is hidden whenever a week inside it is, and a week
 * whenever a month it touches is: neither view can be subtracted from the other. Step 3 only
 * adds hidden cells to weeks, which never tells an attacker more about a base-hidden cell.
 */

/** The buckets of `to` that share a day with `bucket` of `from`. */
export const overlapping = (bucket: string, from: Interval, to: Interval): string[] => {
  // Asked for every month and week of every request (cache keys name them): worked out once. Callers never mutate it.
  const key = `${bucket} ${from} ${to}`;
  let found = overlaps.get(key);
  if (!found) {
    if (overlaps.size >= 8192) overlaps.clear();
    overlaps.set(key, (found = bucketsBetween(bucket, bucketEnd(bucket, from), to)));
  }
  return found;
};
const overlaps = new Map<string, string[]>();

/** Hidden cells of some cubes, relabelled to other periods: what the other view of the same days hides too. */
export function hiddenIn(cubes: Iterable<SuppressedCube>, periods: string[], from: (period: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const cube of cubes) {
    for (const { id, hidden } of cube.entries()) {
      if (!hidden) continue;
      const cut = id.indexOf('#');
      if (!from(id.slice(0, cut))) continue;
      const rest = id.slice(cut);
      for (const p of periods) out.add(p + rest);
    }
  }
  return out;
}

/** Where rollups come from (D1 in the Worker, plain arrays in tests). */
export interface RollupSource {
  /** Each bucket's rollup version; a bucket without rollups is absent. */
  versions(grain: Interval, periods: string[]): Promise<Map<string, string>>;
  rows(grain: Interval, periods: string[]): Promise<RollupRow[]>;
}

/**
 * Where built cubes are kept. `stage` tells the cubes requests read ('published': the asked
 * grain's, and months for weeks) from the base weeks only a rebuild reads ('base'), so a cache can
 * keep the first from being pushed out by the second.
 */
export interface CubeCache {
  get(key: string, stage?: CubeStage): SuppressedCube | undefined;
  set(key: string, cube: SuppressedCube, stage?: CubeStage): void;
  /** Called once with every published key a request will read, before any is built: a chance to fetch them from a slower store. */
  load?(keys: string[]): Promise<void>;
}

export type CubeStage = 'base' | 'published';

/** Buckets whose suppression is computed together: each exact month's four weeks, every other bucket alone. */
export function bucketGroups(periods: string[], months: { month: string; weeks: string[] }[]): string[][] {
  const groups: string[][] = months.map((m) => m.weeks);
  const grouped = new Set(groups.flat());
  for (const p of periods) if (!grouped.has(p)) groups.push([p]);
  return groups;
}

/**
 * The published cubes for some buckets of one grain, linked with the other grain as above.
 *
 * @param scope a cache key prefix naming the partnership
 */
export async function publishedCubes(
  scope: string,
  grain: Interval,
  periods: string[],
  rule: SuppressionRule,
  source: RollupSource,
  cache: CubeCache = new Map(),
  protections: Protections = ALL_PROTECTIONS,
): Promise<CubeSet> {
  const linked = protections.intervalLinking;
  const months = grain === 'month' ? periods : linked ? unique(periods.flatMap((w) => overlapping(w, 'week', 'month'))) : [];
  // The months beside each, sharing a week with it: what they hold bounds the shared weeks' other days.
  const besideOf = (m: string) => unique(overlapping(m, 'month', 'week').flatMap((w) => overlapping(w, 'week', 'month'))).filter((o) => o !== m);
  const monthsRead = linked ? unique([...months, ...months.flatMap(besideOf)]) : months;
  /** The weeks of a month beside `m` that `m` does not touch: what they hold is the rest of that month. */
  const besideWeeksOf = (m: string, beside: string) => overlapping(beside, 'month', 'week').filter((w) => !overlapping(m, 'month', 'week').includes(w));
  const weeks = grain === 'week' ? periods : [];
  const monthWeeks = linked ? unique(months.flatMap((m) => overlapping(m, 'month', 'week'))) : [];
  const someWeeks = [...weeks, ...monthWeeks];
  // An exact month's four weeks are suppressed together, so all four are read.
  const allWeeks = unique([...someWeeks, ...exactMonths(someWeeks).flatMap((m) => m.weeks)]);
  // Read, never built into cubes: the weeks of the months beside, for the month audit.
  const weeksRead = linked ? unique([...allWeeks, ...months.flatMap((m) => besideOf(m).flatMap((b) => besideWeeksOf(m, b)))]) : allWeeks;
  const [weekVersions, monthVersions] = await Promise.all([source.versions('week', weeksRead), source.versions('month', monthsRead)]);
  const versionsOf = (g: Interval) => (g === 'week' ? weekVersions : monthVersions);
  const stamp = (g: Interval, ps: string[]) => ps.map((p) => `${p}@${versionsOf(g).get(p) ?? ''}`).join(',');
  const rowCache = new Map<Interval, Promise<Map<string, RollupRow[]>>>();
  const rowsOf = async (g: Interval, ps: string[]) => {
    let all = rowCache.get(g);
    if (!all) {
      const wanted = (g === 'week' ? weeksRead : monthsRead).filter((p) => versionsOf(g).has(p));
      all = source.rows(g, wanted).then((rows) => {
        const by = new Map<string, RollupRow[]>();
        for (const r of rows) by.get(r.period)?.push(r) ?? by.set(r.period, [r]);
        return by;
      });
      rowCache.set(g, all);
    }
    const by = await all;
    return ps.flatMap((p) => by.get(p) ?? []);
  };
  /** Each bucket's counts for the month audit, worked out once: a month or week beside serves up to two months. */
  const counted = new Map<string, Promise<Map<string, number>>>();
  const countsIn = (g: Interval, period: string) => {
    let counts = counted.get(`${g} ${period}`);
    if (!counts) counted.set(`${g} ${period}`, (counts = rowsOf(g, [period]).then(countsOf)));
    return counts;
  };
  const tag = `${scope} ${rule} ${linked ? 'linked' : 'alone'}${protections.audit ? '' : ' noaudit'}${protections.lowerBounds && protections.crossMeasure ? '' : ' weak'}`;
  const build = async (
    key: string,
    g: Interval,
    group: string[],
    extra: { exactMonths?: { month: string; weeks: string[] }[]; alsoHide?: Set<string>; weeks?: MonthWeeks },
    stage: CubeStage = 'published',
  ) => {
    const cached = cache.get(key, stage);
    if (cached) return cached;
    const cube = new SuppressedCube(await rowsOf(g, group), rule, { ...extra, protections });
    cache.set(key, cube, stage);
    return cube;
  };

  // 1. Base weeks, grouped with their exact month: built only when a month or week that reads
  // them is itself missing from the cache, so a warm request touches none of them.
  const groupOf = new Map<string, string[]>();
  for (const group of bucketGroups(allWeeks, exactMonths(allWeeks))) for (const w of group) groupOf.set(w, group);
  const baseBuilt = new Map<string[], Promise<SuppressedCube>>();
  const baseWeekOf = (w: string): Promise<SuppressedCube> => {
    const group = groupOf.get(w)!;
    let cube = baseBuilt.get(group);
    if (!cube) {
      const exact = exactMonths(group).filter((m) => m.weeks.length === group.length && m.weeks.every((x, i) => x === group[i]));
      cube = build(`${tag} week base ${stamp('week', group)}`, 'week', group, { exactMonths: exact }, 'base');
      baseBuilt.set(group, cube);
    }
    return cube;
  };
  const baseWeeks = async (ws: string[]) => new Map(await Promise.all(ws.map(async (w) => [w, await baseWeekOf(w)] as const)));

  // A month's pattern reads its rollups, the weeks touching it, and the months beside with their other weeks.
  const monthKey = (m: string) => {
    if (!linked) return `${tag} month ${stamp('month', [m])}`;
    const beside = besideOf(m);
    return `${tag} month ${stamp('month', [m])} weeks ${stamp('week', overlapping(m, 'month', 'week'))} beside ${stamp('month', beside)} ${stamp(
      'week',
      beside.flatMap((b) => besideWeeksOf(m, b)),
    )}`;
  };
  const weekGroups = bucketGroups(weeks, exactMonths(weeks));
  const weekKey = (group: string[], touching: string[]) =>
    `${tag} week ${stamp('week', group)} months ${touching.map((m) => monthKey(m).slice(tag.length)).join(';')}`;
  const touchingMonths = (group: string[]) => unique(group.flatMap((w) => overlapping(w, 'week', 'month')));
  await cache.load?.([...months.map(monthKey), ...(linked ? weekGroups.map((g) => weekKey(g, touchingMonths(g))) : [])]);

  // 2. Months, hiding what any week touching them hides.
  const month = new Map<string, SuppressedCube>();
  for (const m of months) {
    const touching = linked ? overlapping(m, 'month', 'week') : [];
    const beside = linked ? besideOf(m) : [];
    const besideWeeks = beside.map((b) => besideWeeksOf(m, b));
    const key = monthKey(m);
    const cached = cache.get(key, 'published');
    if (cached) {
      month.set(m, cached);
      continue;
    }
    const baseWeek = await baseWeeks(touching);
    const cubes = touching.map((w) => baseWeek.get(w)!);
    const alsoHide = linked ? hiddenIn(new Set(cubes), [m], (p) => touching.includes(p)) : undefined;
    if (alsoHide && rule === 'nhs') {
      // Built once without caching to see which shown counts the weeks would un-round.
      const first = new SuppressedCube(await rowsOf('month', [m]), rule, { alsoHide, protections });
      for (const id of unroundedAcross(first, m, touching, baseWeek, rule)) alsoHide.add(id);
    }
    const weekCube = (w: string) => ({ period: w, cube: baseWeek.get(w)! });
    const shared = touching.filter((w) => !weekInside(w, m));
    const weeks: MonthWeeks | undefined = linked
      ? {
          inside: touching.filter((w) => weekInside(w, m)).map(weekCube),
          shared: shared.map(weekCube),
          outside: await daysBeside(beside, besideWeeks, countsIn, rule),
          sharedRows: (await rowsOf('week', shared)).map((r) => ({ ...r, period: m })),
        }
      : undefined;
    month.set(m, await build(key, 'month', [m], { ...(alsoHide ? { alsoHide } : {}), ...(weeks ? { weeks } : {}) }));
  }
  if (grain === 'month') return new CubeSet(rule, new Map(periods.map((p) => [p, month.get(p)!])));

  // 3. Weeks, hiding what any month they touch hides.
  const byPeriod = new Map<string, SuppressedCube>();
  for (const group of weekGroups) {
    if (!linked) {
      for (const w of group) byPeriod.set(w, await baseWeekOf(w));
      continue;
    }
    const touching = touchingMonths(group);
    const key = weekKey(group, touching);
    let alsoHide: Set<string> | undefined;
    if (!cache.get(key, 'published')) {
      alsoHide = new Set();
      for (const m of touching) {
        const inMonth = group.filter((w) => overlapping(w, 'week', 'month').includes(m));
        for (const id of hiddenIn([month.get(m)!], inMonth, (p) => p === m)) alsoHide.add(id);
      }
    }
    const exact = exactMonths(group).filter((m) => m.weeks.length === group.length);
    const cube = await build(key, 'week', group, { exactMonths: exact, ...(alsoHide ? { alsoHide } : {}) });
    for (const w of group) byPeriod.set(w, cube);
  }
  return new CubeSet(rule, byPeriod);
}

/**
 * The days whose rollups, at either grain, can change what is published for the buckets
 * `first`..`last` of `grain`. A month reads the weeks touching it and the months beside it (and
 * their weeks); a week reads the months it touches, so the same reach from there. A report's tag
 * must cover all of it: a response in the week shared with December can change November's pattern.
 */
export function daysPublishedFrom(first: string, last: string, grain: Interval): { from: string; to: string } {
  const firstMonth = bucketStart(first, 'month');
  const lastMonth = bucketStart(bucketEnd(last, grain), 'month');
  return {
    from: bucketStart(previousBuckets([firstMonth], 'month')[0]!, 'week'),
    to: bucketEnd(nextBucket(lastMonth, 'month'), 'month'),
  };
}

/**
 * The weeks from `from` to `to` whose versions a report's fingerprint must name besides the months':
 * those not held whole by a month it reads. A fold or re-analysis changes the versions of both
 * buckets a response is in (db/rollups.ts, 0027), so a change in a week inside a month read also
 * changes that month's version; only a week shared by two months, or reaching past the months read,
 * can change alone. A year by month names ~13 weeks instead of ~57.
 */
export function weeksNotWithin(from: string, to: string): string[] {
  return bucketsBetween(from, to, 'week').filter((week) => {
    const month = bucketStart(week, 'month');
    return month < from || month > to || !weekInside(week, month);
  });
}

const unique = (xs: string[]) => [...new Set(xs)].sort();

/** Every cell's count (`metric#key`) in one bucket's rollup rows, each row added to its generalisations as the cube does. */
function countsOf(rows: RollupRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  /** The same for parent metrics from their parts, for a parent nobody counted as a row of its own. */
  const fromParts = new Map<string, number>();
  const add = (into: Map<string, number>, id: string, n: number) => into.set(id, (into.get(id) ?? 0) + n);
  for (const r of rows) {
    const parent = parentMetric(r.metric);
    for (const ps of [`${r.partner}|${r.service}`, `${r.partner}|${ALL}`, `${ALL}|${ALL}`]) {
      for (const as of [`${r.audience}|${r.survey}`, `${r.audience}|${ALL}`, `${ALL}|${ALL}`]) {
        for (const b of [r.ageBand, ALL]) {
          const key = `${ps}|${as}|${b}`;
          add(counts, `${r.metric}#${key}`, r.n);
          if (parent !== undefined) add(fromParts, `${parent}#${key}`, r.n);
        }
      }
    }
  }
  for (const [id, n] of fromParts) if (n > (counts.get(id) ?? 0)) counts.set(id, n);
  return counts;
}

/**
 * What an attacker can know of the days a month's shared weeks have in the months beside it, for
 * each metric and filter: at most what those months hold, and at least what they hold less their
 * other weeks (April less its weeks from 5 April on is its days of the week of 29 March). Every
 * count is read as if shown, exact (DfE) or rounded ± 2 (NHS), whatever those months and weeks
 * hide: that can only credit the attacker with more than they know.
 *
 * @param besideWeeks for each month beside, its weeks the month does not touch
 */
async function daysBeside(
  beside: string[],
  besideWeeks: string[][],
  countsIn: (g: Interval, period: string) => Promise<Map<string, number>>,
  rule: SuppressionRule,
): Promise<(metric: string, key: string) => [number, number]> {
  const months = await Promise.all(beside.map((b) => countsIn('month', b)));
  const weeks = await Promise.all(besideWeeks.map((ws) => Promise.all(ws.map((w) => countsIn('week', w)))));
  const threshold = suppressionThreshold(rule);
  // A count from 1 to the threshold is always hidden (primary suppression).
  const read = (n: number) => publishedBounds(n, n > 0 && n <= threshold, rule);
  return (metric, key) => {
    const id = `${metric}#${key}`;
    let lo = 0;
    let hi = 0;
    months.forEach((month, i) => {
      const [monthLo, monthHi] = read(month.get(id) ?? 0);
      let rest = 0;
      for (const week of weeks[i]!) rest += read(week.get(id) ?? 0)[1];
      lo += Math.max(0, monthLo - rest);
      hi += monthHi;
    });
    return [lo, hi];
  };
}

/** Whether a week's seven days all fall in the month (else it shares some with a neighbour). */
const weekInside = (week: string, month: string) => week >= month && bucketEnd(week, 'week') <= bucketEnd(month, 'month');

/**
 * Under the NHS rule, the month's shown cells whose rounding, or whose weeks' rounding, the other
 * view undoes. A month is at least the sum of the weeks inside it and at most the sum of the weeks
 * it touches, so four weeks each shown 10 under a month shown 50 can only be 12 each (48). Those
 * month cells are hidden, and so (step 3) are the weeks' cells, leaving only rounded weeks.
 */
export function unroundedAcross(monthCube: SuppressedCube, m: string, touching: string[], weeks: Map<string, SuppressedCube>, rule: SuppressionRule): string[] {
  // Only shown counts are read here, so each is its rounded value ± 2.
  const range = (n: number) => publishedBounds(n, false, rule);
  const inside = touching.map((w) => weekInside(w, m));
  const out: string[] = [];
  for (const { id, count, hidden } of monthCube.entries()) {
    if (hidden || count === 0) continue;
    const [, metric, key] = id.split('#') as [string, string, string];
    const ws = touching.map((w) => {
      const cube = weeks.get(w)!;
      return { hidden: cube.isHidden(w, metric, key), range: range(cube.count(w, metric, key)) };
    });
    // A hidden week already hides this month cell (step 2); nothing to un-round then.
    if (ws.some((w) => w.hidden)) continue;
    const [mLo, mHi] = range(count);
    let insideLo = 0;
    let touchingHi = 0;
    ws.forEach((w, i) => {
      if (inside[i]) insideLo += w.range[0];
      touchingHi += w.range[1];
    });
    const pinned =
      Math.max(mLo, insideLo) >= Math.min(mHi, touchingHi) ||
      ws.some((w, i) => {
        const lo = Math.max(w.range[0], mLo - (touchingHi - w.range[1]));
        const hi = inside[i] ? Math.min(w.range[1], mHi - (insideLo - w.range[0])) : w.range[1];
        return w.range[1] > 0 && lo >= hi;
      });
    if (pinned) out.push(id);
  }
  return out;
}
