/// <reference types="node" />
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch, scrollsSideways, sql, tabTo } from './support';

let context: BrowserContext;
let close: () => Promise<void>;
/** A partner's page on another origin (localhost, not 127.0.0.1) with the one-line embed. */
let host: Server;
let hostOrigin: string;

beforeAll(async () => {
  ({ context, close } = await launch());
  host = createServer((req, res) => {
    const attrs = new URL(req.url ?? '/', 'http://x').searchParams.get('attrs') ?? '';
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner page</title></head>` +
          `<body><main><h1>Our service</h1><script src="${heard()}/widget.js" ${attrs} async></script></main></body></html>`,
      );
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await close();
  host.close();
});

async function open(path: string, width = 1280): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 800 });
  await page.goto(`${heard()}${path}`);
  return page;
}

type Where = Page | Frame;
/** The question the bot asked last. */
const lastQuestion = (p: Where) => p.evaluate(() => [...document.querySelectorAll('.msg.question p')].at(-1)?.textContent ?? '');
/** The focused element's id, else its text; '' when nothing is focused. */
const focused = (p: Where) =>
  p.evaluate(() => {
    const el = document.activeElement;
    return !el || el === document.body ? '' : el.id || el.textContent || '';
  });
/** The log as text, one message a line (the "You:" before your own lines is for screen readers). */
const logText = (p: Where) => p.evaluate(() => [...document.querySelectorAll('[role=log] .msg')].map((m) => m.textContent).join('\n'));
const saved = (page: Page) => page.evaluate(() => Object.fromEntries(Object.entries(sessionStorage)));

/** Waits for the bot to ask `question` and for focus to land where the next answer goes. */
async function asked(p: Where, question: string, focus: string) {
  await expect.poll(() => lastQuestion(p)).toBe(question);
  await expect.poll(() => focused(p)).toBe(focus);
}

async function expectAccessible(page: Page, where: string) {
  expect(await axe(page), `axe violations at ${where}`).toEqual([]);
  expect(await scrollsSideways(page), `sideways scroll at ${where}`).toBe(false);
}

describe('the survey as a chat in a real browser', () => {
  for (const width of [1280, 320]) {
    it(`can be completed by keyboard alone with no axe violations at any step, and is stored once (${width}px)`, async () => {
      const page = await open('/s/after-visit/chat?link=demo-home-visit-link', width);
      // On arrival focus is left alone (the intro is read first); the first reply is a Tab away.
      await asked(page, 'How did the visit from your social worker go?', '');
      expect(await page.locator('.msg.intro').innerText()).toContain('Your social worker came to see you.');
      expect(await page.locator('[data-nojs]').isVisible()).toBe(false);
      await expectAccessible(page, 'question 1');
      const stored = await saved(page);
      const key = 'heard:chat:after-visit:en';
      expect(Object.keys(stored)).toEqual([key]);
      const { conversationId, resumeToken } = JSON.parse(stored[key]!) as { conversationId: string; resumeToken: string };
      expect(Object.keys(JSON.parse(stored[key]!)).sort()).toEqual(['conversationId', 'resumeToken']); // nothing else, no answers
      expect(resumeToken).toMatch(/^hr_/);

      // Quick replies are real buttons in a group named by the question.
      await tabTo(page, '.reply');
      expect(await page.evaluate(() => document.activeElement?.closest('[role=group]')?.getAttribute('aria-labelledby'))).toMatch(/^msg-\d+ chat-choose$/);
      await page.keyboard.press('Tab'); // "Bad"
      await page.keyboard.press('Enter');
      await asked(page, 'Did your social worker listen to you?', 'Yes');
      expect(await logText(page)).toContain('You: Bad');
      await expectAccessible(page, 'question 2');

      // Typed text where quick replies are offered is understood.
      await tabTo(page, '#chat-text');
      await page.keyboard.type('yeah');
      await page.keyboard.press('Enter');
      await asked(page, 'What was good about it?', 'chat-text');
      expect(await logText(page)).toContain('Got it: Yes.');
      expect(await page.locator('[data-text-label]').innerText()).toBe('Type your answer');
      await expectAccessible(page, 'question 3 (free text)');

      // Back changes the previous answer.
      await tabTo(page, '[data-back]');
      await page.keyboard.press('Space');
      await asked(page, 'Did your social worker listen to you?', 'Yes');
      expect(await logText(page)).toContain("OK, let's go back.");
      await page.keyboard.press('Space'); // Yes
      await asked(page, 'What was good about it?', 'chat-text');

      // The one counter says the limit in words a child knows; nothing moves focus while typing.
      await page.keyboard.type('She listened to me.');
      await expect.poll(() => page.locator('#chat-count').innerText()).toBe('You can write a lot: about 150 words.');
      await tabTo(page, '.composer .primary');
      await page.keyboard.press('Enter');
      await asked(page, 'What would have made it better?', 'chat-text');
      await expectAccessible(page, 'question 4 (branch)');
      mkdirSync('tests/artifacts', { recursive: true });
      await page.screenshot({ path: `tests/artifacts/chat-${width}.png`, fullPage: true });

      await page.keyboard.type('More time.');
      await page.keyboard.press('Enter');
      await expect.poll(() => focused(page)).toBe('chat-thanks');
      expect(await page.locator('.chat-end h2').innerText()).toBe('Thank you for telling us.');
      expect(await page.locator('.chat-end').innerText()).toContain('What happens next');
      expect(await page.isVisible('[data-composer]')).toBe(false);
      expect(
        await page
          .locator('.reply')
          .isVisible()
          .catch(() => false),
      ).toBe(false);
      expect(await saved(page)).toEqual({}); // nothing of the chat left on the device
      await expectAccessible(page, 'the end');

      const rows = await sql<{ rating: number; answers: string; link_id: string; lang: string }>(
        'SELECT rating, answers, link_id, lang FROM responses WHERE id = ?1',
        conversationId,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ rating: 2, link_id: '00000000-0000-4000-8000-0000000000f1', lang: 'en' });
      expect(JSON.parse(rows[0]!.answers)).toEqual({ visit: 2, listened: 'yes', good: 'She listened to me.', better: 'More time.' });
      await page.close();
    });
  }

  it('has no violations in Welsh at 320 px, with Heard’s words in Welsh', async () => {
    const page = await open('/s/after-visit/chat?lang=cy', 320);
    await asked(page, 'Sut aeth hi pan ddaeth dy weithiwr cymdeithasol i dy weld?', '');
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    expect(await page.locator('#chat-choose').innerText()).toBe('Dewisa ateb');
    await expectAccessible(page, 'Welsh question 1');
    await page.close();
  });

  it('resumes after a reload: the transcript comes back from the server and the chat carries on', async () => {
    const page = await open('/s/after-visit/chat');
    await asked(page, 'How did the visit from your social worker go?', '');
    await page.locator('.reply', { hasText: /^Good$/ }).click();
    await asked(page, 'Did your social worker listen to you?', 'Yes');

    const resumed = page.waitForRequest((r) => r.method() === 'GET' && r.url().includes('/api/v1/conversations/'));
    await page.reload();
    expect((await resumed).headers()['x-resume-token']).toMatch(/^hr_/);
    await expect.poll(() => logText(page)).toContain('You: Good');
    const log = await logText(page);
    expect(log.indexOf('Your social worker came to see you.')).toBeLessThan(log.indexOf('You: Good'));
    expect(log.indexOf('You: Good')).toBeLessThan(log.indexOf('Did your social worker listen to you?'));
    expect(await page.locator('.reply').first().innerText()).toBe('Yes');
    await expectAccessible(page, 'resumed');

    await page.locator('.reply', { hasText: /^No$/ }).click();
    await asked(page, 'What was good about it?', 'chat-text');
    await page.close();
  });

  it('retries a reply whose answer was lost, and shows the conversation as the server has it (no duplicate)', async () => {
    const page = await open('/s/after-visit/chat');
    await asked(page, 'How did the visit from your social worker go?', '');
    // The reply reaches the server but its answer never comes back.
    let lost = 0;
    await page.route('**/replies', async (route) => {
      await route.fetch();
      lost++;
      await route.abort('internetdisconnected');
    });
    await page.locator('.reply', { hasText: /^Really good$/ }).click();
    await expect.poll(() => page.locator('[data-status]').innerText()).toContain('We couldn’t send that yet.');
    expect(await page.isVisible('[data-retry]')).toBe(true);
    expect(lost).toBe(1);
    await page.unroute('**/replies');
    await page.click('[data-retry]');
    await asked(page, 'Did your social worker listen to you?', 'Yes');
    expect(await page.locator('[data-status]').innerText()).toBe('');
    expect((await logText(page)).match(/You: Really good/g)).toHaveLength(1);
    await page.close();
  });

  it('answers a 409 (another reply got there first) by showing the conversation as the server has it', async () => {
    const page = await open('/s/after-visit/chat');
    await asked(page, 'How did the visit from your social worker go?', '');
    await page.route('**/replies', async (route) => {
      await route.fetch(); // the reply is saved…
      await route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'reply_conflict', message: 'x' } }) });
    });
    await page.locator('.reply', { hasText: /^Good$/ }).click();
    await asked(page, 'Did your social worker listen to you?', 'Yes'); // …and the GET shows it
    expect((await logText(page)).match(/You: Good/g)).toHaveLength(1);
    await page.close();
  });

  it('ends with thank-you, what happens next and "you said, we did", as headings and a list', async () => {
    const page = await open('/s/after-visit/chat');
    await asked(page, 'How did the visit from your social worker go?', '');
    const end = {
      type: 'end',
      thankYou: 'Thank you for telling us.',
      whatNext: 'We read it every month.',
      youSaidWeDid: [
        { heard: 'visits were rushed', did: 'we made them longer', lang: 'en' },
        // Words in another language than the chat's are marked with it (on a Welsh chat: English with no Welsh yet).
        { heard: 'roedd yr ystafell yn oer', did: 'trwsion ni’r gwres', lang: 'cy' },
      ],
    };
    await page.route('**/replies', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ step: { ...end, messages: [{ text: end.thankYou, kind: 'end' }] } }),
      }),
    );
    await page.locator('.reply', { hasText: /^Good$/ }).click();
    await expect.poll(() => focused(page)).toBe('chat-thanks');
    expect(await page.locator('.chat-end h3').allInnerTexts()).toEqual(['What happens next', 'You said, we did']);
    expect(await page.locator('.chat-end li p').allInnerTexts()).toEqual([
      'You said: visits were rushed',
      'We did: we made them longer',
      'You said: roedd yr ystafell yn oer',
      'We did: trwsion ni’r gwres',
    ]);
    expect(await page.locator('.chat-end li span[lang]').allInnerTexts()).toEqual(['roedd yr ystafell yn oer', 'trwsion ni’r gwres']);
    expect(await logText(page)).not.toContain('Thank you for telling us.'); // said once, in the end section
    await expectAccessible(page, 'the end with you said, we did');
    await page.close();
  });

  it('puts the supportive words first, styled apart, with the numbers to call, when a reply may be a disclosure', async () => {
    const page = await open('/s/after-visit/chat');
    await asked(page, 'How did the visit from your social worker go?', '');
    await page.locator('.reply', { hasText: /^Really good$/ }).click();
    await asked(page, 'Did your social worker listen to you?', 'Yes');
    await page.locator('.reply', { hasText: 'Yes' }).click();
    await asked(page, 'What was good about it?', 'chat-text');
    await page.keyboard.type('my dad hits me when he is angry');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.msg.support').count()).toBe(1);
    const turn = await page.evaluate(() => [...document.querySelectorAll('.msg')].slice(-2).map((m) => m.className));
    expect(turn[0]).toBe('msg bot support');
    expect(turn[1]).toBe('msg signpost');
    expect(await page.locator('.msg.signpost a[href="tel:08001111"]').count()).toBe(1);
    const border = await page.locator('.msg.support').evaluate((el) => getComputedStyle(el).borderTopWidth);
    expect(border).toBe('3px');
    await expectAccessible(page, 'support and signpost');
    await page.close();
  });

  it('offers one "Read it to me" per bot turn where the browser can speak, and hides it where it cannot', async () => {
    const page = await open('/s/after-visit/chat');
    await asked(page, 'How did the visit from your social worker go?', '');
    expect(await page.locator('.msg.bot').count()).toBe(3);
    expect(await page.locator('#chat-log .speak').count()).toBe(1);
    const mute = await context.newPage();
    await mute.addInitScript(() => delete (window as { speechSynthesis?: unknown }).speechSynthesis);
    await mute.goto(`${heard()}/s/after-visit/chat`);
    await asked(mute, 'How did the visit from your social worker go?', '');
    expect(await mute.locator('.speak').count()).toBe(0);
    await Promise.all([page.close(), mute.close()]);
  });

  it('shows the typing dots only when motion is welcome, and never to screen readers', async () => {
    const page = await context.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    let release = () => {};
    await page.route('**/conversations', async (route) => {
      await new Promise<void>((r) => (release = r));
      await route.continue();
    });
    await page.goto(`${heard()}/s/after-visit/chat`);
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);
    expect(await page.isVisible('[data-typing]')).toBe(false);
    release();
    await asked(page, 'How did the visit from your social worker go?', '');

    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await page.route('**/replies', async (route) => {
      await new Promise<void>((r) => (release = r));
      await route.continue();
    });
    await page.locator('.reply', { hasText: /^OK$/ }).click();
    await expect.poll(() => page.isVisible('[data-typing]')).toBe(true);
    expect(await page.getAttribute('[data-typing]', 'aria-hidden')).toBe('true');
    expect(await page.evaluate(() => !!document.querySelector('[data-typing]')!.closest('[role=log]'))).toBe(false);
    release();
    await asked(page, 'Did your social worker listen to you?', 'Yes');
    expect(await page.isVisible('[data-typing]')).toBe(false);
    await page.close();
  });

  it('Leave quickly clears sessionStorage and replaces the page', async () => {
    const leaveTo = `${heard()}/healthz`; // same origin as Heard, so the test can look at its storage
    const page = await open(`/s/after-visit/chat?leave=${encodeURIComponent(leaveTo)}`);
    await asked(page, 'How did the visit from your social worker go?', '');
    expect(Object.keys(await saved(page))).toEqual(['heard:chat:after-visit:en']);
    await tabTo(page, '.leave', { back: true });
    await page.keyboard.press('Enter');
    await page.waitForURL(leaveTo);
    expect(await saved(page)).toEqual({});
    expect(await page.evaluate(() => history.length)).toBe(2); // about:blank, then the neutral page: the chat is not in history
    await page.close();
  });
});

describe('the chat without JavaScript', () => {
  it('says so and links to the same survey as a form, which works', async () => {
    const noJs = await launch({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${heard()}/s/after-visit/chat?lang=cy&embed=1`);
      expect(await page.isVisible('[data-nojs]')).toBe(true);
      expect(await page.isVisible('[data-chat]')).toBe(false);
      expect(await page.isVisible('.safety')).toBe(true);
      await page.click('[data-form-link]');
      await page.waitForURL(/\/s\/after-visit\?embed=1&lang=cy$/);
      expect(await page.isVisible('form[data-survey-form] #a-visit')).toBe(true);
    } finally {
      await noJs.close();
    }
  });

  it('looks the same, with no axe violations, when the chat script fails to load', async () => {
    const page = await context.newPage(); // axe needs script, so block only the chat's
    await page.route('**/assets/chat.*.js', (route) => route.abort());
    await page.goto(`${heard()}/s/after-visit/chat`);
    expect(await page.isVisible('[data-nojs]')).toBe(true);
    expect(await page.isVisible('[data-chat]')).toBe(false);
    expect(await page.getAttribute('[data-form-link]', 'href')).toBe('/s/after-visit?lang=en');
    expect(await axe(page)).toEqual([]);
    await page.close();
  });
});

