/// <reference types="node" />
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch, scrollsSideways, sql, tabTo } from './support';

/** The survey editor's live preview: the page a child would see, updated as the admin types, never saved. */

let context: BrowserContext;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ context, close } = await launch());
  mkdirSync('tests/artifacts', { recursive: true });
});
afterAll(() => close());

async function signIn(page: Page, key: string) {
  await page.goto(`${heard()}/dashboard/sign-in`);
  await page.fill('#key', key);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/dashboard/sign-in'), page.press('#key', 'Enter')]);
}

/** A fresh draft from the after-visit template, made through the workspace's own form. */
async function newDraft(page: Page, id: string, title: string) {
  await page.goto(`${heard()}/dashboard/surveys`);
  await page.fill('#sv-title', title);
  await page.fill('#sv-id', id);
  await Promise.all([page.waitForURL(/created=1/), page.click('form[action="/dashboard/surveys"] button[type=submit]')]);
}

const previewFrame = async (page: Page): Promise<Frame> => {
  const handle = await page.waitForSelector('[data-preview-frame]');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the preview has no frame');
  return frame;
};

/** The preview's text, waited for until it holds `text` (the preview follows typing after a short pause). */
async function previewShows(page: Page, text: string): Promise<string> {
  await page.waitForFunction(
    (t) => (document.querySelector<HTMLIFrameElement>('[data-preview-frame]')?.contentDocument?.body?.textContent ?? '').includes(t),
    text,
    { timeout: 5000 },
  );
  return (await (await previewFrame(page)).textContent('body')) ?? '';
}

const savedDefinition = async (id: string) =>
  (
    await sql<{ definition: string }>(
      'SELECT v.definition FROM surveys s JOIN survey_versions v ON v.survey_id = s.id AND v.version = s.version WHERE s.id = ?1',
      id,
    )
  )[0]!.definition;

describe('the survey editor’s live preview', () => {
  it('follows typing at phone width, in the language being typed, without saving and unable to send', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-admin-key');
    await newDraft(page, 'demo-live-preview', 'Live preview check');
    const before = await savedDefinition('demo-live-preview');

    const panel = page.locator('[data-live-preview]');
    expect(await panel.isVisible()).toBe(true);
    expect(await page.getAttribute('[data-preview-frame]', 'title')).toMatch(/^Preview .*can’t send answers.*, in English$/);
    await previewShows(page, 'Live preview check');

    // Type a question's wording by keyboard: the preview changes, the saved draft does not.
    const wording = 'textarea[name="questions.1.text.en"]';
    await tabTo(page, wording, { max: 80 });
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Did the officer explain what would happen next?');
    const shown = await previewShows(page, 'Did the officer explain what would happen next?');
    expect(shown).toContain('Live preview check');
    expect(await savedDefinition('demo-live-preview')).toBe(before);
    expect(await page.inputValue(wording)).toBe('Did the officer explain what would happen next?');
    // The saved-version preview (the no-JavaScript link) still shows the saved wording.
    const saved = await page.request.get(`${heard()}/dashboard/surveys/demo-live-preview/preview?lang=en`);
    expect(await saved.text()).not.toContain('Did the officer explain');

    // The preview is a phone's width, and it can't send: no scripts, no form posts.
    const box = (await page.locator('[data-preview-frame]').boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(360);
    const sandbox = (await page.getAttribute('[data-preview-frame]', 'sandbox')) ?? '';
    expect(sandbox.split(/\s+/)).not.toContain('allow-forms');
    expect(sandbox.split(/\s+/)).not.toContain('allow-scripts');
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && !r.url().includes('/preview')) posts.push(r.url());
    });
    const frame = await previewFrame(page);
    const responsesBefore = (await sql<{ n: number }>("SELECT COUNT(*) AS n FROM responses WHERE survey_id = 'demo-live-preview'"))[0]!.n;
    await frame.locator('form button[type=submit]').last().click({ force: true });
    await page.waitForTimeout(500);
    expect(posts).toEqual([]);
    expect((await sql<{ n: number }>("SELECT COUNT(*) AS n FROM responses WHERE survey_id = 'demo-live-preview'"))[0]!.n).toBe(responsesBefore);

    // Welsh: half-typed wording keeps the last complete preview and says what is missing, in words.
    await tabTo(page, '#welsh', { max: 80, back: true });
    await page.keyboard.press('Space');
    await page.locator('textarea[name="title.cy"]').fill('Gwirio’r rhagolwg');
    await page.locator('textarea[name="title.cy"]').focus();
    await page.waitForFunction(() => (document.querySelector('[data-preview-status]')?.textContent ?? '').includes('last complete wording'));
    const status = (await page.textContent('[data-preview-status]')) ?? '';
    expect(status).toMatch(/Introduction \(Welsh\)/);
    expect(status).not.toMatch(/known field|definition\.|questions\.\d/);
    expect(await page.inputValue('#preview-lang')).toBe('cy');

    for (const field of await page.locator('textarea[lang=cy]').all()) {
      if (await field.inputValue()) continue;
      const english = await page.inputValue(`textarea[name="${(await field.getAttribute('name'))!.replace(/\.cy$/, '.en')}"]`);
      await field.fill(`(cy) ${english}`);
    }
    await page.locator('textarea[name="questions.1.text.cy"]').focus();
    await previewShows(page, '(cy) Did the officer explain what would happen next?');
    expect(await (await previewFrame(page)).getAttribute('html', 'lang')).toBe('cy');
    expect(await page.textContent('[data-preview-status]')).toBe('');
    expect(await page.getAttribute('[data-preview-frame]', 'title')).toMatch(/, in Welsh$/);
    expect(await savedDefinition('demo-live-preview')).toBe(before);

    for (const width of [1280, 320]) {
      await page.setViewportSize({ width, height: 900 });
      const violations = await axe(page);
      expect(violations, `axe at ${width}px: ${JSON.stringify(violations)}`).toEqual([]);
      expect(await scrollsSideways(page), `sideways scroll at ${width}px`).toBe(false);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('textarea[name="questions.1.text.en"]').focus();
    await page.waitForFunction(() => document.querySelector<HTMLIFrameElement>('[data-preview-frame]')?.contentDocument?.documentElement.lang === 'en');
    await page.screenshot({ path: 'tests/artifacts/workspace-live-preview-1280.png' });
    await page.close();
  });

  it('without JavaScript the editor has no live preview, and its preview links show the saved draft', async () => {
    const noJs = await launch({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await signIn(page, 'demo-admin-key');
      await newDraft(page, 'demo-live-preview-nojs', 'No script preview');
      expect(await page.locator('[data-live-preview]').isVisible()).toBe(false);
      await Promise.all([page.waitForURL(/\/preview\?lang=en$/), page.click('a[href$="/preview?lang=en"]')]);
      expect(await page.textContent('h1')).toContain('No script preview');
      await page.close();
    } finally {
      await noJs.close();
    }
  });
});
