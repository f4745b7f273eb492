import { STOP } from './lexicon';
import { phoneticIndex } from './spelling';
import { tokenise, type Token } from './tokens';
import type { Taxonomy, ThemeMatch } from './types';

interface Term {
  theme: number;
  parts: string[];
  /** per part: true when the part ends in `*` (prefix match) */
  wild: boolean[];
  exclude: boolean;
  /** `?term`: counts only when a context cue (`@term`) or a plain term of the theme is in the same sentence */
  weak: boolean;
  /** `@term`: a context cue, never evidence on its own */
  cue: boolean;
  /** written in capitals in the taxonomy ("SEND"): matches only when written in capitals */
  caps: boolean;
}

interface Compiled {
  ids: string[];
  exact: Map<string, Term[]>;
  /** wildcard first parts, keyed by their first two letters */
  prefix: Map<string, Term[]>;
  /** one-word plain terms by sound, for children's spelling ("scool", "poleece") */
  sounds: (word: string) => Term | undefined;
}

const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*\*?/gu;
const cache = new WeakMap<Taxonomy, Compiled>();

function compile(taxonomy: Taxonomy): Compiled {
  const hit = cache.get(taxonomy);
  if (hit) return hit;
  const compiled: Compiled = { ids: taxonomy.themes.map((t) => t.id), exact: new Map(), prefix: new Map(), sounds: () => undefined };
  const single: [string, Term][] = [];
  taxonomy.themes.forEach((theme, index) => {
    for (const raw of theme.terms) {
      const exclude = raw.startsWith('!');
      const weak = raw.startsWith('?');
      const cue = raw.startsWith('@');
      const bare = exclude || weak || cue ? raw.slice(1) : raw;
      const caps = /^[A-Z]{2,}$/.test(bare);
      const words = bare
        .toLowerCase()
        .replace(/\u2019/g, "'")
        .match(WORD);
      if (!words || words.length === 0) continue;
      const term: Term = {
        theme: index,
        parts: words.map((w) => w.replace(/\*$/, '')),
        wild: words.map((w) => w.endsWith('*')),
        exclude,
        weak,
        cue,
        caps,
      };
      const first = term.parts[0] as string;
      if (term.parts.length === 1 && !term.wild[0] && !exclude && !weak && !cue) single.push([first, term]);
      if (term.wild[0]) {
        const key = first.slice(0, 2);
        compiled.prefix.set(key, [...(compiled.prefix.get(key) ?? []), term]);
      } else compiled.exact.set(first, [...(compiled.exact.get(first) ?? []), term]);
    }
  });
  compiled.sounds = phoneticIndex(single, 5);
  cache.set(taxonomy, compiled);
  return compiled;
}

const partMatches = (term: Term, k: number, tok: string): boolean => (term.wild[k] ? tok.startsWith(term.parts[k] as string) : tok === term.parts[k]);

/** Themes named after a place or a service, which texts often mention only in passing. */
const PLACE_THEMES = new Set(['school', 'health', 'police']);
const LOCATIVE =
  /\b(?:from|near|outside|by|after|before|round|past|walk(?:ed|s)? to|go(?:es)? to|went to|on the way to|get to|way to)(?: the| my| his| her| our| their| a)?\s*$/;
const PLACE_PART = /^\s*(?:gates?|car ?park|shoes|building|grounds|governor|holidays?|hall|bus|run|minibus|trip|disco|fair|reception)\b/;
/** Words that make a mention of school or a service the topic: what happens there to the writer. */
const ABOUT =
  /\b(?:bull(?:y|ied|ying)|excluded|exclusion|hate|love|like|miss|struggl\w*|settled|behind|doing (?:well|badly)|stopped going|refus\w*|avoid\w*|anxious|nervous|scared|dread\w*|happy|sad|support\w*|helped|help)\b/;

/** "walk to school", "at the school gates", "born in the hospital": a place named in passing. */
function passing(text: string, s: number, e: number): boolean {
  const low = text.toLowerCase();
  const before = low.slice(Math.max(0, s - 25), s);
  const after = low.slice(e, e + 20);
  if (!LOCATIVE.test(before) && !PLACE_PART.test(after)) return false;
  let a = s;
  while (a > 0 && !/[.!?\n]/.test(low.charAt(a - 1))) a--;
  let b = e;
  while (b < low.length && !/[.!?\n]/.test(low.charAt(b))) b++;
  return !ABOUT.test(low.slice(a, b));
}

