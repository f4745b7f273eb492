import { describe, expect, it } from 'vitest';
import { bankHolidays, easterSunday, isWorkingDay, nextWorkingDay, oneWorkingDayAfter } from '../../src/domain/working-days';

// gov.uk/bank-holidays (England and Wales) for 2024–2026; 2027–2028 from the same rules, as gov.uk publishes them.
const KNOWN: Record<number, string[]> = {
  2022: ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27'],
  2023: ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26'],
  2024: ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
  2028: ['2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26'],
};

describe('England and Wales bank holidays', () => {
  for (const [year, days] of Object.entries(KNOWN)) {
    it(`matches the published list for ${year}`, () => expect(bankHolidays(Number(year))).toEqual(days));
  }

  it('computes Easter Sunday (computus) for years with known dates', () => {
    expect(['2019', '2024', '2025', '2026', '2027', '2028', '2038', '2285'].map((y) => easterSunday(Number(y)))).toEqual([
      '2019-04-21',
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2038-04-25',
      '2285-03-22',
    ]);
  });

  it('keeps the one-off moves: VE Day 75 moved the early May holiday to a Friday', () => {
    expect(bankHolidays(2020)).toContain('2020-05-08');
    expect(bankHolidays(2020)).not.toContain('2020-05-04');
  });

  it('gives a Sunday Christmas a Tuesday substitute and keeps Boxing Day on the Monday (2022)', () => {
    expect(bankHolidays(2022).filter((d) => d >= '2022-12-24')).toEqual(['2022-12-26', '2022-12-27']);
  });
});

describe('working days', () => {
  it('skips weekends and bank holidays', () => {
    expect(isWorkingDay('2025-04-17')).toBe(true); // Maundy Thursday
    expect(isWorkingDay('2025-04-18')).toBe(false); // Good Friday
    expect(isWorkingDay('2025-04-19')).toBe(false); // Saturday
    expect(nextWorkingDay('2025-04-17')).toBe('2025-04-22'); // Easter: Thursday to Tuesday
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-29');
    expect(nextWorkingDay('2024-05-03')).toBe('2024-05-07');
  });

  it('makes a review due one working day later, at the same time of day', () => {
    expect(oneWorkingDayAfter(new Date('2025-06-10T10:00:00Z')).toISOString()).toBe('2025-06-11T10:00:00.000Z');
    expect(oneWorkingDayAfter(new Date('2025-06-13T14:00:00Z')).toISOString()).toBe('2025-06-16T14:00:00.000Z'); // Friday to Monday
    expect(oneWorkingDayAfter(new Date('2025-06-14T09:00:00Z')).toISOString()).toBe('2025-06-16T09:00:00.000Z'); // Saturday to Monday
    expect(oneWorkingDayAfter(new Date('2025-12-24T12:00:00Z')).toISOString()).toBe('2025-12-29T12:00:00.000Z');
  });

  it('counts from the London day: 00:30 on a Monday in summer time is still Monday', () => {
    // 2025-06-15T23:30Z is 00:30 BST on Monday 16 June, so it is due on Tuesday.
    expect(oneWorkingDayAfter(new Date('2025-06-15T23:30:00Z')).toISOString()).toBe('2025-06-16T23:30:00.000Z');
  });
});
