/// <reference types="node" />
/**
 * The Worker's Hono app loaded into this Node process, for timing its JavaScript alone
 * (`npm run bench`'s replay). Node cannot load workerd's built-in `cloudflare:*` modules, so they
 * resolve to stand-ins that throw if used: the routes timed here never send email.
 */
import { register } from 'node:module';

const STAND_INS = `
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('cloudflare:')) return { url: 'data:text/javascript,' + encodeURIComponent(
    'export class EmailMessage { constructor() { throw new Error("cloudflare:email is not available in Node"); } }'), shortCircuit: true };
  return next(specifier, context);
}`;

let loaded: Promise<typeof import('../index')> | undefined;

/** The Worker module (`app`, `default`) with `cloudflare:*` stood in; loaded once. */
export function workerInNode(): Promise<typeof import('../index')> {
  loaded ??= (() => {
    register(`data:text/javascript,${encodeURIComponent(STAND_INS)}`);
    return import('../index');
  })();
  return loaded;
}
