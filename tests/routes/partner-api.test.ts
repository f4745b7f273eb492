import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { afterVisit } from '../../src/demo/surveys';
import { api, countRows, KEYS, seedDemo, seedOtherPartnership, submit } from '../helpers';

let other: Awaited<ReturnType<typeof seedOtherPartnership>>;
beforeAll(async () => {
  await seedDemo();
  other = await seedOtherPartnership();
});

/** A fresh id in the demo partnership's own namespace (ids start with the partnership id). */
const slug = (prefix: string) => `demo-${prefix}-${crypto.randomUUID().slice(0, 8)}`;
const json = async <T>(res: Response) => (await res.json()) as T;

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate when the key is missing, unknown or malformed', async () => {
    for (const key of [undefined, 'not-a-real-key', 'x']) {
      const res = await api('/api/v1/surveys', { ...(key ? { key } : {}) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
  });

  it('never takes a key from the URL', async () => {
    expect((await api('/api/v1/surveys?key=demo-admin-key')).status).toBe(401);
    expect((await api('/api/v1/surveys?access_token=demo-admin-key')).status).toBe(401);
  });
});

describe('surveys', () => {
  it('creates a draft, versions edits, publishes and closes', async () => {
    const id = slug('life');
    const created = await api('/api/v1/surveys', {
      method: 'POST',
      key: KEYS.admin,
      json: { id, audience: 'child', partnerId: 'demo-la', definition: afterVisit },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id, status: 'draft', version: 1, liveVersion: null });
    expect((await api(`/api/v1/surveys/${id}`)).status).toBe(404);

    expect(await json(await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: KEYS.admin }))).toMatchObject({ status: 'live', liveVersion: 1 });
    const edited = structuredClone(afterVisit);
    edited.title.en = 'How was it?';
    const updated = await api(`/api/v1/surveys/${id}`, { method: 'PUT', key: KEYS.admin, json: { definition: edited } });
    expect(await json(updated)).toMatchObject({ version: 2, liveVersion: 1 });
    // Respondents keep the published version until the edit is published.
    expect(await json<{ title: string; version: number }>(await api(`/api/v1/surveys/${id}`))).toMatchObject({ title: 'How did it go?', version: 1 });
    const first = crypto.randomUUID();
    await submit(id, { id: first, answers: { visit: 3 } });
    await api(`/api/v1/surveys/${id}/publish`, { method: 'POST', key: KEYS.admin });
    expect(await json<{ title: string }>(await api(`/api/v1/surveys/${id}`))).toMatchObject({ title: 'How was it?', version: 2 });
    const second = crypto.randomUUID();
    await submit(id, { id: second, answers: { visit: 3 } });
    const versions = await env.DB.prepare('SELECT id, survey_version FROM responses WHERE id IN (?1, ?2)')
      .bind(first, second)
      .all<{ id: string; survey_version: number }>();
    expect(Object.fromEntries(versions.results.map((r) => [r.id, r.survey_version]))).toEqual({ [first]: 1, [second]: 2 });

    expect(await json(await api(`/api/v1/surveys/${id}/close`, { method: 'POST', key: KEYS.admin }))).toMatchObject({ status: 'closed' });
    expect((await submit(id, { id: crypto.randomUUID(), answers: {} })).status).toBe(410);
  });

  it('keeps the version when an update does not change the definition', async () => {
    const id = slug('same');
    await api('/api/v1/surveys', { method: 'POST', key: KEYS.admin, json: { id, audience: 'child', definition: afterVisit } });
    const res = await api(`/api/v1/surveys/${id}`, {
      method: 'PUT',
      key: KEYS.admin,
      json: { definition: afterVisit, allowedOrigins: ['https://council.example'] },
    });
    expect(await json(res)).toMatchObject({ version: 1, allowedOrigins: ['https://council.example'] });
  });

  it('rejects an invalid definition naming each field', async () => {
    const bad = structuredClone(afterVisit) as unknown as { questions: Record<string, unknown>[] };
    bad.questions[1]!.showIf = { question: 'nowhere', equals: 'x' };
    delete (bad.questions[2]!.text as Record<string, string>).cy;
    const res = await api('/api/v1/surveys', { method: 'POST', key: KEYS.admin, json: { id: slug('bad'), audience: 'kids', definition: bad } });
    expect(res.status).toBe(400);
    const paths = (await json<{ error: { fields: { path: string }[] } }>(res)).error.fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['audience', 'definition.questions.1.showIf.question', 'definition.questions.2.text.cy']));
  });

  it('rejects an accent colour under 4.5:1 against white', async () => {
    const res = await api('/api/v1/surveys', {
      method: 'POST',
      key: KEYS.admin,
      json: { id: slug('pale'), audience: 'child', accentColour: '#ffdd00', definition: afterVisit },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('accentColour');
    const ok = await api('/api/v1/surveys', {
      method: 'POST',
      key: KEYS.admin,
      json: { id: slug('dark'), audience: 'child', accentColour: '#1d70b8', definition: afterVisit },
    });
    expect(ok.status).toBe(201);
  });

  it('answers 409 for an id the partnership already uses', async () => {
    const id = slug('dup');
    expect((await api('/api/v1/surveys', { method: 'POST', key: KEYS.admin, json: { id, audience: 'child', definition: afterVisit } })).status).toBe(201);
    const res = await api('/api/v1/surveys', { method: 'POST', key: KEYS.admin, json: { id, audience: 'child', definition: afterVisit } });
    expect(res.status).toBe(409);
  });

  it('lets a practice lead create surveys only for their own partner', async () => {
    const own = await api('/api/v1/surveys', { method: 'POST', key: KEYS.policeLead, json: { id: slug('pol'), audience: 'child', definition: afterVisit } });
    expect(own.status).toBe(201);
    expect(await json(own)).toMatchObject({ partnerId: 'demo-police' });
    const theirs = await api('/api/v1/surveys', {
      method: 'POST',
      key: KEYS.policeLead,
      json: { id: slug('hl'), audience: 'child', partnerId: 'demo-health', definition: afterVisit },
    });
    expect(theirs.status).toBe(403);
  });

  it('lets a practice lead change only their own partner’s surveys', async () => {
    expect((await api('/api/v1/surveys/after-visit/close', { method: 'POST', key: KEYS.policeLead })).status).toBe(404);
    expect((await api('/api/v1/surveys/family-rating/close', { method: 'POST', key: KEYS.policeLead })).status).toBe(403);
    expect((await api('/api/v1/surveys/after-visit', { method: 'PUT', key: KEYS.healthLead, json: {} })).status).toBe(404);
  });

  it('lets a scrutineer read but not write', async () => {
    expect((await api('/api/v1/surveys', { key: KEYS.scrutineer })).status).toBe(200);
    expect((await api('/api/v1/surveys/after-visit/draft', { key: KEYS.scrutineer })).status).toBe(200);
    expect((await api('/api/v1/surveys/after-visit/close', { method: 'POST', key: KEYS.scrutineer })).status).toBe(403);
    expect((await api('/api/v1/surveys', { method: 'POST', key: KEYS.scrutineer, json: {} })).status).toBe(403);
  });

  it('shows a practice lead their own and partnership-wide surveys only', async () => {
    const body = await json<{ surveys: { id: string; partnerId: string | null }[] }>(await api('/api/v1/surveys', { key: KEYS.healthLead }));
    expect(body.surveys.map((s) => s.id)).toContain('family-rating');
    expect(body.surveys.every((s) => s.partnerId === null || s.partnerId === 'demo-health')).toBe(true);
  });
});

