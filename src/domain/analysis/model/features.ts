/**
 * Hashed features for the learned second opinion: word unigrams, word bigrams and character
 * 3- and 4-grams of each word (which catch children's spellings: "herts", "scard", "angree").
 * Everything is integer arithmetic on UTF-16 code units (FNV-1a with Math.imul), so the same text
 * gives the same buckets on every machine, and training stays bit-for-bit reproducible.
 */

/** Number of hash buckets per head; a power of two. */
export const BUCKETS = 1 << 13;
const MASK = BUCKETS - 1;
/** Long "words" (URLs, keyboard mashing) add nothing but cost: only their first characters count. */
const MAX_WORD = 24;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Namespaces, so a unigram, a bigram and an n-gram of the same characters land in different buckets. */
const SEED_WORD = 0x9e3779b1;
const SEED_PAIR = 0x85ebca77;
const SEED_GRAM = 0xc2b2ae3d;

/** Word characters: letters and digits. Apostrophes are dropped first, so "don't" and "dont" are one word. */
const WORD = /[\p{L}\p{N}]+/gu;
const APOSTROPHE = /['\u2019]/g;
const DIGITS = /^[0-9]+$/;

function fnv(seed: number, s: string, from: number, to: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Spreads a combined hash over the buckets (murmur3's finaliser). */
function mix(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The words of a text as the model sees them: lower case, no apostrophes, every number one word. */
export function modelWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.toLowerCase().replace(APOSTROPHE, '').matchAll(WORD)) {
    const w = m[0].length > MAX_WORD ? m[0].slice(0, MAX_WORD) : m[0];
    words.push(DIGITS.test(w) ? '0' : w);
  }
  return words;
}

/** The hash of a word's unigram feature, before folding into the buckets (also used to find evidence words). */
export const wordHash = (word: string): number => mix(fnv(SEED_WORD, word, 0, word.length));

/**
 * The bucket of every feature occurrence in the text (repeats kept, so counts weigh), in text order.
 * A text with no words has no features.
 */
export function featureBuckets(text: string): number[] {
  const words = modelWords(text);
  const out: number[] = [];
  let previous = -1;
  for (const w of words) {
    const hw = wordHash(w);
    out.push(hw & MASK);
    if (previous >= 0) out.push(mix(Math.imul(previous, 31) ^ hw ^ SEED_PAIR) & MASK);
    previous = hw;
    // character n-grams of " word ", so beginnings and endings are features of their own
    const padded = ` ${w} `;
    for (let n = 3; n <= 4; n++) {
      const seed = SEED_GRAM + n;
      for (let i = 0; i + n <= padded.length; i++) out.push(mix(fnv(seed, padded, i, i + n)) & MASK);
    }
  }
  return out;
}

/** The bucket of a word's unigram feature. */
export const wordBucket = (word: string): number => wordHash(word) & MASK;
