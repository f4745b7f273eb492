import { validate } from '@scalar/openapi-parser';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { app, handleError } from '../../src/index';
import { api } from '../helpers';

describe('unknown routes', () => {
  it('answers 404 in the one error shape', async () => {
    const res = await api('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such route.' } });
  });

  it('answers 404 for a method a route does not have', async () => {
    const res = await api('/healthz', { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('unexpected errors', () => {
  it('answer 500 with a generic message and an error id, logging the id without the body', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = new Hono().post('/boom', () => {
      throw new Error('database exploded: SELECT secret');
    });
    broken.onError(handleError);
    const res = await broken.request('/boom', { method: 'POST', body: 'child said something private' });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; errorId: string } };
    expect(body.error.code).toBe('internal_error');
    expect(JSON.stringify(body)).not.toContain('exploded');
    expect(body.error.errorId).toMatch(/^[0-9a-f-]{36}$/);
    const logged = log.mock.calls.flat().join(' ');
    expect(logged).toContain(body.error.errorId);
    expect(logged).not.toContain('private');
    log.mockRestore();
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document covering every API route', async () => {
    const res = await api('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const routes = app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && r.method !== 'OPTIONS' && !r.path.endsWith('openapi.json'))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) expect(documented, route).toContain(route);
  });

  it('describes the response submission body from the valibot schema', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document walked by path in a test
    const doc = (await (await api('/api/v1/openapi.json')).json()) as any;
    const body = doc.paths['/api/v1/surveys/{id}/responses'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['id', 'answers']));
    expect(body.properties.ageBand.enum).toEqual(['5-7', '8-12', '13-17', 'adult']);
  });
});