describe('partners and services', () => {
  it('lets an admin add and rename partners and services', async () => {
    const id = slug('p');
    expect((await api('/api/v1/partners', { method: 'POST', key: KEYS.admin, json: { id, name: 'Youth Justice', kind: 'other' } })).status).toBe(201);
    expect(await json(await api(`/api/v1/partners/${id}`, { method: 'PATCH', key: KEYS.admin, json: { name: 'Youth Justice Service' } }))).toMatchObject({
      name: 'Youth Justice Service',
    });
    expect((await api(`/api/v1/partners/${id}/services`, { method: 'POST', key: KEYS.admin, json: { id: `${id}-s`, name: 'Court team' } })).status).toBe(201);
    expect(await json(await api(`/api/v1/services/${id}-s`, { method: 'PATCH', key: KEYS.admin, json: { name: 'Courts' } }))).toMatchObject({ name: 'Courts' });
    expect(await json(await api(`/api/v1/partners/${id}/services`, { key: KEYS.admin }))).toEqual({
      services: [{ id: `${id}-s`, partnerId: id, name: 'Courts' }],
    });
  });

  it('rejects a bad partner kind naming the field', async () => {
    const res = await api('/api/v1/partners', { method: 'POST', key: KEYS.admin, json: { id: slug('p'), name: 'X', kind: 'army' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('"path":"kind"');
  });

  it('shows a practice lead only their own partner, and lets them add services only there', async () => {
    expect(await json(await api('/api/v1/partners', { key: KEYS.policeLead }))).toEqual({
      partners: [{ id: 'demo-police', name: 'Demo Police', kind: 'police' }],
    });
    expect((await api('/api/v1/partners/demo-health/services', { key: KEYS.policeLead })).status).toBe(404);
    expect(
      (await api('/api/v1/partners/demo-police/services', { method: 'POST', key: KEYS.policeLead, json: { id: slug('s'), name: 'Missing persons' } })).status,
    ).toBe(201);
    expect((await api('/api/v1/partners/demo-health/services', { method: 'POST', key: KEYS.policeLead, json: { id: slug('s'), name: 'X' } })).status).toBe(404);
    expect((await api('/api/v1/services/demo-camhs', { method: 'PATCH', key: KEYS.policeLead, json: { name: 'X' } })).status).toBe(404);
    expect((await api('/api/v1/partners', { method: 'POST', key: KEYS.policeLead, json: { id: slug('p'), name: 'X', kind: 'other' } })).status).toBe(403);
  });
});

describe('feedback links', () => {
  it('issues a link shown once, lists it without the token, and revokes it', async () => {
    const res = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.policeLead,
      json: {
        surveyId: 'family-rating',
        partnerId: 'demo-police',
        serviceId: 'demo-public-protection',
        contactType: 'station-visit',
        expiresInDays: 7,
        singleUse: false,
      },
    });
    expect(res.status).toBe(201);
    const link = await json<{ id: string; token: string; url: string; expiresAt: string }>(res);
    expect(link.url).toBe(`http://heard.test/s/family-rating?link=${link.token}`);
    const listed = await json<{ links: Record<string, unknown>[] }>(await api('/api/v1/links', { key: KEYS.policeLead }));
    const found = listed.links.find((l) => l.id === link.id)!;
    expect(found).toMatchObject({ contactType: 'station-visit', singleUse: false });
    expect(JSON.stringify(listed)).not.toContain(link.token);
    const stored = await env.DB.prepare('SELECT * FROM feedback_links WHERE id = ?1').bind(link.id).first();
    expect(JSON.stringify(stored)).not.toContain(link.token);
    expect((await api(`/api/v1/links/${link.id}/revoke`, { method: 'POST', key: KEYS.healthLead })).status).toBe(404);
    expect((await api(`/api/v1/links/${link.id}/revoke`, { method: 'POST', key: KEYS.policeLead })).status).toBe(204);
    expect((await submit('family-rating', { id: crypto.randomUUID(), answers: {}, link: link.token })).status).toBe(410);
  });

  it('refuses a practice lead a link for another partner, and names bad fields', async () => {
    expect(
      (
        await api('/api/v1/links', {
          method: 'POST',
          key: KEYS.policeLead,
          json: { surveyId: 'family-rating', partnerId: 'demo-health', contactType: 'clinic' },
        })
      ).status,
    ).toBe(403);
    const res = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.admin,
      json: { surveyId: 'nope-survey', partnerId: 'demo-police', serviceId: 'demo-camhs', contactType: 'x y', expiresInDays: 400 },
    });
    expect(res.status).toBe(400);
    const paths = (await json<{ error: { fields: { path: string }[] } }>(res)).error.fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['contactType', 'expiresInDays']));
    const res2 = await api('/api/v1/links', {
      method: 'POST',
      key: KEYS.admin,
      json: { surveyId: 'nope-survey', partnerId: 'demo-police', serviceId: 'demo-camhs', contactType: 'visit' },
    });
    const paths2 = (await json<{ error: { fields: { path: string }[] } }>(res2)).error.fields.map((f) => f.path);
    expect(paths2).toEqual(['surveyId', 'serviceId']);
  });
});

