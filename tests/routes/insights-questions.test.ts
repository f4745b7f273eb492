import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { afterVisit } from '../../src/demo/surveys';
import type { InsightReport } from '../../src/domain/insights';
import { answerMetrics } from '../../src/domain/question-results';
import { api, countRows, foldRollups, seedOtherPartnership, submit } from '../helpers';

/**
 * Every question reported (issue 14, item 5): answers sent through the real intake API are counted
 * per question into the rollups (0025, folded since 0027) and come back from GET /api/v1/insights suppressed.
 * Intake stamps today's date, whose week may straddle two months (then the linked intervals hide
 * more), so the exact counts are checked on responses stored as intake stores them on a fixed day.
 */
let P: Awaited<ReturnType<typeof seedOtherPartnership>>;

const send = async (answers: Record<string, unknown>, copies: number) => {
  for (let i = 0; i < copies; i++) {
    const res = await submit(P.surveyId, { id: crypto.randomUUID(), answers, lang: 'en' });
    expect(res.status).toBe(201);
  }
};
/** Stores responses as intake does (answer metrics included) on a fixed day. */
const store = async (answers: Record<string, unknown>, copies: number, day = '2026-02-11') => {
  const statements = Array.from({ length: copies }, () =>
    env.DB.prepare(
      `INSERT INTO responses (id, partnership_id, survey_id, survey_version, audience, partner_id, received_day, age_band, lang,
                              answers, analysis, rating, flagged, fingerprint, themes, answer_metrics)
       VALUES (?1, ?2, ?3, 1, 'child', ?4, ?8, '8-12', 'en', ?5, '{}', ?6, 0, 'x', '{}', ?7)`,
    ).bind(
      crypto.randomUUID(),
      P.partnershipId,
      P.surveyId,
      P.partnerId,
      JSON.stringify(answers),
      (answers.visit as number | undefined) ?? null,
      JSON.stringify(answerMetrics(P.surveyId, afterVisit, answers as never)),
      day,
    ),
  );
  await env.DB.batch(statements);
};
const FEBRUARY = '&from=2026-02-01&to=2026-02-28';
const report = async (query = FEBRUARY) => {
  const res = await api(`/api/v1/insights?interval=month${query}`, { key: P.adminKey });
  expect(res.status).toBe(200);
  return (await res.json()) as InsightReport;
};

beforeAll(async () => {
  P = await seedOtherPartnership();
  await send({ visit: 5, listened: 'yes', good: 'they played a game with me' }, 12);
  await send({ visit: 2, listened: 'no' }, 2);
  // In February (11th, mid-month): 12 said their social worker listened, 7 said not, 1 did not say; 9 wrote what was good.
  await store({ visit: 5, listened: 'yes', good: 'they played a game' }, 9);
  await store({ visit: 4, listened: 'yes' }, 3);
  await store({ visit: 4, listened: 'no' }, 7);
  await store({ visit: 5, listened: null }, 1);
  // In March (11th): 12 yes and 2 no.
  await store({ visit: 5, listened: 'yes' }, 12, '2026-03-11');
  await store({ visit: 5, listened: 'no' }, 2, '2026-03-11');
});

describe('GET /api/v1/insights: every question', () => {
  it('stores per-question metric names for each response sent to the API, and counts them in the rollups, never the words', async () => {
    const today = "received_day = date('now')";
    expect(
      await countRows(
        `SELECT COUNT(*) AS n FROM responses WHERE survey_id = ?1 AND ${today} AND answer_metrics LIKE '%"q:${P.surveyId}/listened:yes"%'`,
        P.surveyId,
      ),
    ).toBe(12);
    expect(await countRows("SELECT COUNT(*) AS n FROM responses WHERE survey_id = ?1 AND answer_metrics LIKE '%game%'", P.surveyId)).toBe(0);
    await foldRollups();
    expect(
      await countRows(
        "SELECT n FROM rollups WHERE survey_id = ?1 AND grain = 'month' AND period = strftime('%Y-%m-01', 'now') AND metric = ?2 AND partner_id = ?3",
        P.surveyId,
        `q:${P.surveyId}/listened:no`,
        P.partnerId,
      ),
    ).toBe(2);
  });

  it('counts each answer of a yes/no question', async () => {
    const body = await report(`${FEBRUARY}&survey=${P.surveyId}`);
    expect(body.questions).toHaveLength(1);
    const survey = body.questions![0]!;
    expect(survey).toMatchObject({ id: P.surveyId, title: afterVisit.title.en, responses: { value: 20, suppressed: false } });
    const listened = survey.questions.find((q) => q.id === 'listened')!;
    expect(listened.text).toBe('Did your social worker listen to you?');
    expect(listened.answered).toEqual({ value: 19, suppressed: false });
    expect(listened.answers.map((a) => [a.label, a.count.value, a.share.value])).toEqual([
      ['Yes', 12, 63],
      ['No', 7, 37],
    ]);
  });

  it('hides a small answer, and the other answer beside it so the question total cannot give it back', async () => {
    const listened = (await report(`&from=2026-03-01&to=2026-03-31&survey=${P.surveyId}`)).questions![0]!.questions.find((q) => q.id === 'listened')!;
    expect(listened.answered).toEqual({ value: 14, suppressed: false });
    expect(listened.answers.map((a) => a.count)).toEqual([
      { value: null, suppressed: true },
      { value: null, suppressed: true },
    ]);
  });

  it('reports the rating question from the rating counts and free text as how many answered', async () => {
    const survey = (await report(`${FEBRUARY}&survey=${P.surveyId}`)).questions![0]!;
    const visit = survey.questions.find((q) => q.id === 'visit')!;
    expect(visit.answered).toEqual({ value: 20, suppressed: false });
    expect(visit.answers.map((a) => a.count.value)).toEqual([0, 0, 0, 10, 10]);
    const good = survey.questions.find((q) => q.id === 'good')!;
    expect(good.answered).toEqual({ value: 9, suppressed: false });
    expect(good.answers).toEqual([]);
  });

  it('lists every survey with responses when no survey is asked for, and none without', async () => {
    const body = await report();
    expect(body.questions!.map((s) => s.id)).toEqual([P.surveyId]);
    const lastYear = await report('&from=2020-01-01&to=2020-12-31');
    expect(lastYear.questions).toEqual([]);
  });

  it('puts every question and answer in the CSV export, suppressed alike', async () => {
    const res = await api(`/api/v1/insights.csv?interval=month${FEBRUARY}&survey=${P.surveyId}`, { key: P.adminKey });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\r\n').filter((l) => l.includes(`${P.surveyId}/listened`) && l.startsWith('2026-02-01,2026-02-28,,'));
    // February's block, then the whole range's (the same month).
    expect(lines.slice(0, 3).map((l) => l.split(',').slice(4, 9))).toEqual([
      ['question', `${P.surveyId}/listened`, `${afterVisit.title.en}: Did your social worker listen to you?`, '19', ''],
      ['answer', `${P.surveyId}/listened:yes`, 'Did your social worker listen to you?: Yes', '12', '63'],
      ['answer', `${P.surveyId}/listened:no`, 'Did your social worker listen to you?: No', '7', '37'],
    ]);
  });
});
