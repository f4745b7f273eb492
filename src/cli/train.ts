/// <reference types="node" />
/**
 * Trains the learned second opinion from the labelled fixtures and measures it honestly:
 *   npm run train
 * 1. k-fold cross-validation over the fixture FILES (train on all files but one, score the one left
 *    out, through the real analyseText path), to choose the concern threshold and whether the
 *    sentiment head is used, and to print what the model adds to the rules;
 * 2. the final model on every file: src/domain/analysis/model/weights.json, its SHA-256 beside it
 *    (weights.sha256; tests/domain/analysis/model.test.ts retrains and checks it), and the
 *    thresholds in calibration.json.
 * bench/blind/ is never read here: blind sets are scored once, by `npm run eval`, not tuned on.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { analyseText, redact } from '../domain/analysis/index';
import type { Calibration } from '../domain/analysis/model/index';
import { decodeModel, scoreText } from '../domain/analysis/model/score';
import {
  canonicalModelJson,
  DEFAULT_TRAINING,
  type LabelledText,
  type TrainingOptions,
  trainingText,
  trainModel,
  type TrainingText,
} from '../domain/analysis/model/train';
import { normalise } from '../domain/analysis/normalise';
import type { Sentiment, Triage } from '../domain/analysis/types';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = resolve(root, 'tests/fixtures/analysis');
const OUT = resolve(root, 'src/domain/analysis/model');

/** The model's own share of reviews on texts with no disclosure, and the budget for rules and model together. */
const MODEL_REVIEW_BUDGET = 0.04;
const TOTAL_REVIEW_BUDGET = 0.1;
/** The sentiment head is used only if it wins at least this much accuracy where the rules say neutral. */
const MIN_SENTIMENT_GAIN = 0.02;
const SENTIMENT_MARGINS = [0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

export function readFixtures(): { file: string; rows: LabelledText[] }[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((file) => ({
      file,
      rows: readFileSync(resolve(FIXTURES, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as LabelledText),
    }));
}

export interface Scored {
  file: string;
  disclosure: boolean;
  sentiment: Sentiment;
  rulesTriage: Triage;
  rulesSentiment: Sentiment;
  concern: number;
  modelSentiment: Sentiment;
  confidence: number;
}

const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)} % (${n}/${d})` : '-');

export function crossValidate(sets: { file: string; rows: LabelledText[] }[], options: TrainingOptions = DEFAULT_TRAINING): Scored[] {
  const out: Scored[] = [];
  for (const held of sets) {
    const train: TrainingText[] = sets.filter((s) => s !== held).flatMap((s) => s.rows.map((r) => trainingText(r, s.file)));
    const model = decodeModel(trainModel(train, options));
    for (const r of held.rows) {
      const rules = analyseText(r.text, { model: false });
      const clean = normalise(redact(r.text).redacted).text;
      const o = scoreText(model, clean);
      out.push({
        file: held.file,
        disclosure: r.disclosure !== null,
        sentiment: r.sentiment,
        rulesTriage: rules.triage,
        rulesSentiment: rules.sentiment,
        concern: o.concern,
        modelSentiment: o.sentiment,
        confidence: o.sentimentConfidence,
      });
    }
  }
  return out;
}

export function chooseThreshold(scored: Scored[]): { threshold: number | null; budget: number } {
  const nulls = scored.filter((s) => !s.disclosure);
  const rulesRate = nulls.filter((s) => s.rulesTriage !== 'clear').length / nulls.length;
  const budget = Math.min(MODEL_REVIEW_BUDGET, TOTAL_REVIEW_BUDGET - rulesRate);
  if (budget <= 0) return { threshold: null, budget };
  for (let t = 5; t <= 99; t++) {
    const threshold = t / 100;
    const added = nulls.filter((s) => s.rulesTriage === 'clear' && s.concern >= threshold).length;
    if (added / nulls.length <= budget) {
      // worth it only if it catches a disclosure the rules left clear
      const gained = scored.filter((s) => s.disclosure && s.rulesTriage === 'clear' && s.concern >= threshold).length;
      return { threshold: gained > 0 ? threshold : null, budget };
    }
  }
  return { threshold: null, budget };
}

export function chooseMargin(scored: Scored[]): { margin: number | null; rules: number; best: number; n: number } {
  const neutral = scored.filter((s) => s.rulesSentiment === 'neutral');
  const rules = neutral.filter((s) => s.sentiment === 'neutral').length;
  let best = rules;
  let margin: number | null = null;
  for (const m of SENTIMENT_MARGINS) {
    const right = neutral.filter((s) => (s.confidence >= m ? s.modelSentiment : 'neutral') === s.sentiment).length;
    if (right > best) [best, margin] = [right, m];
  }
  if ((best - rules) / Math.max(1, neutral.length) < MIN_SENTIMENT_GAIN) margin = null;
  return { margin, rules, best, n: neutral.length };
}

function report(scored: Scored[], threshold: number | null, margin: number | null): string[] {
  const lines: string[] = [];
  const raise = (s: Scored) => threshold !== null && s.rulesTriage === 'clear' && s.concern >= threshold;
  const sentimentOf = (s: Scored) => (margin !== null && s.rulesSentiment === 'neutral' && s.confidence >= margin ? s.modelSentiment : s.rulesSentiment);
  const files = [...new Set(scored.map((s) => s.file)), 'ALL'];
  lines.push('held-out file        disclosures caught (alert|review)   review+alert on non-disclosures   sentiment right where rules say neutral');
  lines.push('                     rules        rules+model            rules        rules+model          rules        rules+model');
  for (const f of files) {
    const set = f === 'ALL' ? scored : scored.filter((s) => s.file === f);
    const d = set.filter((s) => s.disclosure);
    const nd = set.filter((s) => !s.disclosure);
    const neutral = set.filter((s) => s.rulesSentiment === 'neutral');
    const cells = [
      pct(d.filter((s) => s.rulesTriage !== 'clear').length, d.length),
      pct(d.filter((s) => s.rulesTriage !== 'clear' || raise(s)).length, d.length),
      pct(nd.filter((s) => s.rulesTriage !== 'clear').length, nd.length),
      pct(nd.filter((s) => s.rulesTriage !== 'clear' || raise(s)).length, nd.length),
      pct(neutral.filter((s) => s.sentiment === 'neutral').length, neutral.length),
      pct(neutral.filter((s) => sentimentOf(s) === s.sentiment).length, neutral.length),
    ];
    lines.push(`  ${f.padEnd(18)} ${cells.map((c) => c.padEnd(20)).join(' ')}`);
  }
  const d = scored.filter((s) => s.disclosure);
  const nd = scored.filter((s) => !s.disclosure);
  lines.push(`the model's own reviews: ${pct(nd.filter(raise).length, nd.length)} of non-disclosures; disclosures it adds: ${d.filter(raise).length}`);
  if (threshold !== null) lines.push(`model alone at ${threshold}: catches ${pct(d.filter((s) => s.concern >= threshold).length, d.length)} of disclosures`);
  const all = scored.filter((s) => sentimentOf(s) === s.sentiment).length;
  lines.push(
    `sentiment accuracy on every text: rules ${pct(scored.filter((s) => s.rulesSentiment === s.sentiment).length, scored.length)}, with model ${pct(all, scored.length)}`,
  );
  return lines;
}

