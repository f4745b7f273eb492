/**
 * Normalisation used before any matching: NFKC (which folds full-width digits and letters),
 * decimal digits of every script read as ASCII digits, zero-width characters, soft hyphens and
 * bidi controls removed, typographic quotes and dashes folded to ASCII.
 * `start[i]`/`end[i]` give the original code-unit range that produced normalised unit i,
 * so any span found on `text` maps back onto the original.
 */
export interface Normalised {
  text: string;
  /** null when the text was already normal (identity mapping). */
  start: Int32Array | null;
  end: Int32Array | null;
}

const PLAIN = /^[\x09\x0a\x0d\x20-\x7e]*$/;
/** Characters that are dropped or folded below: zero-width, bidi controls, quotes, dashes, and digits of any script. */
const SPECIAL =
  /[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069\u2018\u2019\u201b\u2032\u201c\u201d\u2013\u2014\u2212\u00a0`]|(?![0-9])\p{Nd}/u;
/**
 * Zero-width characters, the soft hyphen, and the bidi embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), which can hide or reorder what a reader sees ("07700\u202e321009").
 */
const DROP = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);
const FOLD: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u0060': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u00a0': ' ',
};

const DECIMAL = /^\p{Nd}$/u;
const digitCache = new Map<number, string>();

/**
 * The ASCII digit for a decimal digit of any script ("٧" and "७" are 7), or null. Unicode
 * encodes every set of decimal digits as ten consecutive code points from 0 to 9, so a digit's
 * value is its distance from the start of its run, modulo 10 (runs of sets can abut).
 */
function asciiDigit(ch: string, cp: number): string | null {
  if (cp < 0x80 || !DECIMAL.test(ch)) return null;
  let digit = digitCache.get(cp);
  if (digit === undefined) {
    let zero = cp;
    while (zero > 0 && DECIMAL.test(String.fromCodePoint(zero - 1))) zero--;
    digit = String((cp - zero) % 10);
    digitCache.set(cp, digit);
  }
  return digit;
}

export function normalise(original: string): Normalised {
  if (PLAIN.test(original)) return { text: original, start: null, end: null };
  // most non-ASCII answers only add emoji or accents that NFKC keeps: nothing to map
  if (!SPECIAL.test(original) && original.normalize('NFKC') === original) return { text: original, start: null, end: null };
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  // code point by code point (a lone surrogate comes alone): a for-of over a string always ends
  for (const ch of original) {
    const cp = ch.codePointAt(0) as number;
    const width = ch.length;
    if (!DROP.has(cp)) {
      let n = FOLD[ch] ?? (cp < 0x80 ? ch : (asciiDigit(ch, cp) ?? ch.normalize('NFKC')));
      if (n.length === 0) n = ch;
      for (let k = 0; k < n.length; k++) {
        starts.push(i);
        ends.push(i + width);
      }
      out.push(n);
    }
    i += width;
  }
  return { text: out.join(''), start: Int32Array.from(starts), end: Int32Array.from(ends) };
}

/** Maps a [s, e) span on the normalised text back to the original text. */
export function toOriginal(n: Normalised, s: number, e: number): [number, number] {
  if (!n.start || !n.end) return [s, e];
  if (e <= s) return [n.start[s] ?? 0, n.start[s] ?? 0];
  return [n.start[s] as number, n.end[e - 1] as number];
}
