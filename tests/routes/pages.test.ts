import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(seedDemo);

const csp = (res: Response) => res.headers.get('content-security-policy') ?? '';
const directive = (res: Response, name: string) =>
  csp(res)
    .split(/;\s*/)
    .find((d) => d.startsWith(`${name} `));

async function makeSurvey(opts: { allowedOrigins?: string[]; accentColour?: string; publish?: boolean }) {
  const { familyRating } = await import('../../src/demo/surveys');
  const id = `demo-p-${crypto.randomUUID().slice(0, 8)}`;
  const created = await api('/api/v1/surveys', {
    method: 'POST',
    key: KEYS.admin,
    json: { id, audience: 'family', allowedOrigins: opts.allowedOrigins ?? [], accentColour: opts.accentColour, definition: familyRating },
  });
  expect(created.status).toBe(201);
  if (opts.publish) expect((await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
  return id;
}

describe('GET /s/:id', () => {
  it('renders the survey as a plain form posting to the intake endpoint', async () => {
    const res = await api('/s/after-visit?lang=cy&link=demo-home-visit-link');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html><html lang="cy" dir="ltr">/);
    expect(html).toContain('<title>Adborth</title>');
    expect(html).toContain('action="/api/v1/surveys/after-visit/responses"');
    expect(html).toContain('name="link" value="demo-home-visit-link"');
    expect(html).toContain('name="lang" value="cy"');
    expect(html).toContain('Os wyt ti mewn perygl nawr, ffonia');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
  });

  it('frames only from the survey’s allowed origins, with no X-Frame-Options', async () => {
    const res = await api('/s/after-visit');
    expect(directive(res, 'frame-ancestors')).toBe('frame-ancestors http://localhost:* http://127.0.0.1:*');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(directive(res, 'script-src')).toBe("script-src 'self'");
    expect(csp(res)).toContain("object-src 'none'");
    expect(csp(res)).toContain("base-uri 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('permissions-policy')).toMatch(/geolocation=\(\), camera=\(\), microphone=\(\)/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('uses each survey’s own origins, and refuses all framing when it has none', async () => {
    const partner = await makeSurvey({ allowedOrigins: ['https://council.example', 'https://school.example:8443'], publish: true });
    expect(directive(await api(`/s/${partner}`), 'frame-ancestors')).toBe('frame-ancestors https://council.example https://school.example:8443');
    const closed = await makeSurvey({ publish: true });
    expect(directive(await api(`/s/${closed}`), 'frame-ancestors')).toBe("frame-ancestors 'none'");
  });

  it('sets the partner accent through a hashed inline style the CSP allows', async () => {
    const id = await makeSurvey({ accentColour: '#8a1538', publish: true });
    const res = await api(`/s/${id}`);
    const html = await res.text();
    const css = ':root{--accent:#8a1538}';
    expect(html).toContain(`<style>${css}</style>`);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)));
    expect(directive(res, 'style-src')).toBe(`style-src 'self' 'sha256-${btoa(String.fromCharCode(...digest))}'`);
  });

  it('answers 404 with a page for an unknown survey and for a draft', async () => {
    for (const id of ['no-such-survey', await makeSurvey({})]) {
      const res = await api(`/s/${id}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toContain('We can’t find this page');
      expect(html).toContain('Leave quickly');
      expect(directive(res, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    }
  });

  it('ignores a Leave quickly page on an origin the survey does not allow', async () => {
    expect(await (await api('/s/after-visit?leave=https://evil.example/')).text()).toContain('data-leave="https://www.google.com/"');
    expect(await (await api('/s/after-visit?leave=http://localhost:3000/weather')).text()).toContain('data-leave="http://localhost:3000/weather"');
  });
});

describe('GET /s/:id/thanks', () => {
  it('thanks, says what happens next, and keeps the safety line', async () => {
    const html = await (await api('/s/after-visit/thanks?lang=en')).text();
    expect(html).toContain('<h1 class="thanks">Thank you for telling us.</h1>');
    expect(html).toContain('People who run the service read what children say');
    expect(html).toContain('If you are in danger now, call');
    expect(html).not.toContain('data-signpost');
  });

  it('after a possible disclosure shows only the signpost and a calm line: no "what happens next", no "you said, we did"', async () => {
    const html = await (await api('/s/after-visit/thanks?lang=en&support=1')).text();
    expect(html.indexOf('data-signpost')).toBeGreaterThan(0);
    expect(html).toContain('Thank you for telling us. You did the right thing.</h1>');
    expect(html).toContain('We don’t know who you are, so we can’t come and help you ourselves. These people can, right now.');
    expect(html).toContain('href="tel:08001111"');
    expect(html).not.toMatch(/What happens next|You said/);
    const known = await (await api('/s/after-visit/thanks?lang=en&support=1&known=1')).text();
    expect(known).not.toContain('We don’t know who you are');
  });

  it('shows "you said, we did" without a doubled "You said"', async () => {
    const html = await (await api('/s/after-visit/thanks?lang=en')).text();
    expect(html).toContain('You said: you had to tell your story again and again.');
    expect(html).not.toContain('You said: You said');
  });

  it('on the community survey shows only its own actions, or says plainly that nothing is published yet', async () => {
    const html = await (await api('/s/community-voice/thanks?lang=en')).text();
    expect(html).not.toContain('You said');
    expect(html).toContain('Nothing has been published here yet.');
  });
});

describe('static assets', () => {
  it('serves content-hashed page assets as immutable and the loader with a short cache', async () => {
    const page = await (await api('/s/after-visit')).text();
    const js = page.match(/src="(\/assets\/survey\.[0-9a-f]{12}\.js)"/)![1]!;
    const res = await api(js);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const loader = await api('/widget.js');
    expect(loader.status).toBe(200);
    expect(loader.headers.get('cache-control')).toBe('public, max-age=300');
    expect((await api('/assets/survey.000000000000.js')).status).toBe(404);
  });

  it('refuses framing everywhere outside /s/', async () => {
    const res = await api('/healthz');
    expect(directive(res, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('POST /api/v1/surveys/:id/responses (form, without JavaScript)', () => {
  const post = (body: URLSearchParams, query = '') =>
    api(`/api/v1/surveys/after-visit/responses${query}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('re-renders the survey page (400) with linked errors when an answer is invalid', async () => {
    const res = await post(new URLSearchParams({ id: crypto.randomUUID(), 'answer.visit': '2', 'answer.good': 'x'.repeat(1001) }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<a href="#a-good">Your answer is too long. Use 1000 characters or fewer.</a>');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toMatch(/id="a-visit-1" name="answer.visit" value="2" checked/);
  });

  it('keeps embed and leave on the way to the thank-you page', async () => {
    const res = await post(new URLSearchParams({ id: crypto.randomUUID(), 'answer.visit': '5' }), '?embed=1&leave=http%3A%2F%2Flocalhost%3A3000%2F');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/s/after-visit/thanks?lang=en&embed=1&leave=http%3A%2F%2Flocalhost%3A3000%2F');
  });

  it('drops an answer to a branch the respondent did not take instead of refusing the form', async () => {
    const id = crypto.randomUUID();
    const res = await post(new URLSearchParams({ id, 'answer.visit': '5', 'answer.better': 'nothing' }));
    expect(res.status).toBe(303);
    const row = await env.DB.prepare('SELECT answers FROM responses WHERE id = ?1').bind(id).first<{ answers: string }>();
    expect(Object.keys(JSON.parse(row!.answers))).toEqual(['visit']);
  });
});
