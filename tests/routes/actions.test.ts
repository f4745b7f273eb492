import { env } from 'cloudflare:test';
import type * as v from 'valibot';
import type { ActionSchema } from '../../src/schemas/actions';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishedActionsBetween, publishedActionsOfPartnersBetween } from '../../src/db/actions';
import { youSaidWeDidFor } from '../../src/db/conversations';
import { api, KEYS, seedDemo, seedOtherPartnership } from '../helpers';

beforeAll(seedDemo);

type Action = v.InferOutput<typeof ActionSchema>;
interface Items {
  items: { heard: string; did: string; lang: string; status: string; when: string }[];
}
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

/** A fresh live survey of a partner, so what applies to it is only what a test records. */
async function liveSurvey(partnerId: string | null = 'demo-la') {
  const { afterVisit } = await import('../../src/demo/surveys');
  const id = `demo-t-${crypto.randomUUID().slice(0, 8)}`;
  expect((await api('/api/v1/surveys', { method: 'POST', key: KEYS.admin, json: { id, audience: 'child', partnerId, definition: afterVisit } })).status).toBe(
    201,
  );
  expect((await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
  return id;
}

const create = (body: Record<string, unknown>, key = KEYS.admin) =>
  api('/api/v1/actions', {
    method: 'POST',
    key,
    json: { themeId: 'timeliness', heard: 'Visits were cancelled', did: 'We changed the rota', when: '2026-03-01', ...body },
  });
async function created(body: Record<string, unknown>, key = KEYS.admin): Promise<Action> {
  const res = await create(body, key);
  expect(res.status).toBe(201);
  return (await res.json()) as Action;
}
const patch = (id: string, body: unknown, key = KEYS.admin) => api(`/api/v1/actions/${id}`, { method: 'PATCH', key, json: body });
const publicItems = async (surveyId: string, lang = '') => {
  const res = await api(`/api/v1/surveys/${surveyId}/you-said-we-did${lang ? `?lang=${lang}` : ''}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Items).items;
};
async function errorOf(res: Response, status: number) {
  expect(res.status).toBe(status);
  return ((await res.json()) as ErrorBody).error;
}

describe('you said, we did: round trip', () => {
  it('is hidden until published, then served publicly and at the end of a chat, in the asked language', async () => {
    // A partnership of its own, so no other test's published actions apply to its survey.
    const { surveyId, adminKey } = await seedOtherPartnership();
    const action = await created(
      {
        surveyId,
        heard: { en: 'You said social workers changed too often', cy: 'Dywedoch chi fod gweithwyr cymdeithasol yn newid yn rhy aml' },
        did: { en: 'We now keep the same worker for a year', cy: "Rydyn ni nawr yn cadw'r un gweithiwr am flwyddyn" },
        when: '2026-04-01',
        status: 'done',
      },
      adminKey,
    );
    expect(action).toMatchObject({ partnerId: null, surveyId, published: false, status: 'done' });
    expect(await publicItems(surveyId)).toEqual([]);

    const res = await patch(action.id, { published: true }, adminKey);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Action).published).toBe(true);
    expect(await publicItems(surveyId)).toEqual([
      { heard: 'You said social workers changed too often', did: 'We now keep the same worker for a year', lang: 'en', status: 'done', when: '2026-04-01' },
    ]);
    expect((await publicItems(surveyId, 'cy'))[0]!.did).toBe("Rydyn ni nawr yn cadw'r un gweithiwr am flwyddyn");
    // A language the action isn't written in falls back to English.
    expect(await publicItems(surveyId, 'ar')).toEqual([expect.objectContaining({ did: 'We now keep the same worker for a year', lang: 'en' })]);

    // The function the thank-you page calls gives the same.
    expect(await youSaidWeDidFor(env.DB, surveyId, 'en')).toEqual(await publicItems(surveyId));

    const chat = (await (await api(`/api/v1/surveys/${surveyId}/conversations`, { method: 'POST', json: {} })).json()) as {
      conversationId: string;
      resumeToken: string;
    };
    const say = async (answer: unknown) =>
      (
        (await (
          await api(`/api/v1/conversations/${chat.conversationId}/replies`, { method: 'POST', json: { resumeToken: chat.resumeToken, answer } })
        ).json()) as {
          step: { type: string; youSaidWeDid?: { heard: string; did: string }[]; messages: { text: string; kind: string }[] };
        }
      ).step;
    await say({ type: 'answer', value: 4 });
    await say({ type: 'answer', value: 'yes' });
    const end = await say({ type: 'text', text: 'It was fine' });
    expect(end.type).toBe('end');
    expect(end.youSaidWeDid).toEqual([
      expect.objectContaining({ heard: 'You said social workers changed too often', did: 'We now keep the same worker for a year' }),
    ]);
    expect(end.messages.map((m) => m.text)).toContain('We did: We now keep the same worker for a year');

    // Unpublishing takes it away again.
    await patch(action.id, { published: false }, adminKey);
    expect(await publicItems(surveyId)).toEqual([]);
  });

  it('serves survey-specific, partner-wide and partnership-wide actions, newest first, at most 10, and nothing of other partners or surveys', async () => {
    const surveyId = await liveSurvey('demo-la');
    const otherSurvey = await liveSurvey('demo-la');
    await created({ surveyId, did: 'survey', when: '2026-01-03', published: true });
    await created({ partnerId: 'demo-la', did: 'partner', when: '2026-01-02', published: true });
    await created({ did: 'partnership', when: '2026-01-01', published: true });
    await created({ partnerId: 'demo-police', did: 'police', when: '2026-01-04', published: true });
    await created({ surveyId: otherSurvey, did: 'other survey', when: '2026-01-05', published: true });
    const dids = (await publicItems(surveyId)).map((i) => i.did);
    // Partnership-wide ones recorded by other tests may be there too; order and membership are what matter.
    expect(dids.filter((d) => ['survey', 'partner', 'partnership'].includes(d))).toEqual(['survey', 'partner', 'partnership']);
    expect(dids).not.toContain('police');
    expect(dids).not.toContain('other survey');

    for (let i = 0; i < 11; i++) await created({ surveyId, did: `many ${i}`, when: `2027-01-${String(i + 10)}`, published: true });
    const items = await publicItems(surveyId);
    expect(items).toHaveLength(10);
    expect(items[0]!.did).toBe('many 10');
  });

  it('answers 404 for an unknown survey and 400 for a bad language', async () => {
    expect((await api('/api/v1/surveys/no-such-survey/you-said-we-did')).status).toBe(404);
    expect((await api('/api/v1/surveys/after-visit/you-said-we-did?lang=English!')).status).toBe(400);
  });
});

describe('POST /api/v1/actions', () => {
  it('answers 400 naming each invalid field', async () => {
    const error = await errorOf(
      await create({ themeId: 'vibes', heard: '', did: { cy: 'heb Saesneg' }, when: '2026-02-30', status: 'maybe', colour: 'red' }),
      400,
    );
    expect(error.fields!.map((f) => f.path).sort()).toEqual(['colour', 'did', 'heard', 'status', 'themeId', 'when']);
  });

  it('answers 400 for a partner or survey that isn’t the partnership’s, or a survey of another partner', async () => {
    const other = await seedOtherPartnership();
    const unknown = await errorOf(await create({ partnerId: other.partnerId, surveyId: other.surveyId }), 400);
    expect(unknown.fields!.map((f) => f.path).sort()).toEqual(['partnerId', 'surveyId']);
    const mismatch = await errorOf(await create({ partnerId: 'demo-police', surveyId: 'after-visit' }), 400);
    expect(mismatch.fields).toEqual([{ path: 'surveyId', message: 'belongs to another partner' }]);
  });
});

describe('role scoping', () => {
  it('lets a practice lead record and change only their own partner’s actions', async () => {
    const mine = await created({}, KEYS.policeLead);
    expect(mine.partnerId).toBe('demo-police');
    expect((await create({ partnerId: 'demo-la' }, KEYS.policeLead)).status).toBe(403);
    expect((await create({ partnerId: null }, KEYS.policeLead)).status).toBe(403);

    const la = await created({ partnerId: 'demo-la' });
    expect((await patch(la.id, { published: true }, KEYS.policeLead)).status).toBe(404);
    const wide = await created({});
    expect((await patch(wide.id, { published: true }, KEYS.policeLead)).status).toBe(403);
    expect((await patch(mine.id, { status: 'done', published: true }, KEYS.policeLead)).status).toBe(200);

    const listed = (await (await api('/api/v1/actions', { key: KEYS.policeLead })).json()) as { actions: Action[] };
    expect(listed.actions.map((a) => a.id)).toContain(mine.id);
    expect(listed.actions.map((a) => a.id)).not.toContain(la.id);
    expect(listed.actions.every((a) => a.partnerId === null || a.partnerId === 'demo-police')).toBe(true);
  });

  it('lets an admin see every partner’s, a scrutineer read but not write, and a safeguarding lead do neither', async () => {
    const la = await created({ partnerId: 'demo-la' });
    const police = await created({ partnerId: 'demo-police' });
    const all = (await (await api('/api/v1/actions', { key: KEYS.admin })).json()) as { actions: Action[] };
    expect(all.actions.map((a) => a.id)).toEqual(expect.arrayContaining([la.id, police.id]));
    const filtered = (await (await api('/api/v1/actions?partner=demo-la', { key: KEYS.admin })).json()) as { actions: Action[] };
    expect(filtered.actions.every((a) => a.partnerId === 'demo-la')).toBe(true);

    const read = await api('/api/v1/actions', { key: KEYS.scrutineer });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { actions: Action[] }).actions.map((a) => a.id)).toEqual(expect.arrayContaining([la.id, police.id]));
    expect((await create({}, KEYS.scrutineer)).status).toBe(403);
    expect((await patch(la.id, { published: true }, KEYS.scrutineer)).status).toBe(403);

    expect((await api('/api/v1/actions', { key: KEYS.safeguarding })).status).toBe(403);
    expect((await create({}, KEYS.safeguarding)).status).toBe(403);
  });

  it('keeps each partnership’s actions to itself', async () => {
    const demo = await created({ partnerId: 'demo-la' });
    const other = await seedOtherPartnership();
    const listed = (await (await api('/api/v1/actions', { key: other.adminKey })).json()) as { actions: Action[] };
    expect(listed.actions).toEqual([]);
    expect((await patch(demo.id, { published: true }, other.adminKey)).status).toBe(404);
    await patch(demo.id, { published: true });
    expect((await publicItems(other.surveyId)).map((i) => i.did)).not.toContain('We changed the rota');
  });
});

describe('publishedActionsBetween (for the feeds)', () => {
  it('gives a partner’s and the partnership-wide published actions dated in the period, in English', async () => {
    const other = await seedOtherPartnership();
    const make = (body: Record<string, unknown>) => created(body, other.adminKey);
    await make({ partnerId: other.partnerId, did: 'in', when: '2026-05-10', published: true, heard: { en: 'heard', cy: 'clywed' } });
    await make({ did: 'wide', when: '2026-05-31', published: true });
    await make({ partnerId: other.partnerId, did: 'draft', when: '2026-05-11' });
    await make({ partnerId: other.partnerId, did: 'later', when: '2026-06-01', published: true });
    const got = await publishedActionsBetween(env.DB, other.partnershipId, other.partnerId, '2026-05-01', '2026-05-31');
    expect(got).toEqual([
      { themeId: 'timeliness', heard: 'heard', did: 'in', status: 'planned', when: '2026-05-10' },
      { themeId: 'timeliness', heard: 'Visits were cancelled', did: 'wide', status: 'planned', when: '2026-05-31' },
    ]);
  });
});

describe('publishedActionsOfPartnersBetween (one query for a feed)', () => {
  it('gives each partner what publishedActionsBetween gives it', async () => {
    const other = await seedOtherPartnership();
    const second = `${other.partnershipId}-health`;
    await env.DB.prepare("INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?1, ?2, 'Health', 'health', ?3)")
      .bind(second, other.partnershipId, new Date().toISOString())
      .run();
    const make = (body: Record<string, unknown>) => created(body, other.adminKey);
    await make({ partnerId: other.partnerId, did: 'police', when: '2026-05-10', published: true });
    await make({ partnerId: second, did: 'health', when: '2026-05-12', published: true });
    await make({ did: 'wide', when: '2026-05-31', published: true });
    await make({ partnerId: second, did: 'draft', when: '2026-05-11' });
    await make({ did: 'later', when: '2026-06-01', published: true });
    const partners = [other.partnerId, second];
    const got = await publishedActionsOfPartnersBetween(env.DB, other.partnershipId, partners, '2026-05-01', '2026-05-31');
    for (const p of partners) expect(got.get(p)).toEqual(await publishedActionsBetween(env.DB, other.partnershipId, p, '2026-05-01', '2026-05-31'));
    expect(got.get(second)!.map((a) => a.did)).toEqual(['health', 'wide']);
  });
});
