import { SELF } from 'cloudflare:test';
import type * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { communityVoice, familyRating } from '../../src/demo/surveys';
import type { ActionSchema } from '../../src/schemas/actions';
import { api, BASE, seedDemo, seedOtherPartnership } from '../helpers';

type Action = v.InferOutput<typeof ActionSchema>;
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

/**
 * A partnership of its own with a child, a family and a community survey, so what each thank-you
 * page shows is only what these tests record.
 */
let P: { adminKey: string; child: string; family: string; community: string };

beforeAll(async () => {
  await seedDemo();
  const other = await seedOtherPartnership();
  const live = async (audience: string, definition: unknown) => {
    const id = `${other.partnershipId}-${audience}`;
    const made = await api('/api/v1/surveys', { method: 'POST', key: other.adminKey, json: { id, audience, partnerId: null, definition } });
    expect(made.status).toBe(201);
    expect((await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: other.adminKey })).status).toBe(200);
    return id;
  };
  P = { adminKey: other.adminKey, child: other.surveyId, family: await live('family', familyRating), community: await live('community', communityVoice) };
});

const create = (body: Record<string, unknown>) =>
  api('/api/v1/actions', {
    method: 'POST',
    key: P.adminKey,
    json: { themeId: 'timeliness', when: '2026-03-01', published: true, ...body },
  });
async function created(body: Record<string, unknown>): Promise<Action> {
  const res = await create(body);
  expect(res.status).toBe(201);
  return (await res.json()) as Action;
}
const patch = (id: string, body: unknown) => api(`/api/v1/actions/${id}`, { method: 'PATCH', key: P.adminKey, json: body });
const thanks = async (surveyId: string, lang: 'en' | 'cy') => {
  const res = await api(`/s/${surveyId}/thanks?lang=${lang}`);
  expect(res.status).toBe(200);
  return res.text();
};
/** The "you said, we did" list of a thank-you page, or '' when it has none. */
const youSaidList = (html: string) => /<section aria-labelledby="ysd-title"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
async function fieldsOf(res: Response) {
  expect(res.status).toBe(400);
  return ((await res.json()) as ErrorBody).error.fields!;
}

