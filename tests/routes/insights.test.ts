import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InsightReport } from '../../src/domain/insights';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';
import { api, KEYS, seedDemo } from '../helpers';

let P: Awaited<ReturnType<typeof seedInsightPartnership>>;

const get = async (key: string, query: string) => {
  const res = await api(`/api/v1/insights?${query}`, { key });
  return { status: res.status, body: (await res.json()) as InsightReport & { error?: { fields: { path: string }[] } } };
};
const Q1 = 'from=2026-01-01&to=2026-03-31&interval=month';

beforeAll(async () => {
  await seedDemo();
  P = await seedInsightPartnership();
  const police = { partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family };
  const health = { partner: P.partners.health, service: P.services.camhs, survey: P.surveys.family };
  // January: police 20 (school theme, rated 5), health 3 (small); February: police 30, health 12; March: police 25, health 15.
  await addResponses(
    P.id,
    [{ ...police, day: '2026-01-10', rating: 5, themes: { school: 'positive' }, text: 'the teacher and the officer talked to each other' }],
    20,
  );
  await addResponses(P.id, [{ ...health, day: '2026-01-12', rating: 2, themes: { 'mental-health': 'negative' } }], 3);
  await addResponses(
    P.id,
    [{ ...police, day: '2026-02-03', rating: 4, themes: { school: 'positive', timeliness: 'negative' }, text: 'school was good but we waited weeks' }],
    30,
  );
  await addResponses(P.id, [{ ...health, day: '2026-02-20', rating: 1, themes: { 'mental-health': 'negative' } }], 12);
  await addResponses(P.id, [{ ...police, day: '2026-03-01', rating: 5, themes: { school: 'mixed' } }], 25);
  await addResponses(
    P.id,
    [{ ...health, day: '2026-03-30', rating: 3, themes: { 'mental-health': 'mixed' }, text: 'the camhs worker said something private', flagged: true }],
    15,
  );
});

