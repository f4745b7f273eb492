/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLocal } from '../../src/cli/seed';
import { sha256Hex } from '../../src/lib/crypto';

/**
 * `npm run keys` for real: the command runs as the operator would run it, through wrangler,
 * against a local D1 migrated and seeded in a temp dir, and the rows are read back the same way.
 */
let persist: string;
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

const keys = (...args: string[]) => spawnSync('node_modules/.bin/tsx', ['src/cli/keys.ts', ...args, `--persist-to=${persist}`], { encoding: 'utf8', env });

function query<T>(sql: string): T[] {
  const out = spawnSync('node_modules/.bin/wrangler', ['d1', 'execute', 'heard', '--local', `--persist-to=${persist}`, '--json', `--command=${sql}`], {
    encoding: 'utf8',
    env,
  });
  expect(out.status, out.stderr).toBe(0);
  return (JSON.parse(out.stdout) as { results: T[] }[])[0]!.results;
}

beforeAll(async () => {
  persist = mkdtempSync(join(tmpdir(), 'heard-keys-cli-'));
  await seedLocal(persist);
}, 300_000);
afterAll(() => rmSync(persist, { recursive: true, force: true }));

describe('npm run keys', () => {
  it('creates a safeguarding-lead key shown once, stored as the API stores it, and audited as the operator', async () => {
    const made = keys('create', '--partnership', 'demo', '--role', 'safeguarding-lead', '--label', "Jo O'Neill, lead");
    expect(made.status, made.stderr).toBe(0);
    const secret = /^\s+(hk_[A-Za-z0-9_-]{20,})$/m.exec(made.stdout)![1]!;
    const id = /id ([0-9a-f-]{36})/.exec(made.stdout)![1]!;

    const [row] = query<{ key_hash: string; role: string; label: string; partnership_id: string; revoked_at: string | null }>(
      `SELECT * FROM api_keys WHERE id = '${id}'`,
    );
    expect(row).toMatchObject({ role: 'safeguarding-lead', label: "Jo O'Neill, lead", partnership_id: 'demo', revoked_at: null });
    expect(row!.key_hash).toBe(await sha256Hex(secret));

    const audit = query<Record<string, string>>(`SELECT * FROM audit_log WHERE subject_ids LIKE '%${id}%'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'keys.create', key_id: 'operator', key_role: 'operator', key_label: 'operator (cli)', partnership_id: 'demo' });
    expect(JSON.parse(audit[0]!.details!)).toEqual({ role: 'safeguarding-lead', label: "Jo O'Neill, lead", partnerId: null });
    expect(JSON.stringify(query('SELECT * FROM audit_log'))).not.toContain(secret);

    // list shows it, never a secret or hash; revoke revokes it once and audits it.
    const listed = keys('list', '--partnership', 'demo');
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).not.toContain(row!.key_hash);
    const revoked = keys('revoke', '--partnership', 'demo', '--id', id);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(query<{ revoked_at: string | null }>(`SELECT revoked_at FROM api_keys WHERE id = '${id}'`)[0]!.revoked_at).not.toBeNull();
    expect(query<{ action: string }>(`SELECT action FROM audit_log WHERE subject_ids LIKE '%${id}%' ORDER BY at`).map((r) => r.action)).toEqual([
      'keys.create',
      'keys.revoke',
    ]);
    const again = keys('revoke', '--partnership', 'demo', '--id', id);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('No active key');
  }, 300_000);

  it('names each bad argument and writes nothing', () => {
    const before = query<{ n: number }>('SELECT COUNT(*) AS n FROM api_keys')[0]!.n;
    const badRole = keys('create', '--partnership', 'demo', '--role', 'boss');
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('--role must be one of');
    const noPartnership = keys('create', '--partnership', 'nowhere', '--role', 'safeguarding-lead');
    expect(noPartnership.status).toBe(2);
    expect(noPartnership.stderr).toContain('no partnership "nowhere"');
    expect(query<{ n: number }>('SELECT COUNT(*) AS n FROM api_keys')[0]!.n).toBe(before);
  }, 300_000);
});
