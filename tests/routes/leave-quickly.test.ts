import { beforeAll, describe, expect, it } from 'vitest';
import { api, seedDemo } from '../helpers';

beforeAll(seedDemo);

/** The "Leave quickly" target a page hands to its script and its link, HTML entities undone. */
async function leaveTarget(path: string): Promise<{ data: string; href: string }> {
  const html = await (await api(path)).text();
  const unescapeHtml = (s: string) => s.replaceAll('&amp;', '&');
  const data = /data-leave="([^"]*)"/.exec(html)?.[1];
  const href = /<a class="leave" href="([^"]*)"/.exec(html)?.[1];
  expect(data).toBeDefined();
  return { data: unescapeHtml(data!), href: unescapeHtml(href ?? '') };
}

describe('Leave quickly', () => {
  const hostile = [
    'https://www.google.com/url?q=https://evil.example/',
    'https://www.google.com/search?q=how+to+tell+someone',
    'https://www.bing.com/ck/a?u=https://evil.example/#x',
    'https://duckduckgo.com/l/?uddg=https%3A%2F%2Fevil.example%2F',
  ];

  it.each(hostile)('keeps only the bare origin of a neutral site: %s', async (asked) => {
    const origin = new URL(asked).origin;
    for (const page of ['/s/after-visit', '/s/after-visit/chat', '/s/after-visit/thanks']) {
      const { data, href } = await leaveTarget(`${page}?leave=${encodeURIComponent(asked)}`);
      expect(data).toBe(`${origin}/`);
      expect(href).toBe(`${origin}/`);
    }
  });

  it('refuses a neutral-looking address with user info, and still allows a page on the survey’s own origin', async () => {
    expect((await leaveTarget(`/s/after-visit?leave=${encodeURIComponent('http://x@localhost:3000/weather')}`)).data).toBe('https://www.google.com/');
    expect((await leaveTarget(`/s/after-visit?leave=${encodeURIComponent('https://www.bbc.co.uk/weather?x=1')}`)).data).toBe('https://www.bbc.co.uk/');
    expect((await leaveTarget(`/s/after-visit?leave=${encodeURIComponent('http://localhost:3000/weather?x=1')}`)).data).toBe(
      'http://localhost:3000/weather?x=1',
    );
  });

  it('carries the cleaned target, not the asked one, to the next page', async () => {
    const html = await (await api(`/s/after-visit?leave=${encodeURIComponent(hostile[0]!)}`)).text();
    expect(html).not.toContain('evil.example');
    expect(html).not.toContain('url?q');
  });
});
