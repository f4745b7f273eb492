import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(seedDemo);

const page = async (path: string) => (await SELF.fetch(`http://heard.test${path}`)).text();

async function identifiableLink() {
  const res = await api('/api/v1/links', {
    method: 'POST',
    key: KEYS.admin,
    json: {
      surveyId: 'after-visit',
      partnerId: 'demo-la',
      serviceId: 'demo-social-work',
      contactType: 'home-visit',
      contactRef: 'CASE-12345',
      singleUse: false,
    },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

describe('closing the loop on the survey pages', () => {
  it('shows published "you said, we did" on the thank-you page, in the page’s language', async () => {
    // Written, as partners often do, with the page's own prefix: the page shows it once.
    const said = `the visits were too short ${crypto.randomUUID().slice(0, 6)}`;
    const heard = `You said ${said}`;
    const made = await api('/api/v1/actions', {
      method: 'POST',
      key: KEYS.admin,
      json: {
        partnerId: 'demo-la',
        themeId: 'listened-to',
        heard: { en: heard, cy: `Cy: ${heard}` },
        did: { en: 'Visits are now an hour long.', cy: 'Mae ymweliadau nawr yn awr o hyd.' },
        when: '2026-11-01',
        status: 'done',
        published: true,
      },
    });
    expect(made.status).toBe(201);
    const en = await page('/s/after-visit/thanks?lang=en');
    expect(en).toContain(`You said: ${said}`);
    expect(en).not.toContain(`You said: ${heard}`);
    expect(en).toContain('We did: Visits are now an hour long.');
    const cy = await page('/s/after-visit/thanks?lang=cy');
    expect(cy).toContain(`Dywedoch chi: Cy: ${heard}`);
  });

  it('keeps drafts off the thank-you page', async () => {
    const heard = `Draft only ${crypto.randomUUID().slice(0, 6)}`;
    await api('/api/v1/actions', {
      method: 'POST',
      key: KEYS.admin,
      json: { partnerId: 'demo-la', themeId: 'timeliness', heard, did: 'Not yet', when: '2026-11-02' },
    });
    expect(await page('/s/after-visit/thanks')).not.toContain(heard);
  });
});

describe('links with a contact reference', () => {
  it('tell the respondent honestly, on the survey page, that they can be identified if there is a worry', async () => {
    const token = await identifiableLink();
    expect(await page(`/s/after-visit?link=${token}`)).toContain('We will only share who you are if we are worried you are not safe.');
    expect(await page('/s/after-visit?link=demo-home-visit-link')).toContain('We won&#39;t know it&#39;s you.');
  });

  it('send a flagged form post to a thank-you page whose support message is honest too', async () => {
    const token = await identifiableLink();
    const res = await SELF.fetch('http://heard.test/api/v1/surveys/after-visit/responses', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id: crypto.randomUUID(), link: token, 'answer.visit': '1', 'answer.better': 'my dad hits me and i am scared to go home' }),
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toContain('support=1');
    expect(location).toContain('known=1');
    // With a contact reference we may know who they are: the page says so, and never that we don't.
    const thanks = await page(location);
    expect(thanks).toContain('Thank you for telling us. You did the right thing.');
    expect(thanks).toContain('We may share who you are with people whose job is to keep you safe.');
    expect(thanks).not.toContain('see who you are');
    expect(thanks).not.toContain('know who you are');
    // Without one, the honest line is that we don't know who they are.
    const ordinary = await page('/s/after-visit/thanks?support=1');
    expect(ordinary).toContain('We don’t know who you are, so we can’t come and help you ourselves.');
    expect(ordinary).not.toContain('We may share who you are');
  });
});
