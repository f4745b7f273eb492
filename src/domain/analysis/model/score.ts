import type { Sentiment } from '../types';
import { BUCKETS, featureBuckets, modelWords, wordBucket } from './features';
import { sigmoid, softmax } from './numeric';

/** One linear head, quantised: weight i is `scale * q[i]` with q an int8 stored as base64. */
export interface QuantisedHead {
  bias: number;
  scale: number;
  weights: string;
}

/** The committed model file (weights.json): pure data, its SHA-256 committed beside it. */
export interface ModelFile {
  version: 1;
  buckets: number;
  /** Concern: a disclosure (any category) against none. */
  concern: QuantisedHead;
  /** Multinomial sentiment: one head per label, softmax over them. */
  sentiment: { labels: Sentiment[]; heads: QuantisedHead[] };
  /** Words that may be shown as evidence, when the concern head weighs them: common, never personal data. */
  evidenceWords: string[];
}

interface DecodedHead {
  bias: number;
  scale: number;
  q: Int8Array;
}

export interface DecodedModel {
  concern: DecodedHead;
  sentiment: { labels: Sentiment[]; heads: DecodedHead[] };
  evidenceWords: ReadonlySet<string>;
}

export interface Opinion {
  /** Probability that the text holds a disclosure, 0..1. */
  concern: number;
  sentiment: Sentiment;
  /** The softmax probability of that sentiment. */
  sentimentConfidence: number;
  /** Up to three words of the text that weighed most towards concern (from the evidence list only). */
  evidence: string[];
}

export function encodeInt8(q: Int8Array): string {
  let s = '';
  for (let i = 0; i < q.length; i++) s += String.fromCharCode((q[i] as number) & 0xff);
  return btoa(s);
}

function decodeInt8(b64: string): Int8Array {
  const s = atob(b64);
  const q = new Int8Array(s.length);
  for (let i = 0; i < s.length; i++) q[i] = (s.charCodeAt(i) << 24) >> 24;
  return q;
}

const decodeHead = (h: QuantisedHead): DecodedHead => {
  const q = decodeInt8(h.weights);
  if (q.length !== BUCKETS) throw new Error(`model head has ${q.length} weights, expected ${BUCKETS}`);
  return { bias: h.bias, scale: h.scale, q };
};

export function decodeModel(file: ModelFile): DecodedModel {
  if (file.buckets !== BUCKETS) throw new Error(`model was trained with ${file.buckets} buckets, features use ${BUCKETS}`);
  return {
    concern: decodeHead(file.concern),
    sentiment: { labels: file.sentiment.labels, heads: file.sentiment.heads.map(decodeHead) },
    evidenceWords: new Set(file.evidenceWords),
  };
}

/** A text's features: the bucket of each occurrence, and the weight each carries (1/sqrt(count)). */
export interface Features {
  buckets: number[];
  norm: number;
}

export function featuresOf(text: string): Features {
  const buckets = featureBuckets(text);
  return { buckets, norm: buckets.length ? 1 / Math.sqrt(buckets.length) : 0 };
}

/** A head's logit: integer sum of the quantised weights, then one multiply. */
function logit(h: DecodedHead, f: Features): number {
  let sum = 0;
  for (const b of f.buckets) sum += h.q[b] as number;
  return h.bias + h.scale * sum * f.norm;
}

/** Probability of a disclosure, 0..1. */
export const concernOf = (model: DecodedModel, f: Features): number => sigmoid(logit(model.concern, f));

/** The most likely sentiment and its softmax probability. */
export function sentimentOf(model: DecodedModel, f: Features): { sentiment: Sentiment; confidence: number } {
  const probs = softmax(model.sentiment.heads.map((h) => logit(h, f)));
  let best = 0;
  for (let k = 1; k < probs.length; k++) if ((probs[k] as number) > (probs[best] as number)) best = k;
  return { sentiment: model.sentiment.labels[best] as Sentiment, confidence: probs[best] as number };
}

/** The model's whole opinion of one normalised, redacted text. */
export function scoreText(model: DecodedModel, text: string): Opinion {
  const f = featuresOf(text);
  const { sentiment, confidence } = sentimentOf(model, f);
  return { concern: concernOf(model, f), sentiment, sentimentConfidence: confidence, evidence: evidenceOf(model, text) };
}

/** Up to three words of the text, from the evidence list, that the concern head weighs most. */
export function evidenceOf(model: DecodedModel, text: string): string[] {
  const seen = new Set<string>();
  const ranked: [string, number][] = [];
  for (const w of modelWords(text)) {
    if (seen.has(w) || !model.evidenceWords.has(w)) continue;
    seen.add(w);
    const q = model.concern.q[wordBucket(w)] as number;
    if (q > 0) ranked.push([w, q]);
  }
  ranked.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return ranked.slice(0, 3).map(([w]) => w);
}
