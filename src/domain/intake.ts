import { analyseText, type Disclosure, type Sentiment, type TextAnalysis, type Taxonomy } from './analysis';
import type { Concern } from './analysis/types';
import type { SurveyDefinition } from '../schemas/survey-definition';
import type { Answers } from './survey';

/** What is kept of one free-text answer: its redacted text and what the analysis found. */
export interface TextAnswerAnalysis {
  themes: { id: string; evidence: string[] }[];
  sentiment: Sentiment;
  /** Only the category: the evidence and the text stay in the sealed alert. */
  disclosure: Pick<Disclosure, 'category' | 'current'> | null;
  /** Triage `review`: only the concern's category; the evidence and the text stay in the sealed review item. */
  concern?: Pick<Concern, 'category'>;
}

export interface PreparedSubmission {
  /** Answers with every free-text value replaced by its redacted form. */
  answers: Answers;
  analysis: Record<string, TextAnswerAnalysis>;
  /** The first rating question's answer on a 1..5 scale, for distributions. */
  rating: number | null;
  sentiment: Sentiment | null;
  /** Each theme once per response, with the sentiment of the answer that raised it (mixed if answers differ). */
  themes: Record<string, Sentiment>;
  disclosure: Disclosure | null;
  /** Any answer may be a disclosure: the ones analysed here, or ones a chat already withheld. */
  flagged: boolean;
  /** Original text of flagged answers: never stored with the response; the alert queue may keep it encrypted. */
  flaggedText: { questionId: string; text: string; disclosure: Disclosure }[];
  /** Original text of answers whose triage is `review`: never stored with the response; the review queue keeps it sealed. */
  reviewText: { questionId: string; text: string; concern: Concern }[];
}

/** The analysis prepareSubmission runs on each free-text answer: the pipeline's own unless a test swaps it. */
export type Analyse = (text: string, context: ReturnType<typeof analysisContext>) => TextAnalysis;

/**
 * What stays of answers a chat already withheld as a possible disclosure: question id to the
 * analysis made when the words were typed (the words themselves went only to the sealed alert).
 */
export type WithheldAnswers = Record<string, TextAnswerAnalysis>;

/**
 * Runs the analysis over a checked submission. The raw text leaves this function only in
 * `flaggedText`, so a child's disclosure can reach a safeguarding lead, never the response row.
 * An answer that is the {@link WITHHELD} marker with an entry in `withheld` keeps that entry's
 * analysis (a chat's flagged answer, whose words are already in an alert).
 */
export function prepareSubmission(
  def: SurveyDefinition,
  answers: Answers,
  taxonomy?: Taxonomy,
  withheld: WithheldAnswers = {},
  analyse: Analyse = analyseText,
): PreparedSubmission {
  const rated = ratedQuestion(def, answers);
  const rating = rated ? toFivePoint(answers[rated.id] as number, rated.points) : null;
  const stored: Answers = {};
  const analysis: Record<string, TextAnswerAnalysis> = {};
  const flaggedText: PreparedSubmission['flaggedText'] = [];
  const reviewText: PreparedSubmission['reviewText'] = [];
  const sentiments: Sentiment[] = [];
  for (const q of def.questions) {
    if (!(q.id in answers)) continue;
    const value = answers[q.id]!;
    if (q.kind !== 'text' || typeof value !== 'string') {
      stored[q.id] = value;
      continue;
    }
    if (value.trim() === '') continue;
    const kept = value === WITHHELD ? withheld[q.id] : undefined;
    if (kept?.disclosure || kept?.concern) {
      stored[q.id] = WITHHELD;
      analysis[q.id] = kept;
      sentiments.push(kept.sentiment);
      continue;
    }
    const result: TextAnalysis = analyse(value, analysisContext(def, answers, taxonomy));
    // A possible disclosure lives only in the sealed safeguarding alert, and an answer for review
    // only in the sealed review item: neither is ever in insight data.
    const concern = result.disclosure ? null : result.triage === 'review' ? result.concern : null;
    stored[q.id] = result.disclosure || concern ? WITHHELD : result.redacted;
    analysis[q.id] = result.disclosure
      ? withheldAnalysis(result, result.disclosure)
      : concern
        ? reviewAnalysis(result, concern)
        : { themes: result.themes, sentiment: result.sentiment, disclosure: null };
    sentiments.push(result.sentiment);
    if (result.disclosure) flaggedText.push({ questionId: q.id, text: value, disclosure: result.disclosure });
    else if (concern) reviewText.push({ questionId: q.id, text: value, concern });
  }
  const themes = responseThemes(analysis);
  const disclosure = flaggedText.find((f) => f.disclosure.current)?.disclosure ?? flaggedText[0]?.disclosure ?? null;
  // Review answers are flagged too: the child sees the signpost, and the response quotes nothing.
  const flagged = Object.values(analysis).some((a) => a.disclosure !== null || a.concern !== undefined);
  return { answers: stored, analysis, rating, sentiment: overallSentiment(sentiments, rating), themes, disclosure, flagged, flaggedText, reviewText };
}

