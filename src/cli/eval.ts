/// <reference types="node" />
/**
 * Compares the analysis with labelled feedback (format of ../shared/samples/feedback-samples.jsonl).
 *   npm run eval                      # the shared samples, then our held-out fixtures
 *   npm run eval -- labelled.jsonl    # any labelled file
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyseText, DEFAULT_TAXONOMY, type PiiKind } from '../domain/analysis/index';

interface Labelled {
  id: string;
  text: string;
  themes: string[];
  sentiment: string;
  disclosure: { category: string } | null;
  pii: { kind: PiiKind; value: string }[];
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const KINDS: PiiKind[] = ['name', 'phone', 'email', 'postcode', 'address', 'date-of-birth', 'nhs-number', 'ni-number', 'url', 'handle'];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const fmt = (x: number): string => (Number.isNaN(x) ? '  -  ' : x.toFixed(2));
const prf = (c: Counts): [number, number, number] => {
  const p = c.tp + c.fp === 0 ? NaN : c.tp / (c.tp + c.fp);
  const r = c.tp + c.fn === 0 ? NaN : c.tp / (c.tp + c.fn);
  const f = Number.isNaN(p) || Number.isNaN(r) || p + r === 0 ? NaN : (2 * p * r) / (p + r);
  return [p, r, f];
};
const row = (label: string, c: Counts): string => {
  const [p, r, f] = prf(c);
  return `  ${label.padEnd(20)} P ${fmt(p)}  R ${fmt(r)}  F1 ${fmt(f)}   (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
};

/** Micro-averaging: the counts of every kind or theme added up. */
const summed = (list: Counts[]): Counts => list.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });

function evaluate(file: string): void {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Labelled);
  const pii = new Map<PiiKind, Counts>(KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  const themeIds = DEFAULT_TAXONOMY.themes.map((t) => t.id);
  const themes = new Map<string, Counts>(themeIds.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  let sentimentRight = 0;
  let disclosures = 0;
  let caught = 0;
  let categoryRight = 0;
  let nulls = 0;
  const fired: string[] = [];
  const missed: string[] = [];
  const piiMistakes: string[] = [];
  const sentimentMistakes: string[] = [];
  const themeMistakes: string[] = [];

  for (const item of rows) {
    const a = analyseText(item.text);
    // PII: a label is matched by a predicted span of the same kind that overlaps it
    const labels = item.pii.map((l) => {
      const s = item.text.indexOf(l.value);
      return { kind: l.kind, s, e: s + l.value.length, value: l.value };
    });
    for (const l of labels) {
      const c = pii.get(l.kind) as Counts;
      if (a.pii.some((p) => p.kind === l.kind && p.start < l.e && l.s < p.end)) c.tp++;
      else {
        c.fn++;
        piiMistakes.push(`  ${item.id} MISSED ${l.kind} "${l.value}"`);
      }
    }
    for (const p of a.pii) {
      if (!labels.some((l) => l.kind === p.kind && p.start < l.e && l.s < p.end)) {
        (pii.get(p.kind) as Counts).fp++;
        piiMistakes.push(`  ${item.id} EXTRA ${p.kind} "${item.text.slice(p.start, p.end)}"`);
      }
    }
    const predicted = new Set(a.themes.map((t) => t.id));
    for (const id of themeIds) {
      const c = themes.get(id) as Counts;
      const want = item.themes.includes(id);
      const got = predicted.has(id);
      if (want && got) c.tp++;
      else if (got) c.fp++;
      else if (want) c.fn++;
    }
    const extra = [...predicted].filter((t) => !item.themes.includes(t));
    const lost = item.themes.filter((t) => !predicted.has(t));
    if (extra.length || lost.length) themeMistakes.push(`  ${item.id} +[${extra.join(',')}] -[${lost.join(',')}] ${item.text.slice(0, 70)}`);
    if (a.sentiment === item.sentiment) sentimentRight++;
    else sentimentMistakes.push(`  ${item.id} want ${item.sentiment} got ${a.sentiment}: ${item.text.slice(0, 80)}`);
    const flagged = a.disclosure?.current;
    if (item.disclosure) {
      disclosures++;
      if (flagged) {
        caught++;
        if (a.disclosure?.category === item.disclosure.category) categoryRight++;
        else missed.push(`  ${item.id} WRONG CATEGORY want ${item.disclosure.category} got ${a.disclosure?.category}: ${item.text}`);
      } else missed.push(`  ${item.id} MISSED ${item.disclosure.category}: ${item.text}`);
    } else {
      nulls++;
      if (flagged) fired.push(`  ${item.id} fired ${a.disclosure?.category} on "${a.disclosure?.evidence}": ${item.text}`);
    }
  }

  const out: string[] = [`\n== ${file} (${rows.length} texts)`, 'PII per kind:'];
  for (const k of KINDS) out.push(row(k, pii.get(k) as Counts));
  out.push(row('ALL PII', summed(KINDS.map((k) => pii.get(k) as Counts))), 'Themes:');
  for (const id of themeIds) out.push(row(id, themes.get(id) as Counts));
  out.push(row('MICRO themes', summed(themeIds.map((id) => themes.get(id) as Counts))));
  const tpD = caught;
  out.push(
    'Disclosures:',
    `  recall ${fmt(disclosures ? caught / disclosures : NaN)} (${caught}/${disclosures}), category right ${categoryRight}/${caught}`,
    `  precision ${fmt(tpD + fired.length ? tpD / (tpD + fired.length) : NaN)}; false alarms on texts labelled null ${fired.length}/${nulls} = ${fmt(nulls ? fired.length / nulls : NaN)}`,
    `Sentiment accuracy ${fmt(sentimentRight / rows.length)} (${sentimentRight}/${rows.length})`,
    'Traps that fired:',
    ...(fired.length ? fired : ['  none']),
    'Missed disclosures:',
    ...(missed.length ? missed : ['  none']),
  );
  if (process.env.EVAL_VERBOSE) out.push('PII mistakes:', ...piiMistakes, 'Theme mistakes:', ...themeMistakes, 'Sentiment mistakes:', ...sentimentMistakes);
  process.stdout.write(`${out.join('\n')}\n`);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  files.push(
    resolve(root, '../shared/samples/feedback-samples.jsonl'),
    resolve(root, 'tests/fixtures/analysis/heldout.jsonl'),
    resolve(root, 'tests/fixtures/analysis/heldout-2.jsonl'),
    resolve(root, 'tests/fixtures/analysis/heldout-3.jsonl'),
    resolve(root, 'tests/fixtures/analysis/heldout-4.jsonl'),
  );
}
for (const f of files) evaluate(resolve(f));
