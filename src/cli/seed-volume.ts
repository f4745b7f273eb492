/// <reference types="node" />
/**
 * `npm run seed:volume -- N`: loads N synthetic responses into the LOCAL D1 that `npm start` uses
 * (wrangler's .wrangler/state/v3/d1), for measuring insights at volume. Local only: refuses --remote.
 * Stop `npm start` first: two runtimes must not write one SQLite file.
 *
 * The responses look like real ones because they are: a few thousand answer sets are run through
 * the real analysis (prepareSubmission) once, then SQLite copies them N times in chunks, each row
 * with its own id, a day in the last 13 months and a demo partner, service and age band. Each chunk
 * is folded into the rollups in the same batch (migration 0027), as the cron or a read would fold
 * responses stored by intake, so the rollups are whole when it ends.
 */
import { pathToFileURL } from 'node:url';
import { DEMO_PARTNERSHIP, DEMO_SERVICES } from '../demo/seed';
import { DEMO_SURVEYS, fftAnswerFor } from '../demo/surveys';
import { IMPROVE as DEMO_IMPROVE } from '../demo/responses';
import { prepareSubmission } from '../domain/intake';
import type { Answers } from '../domain/survey';
import { foldQueries } from '../db/rollups';
import { startWorker } from './worker-server';

/** Free text people write, good and bad, across the demo partners' services. */
const TEXTS: [rating: number, text: string][] = [
  [5, 'The officer explained what would happen next and kept us updated every week.'],
  [4, 'The police were kind to my son and listened to what he had to say.'],
  [2, 'Nobody from the police rang us back after the interview, we were left not knowing anything.'],
  [1, 'We had to tell our story again to the police, the school and social care. Nobody talks to each other.'],
  [3, 'The officer was polite but we waited three weeks for an update.'],
  [1, 'We waited eight months for a CAMHS appointment while my daughter’s anxiety got worse.'],
  [2, 'The waiting list for counselling is far too long and nobody explained why.'],
  [4, 'The CAMHS nurse was lovely and really listened to my son.'],
  [5, 'The mental health team helped my daughter feel safe again.'],
  [2, 'Appointments kept getting cancelled at the last minute.'],
  [4, 'The teachers worked with social care and the school nurse, everyone was on the same page.'],
  [2, 'The school didn’t tell us about the meeting until the day before.'],
  [5, 'His teacher listened to him and made a plan with us for his attendance.'],
  [1, 'My son was excluded and nobody from school explained what would happen next.'],
  [3, 'School were supportive but the SEND assessment is taking forever.'],
  [4, 'The social worker listened to us and helped with food vouchers and the housing office.'],
  [2, 'We’ve had four different social workers this year, my kids don’t trust any of them.'],
  [1, 'I rang the duty line on a Saturday night and couldn’t get through to anyone.'],
  [5, 'Our worker was kind, never judged us, and always rang back.'],
  [3, 'The early help parenting course was useful but the sessions were in the daytime when I work.'],
  [5, 'she listened to me and didnt make me talk about stuff i didnt want to'],
  [4, 'we played a game and i could say what i wanted'],
  [2, 'i had to tell it all again to someone new'],
  [1, 'nobody told me when she was coming and i missed football'],
  [3, 'it was ok but it was really short'],
  [2, 'There is nowhere for teenagers to go in the evenings so they hang around the park.'],
  [4, 'The youth club has made a real difference to the kids on our estate.'],
  [1, 'I would not know who to ring if I was worried about a child next door.'],
];
// An empty answer too: many leave "what could be better" blank.
const IMPROVE = [...DEMO_IMPROVE, ''];
const PRIORITIES = ['youth-spaces', 'online', 'mental-health', 'family-support'];

/** A small deterministic PRNG so every run builds the same templates. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One fully specified response, minus its id and day: SQLite picks one per row. */
export interface VolumeTemplate {
  s: string; // survey
  a: string; // audience
  p: string | null; // partner
  v: string | null; // service
  g: string | null; // age band
  l: string; // lang
  ans: string;
  an: string;
  r: number | null;
  se: string | null;
  th: string;
}

