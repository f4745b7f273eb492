import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InsightReport } from '../../src/domain/insights';
import { api, foldRollups, seedOtherPartnership, submit } from '../helpers';
import { addResponses, seedInsightPartnership } from '../insight-fixtures';

// Every test makes its own partnership: the demo partnership keeps the default themes for other files.
let P: Awaited<ReturnType<typeof seedInsightPartnership>>;
beforeEach(async () => {
  P = await seedInsightPartnership();
});

interface TaxonomyView {
  version: number;
  updatedAt: string | null;
  themes: { id: string; label: string; custom: boolean; terms: string[] }[];
  custom: { synonyms: Record<string, string[]>; themes: { id: string; label: string; terms: string[] }[] };
}
interface Reanalysed {
  processed: number;
  changed: number;
  nextCursor: string | null;
  version: number;
}
interface ErrorReply {
  error: { code: string; fields?: { path: string; message: string }[] };
}

const YOUTH_CLUB = { id: 'youth-club', label: 'Youth club', terms: ['youth club', 'youth cent*', 'the hub'] };
/** Not a theme under the defaults; youth-club and (by synonym) school under the custom taxonomy. */
const CLUB_TEXT = 'We went to the youth club and did forest skills, it was fun';

const putTaxonomy = (key: string, json: unknown) => api('/api/v1/taxonomy', { method: 'PUT', key, json });
const reanalyse = (key: string, cursor?: string) => api('/api/v1/taxonomy/reanalyse', { method: 'POST', key, json: cursor ? { cursor } : {} });
const fields = async (res: Response) => ((await res.json()) as ErrorReply).error.fields!.map((f) => f.path).sort();

async function answerChildSurvey(count: number, answers: Record<string, unknown>, surveyId = P.surveys.child): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = crypto.randomUUID();
    const res = await submit(surveyId, { id, answers });
    expect(res.status).toBe(201);
    ids.push(id);
  }
  return ids;
}

async function stored(id: string) {
  const row = await env.DB.prepare('SELECT answers, analysis, themes, sentiment, flagged FROM responses WHERE id = ?1').bind(id).first<{
    answers: string;
    analysis: string;
    themes: string;
    sentiment: string | null;
    flagged: number;
  }>();
  return {
    answers: JSON.parse(row!.answers) as Record<string, unknown>,
    analysis: JSON.parse(row!.analysis) as Record<string, { themes: { id: string }[]; sentiment: string; disclosure: unknown }>,
    themes: JSON.parse(row!.themes) as Record<string, string>,
    sentiment: row!.sentiment,
    flagged: row!.flagged,
  };
}

async function reanalyseAll(key: string): Promise<{ calls: Reanalysed[]; changed: number }> {
  const calls: Reanalysed[] = [];
  let cursor: string | undefined;
  do {
    const res = await reanalyse(key, cursor);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reanalysed;
    calls.push(body);
    cursor = body.nextCursor ?? undefined;
  } while (cursor);
  return { calls, changed: calls.reduce((n, c) => n + c.changed, 0) };
}

/** Theme and sentiment rollups per cell, as stored once what is pending is folded (as a report would read them). */
async function rollupCells(partnershipId: string, grain: 'week' | 'month'): Promise<Record<string, number>> {
  await foldRollups();
  const { results } = await env.DB.prepare(
    `SELECT period || '|' || partner_id || '|' || service_id || '|' || survey_id || '|' || age_band || '|' || metric AS cell, n FROM rollups
     WHERE partnership_id = ?1 AND grain = ?2 AND (metric LIKE 'theme:%' OR metric LIKE 'sentiment:%')`,
  )
    .bind(partnershipId, grain)
    .all<{ cell: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.cell, r.n]));
}

/** The same cells counted afresh from the responses. */
async function freshCells(partnershipId: string, grain: 'week' | 'month'): Promise<Record<string, number>> {
  const period =
    grain === 'month'
      ? "strftime('%Y-%m-01', r.received_day)"
      : "date(r.received_day, '-' || ((CAST(strftime('%w', r.received_day) AS INTEGER) + 6) % 7) || ' days')";
  const cell = `${period} || '|' || COALESCE(r.partner_id, '') || '|' || COALESCE(r.service_id, '') || '|' || r.survey_id || '|' || COALESCE(r.age_band, '') || '|' || `;
  const queries = [
    `SELECT ${cell} 'theme:' || t.key AS cell, COUNT(*) AS n FROM responses r, json_each(r.themes) t WHERE r.partnership_id = ?1 GROUP BY cell`,
    `SELECT ${cell} 'theme:' || t.key || ':' || t.value AS cell, COUNT(*) AS n FROM responses r, json_each(r.themes) t WHERE r.partnership_id = ?1 GROUP BY cell`,
    `SELECT ${cell} 'sentiment:' || r.sentiment AS cell, COUNT(*) AS n FROM responses r WHERE r.partnership_id = ?1 AND r.sentiment IS NOT NULL GROUP BY cell`,
  ];
  const out: Record<string, number> = {};
  for (const sql of queries) {
    const { results } = await env.DB.prepare(sql).bind(partnershipId).all<{ cell: string; n: number }>();
    for (const r of results) out[r.cell] = r.n;
  }
  return out;
}

