import { beforeAll, describe, expect, it } from 'vitest';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(seedDemo);

const directive = (res: Response, name: string) => (res.headers.get('content-security-policy') ?? '').split(/;\s*/).find((d) => d.startsWith(`${name} `));

async function draftSurvey(allowedOrigins: string[] = []) {
  const { familyRating } = await import('../../src/demo/surveys');
  const id = `demo-c-${crypto.randomUUID().slice(0, 8)}`;
  const created = await api('/api/v1/surveys', { method: 'POST', key: KEYS.admin, json: { id, audience: 'family', allowedOrigins, definition: familyRating } });
  expect(created.status).toBe(201);
  return id;
}

describe('GET /s/:id/chat', () => {
  it('renders the chat shell: a polite log, a labelled group for quick replies, a labelled text box, and the safety line', async () => {
    const res = await api('/s/after-visit/chat');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="en" dir="ltr">/);
    expect(html).toContain('<title>Feedback</title>');
    expect(html).toMatch(/role="log" aria-live="polite"/);
    expect(html).toMatch(/role="group" aria-labelledby="chat-choose"/);
    expect(html).toContain('<label class="label" for="chat-text" data-text-label="true">Or type your answer</label>');
    expect(html).toContain('If you are in danger now, call <a href="tel:999">999</a>');
    expect(html).toContain('<a href="tel:08001111">0800 1111</a>');
    expect(html).toContain('Leave quickly');
    expect(html.indexOf('We won&#39;t know it&#39;s you.')).toBeGreaterThan(0);
    expect(html.indexOf('We won&#39;t know it&#39;s you.')).toBeLessThan(html.indexOf('<textarea')); // read before anything is typed
    expect(html).toMatch(/<script src="\/assets\/chat\.[0-9a-f]{12}\.js" defer=""><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
  });

  it('links to the same survey as a form for when JavaScript is off, keeping lang, age, link, embed and leave', async () => {
    const html = await (await api('/s/after-visit/chat?lang=cy&age=8-12&link=demo-home-visit-link&embed=1&leave=http%3A%2F%2Flocalhost%3A3000%2F')).text();
    expect(html).toContain('<html lang="cy" dir="ltr">');
    expect(html).toContain('Mae angen JavaScript ar y sgwrs');
    const href = html.match(/<a href="([^"]+)" data-form-link/)![1]!.replaceAll('&amp;', '&');
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/s/after-visit');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      age: '8-12',
      link: 'demo-home-visit-link',
      embed: '1',
      leave: 'http://localhost:3000/',
      lang: 'cy',
    });
    // The chat itself stays hidden until its script runs.
    expect(html).toMatch(/<div class="chat" data-chat="true" data-config="[^"]*" hidden="">/);
  });

  it('tells the script how to start: the survey, language, age band and a valid link only', async () => {
    const config = async (query: string) => {
      const html = await (await api(`/s/after-visit/chat${query}`)).text();
      return JSON.parse(
        html
          .match(/data-config="([^"]*)"/)![1]!
          .replaceAll('&quot;', '"')
          .replaceAll('&amp;', '&'),
      ) as Record<string, unknown>;
    };
    expect(await config('?lang=cy&link=demo-home-visit-link')).toMatchObject({
      start: '/api/v1/surveys/after-visit/conversations',
      conversations: '/api/v1/conversations/',
      body: { lang: 'cy', ageBand: '8-12', link: 'demo-home-visit-link' },
      key: 'heard:chat:after-visit:cy',
    });
    expect((await config('?link=<script>')).body).toEqual({ lang: 'en', ageBand: '8-12' });
  });

  it('frames only from the survey’s allowed origins, with no X-Frame-Options, and is never cached', async () => {
    const res = await api('/s/after-visit/chat?embed=1');
    expect(directive(res, 'frame-ancestors')).toBe('frame-ancestors http://localhost:* http://127.0.0.1:*');
    expect(directive(res, 'script-src')).toBe("script-src 'self'");
    expect(directive(res, 'connect-src')).toBe("connect-src 'self'");
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('<body class="embed"');
  });

  it('answers 404 with a neutral page for an unknown survey and for a draft', async () => {
    for (const id of ['no-such-survey', await draftSurvey(['https://council.example'])]) {
      const res = await api(`/s/${id}/chat`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toContain('We can’t find this page');
      expect(html).toContain('Leave quickly');
      expect(html).not.toContain('data-chat');
      expect(directive(res, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    }
  });

  it('ignores a Leave quickly page on an origin the survey does not allow', async () => {
    expect(await (await api('/s/after-visit/chat?leave=https://evil.example/')).text()).toContain('data-leave="https://www.google.com/"');
  });
});
