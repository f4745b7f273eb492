import { analyseText, type Sentiment, type Taxonomy } from './analysis';
import { overallSentiment, responseThemes, WITHHELD, type TextAnswerAnalysis } from './intake';

/** What re-analysis reads of a stored response: never the original text, which was never stored. */
export interface StoredForReanalysis {
  /** Stored answers: free text in redacted form, or WITHHELD for a possible disclosure. */
  answers: Record<string, unknown>;
  analysis: Record<string, TextAnswerAnalysis>;
  /** The first rating answer on a 1..5 scale, or null. */
  rating: number | null;
}

export interface Reanalysed {
  analysis: Record<string, TextAnswerAnalysis>;
  themes: Record<string, Sentiment>;
  sentiment: Sentiment | null;
}

/**
 * Runs themes and sentiment again over a response's stored (redacted) free text with another
 * taxonomy. Redaction is idempotent, so analysing redacted text finds what analysing the original
 * did, bar the personal data. Disclosure flags stay as stored, and a withheld answer (a possible
 * disclosure, whose text only the sealed alert holds) keeps its stored themes and sentiment.
 * Returns null when the response has no free text to analyse again.
 */
export function reanalyseResponse(stored: StoredForReanalysis, taxonomy: Taxonomy): Reanalysed | null {
  const analysis: Record<string, TextAnswerAnalysis> = {};
  let rerun = 0;
  // A stored 1..5 rating gives the same sentiment as the 3- or 5-point answer it came from.
  const rating = stored.rating === null ? undefined : { value: stored.rating, points: 5 as const };
  for (const [questionId, before] of Object.entries(stored.analysis)) {
    const text = stored.answers[questionId];
    if (before.disclosure || typeof text !== 'string' || text === WITHHELD || text.startsWith('[withheld')) {
      analysis[questionId] = before;
      continue;
    }
    const result = analyseText(text, { taxonomy, ...(rating ? { rating } : {}) });
    analysis[questionId] = { themes: result.themes, sentiment: result.sentiment, disclosure: null };
    rerun++;
  }
  if (rerun === 0) return null;
  return {
    analysis,
    themes: responseThemes(analysis),
    sentiment: overallSentiment(
      Object.values(analysis).map((a) => a.sentiment),
      stored.rating,
    ),
  };
}
