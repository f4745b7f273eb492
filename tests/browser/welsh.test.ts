import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNPOST } from '../../src/domain/analysis';
import { axe, heard, launch, scrollsSideways } from './support';

/**
 * Issue 19 in a real browser: a Welsh-speaking child who may have disclosed harm reads the whole
 * thank-you page in Welsh, and yes/no answers echo the question's verb.
 */

let context: BrowserContext;
let close: () => Promise<void>;
beforeAll(async () => ({ context, close } = await launch()));
afterAll(() => close());

/**
 * Common English words that are not also everyday Welsh words (so not "a", "i", "am", "at", "ar").
 * A sentence with two or more of them is English.
 */
const ENGLISH = new Set(
  'the you your to and is are if call any time for free we us our what of this that it in on with can not talk someone danger now thank tell how who was be or do did have been there here please'.split(
    ' ',
  ),
);

/** The sentences of `text` that read as English. */
function englishSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?:])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => (s.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => ENGLISH.has(w)).length >= 2);
}

async function expectAccessible(page: Page, where: string) {
  expect(await axe(page), `axe violations at ${where}`).toEqual([]);
  expect(await scrollsSideways(page), `sideways scroll at ${where}`).toBe(false);
}

describe('Welsh after a possible disclosure', () => {
  it('the detector finds English: the English signpost is all English sentences', () => {
    expect(englishSentences(SIGNPOST.message).length).toBeGreaterThanOrEqual(4);
    expect(englishSentences('Diolch am ddweud wrthon ni. Mae pobl yno i siarad â ti: Childline, Meic.')).toEqual([]);
  });

  for (const width of [320, 1280]) {
    it(`shows a child the thank-you page with no English sentence, Meic beside Childline (${width}px)`, async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${heard()}/s/after-visit?lang=cy`);
      await page.check('#a-visit'); // Gwael iawn
      await page.click('[data-next]');
      // "Wnaeth dy weithiwr cymdeithasol wrando arnat ti?" is answered Do / Naddo, not Ydw / Nac ydw.
      const listened = page.locator('#q-listened .opt');
      await expect.poll(() => listened.allInnerTexts()).toEqual(['Do', 'Naddo', 'Byddai’n well gen i beidio â dweud']);
      await page.check('#a-listened-1');
      await page.click('[data-next]');
      await page.click('[data-next]'); // "Beth oedd yn dda amdano?" left empty
      await page.fill('#a-better', 'my step dad hits me when mum is out and i am scared to go home');
      await page.click('[data-send]');
      await page.waitForURL(/\/s\/after-visit\/thanks\?lang=cy.*support=1/);

      expect(await page.getAttribute('html', 'lang')).toBe('cy');
      expect(await page.locator('body [lang]:not([lang="cy"])').count()).toBe(0);
      const text = await page.locator('body').innerText();
      expect(englishSentences(text)).toEqual([]);
      const signpost = page.locator('[data-signpost]');
      expect(await signpost.locator('h1').innerText()).toBe('Diolch am ddweud wrthon ni. Gwnest ti’r peth iawn.');
      expect(await signpost.innerText()).toContain('Dydyn ni ddim yn gwybod pwy wyt ti');
      const names = await signpost.locator('.contacts strong').allInnerTexts();
      expect(names.indexOf('Meic')).toBe(names.indexOf('Childline') + 1);
      expect(await signpost.locator('a[href="tel:08088023456"]').count()).toBe(1);
      expect(await signpost.locator('a[href="sms:85258"]').count()).toBe(1);
      await expectAccessible(page, `Welsh thank-you page with the signpost (${width}px)`);
      await page.close();
    });
  }
});

describe('Welsh yes/no labels follow the question’s verb', () => {
  it('answers "Fyddech chi’n gwybod…?" with Byddwn / Na fyddwn, and "Fyddet ti…?" the same for 13-17', async () => {
    for (const [age, question] of [
      ['adult', 'Fyddech chi’n gwybod â phwy i gysylltu pe baech chi’n poeni am blentyn?'],
      ['13-17', 'Fyddet ti’n gwybod â phwy i gysylltu pe baet ti’n poeni am blentyn?'],
    ] as const) {
      const page = await context.newPage();
      await page.goto(`${heard()}/s/community-voice?lang=cy&age=${age}`);
      await page.click('[data-next]');
      await page.click('[data-next]');
      await expect.poll(() => page.locator('#h-know-who [data-speak-text]').innerText()).toBe(question);
      expect(await page.locator('#q-know-who .opt').allInnerTexts()).toEqual(['Byddwn', 'Na fyddwn', 'Byddai’n well gen i beidio â dweud']);
      // One register on the page: the interface speaks as the question does.
      expect(await page.locator('.leave-hint').first().innerText()).toBe(age === 'adult' ? 'Neu pwyswch Esc 3 gwaith.' : 'Neu pwysa Esc 3 gwaith.');
      await expectAccessible(page, `community-voice know-who (${age})`);
      await page.close();
    }
  });
});
