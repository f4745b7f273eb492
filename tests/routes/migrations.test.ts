import { applyD1Migrations, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { foldPending } from '../../src/services/rollup-fold';

/**
 * Migration 0015 replaced the rollup triggers of 0004, 0009 and 0010 with ones that read the
 * response's week and month from generated columns. The same responses and re-analyses must build
 * the same rollups and bucket versions under the old triggers, the new ones, and a database that
 * was migrated half way through. The new database has every migration, so since 0027 its rollups
 * are folded rather than counted at insert, and the half-migrated one takes 0027 with rows already
 * counted: neither may differ (tests/routes/rollup-fold.test.ts checks 0027 on its own).
 */
const CONSOLIDATION = '0015_rollup_periods.sql';
const before = env.TEST_MIGRATIONS.filter((m) => m.name < CONSOLIDATION);

const DAYS = [
  '2024-12-29',
  '2024-12-30',
  '2025-01-01',
  '2025-01-05',
  '2025-01-06',
  '2025-02-28',
  '2025-03-02',
  '2025-12-31',
  '2026-01-01',
  '2026-06-15',
  '2028-02-29',
];
const THEMES = ['{}', '{"waiting":"negative"}', '{"listened":"positive","waiting":"mixed"}', '{"communication":"neutral"}'];
const SENTIMENTS = [null, 'positive', 'negative', 'mixed', 'neutral'];

async function setUp(db: D1Database): Promise<void> {
  await db.batch([
    db.prepare("INSERT INTO partnerships (id, name, created_at) VALUES ('p', 'P', '2024-01-01')"),
    db.prepare("INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES ('pa', 'p', 'A', 'police', '2024-01-01')"),
    db.prepare("INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES ('sv', 'p', 'pa', 'S', '2024-01-01')"),
    db.prepare(
      "INSERT INTO surveys (id, partnership_id, audience, age_bands, languages, status, created_at, updated_at) VALUES ('s', 'p', 'family', '[]', '[\"en\"]', 'live', '2024-01-01', '2024-01-01')",
    ),
  ]);
}

/** Inserts `count` responses spread over awkward days (year ends, ISO week 53, a leap day). */
async function insertResponses(db: D1Database, from: number, count: number): Promise<void> {
  const statements = [];
  for (let i = from; i < from + count; i++) {
    statements.push(
      db
        .prepare(
          `INSERT INTO responses (id, partnership_id, survey_id, survey_version, audience, partner_id, service_id, received_day, age_band, lang, answers, rating, sentiment, themes, fingerprint)
           VALUES (?1, 'p', 's', 1, 'family', ?2, ?3, ?4, ?5, 'en', '{}', ?6, ?7, ?8, 'f')`,
        )
        .bind(
          `r${i}`,
          i % 3 === 0 ? null : 'pa',
          i % 2 === 0 ? 'sv' : null,
          DAYS[i % DAYS.length],
          i % 4 === 0 ? null : '8-12',
          i % 5 === 0 ? null : (i % 5) + 1,
          SENTIMENTS[i % SENTIMENTS.length],
          THEMES[i % THEMES.length],
        ),
    );
  }
  await db.batch(statements);
}

/** Re-analyses every third response from `from`: new themes and sentiment, as the taxonomy re-run does. */
async function reanalyse(db: D1Database, from: number, count: number): Promise<void> {
  const statements = [];
  for (let i = from; i < from + count; i += 3) {
    statements.push(
      db
        .prepare('UPDATE responses SET themes = ?2, sentiment = ?3 WHERE id = ?1')
        .bind(`r${i}`, THEMES[(i + 1) % THEMES.length], SENTIMENTS[(i + 2) % SENTIMENTS.length]),
    );
  }
  await db.batch(statements);
}

/** The rollups as a report reads them: since 0027, after folding what is pending. */
async function snapshot(db: D1Database): Promise<{ rollups: unknown[]; buckets: unknown[] }> {
  const folds = await db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rollup_pending'").first();
  if (folds) await foldPending(db, null);
  const rollups = await db.prepare('SELECT * FROM rollups ORDER BY grain, period, partner_id, service_id, survey_id, age_band, metric').all();
  const buckets = await db.prepare('SELECT partnership_id, grain, period FROM rollup_versions ORDER BY grain, period').all();
  return { rollups: rollups.results, buckets: buckets.results };
}

describe(`migration ${CONSOLIDATION}`, () => {
  it('builds the same rollups and bucket versions as the triggers it replaced, before and after it is applied', async () => {
    const oldDb = env.MIGRATION_OLD;
    const newDb = env.MIGRATION_NEW;
    await applyD1Migrations(oldDb, before);
    await applyD1Migrations(newDb, env.TEST_MIGRATIONS);
    for (const db of [oldDb, newDb]) {
      await setUp(db);
      await insertResponses(db, 0, 60);
      await reanalyse(db, 0, 60);
    }
    const first = await snapshot(oldDb);
    expect(first.rollups.length).toBeGreaterThan(100);
    expect(await snapshot(newDb)).toEqual(first);

    // The old database now takes the migration, then both go on.
    await applyD1Migrations(oldDb, env.TEST_MIGRATIONS);
    for (const db of [oldDb, newDb]) {
      await insertResponses(db, 60, 60);
      await reanalyse(db, 30, 90);
    }
    expect(await snapshot(oldDb)).toEqual(await snapshot(newDb));

    // The generated columns are the ISO week's Monday and the month's first day.
    const row = await newDb.prepare("SELECT received_week, received_month FROM responses WHERE received_day = '2025-01-01' LIMIT 1").first();
    expect(row).toEqual({ received_week: '2024-12-30', received_month: '2025-01-01' });
  });
});
