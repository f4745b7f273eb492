import type { TextAnalysis } from '../types';
import calibration from './calibration.json';
import { concernOf, type DecodedModel, decodeModel, evidenceOf, featuresOf, type ModelFile, type Opinion, scoreText, sentimentOf } from './score';
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

let decoded: DecodedModel | null = null;
/** The committed weights, decoded once, on first use. */
const model = (): DecodedModel => (decoded ??= decodeModel(weights as ModelFile));

/**
 * The learned second opinion on a normalised, redacted text: the probability of a disclosure and a
 * sentiment. Pure.
 * @example secondOpinion('my partner goes for me when he drinks').concern // about 0.7
 */
export function secondOpinion(cleanText: string): Opinion {
  return scoreText(model(), cleanText);
}

/**
 * The model can only add: it raises `clear` to `review` (never to `alert`, never lowers anything),
 * and it decides sentiment where the rules said `neutral`. Evidence is words of the redacted text
 * that are on the model's evidence list, so it carries no personal data. Only the heads a text
 * needs are computed.
 */
export function applySecondOpinion(result: TextAnalysis, cleanText: string, cal: Calibration = calibration): TextAnalysis {
  const threshold = result.triage === 'clear' ? cal.concernThreshold : null;
  const margin = result.sentiment === 'neutral' ? cal.sentimentMargin : null;
  if (threshold === null && margin === null) return result;
  const m = model();
  const f = featuresOf(cleanText);
  let out = result;
  if (threshold !== null && concernOf(m, f) >= threshold) {
    const words = evidenceOf(m, cleanText);
    out = { ...out, triage: 'review', concern: { category: null, evidence: words.length ? `model: ${words.join(', ')}` : 'model' } };
  }
  if (margin !== null) {
    const { sentiment, confidence } = sentimentOf(m, f);
    if (confidence >= margin && sentiment !== 'neutral') out = { ...out, sentiment };
  }
  return out;
}
