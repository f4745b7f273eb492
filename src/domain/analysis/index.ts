// PLACEHOLDER until the analysis branch merges: withholds all free text. Replaced by the real pipeline.
export type PiiKind = 'name'|'phone'|'email'|'postcode'|'address'|'date-of-birth'|'nhs-number'|'ni-number'|'url'|'handle';
export type DisclosureCategory = 'harm-by-others'|'sexual-harm'|'neglect'|'self-harm-suicide'|'immediate-danger'|'exploitation';
export type Sentiment = 'positive'|'negative'|'mixed'|'neutral';
export interface PiiSpan { kind: PiiKind; start: number; end: number }
export interface ThemeMatch { id: string; evidence: string[] }
export interface Disclosure { category: DisclosureCategory; evidence: string; current: boolean }
export interface Taxonomy { themes: { id: string; label: string; terms: string[] }[] }
export interface TextAnalysis { redacted: string; pii: PiiSpan[]; themes: ThemeMatch[]; sentiment: Sentiment; disclosure: Disclosure | null }
export const DEFAULT_TAXONOMY: Taxonomy = { themes: [] };
export function analyseText(_text: string, _options?: { taxonomy?: Taxonomy; rating?: { value: number; points: 3 | 5 } }): TextAnalysis {
  return { redacted: '[withheld]', pii: [], themes: [], sentiment: 'neutral', disclosure: null };
}
export const SIGNPOST = {
  message: "Thank you for telling us. It's not your fault. We can't see who you are, so if you are in danger now, call 999.",
  contacts: [
    { name: 'Childline', number: '0800 1111', text: 'Call free, any time' },
    { name: 'Shout', number: '85258', text: 'Text SHOUT to 85258' },
    { name: 'Samaritans', number: '116 123', text: 'Call free, any time' },
  ],
};
