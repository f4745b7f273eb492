import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../dashboard-session';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(async () => {
  await seedDemo();
});

const htmlDecode = (s: string) => s.replace(/&amp;/g, '&');

describe('workspace feeds page (the same services/feed-tokens.ts as /api/v1/feed-tokens)', () => {
  it('mints a token shown once with its three addresses and instructions; the Atom feed reads with it; revoking stops it', async () => {
    const s = await signIn(KEYS.policeLead);
    const minted = await s.post('/dashboard/feeds', { label: 'Police SMT Teams channel' });
    expect(minted.res.status).toBe(200);
    const atom = htmlDecode(/id="feed-atom" class="copy" readonly="" value="([^"]+)"/.exec(minted.html)![1]!);
    expect(atom).toMatch(/^http:\/\/heard\.test\/api\/v1\/feeds\/insights\.atom\?token=ft_/);
    for (const words of ['Outlook', 'Microsoft Teams', 'A feed reader']) expect(minted.html).toContain(words);

    const feed = await api(new URL(atom).pathname + new URL(atom).search);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('atom');

    // The API lists the token the page made (never its secret); the page lists it too, without the secret.
    const listed = (await (await api('/api/v1/feed-tokens', { key: KEYS.policeLead })).json()) as { tokens: { id: string; label: string }[] };
    const token = listed.tokens.find((t) => t.label === 'Police SMT Teams channel')!;
    const list = await s.get('/dashboard/feeds');
    expect(list.html).toContain('Police SMT Teams channel');
    expect(list.html).not.toContain(new URL(atom).searchParams.get('token')!);

    const revoked = await s.post(`/dashboard/feeds/${token.id}/revoke`, {});
    expect(revoked.res.status).toBe(303);
    expect((await api(new URL(atom).pathname + new URL(atom).search)).status).toBe(401);
  });

  it('a token minted through the API is revoked from the page; another lead cannot revoke it', async () => {
    const made = await api('/api/v1/feed-tokens', { method: 'POST', key: KEYS.healthLead, json: { label: 'Health reader' } });
    const { id } = (await made.json()) as { id: string };
    const police = await signIn(KEYS.policeLead);
    expect((await police.post(`/dashboard/feeds/${id}/revoke`, {})).res.status).toBe(404);
    const health = await signIn(KEYS.healthLead);
    expect((await health.post(`/dashboard/feeds/${id}/revoke`, {})).res.status).toBe(303);
  });

  it('names a missing label, and refuses a safeguarding lead', async () => {
    const s = await signIn(KEYS.scrutineer);
    const blank = await s.post('/dashboard/feeds', { label: '' });
    expect(blank.res.status).toBe(400);
    expect(blank.html).toContain('href="#f-label"');
    const sg = await signIn(KEYS.safeguarding);
    expect((await sg.get('/dashboard/feeds')).res.status).toBe(403);
  });
});
