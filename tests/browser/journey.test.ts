/// <reference types="node" />
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import jsQR from 'jsqr';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch, scrollsSideways, sql, tabTo } from './support';

/**
 * Issue 14's "Done when": a brand-new partnership's admin runs Heard from the dashboard alone, by
 * keyboard: a survey from the template, Welsh added, previewed, published, a link made and its
 * card printed (the QR decodes to the link), children answering through the link, their answers
 * counted per question in insights, and a feed read. axe at 320 and 1280 px on every page.
 */

let context: BrowserContext;
let close: () => Promise<void>;

const tag = randomBytes(3).toString('hex');
const P = `j${tag}`;
const ADMIN_KEY = `${P}-admin-key`;
/** How many children answer: one more than the DfE threshold, so every count can show. */
const CHILDREN = 6;

beforeAll(async () => {
  ({ context, close } = await launch());
  mkdirSync('tests/artifacts', { recursive: true });
  // A partnership as its set-up leaves it: one partner with one service and an admin key; nothing else.
  const at = new Date().toISOString();
  await sql('INSERT INTO partnerships (id, name, created_at, key_sign_in) VALUES (?1, ?2, ?3, 1)', P, `Journey partnership ${tag}`, at);
  await sql(
    "INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?1, ?2, 'Children’s services', 'local-authority', ?3)",
    `${P}-la`,
    P,
    at,
  );
  await sql("INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES (?1, ?2, ?3, 'Social work', ?4)", `${P}-sw`, P, `${P}-la`, at);
  await sql(
    "INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?1, ?2, ?3, NULL, 'admin', 'first admin', ?4)",
    crypto.randomUUID(),
    createHash('sha256').update(ADMIN_KEY).digest('hex'),
    P,
    at,
  );
});
afterAll(() => close());

