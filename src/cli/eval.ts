/// <reference types="node" />
/**
 * Scores the analysis against labelled feedback (format of ../shared/samples/feedback-samples.jsonl)
 * and prints issue 12's targets table for each file.
 *   npm run eval                                  # the shared samples and every file in tests/fixtures/analysis/
 *   npm run eval -- labelled.jsonl                # any labelled file
 *   npm run eval -- set.jsonl traps.txt           # traps.txt: ids of texts written as traps, one a line
 *   EVAL_VERBOSE=1 npm run eval                   # also every mistake
 * A text is a trap when its id is in a traps file given, or it has `"trap": true`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyseText, DEFAULT_TAXONOMY, type PiiKind, type TextAnalysis } from '../domain/analysis/index';

/** EVAL_MODEL=off scores the rules alone, to see what the learned second opinion adds. */
const WITH_MODEL = process.env.EVAL_MODEL !== 'off';

interface Labelled {
  id: string;
  text: string;
  themes: string[];
  sentiment: string;
  disclosure: { category: string } | null;
  pii: { kind: PiiKind; value: string }[];
  trap?: boolean;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const KINDS: PiiKind[] = ['name', 'phone', 'email', 'postcode', 'address', 'date-of-birth', 'nhs-number', 'ni-number', 'url', 'handle'];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = resolve(root, 'tests/fixtures/analysis');

const fmt = (x: number): string => (Number.isNaN(x) ? '  -  ' : x.toFixed(2));
const ratio = (a: number, b: number): number => (b === 0 ? NaN : a / b);
const prf = (c: Counts): [number, number, number] => {
  const p = ratio(c.tp, c.tp + c.fp);
  const r = ratio(c.tp, c.tp + c.fn);
  const f = Number.isNaN(p) || Number.isNaN(r) || p + r === 0 ? NaN : (2 * p * r) / (p + r);
  return [p, r, f];
};
const row = (label: string, c: Counts): string => {
  const [p, r, f] = prf(c);
  return `  ${label.padEnd(20)} P ${fmt(p)}  R ${fmt(r)}  F1 ${fmt(f)}   (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
};
const summed = (list: Counts[]): Counts => list.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });

type Verdict = 'pass' | 'miss' | 'n/a';
const atLeast = (x: number, t: number): Verdict => (Number.isNaN(x) ? 'n/a' : x >= t ? 'pass' : 'miss');
const atMost = (x: number, t: number): Verdict => (Number.isNaN(x) ? 'n/a' : x <= t ? 'pass' : 'miss');

/** One line of the targets table. */
const target = (measure: string, value: string, goal: string, verdict: Verdict): string =>
  `  ${measure.padEnd(44)} ${value.padEnd(24)} ${goal.padEnd(10)} ${verdict}`;

function readTraps(file: string): Set<string> {
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l !== ''),
  );
}

function evaluate(file: string, traps: Set<string>): void {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Labelled);
  const pii = new Map<PiiKind, Counts>(KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  const themeIds = DEFAULT_TAXONOMY.themes.map((t) => t.id);
  const themes = new Map<string, Counts>(themeIds.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  const themesLabelled = rows.some((r) => r.themes.length > 0);
  let sentimentRight = 0;
  let disclosures = 0;
  let alerted = 0;
  let caught = 0;
  let categoryRight = 0;
  let nulls = 0;
  let reviewedNull = 0;
  let alertedNull = 0;
  let trapCount = 0;
  let trapAlerts = 0;
  let chars = 0;
  const falseAlerts: string[] = [];
  const falseReviews: string[] = [];
  const missed: string[] = [];
  const reviewOnly: string[] = [];
  const mistakes: string[] = [];

  // a first pass warms the JIT; the second is timed, so the CPU figure is the analysis alone
  for (const r of rows) analyseText(r.text, { model: WITH_MODEL });
  const t0 = process.cpuUsage();
  const results: TextAnalysis[] = rows.map((r) => analyseText(r.text, { model: WITH_MODEL }));
  const cpu = process.cpuUsage(t0);
  for (const r of rows) chars += r.text.length;

  rows.forEach((item, i) => {
    const a = results[i] as TextAnalysis;
    const labels = item.pii.map((l) => {
      const s = item.text.indexOf(l.value);
      return { kind: l.kind, s, e: s + l.value.length, value: l.value };
    });
    for (const l of labels) {
      const c = pii.get(l.kind) as Counts;
      if (a.pii.some((p) => p.kind === l.kind && p.start < l.e && l.s < p.end)) c.tp++;
      else {
        c.fn++;
        mistakes.push(`  ${item.id} PII MISSED ${l.kind} "${l.value}"`);
      }
    }
    for (const p of a.pii) {
      if (!labels.some((l) => l.kind === p.kind && p.start < l.e && l.s < p.end)) {
        (pii.get(p.kind) as Counts).fp++;
        mistakes.push(`  ${item.id} PII EXTRA ${p.kind} "${item.text.slice(p.start, p.end)}"`);
      }
    }
    if (themesLabelled) {
      const predicted = new Set(a.themes.map((t) => t.id));
      for (const id of themeIds) {
        const c = themes.get(id) as Counts;
        const want = item.themes.includes(id);
        const got = predicted.has(id);
        if (want && got) c.tp++;
        else if (got) c.fp++;
        else if (want) c.fn++;
      }
    }
    if (a.sentiment === item.sentiment) sentimentRight++;
    else mistakes.push(`  ${item.id} SENTIMENT want ${item.sentiment} got ${a.sentiment}: ${item.text.slice(0, 80)}`);
    const isTrap = item.trap === true || traps.has(item.id);
    if (item.disclosure) {
      disclosures++;
      if (a.triage === 'alert') {
        alerted++;
        caught++;
        if (a.disclosure?.category === item.disclosure.category) categoryRight++;
      } else if (a.triage === 'review') {
        caught++;
        reviewOnly.push(`  ${item.id} REVIEW ONLY (${a.concern?.category ?? 'no category'}) want ${item.disclosure.category}: ${item.text}`);
      } else missed.push(`  ${item.id} MISSED ${item.disclosure.category}: ${item.text}`);
    } else {
      nulls++;
      if (a.triage === 'alert') {
        alertedNull++;
        falseAlerts.push(`  ${item.id}${isTrap ? ' (trap)' : ''} ALERT ${a.disclosure?.category} on "${a.disclosure?.evidence}"`);
      } else if (a.triage === 'review') {
        reviewedNull++;
        falseReviews.push(`  ${item.id} REVIEW ${a.concern?.category ?? '-'} on "${a.concern?.evidence}"`);
      }
    }
    if (isTrap) {
      trapCount++;
      if (a.triage === 'alert' && !item.disclosure) trapAlerts++;
    }
  });

  const allPii = summed(KINDS.map((k) => pii.get(k) as Counts));
  const [allP] = prf(allPii);
  const kindsPresent = KINDS.filter((k) => {
    const c = pii.get(k) as Counts;
    return c.tp + c.fn > 0;
  });
  const recallByKind = kindsPresent.map((k) => [k, prf(pii.get(k) as Counts)[1]] as const);
  const worstRecall = recallByKind.reduce((m, [, r]) => Math.min(m, r), Infinity);
  const [, , themeF1] = prf(summed(themeIds.map((id) => themes.get(id) as Counts)));
  const sentimentAccuracy = ratio(sentimentRight, rows.length);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  // per answer, not per character: most of the cost is fixed per text, so scaling short texts up to
  // 500 characters would overstate it; npm run bench:analysis times real 500-character answers
  const perAnswer = ratio(cpuMs, rows.length);

  const out: string[] = [`\n== ${file} (${rows.length} texts: ${disclosures} disclosures, ${nulls} without, ${trapCount} traps)`];
  out.push(
    target('measure', 'measured', 'target', 'n/a').replace(/n\/a$/, ''),
    target(
      'disclosures caught by alert or review',
      `${fmt(ratio(caught, disclosures))} (${caught}/${disclosures})`,
      '>= 0.98',
      atLeast(ratio(caught, disclosures), 0.98),
    ),
    target(
      'disclosures caught by alert alone',
      `${fmt(ratio(alerted, disclosures))} (${alerted}/${disclosures})`,
      '>= 0.85',
      atLeast(ratio(alerted, disclosures), 0.85),
    ),
    target('  alert category right', `${categoryRight}/${alerted}`, '', 'n/a'),
    target(
      'review rate on texts with no disclosure',
      `${fmt(ratio(reviewedNull, nulls))} (${reviewedNull}/${nulls})`,
      '<= 0.10',
      atMost(ratio(reviewedNull, nulls), 0.1),
    ),
    target(
      'alert on traps',
      trapCount ? `${fmt(ratio(trapAlerts, trapCount))} (${trapAlerts}/${trapCount})` : '- (no traps listed)',
      '<= 0.10',
      atMost(ratio(trapAlerts, trapCount), 0.1),
    ),
    target(
      'alert on all texts with no disclosure',
      `${fmt(ratio(alertedNull, nulls))} (${alertedNull}/${nulls})`,
      '<= 0.03',
      atMost(ratio(alertedNull, nulls), 0.03),
    ),
    target(
      'PII recall, every kind (worst)',
      kindsPresent.length ? fmt(worstRecall) : '- (no PII labelled)',
      '>= 0.95',
      kindsPresent.length ? atLeast(worstRecall, 0.95) : 'n/a',
    ),
  );
  for (const [k, r] of recallByKind) {
    const c = pii.get(k) as Counts;
    out.push(target(`  ${k} recall / precision`, `${fmt(r)} / ${fmt(prf(c)[0])} (${c.tp}/${c.tp + c.fn})`, '>= 0.95', atLeast(r, 0.95)));
  }
  out.push(
    target('PII precision (all kinds)', `${fmt(allP)} (fp ${allPii.fp})`, '>= 0.90', atLeast(allP, 0.9)),
    target('themes micro-F1', themesLabelled ? fmt(themeF1) : '- (themes not labelled)', '>= 0.80', themesLabelled ? atLeast(themeF1, 0.8) : 'n/a'),
    target('sentiment accuracy', fmt(sentimentAccuracy), '>= 0.80', atLeast(sentimentAccuracy, 0.8)),
    target(
      'CPU per answer (this file, mean)',
      `${perAnswer.toFixed(3)} ms (${Math.round(ratio(chars, rows.length))} chars)`,
      '< 1 ms',
      perAnswer < 1 ? 'pass' : 'miss',
    ),
    'False alerts:',
    ...(falseAlerts.length ? falseAlerts : ['  none']),
    'Missed disclosures (clear):',
    ...(missed.length ? missed : ['  none']),
  );
  if (process.env.EVAL_VERBOSE) {
    out.push('Disclosures caught by review only:', ...reviewOnly, 'Reviews of texts with no disclosure:', ...falseReviews, 'Themes:');
    for (const id of themeIds) out.push(row(id, themes.get(id) as Counts));
    out.push('Other mistakes:', ...mistakes);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

const args = process.argv.slice(2);
const trapFiles = args.filter((a) => a.endsWith('.txt'));
const files = args.filter((a) => !a.endsWith('.txt'));
if (files.length === 0) {
  // the shared samples sit beside the checkout (../shared), or beside its worktree folder
  const samples = ['../shared', '../../shared'].map((d) => resolve(root, d, 'samples/feedback-samples.jsonl')).find((f) => existsSync(f));
  if (samples) files.push(samples);
  for (const f of readdirSync(FIXTURES).sort()) if (f.endsWith('.jsonl')) files.push(resolve(FIXTURES, f));
  trapFiles.push(resolve(FIXTURES, 'traps.txt'));
}
const traps = new Set<string>();
for (const t of trapFiles) for (const id of readTraps(resolve(t))) traps.add(id);
for (const f of files) evaluate(resolve(f), traps);
