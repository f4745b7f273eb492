import { parse as parseCsv } from 'csv-parse/sync';
import { env, SELF } from 'cloudflare:test';
import { familyRating } from '../../src/demo/surveys';
import { answerMetrics } from '../../src/domain/question-results';
import { beforeAll, describe, expect, it } from 'vitest';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';
import { api, BASE } from '../helpers';

/**
 * Staff type partner names and theme labels; a spreadsheet runs a cell that starts with = + - @
 * (or tab, CR). Every CSV must hand them back as text: a leading ' and otherwise unchanged.
 */
const PARTNER_NAMES = { formula: '=HYPERLINK("http://x","y")', at: '@SUM(A1:A9)' };
const THEME_LABELS = { 'calc-theme': "+cmd|' /C calc'!A0", 'minus-theme': '-cmd|x!A0', 'at-theme': '@SUM(A1:A9)' };
const HOSTILE = new Set<string>([...Object.values(PARTNER_NAMES), ...Object.values(THEME_LABELS)]);
const RANGE = 'from=2026-01-01&to=2026-02-28&interval=month';

let P: Awaited<ReturnType<typeof seedInsightPartnership>>;
const partnerIds = { formula: '', at: '' };

beforeAll(async () => {
  P = await seedInsightPartnership();
  for (const [k, name] of Object.entries(PARTNER_NAMES) as [keyof typeof PARTNER_NAMES, string][]) {
    partnerIds[k] = `${P.id}-${k}`;
    const res = await api('/api/v1/partners', { method: 'POST', key: P.keys.admin, json: { id: partnerIds[k], name, kind: 'police' } });
    expect(res.status).toBe(201);
  }
  const themes = Object.entries(THEME_LABELS).map(([id, label], i) => ({ id, label, terms: [`zebra${i}`] }));
  expect((await api('/api/v1/taxonomy', { method: 'PUT', key: P.keys.admin, json: { themes } })).status).toBe(200);
  // January more than February, so the theme's change is negative: a number that must stay one.
  const base = { partner: partnerIds.formula, survey: P.surveys.family, rating: 3 };
  await addResponses(P.id, [{ ...base, day: '2026-01-10', themes: { 'calc-theme': 'negative', 'minus-theme': 'neutral' } }], 25);
  await addResponses(P.id, [{ ...base, day: '2026-02-10', themes: { 'calc-theme': 'negative', 'at-theme': 'positive' } }], 12);
});

/** Every cell of a CSV file, parsed back as a spreadsheet would split it. */
function cells(text: string): string[][] {
  return parseCsv(text, { relax_column_count: false }) as string[][];
}

function expectNeutralised(rows: string[][]) {
  const seen = new Set<string>();
  for (const row of rows) {
    for (const cell of row) {
      // Nothing a spreadsheet would evaluate, except a plain number (counts, percentages, a fall in a theme).
      if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^-\d+(\.\d+)?$/);
      if (cell.startsWith("'") && HOSTILE.has(cell.slice(1))) seen.add(cell.slice(1));
      expect(HOSTILE.has(cell)).toBe(false);
    }
  }
  expect(seen).toEqual(HOSTILE);
}

describe('GET /api/v1/insights.csv', () => {
  it('hands back hostile partner names and theme labels as text: a leading quote, otherwise unchanged', async () => {
    const res = await api(`/api/v1/insights.csv?${RANGE}`, { key: P.keys.admin });
    expect(res.status).toBe(200);
    const text = await res.text();
    const rows = cells(text);
    expectNeutralised(rows);
    const header = rows[0]!;
    const change = header.indexOf('change');
    const label = header.indexOf('item');
    // The numbers stay numbers, a negative change included.
    const febCalc = rows.find(
      (r) => r[label] === `'${THEME_LABELS['calc-theme']}` && r[0] === '2026-02-01' && r[1] === '2026-02-28' && r[2] === partnerIds.formula,
    );
    expect(febCalc![change]).toBe('-13');
    expect(text).toContain(',-13\r\n');
    const counts = rows.slice(1).map((r) => r[header.indexOf('count')]!);
    for (const n of counts) expect(n).toMatch(/^(\d+|c)$/);
    for (const r of rows.slice(1)) expect(r[change]).toMatch(/^(-?\d+|c|)$/);
  });
});

describe('GET /dashboard/export.csv', () => {
  it('neutralises the same cells in the dashboard export', async () => {
    const form = await SELF.fetch(`${BASE}/dashboard/sign-in`);
    const setCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const signedIn = await SELF.fetch(`${BASE}/dashboard/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: setCookie.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, key: P.keys.admin }),
    });
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => /session=/.test(c))!;
    const res = await SELF.fetch(`${BASE}/dashboard/export.csv?${RANGE}`, { headers: { cookie: session }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expectNeutralised(cells(await res.text()));
  });
});

describe('GET /api/v1/insights/fft.csv', () => {
  it('hands back a hostile partner name and service name as text in the FFT return', async () => {
    const service = `${partnerIds.at}-svc`;
    const made = await api(`/api/v1/partners/${partnerIds.at}/services`, { method: 'POST', key: P.keys.admin, json: { id: service, name: '-2+3' } });
    expect(made.status).toBe(201);
    // 12 "Very good" answers to the FFT question, stored as intake stores them (answer metrics included).
    await env.DB.batch(
      Array.from({ length: 12 }, () =>
        env.DB.prepare(
          `INSERT INTO responses (id, partnership_id, survey_id, survey_version, audience, partner_id, service_id, received_day, age_band, lang,
                                  answers, analysis, rating, flagged, fingerprint, themes, answer_metrics)
           VALUES (?1, ?2, ?3, 1, 'family', ?4, ?5, '2026-01-20', 'adult', 'en', '{"overall":"very-good"}', '{}', NULL, 0, 'x', '{}', ?6)`,
        ).bind(
          crypto.randomUUID(),
          P.id,
          P.surveys.family,
          partnerIds.at,
          service,
          JSON.stringify(answerMetrics(P.surveys.family, familyRating, { overall: 'very-good' })),
        ),
      ),
    );
    const res = await api('/api/v1/insights/fft.csv?from=2026-01-01&to=2026-01-31', { key: P.keys.admin });
    expect(res.status).toBe(200);
    const rows = cells(await res.text());
    const flat = rows.flat();
    expect(flat).toContain(`'${PARTNER_NAMES.at}`);
    expect(flat).toContain("'-2+3");
    expect(flat).not.toContain(PARTNER_NAMES.at);
    for (const cell of flat) if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^-\d+$/);
  });
});
