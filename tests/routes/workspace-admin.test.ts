import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../dashboard-session';
import { api, countRows, KEYS, seedDemo } from '../helpers';

beforeAll(async () => {
  await seedDemo();
});

const today = () => new Date().toISOString().slice(0, 10);
const secretOn = (html: string) => /id="secret" class="copy" readonly="" value="([^"]+)"/.exec(html)?.[1];

describe('workspace keys page (the same services/keys.ts as /api/v1/keys)', () => {
  it('makes a key shown once, which then works on the API, shows when it was last used, and is revoked from the page', async () => {
    const s = await signIn(KEYS.admin);
    const made = await s.post('/dashboard/keys', { label: 'Health scrutiny panel', role: 'scrutineer', partnerId: '' });
    expect(made.res.status).toBe(200);
    const secret = secretOn(made.html)!;
    expect(secret).toMatch(/^hk_/);
    // Shown once: the list page afterwards never has it.
    const list = await s.get('/dashboard/keys');
    expect(list.html).not.toContain(secret);
    expect(list.html).toMatch(/<td>Health scrutiny panel<\/td><td>Scrutineer<\/td><td>Whole partnership<\/td><td>[^<]+<\/td><td>Never<\/td>/);

    expect((await api('/api/v1/partnership', { key: secret })).status).toBe(200);
    // Last used is written after the answer; wait for it briefly.
    let used: string | null = null;
    for (let i = 0; i < 50 && !used; i++) {
      used = (await env.DB.prepare('SELECT last_used_on FROM api_keys WHERE label = ?1')
        .bind('Health scrutiny panel')
        .first<{ last_used_on: string | null }>())!.last_used_on;
      if (!used) await new Promise((r) => setTimeout(r, 20));
    }
    expect(used).toBe(today());
    const viaApi = (await (await api('/api/v1/keys', { key: KEYS.admin })).json()) as { keys: { id: string; label: string; lastUsedOn: string | null }[] };
    const listed = viaApi.keys.find((k) => k.label === 'Health scrutiny panel')!;
    expect(listed.lastUsedOn).toBe(today());

    const revoked = await s.post(`/dashboard/keys/${listed.id}/revoke`, {});
    expect(revoked.res.status).toBe(303);
    expect((await api('/api/v1/partnership', { key: secret })).status).toBe(401);
    expect((await s.get('/dashboard/keys')).html).toContain('Revoked');
  });

  it('names bad fields, and an admin cannot make a safeguarding-lead key through the page either', async () => {
    const s = await signIn(KEYS.admin);
    const before = await countRows('SELECT COUNT(*) AS n FROM api_keys');
    const blank = await s.post('/dashboard/keys', { label: '', role: 'scrutineer' });
    expect(blank.res.status).toBe(400);
    expect(blank.html).toContain('href="#k-label"');
    const badPartner = await s.post('/dashboard/keys', { label: 'x', role: 'practice-lead', partnerId: 'demo-nope' });
    expect(badPartner.res.status).toBe(400);
    expect(badPartner.html).toContain('Partner is not a partner of this partnership');
    const sgl = await s.post('/dashboard/keys', { label: 'Sneaky', role: 'safeguarding-lead' });
    expect(sgl.res.status).toBe(403);
    expect(sgl.html).toContain('Only a safeguarding lead may create or revoke safeguarding-lead keys');
    expect(await countRows('SELECT COUNT(*) AS n FROM api_keys')).toBe(before);
  });

  it('refuses practice leads and posts without the CSRF token', async () => {
    const lead = await signIn(KEYS.policeLead);
    expect((await lead.get('/dashboard/keys')).res.status).toBe(403);
    const admin = await signIn(KEYS.admin);
    expect((await admin.post('/dashboard/keys', { label: 'No token', role: 'scrutineer' }, { csrf: null })).res.status).toBe(403);
  });
});

describe('workspace partners page (the same services/partners.ts as /api/v1/partners)', () => {
  it('adds a partner and a service that the API then lists; a wrong id prefix or a taken id is a field problem', async () => {
    const s = await signIn(KEYS.admin);
    const wrong = await s.post('/dashboard/partners', { id: 'fire-service', name: 'Fire service', kind: 'other' });
    expect(wrong.res.status).toBe(400);
    expect(wrong.html).toContain('The id must start with &quot;demo-&quot;');
    const ok = await s.post('/dashboard/partners', { id: 'demo-fire', name: 'Fire and rescue', kind: 'other' });
    expect(ok.res.status).toBe(303);
    const taken = await s.post('/dashboard/partners', { id: 'demo-fire', name: 'Again', kind: 'other' });
    expect(taken.res.status).toBe(400);
    expect(taken.html).toContain('The id is taken');
    const service = await s.post('/dashboard/partners/demo-fire/services', { id: 'demo-fire-prevention', name: 'Home fire safety visits' });
    expect(service.res.status).toBe(303);
    const listed = (await (await api('/api/v1/partners/demo-fire/services', { key: KEYS.admin })).json()) as { services: { id: string; name: string }[] };
    expect(listed.services).toEqual([{ id: 'demo-fire-prevention', partnerId: 'demo-fire', name: 'Home fire safety visits' }]);
    expect((await s.get('/dashboard/partners')).html).toContain('<li>Home fire safety visits</li>');
  });
});