/** What is kept of an answer for review: theme ids, sentiment and the concern's category; no evidence. */
export function reviewAnalysis(result: Pick<TextAnalysis, 'themes' | 'sentiment'>, concern: Pick<Concern, 'category'>): TextAnswerAnalysis {
  return {
    themes: result.themes.map(({ id }) => ({ id, evidence: [] })),
    sentiment: result.sentiment,
    disclosure: null,
    concern: { category: concern.category },
  };
}

/**
 * What is kept of a flagged answer: theme ids and sentiment for insight counts, the disclosure's
 * category, and no evidence (evidence is words from the text).
 */
export function withheldAnalysis(result: Pick<TextAnalysis, 'themes' | 'sentiment'>, disclosure: Pick<Disclosure, 'category' | 'current'>): TextAnswerAnalysis {
  return {
    themes: result.themes.map(({ id }) => ({ id, evidence: [] })),
    sentiment: result.sentiment,
    disclosure: { category: disclosure.category, current: disclosure.current },
  };
}

/** The partnership's taxonomy and the first rating given, which the analysis of free text uses. */
export function analysisContext(
  def: SurveyDefinition,
  answers: Answers,
  taxonomy?: Taxonomy,
): { taxonomy?: Taxonomy; rating?: { value: number; points: 3 | 5 } } {
  const rated = ratedQuestion(def, answers);
  return { ...(taxonomy ? { taxonomy } : {}), ...(rated ? { rating: { value: answers[rated.id] as number, points: rated.points } } : {}) };
}

function ratedQuestion(def: SurveyDefinition, answers: Answers) {
  const rated = def.questions.find((q) => q.kind === 'rating' && typeof answers[q.id] === 'number');
  return rated && rated.kind === 'rating' ? rated : undefined;
}

/** What a response row keeps in place of an answer that may be a disclosure. */
export const WITHHELD = '[withheld: passed to the safeguarding lead]';

/** Each theme once per response, with the sentiment of the answer that raised it (mixed if answers differ). */
export function responseThemes(analysis: Record<string, TextAnswerAnalysis>): Record<string, Sentiment> {
  const themes: Record<string, Sentiment> = {};
  for (const { themes: found, sentiment } of Object.values(analysis)) {
    for (const { id } of found) themes[id] = themes[id] && themes[id] !== sentiment ? 'mixed' : sentiment;
  }
  return themes;
}

const toFivePoint = (value: number, points: 3 | 5) => (points === 5 ? value : value * 2 - 1);

/** A response's sentiment from its answers' and its rating (1..5). */
export function overallSentiment(parts: Sentiment[], rating: number | null): Sentiment | null {
  const fromRating: Sentiment | null = rating === null ? null : rating >= 4 ? 'positive' : rating <= 2 ? 'negative' : 'neutral';
  const all = [...parts, ...(fromRating ? [fromRating] : [])].filter((s) => s !== 'neutral');
  if (parts.length === 0 && fromRating === null) return null;
  if (all.length === 0) return 'neutral';
  if (all.includes('mixed')) return 'mixed';
  const positive = all.includes('positive');
  const negative = all.includes('negative');
  return positive && negative ? 'mixed' : positive ? 'positive' : 'negative';
}
