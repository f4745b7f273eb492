import { env, SELF } from 'cloudflare:test';
import { buildDemoSeed } from '../src/demo/seed';
import { sha256Hex } from '../src/lib/crypto';
import { foldPending } from '../src/services/rollup-fold';

export const BASE = 'http://heard.test';

/** Seeds the demo partnership (idempotent), as `npm start` does. */
export async function seedDemo(): Promise<void> {
  const statements = await buildDemoSeed(sha256Hex);
  await env.DB.batch(statements.map(({ sql, params }) => env.DB.prepare(sql).bind(...params)));
}

/** A second partnership with its own admin and police lead, for isolation tests. */
export async function seedOtherPartnership(): Promise<{ partnershipId: string; adminKey: string; partnerId: string; surveyId: string }> {
  const tag = crypto.randomUUID().slice(0, 8);
  const partnershipId = `other-${tag}`;
  const partnerId = `other-police-${tag}`;
  const surveyId = `other-survey-${tag}`;
  const adminKey = `other-admin-${tag}`;
  const at = new Date().toISOString();
  const { afterVisit } = await import('../src/demo/surveys');
  await env.DB.batch([
    // key_sign_in: these tests sign in to the dashboard with keys (off by default for new partnerships).
    env.DB.prepare('INSERT INTO partnerships (id, name, created_at, key_sign_in) VALUES (?1, ?2, ?3, 1)').bind(partnershipId, 'Other partnership', at),
    env.DB.prepare("INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?1, ?2, 'Other police', 'police', ?3)").bind(
      partnerId,
      partnershipId,
      at,
    ),
    env.DB.prepare(
      `INSERT INTO surveys (id, partnership_id, partner_id, audience, age_bands, languages, status, allowed_origins, version, live_version, created_at, updated_at)
       VALUES (?1, ?2, ?3, 'child', '["8-12"]', '["en","cy"]', 'live', '[]', 1, 1, ?4, ?4)`,
    ).bind(surveyId, partnershipId, partnerId, at),
    env.DB.prepare('INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES (?1, 1, ?2, ?3)').bind(
      surveyId,
      JSON.stringify(afterVisit),
      at,
    ),
    env.DB.prepare(
      "INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?1, ?2, ?3, NULL, 'admin', 'other admin', ?4)",
    ).bind(crypto.randomUUID(), await sha256Hex(adminKey), partnershipId, at),
  ]);
  return { partnershipId, adminKey, partnerId, surveyId };
}

export function api(path: string, init: RequestInit & { key?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return SELF.fetch(`${BASE}${path}`, { ...init, headers, body, redirect: 'manual' });
}

export const submit = (surveyId: string, body: unknown, headers: Record<string, string> = {}) =>
  api(`/api/v1/surveys/${surveyId}/responses`, { method: 'POST', json: body, headers });

/**
 * Folds every pending response into the rollups (migration 0027), as the cron does and as every
 * report does before it reads them: for tests that read the rollups table directly.
 */
export const foldRollups = () => foldPending(env.DB, null);

export const countRows = async (sql: string, ...params: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>())!.n;

export const KEYS = {
  admin: 'demo-admin-key',
  policeLead: 'demo-police-lead-key',
  healthLead: 'demo-health-lead-key',
  safeguarding: 'demo-safeguarding-key',
  scrutineer: 'demo-scrutineer-key',
};
