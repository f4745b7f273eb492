/// <reference types="node" />
/**
 * `npm run keys`: the operator's way to make the first safeguarding-lead key (no key may make
 * one except a safeguarding lead's), and to list and revoke keys.
 *
 *   npm run keys -- create --partnership demo --role safeguarding-lead [--label "…"] [--partner <id>]
 *   npm run keys -- list --partnership demo
 *   npm run keys -- revoke --partnership demo --id <key id>
 *
 * Against the local D1 that `npm start` uses by default; `--remote` for the deployed database
 * (after `npm run deploy` set its id in wrangler.toml); `--persist-to <dir>` for another local copy.
 * The key is printed once and stored only as its SHA-256, by the same code as the API, and every
 * create and revoke is in the audit log as "operator (cli)".
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { operatorActor } from '../db/audit';
import { listKeysSql } from '../db/keys';
import { renderSql, type SqlStatement } from '../db/sql';
import { newKey, revokeKeyStatements } from '../services/keys';
import { ROLES, SlugSchema, UuidSchema, type Role } from '../schemas/common';

const wrangler = 'node_modules/.bin/wrangler';
const PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

export interface Target {
  remote: boolean;
  persistTo?: string;
}

const Label = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'));
const CreateArgs = v.object({
  partnership: SlugSchema,
  role: v.picklist(ROLES, `must be one of ${ROLES.join(', ')}`),
  label: v.optional(Label),
  partner: v.optional(SlugSchema),
});

class UsageError extends Error {}

/** Runs SQL through `wrangler d1 execute --json`; returns each statement's result. */
function execute(target: Target, statements: SqlStatement[]): { results: Record<string, unknown>[] }[] {
  const where = target.remote ? ['--remote'] : ['--local', ...(target.persistTo ? [`--persist-to=${target.persistTo}`] : [])];
  const command = statements.map((s) => `${renderSql(s)};`).join('\n');
  const result = spawnSync(wrangler, ['d1', 'execute', 'heard', ...where, '--json', '--yes', `--command=${command}`], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed:\n${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout);
}

const partnershipExists = (target: Target, id: string) =>
  execute(target, [{ sql: 'SELECT id FROM partnerships WHERE id = ?1', params: [id] }])[0]!.results.length === 1;

function parsed<T extends v.GenericSchema>(schema: T, input: unknown): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    const problems = result.issues.map((i) => `--${v.getDotPath(i) ?? '?'} ${i.message}`);
    throw new UsageError(problems.join('\n'));
  }
  return result.output;
}

/** The whole command: returns what to print. Throws UsageError for bad arguments. */
export async function run(argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      partnership: { type: 'string' },
      role: { type: 'string' },
      label: { type: 'string' },
      partner: { type: 'string' },
      id: { type: 'string' },
      remote: { type: 'boolean', default: false },
      'persist-to': { type: 'string' },
    },
  });
  const target: Target = { remote: values.remote, ...(values['persist-to'] ? { persistTo: values['persist-to'] } : {}) };
  if (target.remote && readFileSync('wrangler.toml', 'utf8').includes(PLACEHOLDER)) {
    throw new UsageError('wrangler.toml still has the placeholder database_id: set the real one first (see npm run deploy).');
  }
  const partnership = parsed(v.object({ partnership: SlugSchema }), { partnership: values.partnership }).partnership;
  if (!partnershipExists(target, partnership)) throw new UsageError(`There is no partnership "${partnership}" in this database.`);
  const actor = operatorActor(partnership);

  switch (positionals[0]) {
    case 'create': {
      const args = parsed(CreateArgs, { partnership, role: values.role, label: values.label, partner: values.partner });
      if (args.role === 'practice-lead' && !args.partner) throw new UsageError('--partner is needed for a practice-lead key');
      if (
        args.partner &&
        execute(target, [{ sql: 'SELECT id FROM partners WHERE partnership_id = ?1 AND id = ?2', params: [partnership, args.partner] }])[0]!.results.length !==
          1
      ) {
        throw new UsageError(`"${args.partner}" is not a partner of ${partnership}.`);
      }
      const label = args.label ?? `${args.role} key (made by the operator)`;
      const { key, secret, statements } = await newKey(actor, { role: args.role, partnerId: args.partner ?? null, label });
      execute(target, statements);
      return [
        `Created a ${key.role} key for ${partnership}: id ${key.id}, label "${key.label}". Recorded in the audit log.`,
        '',
        'The key (shown this once; only its hash is stored, so it cannot be shown again):',
        '',
        `  ${secret}`,
        '',
      ].join('\n');
    }
    case 'list': {
      const rows = execute(target, [listKeysSql(partnership)])[0]!.results as {
        id: string;
        role: string;
        label: string;
        partner_id: string | null;
        created_at: string;
        revoked_at: string | null;
      }[];
      if (rows.length === 0) return `No keys in ${partnership}.\n`;
      return `${rows.map((r) => `${r.id}  ${r.role.padEnd(17)} ${r.revoked_at ? `revoked ${r.revoked_at}` : 'active'.padEnd(32)}  ${r.label}${r.partner_id ? ` (${r.partner_id})` : ''}`).join('\n')}\n`;
    }
    case 'revoke': {
      const id = parsed(v.object({ id: UuidSchema }), { id: values.id }).id;
      const found = execute(target, [
        { sql: 'SELECT id, role, label, partner_id FROM api_keys WHERE partnership_id = ?1 AND id = ?2 AND revoked_at IS NULL', params: [partnership, id] },
      ])[0]!.results[0] as { id: string; role: Role; label: string; partner_id: string | null } | undefined;
      if (!found) throw new UsageError(`No active key ${id} in ${partnership}.`);
      // The audit row is written only if the key was still active; changes() after it says whether it was.
      const results = execute(target, [
        ...revokeKeyStatements(actor, { id, role: found.role, label: found.label, partnerId: found.partner_id }),
        { sql: 'SELECT changes() AS audited', params: [] },
      ]);
      if (results[2]?.results[0]?.audited !== 1) throw new UsageError(`Key ${id} was revoked by someone else meanwhile.`);
      return `Revoked ${found.role} key ${id} ("${found.label}"). Its sessions and feed tokens stop working now. Recorded in the audit log.\n`;
    }
    default:
      throw new UsageError(
        'Usage: npm run keys -- create|list|revoke --partnership <id> [--role <role>] [--label <text>] [--partner <id>] [--id <key id>] [--remote]',
      );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  try {
    process.stdout.write(await run(process.argv.slice(2)));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}
