/// <reference types="node" />
/**
 * `npm run deploy`: the real Cloudflare path, step by step. Needs a Cloudflare account
 * (`wrangler login` or CLOUDFLARE_API_TOKEN); nothing here is needed to run Heard locally.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
const wrangler = (args: string[]) => spawnSync('node_modules/.bin/wrangler', args, { stdio: 'inherit' }).status === 0;

const config = readFileSync('wrangler.toml', 'utf8');
if (config.includes(PLACEHOLDER)) {
  console.log(`Deploying Heard to Cloudflare:

  1. Create the database:      npx wrangler d1 create heard
     then put the database_id it prints into wrangler.toml (replacing ${PLACEHOLDER}).
  2. Set the alert secret:     openssl rand -base64 32 | npx wrangler secret put ALERT_KEY
  3. Run this again:           npm run deploy
     (it applies migrations to the remote D1, then deploys the Worker).

Never run the demo seed against the remote database: 'npm run seed' refuses --remote.`);
  process.exit(1);
}

console.log('Applying migrations to the remote D1…');
if (!wrangler(['d1', 'migrations', 'apply', 'heard', '--remote'])) process.exit(1);
console.log('Deploying the Worker…');
if (!wrangler(['deploy'])) process.exit(1);
console.log('Deployed. Create your partnership and first admin key with the SQL in README.md ("Deploying").');
