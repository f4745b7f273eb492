/// <reference types="node" />
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ALERT_KEY } from '../../src/cli/worker-server';
import { seal } from '../../src/lib/seal';
import { axe, heard, launch, scrollsSideways, sql, tabTo } from './support';

/**
 * A reviewer working the review queue in a browser (the page is plain forms, no script):
 * each of the three decisions, with axe (WCAG 2.2 AA) at 1280 and 320 px. The rules don't yet put
 * answers in review on this branch, so the items are written as intake writes them: sealed words
 * in review_items (the intake path itself is tested in tests/routes/reviews.test.ts).
 */
let context: BrowserContext;
let close: () => Promise<void>;

async function addItem(words: string, opts: { category?: string | null; linkId?: string | null } = {}): Promise<string> {
  const id = crypto.randomUUID();
  const now = new Date();
  await sql(
    `INSERT INTO review_items (id, partnership_id, response_id, question_id, text_hash, survey_id, partner_id, service_id, link_id, received_day, category,
                               source, evidence_sealed, text_sealed, created_at, due_at)
     VALUES (?1, 'demo', ?2, 'better', ?3, 'after-visit', 'demo-la', 'demo-social-work', ?4, ?5, ?6, 'rules', ?7, ?8, ?9, ?10)`,
    id,
    crypto.randomUUID(),
    crypto.randomUUID(),
    opts.linkId ?? null,
    now.toISOString().slice(0, 10),
    opts.category === undefined ? 'harm-by-others' : opts.category,
    await seal(LOCAL_ALERT_KEY, words.split(' ').slice(0, 4).join(' ')),
    await seal(LOCAL_ALERT_KEY, words),
    now.toISOString(),
    new Date(now.getTime() + 86_400_000).toISOString(),
  );
  return id;
}

beforeAll(async () => {
  ({ context, close } = await launch());
});
afterAll(() => close());

const expectNoViolations = async (page: Page) => {
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await axe(page), `axe at ${width}px`).toEqual([]);
    expect(await scrollsSideways(page), `sideways scroll at ${width}px`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
};

async function signInAsReviewer(page: Page) {
  await context.clearCookies();
  await page.goto(`${heard()}/dashboard/sign-in`);
  await tabTo(page, '#key');
  await page.keyboard.type('demo-reviewer-key');
  await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/reviews'), page.keyboard.press('Enter')]);
}

/** Chooses a decision on one item's card by keyboard and submits it. */
async function decide(page: Page, id: string, decision: string) {
  const card = page.locator(`section[aria-labelledby="review-${id}"]`);
  await card.locator(`#review-${id}-${decision}`).check();
  await Promise.all([page.waitForURL(/done=/), card.locator('button[type=submit]').press('Enter')]);
}

describe('the review queue in a browser', () => {
  it('lets a reviewer decide each outcome, with no accessibility violations', async () => {
    const links = await sql<{ id: string }>("SELECT id FROM feedback_links WHERE partnership_id = 'demo' LIMIT 1");
    await sql('UPDATE feedback_links SET contact_ref_sealed = ?1 WHERE id = ?2', await seal(LOCAL_ALERT_KEY, 'CASE-77'), links[0]!.id);
    const fine = await addItem('my brother annoys me and i dont want to go home when he is there');
    const escalate = await addItem('he grabbed my neck again last night');
    const worker = await addItem('i told the worker everything was fine because he was in the room', { category: null, linkId: links[0]!.id });

    const page = await context.newPage();
    await signInAsReviewer(page);
    expect(await page.locator('h1').textContent()).toBe('Review queue');
    expect(await page.locator('blockquote', { hasText: 'grabbed my neck' }).count()).toBe(1);
    expect(await page.locator('dd', { hasText: 'CASE-77' }).count()).toBe(1);
    // No contact reference, no "conversation with the worker" choice.
    expect(await page.locator(`#review-${fine}-worker-conversation`).count()).toBe(0);
    await expectNoViolations(page);

    await decide(page, fine, 'not-a-concern');
    expect(await page.locator('[role=status]').textContent()).toContain('Decision recorded');
    await expectNoViolations(page);

    await decide(page, escalate, 'escalate');
    expect(await page.locator('[role=status]').textContent()).toContain('now an alert');
    const alert = await sql<{ source: string }>(
      'SELECT a.source FROM safeguarding_alerts a JOIN review_items r ON r.alert_id = a.id WHERE r.id = ?1',
      escalate,
    );
    expect(alert).toEqual([{ source: 'review' }]);

    // Escalating an item with no kind of harm named asks for one, on the page, as an error.
    await page.locator(`#review-${worker}-escalate`).check();
    await page.locator(`section[aria-labelledby="review-${worker}"] button[type=submit]`).click();
    expect(await page.locator(`#review-${worker}-error`).textContent()).toContain('Kind of harm');
    await expectNoViolations(page);

    await page.goto(`${heard()}/dashboard/reviews`);
    await decide(page, worker, 'worker-conversation');
    const decided = await sql<{ id: string; decision: string }>(
      'SELECT id, decision FROM review_items WHERE id IN (?1, ?2, ?3) ORDER BY decision',
      fine,
      escalate,
      worker,
    );
    expect(decided.map((d) => d.decision)).toEqual(['escalate', 'not-a-concern', 'worker-conversation']);
    await page.goto(`${heard()}/dashboard/reviews?status=decided`);
    await expectNoViolations(page);
    await page.close();
  });
});
