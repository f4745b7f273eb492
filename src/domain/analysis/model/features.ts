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
const GRAM_OFFSET = (FNV_OFFSET ^ 0xc2b2ae3d) >>> 0;

/** A word character beyond ASCII: a letter or a digit of any script. */
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
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

/** Code unit i of " word " (the word with a space either side; `last` is the closing space). */
const padded = (w: string, i: number, last: number): number => (i === 0 || i === last ? 32 : w.charCodeAt(i - 1));

/** The words of a text as the model sees them: lower case, no apostrophes, every number one word. */
export function modelWords(text: string): string[] {
  const low = text.toLowerCase();
  const words: string[] = [];
  let word = '';
  let from = -1;
  const close = (to: number) => {
    if (from >= 0) word += low.slice(from, to);
    from = -1;
    if (word === '') return;
    const w = word.length > MAX_WORD ? word.slice(0, MAX_WORD) : word;
    words.push(DIGITS.test(w) ? '0' : w);
    word = '';
  };
  for (let i = 0; i < low.length; i++) {
    const c = low.charCodeAt(i);
    // ASCII letters and digits decided by code, anything else by the Unicode classes (a surrogate pair as one)
    let units = 1;
    let inWord: boolean;
    if (c < 128) inWord = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    else if (c === 0x2019) inWord = false;
    else {
      const cp = low.codePointAt(i) as number;
      units = cp > 0xffff ? 2 : 1;
      inWord = WORD_CHAR.test(String.fromCodePoint(cp));
    }
    if (inWord) {
      if (from < 0) from = i;
    } else if (c === 39 || c === 0x2019) {
      // an apostrophe is dropped, not a break: "don't" is "dont"
      if (from >= 0) word += low.slice(from, i);
      from = -1;
    } else close(i);
    i += units - 1;
  }
  close(low.length);
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
    // character 3- and 4-grams of " word ", so beginnings and endings are features of their own;
    // each 4-gram continues its 3-gram's hash, so the padded word is read once
    const last = w.length + 1;
    for (let i = 0; i + 3 <= last + 1; i++) {
      let h = Math.imul(GRAM_OFFSET ^ padded(w, i, last), FNV_PRIME);
      h = Math.imul(h ^ padded(w, i + 1, last), FNV_PRIME);
      h = Math.imul(h ^ padded(w, i + 2, last), FNV_PRIME);
      out.push(mix(h) & MASK);
      if (i + 3 <= last) out.push(mix(Math.imul(h ^ padded(w, i + 3, last), FNV_PRIME)) & MASK);
    }
  }
  return out;
}

/** The bucket of a word's unigram feature. */
export const wordBucket = (word: string): number => wordHash(word) & MASK;
