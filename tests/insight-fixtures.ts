import { env } from 'cloudflare:test';
import { afterVisit, familyRating } from '../src/demo/surveys';
import { sha256Hex } from '../src/lib/crypto';

/**
 * A fresh partnership with two partners and known keys, and a way to add responses on chosen
 * days. Responses are inserted as intake stores them (pending, folded by the next read), because intake
 * itself can only stamp today's date.
 */
export async function seedInsightPartnership() {
  const tag = crypto.randomUUID().slice(0, 8);
  const id = `ins-${tag}`;
  const p = { police: `${id}-police`, health: `${id}-health` };
  const s = { ppu: `${id}-ppu`, custody: `${id}-custody`, camhs: `${id}-camhs` };
  const surveys = { child: `${id}-child`, family: `${id}-family` };
  const keys = {
    admin: `${id}-admin`,
    police: `${id}-police-lead`,
    health: `${id}-health-lead`,
    scrutineer: `${id}-scrutineer`,
    safeguarding: `${id}-safeguarding`,
  };
  const at = new Date().toISOString();
  const statements = [
    // Keeps key sign-in on (as partnerships from before accounts do): tests/routes/dashboard.test.ts signs in with its keys.
    env.DB.prepare('INSERT INTO partnerships (id, name, created_at, key_sign_in) VALUES (?1, ?2, ?3, 1)').bind(id, `Insight test ${tag}`, at),
    env.DB.prepare("INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?1, ?2, 'Police', 'police', ?3)").bind(p.police, id, at),
    env.DB.prepare("INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?1, ?2, 'Health', 'health', ?3)").bind(p.health, id, at),
    env.DB.prepare("INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES (?1, ?2, ?3, 'PPU', ?4)").bind(s.ppu, id, p.police, at),
    env.DB.prepare("INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES (?1, ?2, ?3, 'Custody', ?4)").bind(
      s.custody,
      id,
      p.police,
      at,
    ),
    env.DB.prepare("INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES (?1, ?2, ?3, 'CAMHS', ?4)").bind(s.camhs, id, p.health, at),
  ];
  for (const [survey, audience, def] of [
    [surveys.child, 'child', afterVisit],
    [surveys.family, 'family', familyRating],
  ] as const) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO surveys (id, partnership_id, partner_id, audience, age_bands, languages, status, allowed_origins, version, live_version, created_at, updated_at)
         VALUES (?1, ?2, NULL, ?3, ?4, '["en","cy"]', 'live', '[]', 1, 1, ?5, ?5)`,
      ).bind(survey, id, audience, JSON.stringify(def.ageBands), at),
      env.DB.prepare('INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES (?1, 1, ?2, ?3)').bind(survey, JSON.stringify(def), at),
    );
  }
  const roles: [string, string, string | null][] = [
    [keys.admin, 'admin', null],
    [keys.police, 'practice-lead', p.police],
    [keys.health, 'practice-lead', p.health],
    [keys.scrutineer, 'scrutineer', null],
    [keys.safeguarding, 'safeguarding-lead', null],
  ];
  for (const [key, role, partner] of roles) {
    statements.push(
      env.DB.prepare('INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)').bind(
        crypto.randomUUID(),
        await sha256Hex(key),
        id,
        partner,
        role,
        role,
        at,
      ),
    );
  }
  await env.DB.batch(statements);
  return { id, partners: p, services: s, surveys, keys };
}

export interface SyntheticResponse {
  day: string;
  partner: string;
  service?: string | null;
  survey: string;
  audience?: 'child' | 'family';
  ageBand?: string;
  rating?: number | null;
  themes?: Record<string, string>;
  text?: string;
  flagged?: boolean;
}

export async function addResponses(partnershipId: string, list: SyntheticResponse[], copies = 1) {
  const statements: D1PreparedStatement[] = [];
  for (const r of list) {
    for (let i = 0; i < copies; i++) {
      const themes = r.themes ?? {};
      const analysis = r.text
        ? {
            why: {
              themes: Object.keys(themes).map((id) => ({ id, evidence: [] })),
              sentiment: 'neutral',
              disclosure: r.flagged ? { category: 'neglect', current: true } : null,
            },
          }
        : {};
      statements.push(
        env.DB.prepare(
          `INSERT INTO responses (id, partnership_id, survey_id, survey_version, audience, partner_id, service_id, received_day, age_band, lang,
                                  answers, analysis, rating, sentiment, flagged, fingerprint, themes)
           VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8, 'en', ?9, ?10, ?11, ?12, ?13, 'x', ?14)`,
        ).bind(
          crypto.randomUUID(),
          partnershipId,
          r.survey,
          r.audience ?? 'family',
          r.partner,
          r.service ?? null,
          r.day,
          r.ageBand ?? 'adult',
          JSON.stringify(r.text ? { why: r.text } : {}),
          JSON.stringify(analysis),
          r.rating ?? null,
          r.rating ? (r.rating >= 4 ? 'positive' : r.rating <= 2 ? 'negative' : 'neutral') : null,
          r.flagged ? 1 : 0,
          JSON.stringify(themes),
        ),
      );
    }
  }
  for (let i = 0; i < statements.length; i += 50) await env.DB.batch(statements.slice(i, i + 50));
}
