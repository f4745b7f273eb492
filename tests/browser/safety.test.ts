/// <reference types="node" />
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch, responseId, sql } from './support';

let context: BrowserContext;
let close: () => Promise<void>;
/** A stand-in "neutral site" on another origin (no network in tests); 127.0.0.1:* is a demo allowed origin. */
let neutral: Server;
let neutralOrigin: string;

beforeAll(async () => {
  ({ context, close } = await launch());
  neutral = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Search</title><p>${req.url}</p>`));
  await new Promise<void>((resolve) => neutral.listen(0, '127.0.0.1', resolve));
  neutralOrigin = `http://127.0.0.1:${(neutral.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await close();
  neutral.close();
});

const isPost = (url: string) => url.includes('/api/v1/surveys/after-visit/responses');
const postUrl = (url: URL) => isPost(url.href);
const storedCount = async (id: string) => (await sql('SELECT id FROM responses WHERE id = ?1', id)).length;
const storageSize = (page: Page) => page.evaluate(() => sessionStorage.length);

async function answerAll(page: Page) {
  await page.check('#a-visit-4');
  await page.click('[data-next]');
  await page.check('#a-listened');
  await page.click('[data-next]');
  await page.fill('#a-good', 'Kind and on time.');
}

describe('without JavaScript', () => {
  it('submits the plain form: 303 to the thank-you page, response stored with its link', async () => {
    const noJs = await launch({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${heard()}/s/after-visit?link=demo-home-visit-link&lang=cy`);
      const id = await responseId(page);
      expect(await page.isVisible('#a-better')).toBe(true); // every question on one page
      await page.check('#a-visit-4');
      await page.check('#a-listened-1');
      await page.fill('#a-good', 'Roedd hi’n garedig.');
      const [post] = await Promise.all([page.waitForResponse((r) => isPost(r.url())), page.click('[data-send]')]);
      expect(post.status()).toBe(303);
      await page.waitForURL(/\/s\/after-visit\/thanks\?lang=cy$/);
      expect(await page.locator('h1').innerText()).toBe('Diolch am ddweud wrthon ni.');
      const rows = await sql<{ link_id: string; rating: number; lang: string }>('SELECT link_id, rating, lang FROM responses WHERE id = ?1', id);
      expect(rows).toEqual([{ link_id: '00000000-0000-4000-8000-0000000000f1', rating: 5, lang: 'cy' }]);
    } finally {
      await noJs.close();
    }
  });

  it('shows problems linked to their fields (400) and keeps the answers; nothing is stored', async () => {
    const noJs = await launch({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${heard()}/s/after-visit`);
      const id = await responseId(page);
      await page.check('#a-visit-1');
      await page.fill('#a-good', 'x'.repeat(1001));
      const [post] = await Promise.all([page.waitForResponse((r) => isPost(r.url())), page.click('[data-send]')]);
      expect(post.status()).toBe(400);
      expect(await page.title()).toBe('Error: Feedback');
      expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#a-good');
      expect(await page.getAttribute('#a-good', 'aria-describedby')).toContain('err-good');
      expect(await page.isChecked('#a-visit-1')).toBe(true);
      expect(await page.inputValue('#a-good')).toHaveLength(1001);
      expect(await storedCount(id)).toBe(0);
      const checker = await context.newPage(); // axe needs script; render the same 400 page with it on
      await checker.route(`${heard()}/s/after-visit`, async (route) =>
        route.fulfill({
          response: await route.fetch({
            method: 'POST',
            url: `${heard()}/api/v1/surveys/after-visit/responses`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            postData: `id=${crypto.randomUUID()}&answer.good=${'y'.repeat(1001)}`,
          }),
        }),
      );
      await checker.goto(`${heard()}/s/after-visit`);
      await expect.poll(() => checker.locator('.error-summary').count()).toBe(1);
      expect(await axe(checker)).toEqual([]);
      await checker.close();
    } finally {
      await noJs.close();
    }
  });
});

describe('on a bad connection', () => {
  it('keeps the response through a failed send and a reload, delivers it exactly once, then forgets it', async () => {
    const page = await context.newPage();
    await page.goto(`${heard()}/s/after-visit`);
    const id = await responseId(page);
    let blocked = 0;
    await page.route(postUrl, (route) => {
      blocked++;
      return route.abort('internetdisconnected');
    });
    await answerAll(page);
    await page.click('[data-send]');
    await expect.poll(() => page.locator('[data-status]').innerText()).toContain('couldn’t send');
    expect(blocked).toBe(1);
    const pending = JSON.parse((await page.evaluate(() => sessionStorage.getItem('heard:pending')))!);
    expect(pending.body.id).toBe(id);
    expect(await storedCount(id)).toBe(0);

    await page.unroute(postUrl);
    await page.reload();
    await page.waitForURL(/\/thanks/);
    expect(await storedCount(id)).toBe(1);
    expect(await storageSize(page)).toBe(0);
    await page.close();
  });

  it('sends again by itself when the browser comes back online', async () => {
    const page = await context.newPage();
    await page.goto(`${heard()}/s/after-visit`);
    const id = await responseId(page);
    await answerAll(page);
    await context.setOffline(true);
    await page.click('[data-send]');
    await expect.poll(() => page.locator('[data-status]').innerText()).toContain('couldn’t send');
    await context.setOffline(false);
    await page.waitForURL(/\/thanks/);
    expect(await storedCount(id)).toBe(1);
    expect(await storageSize(page)).toBe(0);
    await page.close();
  });
});

