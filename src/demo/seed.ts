import { sqlLiteral } from '../db/sql';
import { DEMO_PARTNER_LINKS } from './responses';
import { DEMO_SURVEYS } from './surveys';

/**
 * The demo partnership, with fixed ids so the README's curl examples work as written.
 * Pure: returns parameterised statements; the CLI renders them for `wrangler d1 execute --local`
 * and tests run them through D1 directly. Re-running it is harmless.
 */

export const DEMO_PARTNERSHIP = 'demo';
export const DEMO_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];

export const DEMO_PARTNERS = [
  { id: 'demo-la', name: 'Demo Council Children’s Services', kind: 'local-authority' },
  { id: 'demo-police', name: 'Demo Police', kind: 'police' },
  { id: 'demo-health', name: 'Demo NHS Trust', kind: 'health' },
  { id: 'demo-education', name: 'Demo Schools', kind: 'education' },
] as const;

export const DEMO_SERVICES = [
  { id: 'demo-front-door', partnerId: 'demo-la', name: 'Front door (MASH)' },
  { id: 'demo-social-work', partnerId: 'demo-la', name: 'Social work teams' },
  { id: 'demo-early-help', partnerId: 'demo-la', name: 'Early help' },
  { id: 'demo-public-protection', partnerId: 'demo-police', name: 'Public protection unit' },
  { id: 'demo-camhs', partnerId: 'demo-health', name: 'CAMHS' },
  { id: 'demo-school-nursing', partnerId: 'demo-health', name: 'School nursing' },
  { id: 'demo-inclusion', partnerId: 'demo-education', name: 'Inclusion service' },
] as const;

export const DEMO_KEYS = [
  { id: '00000000-0000-4000-8000-00000000000a', key: 'demo-admin-key', role: 'admin', partnerId: null, label: 'Demo admin' },
  {
    id: '00000000-0000-4000-8000-00000000000b',
    key: 'demo-police-lead-key',
    role: 'practice-lead',
    partnerId: 'demo-police',
    label: 'Demo police practice lead',
  },
  {
    id: '00000000-0000-4000-8000-00000000000c',
    key: 'demo-health-lead-key',
    role: 'practice-lead',
    partnerId: 'demo-health',
    label: 'Demo health practice lead',
  },
  { id: '00000000-0000-4000-8000-00000000000d', key: 'demo-safeguarding-key', role: 'safeguarding-lead', partnerId: null, label: 'Demo safeguarding lead' },
  { id: '00000000-0000-4000-8000-00000000000e', key: 'demo-scrutineer-key', role: 'scrutineer', partnerId: null, label: 'Demo scrutineer' },
  { id: '00000000-0000-4000-8000-00000000000f', key: 'demo-reviewer-key', role: 'reviewer', partnerId: null, label: 'Demo reviewer' },
] as const;

/** A person for each demo role (issue 16): the dashboard's people, beside the keys for machines. */
export const DEMO_ACCOUNTS = [
  { id: '00000000-0000-4000-8000-0000000000a1', email: 'admin@demo.heard.example', name: 'Demo Admin', role: 'admin', partnerId: null },
  {
    id: '00000000-0000-4000-8000-0000000000a2',
    email: 'police.lead@demo.heard.example',
    name: 'Demo Police Lead',
    role: 'practice-lead',
    partnerId: 'demo-police',
  },
  {
    id: '00000000-0000-4000-8000-0000000000a3',
    email: 'health.lead@demo.heard.example',
    name: 'Demo Health Lead',
    role: 'practice-lead',
    partnerId: 'demo-health',
  },
  {
    id: '00000000-0000-4000-8000-0000000000a4',
    email: 'safeguarding@demo.heard.example',
    name: 'Demo Safeguarding Lead',
    role: 'safeguarding-lead',
    partnerId: null,
  },
  { id: '00000000-0000-4000-8000-0000000000a5', email: 'scrutineer@demo.heard.example', name: 'Demo Scrutineer', role: 'scrutineer', partnerId: null },
  { id: '00000000-0000-4000-8000-0000000000a6', email: 'reviewer@demo.heard.example', name: 'Demo Reviewer', role: 'reviewer', partnerId: null },
] as const;

/**
 * One-time sign-in links for the demo people, for `npm start` to print: like an invitation (one
 * use, not tied to a browser, since the terminal is not one), valid for 12 hours.
 */
export function demoSignInLinks(hash: (text: string) => Promise<string>, token: () => string, now = new Date()) {
  return Promise.all(
    DEMO_ACCOUNTS.map(async (a) => {
      const secret = token();
      const statement: SeedStatement = {
        sql: "INSERT INTO account_links (token_hash, account_id, purpose, browser_hash, created_at, expires_at) VALUES (?, ?, 'invitation', NULL, ?, ?)",
        params: [await hash(secret), a.id, now.toISOString(), new Date(now.getTime() + 12 * 3600_000).toISOString()],
      };
      return { account: a, path: `/dashboard/invitation/${secret}`, statement };
    }),
  );
}

/** A multi-use demo feedback link for after-visit, as if handed out after a home visit. */
export const DEMO_LINK = {
  id: '00000000-0000-4000-8000-0000000000f1',
  token: 'demo-home-visit-link',
  surveyId: 'after-visit',
  partnerId: 'demo-la',
  serviceId: 'demo-social-work',
  contactType: 'home-visit',
};

