import { applyD1Migrations, env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldQueries, foldStatements } from '../../src/db/rollups';
import { findPublishedSurvey } from '../../src/db/surveys';
import { parseOrThrow } from '../../src/lib/validate';
import { ResponseSubmissionSchema } from '../../src/schemas/api';
import { loadInsights } from '../../src/services/insights';
import { acceptSubmission } from '../../src/services/intake';
import { runScheduledTasks } from '../../src/scheduled';
import { foldPending } from '../../src/services/rollup-fold';
import { sha256Hex } from '../../src/lib/crypto';
import { api, countRows, KEYS, seedDemo, submit } from '../helpers';

/**
 * Migration 0027 took the rollups off the insert: a response is marked pending and a fold counts
 * the pending ones in one batch. Whatever the order of inserts, re-analyses and folds, once all is
 * folded the rollups and bucket versions must be exactly what the insert triggers (0015, 0025)
 * built one response at a time, and nothing may be counted twice or half.
 */
const FOLD_MIGRATION = '0027_rollup_fold.sql';
const triggerMigrations = env.TEST_MIGRATIONS.filter((m) => m.name < FOLD_MIGRATION);

const DAYS = ['2024-12-29', '2024-12-30', '2025-01-01', '2025-01-05', '2025-01-06', '2025-02-28', '2025-12-31', '2026-01-01', '2028-02-29'];
const THEMES = ['{}', '{"waiting":"negative"}', '{"listened":"positive","waiting":"mixed"}', '{"communication":"neutral"}'];
const SENTIMENTS = [null, 'positive', 'negative', 'mixed', 'neutral'];
const ANSWER_METRICS = ['[]', '["q:s/listened:yes"]', '["q:s/listened:no","q:s/visit:4"]', '["q:s/visit:1"]'];

async function setUpPartnership(db: D1Database, p: string): Promise<void> {
  await db.batch([
    db.prepare("INSERT INTO partnerships (id, name, created_at) VALUES (?1, 'P', '2024-01-01')").bind(p),
    db.prepare("INSERT INTO partners (id, partnership_id, name, kind, created_at) VALUES (?1 || '-pa', ?1, 'A', 'police', '2024-01-01')").bind(p),
    db.prepare("INSERT INTO services (id, partnership_id, partner_id, name, created_at) VALUES (?1 || '-sv', ?1, ?1 || '-pa', 'S', '2024-01-01')").bind(p),
    db
      .prepare(
        `INSERT INTO surveys (id, partnership_id, audience, age_bands, languages, status, created_at, updated_at)
         VALUES (?1 || '-s', ?1, 'family', '[]', '["en"]', 'live', '2024-01-01', '2024-01-01')`,
      )
      .bind(p),
  ]);
}