describe('workspace settings page (the same services/partnership.ts as /api/v1/partnership)', () => {
  it('switches the suppression rule, which the API then reports', async () => {
    const s = await signIn(KEYS.admin);
    const saved = await s.post('/dashboard/settings', { name: 'Demo Safeguarding Children Partnership', suppressionRule: 'nhs' });
    expect(saved.res.status).toBe(303);
    const got = (await (await api('/api/v1/partnership', { key: KEYS.admin })).json()) as { suppressionRule: string };
    expect(got.suppressionRule).toBe('nhs');
    await s.post('/dashboard/settings', { name: 'Demo Safeguarding Children Partnership', suppressionRule: 'dfe' });
    const back = (await (await api('/api/v1/partnership', { key: KEYS.admin })).json()) as { suppressionRule: string };
    expect(back.suppressionRule).toBe('dfe');
  });

  it('sets the webhook with a signing secret shown once, refuses an internal address in words, and turns it off', async () => {
    const s = await signIn(KEYS.admin);
    const internal = await s.post('/dashboard/settings/webhook', { alertWebhookUrl: 'https://127.0.0.1/hook' });
    expect(internal.res.status).toBe(400);
    expect(internal.html).toMatch(/Webhook address [^<]+/);
    const set = await s.post('/dashboard/settings/webhook', { alertWebhookUrl: 'https://frontdoor.example.org/heard' });
    expect(set.res.status).toBe(200);
    expect(secretOn(set.html)).toMatch(/^whsec_/);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'partnership.alert-webhook'")).toBeGreaterThan(0);
    const rotated = await s.post('/dashboard/settings/webhook/secret', {});
    expect(secretOn(rotated.html)).toMatch(/^whsec_/);
    expect(secretOn(rotated.html)).not.toBe(secretOn(set.html));
    const off = await s.post('/dashboard/settings/webhook', { alertWebhookUrl: '' });
    expect(off.res.headers.get('location')).toBe('/dashboard/settings?saved=webhook-off');
    const got = (await (await api('/api/v1/partnership', { key: KEYS.admin })).json()) as { alertWebhookUrl: string | null };
    expect(got.alertWebhookUrl).toBeNull();
  });

  it('is for admins only', async () => {
    const lead = await signIn(KEYS.policeLead);
    expect((await lead.get('/dashboard/settings')).res.status).toBe(403);
    expect((await lead.post('/dashboard/settings', { suppressionRule: 'nhs' })).res.status).toBe(403);
  });
});

describe('workspace themes page (the same services/taxonomy.ts as /api/v1/taxonomy)', () => {
  it('adds words to a default theme and a theme of its own, which the API then lists; re-analyses stored answers step by step', async () => {
    const s = await signIn(KEYS.admin);
    const page = await s.get('/dashboard/themes');
    expect(page.res.status).toBe(200);
    const saved = await s.post('/dashboard/themes', {
      'terms.timeliness': 'queue*\nslow',
      'new.label': 'Youth clubs',
      'new.terms': 'youth club\nyouth centre',
    });
    expect(saved.res.status).toBe(303);
    const got = (await (await api('/api/v1/taxonomy', { key: KEYS.admin })).json()) as { custom: { synonyms: Record<string, string[]>; themes: unknown[] } };
    expect(got.custom.synonyms.timeliness).toEqual(['queue*', 'slow']);
    expect(got.custom.themes).toEqual([{ id: 'youth-clubs', label: 'Youth clubs', terms: ['youth club', 'youth centre'] }]);

    const bad = await s.post('/dashboard/themes', { 'terms.timeliness': 'wait(ing)?' });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toMatch(/Timeliness[^:<]*: /i);
    expect(bad.html).toContain('href="#t-timeliness"');

    const step = await s.post('/dashboard/themes/reanalyse', {});
    expect(step.res.status).toBe(200);
    expect(step.html).toMatch(/(Done|So far): \d+ answers checked/);
  });
});
