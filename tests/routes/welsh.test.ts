import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, seedDemo, submit } from '../helpers';

beforeAll(seedDemo);

/** Issue 19: the Welsh pages speak Welsh after a disclosure, in the register of the reader's age band. */

const DISCLOSURE = 'my step dad hits me when mum is out and i am scared to go home';

describe('the Welsh thank-you page after a possible disclosure', () => {
  it('gives a child the signpost in Welsh with ti, Meic beside Childline, and no English fragment', async () => {
    const html = await (await api('/s/after-visit/thanks?lang=cy&support=1')).text();
    expect(html).toContain('data-signpost');
    // The calm line and the honest one, both with ti; never the chi forms.
    expect(html).toContain('Diolch am ddweud wrthon ni. Gwnest ti’r peth iawn.');
    expect(html).toContain('Dydyn ni ddim yn gwybod pwy wyt ti, felly allwn ni ddim dod i dy helpu di ein hunain.');
    expect(html).not.toMatch(/Gwnaethoch chi|pwy ydych chi/);
    expect(html).toContain('<strong>Meic</strong> <a href="tel:08088023456">080880 23456</a>');
    expect(html).toContain('href="sms:85258"');
    expect(html).not.toContain('lang="en"');
    expect(html).not.toMatch(/not your fault|You can talk to someone|Thank you for telling us|know who you are/);
  });

  it('takes the register from the age band: ti for 13-17 and chi for adults on the same survey', async () => {
    const teen = await (await api('/s/community-voice/thanks?lang=cy&support=1&age=13-17')).text();
    const adult = await (await api('/s/community-voice/thanks?lang=cy&support=1&age=adult')).text();
    expect(teen).toContain('ffonia 999');
    expect(teen).toContain('Neu pwysa Esc 3 gwaith.');
    expect(adult).toContain('ffoniwch 999');
    expect(adult).toContain('Neu pwyswch Esc 3 gwaith.');
  });
});

describe('the signpost in the intake API', () => {
  it('answers a Welsh response in Welsh, in the register of its age band', async () => {
    const teen = await submit('community-voice', { id: crypto.randomUUID(), lang: 'cy', ageBand: '13-17', answers: { more: DISCLOSURE } });
    const teenSignpost = ((await teen.json()) as { signpost: { lang: string; message: string; contacts: { name: string }[] } }).signpost;
    expect(teenSignpost.lang).toBe('cy');
    expect(teenSignpost.message).toContain('ffonia 999');
    expect(teenSignpost.contacts.map((c) => c.name)).toContain('Meic');

    const adult = await submit('community-voice', { id: crypto.randomUUID(), lang: 'cy', ageBand: 'adult', answers: { more: DISCLOSURE } });
    expect(((await adult.json()) as { signpost: { message: string } }).signpost.message).toContain('ffoniwch 999');
  });

  it('sends a Welsh form post to a thank-you page that keeps the age band, so the register holds', async () => {
    const form = new URLSearchParams({ id: crypto.randomUUID(), lang: 'cy', ageBand: '13-17', 'answer.more': DISCLOSURE });
    const posted = await SELF.fetch('http://heard.test/api/v1/surveys/community-voice/responses', {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/s/community-voice/thanks?lang=cy&age=13-17&support=1');
  });
});

describe('the Welsh survey page', () => {
  it('labels yes/no with the answer the question’s verb takes', async () => {
    const child = await (await api('/s/after-visit?lang=cy')).text();
    const label = (value: string, text: string) => new RegExp(`name="answer\\.[a-z-]+" value="${value}"/><span data-speak-text="true">${text}</span>`);
    expect(child).toMatch(label('yes', 'Do'));
    expect(child).toMatch(label('no', 'Naddo'));
    const adult = await (await api('/s/community-voice?lang=cy&age=adult')).text();
    expect(adult).toMatch(label('yes', 'Byddwn'));
    expect(adult).toMatch(label('no', 'Na fyddwn'));
    expect(adult).not.toContain('>Ydw<');
  });
});