/** Response `i` of partnership `p`: its partner, service, day, age band, rating, sentiment, themes and answer metrics vary with i. */
const insertResponse = (db: D1Database, p: string, i: number) =>
  db
    .prepare(
      `INSERT INTO responses (id, partnership_id, survey_id, survey_version, audience, partner_id, service_id, received_day, age_band, lang, answers,
                              rating, sentiment, themes, answer_metrics, fingerprint)
       VALUES (?1 || '-r' || ?2, ?1, ?1 || '-s', 1, 'family', ?3, ?4, ?5, ?6, 'en', '{}', ?7, ?8, ?9, ?10, 'f')
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      p,
      i,
      i % 3 === 0 ? null : `${p}-pa`,
      i % 2 === 0 ? `${p}-sv` : null,
      DAYS[i % DAYS.length],
      i % 4 === 0 ? null : '8-12',
      i % 5 === 0 ? null : (i % 5) + 1,
      SENTIMENTS[i % SENTIMENTS.length],
      THEMES[i % THEMES.length],
      ANSWER_METRICS[i % ANSWER_METRICS.length],
    );

/** Re-analysis of response `i`, round `round`: new themes and sentiment, as the taxonomy re-run writes them. */
const reanalyseResponse = (db: D1Database, p: string, i: number, round: number) =>
  db
    .prepare("UPDATE responses SET themes = ?3, sentiment = ?4 WHERE id = ?1 || '-r' || ?2")
    .bind(p, i, THEMES[(i + round) % THEMES.length], SENTIMENTS[(i + 2 * round) % SENTIMENTS.length]);

async function snapshot(db: D1Database, p: string): Promise<{ rollups: unknown[]; buckets: unknown[] }> {
  const rollups = await db
    .prepare('SELECT * FROM rollups WHERE partnership_id = ?1 ORDER BY grain, period, partner_id, service_id, survey_id, age_band, metric')
    .bind(p)
    .all();
  const buckets = await db.prepare('SELECT grain, period FROM rollup_versions WHERE partnership_id = ?1 ORDER BY grain, period').bind(p).all();
  return { rollups: rollups.results, buckets: buckets.results };
}

const versions = async (db: D1Database, p: string) =>
  (await db.prepare('SELECT grain, period, version FROM rollup_versions WHERE partnership_id = ?1 ORDER BY grain, period').bind(p).all()).results;

const pendingOf = (p: string) => countRows('SELECT count(*) AS n FROM rollup_pending WHERE partnership_id = ?1', p);

type Step = { kind: 'insert'; count: number } | { kind: 'reanalyse'; every: number } | { kind: 'fold' } | { kind: 'retry'; count: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), count: fc.integer({ min: 1, max: 25 }) }),
  fc.record({ kind: fc.constant('reanalyse' as const), every: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('fold' as const) }),
  fc.record({ kind: fc.constant('retry' as const), count: fc.integer({ min: 1, max: 10 }) }),
);

describe(`migration ${FOLD_MIGRATION}: rollups folded later equal rollups counted at insert`, () => {
  const oldDb = env.MIGRATION_OLD;
  const newDb = env.MIGRATION_NEW;

  beforeAll(async () => {
    await applyD1Migrations(oldDb, triggerMigrations);
    await applyD1Migrations(newDb, env.TEST_MIGRATIONS);
  });

  it('for any order of inserts, retried inserts, re-analyses and folds', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (steps) => {
        const p = `fold${run++}`;
        await setUpPartnership(oldDb, p);
        await setUpPartnership(newDb, p);
        let inserted = 0;
        let round = 0;
        for (const step of steps) {
          for (const db of [oldDb, newDb]) {
            if (step.kind === 'insert') await db.batch(Array.from({ length: step.count }, (_, k) => insertResponse(db, p, inserted + k)));
            if (step.kind === 'retry' && inserted > 0) await db.batch(Array.from({ length: step.count }, (_, k) => insertResponse(db, p, k % inserted)));
            if (step.kind === 'reanalyse' && inserted > 0) {
              const ids = Array.from({ length: inserted }, (_, i) => i).filter((i) => i % step.every === 0);
              await db.batch(ids.map((i) => reanalyseResponse(db, p, i, round + 1)));
            }
          }
          if (step.kind === 'insert') inserted += step.count;
          if (step.kind === 'reanalyse') round++;
          if (step.kind === 'fold') await foldPending(newDb, p);
        }
        await foldPending(newDb, p);
        expect(await snapshot(newDb, p)).toEqual(await snapshot(oldDb, p));
        expect(await newDb.prepare('SELECT count(*) AS n FROM rollup_pending WHERE partnership_id = ?1').bind(p).first('n')).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  it('folds a partnership alone, or every partnership, in steps no bigger than the limit', async () => {
    for (const p of ['solo-a', 'solo-b']) {
      await setUpPartnership(oldDb, p);
      await setUpPartnership(newDb, p);
      for (const db of [oldDb, newDb]) await db.batch(Array.from({ length: 30 }, (_, i) => insertResponse(db, p, i)));
    }
    const count = async (p: string) => (await newDb.prepare('SELECT count(*) AS n FROM rollup_pending WHERE partnership_id = ?1').bind(p).first('n')) as number;

    // One partnership's fold leaves the other's pending; a limited fold takes only that many.
    const [, , , , removed] = await newDb.batch(foldStatements(newDb, 'solo-a', 12));
    expect(removed!.meta.changes).toBe(12);
    expect([await count('solo-a'), await count('solo-b')]).toEqual([18, 30]);
    expect(await foldPending(newDb, null)).toBe(48);
    expect([await count('solo-a'), await count('solo-b')]).toEqual([0, 0]);
    for (const p of ['solo-a', 'solo-b']) expect(await snapshot(newDb, p)).toEqual(await snapshot(oldDb, p));
  });

  it('reads only the pending responses: no statement of a fold scans responses or rollups', async () => {
    for (const partnershipId of ['demo', null]) {
      for (const { sql, params } of foldQueries(partnershipId, 100)) {
        const { results } = await newDb
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...params)
          .all<{ detail: string }>();
        const scans = results.map((r) => r.detail).filter((d) => /^SCAN (r|responses|rollups|rollup_versions)\b/.test(d));
        expect(scans, sql).toEqual([]);
      }
    }
  });

  it('changes nothing when the fold fails part way: the batch is one transaction', async () => {
    const p = 'halfway';
    await setUpPartnership(newDb, p);
    await newDb.batch(Array.from({ length: 10 }, (_, i) => insertResponse(newDb, p, i)));
    await foldPending(newDb, p);
    await newDb.batch(Array.from({ length: 10 }, (_, i) => insertResponse(newDb, p, 10 + i)));
    const before = { ...(await snapshot(newDb, p)), versions: await versions(newDb, p) };

    // The fold's statements all run, then one that breaks a CHECK (no 'year' grain): all or nothing.
    const failing = newDb.prepare("INSERT INTO rollup_versions (partnership_id, grain, period, version) VALUES (?1, 'year', '2025', 'x')").bind(p);
    await expect(newDb.batch([...foldStatements(newDb, p, 100), failing])).rejects.toThrow();
    expect({ ...(await snapshot(newDb, p)), versions: await versions(newDb, p) }).toEqual(before);
    expect(await newDb.prepare('SELECT count(*) AS n FROM rollup_pending WHERE partnership_id = ?1').bind(p).first('n')).toBe(10);

    // Folded again, each pending response counts once.
    expect(await foldPending(newDb, p)).toBe(10);
    const responses = await newDb
      .prepare("SELECT sum(n) AS n FROM rollups WHERE partnership_id = ?1 AND grain = 'month' AND metric = 'responses'")
      .bind(p)
      .first('n');
    expect(responses).toBe(20);
  });

  it('re-analysis of a pending response waits for the fold; of a folded one, moves the rollups at once', async () => {
    const p = 'reanalysed';
    await setUpPartnership(newDb, p);
    await newDb.batch([insertResponse(newDb, p, 1)]); // themes {"waiting":"negative"}, sentiment positive
    const metrics = async () =>
      (
        await newDb
          .prepare("SELECT metric, n FROM rollups WHERE partnership_id = ?1 AND grain = 'month' AND metric NOT LIKE 'q:%' ORDER BY metric")
          .bind(p)
          .all()
      ).results;

    // Pending: nothing in the rollups to take away (the trigger must not make negative counts).
    await newDb.batch([reanalyseResponse(newDb, p, 1, 1)]); // themes {"listened":…,"waiting":"mixed"}, sentiment mixed
    expect(await metrics()).toEqual([]);
    await foldPending(newDb, p);
    const folded = [
      { metric: 'rated', n: 1 },
      { metric: 'rating:2', n: 1 },
      { metric: 'responses', n: 1 },
      { metric: 'sentiment:mixed', n: 1 },
      { metric: 'theme:listened', n: 1 },
      { metric: 'theme:listened:positive', n: 1 },
      { metric: 'theme:waiting', n: 1 },
      { metric: 'theme:waiting:mixed', n: 1 },
    ];
    expect(await metrics()).toEqual(folded);

    // Folded: the re-analysis trigger moves the counts in the same statement, and the bucket's version changes.
    const before = await versions(newDb, p);
    await newDb.batch([reanalyseResponse(newDb, p, 1, 2)]); // themes {"communication":"neutral"}, sentiment null
    expect(await metrics()).toEqual([
      { metric: 'rated', n: 1 },
      { metric: 'rating:2', n: 1 },
      { metric: 'responses', n: 1 },
      { metric: 'theme:communication', n: 1 },
      { metric: 'theme:communication:neutral', n: 1 },
    ]);
    expect(await versions(newDb, p)).not.toEqual(before);
    expect(await foldPending(newDb, p)).toBe(0);
  });
});

describe('folding at intake, on read, from the cron and the queue', () => {
  beforeAll(seedDemo);

  const body = (answers: Record<string, unknown> = { visit: 4, listened: 'yes' }) => ({ id: crypto.randomUUID(), answers });
  const demoResponses = () => countRows("SELECT count(*) AS n FROM responses WHERE partnership_id = 'demo'");
  const demoRolledUp = () =>
    countRows("SELECT coalesce(sum(n), 0) AS n FROM rollups WHERE partnership_id = 'demo' AND grain = 'month' AND metric = 'responses'");

  /** env.DB that records each round trip to D1: a statement run (first, all, run, raw) or a batch. */
  function countingDb() {
    const trips: string[] = [];
    const targets = new WeakMap<object, D1PreparedStatement>();
    const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
      const proxy = new Proxy(statement, {
        get(target, prop) {
          if (prop === 'bind') return (...values: unknown[]) => wrap(target.bind(...values), sql);
          if (prop === 'first' || prop === 'all' || prop === 'run' || prop === 'raw') {
            return (...args: unknown[]) => {
              trips.push(sql);
              return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
            };
          }
          const value = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      targets.set(proxy, statement);
      return proxy;
    };
    const db = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
        if (prop === 'batch') {
          return (statements: D1PreparedStatement[]) => {
            trips.push(`batch of ${statements.length}`);
            return target.batch(statements.map((s) => targets.get(s) ?? s));
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { env: { ...env, DB: db } as Env, trips };
  }

  it('stores a new response in one round trip: the batch, after only the taxonomy version is read', async () => {
    const survey = (await findPublishedSurvey(env.DB, 'after-visit'))!;
    const { env: counted, trips } = countingDb();
    const sent = parseOrThrow(ResponseSubmissionSchema, body());
    expect(await acceptSubmission(counted, survey, sent)).toMatchObject({ created: true });
    expect(trips).toEqual([expect.stringContaining('FROM taxonomies'), 'batch of 1']);

    // A retry costs a lookup after the batch that did nothing, and is answered as a retry.
    trips.length = 0;
    expect(await acceptSubmission(counted, survey, sent)).toMatchObject({ created: false });
    expect(trips).toEqual([expect.stringContaining('FROM taxonomies'), 'batch of 1', expect.stringContaining('FROM responses')]);
  });

  it('stores a response with only a pending mark, and insights straight after count it (fold on read)', async () => {
    const first = await api('/api/v1/insights?interval=month', { key: KEYS.admin });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(await pendingOf('demo')).toBe(0);
    const rolledUp = await demoRolledUp();

    const sent = body();
    expect((await submit('after-visit', sent)).status).toBe(201);
    // The insert counted nothing: the response waits for a fold.
    expect(await pendingOf('demo')).toBe(1);
    expect(await demoRolledUp()).toBe(rolledUp);

    // The next read folds first, so its tag is new (a 304 would hide the response) and the rollups count it.
    const next = await api('/api/v1/insights?interval=month', { key: KEYS.admin, headers: { 'if-none-match': etag } });
    expect(next.status).toBe(200);
    expect(next.headers.get('etag')).not.toBe(etag);
    expect(await pendingOf('demo')).toBe(0);
    expect(await demoRolledUp()).toBe(rolledUp + 1);
    expect(await demoRolledUp()).toBe(await demoResponses());

    // Nothing pending: the tag holds.
    const again = await api('/api/v1/insights?interval=month', { key: KEYS.admin, headers: { 'if-none-match': next.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('folds before the CSV export and the dashboard read the rollups too', async () => {
    expect((await submit('after-visit', body())).status).toBe(201);
    expect(await pendingOf('demo')).toBe(1);
    const csv = await api('/api/v1/insights.csv?interval=month', { key: KEYS.admin });
    expect(csv.status).toBe(200);
    expect(await pendingOf('demo')).toBe(0);
    expect(await demoRolledUp()).toBe(await demoResponses());

    // The dashboard and workspace load insights without the report cache: the loader folds itself.
    expect((await submit('after-visit', body())).status).toBe(201);
    expect(await pendingOf('demo')).toBe(1);
    await loadInsights(env.DB, { partnershipId: 'demo', partnerId: null }, { interval: 'month' });
    expect(await pendingOf('demo')).toBe(0);
    expect(await demoRolledUp()).toBe(await demoResponses());
  });

  it('never counts a retry twice, before or after a fold', async () => {
    const sent = body({ visit: 2, listened: 'no' });
    expect((await submit('after-visit', sent)).status).toBe(201);
    expect((await submit('after-visit', sent)).status).toBe(200);
    expect(await countRows('SELECT count(*) AS n FROM rollup_pending WHERE response_id = ?1', sent.id)).toBe(1);
    await foldPending(env.DB, 'demo');
    expect((await submit('after-visit', sent)).status).toBe(200);
    expect(await pendingOf('demo')).toBe(0);
    // A different response under the same id is still a conflict, found after the insert did nothing.
    expect((await submit('after-visit', { ...sent, answers: { visit: 5, listened: 'yes' } })).status).toBe(409);
    expect(await pendingOf('demo')).toBe(0);
    expect(await demoRolledUp()).toBe(await demoResponses());
  });

  it('uses a single-use link exactly once, and a retry through it is still a retry', async () => {
    const token = `single-${crypto.randomUUID()}`;
    await env.DB.prepare(
      `INSERT INTO feedback_links (id, token_hash, partnership_id, survey_id, partner_id, service_id, contact_type, single_use, uses, expires_at, created_at)
       VALUES (?1, ?2, 'demo', 'after-visit', 'demo-la', 'demo-social-work', 'home-visit', 1, 0, '2999-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
    )
      .bind(token, await sha256Hex(token))
      .run();
    const first = { ...body(), link: token };
    expect((await submit('after-visit', first)).status).toBe(201);
    expect((await submit('after-visit', first)).status).toBe(200);
    expect((await submit('after-visit', { ...body(), link: token })).status).toBe(410);
    expect(await countRows('SELECT uses AS n FROM feedback_links WHERE id = ?1', token)).toBe(1);
    expect(await countRows('SELECT count(*) AS n FROM responses WHERE link_id = ?1', token)).toBe(1);
  });

  it('is folded by the cron for every partnership', async () => {
    expect((await submit('after-visit', body())).status).toBe(201);
    expect(await pendingOf('demo')).toBeGreaterThan(0);
    const ran = await runScheduledTasks(env.DB, new Date());
    expect(ran.rollupsFolded).toBeGreaterThan(0);
    expect(await countRows('SELECT count(*) AS n FROM rollup_pending')).toBe(0);
    expect(await demoRolledUp()).toBe(await demoResponses());
  });
});
