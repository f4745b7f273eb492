import { beforeAll, describe, expect, it } from 'vitest';
import type { InsightReport } from '../../src/domain/insights';
import { signIn } from '../dashboard-session';
import { api } from '../helpers';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';

/**
 * A partnership's first month: too few responses for any number to show. The report says why, in
 * words that are the same whatever the hidden count is (tests/domain/insight-notes.test.ts proves
 * it over random plantings); here, through the API and the dashboard.
 */

type Partnership = Awaited<ReturnType<typeof seedInsightPartnership>>;
let two: Partnership;
let four: Partnership;
let empty: Partnership;
let quoted: Partnership;
const MARCH = 'from=2026-03-01&to=2026-03-31&interval=month';

const report = async (key: string, query = MARCH) => {
  const res = await api(`/api/v1/insights?${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as InsightReport;
};

beforeAll(async () => {
  [two, four, empty, quoted] = await Promise.all([seedInsightPartnership(), seedInsightPartnership(), seedInsightPartnership(), seedInsightPartnership()]);
  const first = (p: Partnership) => ({ partner: p.partners.police, service: p.services.ppu, survey: p.surveys.family, day: '2026-03-10', rating: 4 });
  await addResponses(two.id, [first(two)], 2);
  await addResponses(four.id, [first(four)], 4);
  // 12 children said the same thing about school, and one said something else.
  await addResponses(quoted.id, [{ ...first(quoted), themes: { school: 'positive' }, text: 'My teacher listened to me' }], 12);
  await addResponses(quoted.id, [{ ...first(quoted), day: '2026-03-11', themes: { school: 'positive' }, text: 'School helped me a lot' }]);
});

describe('GET /api/v1/insights in a first month', () => {
  it('tells a brand-new partnership with 2 responses why nothing shows, without the count', async () => {
    const body = await report(two.keys.admin);
    expect(body.totals.responses).toEqual({ value: null, suppressed: true });
    expect(body.withheld).toMatchObject({ reason: 'hidden', moreNeeded: null, hiddenPeriods: ['March 2026'] });
    expect(body.withheld!.message).toContain('at least 6 responses (DfE rule: counts from 1 to 5 are hidden');
    // The words are the same for 4 hidden responses as for 2.
    expect((await report(four.keys.admin)).withheld).toEqual(body.withheld);
  });

  it('counts down from a shown zero: no responses yet means at least 6 more', async () => {
    const body = await report(empty.keys.admin);
    expect(body.totals.responses).toEqual({ value: 0, suppressed: false });
    expect(body.withheld).toMatchObject({ reason: 'no-responses', moreNeeded: 6 });
  });

  it('has no notice once the total shows', async () => {
    const body = await report(quoted.keys.admin);
    expect(body.totals.responses).toEqual({ value: 13, suppressed: false });
    expect(body.withheld).toBeNull();
  });

  it('quotes the same words once per theme', async () => {
    const school = (await report(quoted.keys.admin)).themes.find((t) => t.id === 'school')!;
    expect(school.quotes).toEqual(['School helped me a lot', 'My teacher listened to me']);
  });
});

describe('a theme’s change', () => {
  it('is good news when a mostly positive theme rises, in the API and on the page (in words, not colour alone)', async () => {
    const body = await report(quoted.keys.admin);
    const school = body.themes.find((t) => t.id === 'school')!;
    expect(school.change).toEqual({ previous: { value: 0, suppressed: false }, difference: 13, tone: 'good' });
    expect(body.emerging).toEqual([{ id: 'school', label: 'School and education', difference: 13, tone: 'good' }]);
    const { html } = await (await signIn(quoted.keys.admin)).get(`/dashboard?${MARCH}`);
    expect(html).toContain('<span class="good">+13</span><small class="good"> (good news)</small>');
    expect(html).toContain('<span class="good"> (good news: mostly positive)</span>');
    expect(html).not.toContain('class="up"');
  });
});

describe('the insights page in a first month', () => {
  it('explains why there are no numbers yet and never shows the 2', async () => {
    const session = await signIn(two.keys.admin);
    const { res, html } = await session.get(`/dashboard?${MARCH}`);
    expect(res.status).toBe(200);
    expect(html).toContain('Why there are no numbers yet');
    expect(html).toContain('A month’s number can show only once it has at least 6 responses');
    // Each survey's questions say the same, under its hidden count.
    expect(html).toContain('a survey’s numbers show only once it has at least 6 responses in the period');
    const totals = /<dl class="totals">([\s\S]*?)<\/dl>/.exec(html)![1]!;
    expect(totals).toContain('class="suppressed"');
    expect(html).not.toMatch(/<(td class="num"|dd)>2<\/(td|dd)>/);
    expect(html).not.toMatch(/\b2 (more )?responses\b/);
  });

  it('names surveys by their titles in the filter and the survey table, never by id', async () => {
    const session = await signIn(two.keys.admin);
    const { html } = await session.get(`/dashboard?${MARCH}`);
    const filter = /<select id="f-survey"[\s\S]*?<\/select>/.exec(html)![0]!;
    expect(filter).toContain(`<option value="${two.surveys.family}">Tell us about your experience</option>`);
    expect(filter).not.toMatch(new RegExp(`>${two.surveys.family}<`));
    expect(html).not.toContain(`<th scope="row">${two.surveys.family}</th>`);
    expect(html).toContain('<th scope="row">Tell us about your experience</th>');
  });
});
