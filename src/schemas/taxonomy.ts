import * as v from 'valibot';
import { DEFAULT_THEME_IDS, normaliseTerm, TAXONOMY_LIMITS, taxonomyProblems, termProblem } from '../domain/taxonomy';
import { SlugSchema } from './common';
import { pathItems } from './survey-definition';

const { themes: MAX_THEMES, termsPerTheme: MAX_TERMS } = TAXONOMY_LIMITS;

/** A term as the matcher reads it (see src/domain/analysis/types.ts): folded to lower case, single-spaced. */
const TermSchema = v.pipe(
  v.string('must be text'),
  v.transform(normaliseTerm),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = termProblem(dataset.value);
    if (problem) addIssue({ message: problem });
  }),
);

const TermsSchema = v.pipe(
  v.array(TermSchema, 'must be a list of terms'),
  v.maxLength(MAX_TERMS, `must have at most ${MAX_TERMS} terms`),
  v.transform((terms) => [...new Set(terms)]),
);

const CustomThemeSchema = v.strictObject({
  id: v.pipe(
    SlugSchema,
    v.check((id) => !DEFAULT_THEME_IDS.has(id), 'is a default theme id: add synonyms to it instead'),
  ),
  label: v.pipe(v.string('must be text'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(80, 'must be at most 80 characters')),
  terms: v.pipe(TermsSchema, v.minLength(1, 'must have at least one term')),
});

/**
 * A partnership's whole custom taxonomy; a PUT replaces what was there. Left out means none.
 * Each term is 1-60 characters of plain words (no regular expressions).
 */
export const TaxonomyInputSchema = v.pipe(
  v.strictObject({
    synonyms: v.optional(v.record(v.string(), TermsSchema, 'must be an object of theme id to a list of terms'), {}),
    themes: v.optional(v.pipe(v.array(CustomThemeSchema, 'must be a list of themes'), v.maxLength(MAX_THEMES, `must have at most ${MAX_THEMES} themes`)), []),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const p of taxonomyProblems(dataset.value)) addIssue({ message: p.message, path: pathItems(dataset.value, p.path) });
  }),
);
export type TaxonomyInput = v.InferInput<typeof TaxonomyInputSchema>;

const ThemeViewSchema = v.object({ id: v.string(), label: v.string(), custom: v.boolean(), terms: v.array(v.string()) });

export const TaxonomyViewSchema = v.object({
  /** 0 until the partnership first changes its taxonomy; up by one on each change. */
  version: v.number(),
  updatedAt: v.nullable(v.string()),
  /** Every theme answers are analysed for, defaults first, with what the partnership added to each. */
  themes: v.array(ThemeViewSchema),
  /** What was last PUT, ready to edit and PUT back. */
  custom: v.object({
    synonyms: v.record(v.string(), v.array(v.string())),
    themes: v.array(v.object({ id: v.string(), label: v.string(), terms: v.array(v.string()) })),
  }),
});

export const ReanalyseSchema = v.strictObject({
  /** The `nextCursor` of the previous call; left out to start from the beginning. */
  cursor: v.optional(v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'))),
});

export const ReanalysedSchema = v.object({
  processed: v.number(),
  changed: v.number(),
  nextCursor: v.nullable(v.string()),
  /** The taxonomy version used: if it changes between calls, start again from the beginning. */
  version: v.number(),
});