async function clean(page: Page, what: string) {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    const violations = await axe(page);
    expect(violations, `axe at ${width}px on ${what}: ${JSON.stringify(violations)}`).toEqual([]);
    expect(await scrollsSideways(page), `sideways scroll at ${width}px on ${what}`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function openSection(page: Page, href: string) {
  await tabTo(page, `nav.sections a[href="${href}"]`, { max: 40 });
  await Promise.all([page.waitForURL((url) => url.pathname === href), page.keyboard.press('Enter')]);
}

/** Reads the printed card's QR code as a camera would: a screenshot decoded by jsQR. */
async function decodeQr(page: Page): Promise<string | null> {
  const png = await page.locator('.print-card .card-qr svg').screenshot();
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

/** A child opens the card's address and answers by keyboard: the best face, "Yes, they listened", a few words. */
async function answerAsChild(url: string, checkAxe: boolean) {
  const child = await context.newPage();
  await child.goto(url);
  if (checkAxe) await clean(child, 'the survey page a child opens');
  await tabTo(child, '#a-visit', { max: 60 });
  await child.keyboard.press('Space'); // the first face
  for (let i = 0; i < 4; i++) await child.keyboard.press('ArrowDown'); // to the fifth, "Really good"
  await tabTo(child, '[data-next]');
  await child.keyboard.press('Enter');
  await tabTo(child, '#a-listened');
  await child.keyboard.press('Space'); // Yes
  await tabTo(child, '[data-next]');
  await child.keyboard.press('Enter');
  await tabTo(child, '#a-good');
  await child.keyboard.type('We played a game and talked.');
  await tabTo(child, '[data-send]');
  await Promise.all([child.waitForURL(/\/thanks/), child.keyboard.press('Enter')]);
  if (checkAxe) await clean(child, 'the thank-you page');
  await child.close();
}

describe('a new partnership, from nothing to a feed, by keyboard', () => {
  it('creates, translates, previews and publishes a survey, links and prints it, hears from children per question and reads the feed', async () => {
    const page = await context.newPage();
    await page.goto(`${heard()}/dashboard/sign-in`);
    await clean(page, 'sign-in');
    await tabTo(page, '#key');
    await page.keyboard.type(ADMIN_KEY);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/dashboard/sign-in'), page.keyboard.press('Enter')]);

    // 1. A survey from the template.
    await openSection(page, '/dashboard/surveys');
    await clean(page, 'surveys');
    await tabTo(page, '#sv-template-0', { max: 60 }); // "After a visit (children)", already chosen
    await tabTo(page, '#sv-title');
    await page.keyboard.type('After your visit');
    await tabTo(page, '#sv-id');
    await page.keyboard.press('End');
    await page.keyboard.type('child-visit');
    await tabTo(page, 'form[action="/dashboard/surveys"] button[type=submit]');
    await Promise.all([page.waitForURL(/created=1/), page.keyboard.press('Enter')]);
    const surveyId = `${P}-child-visit`;
    expect(new URL(page.url()).pathname).toBe(`/dashboard/surveys/${surveyId}`);
    await clean(page, 'the survey editor');

    // 2. Welsh beside every English wording.
    await tabTo(page, '#welsh', { max: 60 });
    await page.keyboard.press('Space');
    for (const field of await page.locator('textarea[lang=cy]').all()) {
      const english = await page.inputValue(`textarea[name="${(await field.getAttribute('name'))!.replace(/\.cy$/, '.en')}"]`);
      await field.fill(`(cy) ${english}`);
    }
    await tabTo(page, 'form.stack button[value=save]', { max: 200 });
    await Promise.all([page.waitForURL(/saved=1/), page.keyboard.press('Enter')]);
    await clean(page, 'the survey editor with Welsh');

    // 3. The Welsh preview, followed from the editor's link.
    await tabTo(page, `a[href="/dashboard/surveys/${surveyId}/preview?lang=cy"]`, { max: 60 });
    await Promise.all([page.waitForURL(/\/preview\?lang=cy/), page.keyboard.press('Enter')]);
    expect(await page.locator('html').getAttribute('lang')).toBe('cy');
    expect(await page.textContent('body')).toContain('(cy) After your visit');
    await clean(page, 'the Welsh preview');
    await page.goBack();

    // 4. Publish: children can now open it, in Welsh too.
    await tabTo(page, 'form[action$="/publish"] button', { max: 60 });
    await Promise.all([page.waitForURL(/published=1/), page.keyboard.press('Enter')]);
    expect((await fetch(`${heard()}/s/${surveyId}?lang=cy`)).status).toBe(200);

    // 5. A link many children can use, and its printed card.
    await openSection(page, '/dashboard/links');
    await clean(page, 'links');
    await tabTo(page, '#l-survey');
    expect(await page.inputValue('#l-survey')).toBe(surveyId);
    await tabTo(page, '#l-use-single', { max: 40 });
    await page.keyboard.press('ArrowDown'); // many people
    await tabTo(page, 'form[action="/dashboard/links"] button[type=submit]', { max: 40 });
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/dashboard/links')), page.keyboard.press('Enter')]);
    await page.locator('h1', { hasText: 'Your link is ready' }).waitFor();
    await clean(page, 'the new link and its card');
    const shortUrl = await page.inputValue('#short-url');
    expect(await decodeQr(page)).toBe(shortUrl);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.print-card').isVisible()).toBe(true);
    expect(await page.locator('header.bar').isVisible()).toBe(false);
    await page.locator('.print-card').screenshot({ path: 'tests/artifacts/journey-card.png' });
    await page.emulateMedia({ media: 'screen' });

    // 6. Children answer through the link.
    for (let i = 0; i < CHILDREN; i++) await answerAsChild(shortUrl, i === 0);
    const [stored] = await sql<{ n: number }>('SELECT COUNT(*) AS n FROM responses WHERE survey_id = ?1 AND link_id IS NOT NULL', surveyId);
    expect(stored!.n).toBe(CHILDREN);

    // 7. Insights: every question, counted once enough children have answered.
    await openSection(page, '/dashboard');
    await clean(page, 'insights');
    const listened = page.locator('table', { has: page.locator('caption', { hasText: 'Did your social worker listen to you?' }) });
    expect(
      await listened
        .locator('tr', { has: page.locator('th', { hasText: /^Yes$/ }) })
        .locator('td')
        .first()
        .textContent(),
    ).toBe(String(CHILDREN));
    expect(
      await listened
        .locator('tr', { has: page.locator('th', { hasText: /^No$/ }) })
        .locator('td')
        .first()
        .textContent(),
    ).toBe('0');
    await page.locator('#questions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'tests/artifacts/journey-insights-questions-1280.png', fullPage: true });

    // 8. A feed token for the partnership board's reader, and the feed itself.
    await openSection(page, '/dashboard/feeds');
    await clean(page, 'feeds');
    await tabTo(page, '#f-label', { max: 80 });
    await page.keyboard.type('Board feed reader');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#feed-atom');
    await clean(page, 'the new feed token');
    const feed = await fetch(await page.inputValue('#feed-atom'));
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('<feed');
    await page.close();
  });
});
