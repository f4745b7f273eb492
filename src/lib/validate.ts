import type { Context, MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { ApiError, invalid, type FieldProblem } from './errors';

export const MAX_BODY_BYTES = 32 * 1024;

/** Marks a middleware with what the OpenAPI generator needs to know about it. */
export const OPENAPI = Symbol('openapi');
export type Target = 'json' | 'query' | 'param';
export interface ValidatorMeta {
  kind: 'validator';
  target: Target;
  schema: v.GenericSchema;
}

/** Turns valibot issues into our field list; never includes the input values. */
export function fieldProblems(issues: v.BaseIssue<unknown>[], prefix = ''): FieldProblem[] {
  return issues.map((issue) => {
    const path = (issue.path ?? []).map((item) => String(item.key)).join('.');
    return { path: [prefix, path].filter(Boolean).join('.') || '(body)', message: plainMessage(issue) };
  });
}

// valibot's default messages quote the received value ("Received 'xyz'"), which would echo input back.
function plainMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.message && !/received/i.test(issue.message)) return issue.message;
  // An object schema reports a missing key and an unknown one alike (as "Invalid key"): only the
  // unknown one expects `never`; a missing one was received as undefined.
  if (issue.expected === 'never') return 'is not a known field';
  if (/^(strict_|loose_)?object$/.test(issue.type) && issue.received === 'undefined') return 'is required';
  if (issue.kind === 'schema') {
    return issue.expected ? `must be ${issue.expected.replace(/"/g, '')}` : 'has the wrong type';
  }
  return 'is not valid';
}

/** Parses with a schema and throws our 400 naming each bad field. */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, input: unknown, prefix = ''): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw invalid(fieldProblems(result.issues, prefix));
  return result.output;
}

/** Reads a JSON body with the size, type and syntax checks every API route shares. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  const text = await readText(c);
  try {
    return JSON.parse(text);
  } catch {
    throw invalid([{ path: '(body)', message: 'must be valid JSON' }], 'The body is not valid JSON.');
  }
}

/**
 * Reads an HTML form post (application/x-www-form-urlencoded, what our forms send) with the same
 * 32 KB cap as JSON. Anything else is 415: a multipart body is never parsed, so a malformed one
 * cannot fail deep in a parser. Read once per request; later calls return the same form.
 */
export async function readForm(c: Context): Promise<URLSearchParams> {
  const read = forms.get(c.req.raw);
  if (read) return read;
  if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the form as application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(await readText(c));
  forms.set(c.req.raw, form);
  return form;
}
// The body can be read once: the session check reads the form for its CSRF field, the handler then gets the same one.
const forms = new WeakMap<Request, URLSearchParams>();

/** Reads the body as text, refusing anything over 32 KB without buffering more than that. */
export async function readText(c: Context): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all);
  } catch {
    throw invalid([{ path: '(body)', message: 'must be UTF-8 text' }], 'The body is not UTF-8.');
  }
}

const tooLarge = () => new ApiError(413, 'payload_too_large', `The body must be at most ${MAX_BODY_BYTES / 1024} KB.`);

type Valid<S extends v.GenericSchema, T extends Target> = {
  in: { [K in T]: v.InferInput<S> };
  out: { [K in T]: v.InferOutput<S> };
};

/**
 * Validates one part of the request with a valibot schema; handlers read `c.req.valid(target)`.
 * The same schema feeds the OpenAPI document.
 */
// biome-ignore lint/suspicious/noExplicitAny: the middleware fits a route of any Env, as Hono's own validator does
export function validate<T extends Target, S extends v.GenericSchema>(target: T, schema: S): MiddlewareHandler<any, string, Valid<S, T>> {
  const middleware: MiddlewareHandler = async (c, next) => {
    const raw = target === 'json' ? await readJson(c) : target === 'query' ? c.req.query() : c.req.param();
    const output = parseOrThrow(schema, raw, target === 'json' ? '' : target);
    c.req.addValidatedData(target, output as object);
    await next();
  };
  const meta: ValidatorMeta = { kind: 'validator', target, schema };
  return Object.assign(middleware, { [OPENAPI]: meta });
}