describe('data-mode="chat" in the embed loader', () => {
  async function chatFrame(page: Page): Promise<Frame> {
    await expect.poll(() => page.frames().some((f) => f.url().includes('/s/after-visit/chat'))).toBe(true);
    const frame = page.frames().find((f) => f.url().includes('/s/after-visit/chat'))!;
    await frame.waitForSelector('.reply');
    return frame;
  }

  it('opens the chat in the same accessible dialog, and it can be answered there', async () => {
    const page = await context.newPage();
    await page.goto(`${hostOrigin}/?attrs=${encodeURIComponent('data-survey="after-visit" data-mode="chat"')}`);
    const button = page.locator('button', { hasText: 'Tell us how it went' });
    await button.click();
    expect(await page.locator('dialog[open]').getAttribute('aria-label')).toBe('Tell us how it went');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('IFRAME');
    const frame = await chatFrame(page);
    expect(frame.url()).toContain('/s/after-visit/chat?embed=1');
    expect(await axe(page)).toEqual([]);
    expect(await axe(frame)).toEqual([]);
    await frame.locator('.reply', { hasText: /^Good$/ }).click();
    await expect.poll(() => lastQuestion(frame)).toBe('Did your social worker listen to you?');
    await frame.locator('h1').click();
    await page.keyboard.press('Escape'); // inside the chat, Esc closes the dialog
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Tell us how it went');
    await page.close();
  });

  it('renders the chat in an inline card with data-inline', async () => {
    const page = await context.newPage();
    await page.goto(`${hostOrigin}/?attrs=${encodeURIComponent('data-survey="after-visit" data-mode="chat" data-inline')}`);
    const frame = await chatFrame(page);
    expect(await page.locator('dialog').count()).toBe(0);
    expect(await axe(frame)).toEqual([]);
    await page.close();
  });
});
