import { env } from 'cloudflare:test';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { familyRating } from '../../src/demo/surveys';
import { FFT_CSV_HEADER, type FftAnswer } from '../../src/domain/fft';
import { answerMetrics } from '../../src/domain/question-results';
import { signIn } from '../dashboard-session';
import { api } from '../helpers';
import { seedInsightPartnership } from '../insight-fixtures';

/**
 * The NHS Friends and Family Test monthly return (issue 14, item 3): GET /api/v1/insights/fft.csv
 * and the dashboard's /dashboard/fft.csv, read through the API from responses stored as intake
 * stores them (answer metrics included, so the rollup trigger counts each answer) on fixed days.
 */
let P: Awaited<ReturnType<typeof seedInsightPartnership>>;

const store = async (at: { partner: string; service: string }, tally: Partial<Record<FftAnswer, number>>, day = '2026-02-11') => {
  const statements = Object.entries(tally).flatMap(([answer, copies]) =>
    Array.from({ length: copies }, () =>
      env.DB.prepare(
        `INSERT INTO responses (id, partnership_id, survey_id, survey_version, audience, partner_id, service_id, received_day, age_band, lang,
                                answers, analysis, rating, flagged, fingerprint, themes, answer_metrics)
         VALUES (?1, ?2, ?3, 1, 'family', ?4, ?5, ?6, 'adult', 'en', ?7, '{}', NULL, 0, 'x', '{}', ?8)`,
      ).bind(
        crypto.randomUUID(),
        P.id,
        P.surveys.family,
        at.partner,
        at.service,
        day,
        JSON.stringify({ overall: answer }),
        JSON.stringify(answerMetrics(P.surveys.family, familyRating, { overall: answer })),
      ),
    ),
  );
  for (let i = 0; i < statements.length; i += 50) await env.DB.batch(statements.slice(i, i + 50));
};

const FEBRUARY = 'from=2026-02-01&to=2026-02-28';
const read = async (key: string, query = FEBRUARY) => {
  const res = await api(`/api/v1/insights/fft.csv?${query}`, { key });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const text = await res.text();
  expect(text.split('\r\n')[0]).toBe(FFT_CSV_HEADER.join(','));
  return parse(text, { columns: true }) as Record<string, string>[];
};
const line = (rows: Record<string, string>[], partner: string, service: string) => rows.find((r) => r.partner_id === partner && r.service_id === service);

beforeAll(async () => {
  P = await seedInsightPartnership();
  // Police public protection: 60 answers in February, 12 of them "Don't know".
  await store({ partner: P.partners.police, service: P.services.ppu }, { 'very-good': 20, good: 10, neither: 6, poor: 6, 'very-poor': 6, 'dont-know': 12 });
  // CAMHS in January: 3 said "Good", a number small enough to hide.
  await store(
    { partner: P.partners.health, service: P.services.camhs },
    { 'very-good': 20, good: 3, neither: 8, poor: 8, 'very-poor': 8, 'dont-know': 8 },
    '2026-01-14',
  );
  // PPU in March, counts whose rounding to 5 moves "% positive": 23 + 13 of 80 is 45 %, 25 + 15 of 80 is 50 %.
  await store(
    { partner: P.partners.police, service: P.services.ppu },
    { 'very-good': 23, good: 13, neither: 10, poor: 10, 'very-poor': 10, 'dont-know': 14 },
    '2026-03-11',
  );
});

