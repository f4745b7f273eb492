import { Lru } from '../lib/lru';

/**
 * Pages rendered once per isolate and filled in per request. A survey page is the same for every
 * respondent of one (survey, version, language, age band, embed, leave page) except its fresh
 * response id; rendering the JSX tree each time costs most of the page's CPU.
 *
 * Slots are marked with characters from Unicode's private use area, which JSX escaping leaves as
 * they are and no survey text or locale string contains; a template is split at them once.
 */

/** Enough for every language and age band of a few hundred live surveys (a page is ~10 KB). */
const MAX_BYTES = 8_000_000;
const templates = new Lru<string, PageTemplate>(MAX_BYTES);

const MARK = '\u{F8FF}';
/** The placeholder a render puts where a per-request value goes. */
export const slot = (name: string) => `${MARK}${name}${MARK}`;

/** A rendered page with its headers, and the slots its per-request values go into. */
export class PageTemplate {
  private readonly parts: string[];

  constructor(
    html: string,
    readonly headers: Record<string, string>,
  ) {
    // Odd indexes are slot names: "a␣id␣b" splits into ["a", "id", "b"].
    this.parts = html.split(MARK);
    if (this.parts.length % 2 === 0) throw new Error('page template: an unclosed slot mark');
  }

  /** The page with each slot replaced; a slot without a value is an error, never a leaked placeholder. */
  fill(values: Record<string, string>): string {
    let html = '';
    for (let i = 0; i < this.parts.length; i++) {
      if (i % 2 === 0) html += this.parts[i];
      else {
        const value = values[this.parts[i]!];
        if (value === undefined) throw new Error(`page template: no value for slot ${this.parts[i]}`);
        html += value;
      }
    }
    return html;
  }

  get size(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }
}

/**
 * The template for a key, rendered on first use in this isolate. The key must name everything
 * the render reads (the survey's id, version and last change, the language, age band, …).
 */
export async function pageTemplate(key: string, render: () => Promise<{ html: string; headers: Record<string, string> }>): Promise<PageTemplate> {
  const kept = templates.get(key);
  if (kept) return kept;
  const { html, headers } = await render();
  const template = new PageTemplate(html, headers);
  templates.set(key, template, template.size);
  return template;
}