/** Published "you said, we did" actions, so thank-you pages, chat endings and feeds show some. */
export const DEMO_ACTIONS = [
  {
    id: '00000000-0000-4000-8000-0000000000a1',
    partnerId: 'demo-la',
    themeId: 'kept-informed',
    heard: {
      en: 'you didn’t always know what would happen after a visit.',
      cy: 'Dywedoch chi nad oeddech chi bob amser yn gwybod beth fyddai’n digwydd ar ôl ymweliad.',
    },
    did: {
      en: 'Social workers now leave a card saying what happens next and when they will come back.',
      cy: 'Mae gweithwyr cymdeithasol nawr yn gadael cerdyn sy’n dweud beth sy’n digwydd nesaf a phryd y byddan nhw’n dod yn ôl.',
    },
    day: '2026-10-01',
    status: 'done',
  },
  {
    id: '00000000-0000-4000-8000-0000000000a2',
    partnerId: null,
    themeId: 'joined-up-working',
    heard: { en: 'you had to tell your story again and again.', cy: 'Dywedoch chi fod rhaid i chi ddweud eich stori dro ar ôl tro.' },
    did: {
      en: 'Police, health, schools and social care now share one plan, so you only tell it once.',
      cy: 'Mae’r heddlu, iechyd, ysgolion a gofal cymdeithasol nawr yn rhannu un cynllun, felly dim ond unwaith mae angen i chi ei dweud hi.',
    },
    day: '2026-11-01',
    status: 'planned',
  },
] as const;

export interface SeedStatement {
  sql: string;
  params: (string | number | null)[];
}

export async function buildDemoSeed(hash: (text: string) => Promise<string>, at = new Date().toISOString()): Promise<SeedStatement[]> {
  const s: SeedStatement[] = [];
  s.push({
    // The demo keeps key sign-in on, so its keys still open the dashboard (new partnerships have it off).
    sql: 'INSERT INTO partnerships (id, name, created_at, key_sign_in) VALUES (?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET key_sign_in = 1',
    params: [DEMO_PARTNERSHIP, 'Demo Safeguarding Children Partnership', at],
  });
  for (const p of DEMO_PARTNERS) {
    s.push({
      sql: 'INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind',
      params: [p.id, DEMO_PARTNERSHIP, p.name, p.kind, at],
    });
  }
  for (const svc of DEMO_SERVICES) {
    s.push({
      sql: 'INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
      params: [svc.id, DEMO_PARTNERSHIP, svc.partnerId, svc.name, at],
    });
  }
  for (const survey of DEMO_SURVEYS) {
    const def = survey.definition;
    s.push({
      sql: `INSERT INTO surveys (id, partnership_id, partner_id, audience, age_bands, languages, status, allowed_origins, version, live_version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'live', ?, 1, 1, ?, ?)
            ON CONFLICT (id) DO UPDATE SET status = 'live', version = 1, live_version = 1, age_bands = excluded.age_bands, languages = excluded.languages, allowed_origins = excluded.allowed_origins`,
      params: [
        survey.id,
        DEMO_PARTNERSHIP,
        survey.partnerId,
        survey.audience,
        JSON.stringify(def.ageBands),
        JSON.stringify(def.languages),
        JSON.stringify(DEMO_ORIGINS),
        at,
        at,
      ],
    });
    s.push({
      sql: 'INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES (?, 1, ?, ?) ON CONFLICT (survey_id, version) DO UPDATE SET definition = excluded.definition',
      params: [survey.id, JSON.stringify(def), at],
    });
  }
  for (const k of DEMO_KEYS) {
    s.push({
      sql: 'INSERT INTO api_keys (id, key_hash, partnership_id, partner_id, role, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET revoked_at = NULL',
      params: [k.id, await hash(k.key), DEMO_PARTNERSHIP, k.partnerId, k.role, k.label, at],
    });
  }
  for (const a of DEMO_ACCOUNTS) {
    s.push({
      sql: `INSERT INTO accounts (id, partnership_id, email, display_name, role, partner_id, status, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 'active', ?) ON CONFLICT (id) DO UPDATE SET status = 'active', role = excluded.role, partner_id = excluded.partner_id`,
      params: [a.id, DEMO_PARTNERSHIP, a.email, a.name, a.role, a.partnerId, at],
    });
  }
  for (const a of DEMO_ACTIONS) {
    s.push({
      sql: `INSERT INTO actions (id, partnership_id, partner_id, theme_id, survey_id, heard, did, action_day, status, published, created_at, updated_at)
            VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO NOTHING`,
      params: [a.id, DEMO_PARTNERSHIP, a.partnerId, a.themeId, JSON.stringify(a.heard), JSON.stringify(a.did), a.day, a.status, at, at],
    });
  }
  for (const link of [DEMO_LINK, ...DEMO_PARTNER_LINKS]) {
    s.push({
      sql: `INSERT INTO feedback_links (id, token_hash, partnership_id, survey_id, partner_id, service_id, contact_type, single_use, uses, expires_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, '2099-12-31T00:00:00.000Z', ?) ON CONFLICT (id) DO NOTHING`,
      params: [link.id, await hash(link.token), DEMO_PARTNERSHIP, link.surveyId, link.partnerId, link.serviceId, link.contactType, at],
    });
  }
  return s;
}

/** Renders statements as SQL text with literals, for `wrangler d1 execute --file`. */
export function renderSql(statements: SeedStatement[]): string {
  return statements
    .map(({ sql, params }) => {
      let i = 0;
      return `${sql.replace(/\s+/g, ' ').replace(/\?/g, () => sqlLiteral(params[i++]))};`;
    })
    .join('\n');
}
