import { detectDisclosure } from './disclosure';
import { normalise } from './normalise';
import { redact } from './redact';
import { scoreSentiment } from './sentiment';
import { DEFAULT_TAXONOMY } from './taxonomy';
import { findThemes } from './themes';
import { tokenise } from './tokens';
import type { Taxonomy, TextAnalysis } from './types';

export type { Disclosure, DisclosureCategory, PiiKind, PiiSpan, Sentiment, Taxonomy, TextAnalysis, ThemeMatch } from './types';
export { DEFAULT_TAXONOMY } from './taxonomy';
export { extendTaxonomy } from './themes';
export { redact } from './redact';
export { SIGNPOST } from './signpost';

/**
 * Analyses one free-text answer: redacts personal data, then finds themes, sentiment and any
 * disclosure on the REDACTED text, so evidence strings never carry personal data.
 * @example analyseText('she was nice but nobody rang back').sentiment // 'mixed'
 */
export function analyseText(text: string, options: { taxonomy?: Taxonomy; rating?: { value: number; points: 3 | 5 } } = {}): TextAnalysis {
  const { redacted, pii } = redact(text);
  const clean = normalise(redacted).text;
  const toks = tokenise(clean);
  const lower = clean.toLowerCase();
  const disclosure = detectDisclosure(clean);
  return {
    redacted,
    pii,
    themes: findThemes(clean, options.taxonomy ?? DEFAULT_TAXONOMY, toks),
    sentiment: scoreSentiment(lower, toks, options.rating, disclosure?.current === true),
    disclosure,
  };
}