/**
 * Multi-label themes with evidence: the words in the text that matched each theme's terms.
 * Weak terms (`?night`) need a context cue (`@rang`) or another term of the theme in the same
 * sentence, so "cried all night" is not about out-of-hours services but "rang EDT at night" is.
 * Compiled matchers are cached per Taxonomy object.
 */
export function findThemes(text: string, taxonomy: Taxonomy, toks: Token[] = tokenise(text)): ThemeMatch[] {
  const c = compile(taxonomy);
  const hits: { theme: number; s: number; e: number; sent: number; weak: boolean }[] = [];
  const excluded: { theme: number; s: number; e: number }[] = [];
  /** theme -> sentences holding a cue or a plain (non-weak) match */
  const anchored = new Set<number>();
  let sent = 0;
  for (let i = 0; i < toks.length; i++) {
    if (i > 0 && /[.!?\n;]/.test((toks[i] as Token).gap)) sent++;
    const low = (toks[i] as Token).low;
    const exact = c.exact.get(low);
    const pre = c.prefix.get(low.slice(0, 2));
    if (!exact && !pre && low.length >= 4 && !STOP.has(low)) {
      const term = c.sounds(low);
      if (term) {
        const tk = toks[i] as Token;
        hits.push({ theme: term.theme, s: tk.s, e: tk.e, sent, weak: false });
        anchored.add(term.theme * 10000 + sent);
      }
    }
    for (const list of [exact, pre]) {
      if (!list) continue;
      for (const term of list) {
        if (!partMatches(term, 0, low) || (term.caps && (toks[i] as Token).raw !== term.parts[0]?.toUpperCase())) continue;
        let ok = true;
        for (let k = 1; k < term.parts.length; k++) {
          const tk = toks[i + k];
          if (!tk || /[.!?\n]/.test(tk.gap) || !partMatches(term, k, tk.low)) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        const span = { theme: term.theme, s: (toks[i] as Token).s, e: (toks[i + term.parts.length - 1] as Token).e };
        if (term.exclude) excluded.push(span);
        else {
          if (!term.weak) anchored.add(term.theme * 10000 + sent);
          if (!term.cue) hits.push({ theme: span.theme, s: span.s, e: span.e, sent, weak: term.weak });
        }
      }
    }
  }
  const evidence = new Map<number, string[]>();
  for (const h of hits) {
    if (h.weak && !anchored.has(h.theme * 10000 + h.sent)) continue;
    if (PLACE_THEMES.has(c.ids[h.theme] as string) && passing(text, h.s, h.e)) continue;
    if (excluded.some((x) => x.theme === h.theme && x.s < h.e && h.s < x.e)) continue;
    const words = text.slice(h.s, h.e);
    const list = evidence.get(h.theme) ?? [];
    // keep the longest phrase when one match contains another
    if (list.some((w) => w.toLowerCase().includes(words.toLowerCase()))) continue;
    const kept = list.filter((w) => !words.toLowerCase().includes(w.toLowerCase()));
    kept.push(words);
    evidence.set(h.theme, kept);
  }
  return [...evidence.entries()].sort((a, b) => a[0] - b[0]).map(([theme, ev]) => ({ id: c.ids[theme] as string, evidence: ev }));
}

/**
 * Adds a partnership's synonyms to existing themes and appends its own themes.
 * Returns a new Taxonomy (compiled lazily on first use); the base is not changed.
 * @example extendTaxonomy(DEFAULT_TAXONOMY, { synonyms: { 'mental-health': ['wellbeing team'] } })
 */
export function extendTaxonomy(
  base: Taxonomy,
  custom: { synonyms?: Record<string, string[]>; themes?: { id: string; label: string; terms: string[] }[] },
): Taxonomy {
  const themes = base.themes.map((t) => ({ ...t, terms: [...t.terms, ...(custom.synonyms?.[t.id] ?? [])] }));
  for (const t of custom.themes ?? []) {
    const existing = themes.find((x) => x.id === t.id);
    if (existing) existing.terms.push(...t.terms);
    else themes.push({ id: t.id, label: t.label, terms: [...t.terms] });
  }
  return { themes };
}
