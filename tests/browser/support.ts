/// <reference types="node" />
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** The Worker under test (Miniflare, started by global-setup.ts). */
export const heard = () => inject('heardUrl');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Debian's Chromium, headless, with a fresh profile in a temp dir; never a downloaded browser.
 * One per test file: tests open their own pages (tabs), so history and sessionStorage are theirs.
 */
export async function launch(
  opts: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number }; hasTouch?: boolean; isMobile?: boolean } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'heard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    // A phone: touch events and a coarse pointer, so `(pointer: fine)` is false as on a real one.
    hasTouch: opts.hasTouch ?? false,
    isMobile: opts.isMobile ?? false,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core with the WCAG 2.2 A and AA rules in one frame (frames are checked one by one:
 * an embed's iframe is a different origin). Injected through DevTools, which the page's CSP allows.
 */
export async function axe(target: Page | Frame): Promise<AxeViolation[]> {
  const hasAxe = await target.evaluate(() => 'axe' in window);
  if (!hasAxe) await target.evaluate(AXE_SOURCE);
  return target.evaluate(async (tags) => {
    const w = window as unknown as {
      axe: {
        run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
      };
    };
    const result = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  }, WCAG_22_AA);
}

/** Rows from the test Worker's D1. */
export async function sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]> {
  const res = await fetch(inject('sqlUrl'), { method: 'POST', body: JSON.stringify({ sql: query, params }) });
  if (!res.ok) throw new Error(`sql failed: ${await res.text()}`);
  return (await res.json()) as T[];
}

/** Presses Tab (or Shift+Tab) until the focused element matches, as a keyboard user would. */
export async function tabTo(page: Page, selector: string, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (opts.max ?? 30); i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** True when the page scrolls sideways (it must not, at 320 px or at 200% zoom). */
export const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** The id the survey page will send (its hidden field). */
export const responseId = (page: Page) => page.inputValue('input[name=id]');
