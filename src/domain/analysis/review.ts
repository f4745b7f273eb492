import { canonicalise } from './cues';
import CONCERN from './data/concern.json';
import { sentenceBounds } from './disclosure';
import { dampen } from './net';
import { pattern } from './patterns';
import { matchesOf } from './progress';
import { ruleMatches } from './rules';
import type { Concern, DisclosureCategory } from './types';

/**
 * The review net: the recall-first tier behind the alert rules (issue 12). It does not decide
 * whether a child is at risk; it decides whether a trained person should read the answer. Any harm
 * word about a person, a risk situation, fear, a wish not to go home, a threat or a secret is
 * enough. Precision is the reader's job, so the net has few exceptions: a figure of speech, a game
 * or lesson, and a negation right before the signal (the named rules of scope `review:dismiss`).
 *
 * Signals live in data/concern.json. A strong signal alone is enough; weak ones need company: two
 * different weak words from two kinds of concern, or three of one kind, in a sentence and the next.
 */

type Kind = DisclosureCategory | 'fear' | 'concealment';
const KINDS = Object.keys(CONCERN.strong) as Kind[];

const compile = (list: Record<string, string[]>): [Kind, RegExp][] =>
  KINDS.filter((k) => list[k] !== undefined).map((k) => [k, pattern(`\\b(?:${(list[k] as string[]).join('|')})`, 'g')]);
const STRONG = compile(CONCERN.strong);
const WEAK = compile(CONCERN.weak);

/** When a sentence has signals of several kinds, the one it is filed under: the more specific harm first. */
const PRIORITY: Kind[] = ['immediate-danger', 'self-harm-suicide', 'sexual-harm', 'exploitation', 'harm-by-others', 'neglect', 'fear', 'concealment'];
/** Fear, a cover story or a secret name no harm: the concern's category stays null unless a harm kind is there too. */
const CATEGORY_OF = (k: Kind): DisclosureCategory | null => (k === 'fear' || k === 'concealment' ? null : k);

interface Signal {
  kind: Kind;
  s: number;
  word: string;
  strong: boolean;
}

/** The sentence around [s, e) is one the named review exceptions set aside (a game, a figure of speech, a negation). */
function setAside(t: string, s: number, bound: [number, number]): boolean {
  const before = t.slice(Math.max(bound[0], s - 30), s);
  return ruleMatches('review:dismiss-before', before) || ruleMatches('review:dismiss-sentence', t.slice(bound[0], bound[1]));
}

/**
 * The strongest concern in a text, or null. Runs on lower-cased, redacted text; evidence is the
 * sentence (and the next, when it carried the signal) from `source`.
 * @example findConcern("he's going mental at home so i can't go home tonight")?.category // null (fear)
 */
export function findConcern(source: string): Concern | null {
  const raw = source.toLowerCase();
  const canon = canonicalise(raw);
  const t = canon.text;
  const bounds = sentenceBounds(t);
  const found: Signal[] = [];
  const sentenceOf = (s: number): [number, number] => bounds.find(([a, b]) => s >= a && s < b) ?? [0, t.length];
  for (const [list, strong] of [
    [STRONG, true],
    [WEAK, false],
  ] as const) {
    for (const [kind, re] of list) {
      for (const m of matchesOf(re, t)) {
        if (m[0].length === 0 || setAside(t, m.index, sentenceOf(m.index))) continue;
        found.push({ kind, s: m.index, word: m[0], strong });
      }
    }
  }
  if (found.length === 0) return null;
  let best: { kind: Kind; a: number; b: number; weight: number } | null = null;
  for (let k = 0; k < bounds.length; k++) {
    const [a, b0] = bounds[k] as [number, number];
    const b = (bounds[k + 1] ?? bounds[k]) as [number, number];
    const inside = found.filter((f) => f.s >= a && f.s < b[1]);
    if (!inside.some((f) => f.s < b0)) continue;
    const strong = inside.filter((f) => f.strong);
    const weak = new Map<string, Kind>();
    for (const f of inside) if (!f.strong) weak.set(f.word, f.kind);
    const kinds = new Set(weak.values());
    const perKind = new Map<Kind, number>();
    for (const kind of weak.values()) perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    // the safety net's dampeners (a figure of speech, a game or lesson, a plain accident, a worry that
    // came to nothing, a situation plainly over) hold here too, except over a cover story ("so i said everything was fine")
    const kindHere = (strong[0] ?? (inside[0] as Signal)).kind;
    if (!strong.some((f) => f.kind === 'concealment') && dampen(t.slice(a, b[1]), CATEGORY_OF(kindHere) ?? 'harm-by-others') !== null) continue;
    const enough = strong.length > 0 || (weak.size >= 2 && kinds.size >= 2) || [...perKind.values()].some((n) => n >= 3);
    if (!enough) continue;
    const pool = strong.length > 0 ? strong.map((f) => f.kind) : [...weak.values()];
    const kind = PRIORITY.find((p) => pool.includes(p) && CATEGORY_OF(p)) ?? PRIORITY.find((p) => pool.includes(p)) ?? 'fear';
    const weight = strong.length * 2 + weak.size;
    if (!best || weight > best.weight) best = { kind, a, b: strong.some((f) => f.s >= b0) || !strong.length ? b[1] : b0, weight };
  }
  if (!best) return null;
  const found0 = best as { kind: Kind; a: number; b: number };
  const map = canon.map;
  const s = map ? (map[found0.a] as number) : found0.a;
  const e = map ? (map[Math.max(found0.a, found0.b - 1)] as number) + 1 : found0.b;
  return { category: CATEGORY_OF(found0.kind), evidence: source.slice(s, e).trim() };
}