function main(): void {
  const sets = readFixtures();
  const t0 = performance.now();
  const scored = crossValidate(sets);
  const { threshold, budget } = chooseThreshold(scored);
  const sentiment = chooseMargin(scored);
  const lines = [
    `cross-validation over ${sets.length} fixture files (${scored.length} texts), ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    `concern threshold: ${threshold ?? 'off (adds no caught disclosure within the budget)'} (model's review budget on non-disclosures ${(100 * budget).toFixed(1)} %)`,
    `sentiment head: ${sentiment.margin === null ? 'off' : `on at confidence >= ${sentiment.margin}`} (rules-neutral texts right: rules ${sentiment.rules}/${sentiment.n}, best with model ${sentiment.best}/${sentiment.n})`,
    ...report(scored, threshold, sentiment.margin),
  ];
  const model = trainModel(sets.flatMap((s) => s.rows.map((r) => trainingText(r, s.file))));
  const json = canonicalModelJson(model);
  const sha = createHash('sha256').update(json).digest('hex');
  writeFileSync(resolve(OUT, 'weights.json'), `${json}\n`);
  writeFileSync(resolve(OUT, 'weights.sha256'), `${sha}\n`);
  const calibration: Calibration = { concernThreshold: threshold, sentimentMargin: sentiment.margin };
  writeFileSync(resolve(OUT, 'calibration.json'), `${JSON.stringify(calibration, null, 2)}\n`);
  // in the project's JSON style, so `npm run lint` stays clean; the hash is over the canonical compact form
  execFileSync(resolve(root, 'node_modules/.bin/biome'), ['format', '--write', ...['weights.json', 'calibration.json'].map((f) => resolve(OUT, f))], {
    stdio: 'ignore',
  });
  lines.push(`weights.json: ${json.length} bytes (${gzipSync(json, { level: 9 }).length} gzipped), sha256 ${sha}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
