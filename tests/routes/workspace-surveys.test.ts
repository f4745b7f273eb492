import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../dashboard-session';
import { api, KEYS, seedDemo } from '../helpers';

beforeAll(async () => {
  await seedDemo();
});

/** Every named field of the editor form with its current text, as a browser would post it unchanged. */
function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) fields[m[1]!] = decode(m[2]!);
  if (/id="welsh" name="welsh" checked=""/.test(html)) fields.welsh = 'on';
  return fields;
}

describe('workspace surveys (the same services/surveys.ts as /api/v1/surveys)', () => {
  it('lists surveys by title with status, version and this month’s responses (hidden when small)', async () => {
    const s = await signIn(KEYS.admin);
    const { res, html } = await s.get('/dashboard/surveys');
    expect(res.status).toBe(200);
    expect(html).toContain('>Tell us about your experience</a>');
    expect(html).not.toMatch(/<td>[^<]*family-rating[^<]*<\/td>/);
    expect(html).toContain('Version 1 is public');
  });

  it('creates a draft from a template, adds Welsh, reorders, publishes; drafts never reach the public', async () => {
    const s = await signIn(KEYS.policeLead);
    const created = await s.post('/dashboard/surveys', { template: 'family-rating', title: 'After a police visit', id: 'demo-police-visit' });
    expect(created.res.status).toBe(303);
    expect(created.res.headers.get('location')).toBe('/dashboard/surveys/demo-police-visit?created=1');
    // A draft is not public.
    expect((await api('/api/v1/surveys/demo-police-visit')).status).toBe(404);

    const edit = await s.get('/dashboard/surveys/demo-police-visit');
    expect(edit.res.status).toBe(200);
    const fields = formFields(edit.html);
    expect(fields['title.en']).toBe('After a police visit');
    expect(fields['title.cy']).toBe('');

    // Offer Welsh without writing it: each missing Welsh wording is named in words.
    const missing = await s.post('/dashboard/surveys/demo-police-visit', { ...fields, welsh: 'on', op: 'save' });
    expect(missing.res.status).toBe(400);
    expect(missing.html).toContain('Title (Welsh): missing cy translation');
    expect(missing.html).toContain('Question 1, wording (Welsh): missing cy translation');
    expect(missing.html).not.toContain('is not a known field');

    // Write the Welsh, move question 3 up.
    const welsh: Record<string, string> = { ...fields, welsh: 'on', op: 'up:2' };
    for (const name of Object.keys(fields)) if (name.endsWith('.en')) welsh[name.replace(/\.en$/, '.cy')] = `CY ${fields[name]}`;
    const saved = await s.post('/dashboard/surveys/demo-police-visit', welsh);
    expect(saved.res.status).toBe(303);
    const draft = (await (await api('/api/v1/surveys/demo-police-visit/draft', { key: KEYS.policeLead })).json()) as {
      version: number;
      definition: { languages: string[]; title: Record<string, string>; questions: { id: string }[] };
    };
    expect(draft.definition.languages).toEqual(['en', 'cy']);
    expect(draft.definition.title.cy).toBe('CY After a police visit');
    expect(draft.definition.questions.map((q) => q.id)).toEqual(['overall', 'improve', 'why']);
    expect(draft.version).toBe(2);

    const published = await s.post('/dashboard/surveys/demo-police-visit/publish', {});
    expect(published.res.status).toBe(303);
    const live = await api('/api/v1/surveys/demo-police-visit?lang=cy');
    expect(live.status).toBe(200);
    expect(JSON.stringify(await live.json())).toContain('CY After a police visit');
  });

  it('adds and removes questions of each kind, and duplicates a survey as a new draft', async () => {
    const s = await signIn(KEYS.admin);
    await s.post('/dashboard/surveys', { template: 'blank', title: 'Youth forum', id: 'demo-youth-forum', partnerId: '' });
    const fields = formFields((await s.get('/dashboard/surveys/demo-youth-forum')).html);
    for (const kind of ['yes-no', 'choice', 'rating']) {
      const current = formFields((await s.get('/dashboard/surveys/demo-youth-forum')).html);
      expect((await s.post('/dashboard/surveys/demo-youth-forum', { ...current, op: 'add', newKind: kind })).res.status).toBe(303);
    }
    const afterAdd = (await (await api('/api/v1/surveys/demo-youth-forum/draft', { key: KEYS.admin })).json()) as {
      definition: { questions: { kind: string }[] };
    };
    expect(afterAdd.definition.questions.map((q) => q.kind)).toEqual(['text', 'yes-no', 'choice', 'rating']);
    const current = formFields((await s.get('/dashboard/surveys/demo-youth-forum')).html);
    await s.post('/dashboard/surveys/demo-youth-forum', { ...current, op: 'remove:0' });
    const afterRemove = (await (await api('/api/v1/surveys/demo-youth-forum/draft', { key: KEYS.admin })).json()) as {
      definition: { questions: { kind: string }[] };
    };
    expect(afterRemove.definition.questions.map((q) => q.kind)).toEqual(['yes-no', 'choice', 'rating']);
    expect(Object.keys(fields).length).toBeGreaterThan(3);

    const dup = await s.post('/dashboard/surveys/demo-youth-forum/duplicate', {});
    expect(dup.res.headers.get('location')).toBe('/dashboard/surveys/demo-youth-forum-copy?duplicated=1');
    // The API's door to the same service.
    const viaApi = await api('/api/v1/surveys/demo-youth-forum/duplicate', { method: 'POST', key: KEYS.admin, json: { id: 'demo-youth-forum-2' } });
    expect(viaApi.status).toBe(201);
    expect(((await viaApi.json()) as { status: string }).status).toBe('draft');
  });

  it('names bad fields when creating, and refuses a scrutineer', async () => {
    const s = await signIn(KEYS.admin);
    const bad = await s.post('/dashboard/surveys', { template: 'blank', title: '', id: 'no-prefix' });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Title is required');
    const prefix = await s.post('/dashboard/surveys', { template: 'blank', title: 'X', id: 'no-prefix' });
    expect(prefix.res.status).toBe(400);
    expect(prefix.html).toContain('Web address name');
    const taken = await s.post('/dashboard/surveys', { template: 'blank', title: 'X', id: 'after-visit' });
    expect(taken.res.status).toBe(400);
    const scrutineer = await signIn(KEYS.scrutineer);
    expect((await scrutineer.get('/dashboard/surveys')).res.status).toBe(403);
  });
});