describe('you said, we did: per language and per audience (API)', () => {
  it('shows an action chosen for children only on a child survey, in Welsh on the Welsh page; English-only words on a Welsh page are marked lang="en"', async () => {
    const forChildren = await created({
      audiences: ['child'],
      heard: { en: 'Visits were cancelled at short notice', cy: "Roedd ymweliadau'n cael eu canslo ar fyr rybudd" },
      did: { en: 'We now tell you a week before', cy: 'Rydyn ni nawr yn dweud wrthot ti wythnos cyn hynny' },
    });
    expect(forChildren).toMatchObject({ audiences: ['child'], surveyIds: null, surveyId: null });
    const forFamilies = await created({ audiences: ['family'], heard: 'Letters were hard to read', did: 'We rewrote our letters in plain English' });

    const childEn = youSaidList(await thanks(P.child, 'en'));
    expect(childEn).toContain('We now tell you a week before');
    expect(childEn).not.toContain('We rewrote our letters');
    expect(childEn).not.toContain('lang="en"');

    const childCy = youSaidList(await thanks(P.child, 'cy'));
    expect(childCy).toContain('Rydyn ni nawr yn dweud wrthot ti wythnos cyn hynny');
    expect(childCy).not.toContain('We now tell you a week before');
    expect(childCy).not.toContain('lang="en"');

    const familyCy = youSaidList(await thanks(P.family, 'cy'));
    expect(familyCy).not.toContain('wythnos cyn hynny');
    // No Welsh yet: the English, inside the Welsh sentence, marked as English for screen readers.
    expect(familyCy).toContain('Gwnaethon ni: <span lang="en">We rewrote our letters in plain English</span>');

    // The public API says which language each item is in.
    const items = (await (await api(`/api/v1/surveys/${P.family}/you-said-we-did?lang=cy`)).json()) as { items: { did: string; lang: string }[] };
    expect(items.items.find((i) => i.did.startsWith('We rewrote'))?.lang).toBe('en');

    // Adding the Welsh later (PATCH) shows it, unmarked.
    const res = await patch(forFamilies.id, {
      heard: { en: 'Letters were hard to read', cy: "Roedd llythyrau'n anodd eu darllen" },
      did: { en: 'We rewrote our letters in plain English', cy: 'Ailysgrifennon ni ein llythyrau mewn iaith glir' },
    });
    expect(res.status).toBe(200);
    const familyCyAfter = youSaidList(await thanks(P.family, 'cy'));
    expect(familyCyAfter).toContain('Gwnaethon ni: Ailysgrifennon ni ein llythyrau mewn iaith glir');
    expect(familyCyAfter).not.toContain('lang="en"');

    // Re-targeting the children's action to families moves it.
    expect((await patch(forChildren.id, { audiences: ['family'] })).status).toBe(200);
    expect(youSaidList(await thanks(P.child, 'en'))).not.toContain('We now tell you a week before');
    expect(youSaidList(await thanks(P.family, 'en'))).toContain('We now tell you a week before');
  });

  it('shows an action for a list of surveys only on those; a community survey shows only what names it or communities', async () => {
    const listed = await created({ surveyIds: [P.family, P.community], heard: 'The room was cold', did: 'We fixed the heating' });
    expect(listed).toMatchObject({ surveyIds: [P.family, P.community], surveyId: null });
    await created({ heard: 'Everyone: too many forms', did: 'We cut the forms to one' });
    await created({ audiences: ['community'], heard: 'Meetings were in the day', did: 'We hold evening meetings' });

    const child = youSaidList(await thanks(P.child, 'en'));
    expect(child).not.toContain('We fixed the heating');
    expect(child).toContain('We cut the forms to one');
    expect(child).not.toContain('We hold evening meetings');

    const community = await thanks(P.community, 'en');
    expect(community).toContain('We fixed the heating');
    expect(community).toContain('We hold evening meetings');
    // Partnership-wide with no audience chosen: as before, not on a community survey's page.
    expect(community).not.toContain('We cut the forms to one');

    // Back to every survey (null) for the list; an existing one-survey action (surveyId) still works.
    expect((await patch(listed.id, { surveyIds: null })).status).toBe(200);
    expect(youSaidList(await thanks(P.child, 'en'))).toContain('We fixed the heating');
    const single = await created({ surveyId: P.child, heard: 'Only here', did: 'One survey only' });
    expect(single).toMatchObject({ surveyId: P.child, surveyIds: [P.child] });
    expect(youSaidList(await thanks(P.child, 'en'))).toContain('One survey only');
    expect(youSaidList(await thanks(P.family, 'en'))).not.toContain('One survey only');
  });

  it('ends a Welsh chat with the action in English, saying so, where it has no Welsh', async () => {
    await created({ surveyIds: [P.child], heard: 'The waiting room was boring', did: 'We put books in the waiting room', when: '2027-01-01' });
    const start = await api(`/api/v1/surveys/${P.child}/conversations`, { method: 'POST', json: { lang: 'cy', ageBand: '8-12' } });
    expect(start.status).toBe(201);
    const chat = (await start.json()) as { conversationId: string; resumeToken: string };
    type Step = { type: string; youSaidWeDid?: { did: string; lang?: string }[] };
    const say = async (answer: unknown) =>
      (
        (await (
          await api(`/api/v1/conversations/${chat.conversationId}/replies`, { method: 'POST', json: { resumeToken: chat.resumeToken, answer } })
        ).json()) as { step: Step }
      ).step;
    await say({ type: 'answer', value: 4 });
    await say({ type: 'answer', value: 'yes' });
    const end = await say({ type: 'text', text: 'Roedd yn iawn' });
    expect(end.type).toBe('end');
    expect(end.youSaidWeDid).toContainEqual(expect.objectContaining({ did: 'We put books in the waiting room', lang: 'en' }));
  });

  it('answers 400 naming a bad audience, both survey fields, and a survey outside the chosen audiences', async () => {
    const base = { heard: 'x', did: 'y' };
    expect(await fieldsOf(await create({ ...base, audiences: ['child', 'children'] }))).toEqual([
      { path: 'audiences.1', message: 'must be one of child, family, community' },
    ]);
    expect((await fieldsOf(await create({ ...base, audiences: [] })))[0]!.path).toBe('audiences');
    expect(await fieldsOf(await create({ ...base, surveyId: P.child, surveyIds: [P.family] }))).toEqual([
      { path: 'surveyIds', message: 'give surveyId or surveyIds, not both' },
    ]);
    expect(await fieldsOf(await create({ ...base, audiences: ['family'], surveyIds: [P.family, P.child, 'no-such-survey'] }))).toEqual([
      { path: 'surveyIds.1', message: 'is a survey for child respondents, not one of the audiences chosen' },
      { path: 'surveyIds.2', message: 'is not a survey of this partnership' },
    ]);
    const action = await created(base);
    expect((await fieldsOf(await patch(action.id, { audiences: ['grown-ups'] })))[0]!.path).toBe('audiences.0');
  });
});

