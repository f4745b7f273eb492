/// <reference types="node" />
import { mkdirSync } from 'node:fs';
import jsQR from 'jsqr';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch, scrollsSideways, tabTo } from './support';

/** The workspace by keyboard, as a new partnership admin or practice lead would use it. */

let context: BrowserContext;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ context, close } = await launch());
  mkdirSync('tests/artifacts', { recursive: true });
});
afterAll(() => close());

async function signIn(page: Page, key: string) {
  await context.clearCookies();
  await page.goto(`${heard()}/dashboard/sign-in`);
  await tabTo(page, '#key');
  await page.keyboard.type(key);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/dashboard/sign-in'), page.keyboard.press('Enter')]);
}

const expectNoViolations = async (page: Page, widths = [1280, 320]) => {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    const violations = await axe(page);
    expect(violations, `axe at ${width}px on ${page.url()}: ${JSON.stringify(violations)}`).toEqual([]);
    expect(await scrollsSideways(page), `sideways scroll at ${width}px on ${page.url()}`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
};

/** Follows a nav link by keyboard: Tab to it, Enter. */
async function openSection(page: Page, href: string) {
  await tabTo(page, `nav.sections a[href="${href}"]`, { max: 40 });
  await Promise.all([page.waitForURL((url) => url.pathname === href), page.keyboard.press('Enter')]);
}

/** Reads the QR code as a camera would: a screenshot of the printed card's code, decoded by jsQR. */
async function decodeQr(page: Page): Promise<string | null> {
  const png = await page.locator('.print-card .card-qr svg').screenshot();
  // Decode the PNG in a blank tab (no page CSP there), then hand the pixels to jsQR.
  const blank = await context.newPage();
  const { data, width, height } = await blank.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return { data: Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data), width: canvas.width, height: canvas.height };
  }, png.toString('base64'));
  await blank.close();
  return jsQR(Uint8ClampedArray.from(data), width, height)?.data ?? null;
}

