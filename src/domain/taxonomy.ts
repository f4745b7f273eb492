import { DEFAULT_TAXONOMY, extendTaxonomy, type Taxonomy } from './analysis';

/** What a partnership adds to the default themes: synonyms (for default or its own themes) and its own themes. */
export interface CustomTaxonomy {
  synonyms: Record<string, string[]>;
  themes: { id: string; label: string; terms: string[] }[];
}

export const EMPTY_CUSTOM: CustomTaxonomy = { synonyms: {}, themes: [] };

export const DEFAULT_THEME_IDS: ReadonlySet<string> = new Set(DEFAULT_TAXONOMY.themes.map((t) => t.id));

/** Limits on what a partnership may add, so its taxonomy stays quick to compile and match. */
export const TAXONOMY_LIMITS = { themes: 30, termsPerTheme: 100, termLength: 60, wildcardStem: 3 } as const;

/**
 * The taxonomy a partnership's answers are analysed with: the defaults, its own themes after them,
 * then its synonyms (added last, so a synonym may name one of its own themes).
 * @example effectiveTaxonomy({ synonyms: { school: ['academy'] }, themes: [] })
 */
export function effectiveTaxonomy(custom: CustomTaxonomy): Taxonomy {
  if (custom.themes.length === 0 && Object.keys(custom.synonyms).length === 0) return DEFAULT_TAXONOMY;
  return extendTaxonomy(extendTaxonomy(DEFAULT_TAXONOMY, { themes: custom.themes }), { synonyms: custom.synonyms });
}

export interface ThemeView {
  id: string;
  label: string;
  /** The partnership's own theme rather than a default one. */
  custom: boolean;
  /** What the partnership added: a custom theme's terms, then any synonyms for it. Default terms are not listed. */
  terms: string[];
}

/** The effective theme list as the partner API shows it. */
export function themeViews(custom: CustomTaxonomy): ThemeView[] {
  return [
    ...DEFAULT_TAXONOMY.themes.map((t) => ({ id: t.id, label: t.label, custom: false, terms: [...(custom.synonyms[t.id] ?? [])] })),
    ...custom.themes.map((t) => ({ id: t.id, label: t.label, custom: true, terms: [...t.terms, ...(custom.synonyms[t.id] ?? [])] })),
  ];
}

/**
 * One term: words of letters and digits (apostrophes and hyphens inside a word are fine), each
 * optionally ending in `*`, with at most one leading `!` (exclude), `?` (weak) or `@` (context).
 * Anything else, a regular expression included, is refused.
 */
const WORD = String.raw`[\p{L}\p{N}]+(?:['\u2019-][\p{L}\p{N}]+)*\*?`;
const TERM = new RegExp(`^[!?@]?${WORD}(?: ${WORD})*$`, 'u');

/** Trims, folds case and single-spaces a term, as the matcher compares lower-case words. */
export const normaliseTerm = (term: string) => term.trim().replace(/\s+/g, ' ').toLowerCase();

/** Why a (normalised) term is not allowed, or undefined when it is. */
export function termProblem(term: string): string | undefined {
  if (term.length < 1 || term.length > TAXONOMY_LIMITS.termLength) return `must be 1-${TAXONOMY_LIMITS.termLength} characters`;
  if (!TERM.test(term)) {
    return 'must be words of letters and digits, each may end in *, optionally starting with ! (exclude), ? (weak) or @ (context); no regular expressions';
  }
  const short = term
    .replace(/^[!?@]/, '')
    .split(' ')
    .find((w) => w.endsWith('*') && [...w].length - 1 < TAXONOMY_LIMITS.wildcardStem);
  if (short) return `needs at least ${TAXONOMY_LIMITS.wildcardStem} letters before each *`;
  return undefined;
}

/**
 * Problems across the whole taxonomy (each term is checked by the schema): custom ids must not
 * clash with default ids or each other, and synonyms must name a default or custom theme.
 */
export function taxonomyProblems(custom: CustomTaxonomy): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  custom.themes.forEach((t, i) => {
    if (DEFAULT_THEME_IDS.has(t.id)) problems.push({ path: `themes.${i}.id`, message: 'is a default theme id: add synonyms to it instead' });
    else if (seen.has(t.id)) problems.push({ path: `themes.${i}.id`, message: 'is used by another theme' });
    seen.add(t.id);
  });
  for (const id of Object.keys(custom.synonyms)) {
    if (!DEFAULT_THEME_IDS.has(id) && !seen.has(id)) problems.push({ path: `synonyms.${id}`, message: 'is not a default theme id or one of your themes' });
  }
  return problems;
}
