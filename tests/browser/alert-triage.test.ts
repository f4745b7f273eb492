/// <reference types="node" />
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ALERT_KEY } from '../../src/cli/worker-server';
import { seal } from '../../src/lib/seal';
import { axe, heard, launch, scrollsSideways, sql, tabTo } from './support';

/** Issue 13, item 2 in a browser: a required outcome, the queue's order, the countdown; axe at 1280 and 320 px. */

let context: BrowserContext;
let close: () => Promise<void>;

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

/** An alert put straight into D1, sealed with the test Worker's key, so its category and times are known. */
async function insertAlert(a: { category: string; current?: boolean; createdAt: string; dueAt: string; text: string }): Promise<string> {
  const id = crypto.randomUUID();
  await sql(
    `INSERT INTO safeguarding_alerts (id, partnership_id, survey_id, partner_id, received_day, category, current, evidence_sealed, text_sealed, created_at, due_at)
     VALUES (?1, 'demo', 'after-visit', 'demo-la', ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    id,
    a.createdAt.slice(0, 10),
    a.category,
    a.current === false ? 0 : 1,
    await seal(LOCAL_ALERT_KEY, a.text),
    await seal(LOCAL_ALERT_KEY, a.text),
    a.createdAt,
    a.dueAt,
  );
  return id;
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ context, close } = await launch());
  ids.past = await insertAlert({ category: 'immediate-danger', current: false, createdAt: minutes(-200), dueAt: minutes(-140), text: 'triage past danger' });
  ids.neglect = await insertAlert({ category: 'neglect', createdAt: minutes(-37), dueAt: minutes(23.5), text: 'triage neglect soon' });
  ids.danger = await insertAlert({ category: 'immediate-danger', createdAt: minutes(-5), dueAt: minutes(55), text: 'triage danger late' });
  ids.overdue = await insertAlert({ category: 'harm-by-others', createdAt: minutes(-185), dueAt: minutes(-125), text: 'triage harm overdue' });
});
afterAll(() => close());

async function signInAsLead(page: Page) {
  await context.clearCookies();
  await page.goto(`${heard()}/dashboard`);
  await tabTo(page, '#key');
  await page.keyboard.type('demo-safeguarding-key');
  await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/alerts'), page.keyboard.press('Enter')]);
}

const expectNoViolations = async (page: Page) => {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    const violations = await axe(page);
    expect(violations, `axe at ${width}px: ${JSON.stringify(violations)}`).toEqual([]);
    expect(await scrollsSideways(page), `sideways scroll at ${width}px`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
};

describe('the safeguarding lead’s queue in a browser', () => {
  it('orders current before past, immediate danger first, then the soonest due', async () => {
    const page = await context.newPage();
    await signInAsLead(page);
    await expectNoViolations(page);
    const order = await page.locator('section.card h3[id^="alert-"]').evaluateAll((hs) => hs.map((h) => h.id.slice('alert-'.length)));
    const mine = order.filter((id) => Object.values(ids).includes(id));
    expect(mine).toEqual([ids.danger, ids.overdue, ids.neglect, ids.past]);
    await page.close();
  });

  it('shows each card’s UK times and countdown: due in, and overdue by', async () => {
    const page = await context.newPage();
    await signInAsLead(page);
    const card = (id: string) => page.locator('section.card', { has: page.locator(`h3[id="alert-${id}"]`) });
    expect(await card(ids.neglect!).locator('.countdown').innerText()).toMatch(/^\(due in 2[23] min\)$/);
    expect(await card(ids.overdue!).locator('.countdown').innerText()).toBe('(overdue by 2 h)');
    const due = await card(ids.neglect!).locator('dd time').nth(1).innerText();
    expect(due).toMatch(/^\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} (GMT|BST)$/);
    expect(await card(ids.neglect!).locator('blockquote mark').count()).toBe(1);
    await page.close();
  });

  it('will not acknowledge until the lead chooses what was done, then records the choice', async () => {
    const page = await context.newPage();
    await signInAsLead(page);
    const form = page.locator(`form[action="/dashboard/alerts/${ids.neglect}/acknowledge"]`);
    const select = form.locator('select[name=actionTaken]');
    expect(await select.inputValue()).toBe('');

    // By keyboard: to the button, and Enter. The browser refuses the form (nothing chosen) and stays put.
    await form.locator('button[type=submit]').focus();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(new URL(page.url()).searchParams.get('done')).toBeNull();
    expect(await select.evaluate((el) => (el as unknown as HTMLSelectElement).validity.valueMissing)).toBe(true);
    expect((await sql<{ status: string }>('SELECT status FROM safeguarding_alerts WHERE id = ?1', ids.neglect))[0]!.status).toBe('new');

    await select.focus();
    await select.selectOption('false-alarm');
    await form.locator('button[type=submit]').focus();
    await Promise.all([page.waitForURL(/done=1/), page.keyboard.press('Enter')]);
    expect(await page.locator('[role=status]').innerText()).toContain('Acknowledged');
    await expectNoViolations(page);
    const [row] = await sql<{ status: string; action_taken: string }>('SELECT status, action_taken FROM safeguarding_alerts WHERE id = ?1', ids.neglect);
    expect(row).toEqual({ status: 'acknowledged', action_taken: 'false-alarm' });

    await page.goto(`${heard()}/dashboard/alerts?status=acknowledged`);
    expect(await page.locator('section.card', { has: page.locator(`h3[id="alert-${ids.neglect}"]`) }).innerText()).toContain(
      'Not a safeguarding concern (false alarm)',
    );
    await expectNoViolations(page);
    await page.close();
  });
});