const cookieValue = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1) ?? '';

/** Signs in through the real form; the session cookie and the actions page's CSRF token. */
async function signIn(key: string) {
  const form = await SELF.fetch(`${BASE}/dashboard/sign-in`);
  const signInCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await SELF.fetch(`${BASE}/dashboard/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `heard_signin=${cookieValue(form, 'heard_signin')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: signInCsrf, key }),
  });
  const session = cookieValue(res, 'heard_session')!;
  const page = await SELF.fetch(`${BASE}/dashboard/actions`, { headers: { cookie: `heard_session=${session}` } });
  return { session, csrf: /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]! };
}

describe('you said, we did: per language and per audience (dashboard form)', () => {
  it('records the Welsh beside the English for ticked audiences, through the same service', async () => {
    const { session, csrf } = await signIn(P.adminKey);
    const post = (fields: [string, string][]) =>
      SELF.fetch(`${BASE}/dashboard/actions`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `heard_session=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([['_csrf', csrf], ['themeId', 'kept-informed'], ['when', '2026-05-01'], ['published', 'true'], ...fields]),
      });
    const res = await post([
      ['heard', 'Nobody said what happens next'],
      ['heardCy', "Doedd neb yn dweud beth sy'n digwydd nesa"],
      ['did', 'Every worker now gives you a next-steps card'],
      ['didCy', 'Mae pob gweithiwr nawr yn rhoi cerdyn camau nesaf i ti'],
      ['audiences', 'child'],
    ]);
    expect(res.status).toBe(303);
    expect(youSaidList(await thanks(P.child, 'cy'))).toContain('Mae pob gweithiwr nawr yn rhoi cerdyn camau nesaf i ti');
    expect(youSaidList(await thanks(P.family, 'en'))).not.toContain('next-steps card');
    const listed = await (await SELF.fetch(`${BASE}/dashboard/actions`, { headers: { cookie: `heard_session=${session}` } })).text();
    expect(listed).toContain('<span lang="cy">Mae pob gweithiwr nawr yn rhoi cerdyn camau nesaf i ti</span>');

    // A bad audience and a survey outside the ticked audience: the form again, 400, each named by its label.
    const bad = await post([
      ['heard', 'a'],
      ['did', 'b'],
      ['audiences', 'teachers'],
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Show to: must be one of child, family, community');
    const mismatch = await post([
      ['heard', 'a'],
      ['did', 'b'],
      ['audiences', 'family'],
      ['surveyIds', P.child],
    ]);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('Only on these surveys: is a survey for child respondents');
  });
});