describe('workspace in a browser', () => {
  it('a practice lead makes a feedback link by keyboard, prints its card (the QR decodes to the link) and the link opens the survey', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-police-lead-key');
    await openSection(page, '/dashboard/links');
    expect(new URL(page.url()).pathname).toBe('/dashboard/links');
    await expectNoViolations(page);
    await page.screenshot({ path: 'tests/artifacts/workspace-links-1280.png', fullPage: true });

    await tabTo(page, '#l-survey');
    await page.keyboard.press('End'); // the last survey in the list
    await tabTo(page, '#l-service');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, '#l-use-single');
    await page.keyboard.press('ArrowDown'); // many people
    await tabTo(page, '#l-days');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('30');
    await tabTo(page, 'form[action="/dashboard/links"] button[type=submit]');
    // The form posts to the page it is on, so the URL alone can't say the answer has arrived: wait for it.
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/dashboard/links')), page.keyboard.press('Enter')]);
    await page.locator('h1', { hasText: 'Your link is ready' }).waitFor();
    expect(await page.locator('h1').textContent()).toBe('Your link is ready');
    await expectNoViolations(page);

    const shortUrl = await page.inputValue('#short-url');
    expect(shortUrl).toMatch(new RegExp(`^${heard()}/l/[A-Za-z0-9_-]{20,}$`));
    expect(await decodeQr(page)).toBe(shortUrl);
    const sms = await page.locator('a[href^="sms:"]').first().getAttribute('href');
    expect(decodeURIComponent(sms!)).toContain(shortUrl);

    // Printed: the card alone, on an A6 page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.print-card').isVisible()).toBe(true);
    expect(await page.locator('header.bar').isVisible()).toBe(false);
    expect(await page.locator('h1').isVisible()).toBe(false);
    expect(await page.locator('.print-card [lang=cy]', { hasText: 'Mae’n ddienw' }).isVisible()).toBe(true);
    await page.locator('.print-card').screenshot({ path: 'tests/artifacts/workspace-card.png' });
    const pdf = await page.pdf({ preferCSSPageSize: true });
    // A6 is 105 x 148 mm: about 298 x 420 points in the PDF's MediaBox, on one page.
    expect(pdf.toString('latin1').match(/MediaBox \[[^\]]*\]/g)).toEqual(['MediaBox [0 0 298.07999 420]']);
    await page.emulateMedia({ media: 'screen' });

    // The card's address, typed into a phone: the survey page, attributed to the link.
    const survey = await context.newPage();
    await survey.goto(shortUrl);
    expect(new URL(survey.url()).pathname).toBe('/s/family-rating');
    expect(new URL(survey.url()).searchParams.get('link')).toBe(shortUrl.split('/l/')[1]);
    await survey.close();

    // Back on the list, revoke it by keyboard.
    await page.goto(`${heard()}/dashboard/links`);
    await tabTo(page, 'form.inline button[aria-label^="Revoke"]', { max: 60 });
    await Promise.all([page.waitForURL(/revoked=1/), page.keyboard.press('Enter')]);
    expect(await page.locator('[role=status]').textContent()).toContain('revoked');
    await expectNoViolations(page, [320]);
    await page.close();
  });

  it('an admin runs the partnership by keyboard: keys, partners, settings, themes and a feed, every page axe-clean at 320 and 1280 px', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-admin-key');

    await openSection(page, '/dashboard/keys');
    await expectNoViolations(page);
    await tabTo(page, '#k-label', { max: 80 });
    await page.keyboard.type('Browser test scrutineer');
    await tabTo(page, '#k-role');
    await page.keyboard.press('End');
    await tabTo(page, 'form[action="/dashboard/keys"] button[type=submit]');
    await Promise.all([page.waitForLoadState('load'), page.waitForURL(/\/dashboard\/keys$/), page.keyboard.press('Enter')]);
    expect(await page.inputValue('#secret')).toMatch(/^hk_/);
    await expectNoViolations(page);
    await page.screenshot({ path: 'tests/artifacts/workspace-keys-1280.png', fullPage: true });

    await openSection(page, '/dashboard/partners');
    await expectNoViolations(page);
    await openSection(page, '/dashboard/settings');
    await expectNoViolations(page);
    await page.screenshot({ path: 'tests/artifacts/workspace-settings-1280.png', fullPage: true });
    await openSection(page, '/dashboard/themes');
    await expectNoViolations(page);

    await openSection(page, '/dashboard/feeds');
    await expectNoViolations(page);
    await tabTo(page, '#f-label', { max: 80 });
    await page.keyboard.type('Partnership board Teams channel');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#feed-atom');
    await expectNoViolations(page);
    await page.screenshot({ path: 'tests/artifacts/workspace-feeds-1280.png', fullPage: true });
    const atom = await page.inputValue('#feed-atom');
    const feed = await fetch(atom);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('<feed');
    await page.close();
  });

  it('a practice lead creates a survey from a template by keyboard, adds Welsh, previews it, publishes it and links to it', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-police-lead-key');
    await openSection(page, '/dashboard/surveys');
    await expectNoViolations(page);
    await page.screenshot({ path: 'tests/artifacts/workspace-surveys-1280.png', fullPage: true });

    await tabTo(page, '#sv-template-0', { max: 60 }); // "After a visit (children)", already chosen
    await tabTo(page, '#sv-title');
    await page.keyboard.type('After a police visit');
    await tabTo(page, '#sv-id');
    await page.keyboard.press('End');
    await page.keyboard.type('police-child-visit');
    await tabTo(page, 'form[action="/dashboard/surveys"] button[type=submit]');
    await Promise.all([page.waitForURL(/created=1/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('After a police visit');
    await expectNoViolations(page);

    // Offer it in Welsh: tick the box by keyboard, then the Welsh wording beside each English one.
    await tabTo(page, '#welsh', { max: 60 });
    await page.keyboard.press('Space');
    for (const field of await page.locator('textarea[lang=cy]').all()) {
      const english = await page.inputValue(`textarea[name="${(await field.getAttribute('name'))!.replace(/\.cy$/, '.en')}"]`);
      await field.fill(`(cy) ${english}`);
    }
    await tabTo(page, 'form.stack button[value=save]', { max: 200 });
    await Promise.all([page.waitForURL(/saved=1/), page.keyboard.press('Enter')]);
    await page.screenshot({ path: 'tests/artifacts/workspace-survey-editor-1280.png', fullPage: true });

    // Preview in Welsh: the draft as a phone shows it, unable to send.
    const preview = await context.newPage();
    await preview.setViewportSize({ width: 360, height: 800 });
    await preview.goto(`${heard()}/dashboard/surveys/demo-police-child-visit/preview?lang=cy`);
    expect(await preview.locator('html').getAttribute('lang')).toBe('cy');
    expect(await preview.textContent('body')).toContain('(cy) After a police visit');
    await preview.screenshot({ path: 'tests/artifacts/workspace-preview-cy-360.png', fullPage: true });
    await preview.close();

    await tabTo(page, 'form[action$="/publish"] button', { max: 40 });
    await Promise.all([page.waitForURL(/published=1/), page.keyboard.press('Enter')]);
    const live = await fetch(`${heard()}/s/demo-police-child-visit?lang=cy`);
    expect(live.status).toBe(200);

    await openSection(page, '/dashboard/links');
    await tabTo(page, '#l-survey');
    await page.selectOption('#l-survey', 'demo-police-child-visit');
    await tabTo(page, 'form[action="/dashboard/links"] button[type=submit]', { max: 40 });
    await Promise.all([page.waitForURL(/\/dashboard\/links$/), page.keyboard.press('Enter')]);
    const shortUrl = await page.inputValue('#short-url');
    expect(await decodeQr(page)).toBe(shortUrl);
    const child = await context.newPage();
    await child.goto(shortUrl);
    expect(new URL(child.url()).pathname).toBe('/s/demo-police-child-visit');
    await child.close();
    await page.close();
  });
});
