/// <reference types="node" />
/**
 * Issue 17 (a child's phone) and issue 13 item 4 (after a disclosure, the child comes first), at
 * 320 × 568 and 375 × 667 with touch, and 1280 × 900 with a mouse. Screenshots of each state go
 * to tests/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch, sql, tabTo } from './support';

const ARTIFACTS = 'tests/artifacts';
mkdirSync(ARTIFACTS, { recursive: true });

const SIZES = [
  { name: '320', viewport: { width: 320, height: 568 }, touch: true },
  { name: '375', viewport: { width: 375, height: 667 }, touch: true },
  { name: '1280', viewport: { width: 1280, height: 900 }, touch: false },
] as const;

const pressAlerts = async () =>
  (await sql<{ n: number }>("SELECT count(*) AS n FROM safeguarding_alerts WHERE category = 'immediate-danger' AND survey_id = 'after-visit'"))[0]!.n;

/** Inside the viewport, top to bottom. */
const inViewport = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const r = document.querySelector(s)!.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;
  }, selector);

async function noViolations(page: Page) {
  expect(await axe(page)).toEqual([]);
}

for (const size of SIZES) {
  describe(`at ${size.viewport.width} × ${size.viewport.height}${size.touch ? ' with touch' : ''}`, () => {
    let context: BrowserContext;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ context, close } = await launch({ viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch }));
    });
    afterAll(async () => close());

    it('keeps Leave quickly and "I’m not safe" on screen at the bottom; Next in the first viewport; the Esc hint only with a mouse', async () => {
      const page = await context.newPage();
      await page.goto(`${heard()}/s/after-visit`);
      await page.screenshot({ path: `${ARTIFACTS}/page-first-screen-${size.name}.png` });
      expect(await inViewport(page, '[data-next]')).toBe(true);
      expect(await inViewport(page, '#a-visit-4')).toBe(true);
      expect(await page.isVisible('.leave-hint')).toBe(!size.touch);
      if (!size.touch) {
        // After the button it is about, in reading order and on screen.
        const [leave, hint] = await Promise.all([page.locator('.leave').boundingBox(), page.locator('.leave-hint').boundingBox()]);
        expect(hint!.y).toBeGreaterThanOrEqual(leave!.y + leave!.height - 1);
      }
      await noViolations(page);
      // The longest screen: the text question, scrolled to the very bottom.
      await page.check('#a-visit-2');
      await page.click('[data-next]');
      await page.check('#a-listened');
      await page.click('[data-next]');
      await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
      expect(await inViewport(page, '.leave')).toBe(true);
      expect(await inViewport(page, '[data-unsafe-button]')).toBe(true);
      // Nothing of the page is hidden under the bar: the bar covers no focusable control.
      const covered = await page.evaluate(() => {
        const bar = document.querySelector('.actions')!.getBoundingClientRect();
        return [...document.querySelectorAll<HTMLElement>('main button:not([hidden]), main textarea')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.height > 0 && r.top < bar.bottom && r.bottom > bar.top && r.top >= 0;
        }).length;
      });
      expect(covered).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}/page-scrolled-bottom-${size.name}.png` });
      await noViolations(page);
      await page.close();
    });

    it('shows Next (Send on the last step) in the first viewport on every step of every demo survey, in English and Welsh', async () => {
      for (const survey of ['after-visit', 'family-rating', 'community-voice']) {
        for (const lang of ['en', 'cy']) {
          const page = await context.newPage();
          await page.goto(`${heard()}/s/${survey}?lang=${lang}`);
          for (let step = 1; ; step++) {
            // As the child sees the step: no scrolling by the test, only what moving on did.
            const seen = await page.evaluate(() => {
              const forward = document.querySelector<HTMLElement>('.nav [data-next]:not([hidden]), .nav [data-send]:not([hidden])')!;
              const heading = document.querySelector('fieldset:not([hidden]) [data-heading]')!.getBoundingClientRect();
              const bar = document.querySelector('.actions')!.getBoundingClientRect();
              const r = forward.getBoundingClientRect();
              const answers = [...document.querySelectorAll('fieldset:not([hidden]) .opt')].at(-1)!.getBoundingClientRect();
              return {
                // The last answer ("I'd rather not say") ends above the buttons, not under them.
                answersFit: answers.bottom <= document.querySelector('.nav')!.getBoundingClientRect().top + 1,
                send: forward.hasAttribute('data-send'),
                next: { top: r.top, bottom: r.bottom, height: r.height },
                // The question itself is not under the sticky Leave bar after moving on.
                headingClear: heading.top >= bar.bottom - 1,
                height: innerHeight,
                sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
              };
            });
            // Before the checks, so a failure leaves its picture.
            await page.screenshot({ path: `${ARTIFACTS}/page-step-${survey}-${lang}-${step}-${size.name}.png` });
            const where = `${survey} (${lang}) step ${step}`;
            expect(seen.next.height, where).toBeGreaterThanOrEqual(24);
            expect(seen.next.top, where).toBeGreaterThanOrEqual(0);
            expect(seen.next.bottom, where).toBeLessThanOrEqual(seen.height);
            expect(seen.headingClear, where).toBe(true);
            expect(seen.sideways, where).toBe(false);
            // The child's survey fits whole at every size; the adults' longer questions (the FFT's six
            // answers and "I'd rather not say") at 1280, while on a phone the buttons stay at the
            // bottom of the screen over the rest, which scrolls.
            if (lang === 'en' && (survey === 'after-visit' || size.name === '1280')) expect(seen.answersFit, where).toBe(true);
            if (seen.send) break;
            const question = page.locator('fieldset[data-q]:not([hidden])');
            const kind = await question.getAttribute('data-kind');
            // "Bad" on a rating, so after-visit's branch question opens and is visited too.
            if (kind === 'text') await question.locator('textarea').fill('It was fine');
            else
              await question
                .locator('input')
                .nth(kind === 'rating' ? 1 : 0)
                .check();
            await page.click('[data-next]');
          }
          await page.close();
        }
      }
    });

    it('says "Question n" with no total, and progress never goes backwards when a branch opens', async () => {
      const page = await context.newPage();
      await page.goto(`${heard()}/s/after-visit`);
      const seen: { n: number; bar: number }[] = [];
      const read = async () => {
        const text = await page.locator('fieldset:not([hidden]) [data-progress]').innerText();
        expect(text).toMatch(/^Question \d+$/);
        const bar = await page.evaluate(() => Number.parseFloat((document.querySelector('[data-bar-fill]') as HTMLElement).style.width));
        seen.push({ n: Number(text.replace(/\D/g, '')), bar });
      };
      await read();
      await page.check('#a-visit-2'); // "Bad" opens "What would have made it better?"
      await page.click('[data-next]');
      await read();
      await page.check('#a-listened');
      await page.click('[data-next]');
      await read();
      await page.click('[data-next]');
      await read();
      expect(seen.map((s) => s.n)).toEqual([1, 2, 3, 4]);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.bar).toBeGreaterThan(seen[i - 1]!.bar);
      await page.screenshot({ path: `${ARTIFACTS}/page-progress-branch-${size.name}.png` });
      await page.close();
    });

    it('the chat has one "Read it to me" per bot turn, faces on rating replies, and one counter', async () => {
      const page = await context.newPage();
      await page.goto(`${heard()}/s/after-visit/chat`);
      await page.waitForSelector('.reply');
      const turns = () => page.locator('#chat-log .speak').count();
      expect(await turns()).toBe(1);
      expect(await page.locator('.reply .face').count()).toBe(5);
      await page.click('.reply >> nth=3');
      await page.waitForSelector('#chat-log .msg.you');
      await page.waitForFunction(() => document.querySelectorAll('#chat-log .speak').length === 2);
      expect(await page.locator('.reply .face').count()).toBe(0);
      expect(await page.locator('[data-count]').count()).toBe(1);
      expect(await page.locator('[aria-live]', { has: page.locator('[data-count]') }).count()).toBe(0);
      expect(await page.getAttribute('[data-count]', 'aria-live')).toBe('polite');
      await page.screenshot({ path: `${ARTIFACTS}/chat-one-read-aloud-${size.name}.png`, fullPage: true });
      await noViolations(page);
      await page.close();
    });

    for (const js of [true, false]) {
      it(`"I’m not safe" ${size.touch ? 'by touch' : 'by keyboard'}, JavaScript ${js ? 'on' : 'off'}: the signpost at once and exactly one alert`, async () => {
        const browser = js
          ? { context, close: async () => {} }
          : await launch({ javaScriptEnabled: false, viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch });
        try {
          const page = await browser.context.newPage();
          // Each test is another child's device: repeats from one address within minutes join one alert.
          await page.setExtraHTTPHeaders({ 'cf-connecting-ip': `203.0.113.${size.viewport.width % 250}${js ? 1 : 2}`.slice(0, 15) });
          await page.goto(`${heard()}/s/after-visit${size.touch ? '/chat' : ''}`);
          const before = await pressAlerts();
          if (size.touch) await page.tap('[data-unsafe-button]');
          else {
            await tabTo(page, '[data-unsafe-button]');
            await page.keyboard.press('Enter');
          }
          await page.waitForSelector('[data-unsafe]');
          expect(await page.locator('h1').innerText()).toBe('You can get help right now');
          const text = await page.locator('[data-unsafe]').innerText();
          for (const needed of [
            '999',
            '0800 1111',
            '85258',
            'We don’t know who you are, so we can’t come and help you ourselves. These people can, right now.',
          ])
            expect(text).toContain(needed);
          expect(await page.isVisible('label[for=unsafe-text]')).toBe(true);
          expect(await pressAlerts()).toBe(before + 1);
          await page.screenshot({ path: `${ARTIFACTS}/unsafe-pressed-${size.name}-js-${js ? 'on' : 'off'}.png` });
          if (js) await noViolations(page);
          // Sent again (a reload re-posts the same press): still one alert.
          await page.reload();
          await page.waitForSelector('[data-unsafe]');
          expect(await pressAlerts()).toBe(before + 1);
          // The one optional question: the words join the same alert.
          await page.fill('#unsafe-text', 'there is shouting at home and I am scared');
          if (size.touch) await page.tap('[data-unsafe-tell] button');
          else {
            await tabTo(page, '[data-unsafe-tell] button');
            await page.keyboard.press('Enter');
          }
          await page.waitForSelector('h1:text("Thank you for telling us. You did the right thing.")');
          expect(await pressAlerts()).toBe(before + 1);
          // Another press from the same device within minutes (a new page, a new press id): still one alert.
          await page.goto(`${heard()}/s/after-visit`);
          await page.click('[data-unsafe-button]');
          await page.waitForSelector('[data-unsafe]');
          expect(await pressAlerts()).toBe(before + 1);
          await page.screenshot({ path: `${ARTIFACTS}/unsafe-told-${size.name}-js-${js ? 'on' : 'off'}.png` });
          if (js) await noViolations(page);
          await page.close();
        } finally {
          await browser.close();
        }
      });
    }
  });
}

describe('after a disclosure in the chat, by keyboard at 320 px', () => {
  let context: BrowserContext;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ context, close } = await launch({ viewport: { width: 320, height: 568 } }));
  });
  afterAll(async () => close());

  it('stops asking, shows the support and the signpost, offers three choices; "Stop here" ends calmly', async () => {
    const page = await context.newPage();
    await page.goto(`${heard()}/s/after-visit/chat`);
    await page.waitForSelector('.reply');
    await tabTo(page, '.reply');
    await page.keyboard.press('Enter'); // "Really bad"
    await page.waitForSelector('.reply[data-value="yes"]');
    await tabTo(page, '.reply[data-value="yes"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#chat-text:focus');
    await page.keyboard.type('my dad hits me when he is angry');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-signpost]');
    await page.waitForSelector('.reply[data-value="carry-on"]');
    expect(await page.locator('.reply').allInnerTexts()).toEqual(['Carry on with the questions', 'Stop here', 'Talk to someone now']);
    expect(await page.isVisible('[data-composer]')).toBe(false);
    expect(await page.locator('#chat-log').innerText()).not.toContain('What would have made it better?');
    await page.screenshot({ path: `${ARTIFACTS}/chat-after-disclosure-320.png`, fullPage: true });
    expect(await axe(page)).toEqual([]);

    await tabTo(page, '.reply[data-value="talk"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-talk] h2:focus');
    expect(await page.locator('[data-talk]').innerText()).toContain('0800 1111');
    await page.screenshot({ path: `${ARTIFACTS}/chat-talk-now-320.png`, fullPage: true });
    expect(await axe(page)).toEqual([]);

    await tabTo(page, '.reply[data-value="stop"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#chat-thanks:text("Thank you for telling us. You did the right thing.")');
    const end = await page.locator('.chat-end').innerText();
    expect(end).toContain('We don’t know who you are'.replace('’', "'"));
    expect(end).toContain('999');
    expect(end).not.toContain('You said');
    await page.screenshot({ path: `${ARTIFACTS}/chat-end-after-disclosure-320.png`, fullPage: true });
    expect(await axe(page)).toEqual([]);
    await page.close();
  });

  it('the thank-you page after a disclosure shows only the signpost and the calm line', async () => {
    const page = await context.newPage();
    await page.goto(`${heard()}/s/after-visit/thanks?lang=en&support=1`);
    expect(await page.locator('h1').innerText()).toBe('Thank you for telling us. You did the right thing.');
    const text = await page.locator('main').innerText();
    expect(text).toContain('We don’t know who you are, so we can’t come and help you ourselves. These people can, right now.');
    expect(text).not.toMatch(/You said|What happens next/);
    await page.screenshot({ path: `${ARTIFACTS}/thanks-after-disclosure-320.png`, fullPage: true });
    expect(await axe(page)).toEqual([]);
    await page.goto(`${heard()}/s/after-visit/thanks?lang=en`);
    expect(await page.locator('main').innerText()).not.toContain('You said: You said');
    await page.screenshot({ path: `${ARTIFACTS}/thanks-you-said-320.png`, fullPage: true });
    await page.close();
  });
});
