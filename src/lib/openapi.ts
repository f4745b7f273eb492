import { toJsonSchema } from '@valibot/to-json-schema';
import type { Hono, MiddlewareHandler } from 'hono';
import type * as v from 'valibot';
import { OPENAPI, type ValidatorMeta } from './validate';

export interface RouteDoc {
  kind: 'doc';
  summary: string;
  tags: string[];
  auth?: boolean;
  requestContentTypes?: string[];
  /** The body schema when the route reads its body itself rather than through validate('json'). */
  body?: v.GenericSchema;
  responses: Record<number, { description: string; schema?: v.GenericSchema; contentType?: string }>;
}

/** Documents a route in the OpenAPI output; does nothing at request time. */
export function describe(doc: Omit<RouteDoc, 'kind'>): MiddlewareHandler {
  const middleware: MiddlewareHandler = async (_c, next) => next();
  return Object.assign(middleware, { [OPENAPI]: { kind: 'doc', ...doc } satisfies RouteDoc });
}

const jsonSchema = (schema: v.GenericSchema) =>
  toJsonSchema(schema, { target: 'draft-2020-12', errorMode: 'ignore', typeMode: 'input' }) as Record<string, unknown>;

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: {
          type: 'array',
          items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
};

type Meta = RouteDoc | ValidatorMeta;

/**
 * Builds an OpenAPI 3.1 document from the app's own routes: the `describe()` and `validate()`
 * middleware on each route carry the summaries and the valibot schemas.
 */
// biome-ignore lint/suspicious/noExplicitAny: any app, whatever its Env: only its routes are read
export function buildOpenApi(app: Hono<any>, info: { title: string; version: string; description: string }) {
  const operations = new Map<string, { method: string; path: string; metas: Meta[] }>();
  for (const route of app.routes) {
    const meta = (route.handler as unknown as Record<symbol, Meta | undefined>)[OPENAPI];
    if (!meta) continue;
    const key = `${route.method} ${route.path}`;
    const op = operations.get(key) ?? { method: route.method.toLowerCase(), path: route.path, metas: [] };
    op.metas.push(meta);
    operations.set(key, op);
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, metas } of operations.values()) {
    const doc = metas.find((m): m is RouteDoc => m.kind === 'doc');
    if (!doc) continue;
    const openPath = path.replace(/:([A-Za-z]+)/g, '{$1}');
    const validators = metas.filter((m): m is ValidatorMeta => m.kind === 'validator');
    const parameters: unknown[] = [];
    for (const name of path.match(/:([A-Za-z]+)/g) ?? []) {
      parameters.push({ name: name.slice(1), in: 'path', required: true, schema: { type: 'string' } });
    }
    const query = validators.find((m) => m.target === 'query');
    if (query) {
      const schema = jsonSchema(query.schema) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: prop });
      }
    }
    const body = validators.find((m) => m.target === 'json') ?? (doc.body ? { schema: doc.body } : undefined);
    const operation: Record<string, unknown> = {
      summary: doc.summary,
      tags: doc.tags,
      operationId: `${method}${openPath.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      ...(parameters.length ? { parameters } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries((doc.requestContentTypes ?? ['application/json']).map((t) => [t, { schema: jsonSchema(body.schema) }])),
            },
          }
        : {}),
      ...(doc.auth ? { security: [{ bearer: [] }] } : {}),
      responses: Object.fromEntries(
        Object.entries(doc.responses).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema
              ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema) } } }
              : Number(status) >= 400
                ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
                : {}),
          },
        ]),
      ),
    };
    (paths[openPath] ??= {})[method] = operation;
  }

  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Heard API key. Never put it in a URL.' } },
    },
  };
}
