import { beforeAll, describe, expect, it } from 'vitest';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(seedDemo);

const ID_INPUT = /<input type="hidden" name="id" value="([0-9a-f-]{36})"\/?>/;
const PRESS_INPUT = /<input type="hidden" name="press" value="([0-9a-f-]{36})"\/?>/;

async function page(path: string) {
  const res = await api(path);
  expect(res.status).toBe(200);
  const html = await res.text();
  const id = ID_INPUT.exec(html)?.[1];
  expect(id).toBeDefined();
  const press = PRESS_INPUT.exec(html)?.[1];
  expect(press).toBeDefined();
  return { html, id: id!, press: press!, csp: res.headers.get('content-security-policy'), cache: res.headers.get('cache-control') };
}

/** A fresh live survey of the demo partnership, so changing it touches no other test. */
async function makeSurvey() {
  const { afterVisit } = await import('../../src/demo/surveys');
  const id = `demo-tpl-${crypto.randomUUID().slice(0, 8)}`;
  expect(
    (await api('/api/v1/surveys', { method: 'POST', key: KEYS.admin, json: { id, audience: 'child', partnerId: 'demo-la', definition: afterVisit } })).status,
  ).toBe(201);
  expect((await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
  return { id, definition: afterVisit };
}

describe('GET /s/:id rendered once per version', () => {
  it('gives each request its own response id and "I’m not safe" press id, and the same page around them', async () => {
    const a = await page('/s/after-visit');
    const b = await page('/s/after-visit');
    expect(a.id).not.toBe(b.id);
    // A shared press id would join two children's presses into one alert.
    expect(a.press).not.toBe(b.press);
    expect(b.html.replace(b.id, a.id).replace(b.press, a.press)).toBe(a.html);
    expect(a.csp).toBe(b.csp);
    expect(a.csp).toContain('frame-ancestors');
    expect(a.cache).toBe('no-store');
    expect(a.html).not.toMatch(/\u{F8FF}/u);
  });

  it('keeps languages, age bands and embeds apart', async () => {
    const en = await page('/s/after-visit');
    const cy = await page('/s/after-visit?lang=cy');
    const band = await page('/s/after-visit?age=8-12');
    const embed = await page('/s/after-visit?embed=1');
    expect(cy.html).toContain('<html lang="cy"');
    expect(en.html).toContain('<html lang="en"');
    // The asked age band is carried on the language links (after-visit has one band, so the form names it either way).
    expect(band.html).toMatch(/href="\?[^"]*age=8-12/);
    expect(en.html).not.toMatch(/href="\?[^"]*age=8-12/);
    expect(embed.html.replace(embed.id, en.id).replace(embed.press, en.press)).not.toBe(en.html);
  });

  it('renders a new version, and a new accent colour, at once', async () => {
    const { id, definition } = await makeSurvey();
    const before = await page(`/s/${id}`);
    const changed = structuredClone(definition) as typeof definition;
    const intro = 'A brand new introduction for version two.';
    (changed as { intro?: unknown }).intro = { en: intro, cy: 'Cyflwyniad newydd sbon.' };
    const put = await api(`/api/v1/surveys/${id}`, { method: 'PUT', key: KEYS.admin, json: { definition: changed } });
    expect(put.status).toBe(200);
    expect((await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: KEYS.admin })).status).toBe(200);
    const after = await page(`/s/${id}`);
    expect(after.html).toContain(intro);
    expect(before.html).not.toContain(intro);

    expect((await api(`/api/v1/surveys/${id}`, { method: 'PUT', key: KEYS.admin, json: { accentColour: '#1d4f91' } })).status).toBe(200);
    const coloured = await page(`/s/${id}`);
    expect(coloured.html).toContain('--accent:#1d4f91');
    expect(coloured.csp).not.toBe(after.csp);
  });

  it('renders a link’s page per request, with the link', async () => {
    const res = await api('/s/after-visit?link=demo-home-visit-link');
    const html = await res.text();
    expect(html).toContain('name="link" value="demo-home-visit-link"');
    expect(ID_INPUT.test(html)).toBe(true);
  });
});
