import { beforeAll, describe, expect, it } from 'vitest';
import { api, countRows, seedDemo, submit } from '../helpers';

beforeAll(seedDemo);

/** Rows whatever the case of their id: the fault stored `ABC…` beside `abc…`. */
const rowsFor = (id: string) => countRows('SELECT COUNT(*) AS n FROM responses WHERE lower(id) = ?1', id.toLowerCase());

describe('POST /api/v1/surveys/:id/responses with a UUID in another case', () => {
  it('treats the upper-cased id as a retry of the same response: 200, the same body, one row', async () => {
    const id = crypto.randomUUID();
    const answers = { visit: 2, better: 'more time to talk' };
    const first = await submit('after-visit', { id, answers });
    expect(first.status).toBe(201);
    const again = await submit('after-visit', { id: id.toUpperCase(), answers });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    expect(await rowsFor(id)).toBe(1);
  });

  it('stores an upper-cased id in lower case, so the lower-case retry matches it', async () => {
    const id = crypto.randomUUID().toUpperCase();
    const first = await submit('after-visit', { id, answers: { visit: 4 } });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id: id.toLowerCase() });
    expect((await submit('after-visit', { id: id.toLowerCase(), answers: { visit: 4 } })).status).toBe(200);
    expect(await countRows('SELECT COUNT(*) AS n FROM responses WHERE id = ?1', id.toLowerCase())).toBe(1);
    expect(await rowsFor(id)).toBe(1);
  });

  it('answers 409, not a new row, when the other-case id carries different answers', async () => {
    const id = crypto.randomUUID();
    expect((await submit('after-visit', { id, answers: { visit: 5 } })).status).toBe(201);
    const res = await submit('after-visit', { id: id.toUpperCase(), answers: { visit: 1 } });
    expect(res.status).toBe(409);
    expect(await rowsFor(id)).toBe(1);
  });

  it('does the same for the no-JavaScript form post', async () => {
    const id = crypto.randomUUID();
    const post = (formId: string) =>
      api('/api/v1/surveys/after-visit/responses', {
        method: 'POST',
        body: new URLSearchParams({ id: formId, 'answer.visit': '3' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    expect((await post(id)).status).toBe(303);
    expect((await post(id.toUpperCase())).status).toBe(303);
    expect(await rowsFor(id)).toBe(1);
  });
});