describe('API keys', () => {
  it('creates a key shown once and stored hashed, which then works until revoked', async () => {
    const res = await api('/api/v1/keys', {
      method: 'POST',
      key: KEYS.admin,
      json: { role: 'practice-lead', partnerId: 'demo-education', label: 'Schools lead' },
    });
    expect(res.status).toBe(201);
    const created = await json<{ id: string; key: string }>(res);
    expect(created.key).toMatch(/^hk_[A-Za-z0-9_-]{20,}$/);
    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?1').bind(created.id).first();
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(await json(await api('/api/v1/partners', { key: created.key }))).toEqual({ partners: [expect.objectContaining({ id: 'demo-education' })] });
    const listed = await api('/api/v1/keys', { key: KEYS.admin });
    expect(await listed.text()).not.toContain(created.key);
    expect((await api(`/api/v1/keys/${created.id}`, { method: 'DELETE', key: KEYS.admin })).status).toBe(204);
    expect((await api('/api/v1/partners', { key: created.key })).status).toBe(401);
  });

  it('requires a partner for a practice lead key', async () => {
    const res = await api('/api/v1/keys', { method: 'POST', key: KEYS.admin, json: { role: 'practice-lead', label: 'x' } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('"path":"partnerId"');
  });

  it('lets only admins manage keys other than safeguarding-lead keys', async () => {
    for (const key of [KEYS.policeLead, KEYS.scrutineer]) {
      expect((await api('/api/v1/keys', { key })).status).toBe(403);
      expect((await api('/api/v1/keys', { method: 'POST', key, json: { role: 'admin', label: 'me' } })).status).toBe(403);
    }
    // A safeguarding lead manages safeguarding-lead keys only.
    expect((await api('/api/v1/keys', { method: 'POST', key: KEYS.safeguarding, json: { role: 'admin', label: 'me' } })).status).toBe(403);
  });
});

describe('partnership isolation', () => {
  it('never shows or changes another partnership’s data', async () => {
    const key = other.adminKey;
    expect((await json<{ surveys: { id: string }[] }>(await api('/api/v1/surveys', { key }))).surveys.map((s) => s.id)).toEqual([other.surveyId]);
    expect((await json<{ partners: { id: string }[] }>(await api('/api/v1/partners', { key }))).partners.map((p) => p.id)).toEqual([other.partnerId]);
    expect((await api('/api/v1/surveys/after-visit/draft', { key })).status).toBe(404);
    expect((await api('/api/v1/surveys/after-visit', { method: 'PUT', key, json: {} })).status).toBe(404);
    expect((await api('/api/v1/surveys/after-visit/close', { method: 'POST', key })).status).toBe(404);
    expect((await api('/api/v1/partners/demo-police', { method: 'PATCH', key, json: { name: 'Mine now' } })).status).toBe(404);
    expect((await api('/api/v1/partners/demo-police/services', { key })).status).toBe(404);
    expect((await api('/api/v1/services/demo-camhs', { method: 'PATCH', key, json: { name: 'X' } })).status).toBe(404);
    expect((await api('/api/v1/links', { method: 'POST', key, json: { surveyId: 'after-visit', partnerId: 'demo-la', contactType: 'visit' } })).status).toBe(
      400,
    );
    expect(JSON.stringify(await json(await api('/api/v1/links', { key })))).not.toContain('demo-');
    expect(JSON.stringify(await json(await api('/api/v1/keys', { key })))).not.toContain('demo-');
    expect((await api('/api/v1/keys/00000000-0000-4000-8000-00000000000a', { method: 'DELETE', key })).status).toBe(404);
    expect(await countRows('SELECT COUNT(*) AS n FROM api_keys WHERE id = ?1 AND revoked_at IS NULL', '00000000-0000-4000-8000-00000000000a')).toBe(1);
    expect(await json(await api('/api/v1/partnership', { key }))).toMatchObject({ id: other.partnershipId });
  });

  it('keeps a demo key out of the other partnership', async () => {
    expect((await api(`/api/v1/surveys/${other.surveyId}/draft`, { key: KEYS.admin })).status).toBe(404);
    expect((await api(`/api/v1/partners/${other.partnerId}/services`, { key: KEYS.admin })).status).toBe(404);
    expect((await api(`/api/v1/partners/${other.partnerId}`, { method: 'PATCH', key: KEYS.admin, json: { name: 'x' } })).status).toBe(404);
  });
});

describe('partnership settings', () => {
  it('lets an admin choose the nhs suppression rule and refuses others', async () => {
    expect((await api('/api/v1/partnership', { method: 'PATCH', key: KEYS.scrutineer, json: { suppressionRule: 'nhs' } })).status).toBe(403);
    const bad = await api('/api/v1/partnership', { method: 'PATCH', key: KEYS.admin, json: { suppressionRule: 'none', minBase: 3 } });
    expect(bad.status).toBe(400);
    const paths = (await json<{ error: { fields: { path: string }[] } }>(bad)).error.fields.map((f) => f.path);
    expect(paths).toEqual(['suppressionRule', 'minBase']);
    const { partnershipId } = other;
    const res = await api('/api/v1/partnership', { method: 'PATCH', key: other.adminKey, json: { suppressionRule: 'nhs' } });
    expect(await json(res)).toMatchObject({ id: partnershipId, suppressionRule: 'nhs', minBase: 10 });
    expect(await json(await api('/api/v1/partnership', { key: KEYS.scrutineer }))).toMatchObject({ id: 'demo', suppressionRule: 'dfe' });
  });
});