async function expectRollupsAgree(partnershipId: string) {
  for (const grain of ['week', 'month'] as const) expect(await rollupCells(partnershipId, grain)).toEqual(await freshCells(partnershipId, grain));
}

describe('PUT /api/v1/taxonomy', () => {
  it('returns 400 naming each invalid field', async () => {
    const res = await putTaxonomy(P.keys.admin, {
      synonyms: { school: ['forest skills', '(regex|.*)', '', 'a*', 'x'.repeat(61)] },
      themes: [
        { id: 'school', label: 'Clash', terms: ['classroom'] },
        { id: 'Not A Slug', label: '', terms: [] },
        { id: 'fine', label: 'Fine', terms: ['ok term', 'class\\b'], extra: true },
      ],
      other: 1,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorReply;
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.fields!.map((f) => f.path).sort()).toEqual(
      [
        'other',
        'synonyms.school.1',
        'synonyms.school.2',
        'synonyms.school.3',
        'synonyms.school.4',
        'themes.0.id',
        'themes.1.id',
        'themes.1.label',
        'themes.1.terms',
        'themes.2.extra',
        'themes.2.terms.1',
      ].sort(),
    );
    // Our messages, never the input echoed back.
    expect(JSON.stringify(body)).not.toContain('regex|');
    expect(body.error.fields!.find((f) => f.path === 'themes.0.id')!.message).toMatch(/default theme/);
    expect(body.error.fields!.find((f) => f.path === 'synonyms.school.3')!.message).toMatch(/at least 3 letters before/);
  });

  it('refuses synonyms for a theme that does not exist and a custom id used twice', async () => {
    const res = await putTaxonomy(P.keys.admin, {
      synonyms: { 'no-such-theme': ['thing'], 'youth-club': ['youth zone'] },
      themes: [YOUTH_CLUB, { ...YOUTH_CLUB, label: 'Again' }],
    });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['synonyms.no-such-theme', 'themes.1.id']);
  });

  it('refuses more than 30 themes and more than 100 terms to a theme', async () => {
    const themes = Array.from({ length: 31 }, (_, i) => ({ id: `theme-${i}`, label: `Theme ${i}`, terms: [`term ${i}`] }));
    expect(await fields(await putTaxonomy(P.keys.admin, { themes }))).toEqual(['themes']);
    const terms = Array.from({ length: 101 }, (_, i) => `word${i}`);
    expect(await fields(await putTaxonomy(P.keys.admin, { synonyms: { school: terms } }))).toEqual(['synonyms.school']);
  });

  it('saves, bumps the version each time, and GET lists the effective themes with what was added', async () => {
    const first = await putTaxonomy(P.keys.admin, {
      synonyms: { school: ['Forest  Skills'], 'youth-club': ['?youth zone', '@after school'] },
      themes: [YOUTH_CLUB],
    });
    expect(first.status).toBe(200);
    expect(((await first.json()) as TaxonomyView).version).toBe(1);

    const res = await api('/api/v1/taxonomy', { key: P.keys.scrutineer });
    expect(res.status).toBe(200);
    const view = (await res.json()) as TaxonomyView;
    expect(view.version).toBe(1);
    expect(view.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(view.themes).toHaveLength(14);
    expect(view.themes.find((t) => t.id === 'school')).toEqual({ id: 'school', label: 'School and education', custom: false, terms: ['forest skills'] });
    expect(view.themes.find((t) => t.id === 'police')).toMatchObject({ custom: false, terms: [] });
    expect(view.themes.at(-1)).toEqual({ id: 'youth-club', label: 'Youth club', custom: true, terms: [...YOUTH_CLUB.terms, '?youth zone', '@after school'] });
    expect(view.custom.themes).toEqual([YOUTH_CLUB]);

    // What GET gives can be PUT back as it is; an empty PUT clears; each bumps the version.
    expect(((await (await putTaxonomy(P.keys.admin, view.custom)).json()) as TaxonomyView).version).toBe(2);
    const cleared = (await (await putTaxonomy(P.keys.admin, {})).json()) as TaxonomyView;
    expect(cleared.version).toBe(3);
    expect(cleared.themes).toHaveLength(13);
  });
});

describe('a partnership’s own themes and synonyms', () => {
  it('apply to new responses at intake, not stored ones, until re-analysis; insights and rollups follow', async () => {
    const old = await answerChildSurvey(6, { visit: 5, good: CLUB_TEXT });
    // A possible disclosure is withheld; its other answer is ordinary redacted text.
    const [flagged] = await answerChildSurvey(1, { visit: 2, good: 'my dad hits me and i am scared to go home', better: 'more time at the youth club' });
    expect(Object.keys((await stored(old[0]!)).themes)).toEqual([]);
    const flaggedBefore = await stored(flagged!);
    expect(flaggedBefore.flagged).toBe(1);
    expect(flaggedBefore.answers.good).toMatch(/^\[withheld/);

    expect((await putTaxonomy(P.keys.admin, { themes: [YOUTH_CLUB], synonyms: { school: ['forest skills'] } })).status).toBe(200);
    const fresh = await answerChildSurvey(6, { visit: 5, good: CLUB_TEXT });

    expect((await stored(fresh[0]!)).themes).toEqual({ school: 'positive', 'youth-club': 'positive' });
    expect((await stored(fresh[0]!)).analysis.good!.themes).toEqual([
      { id: 'school', evidence: ['forest skills'] },
      { id: 'youth-club', evidence: ['youth club'] },
    ]);
    for (const id of old) expect((await stored(id)).themes).toEqual({});

    const before = await insights(P.keys.admin);
    expect(before.themes.find((t) => t.id === 'youth-club')).toMatchObject({ label: 'Youth club', count: { value: 6, suppressed: false } });

    const { calls, changed } = await reanalyseAll(P.keys.admin);
    expect(calls).toEqual([{ processed: 13, changed: 7, nextCursor: null, version: 1 }]);
    expect(changed).toBe(7);
    for (const id of old) expect((await stored(id)).themes).toEqual({ school: 'positive', 'youth-club': 'positive' });

    const flaggedAfter = await stored(flagged!);
    expect(flaggedAfter.flagged).toBe(1);
    expect(flaggedAfter.answers).toEqual(flaggedBefore.answers);
    expect(flaggedAfter.analysis.good).toEqual(flaggedBefore.analysis.good);
    expect(flaggedAfter.analysis.better!.themes.map((t) => t.id)).toEqual(['youth-club']);
    expect(Object.keys(flaggedAfter.themes).sort()).toEqual(['feeling-safe', 'youth-club']);

    const after = await insights(P.keys.admin);
    expect(after.themes.find((t) => t.id === 'youth-club')!.count).toEqual({ value: 13, suppressed: false });
    expect(after.themes.find((t) => t.id === 'school')!.count).toEqual({ value: 12, suppressed: false });
    await expectRollupsAgree(P.id);
  });

  it('re-analysis run twice changes nothing the second time', async () => {
    await answerChildSurvey(7, { visit: 3, good: CLUB_TEXT, better: 'the hub shut early and nobody rang back' });
    await putTaxonomy(P.keys.admin, { themes: [YOUTH_CLUB], synonyms: { school: ['forest skills'] } });
    expect((await reanalyseAll(P.keys.admin)).changed).toBe(7);
    const rowsAfterFirst = await env.DB.prepare('SELECT id, analysis, themes, sentiment FROM responses WHERE partnership_id = ?1 ORDER BY id').bind(P.id).all();
    const rollupsAfterFirst = await rollupCells(P.id, 'month');

    expect((await reanalyseAll(P.keys.admin)).calls).toEqual([{ processed: 7, changed: 0, nextCursor: null, version: 1 }]);
    expect(
      (await env.DB.prepare('SELECT id, analysis, themes, sentiment FROM responses WHERE partnership_id = ?1 ORDER BY id').bind(P.id).all()).results,
    ).toEqual(rowsAfterFirst.results);
    expect(await rollupCells(P.id, 'month')).toEqual(rollupsAfterFirst);
    await expectRollupsAgree(P.id);
  });

  it('re-analyses 200 responses per call, in id order after the cursor, keeping rollups right', async () => {
    const police = { partner: P.partners.police, service: P.services.ppu, survey: P.surveys.family };
    await addResponses(P.id, [{ ...police, day: '2026-02-03', rating: 4, themes: { school: 'positive' }, text: 'the youth centre helped with school' }], 150);
    await addResponses(P.id, [{ ...police, day: '2026-03-10', rating: 2, themes: {}, text: 'waited ages for the hub to open' }], 55);
    await putTaxonomy(P.keys.admin, { themes: [YOUTH_CLUB] });

    const { calls, changed } = await reanalyseAll(P.keys.admin);
    expect(calls.map((c) => c.processed)).toEqual([200, 5]);
    expect(calls[0]!.nextCursor).toEqual(expect.any(String));
    expect(calls[1]!.nextCursor).toBeNull();
    expect(changed).toBe(205);
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM responses WHERE partnership_id = ?1 AND json_extract(themes, \'$."youth-club"\') IS NOT NULL')
      .bind(P.id)
      .first<{ n: number }>();
    expect(count!.n).toBe(205);
    await expectRollupsAgree(P.id);
    const report = await insights(P.keys.admin, 'from=2026-01-01&to=2026-03-31&interval=month');
    expect(report.themes.find((t) => t.id === 'youth-club')!.count).toEqual({ value: 205, suppressed: false });
    expect((await reanalyseAll(P.keys.admin)).changed).toBe(0);
  });

  it('reports a 400 for a bad cursor body', async () => {
    const res = await api('/api/v1/taxonomy/reanalyse', { method: 'POST', key: P.keys.admin, json: { cursor: 42, more: true } });
    expect(res.status).toBe(400);
    expect(await fields(res)).toEqual(['cursor', 'more']);
  });
});

describe('who may see and change themes', () => {
  it('lets admins, practice leads and scrutineers read, and only admins change or re-analyse', async () => {
    for (const key of [P.keys.admin, P.keys.police, P.keys.scrutineer]) expect((await api('/api/v1/taxonomy', { key })).status).toBe(200);
    expect((await api('/api/v1/taxonomy', { key: P.keys.safeguarding })).status).toBe(403);
    expect((await api('/api/v1/taxonomy')).status).toBe(401);
    for (const key of [P.keys.police, P.keys.scrutineer, P.keys.safeguarding]) {
      expect((await putTaxonomy(key, { themes: [YOUTH_CLUB] })).status).toBe(403);
      expect((await reanalyse(key)).status).toBe(403);
    }
    expect(((await (await api('/api/v1/taxonomy', { key: P.keys.admin })).json()) as TaxonomyView).version).toBe(0);
  });

  it('keeps each partnership’s themes, intake and re-analysis to itself', async () => {
    const other = await seedOtherPartnership();
    const [mine] = await answerChildSurvey(1, { visit: 5, good: CLUB_TEXT });
    const mineBefore = await env.DB.prepare('SELECT analysis, themes, sentiment FROM responses WHERE id = ?1').bind(mine).first();
    expect((await putTaxonomy(other.adminKey, { themes: [YOUTH_CLUB] })).status).toBe(200);

    const view = (await (await api('/api/v1/taxonomy', { key: P.keys.admin })).json()) as TaxonomyView;
    expect(view.version).toBe(0);
    expect(view.themes.some((t) => t.custom)).toBe(false);
    const [mineAfter] = await answerChildSurvey(1, { visit: 5, good: CLUB_TEXT });
    expect((await stored(mineAfter!)).themes).toEqual({});
    const [theirs] = await answerChildSurvey(1, { visit: 5, good: CLUB_TEXT }, other.surveyId);
    expect((await stored(theirs!)).themes).toEqual({ 'youth-club': 'positive' });

    expect((await reanalyseAll(other.adminKey)).calls).toEqual([{ processed: 1, changed: 0, nextCursor: null, version: 1 }]);
    expect(await env.DB.prepare('SELECT analysis, themes, sentiment FROM responses WHERE id = ?1').bind(mine).first()).toEqual(mineBefore);
    // Another partnership's cursor does not reach my responses either.
    const res = await reanalyse(other.adminKey, '00000000');
    expect(await res.json()).toEqual({ processed: 1, changed: 0, nextCursor: null, version: 1 });
    expect((await insights(P.keys.admin)).themes.some((t) => t.id === 'youth-club')).toBe(false);
  });
});

async function insights(key: string, query = 'interval=month'): Promise<InsightReport> {
  const res = await api(`/api/v1/insights?${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as InsightReport;
}
