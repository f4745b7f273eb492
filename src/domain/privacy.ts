import type { AgeBand } from '../schemas/common';
import type { SurveyDefinition } from '../schemas/survey-definition';
import { signpostIn, type Signpost } from './analysis';
import { registerFor } from './register';
import { chooseAgeBand, chooseLanguage, say } from './survey';

/**
 * What a survey tells the respondent about who can know it was them. Through a feedback link that
 * carries the practitioner's contact reference, the usual "we won't know it's you" would not be
 * true: a safeguarding lead can see that reference on an alert. So those surveys say this instead.
 */
export const IDENTIFIABLE_PRIVACY: Readonly<Record<string, string>> = {
  en: 'We will only share who you are if we are worried you are not safe.',
  // Spoken Welsh ("we won't tell anyone who you are unless…"), not the calque "Byddwn ond yn rhannu…".
  cy: "Fyddwn ni ddim yn dweud wrth neb pwy wyt ti, oni bai ein bod ni'n poeni nad wyt ti'n ddiogel.",
};
/** The Welsh line for adults (*chi*); `IDENTIFIABLE_PRIVACY.cy` is the *ti* one (see domain/register). */
export const IDENTIFIABLE_PRIVACY_CY_CHI = "Fyddwn ni ddim yn dweud wrth neb pwy ydych chi, oni bai ein bod ni'n poeni nad ydych chi'n ddiogel.";

/** What {@link privacyFor} needs of a link: whether it carries a contact reference. */
export interface LinkPrivacy {
  identifiable: boolean;
}

/**
 * The privacy line to show for a survey in a language, opened from `link` (or from no link).
 * Languages without a translation of the identifiable line get the English one: a plain true
 * sentence in English is better than an untrue one in the respondent's language.
 *
 * @example
 * const { identifiable, privacy } = privacyFor(survey.definition, 'cy', link);
 */
export function privacyFor(
  survey: SurveyDefinition | { definition: SurveyDefinition },
  lang: string,
  link: LinkPrivacy | null | undefined,
  ageBand?: string,
): { identifiable: boolean; privacy: string } {
  const def = 'definition' in survey ? survey.definition : survey;
  const chosen = chooseLanguage(def, lang);
  if (!link?.identifiable) return { identifiable: false, privacy: say(def.privacy, chosen) };
  // The register follows the same age band as the rest of the page: the asked one, else the survey's first.
  if (chosen === 'cy' && registerFor(chooseAgeBand(def, ageBand)) === 'chi') return { identifiable: true, privacy: IDENTIFIABLE_PRIVACY_CY_CHI };
  return { identifiable: true, privacy: IDENTIFIABLE_PRIVACY[chosen] ?? IDENTIFIABLE_PRIVACY.en! };
}

/**
 * The definition with its privacy line replaced by the identifiable one in every language it
 * offers, for renderers (the chat engine) that read the line from the definition.
 */
export function withIdentifiablePrivacy(def: SurveyDefinition, ageBand?: string): SurveyDefinition {
  const privacy = Object.fromEntries(def.languages.map((lang) => [lang, privacyFor(def, lang, { identifiable: true }, ageBand).privacy]));
  return { ...def, privacy: { ...privacy, en: IDENTIFIABLE_PRIVACY.en! } };
}

/**
 * The signpost for a possible disclosure, in the page's language and register (the age band's:
 * see domain/register). The usual one says "we can't see who you are"; through a link with a
 * contact reference that isn't true, so that message says what is.
 * @example signpostFor(false, 'cy', '8-12').lang // 'cy'
 */
export function signpostFor(identifiable: boolean, lang = 'en', ageBand?: AgeBand): Signpost {
  return signpostIn(lang, registerFor(ageBand), identifiable);
}
