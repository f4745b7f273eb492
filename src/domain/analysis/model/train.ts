import { normalise } from '../normalise';
import type { PiiKind, Sentiment } from '../types';
import { BUCKETS, featureBuckets, modelWords, wordBucket } from './features';
import { sigmoid, softmax } from './numeric';
import { encodeInt8, type ModelFile, type QuantisedHead } from './score';

/**
 * Trains the second opinion: two linear heads over hashed features, by stochastic gradient descent
 * in a seeded order. Pure and deterministic: the same labelled texts give the same weights, bit for
 * bit, on any machine (only + - * / and integer hashing; no Math.random, no Math.exp).
 */

export const SENTIMENTS: Sentiment[] = ['positive', 'negative', 'mixed', 'neutral'];

/** A labelled fixture line (tests/fixtures/analysis/*.jsonl). */
export interface LabelledText {
  text: string;
  sentiment: Sentiment;
  disclosure: { category: string } | null;
  pii: { kind: PiiKind; value: string }[];
}

/** What the trainer sees: the text as analyseText would hand it over, and the two labels. */
export interface TrainingText {
  /** Which fixture file it came from (evidence words must occur in more than one). */
  source: string;
  text: string;
  disclosure: boolean;
  sentiment: Sentiment;
}

export interface TrainingOptions {
  seed: number;
  epochs: number;
  learningRate: number;
  /** L2 shrinkage per update of a weight. */
  l2: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { seed: 20260712, epochs: 20, learningRate: 1, l2: 1e-3 };

/** How many of the concern head's heaviest words may be shown as evidence. */
const EVIDENCE_WORDS = 300;
/** An evidence word's texts are disclosures at least this many times as often as texts in general. */
const EVIDENCE_LIFT = 2;
/** Placeholder words (redacted personal data) and numbers are never evidence. */
const NOT_EVIDENCE = new Set(['0', 'name', 'phone', 'email', 'postcode', 'address', 'date', 'birth', 'nhs', 'number', 'ni', 'url', 'handle']);

/**
 * The text the model learns from: labelled personal data replaced by the redactor's placeholders
 * (`[name]`), then normalised, as analyseText's clean text is. Using the labels, not redact(),
 * keeps the weights independent of changes to the redactor.
 */
export function trainingText(item: LabelledText, source: string): TrainingText {
  let text = item.text;
  const values = [...item.pii].sort((a, b) => b.value.length - a.value.length || (a.value < b.value ? -1 : 1));
  for (const p of values) if (p.value) text = text.split(p.value).join(`[${p.kind}]`);
  return { source, text: normalise(text).text, disclosure: item.disclosure !== null, sentiment: item.sentiment };
}

/** mulberry32: a small seeded PRNG, integer arithmetic only. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Example {
  buckets: Int32Array;
  norm: number;
  y: number;
  k: number;
}

function quantise(w: Float64Array, bias: number): QuantisedHead {
  let max = 0;
  for (const x of w) if (Math.abs(x) > max) max = Math.abs(x);
  const scale = max > 0 ? max / 127 : 1;
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.round((w[i] as number) / scale);
  return { bias, scale, weights: encodeInt8(q) };
}

export function trainModel(texts: readonly TrainingText[], options: TrainingOptions = DEFAULT_TRAINING): ModelFile {
  const examples: Example[] = texts.map((t) => {
    const b = featureBuckets(t.text);
    return { buckets: Int32Array.from(b), norm: b.length ? 1 / Math.sqrt(b.length) : 0, y: t.disclosure ? 1 : 0, k: SENTIMENTS.indexOf(t.sentiment) };
  });
  const wc = new Float64Array(BUCKETS);
  let bc = 0;
  const ws = SENTIMENTS.map(() => new Float64Array(BUCKETS));
  const bs = SENTIMENTS.map(() => 0);
  const random = prng(options.seed);
  const order = examples.map((_, i) => i);
  const dot = (w: Float64Array, e: Example): number => {
    let s = 0;
    for (const b of e.buckets) s += w[b] as number;
    return s * e.norm;
  };
  const step = (w: Float64Array, e: Example, g: number, lr: number): void => {
    const d = lr * g * e.norm;
    const shrink = 1 - lr * options.l2;
    for (const b of e.buckets) w[b] = (w[b] as number) * shrink - d;
  };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // Fisher-Yates with the seeded generator: a new, reproducible order every epoch
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    const lr = options.learningRate / (1 + epoch * 0.5);
    for (const i of order) {
      const e = examples[i] as Example;
      const gc = sigmoid(bc + dot(wc, e)) - e.y;
      step(wc, e, gc, lr);
      bc -= lr * gc;
      if (e.k < 0) continue;
      const p = softmax(ws.map((w, k) => (bs[k] as number) + dot(w, e)));
      for (let k = 0; k < SENTIMENTS.length; k++) {
        const g = (p[k] as number) - (k === e.k ? 1 : 0);
        step(ws[k] as Float64Array, e, g, lr);
        bs[k] = (bs[k] as number) - lr * g;
      }
    }
  }
  return {
    version: 1,
    buckets: BUCKETS,
    concern: quantise(wc, bc),
    sentiment: { labels: SENTIMENTS, heads: ws.map((w, k) => quantise(w, bs[k] as number)) },
    evidenceWords: evidenceWords(texts, wc),
  };
}

/**
 * Words shown as evidence: common (in 3+ texts of 2+ files), far more often in a disclosure than
 * not (so not "and" or "her"), and among those the concern head weighs most.
 */
function evidenceWords(texts: readonly TrainingText[], wc: Float64Array): string[] {
  const docs = new Map<string, { n: number; disclosures: number; sources: Set<string> }>();
  for (const t of texts) {
    for (const w of new Set(modelWords(t.text))) {
      if (w.length < 3 || NOT_EVIDENCE.has(w) || /[0-9]/.test(w)) continue;
      const d = docs.get(w) ?? { n: 0, disclosures: 0, sources: new Set<string>() };
      d.n++;
      if (t.disclosure) d.disclosures++;
      d.sources.add(t.source);
      docs.set(w, d);
    }
  }
  const base = texts.filter((t) => t.disclosure).length / Math.max(1, texts.length);
  const candidates = [...docs]
    .filter(([, d]) => d.n >= 3 && d.sources.size >= 2 && d.disclosures / d.n >= EVIDENCE_LIFT * base)
    .map(([w]) => [w, wc[wordBucket(w)] as number] as const);
  return candidates
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, EVIDENCE_WORDS)
    .map(([w]) => w)
    .sort();
}

/** The model file as canonical JSON (keys in a fixed order): what the committed SHA-256 is taken over. */
export function canonicalModelJson(m: ModelFile): string {
  const head = (h: QuantisedHead) => ({ bias: h.bias, scale: h.scale, weights: h.weights });
  return JSON.stringify({
    version: m.version,
    buckets: m.buckets,
    concern: head(m.concern),
    sentiment: { labels: m.sentiment.labels, heads: m.sentiment.heads.map(head) },
    evidenceWords: m.evidenceWords,
  });
}
