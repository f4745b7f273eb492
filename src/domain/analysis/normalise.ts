/**
 * Normalisation used before any matching: NFKC (which folds full-width digits and letters),
 * zero-width characters and soft hyphens removed, typographic quotes and dashes folded to ASCII.
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
/** Characters that are dropped or folded below. */
const SPECIAL = /[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2018\u2019\u201b\u2032\u201c\u201d\u2013\u2014\u2212\u00a0`]/;
const DROP = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x180e]);
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

export function normalise(original: string): Normalised {
  if (PLAIN.test(original)) return { text: original, start: null, end: null };
  // most non-ASCII answers only add emoji or accents that NFKC keeps: nothing to map
  if (!SPECIAL.test(original) && original.normalize('NFKC') === original) return { text: original, start: null, end: null };
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < original.length) {
    const cp = original.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (!DROP.has(cp)) {
      const ch = original.slice(i, i + width);
      let n = FOLD[ch] ?? (cp < 0x80 ? ch : ch.normalize('NFKC'));
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
