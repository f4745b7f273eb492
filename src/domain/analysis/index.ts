import { detectDisclosure } from './disclosure';
import { applySecondOpinion } from './model/index';
import { normalise } from './normalise';
import { redact } from './redact';
import { findConcern } from './review';
import { masked } from './rules';
import { scoreSentiment } from './sentiment';
import { DEFAULT_TAXONOMY } from './taxonomy';
import { findThemes } from './themes';
import { tokenise } from './tokens';
import type { Concern, Disclosure, Taxonomy, TextAnalysis, ThemeMatch, Triage } from './types';

export type { Concern, Disclosure, DisclosureCategory, PiiKind, PiiSpan, Sentiment, Taxonomy, TextAnalysis, ThemeMatch, Triage } from './types';
export { DEFAULT_TAXONOMY } from './taxonomy';
export { extendTaxonomy } from './themes';
export { redact } from './redact';
export { SIGNPOST, signpostIn, type Signpost, type SignpostContact } from './signpost';

/** Harm words that make a text about feeling safe only when the disclosure check agrees it describes harm. */
const RISK_EVIDENCE =
  /^(?:hurts me|hits me|hit me|locks me|bruises|beat|punches|smacks|strangled|touching|touches|pics|nudes|fighting|screaming|banging|threat\w*|knife|bat|drugs|owe|county lines|chucked|belt|pushed her|jump off|older men|year old man|groom\w*|exploit\w*|abuse|abused|violent|violence|missing|locked|do a run|hold stuff|deliver packages)$/i;
const SCENERY: ReadonlySet<string> = new Set([
  'school',
  'health',
  'practical-support',
  'out-of-hours',
  'timeliness',
  'inclusion-access',
  'trust-respect',
  'kept-informed',
]);
/** Disclosure categories that make a text about feeling safe, and those that make it about mental health. */
const SAFETY: ReadonlySet<string> = new Set(['harm-by-others', 'sexual-harm', 'immediate-danger', 'exploitation']);

/**
 * Keeps themes consistent with the disclosure check: a current disclosure of harm is about feeling
 * safe, one of self-harm is about mental health; harm words in a text the check dismissed
 * (a game, a negation, a joke) do not make it about feeling safe.
 */
function linkDisclosure(themes: ThemeMatch[], disclosure: Disclosure | null): ThemeMatch[] {
  const out = disclosure
    ? themes
    : themes
        .map((t) => (t.id === 'feeling-safe' ? { ...t, evidence: t.evidence.filter((e) => !RISK_EVIDENCE.test(e)) } : t))
        .filter((t) => t.evidence.length > 0);
  if (!disclosure?.current) return out;
  // beside a disclosure, a side theme resting on a single word is usually scenery ("at the school gates",
  // "paid in trainers", "at night"), not what the text is about
  for (let k = out.length - 1; k >= 0; k--) {
    const t = out[k] as ThemeMatch;
    if (SCENERY.has(t.id) && t.evidence.length === 1 && (t.evidence[0] as string).split(/\s+/).length <= 2) out.splice(k, 1);
  }
  const add = SAFETY.has(disclosure.category) ? 'feeling-safe' : disclosure.category === 'self-harm-suicide' ? 'mental-health' : null;
  if (add && !out.some((t) => t.id === add)) out.push({ id: add, evidence: [disclosure.evidence] });
  return out;
}

/**
 * The alert rules' reading: professional jargon ("safety plan", "section 47") blanked out first, so
 * it never raises an alert; the evidence comes back in the text's own words.
 */
function alertReading(clean: string): Disclosure | null {
  const plain = masked('alert:jargon', clean);
  const found = detectDisclosure(plain);
  if (!found || plain === clean) return found;
  const at = plain.indexOf(found.evidence);
  return at === -1 ? found : { ...found, evidence: clean.slice(at, at + found.evidence.length) };
}

/**
 * The three tiers: a current disclosure is an alert; a past one, or any weaker signal the review
 * net finds, goes to review for a person to read; anything else is clear.
 */
function triageOf(clean: string, disclosure: Disclosure | null): { triage: Triage; disclosure: Disclosure | null; concern: Concern | null } {
  if (disclosure?.current) return { triage: 'alert', disclosure, concern: null };
  if (disclosure) return { triage: 'review', disclosure: null, concern: { category: disclosure.category, evidence: disclosure.evidence } };
  const concern = findConcern(clean);
  return concern ? { triage: 'review', disclosure: null, concern } : { triage: 'clear', disclosure: null, concern: null };
}

/**
 * Analyses one free-text answer: redacts personal data, then finds themes, sentiment and the
 * triage (alert, review or clear) on the REDACTED text, so evidence strings never carry personal data.
 * @example analyseText('she was nice but nobody rang back').sentiment // 'mixed'
 * @example analyseText('he goes for me when he drinks').triage // 'alert' or 'review', never 'clear'
 */
export function analyseText(
  text: string,
  options: {
    taxonomy?: Taxonomy;
    rating?: { value: number; points: 3 | 5 };
    /** The learned second opinion (default on); false for the rules alone. */
    model?: boolean;
  } = {},
): TextAnalysis {
  const { redacted, pii } = redact(text);
  const clean = normalise(redacted).text;
  const toks = tokenise(clean);
  const lower = clean.toLowerCase();
  const found = alertReading(clean);
  const result: TextAnalysis = {
    redacted,
    pii,
    themes: linkDisclosure(findThemes(clean, options.taxonomy ?? DEFAULT_TAXONOMY, toks), found),
    sentiment: scoreSentiment(lower, toks, options.rating, found?.current === true),
    ...triageOf(clean, found),
  };
  // last, and separate: the learned second opinion can only add (clear to review, neutral to a sentiment)
  return options.model === false ? result : applySecondOpinion(result, clean);
}
