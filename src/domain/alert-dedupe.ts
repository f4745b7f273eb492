/**
 * What makes two flagged texts "the same" for merging alerts: case, spacing, punctuation, symbols
 * (emoji included), invisible format characters (zero-width, bidi) and compatibility forms
 * (full-width letters) are ignored; letters, digits and their order are not.
 *
 * @example normaliseAlertText('My dad HITS me!!  ') === normaliseAlertText('my dad hits me') // true
 */
export function normaliseAlertText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{Cf}]/gu, '')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
