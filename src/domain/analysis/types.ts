export type PiiKind = 'name' | 'phone' | 'email' | 'postcode' | 'address' | 'date-of-birth' | 'nhs-number' | 'ni-number' | 'url' | 'handle';

export type DisclosureCategory = 'harm-by-others' | 'sexual-harm' | 'neglect' | 'self-harm-suicide' | 'immediate-danger' | 'exploitation';

export type Sentiment = 'positive' | 'negative' | 'mixed' | 'neutral';

/** A span of personal data; offsets index the ORIGINAL text (UTF-16 code units, end exclusive). */
export interface PiiSpan {
  kind: PiiKind;
  start: number;
  end: number;
}

export interface ThemeMatch {
  id: string;
  evidence: string[];
}

/** current=false: a past or resolved situation, marked for review at lower priority. */
export interface Disclosure {
  category: DisclosureCategory;
  evidence: string;
  current: boolean;
}

/**
 * Terms are lower-case words or phrases matched on word boundaries.
 * A trailing `*` matches any word ending (`counsel*`); a leading `!` marks an exclusion:
 * a term match that overlaps an exclusion match is ignored (`!school run`). A leading `?` marks a
 * weak term, counted only when the same sentence has a context cue (leading `@`, never evidence
 * itself) or another term of the theme (`?weekend` with `@rang`).
 */
export interface Taxonomy {
  themes: { id: string; label: string; terms: string[] }[];
}

/**
 * What a person must do about a free-text answer: `alert` is a clear, current disclosure (one-hour
 * clock); `review` is any weaker concern signal, sealed and read by a trained person within one
 * working day; `clear` needs nobody.
 */
export type Triage = 'alert' | 'review' | 'clear';

/** Why an answer is in the review tier; category is null when the signal names no kind of harm. */
export interface Concern {
  category: DisclosureCategory | null;
  evidence: string;
}

export interface TextAnalysis {
  redacted: string;
  pii: PiiSpan[];
  themes: ThemeMatch[];
  sentiment: Sentiment;
  /** Non-null exactly when triage is `alert`. */
  disclosure: Disclosure | null;
  triage: Triage;
  /** Present exactly when triage is `review`. */
  concern: Concern | null;
}
