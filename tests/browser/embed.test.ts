/// <reference types="node" />
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch } from './support';

let context: BrowserContext;
let close: () => Promise<void>;
/** A partner's page on another origin (localhost, not 127.0.0.1) with the one-line embed. */
let host: Server;
let hostOrigin: string;

beforeAll(async () => {
  ({ context, close } = await launch());
  host = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const attrs = url.searchParams.get('attrs') ?? '';
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Partner page</title></head>` +
          `<body><main><h1>Our service</h1><p>We would like to hear from you.</p>` +
          `<script src="${heard()}/widget.js" ${attrs} async></script></main></body></html>`,
      );
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await close();
  host.close();
});

async function hostPage(attrs: string, width = 1280): Promise<{ page: Page; errors: string[]; warnings: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.setViewportSize({ width, height: 800 });
  await page.goto(`${hostOrigin}/?attrs=${encodeURIComponent(attrs)}`);
  return { page, errors, warnings };
}

async function surveyFrame(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => f.url().includes('/s/after-visit'))).toBe(true);
  const frame = page.frames().find((f) => f.url().includes('/s/after-visit'))!;
  await frame.waitForSelector('html.js');
  return frame;
}

const focusInDialog = (page: Page) =>
  page.evaluate(() => (document.activeElement?.closest('dialog[open]') ? true : document.activeElement?.outerHTML.slice(0, 80)));

describe('embed loader on a host page of another origin', () => {
  for (const lang of ['en', 'cy'] as const) {
    for (const width of [320, 1280]) {
      it(`opens an accessible modal dialog with the survey (${lang}, ${width}px)`, async () => {
        const { page, errors } = await hostPage(`data-survey="after-visit" data-mode="button" data-lang="${lang}"`, width);
        const button = page.locator('button', { hasText: lang === 'cy' ? 'Dweud wrthon ni sut aeth hi' : 'Tell us how it went' });
        await button.click();
        const dialog = page.locator('dialog[open]');
        expect(await dialog.getAttribute('aria-label')).toBeTruthy();
        expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('IFRAME'); // focus moved in
        const frame = await surveyFrame(page);
        expect(await frame.getAttribute('html', 'lang')).toBe(lang);
        expect(await axe(page)).toEqual([]);
        expect(await axe(frame)).toEqual([]);
        expect(await frame.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)).toBe(false);

        // Trapped: Tab never reaches the host page behind the dialog. (Polled: the survey frame is
        // another site, so focus crosses processes and settles a moment after each key press.)
        for (let i = 0; i < 15; i++) {
          await page.keyboard.press('Tab');
          await expect.poll(() => focusInDialog(page), { timeout: 2000 }).toBe(true);
        }
        // Esc inside the survey closes the dialog and focus returns to the button.
        await frame.locator('h1').click();
        await page.keyboard.press('Escape');
        await expect.poll(() => dialog.count()).toBe(0);
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(await button.innerText());
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  it('words the Welsh button in the register of data-age, and in a form right for both without it', async () => {
    for (const [age, label] of [
      ['8-12', 'Dwed wrthon ni sut aeth hi'],
      ['13-17', 'Dwed wrthon ni sut aeth hi'],
      ['adult', 'Dywedwch wrthon ni sut aeth hi'],
      ['', 'Dweud wrthon ni sut aeth hi'],
    ] as const) {
      const { page } = await hostPage(`data-survey="after-visit" data-lang="cy"${age ? ` data-age="${age}"` : ''}`);
      await expect.poll(() => page.locator('button[aria-haspopup="dialog"]').innerText()).toBe(label);
      await page.close();
    }
  });

  it('closes with Esc from the host side too, and with its Close button', async () => {
    const { page } = await hostPage('data-survey="after-visit"');
    const button = page.locator('button', { hasText: 'Tell us how it went' });
    await button.click();
    await page.locator('dialog button', { hasText: 'Close' }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    await button.click();
    await page.locator('dialog button', { hasText: 'Close' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Tell us how it went');
    await page.close();
  });

  it('renders an inline card that can be answered in place, with no cookies and no third-party requests', async () => {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).origin));
    await page.goto(`${hostOrigin}/?attrs=${encodeURIComponent('data-survey="after-visit" data-mode="inline"')}`);
    const frame = await surveyFrame(page);
    expect(await axe(page)).toEqual([]);
    await frame.check('#a-visit-4');
    await frame.click('[data-next]');
    await frame.check('#a-listened');
    await frame.click('[data-next]');
    await frame.click('[data-send]');
    await expect.poll(() => frame.url()).toMatch(/\/thanks\?lang=en&embed=1/);
    expect(await frame.locator('h1').innerText()).toBe('Thank you for telling us.');
    expect(new Set(requests)).toEqual(new Set([hostOrigin, heard()]));
    expect(await context.cookies()).toEqual([]);
    await page.close();
  });

  it('loads nothing from Heard but the loader until the button is pressed', async () => {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${hostOrigin}/?attrs=${encodeURIComponent('data-survey="after-visit"')}`);
    await page.locator('button', { hasText: 'Tell us how it went' }).waitFor();
    expect(requests.filter((u) => u.startsWith(heard()))).toEqual([`${heard()}/widget.js`]);
    await page.close();
  });

  it('never throws into the host page when misconfigured; it says why in the console', async () => {
    const { page, errors, warnings } = await hostPage('data-survey="Not A Survey!"');
    await expect.poll(() => warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toContain('[heard]');
    expect(errors).toEqual([]);
    expect(await page.locator('button').count()).toBe(0);
    await page.close();
  });
});
