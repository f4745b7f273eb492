import { describe, expect, it } from 'vitest';
import { noticeContent } from '../../src/domain/alert-email';
import { CATEGORY_SEVERITY, compareOpenAlerts, countdown, londonTime, markEvidence } from '../../src/domain/alert-triage';

describe('londonTime', () => {
  it('reads as UK wall-clock time, BST in summer and GMT in winter', () => {
    expect(londonTime('2026-07-01T09:05:00.000Z')).toBe('Wed 1 Jul 2026, 10:05 BST');
    expect(londonTime('2026-01-15T09:05:00.000Z')).toBe('Thu 15 Jan 2026, 09:05 GMT');
  });

  it('crosses the clock changes correctly', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026, back at 01:00 UTC on 25 October 2026.
    expect(londonTime('2026-03-29T00:59:00.000Z')).toBe('Sun 29 Mar 2026, 00:59 GMT');
    expect(londonTime('2026-03-29T01:00:00.000Z')).toBe('Sun 29 Mar 2026, 02:00 BST');
    expect(londonTime('2026-10-25T00:30:00.000Z')).toBe('Sun 25 Oct 2026, 01:30 BST');
    expect(londonTime('2026-10-25T01:30:00.000Z')).toBe('Sun 25 Oct 2026, 01:30 GMT');
  });
});

describe('countdown', () => {
  const due = '2026-07-01T10:00:00.000Z';
  const at = (iso: string) => countdown(due, new Date(iso));
  it('says how long is left, never overstating it', () => {
    expect(at('2026-07-01T09:37:00Z')).toBe('due in 23 min');
    expect(at('2026-07-01T09:37:30Z')).toBe('due in 22 min');
    expect(at('2026-07-01T09:59:30Z')).toBe('due in under a minute');
    expect(at('2026-07-01T07:30:00Z')).toBe('due in 2 h');
  });
  it('says how late an alert is', () => {
    expect(at('2026-07-01T10:00:00Z')).toBe('due now');
    expect(at('2026-07-01T10:01:00Z')).toBe('overdue by 1 min');
    expect(at('2026-07-01T11:59:00Z')).toBe('overdue by 119 min');
    expect(at('2026-07-01T12:10:00Z')).toBe('overdue by 2 h');
    expect(at('2026-07-04T10:00:00Z')).toBe('overdue by 3 days');
  });
});

describe('compareOpenAlerts', () => {
  it('puts current before past, then the most severe category, then the soonest due', () => {
    const a = (id: string, current: boolean, category: string, dueAt: string) => ({ id, current, category, dueAt });
    const list = [
      a('past-danger', false, 'immediate-danger', '2026-01-01T00:00:00Z'),
      a('neglect-early', true, 'neglect', '2026-01-01T00:00:00Z'),
      a('danger-late', true, 'immediate-danger', '2026-01-03T00:00:00Z'),
      a('self-harm', true, 'self-harm-suicide', '2026-01-02T00:00:00Z'),
      a('danger-early', true, 'immediate-danger', '2026-01-02T00:00:00Z'),
      a('unknown', true, 'something-new', '2025-01-01T00:00:00Z'),
    ];
    expect(list.sort(compareOpenAlerts).map((x) => x.id)).toEqual(['danger-early', 'danger-late', 'self-harm', 'neglect-early', 'unknown', 'past-danger']);
    expect(CATEGORY_SEVERITY[0]).toBe('immediate-danger');
  });
});

describe('markEvidence', () => {
  it('marks the evidence where it stands, so it is printed once', () => {
    const { parts, unplaced } = markEvidence('It was ok. My dad hits me when mum is out. Bye', ['my dad hits me when mum is out.']);
    expect(parts).toEqual([
      { text: 'It was ok. ', evidence: false },
      { text: 'My dad hits me when mum is out.', evidence: true },
      { text: ' Bye', evidence: false },
    ]);
    expect(unplaced).toEqual([]);
  });
  it('returns evidence it cannot find (redacted before analysis) to be listed on its own', () => {
    const { parts, unplaced } = markEvidence('Jo hits me', ['[name] hits me']);
    expect(parts).toEqual([{ text: 'Jo hits me', evidence: false }]);
    expect(unplaced).toEqual(['[name] hits me']);
  });
  it('marks repeated evidence of a burst at each of its places', () => {
    const { parts } = markEvidence('help me help me', ['help me', 'help me']);
    expect(parts.filter((p) => p.evidence)).toHaveLength(2);
  });
});

describe('noticeContent', () => {
  it('never names a category, and links to the dashboard', () => {
    for (const kind of ['alert-created', 'alert-overdue', 'reviews-due'] as const) {
      const { subject, text } = noticeContent(kind, { dashboardUrl: 'https://heard.example/dashboard/alerts', partnershipName: 'Demo', count: 2 });
      expect(text).toContain('https://heard.example/dashboard/alerts');
      for (const word of [...CATEGORY_SEVERITY, 'harm', 'neglect', 'danger', 'exploitation', 'sexual'])
        expect(`${subject} ${text}`.toLowerCase()).not.toContain(word);
    }
  });
});