/**
 * Answer sets for the three demo surveys, analysed by the real pipeline, placed on demo partners,
 * services and age bands. Roughly: 55 % family-rating, 30 % after-visit, 15 % community-voice.
 */
export function buildTemplates(count = 3000): VolumeTemplate[] {
  const rnd = mulberry32(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const survey = (id: string) => DEMO_SURVEYS.find((s) => s.id === id)!;
  const out: VolumeTemplate[] = [];
  for (let i = 0; i < count; i++) {
    const roll = rnd();
    const [rating, text] = pick(TEXTS);
    const lang = rnd() < 1 / 7 ? 'cy' : 'en';
    let s: (typeof DEMO_SURVEYS)[number];
    let answers: Answers;
    let partner: string | null;
    let service: string | null;
    let ageBand: string | null;
    if (roll < 0.55) {
      s = survey('family-rating');
      answers = { overall: rnd() < 0.05 ? 'dont-know' : fftAnswerFor(rating), why: text, ...(rnd() < 0.8 ? { improve: pick(IMPROVE) } : {}) };
      const svc = pick(DEMO_SERVICES);
      partner = svc.partnerId;
      service = svc.id;
      ageBand = 'adult';
    } else if (roll < 0.85) {
      s = survey('after-visit');
      answers = { visit: rating, listened: rating >= 3 ? 'yes' : 'no', good: text, ...(rating <= 3 ? { better: pick(IMPROVE) } : {}) };
      partner = 'demo-la';
      service = pick(DEMO_SERVICES.filter((x) => x.partnerId === 'demo-la')).id;
      ageBand = '8-12';
    } else {
      s = survey('community-voice');
      answers = {
        'safe-area': Math.max(1, Math.min(3, Math.round(rating / 2))),
        priorities: PRIORITIES.filter(() => rnd() < 0.4),
        'know-who': rnd() < 0.6 ? 'yes' : 'no',
        more: text,
      };
      partner = null;
      service = null;
      ageBand = rnd() < 0.4 ? '13-17' : 'adult';
    }
    for (const [k, v] of Object.entries(answers)) if (v === '') delete answers[k];
    const prepared = prepareSubmission(s.definition, answers);
    // A possible disclosure belongs in the alert queue, not in insight volume: skip those.
    if (prepared.disclosure) continue;
    out.push({
      s: s.id,
      a: s.audience,
      p: partner,
      v: service,
      g: ageBand,
      l: lang,
      ans: JSON.stringify(prepared.answers),
      an: JSON.stringify(prepared.analysis),
      r: prepared.rating,
      se: prepared.sentiment,
      th: JSON.stringify(prepared.themes),
    });
  }
  return out;
}

/**
 * One statement that inserts responses number `from`..`to` of a run: SQLite generates the rows
 * (recursive counter, a random template, a random day in the `days` before `today`).
 * Bound parameters: 6. Each row is marked pending for the fold (0027), as at intake.
 */
export const INSERT_CHUNK_SQL = `
INSERT INTO responses (id, partnership_id, survey_id, survey_version, audience, partner_id, service_id, link_id, contact_type,
                       received_day, age_band, lang, answers, analysis, rating, sentiment, flagged, fingerprint, themes)
WITH RECURSIVE
  n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2),
  t AS MATERIALIZED (
    SELECT CAST(key AS INTEGER) AS k, value ->> '$.s' AS s, value ->> '$.a' AS a, value ->> '$.p' AS p, value ->> '$.v' AS v,
           value ->> '$.g' AS g, value ->> '$.l' AS l, value ->> '$.ans' AS ans, value ->> '$.an' AS an, value ->> '$.r' AS r,
           value ->> '$.se' AS se, value ->> '$.th' AS th
    FROM json_each(?3)
  ),
  picks AS MATERIALIZED (SELECT i, abs(random()) % (SELECT count(*) FROM t) AS k, abs(random()) % ?4 AS d FROM n)
SELECT ?5 || printf('%012x', picks.i), '${DEMO_PARTNERSHIP}', t.s, 1, t.a, t.p, t.v, NULL, NULL,
       date(?6, '-' || picks.d || ' days'), t.g, t.l, t.ans, t.an, t.r, t.se, 0, lower(hex(randomblob(32))), t.th
FROM picks JOIN t ON t.k = picks.k`;

export interface VolumeProgress {
  inserted: number;
  ms: number;
}

/** One statement for `seedVolume`'s `execBatch`. */
export interface SeedStatement {
  sql: string;
  params: unknown[];
}

/**
 * Inserts `count` synthetic responses in chunks through `execBatch`, which runs statements as one
 * D1 batch (a D1 binding's `batch`, or a harness's SQL endpoint), calling `progress` after each
 * chunk. Each chunk and the fold that counts it into the rollups are one batch: whole or nothing.
 * Ids are `<random prefix><12 hex digits>`, so every run adds new responses.
 */
export async function seedVolume(
  execBatch: (statements: SeedStatement[]) => Promise<unknown>,
  count: number,
  opts: { chunk?: number; days?: number; today?: string; progress?: (p: VolumeProgress) => void } = {},
): Promise<VolumeProgress> {
  const templates = JSON.stringify(buildTemplates());
  const chunk = opts.chunk ?? 10_000;
  const days = opts.days ?? 396; // 13 months
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const prefix = crypto.randomUUID().slice(0, 24);
  const t0 = performance.now();
  let inserted = 0;
  while (inserted < count) {
    const n = Math.min(chunk, count - inserted);
    // The fold takes the chunk's responses (and anything else pending, up to a chunk's worth; a read folds any rest).
    await execBatch([{ sql: INSERT_CHUNK_SQL, params: [inserted, inserted + n - 1, templates, days, prefix, today] }, ...foldQueries(null, chunk)]);
    inserted += n;
    opts.progress?.({ inserted, ms: performance.now() - t0 });
  }
  return { inserted, ms: performance.now() - t0 };
}

/** wrangler's local D1 for `npm start`: the persist path and the database id from wrangler.toml. */
export const WRANGLER_LOCAL_D1 = { persist: '.wrangler/state/v3/d1', databaseId: '00000000-0000-0000-0000-000000000000' };

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  if (process.argv.includes('--remote')) {
    console.error('Refusing: seed:volume writes synthetic responses and is for the local D1 only.');
    process.exit(2);
  }
  const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
  console.log(`Loading ${count.toLocaleString('en-GB')} synthetic responses into the local D1 (${WRANGLER_LOCAL_D1.persist})…`);
  const worker = await startWorker({ ...WRANGLER_LOCAL_D1, script: 'export default { fetch: () => new Response(null, { status: 404 }) }' });
  try {
    let last = 0;
    const done = await seedVolume((statements) => worker.db.batch(statements.map(({ sql, params }) => worker.db.prepare(sql).bind(...params))), count, {
      progress: ({ inserted, ms }) => {
        if (inserted - last < 100_000 && inserted < count) return;
        last = inserted;
        console.log(
          `  ${inserted.toLocaleString('en-GB').padStart(10)} rows  ${(ms / 1000).toFixed(1)} s  ${Math.round(inserted / (ms / 1000)).toLocaleString('en-GB')} rows/s`,
        );
      },
    });
    const { results } = await worker.db
      .prepare('SELECT (SELECT count(*) FROM responses) AS responses, (SELECT count(*) FROM rollups) AS rollups')
      .all<{ responses: number; rollups: number }>();
    console.log(
      `Done: ${done.inserted.toLocaleString('en-GB')} rows in ${(done.ms / 1000).toFixed(1)} s (${Math.round(done.inserted / (done.ms / 1000)).toLocaleString('en-GB')} rows/s, rollup fold included).` +
        ` The local D1 now holds ${results[0]!.responses.toLocaleString('en-GB')} responses and ${results[0]!.rollups.toLocaleString('en-GB')} rollup rows.`,
    );
  } finally {
    await worker.dispose();
  }
}