describe('GET /api/v1/insights', () => {
  it('reports totals, a series per month, ratings and themes for an admin', async () => {
    const { status, body } = await get(P.keys.admin, Q1);
    expect(status).toBe(200);
    expect(body.period).toMatchObject({ from: '2026-01-01', to: '2026-03-31', interval: 'month' });
    // January's 23 is hidden: its week of 12 January holds health's 3, and with the week of 5 January
    // (20) shown, a shown January would give 23 − 20 = 3 (issue 18: weeks and months linked).
    expect(body.series.map((s) => s.responses)).toEqual([
      { value: null, suppressed: true },
      { value: 42, suppressed: false },
      { value: 40, suppressed: false },
    ]);
    expect(body.totals.responses).toEqual({ value: null, suppressed: true });
    const school = body.themes.find((t) => t.id === 'school')!;
    expect(school.count).toEqual({ value: 75, suppressed: false });
    // Its base, the quarter's responses, is hidden, so no share.
    expect(school.share).toEqual({ value: null, suppressed: true });
    expect(school.sentiment).toEqual({
      positive: { value: 67, suppressed: false },
      mixed: { value: 33, suppressed: false },
      negative: { value: 0, suppressed: false },
      neutral: { value: 0, suppressed: false },
    });
    expect(school.trend.map((t) => t.count.value)).toEqual([20, 30, 25]);
    // January's "rated" is hidden with its weeks, so its fives (20) need not hide beside its twos (3).
    expect(body.ratings.find((r) => r.rating === 5)!.count).toEqual({ value: 45, suppressed: false });
    const { body: later } = await get(P.keys.admin, 'from=2026-02-01&to=2026-03-31');
    expect(later.ratings.map((r) => r.count.value)).toEqual([12, 0, 15, 30, 25]);
    expect(later.ratings.find((r) => r.rating === 4)!.share).toEqual({ value: 37, suppressed: false });
  });

  it('never shows a count from 1 to 5, and hides its complement so the total cannot give it away', async () => {
    const { body } = await get(P.keys.admin, Q1);
    const health = body.partners!.find((p) => p.id === P.partners.health)!;
    const police = body.partners!.find((p) => p.id === P.partners.police)!;
    // Health's January (3) is hidden, so its quarter total is hidden. January's partnership total is
    // hidden too (its weeks show the 3), so police's January can be shown: the line has two unknowns.
    expect(health.responses).toEqual({ value: null, suppressed: true });
    expect(police.responses).toEqual({ value: 75, suppressed: false });
    const mh = body.themes.find((t) => t.id === 'mental-health')!;
    expect(mh.trend[0]!.count).toEqual({ value: null, suppressed: true });
    expect(JSON.stringify(body)).not.toMatch(/"value":[1-5],/);
  });

  it('publishes the total of a range without small buckets', async () => {
    const { body } = await get(P.keys.admin, 'from=2026-02-01&to=2026-03-31');
    expect(body.partners!.find((p) => p.id === P.partners.health)!.responses).toEqual({ value: 27, suppressed: false });
    // December + January: the partnership's January total (23) is hidden, as the week of 12 January (3) is.
    expect(body.totals.previous).toEqual({ value: null, suppressed: true });
  });

  it('compares a period with the one before and finds emerging themes', async () => {
    const { body } = await get(P.keys.admin, 'from=2026-03-01&to=2026-03-31');
    const mh = body.themes.find((t) => t.id === 'mental-health')!;
    // March's mental-health answers are all mixed, so the rise is neither good nor bad news.
    expect(mh.change).toEqual({ previous: { value: 12, suppressed: false }, difference: 3, tone: 'neutral' });
    expect(body.emerging.map((e) => e.id)).toEqual(['mental-health']);
  });

  it('quotes only redacted text from themes of 10 or more, never from a flagged response', async () => {
    const { body } = await get(P.keys.admin, Q1);
    expect(body.themes.find((t) => t.id === 'school')!.quotes).toContain('school was good but we waited weeks');
    expect(JSON.stringify(body)).not.toContain('something private');
    const { body: march } = await get(P.keys.admin, 'from=2026-03-01&to=2026-03-31');
    expect(march.themes.find((t) => t.id === 'mental-health')!.quotes).toEqual([]);
  });

  it('shows a practice lead only their own partner, without the comparison', async () => {
    const { status, body } = await get(P.keys.police, 'from=2026-02-01&to=2026-03-31');
    expect(status).toBe(200);
    expect(body.totals.responses).toEqual({ value: 55, suppressed: false });
    expect(body.partners).toBeUndefined();
    expect((await get(P.keys.police, `${Q1}&partner=${P.partners.health}`)).status).toBe(403);
    const service = await get(P.keys.police, `${Q1}&service=${P.services.camhs}`);
    expect(service.status).toBe(400);
  });

  it('lets a scrutineer read, but not a safeguarding lead', async () => {
    expect((await get(P.keys.scrutineer, Q1)).status).toBe(200);
    expect((await get(P.keys.safeguarding, Q1)).status).toBe(403);
  });

  it('never crosses partnerships', async () => {
    const demo = await get(KEYS.admin, `${Q1}&partner=${P.partners.police}`);
    expect(demo.status).toBe(400);
    const { body } = await get(KEYS.scrutineer, Q1);
    expect(body.totals.responses.value ?? 0).toBeLessThan(105);
    expect(body.partners!.map((p) => p.id)).not.toContain(P.partners.police);
  });

  it('applies the NHS rule: 1 to 7 hidden, others rounded to 5', async () => {
    await env.DB.prepare("UPDATE partnerships SET suppression_rule = 'nhs' WHERE id = ?1").bind(P.id).run();
    try {
      const { body } = await get(P.keys.admin, 'from=2026-02-01&to=2026-03-31');
      expect(body.suppression).toMatchObject({ rule: 'nhs', threshold: 7 });
      expect(body.series.map((s) => s.responses.value)).toEqual([40, 40]);
      expect(body.partners!.find((p) => p.id === P.partners.health)!.responses.value).toBe(25);
    } finally {
      await env.DB.prepare("UPDATE partnerships SET suppression_rule = 'dfe' WHERE id = ?1").bind(P.id).run();
    }
  });

  it('answers 400 naming each bad filter', async () => {
    const { status, body } = await get(P.keys.admin, 'from=2026-13-01&interval=day&respondent=aliens&extra=1');
    expect(status).toBe(400);
    expect(body.error!.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['query.from', 'query.interval', 'query.respondent', 'query.extra']));
    const late = await get(P.keys.admin, 'from=2026-03-01&to=2026-01-01');
    expect(late.status).toBe(400);
    const long = await get(P.keys.admin, 'from=2020-01-01&to=2026-01-01');
    expect(long.status).toBe(400);
  });

  it('groups by ISO week', async () => {
    const { body } = await get(P.keys.admin, 'from=2026-02-02&to=2026-02-22&interval=week');
    expect(body.period.buckets.map((b) => b.start)).toEqual(['2026-02-02', '2026-02-09', '2026-02-16']);
    expect(body.series.map((s) => s.responses.value)).toEqual([30, 0, 12]);
  });

  it('reuses each bucket’s cube until its rollups change, then follows new and re-analysed responses at once', async () => {
    const Q = await seedInsightPartnership();
    const police = { partner: Q.partners.police, service: Q.services.ppu, survey: Q.surveys.family };
    const version = async () =>
      (
        await env.DB.prepare("SELECT version FROM rollup_versions WHERE partnership_id = ?1 AND grain = 'month' AND period = '2026-05-01'")
          .bind(Q.id)
          .first<{ version: string }>()
      )?.version;
    const series = async () => (await get(Q.keys.admin, 'from=2026-04-01&to=2026-05-31&interval=month')).body.series.map((s) => s.responses.value);

    expect(await version()).toBeUndefined();
    expect(await series()).toEqual([0, 0]);
    await addResponses(Q.id, [{ ...police, day: '2026-05-04', rating: 5, themes: { school: 'positive' } }], 10);
    // Stored but not yet folded (0027): the bucket has no version until a read folds them in.
    expect(await version()).toBeUndefined();
    expect(await series()).toEqual([0, 10]);
    const v1 = await version();
    expect(v1).toMatch(/^[0-9a-f]{16}$/);
    expect(await series()).toEqual([0, 10]);
    expect(await version()).toBe(v1);

    await addResponses(Q.id, [{ ...police, day: '2026-05-20', rating: 4 }], 7);
    expect(await series()).toEqual([0, 17]);
    const v2 = await version();
    expect(v2).not.toBe(v1);

    // Re-analysis moves theme counts: the bucket's version changes with them.
    const school = async () => (await get(Q.keys.admin, 'from=2026-05-01&to=2026-05-31&interval=month')).body.themes.find((t) => t.id === 'school')!.count;
    expect(await school()).toEqual({ value: 10, suppressed: false });
    await env.DB.prepare("UPDATE responses SET themes = '{}' WHERE partnership_id = ?1 AND received_day = '2026-05-04'").bind(Q.id).run();
    expect(await version()).not.toBe(v2);
    expect(await school()).toEqual({ value: 0, suppressed: false });
  });
});
