import { analyseText, type DisclosureCategory, type Sentiment } from './analysis';
import type { Triage } from './analysis/types';

/**
 * Labelled data from the work itself (issue 13, item 5): what a person decided about an answer,
 * with the answer's REDACTED text, as one line of tests/fixtures/analysis/*.jsonl, so
 * `npm run eval -- FILE` and `npm run train -- FILE` take an export as they take the fixtures.
 * Never the original words: the label is built from them in memory and keeps only the redaction.
 */
export interface LabelRecord {
  id: string;
  respondent: string;
  age_band: string | null;
  service: string | null;
  /** Redacted: personal data replaced by placeholders, so `pii` is empty. */
  text: string;
  themes: string[];
  sentiment: Sentiment;
  disclosure: { category: DisclosureCategory } | null;
  pii: [];
  triage: Triage;
  /**
   * Which fields a person decided. The rest are the rules' own reading of the text, kept so the
   * line has the fixtures' shape: score only the decided fields if you want a human judge.
   */
  decided: ('triage' | 'disclosure' | 'themes' | 'sentiment')[];
}

/** What a person decided about one answer. */
export type Judgement =
  | { triage: 'clear' }
  | { triage: 'review'; category: DisclosureCategory | null }
  | { triage: 'alert'; category: DisclosureCategory }
  | { themes: string[]; sentiment: Sentiment };

export interface LabelContext {
  id: string;
  respondent: string | null;
  ageBand: string | null;
  service: string | null;
}

/**
 * The label line for an answer: its redacted text, and the judgement over the rules' reading.
 * @example labelRecord('he is nice', { triage: 'clear' }, ctx).disclosure // null
 */
export function labelRecord(original: string, judgement: Judgement, ctx: LabelContext): LabelRecord {
  const rules = analyseText(original);
  const base = {
    id: ctx.id,
    respondent: ctx.respondent ?? 'child',
    age_band: ctx.ageBand,
    service: ctx.service,
    text: rules.redacted,
    pii: [] as [],
  };
  if ('themes' in judgement) {
    return {
      ...base,
      themes: judgement.themes,
      sentiment: judgement.sentiment,
      disclosure: rules.disclosure ? { category: rules.disclosure.category } : null,
      triage: rules.triage,
      decided: ['themes', 'sentiment'],
    };
  }
  return {
    ...base,
    themes: rules.themes.map((t) => t.id),
    sentiment: rules.sentiment,
    disclosure: judgement.triage === 'alert' ? { category: judgement.category } : null,
    triage: judgement.triage,
    decided: ['triage', 'disclosure'],
  };
}
