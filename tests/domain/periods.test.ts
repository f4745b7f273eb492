import { describe, expect, it } from 'vitest';
import { bucketEnd, bucketLabel, bucketStart, bucketsBetween, exactMonths, previousBuckets } from '../../src/domain/periods';

describe('period buckets', () => {
  it('snaps days to the start of their ISO week or month', () => {
    expect(bucketStart('2026-03-15', 'month')).toBe('2026-03-01');
    expect(bucketStart('2026-03-15', 'week')).toBe('2026-03-09'); // a Sunday belongs to the week that began on Monday
    expect(bucketStart('2026-03-09', 'week')).toBe('2026-03-09');
  });

  it('covers a range with whole buckets and finds the same number before it', () => {
    expect(bucketsBetween('2026-01-20', '2026-03-02', 'month')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(previousBuckets(['2026-01-01', '2026-02-01'], 'month')).toEqual(['2025-11-01', '2025-12-01']);
    expect(bucketEnd('2028-02-01', 'month')).toBe('2028-02-29');
  });

  it('labels buckets in plain English', () => {
    expect(bucketLabel('2026-03-01', 'month')).toBe('March 2026');
    expect(bucketLabel('2025-12-29', 'week')).toBe('Week of 29 December 2025');
  });

  it('finds the Februaries that are exactly four ISO weeks', () => {
    expect(exactMonths(['2027-02-01'])).toEqual([{ month: '2027-02-01', weeks: ['2027-02-01', '2027-02-08', '2027-02-15', '2027-02-22'] }]);
    expect(exactMonths(['2026-02-02'])).toEqual([]);
  });
});
