/// <reference types="node" />
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, heard, launch, scrollsSideways, sql, tabTo } from './support';

let context: BrowserContext;
let close: () => Promise<void>;

const post = (path: string, body: unknown) =>
  fetch(`${heard()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  ({ context, close } = await launch());
  // Enough responses through the real intake for themes to show, and one possible disclosure.
  for (let i = 0; i < 24; i++) {
    const res = await post('/api/v1/surveys/family-rating/responses', {
      id: crypto.randomUUID(),
      answers: {
        overall: i % 2 ? 'poor' : 'very-good',
        why: i % 2 ? 'We waited months for CAMHS and nobody rang us back.' : 'The officer explained everything and kept us updated.',
      },
      link: 'demo-police-link',
    });
    expect([200, 201]).toContain(res.status);
  }
  const flagged = await post('/api/v1/surveys/after-visit/responses', {
    id: crypto.randomUUID(),
    answers: { visit: 1, better: 'my step dad hits me when mum is out and i am scared to go home' },
  });
  expect(((await flagged.json()) as { signpost?: unknown }).signpost).toBeDefined();
});
afterAll(() => close());

async function signIn(page: Page, key: string) {
  // One browser for the file: each test starts signed out.
  await context.clearCookies();
  await page.goto(`${heard()}/dashboard`);
  expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
  expect(await axe(page)).toEqual([]);
  await tabTo(page, '#key');
  await page.keyboard.type(key);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/dashboard/sign-in'), page.keyboard.press('Enter')]);
}

const expectNoViolations = async (page: Page, widths = [1280, 320]) => {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    const violations = await axe(page);
    expect(violations, `axe at ${width}px on ${page.url()}: ${JSON.stringify(violations)}`).toEqual([]);
    expect(await scrollsSideways(page), `sideways scroll at ${width}px`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
};

describe('dashboard in a browser', () => {
  it('signs a scrutineer in, shows the chart with its table, filters by week, prints the quarter', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-scrutineer-key');
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(await page.locator('svg.chart').count()).toBe(1);
    expect(await page.locator('svg.chart').getAttribute('role')).toBe('img');
    expect(await page.locator('table caption', { hasText: 'the chart’s numbers' }).count()).toBe(1);
    expect(await page.locator('table caption', { hasText: 'Themes in what people said' }).count()).toBe(1);
    expect(await page.locator('h2', { hasText: 'Partners compared' }).count()).toBe(1);
    await expectNoViolations(page);

    await page.selectOption('#f-interval', 'week');
    await Promise.all([page.waitForURL(/interval=week/), page.click('form.filters button[type=submit]')]);
    expect(new URL(page.url()).searchParams.get('interval')).toBe('week');
    expect(await page.locator('table caption', { hasText: 'Responses per week' }).count()).toBe(1);
    await expectNoViolations(page, [1280]);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('form.filters').isVisible()).toBe(false);
    expect(await page.locator('table').first().isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.screenshot({ path: 'tests/artifacts/dashboard-1280.png', fullPage: true });
    await page.close();
  });

  it('says why a period without responses shows no numbers, accessibly', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-scrutineer-key');
    await page.goto(`${heard()}/dashboard?from=2020-01-01&to=2020-01-31`);
    const notice = page.locator('section.notice');
    expect(await notice.locator('h2').textContent()).toBe('No responses yet');
    expect(await notice.textContent()).toContain('at least 6 more are needed before a number can show');
    await expectNoViolations(page);
    await page.close();
  });

  it('lets a safeguarding lead read and acknowledge an alert, with the audit written', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-safeguarding-key');
    expect(new URL(page.url()).pathname).toBe('/dashboard/alerts');
    expect(await page.locator('blockquote', { hasText: 'step dad hits me' }).count()).toBe(1);
    await expectNoViolations(page);
    const card = page.locator('section.card', { has: page.locator('blockquote', { hasText: 'step dad hits me' }) });
    const form = card.locator('form');
    await form.locator('select').selectOption('referred-to-front-door');
    await form.locator('textarea').fill('Passed to the MASH duty manager.');
    await Promise.all([page.waitForURL(/done=1/), form.locator('button[type=submit]').click()]);
    expect(await page.locator('[role=status]').innerText()).toContain('Acknowledged');
    await expectNoViolations(page, [1280]);
    const rows = await sql<{ status: string; action_taken: string }>(
      "SELECT status, action_taken FROM safeguarding_alerts WHERE category = 'harm-by-others' ORDER BY created_at DESC LIMIT 1",
    );
    expect(rows[0]).toEqual({ status: 'acknowledged', action_taken: 'referred-to-front-door' });
    const audit = await sql<{ action: string }>("SELECT action FROM audit_log WHERE action = 'alerts.acknowledge'");
    expect(audit.length).toBeGreaterThan(0);
    await page.close();
  });

  it('rejects a form post without the CSRF token', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-admin-key');
    const forged = await page.evaluate(async () => {
      const res = await fetch('/dashboard/actions', {
        method: 'POST',
        body: new URLSearchParams({ themeId: 'timeliness', heard: 'x', did: 'y', when: '2026-01-01' }),
      });
      return res.status;
    });
    expect(forged).toBe(403);
    const wrong = await page.evaluate(async () => {
      const res = await fetch('/dashboard/sign-out', { method: 'POST', body: new URLSearchParams({ _csrf: 'guess' }) });
      return res.status;
    });
    expect(wrong).toBe(403);
    await page.close();
  });

  it('lets an admin record and publish a "you said, we did" action by keyboard', async () => {
    const page = await context.newPage();
    await signIn(page, 'demo-admin-key');
    await page.goto(`${heard()}/dashboard/actions`);
    await expectNoViolations(page);
    await page.selectOption('#a-partner', ''); // partnership-wide, so every survey's thank-you page shows it
    await page.selectOption('#a-theme', 'kept-informed');
    await page.fill('#a-heard', 'You said nobody told you what would happen next.');
    await page.fill('#a-heard-cy', "Dywedoch chi nad oedd neb wedi dweud beth fyddai'n digwydd nesa.");
    await page.fill('#a-did', 'Every officer now gives families a card with the next steps.');
    await page.fill('#a-did-cy', "Mae pob swyddog nawr yn rhoi cerdyn i deuluoedd gyda'r camau nesaf.");
    // Families only: ticked by keyboard (Space on the focused checkbox).
    await page.focus('#a-audience-family');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#a-audience-family')).toBe(true);
    await page.fill('#a-when', '2026-11-01');
    await page.selectOption('#a-status', 'done');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/dashboard/actions"] button[type=submit]')]);
    const row = page.locator('tr', { hasText: 'nobody told you what would happen next' });
    expect(await row.innerText()).toContain('Draft');
    expect(await row.innerText()).toContain('Families');
    expect(await row.locator('span[lang="cy"]', { hasText: 'Mae pob swyddog nawr' }).count()).toBe(1);
    await expectNoViolations(page);
    await Promise.all([page.waitForNavigation(), row.locator('button', { hasText: 'Publish' }).click()]);
    expect(await page.locator('tr', { hasText: 'nobody told you what would happen next' }).innerText()).toContain('Published');
    const items = async (survey: string, lang: string) =>
      ((await (await fetch(`${heard()}/api/v1/surveys/${survey}/you-said-we-did?lang=${lang}`)).json()) as { items: { did: string }[] }).items.map(
        (i) => i.did,
      );
    expect(await items('family-rating', 'en')).toContain('Every officer now gives families a card with the next steps.');
    expect(await items('family-rating', 'cy')).toContain("Mae pob swyddog nawr yn rhoi cerdyn i deuluoedd gyda'r camau nesaf.");
    // Families only: a child survey's thank-you page doesn't show it.
    expect(await items('after-visit', 'en')).not.toContain('Every officer now gives families a card with the next steps.');
    await page.goto(`${heard()}/s/family-rating/thanks?lang=cy`);
    expect(await page.locator('.you-said').innerText()).toContain('Mae pob swyddog nawr yn rhoi cerdyn');
    await expectNoViolations(page);
    await page.close();
  });
});
