import type { TextAnalysis } from '../types';
import calibration from './calibration.json';
import { type DecodedModel, decodeModel, type ModelFile, type Opinion, scoreText } from './score';
import weights from './weights.json';

export type { Opinion } from './score';

/**
 * When the model's opinion is used; chosen by `npm run train` by cross-validation over the fixture
 * files, and null when that use did not help (or did not fit the review budget).
 */
export interface Calibration {
  /** Concern probability from which a text the rules leave `clear` goes to `review`. */
  concernThreshold: number | null;
  /** Softmax confidence from which the model's sentiment replaces the rules' `neutral`. */
  sentimentMargin: number | null;
}

let model: DecodedModel | null = null;

/**
 * The learned second opinion on a normalised, redacted text: the probability of a disclosure and a
 * sentiment. Pure; the weights are decoded once, on first use.
 * @example secondOpinion('he goes for me when he drinks').concern // 0.8...
 */
export function secondOpinion(cleanText: string): Opinion {
  model ??= decodeModel(weights as ModelFile);
  return scoreText(model, cleanText);
}

/**
 * The model can only add: it raises `clear` to `review` (never to `alert`, never lowers anything),
 * and it decides sentiment where the rules said `neutral`. Evidence is words of the redacted text
 * that are on the model's evidence list, so it carries no personal data.
 */
export function applySecondOpinion(result: TextAnalysis, cleanText: string, cal: Calibration = calibration): TextAnalysis {
  const raise = cal.concernThreshold !== null && result.triage === 'clear';
  const resentiment = cal.sentimentMargin !== null && result.sentiment === 'neutral';
  if (!raise && !resentiment) return result;
  const opinion = secondOpinion(cleanText);
  let out = result;
  if (raise && opinion.concern >= (cal.concernThreshold as number)) {
    const evidence = opinion.evidence.length ? `model: ${opinion.evidence.join(', ')}` : 'model';
    out = { ...out, triage: 'review', concern: { category: null, evidence } };
  }
  if (resentiment && opinion.sentimentConfidence >= (cal.sentimentMargin as number) && opinion.sentiment !== 'neutral') {
    out = { ...out, sentiment: opinion.sentiment };
  }
  return out;
}