describe('Leave quickly', () => {
  it('replaces the page with the neutral site: no survey entry in history and nothing in storage', async () => {
    const page = await context.newPage();
    await page.goto(`${neutralOrigin}/before`);
    await page.goto(`${heard()}/s/after-visit?leave=${encodeURIComponent(`${neutralOrigin}/weather`)}`);
    // Leave with an unsent response pending, the worst case.
    await page.route(postUrl, (route) => route.abort('internetdisconnected'));
    await answerAll(page);
    await page.click('[data-send]');
    await expect.poll(() => storageSize(page)).toBe(1);

    await page.click('text=Leave quickly');
    await page.waitForURL(`${neutralOrigin}/weather`);
    expect(await page.evaluate(() => history.length)).toBe(3); // about:blank, /before, /weather: the survey was replaced
    await page.goBack();
    expect(page.url()).toBe(`${neutralOrigin}/before`);
    await page.unroute(postUrl);
    await page.goto(`${heard()}/healthz`); // same tab, survey origin: its sessionStorage
    expect(await storageSize(page)).toBe(0);
    await page.close();
  });

  it('leaves on Esc pressed three times, and ignores a leave page on an origin the survey does not allow', async () => {
    const page = await context.newPage();
    await page.goto(`${heard()}/s/after-visit?leave=${encodeURIComponent('https://evil.example/')}`);
    expect(await page.getAttribute('body', 'data-leave')).toBe('https://www.google.com/');
    await page.goto(`${heard()}/s/after-visit?leave=${encodeURIComponent(`${neutralOrigin}/news`)}`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    expect(page.url()).toContain('/s/after-visit');
    await page.keyboard.press('Escape');
    await page.waitForURL(`${neutralOrigin}/news`);
    await page.close();
  });
});

describe('privacy and security in the browser', () => {
  it('makes no third-party requests and sets no cookies during a whole survey', async () => {
    const page = await context.newPage();
    const requests: string[] = [];
    const setCookies: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('response', async (r) => {
      const cookie = (await r.allHeaders())['set-cookie'];
      if (cookie) setCookies.push(cookie);
    });
    await page.goto(`${heard()}/s/after-visit`);
    await answerAll(page);
    await page.click('[data-send]');
    await page.waitForURL(/\/thanks/);
    expect(requests.length).toBeGreaterThanOrEqual(5); // page, css, js, POST, thank-you (+ its assets)
    expect(requests.filter((u) => new URL(u).origin !== heard())).toEqual([]);
    expect(setCookies).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.close();
  });

  it('blocks an injected inline script (CSP)', async () => {
    const page = await context.newPage();
    await page.goto(`${heard()}/s/after-visit`);
    const violation = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective));
          const script = document.createElement('script');
          script.textContent = 'window.__injected = true';
          document.body.appendChild(script);
        }),
    );
    expect(violation).toMatch(/^script-src/);
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
    await page.close();
  });

  it('leaves no answers in history: Back after sending does not bring the survey back', async () => {
    const page = await context.newPage();
    await page.goto(`${neutralOrigin}/before`);
    await page.goto(`${heard()}/s/after-visit`);
    await answerAll(page);
    await page.click('[data-send]');
    await page.waitForURL(/\/thanks/);
    await page.goBack();
    expect(page.url()).toBe(`${neutralOrigin}/before`);
    await page.close();
  });
});

describe('right-to-left', () => {
  it('mirrors the layout for an Arabic survey and marks Heard’s English words lang="en"', async () => {
    const id = `demo-rtl-${crypto.randomUUID().slice(0, 8)}`;
    const ar = (en: string, arabic: string) => ({ en, ar: arabic });
    const definition = {
      title: ar('How did it go?', 'كيف سارت الأمور؟'),
      languages: ['en', 'ar'],
      ageBands: ['adult'],
      intro: ar('Two short questions.', 'سؤالان قصيران.'),
      privacy: ar('Your answers are anonymous.', 'إجاباتك مجهولة الهوية.'),
      thankYou: ar('Thank you.', 'شكرا لك.'),
      whatNext: ar('We read every answer.', 'نقرأ كل إجابة.'),
      questions: [
        { id: 'overall', kind: 'rating', points: 3, text: ar('How was it?', 'كيف كانت؟'), labels: [ar('Bad', 'سيئة'), ar('OK', 'مقبولة'), ar('Good', 'جيدة')] },
        { id: 'more', kind: 'text', text: ar('Anything else?', 'هل هناك شيء آخر؟') },
      ],
    };
    const headers = { authorization: 'Bearer demo-admin-key', 'content-type': 'application/json' };
    const created = await fetch(`${heard()}/api/v1/surveys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ id, audience: 'family', allowedOrigins: [], definition }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${heard()}/api/v1/surveys/${id}/publish`, { method: 'POST', headers })).status).toBe(200);

    for (const width of [320, 1280]) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${heard()}/s/${id}?lang=ar`);
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.getAttribute('html', 'lang')).toBe('ar');
      expect(await page.locator('h1').innerText()).toBe('كيف سارت الأمور؟');
      expect(await page.getAttribute('[data-next]', 'lang')).toBe('en');
      expect(await page.getAttribute('#q-overall label.opt >> nth=3', 'lang')).toBe('en'); // "I'd rather not say"
      // The faces run right to left: the first answer ("Bad") is the rightmost.
      const first = (await page.locator('#q-overall label.opt >> nth=0').boundingBox())!;
      const third = (await page.locator('#q-overall label.opt >> nth=2').boundingBox())!;
      expect(first.x).toBeGreaterThan(third.x);
      const leave = (await page.locator('.leave').boundingBox())!;
      expect(leave.x).toBeLessThan(width / 2); // Leave quickly moves to the top left
      expect(await axe(page)).toEqual([]);
      await page.close();
    }
  });
});
