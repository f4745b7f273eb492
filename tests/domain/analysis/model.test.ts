import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseText, redact, type TextAnalysis } from '../../../src/domain/analysis/index';
import { applySecondOpinion, type Calibration, secondOpinion } from '../../../src/domain/analysis/model/index';
import type { ModelFile } from '../../../src/domain/analysis/model/score';
import { canonicalModelJson, type LabelledText, trainingText, trainModel } from '../../../src/domain/analysis/model/train';
import weights from '../../../src/domain/analysis/model/weights.json';
import { normalise } from '../../../src/domain/analysis/normalise';
import { analysisText } from '../../text-grammar';

const MODEL_DIR = resolve(__dirname, '../../../src/domain/analysis/model');
const FIXTURES = resolve(__dirname, '../../fixtures/analysis');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const committedHash = () => readFileSync(resolve(MODEL_DIR, 'weights.sha256'), 'utf8').trim();
const cleanOf = (text: string) => normalise(redact(text).redacted).text;
const RANK = { clear: 0, review: 1, alert: 2 } as const;
/** Every use of the model switched on, with a low bar, so the only-adds property is exercised hard. */
const EAGER: Calibration = { concernThreshold: 0.2, sentimentMargin: 0 };

describe('the second opinion is reproducible', () => {
  it('retraining on the fixtures reproduces the committed weights and their SHA-256', () => {
    const texts = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .flatMap((file) =>
        readFileSync(resolve(FIXTURES, file), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => trainingText(JSON.parse(l) as LabelledText, file)),
      );
    const retrained = canonicalModelJson(trainModel(texts));
    expect(sha256(retrained)).toBe(committedHash());
    expect(sha256(canonicalModelJson(weights as ModelFile))).toBe(committedHash());
  }, 30_000);
});

describe('the second opinion only adds', () => {
  /** Sentences from words the model weighs, everyday words, and personal data. */
  const words = fc.constantFrom(
    ...(weights as ModelFile).evidenceWords,
    'the',
    'my',
    'me',
    'he',
    'she',
    'social worker',
    'was',
    'lovely',
    'nobody rang back',
    'i',
    'at home',
    'Gareth',
    '07700 900123',
    'hits me',
    'made a plan',
    'not',
    '.',
    '!',
  );
  const sentences = fc.array(words, { minLength: 1, maxLength: 30 }).map((ws) => ws.join(' '));
  const texts = fc.oneof(sentences, analysisText);

  const addsOnly = (off: TextAnalysis, on: TextAnalysis) => {
    expect(RANK[on.triage]).toBeGreaterThanOrEqual(RANK[off.triage]);
    expect(on.disclosure).toEqual(off.disclosure);
    expect(on.redacted).toBe(off.redacted);
    expect(on.pii).toEqual(off.pii);
    expect(on.themes).toEqual(off.themes);
    if (off.sentiment !== 'neutral') expect(on.sentiment).toBe(off.sentiment);
    if (on.triage !== off.triage) {
      expect(on.triage).toBe('review');
      expect(on.concern?.evidence).toMatch(/^model(?:: [a-z]+(?:, [a-z]+){0,2})?$/);
    } else expect(on.concern).toEqual(off.concern);
  };

  it('never lowers triage, never changes a disclosure, sentiment only where the rules said neutral (as committed)', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(texts, (text) => addsOnly(analyseText(text, { model: false }), analyseText(text))),
      { numRuns: 300 },
    );
  });

  it('holds with every use switched on and a low threshold', () => {
    fc.assert(
      fc.property(texts, (text) =>
        addsOnly(analyseText(text, { model: false }), applySecondOpinion(analyseText(text, { model: false }), cleanOf(text), EAGER)),
      ),
      { numRuns: 300 },
    );
  });

  it('shows as evidence only words from its list, never personal data', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const opinion = secondOpinion(cleanOf(text));
        for (const w of opinion.evidence) expect((weights as ModelFile).evidenceWords).toContain(w);
        expect(opinion.evidence.join(' ')).not.toMatch(/gareth|07700/i);
      }),
      { numRuns: 200 },
    );
  });
});

describe('what the second opinion does', () => {
  const clear = (text: string): TextAnalysis => ({ ...analyseText(text, { model: false }), triage: 'clear', disclosure: null, concern: null });

  it.each(['my partner goes for me when he drinks', "he's going mental at home and i can't go back tonight"])(
    'raises a concern the rules left clear to review: %j',
    (text) => {
      expect(secondOpinion(cleanOf(text)).concern).toBeGreaterThan(0.5);
      const raised = applySecondOpinion(clear(text), cleanOf(text), { concernThreshold: 0.5, sentimentMargin: null });
      expect(raised.triage).toBe('review');
      expect(raised.disclosure).toBeNull();
      expect(raised.concern).toEqual({ category: null, evidence: expect.stringMatching(/^model/) });
      // as committed, rules and model together do not leave it clear either
      expect(analyseText(text).triage).not.toBe('clear');
    },
  );

  it('leaves ordinary feedback clear', () => {
    for (const text of [
      'the social worker was lovely and listened to me',
      'nobody rang me back for three weeks',
      'His teacher listened to him and made a plan with us for his attendance',
    ]) {
      expect(secondOpinion(cleanOf(text)).concern).toBeLessThan(0.5);
      expect(analyseText(text).triage).toBe('clear');
    }
  });

  it('keeps personal data out of its evidence', () => {
    const text = 'my uncle Gareth goes for me when he drinks and im scared to go home, ring 07700 900123';
    const raised = applySecondOpinion(clear(text), cleanOf(text), EAGER);
    expect(raised.triage).toBe('review');
    expect(raised.concern?.evidence).not.toMatch(/gareth|07700|900123/i);
  });

  it('decides sentiment only where the rules said neutral', () => {
    const text = 'she was brilliant and really helped us';
    const opinion = secondOpinion(cleanOf(text));
    expect(opinion.sentiment).toBe('positive');
    const base = analyseText(text, { model: false });
    expect(applySecondOpinion({ ...base, sentiment: 'neutral' }, cleanOf(text), EAGER).sentiment).toBe('positive');
    expect(applySecondOpinion({ ...base, sentiment: 'negative' }, cleanOf(text), EAGER).sentiment).toBe('negative');
    // with the sentiment use switched off (as cross-validation chose, if it did), neutral stays neutral
    expect(applySecondOpinion({ ...base, sentiment: 'neutral' }, cleanOf(text), { ...EAGER, sentimentMargin: null }).sentiment).toBe('neutral');
  });

  it('is off entirely with model: false', () => {
    const text = 'my partner goes for me when he drinks';
    const off = analyseText(text, { model: false });
    expect(off).toEqual(analyseText(text, { model: false }));
    expect(off.concern?.evidence ?? '').not.toMatch(/^model/);
  });
});
