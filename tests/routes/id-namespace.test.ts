import { afterVisit } from '../../src/demo/surveys';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, countRows, KEYS, seedDemo, seedOtherPartnership } from '../helpers';

/**
 * One partnership must not learn which partner, service and survey ids another one uses. The
 * other partnership's ids here are the demo's own (`demo-police`, `demo-camhs`, `after-visit`)
 * and ones it creates through the API; a probe from the other side must answer exactly as it
 * does for an id nobody has.
 */
let other: Awaited<ReturnType<typeof seedOtherPartnership>>;
const fresh = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;

interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

beforeAll(async () => {
  await seedDemo();
  other = await seedOtherPartnership();
});

/** Status and error body of a create, with anything that names the asked id taken out. */
async function outcome(res: Response, asked: string) {
  return { status: res.status, body: (await res.text()).replaceAll(asked, '<id>') };
}

const create = {
  partner: (key: string, id: string) => api('/api/v1/partners', { method: 'POST', key, json: { id, name: 'Probe', kind: 'other' } }),
  service: (key: string, partnerId: string, id: string) => api(`/api/v1/partners/${partnerId}/services`, { method: 'POST', key, json: { id, name: 'Probe' } }),
  survey: (key: string, id: string) => api('/api/v1/surveys', { method: 'POST', key, json: { id, audience: 'child', definition: afterVisit } }),
};

describe('ids of partners, services and surveys', () => {
  it('answer a probe for another partnership’s id exactly as for a free id: 400 naming id, nothing stored', async () => {
    const demoSurvey = fresh('demo-probe');
    expect((await create.survey(KEYS.admin, demoSurvey)).status).toBe(201);
    const taken = { partner: ['demo-police', 'demo-la'], service: ['demo-camhs', 'demo-front-door'], survey: ['after-visit', 'family-rating', demoSurvey] };
    const free = {
      partner: [fresh('demo-nobody'), fresh('nobody')],
      service: [fresh('demo-nobody'), fresh('nobody')],
      survey: [fresh('demo-nobody'), fresh('nobody')],
    };
    for (const kind of ['partner', 'service', 'survey'] as const) {
      const probe = (id: string) =>
        kind === 'partner'
          ? create.partner(other.adminKey, id)
          : kind === 'service'
            ? create.service(other.adminKey, other.partnerId, id)
            : create.survey(other.adminKey, id);
      const answers = new Set<string>();
      for (const id of [...taken[kind], ...free[kind]]) {
        const res = await probe(id);
        const o = await outcome(res, id);
        expect(o.status, `${kind} ${id}`).toBe(400);
        expect((JSON.parse(o.body) as ErrorBody).error.fields).toEqual([
          { path: 'id', message: `must start with "${other.partnershipId}-" (ids are unique within your partnership)` },
        ]);
        answers.add(JSON.stringify(o));
      }
      expect(answers.size, kind).toBe(1);
    }
    expect(await countRows('SELECT COUNT(*) AS n FROM partners WHERE partnership_id = ?1', other.partnershipId)).toBe(1);
    expect(await countRows('SELECT COUNT(*) AS n FROM services WHERE partnership_id = ?1', other.partnershipId)).toBe(0);
    expect(await countRows('SELECT COUNT(*) AS n FROM surveys WHERE partnership_id = ?1', other.partnershipId)).toBe(1);
  });

  it('take any id in the partnership’s own namespace, and answer a clear 409 for one it already has', async () => {
    const own = { partner: `${other.partnershipId}-youth-justice`, service: `${other.partnershipId}-court-team`, survey: `${other.partnershipId}-after-court` };
    expect((await create.partner(other.adminKey, own.partner)).status).toBe(201);
    expect((await create.service(other.adminKey, own.partner, own.service)).status).toBe(201);
    expect((await create.survey(other.adminKey, own.survey)).status).toBe(201);
    for (const res of [
      await create.partner(other.adminKey, own.partner),
      await create.service(other.adminKey, own.partner, own.service),
      await create.survey(other.adminKey, own.survey),
    ]) {
      expect(res.status).toBe(409);
      expect(((await res.json()) as ErrorBody).error.code).toBe('id_taken');
    }
    // The survey's id is its public URL.
    expect((await api(`/api/v1/surveys/${own.survey}/publish`, { method: 'POST', key: other.adminKey })).status).toBe(200);
    expect((await api(`/s/${own.survey}`)).status).toBe(200);
  });

  it('keep the demo’s ids and public URLs working', async () => {
    expect((await api('/s/after-visit')).status).toBe(200);
    expect((await api('/api/v1/partners/demo-police/services', { key: KEYS.admin })).status).toBe(200);
  });
});
