import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch, responseId, scrollsSideways, sql, tabTo } from './support';

let context: BrowserContext;
let close: () => Promise<void>;
beforeAll(async () => ({ context, close } = await launch()));
afterAll(() => close());

async function open(path: string, width: number): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 800 });
  await page.goto(`${heard()}${path}`);
  return page;
}

/** Each check: zero axe violations and no sideways scrolling, at this step. */
async function expectAccessible(page: Page, where: string) {
  expect(await axe(page), `axe violations at ${where}`).toEqual([]);
  expect(await scrollsSideways(page), `sideways scroll at ${where}`).toBe(false);
}

const heading = (page: Page) => page.locator('fieldset.q:not([hidden]) h2').innerText();

describe('survey page in a real browser (axe, WCAG 2.2 A/AA)', () => {
  for (const lang of ['en', 'cy'] as const) {
    for (const width of [320, 1280]) {
      it(`has no violations on every step, the error state and the thank-you page (${lang}, ${width}px)`, async () => {
        const page = await open(`/s/after-visit?lang=${lang}`, width);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await page.title()).toBe(lang === 'cy' ? 'Adborth' : 'Feedback');
        await expect.poll(() => heading(page)).toMatch(lang === 'cy' ? /^Cwestiwn 1\n/ : /^Question 1\n/);
        await expectAccessible(page, 'question 1');
        if (width === 320 && lang === 'en') {
          mkdirSync('tests/artifacts', { recursive: true });
          await page.screenshot({ path: 'tests/artifacts/survey-320.png', fullPage: true });
        }
        if (width === 1280 && lang === 'en') await page.screenshot({ path: 'tests/artifacts/survey-1280.png', fullPage: true });

        // "Question 2" with no total: "Bad" opens the branch question, and nothing changes under the child.
        await page.locator('fieldset.q:not([hidden]) label.opt').nth(1).click();
        await page.click('[data-next]');
        await expect.poll(() => heading(page)).toMatch(lang === 'cy' ? /^Cwestiwn 2\n/ : /^Question 2\n/);
        await expectAccessible(page, 'question 2');

        await page.locator('fieldset.q:not([hidden]) label.opt').first().click();
        await page.click('[data-next]');
        await expect.poll(() => heading(page)).toMatch(/^\D+ 3\n/);
        await expectAccessible(page, 'question 3 (free text)');

        // Error state: too long. The error is beside the field, linked, and the summary takes focus.
        await page.fill('#a-good', 'a'.repeat(1001));
        await page.click('[data-next]');
        await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('error-summary');
        expect(await page.getAttribute('#a-good', 'aria-describedby')).toContain('err-good');
        expect(await page.getAttribute('#a-good', 'aria-invalid')).toBe('true');
        await expectAccessible(page, 'error state');
        await page.click('.error-summary a');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('a-good');

        await page.fill('#a-good', 'They listened.');
        await page.click('[data-next]');
        await expect.poll(() => heading(page)).toMatch(/^\D+ 4\n/);
        expect(await page.locator('.error-summary').count()).toBe(0);
        await expectAccessible(page, 'question 4 (branch)');

        await page.click('[data-send]');
        await page.waitForURL(/\/s\/after-visit\/thanks/);
        await expectAccessible(page, 'thank-you page');
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await page.close();
      });
    }
  }

  it('puts a face, its words and a real radio in every rating answer, each at least 44×44 px, with nothing pre-selected', async () => {
    const page = await open('/s/after-visit', 320);
    const options = page.locator('#q-visit label.opt');
    expect(await options.count()).toBe(6); // five faces and "I'd rather not say"
    for (let i = 0; i < 6; i++) {
      const option = options.nth(i);
      const box = (await option.boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(44);
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect((await option.innerText()).trim().length).toBeGreaterThan(1);
      expect(await option.locator('input[type=radio]').count()).toBe(1);
    }
    expect(await options.nth(5).innerText()).toContain('I’d rather not say');
    expect(await page.locator('input:checked').count()).toBe(0);
    await page.close();
  });

  it('shows the privacy line before the free-text box and the safety line on every screen', async () => {
    const page = await open('/s/after-visit', 1280);
    const order = await page.evaluate(() => {
      const privacy = document.querySelector('#privacy-good')!;
      const box = document.querySelector('#a-good')!;
      return privacy.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    expect(await page.locator('#privacy-good').innerText()).toBe("We won't know it's you. We can't reply to you here.");
    expect(await page.locator('.safety').innerText()).toBe('If you are in danger now, call 999. You can talk to Childline any time: 0800 1111 (free).');
    expect(await page.locator('.safety').isVisible()).toBe(true);
    await page.close();
  });

  it('offers "Read it to me" where the browser can speak, and hides it where it cannot', async () => {
    const page = await open('/s/after-visit', 1280);
    expect(await page.locator('fieldset.q:not([hidden]) [data-speak]').isVisible()).toBe(true);
    const mute = await context.newPage();
    await mute.addInitScript(() => delete (window as { speechSynthesis?: unknown }).speechSynthesis);
    await mute.goto(`${heard()}/s/after-visit`);
    await expect.poll(() => mute.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);
    expect(await mute.locator('[data-speak]:not([hidden])').count()).toBe(0);
    await Promise.all([page.close(), mute.close()]);
  });

  it('can be completed with the keyboard alone, and the response is stored exactly once', async () => {
    const page = await open('/s/after-visit?link=demo-home-visit-link', 1280);
    const id = await responseId(page);
    await tabTo(page, '#a-visit');
    await page.keyboard.press('Space'); // Really bad
    await page.keyboard.press('ArrowDown'); // Bad
    await tabTo(page, '[data-next]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('h-listened');

    await tabTo(page, '#a-listened');
    await page.keyboard.press('Space'); // Yes
    await tabTo(page, '[data-next]');
    await page.keyboard.press('Space');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('h-good');
    await tabTo(page, '#a-good');
    await page.keyboard.type('She listened to me.');

    // Back to check an answer, then forward again: nothing is lost, no history entries are made.
    await tabTo(page, '[data-back]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('h-listened');
    expect(await page.isChecked('#a-listened')).toBe(true);
    await tabTo(page, '[data-next]');
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-back]', { back: true });
    await tabTo(page, '#a-good', { back: true });
    expect(await page.inputValue('#a-good')).toBe('She listened to me.');
    await tabTo(page, '[data-next]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('h-better');
    expect(await page.evaluate(() => history.length)).toBe(2); // about:blank, then the survey

    await tabTo(page, '#a-better');
    await page.keyboard.type('More time.');
    await tabTo(page, '[data-send]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/thanks/);

    const rows = await sql<{ rating: number; answers: string; link_id: string; lang: string }>(
      'SELECT rating, answers, link_id, lang FROM responses WHERE id = ?1',
      id,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rating: 2, link_id: '00000000-0000-4000-8000-0000000000f1', lang: 'en' });
    expect(Object.keys(JSON.parse(rows[0]!.answers)).sort()).toEqual(['better', 'good', 'listened', 'visit']);
    await page.close();
  });

  it('skips a branch question when its condition is not met', async () => {
    const page = await open('/s/after-visit', 1280);
    const id = await responseId(page);
    await page.check('#a-visit-4'); // Really good: "What would have made it better?" is not asked
    await page.click('[data-next]');
    await page.check('#a-listened-skip');
    await page.click('[data-next]');
    await expect.poll(() => heading(page)).toMatch(/^Question 3\n/);
    expect(await page.isVisible('[data-send]')).toBe(true);
    expect(await page.isVisible('[data-next]')).toBe(false);
    await page.click('[data-send]');
    await page.waitForURL(/\/thanks/);
    const [row] = await sql<{ answers: string }>('SELECT answers FROM responses WHERE id = ?1', id);
    expect(JSON.parse(row!.answers)).toEqual({ visit: 5, listened: null });
    await page.close();
  });
});

describe('the axe harness itself', () => {
  it('reports a real violation, so a clean run means something', async () => {
    const page = await open('/s/after-visit', 1280);
    await page.evaluate(() => {
      const input = document.createElement('input'); // no label
      document.querySelector('main')!.appendChild(input);
    });
    expect((await axe(page)).map((v) => v.id)).toContain('label');
    await page.close();
  });
});