describe('GET /api/v1/insights/fft.csv', () => {
  it('gives each service its month: responses, the six answers and the NHS percentages, "Don’t know" in the base', async () => {
    const rows = await read(P.keys.admin);
    expect(line(rows, P.partners.police, P.services.ppu)).toMatchObject({
      period_start: '2026-02-01',
      period_end: '2026-02-28',
      partner: 'Police',
      service: 'PPU',
      survey_id: P.surveys.family,
      survey: 'Tell us about your experience',
      responses: '60',
      very_good: '20',
      good: '10',
      neither_good_nor_poor: '6',
      poor: '6',
      very_poor: '6',
      dont_know: '12',
      // 30 of 60, not 30 of the 48 who gave a view.
      positive_pct: '50',
      negative_pct: '20',
    });
    // The partner's own line (all its services), and the whole partnership's.
    expect(line(rows, P.partners.police, '')).toMatchObject({ service: 'All services', responses: '60', positive_pct: '50' });
    expect(line(rows, '', '')).toMatchObject({ partner: 'All partners', responses: '60' });
    expect(rows).toHaveLength(3);
    // A service with no answers that month has no line.
    expect(line(rows, P.partners.police, P.services.custody)).toBeUndefined();
  });

  it('marks a small count "c" and hides the % positive it would be part of', async () => {
    const camhs = line(await read(P.keys.admin, 'from=2026-01-01&to=2026-01-31'), P.partners.health, P.services.camhs)!;
    expect(camhs.good).toBe('c');
    expect(camhs.positive_pct).toBe('c');
  });

  it('rounds under the NHS rule and works the percentages out from the rounded numbers', async () => {
    await env.DB.prepare("UPDATE partnerships SET suppression_rule = 'nhs' WHERE id = ?1").bind(P.id).run();
    try {
      const ppu = line(await read(P.keys.admin, 'from=2026-03-01&to=2026-03-31'), P.partners.police, P.services.ppu)!;
      // The true counts would give 45 %; the numbers shown give 50 %, and only those are used.
      expect([ppu.responses, ppu.very_good, ppu.good, ppu.dont_know, ppu.positive_pct, ppu.negative_pct]).toEqual(['80', '25', '15', '15', '50', '25']);
    } finally {
      await env.DB.prepare("UPDATE partnerships SET suppression_rule = 'dfe' WHERE id = ?1").bind(P.id).run();
    }
  });

  it('shows a practice lead only their own partner, never the partnership’s total', async () => {
    const rows = await read(P.keys.police);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.partner_id === P.partners.police)).toBe(true);
  });

  it('returns 400 naming the field for a bad from or to, or another interval', async () => {
    for (const [query, field] of [
      ['from=2026-02-30', 'query.from'],
      ['to=February', 'query.to'],
      ['from=2026-03-01&to=2026-02-01', 'query.from'],
      ['interval=week', 'query.interval'],
    ] as const) {
      const res = await api(`/api/v1/insights/fft.csv?${query}`, { key: P.keys.admin });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { fields: { path: string }[] } };
      expect(body.error.fields.map((f) => f.path)).toContain(field);
    }
  });

  it('refuses a safeguarding lead and a caller without a key', async () => {
    expect((await api(`/api/v1/insights/fft.csv?${FEBRUARY}`, { key: P.keys.safeguarding })).status).toBe(403);
    expect((await api(`/api/v1/insights/fft.csv?${FEBRUARY}`)).status).toBe(401);
  });
});

describe('GET /dashboard/fft.csv', () => {
  it('downloads the same return through the session, linked from the feeds page', async () => {
    const s = await signIn(P.keys.admin);
    const page = await s.get('/dashboard/feeds');
    expect(page.html).toContain('href="/dashboard/fft.csv"');
    const { res, html } = await s.get(`/dashboard/fft.csv?${FEBRUARY}`);
    expect(res.status).toBe(200);
    const fromApi = await (await api(`/api/v1/insights/fft.csv?${FEBRUARY}`, { key: P.keys.admin })).text();
    expect(html).toBe(fromApi);
    expect((await s.get('/dashboard/fft.csv?from=soon')).res.status).toBe(400);
  });

  it('the insights page gives the FFT question’s NHS scores beside its answers', async () => {
    const s = await signIn(P.keys.admin);
    const { res, html } = await s.get(`/dashboard?${FEBRUARY}&interval=month&partner=${P.partners.police}`);
    expect(res.status).toBe(200);
    expect(html).toMatch(/Friends and Family Test<\/strong>[^<]*: 50% positive \(very good or good\) and 20% negative/);
  });
});
