import { matchesOf } from './progress';

/** A word token on the normalised text. */
export interface Token {
  raw: string;
  low: string;
  s: number;
  e: number;
  /** starts with an upper-case letter */
  cap: boolean;
  /** first token of the text or of a sentence */
  sentStart: boolean;
  /** the characters between the previous token and this one */
  gap: string;
}

const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*/gu;
const UPPER = /^\p{Lu}/u;
const SENT_END = /[.!?\n]/;

export function tokenise(text: string): Token[] {
  const toks: Token[] = [];
  let prevEnd = 0;
  for (const m of matchesOf(WORD, text)) {
    const raw = m[0];
    const gap = text.slice(prevEnd, m.index);
    toks.push({
      raw,
      low: raw.toLowerCase(),
      s: m.index,
      e: m.index + raw.length,
      cap: UPPER.test(raw),
      sentStart: toks.length === 0 || SENT_END.test(gap),
      gap,
    });
    prevEnd = m.index + raw.length;
  }
  return toks;
}