describe('survey preview', () => {
  it('shows the unpublished version in the asked language, and can send nothing', async () => {
    const s = await signIn(KEYS.admin);
    await s.post('/dashboard/surveys', { template: 'after-visit', title: 'Preview me', id: 'demo-preview-me', partnerId: '' });
    const fields = formFields((await s.get('/dashboard/surveys/demo-preview-me')).html);
    const welsh: Record<string, string> = { ...fields, welsh: 'on', op: 'save' };
    for (const name of Object.keys(fields)) if (name.endsWith('.en')) welsh[name.replace(/\.en$/, '.cy')] = `Cymraeg: ${fields[name]}`;
    expect((await s.post('/dashboard/surveys/demo-preview-me', welsh)).res.status).toBe(303);
    const preview = await s.get('/dashboard/surveys/demo-preview-me/preview?lang=cy');
    expect(preview.res.status).toBe(200);
    expect(preview.html).toContain('Cymraeg: Preview me');
    const csp = preview.res.headers.get('content-security-policy')!;
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).not.toContain("form-action 'self'");
    // Still a draft to everyone else.
    expect((await api('/s/demo-preview-me')).status).toBe(404);
  });
});

describe('POST /dashboard/surveys/:id/preview (the live preview)', () => {
  it('renders the unsaved wording with the public page’s view, writes nothing, and can send nothing', async () => {
    const s = await signIn(KEYS.admin);
    await s.post('/dashboard/surveys', { template: 'after-visit', title: 'Live preview', id: 'demo-live-route', partnerId: '' });
    const fields = formFields((await s.get('/dashboard/surveys/demo-live-route')).html);
    const before = (await s.get('/dashboard/surveys/demo-live-route/preview?lang=en')).html;
    const typed = { ...fields, 'questions.1.text.en': 'Did they listen to you today?', op: 'remove:0' };
    const preview = await s.post('/dashboard/surveys/demo-live-route/preview?lang=en', typed);
    expect(preview.res.status).toBe(200);
    expect(preview.html).toContain('Did they listen to you today?');
    // "Remove" pressed with the form is for saving: the preview still shows question 1.
    expect(preview.html).toContain('How did the visit from your social worker go?');
    expect(preview.res.headers.get('content-security-policy')).toContain("form-action 'none'");
    expect(preview.res.headers.get('cache-control')).toContain('no-store');
    // Nothing was saved: the saved draft's own preview is as it was.
    expect((await s.get('/dashboard/surveys/demo-live-route/preview?lang=en')).html.replace(/[0-9a-f-]{36}/g, '')).toBe(before.replace(/[0-9a-f-]{36}/g, ''));
    expect((await s.get('/dashboard/surveys/demo-live-route')).html).not.toContain('Did they listen to you today?');
  });

  it('names missing wording in plain words, and refuses a post without the session’s CSRF token', async () => {
    const s = await signIn(KEYS.admin);
    await s.post('/dashboard/surveys', { template: 'after-visit', title: 'Live preview 2', id: 'demo-live-route-2', partnerId: '' });
    const fields = formFields((await s.get('/dashboard/surveys/demo-live-route-2')).html);
    const halfWelsh = await s.post('/dashboard/surveys/demo-live-route-2/preview?lang=cy', { ...fields, welsh: 'on', 'title.cy': 'Rhagolwg' });
    expect(halfWelsh.res.status).toBe(400);
    expect(halfWelsh.html).toContain('Introduction (Welsh)');
    expect(halfWelsh.html).not.toMatch(/definition\.|questions\.\d|known field/);
    const forged = await s.post('/dashboard/surveys/demo-live-route-2/preview', fields, { csrf: 'forged' });
    expect(forged.res.status).toBe(403);
  });
});

describe('branching in the editor', () => {
  it('says in plain words when a move puts a question before the one it depends on, and saves nothing', async () => {
    const s = await signIn(KEYS.admin);
    await s.post('/dashboard/surveys', { template: 'after-visit', title: 'Branch order', id: 'demo-branch-order', partnerId: '' });
    // "Move down" on question 1 until it passes question 4, which is shown only after it.
    for (const at of [0, 1])
      expect(
        (await s.post('/dashboard/surveys/demo-branch-order', { ...formFields((await s.get('/dashboard/surveys/demo-branch-order')).html), op: `down:${at}` }))
          .res.status,
      ).toBe(303);
    const fields = formFields((await s.get('/dashboard/surveys/demo-branch-order')).html);
    const moved = await s.post('/dashboard/surveys/demo-branch-order', { ...fields, op: 'down:2' });
    expect(moved.res.status).toBe(400);
    expect(moved.html).toContain('Question 3 is shown only after an answer to question 4 (“How did the visit go?”), which now comes after it.');
    expect(moved.html).not.toMatch(/which is not an earlier question|known field/);
    expect(formFields((await s.get('/dashboard/surveys/demo-branch-order')).html)).toEqual(fields);
  });
});
