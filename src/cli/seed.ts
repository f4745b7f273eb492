/// <reference types="node" />
/**
 * `npm run seed`: migrates the embedded local D1 and loads the demo partnership.
 * Local only: it refuses --remote, because demo keys must never exist in a real deployment.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildDemoSeed, demoSignInLinks, renderSql } from '../demo/seed';

const wrangler = 'node_modules/.bin/wrangler';
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

function run(args: string[]) {
  const result = spawnSync(wrangler, args, { stdio: ['ignore', 'pipe', 'pipe'], env, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`wrangler ${args.join(' ')} failed`);
  }
}

/** Applies migrations and the demo seed to the local D1 (optionally persisted elsewhere). */
export async function seedLocal(persistTo?: string): Promise<void> {
  const where = persistTo ? ['--local', `--persist-to=${persistTo}`] : ['--local'];
  run(['d1', 'migrations', 'apply', 'heard', ...where]);
  mkdirSync('.wrangler', { recursive: true });
  const sha256 = async (text: string) => createHash('sha256').update(text).digest('hex');
  writeFileSync('.wrangler/demo-seed.sql', renderSql(await buildDemoSeed(sha256)));
  run(['d1', 'execute', 'heard', ...where, '--file=.wrangler/demo-seed.sql']);
}

/** Stores fresh one-time sign-in links for the demo people in the local D1 and answers their paths. */
export async function seedDemoSignInLinks(persistTo?: string) {
  const where = persistTo ? ['--local', `--persist-to=${persistTo}`] : ['--local'];
  const sha256 = async (text: string) => createHash('sha256').update(text).digest('hex');
  const links = await demoSignInLinks(sha256, () => randomBytes(24).toString('base64url'));
  writeFileSync('.wrangler/demo-links.sql', renderSql(links.map((l) => l.statement)));
  run(['d1', 'execute', 'heard', ...where, '--file=.wrangler/demo-links.sql']);
  return links;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  if (process.argv.includes('--remote')) {
    console.error('Refusing to seed a remote database: the demo keys are public. The seed is for the local D1 only.');
    process.exit(2);
  }
  await seedLocal();
  console.log('Local D1 migrated and seeded with the demo partnership.');
}
