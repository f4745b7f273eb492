import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVERSARIAL, analysisText, DISGUISED_PHONES, KNOWN_HANGS } from '../../text-grammar';
import { AnalysisSandbox } from './sandbox';

/**
 * Every call of analyseText returns (issue 10: one anonymous answer, "my brothers are 5+7",
 * froze the Worker). Each call runs in a worker thread that is stopped after LIMIT ms, so a
 * regression fails here with the text that hung instead of freezing the test run. A 4,000
 * character answer takes a few milliseconds; the limit is generous for a loaded CI machine.
 */
const LIMIT = 3000;

let sandbox: AnalysisSandbox;
beforeAll(async () => {
  sandbox = await AnalysisSandbox.start();
  // the first call also loads the module and compiles its expressions
  expect(await sandbox.run('warm up 07700 900123', 20_000)).toMatchObject({ ok: true });
}, 30_000);
afterAll(() => sandbox.stop());

const mustReturn = async (text: string): Promise<void> => {
  const outcome = await sandbox.run(text, LIMIT);
  if (outcome.ok) return;
  const shown = JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);
  throw new Error(
    outcome.hung ? `analyseText did not return within ${LIMIT} ms on ${shown} (${text.length} chars)` : `analyseText threw on ${shown}: ${outcome.error}`,
  );
};

describe('analyseText always returns', () => {
  it.each(KNOWN_HANGS)('returns on %j, which hung the Worker before issue 10', async (text) => {
    await mustReturn(text);
  });

  it('reads them as ordinary text, and "me+44 7700 900123" as a phone number', async () => {
    const redacted = async (text: string) => ((await sandbox.run(text, LIMIT)) as { redacted?: string }).redacted;
    for (const text of KNOWN_HANGS.slice(0, 4)) expect(await redacted(text)).toBe(text);
    expect(await redacted('me+44 7700 900123')).toBe('me[phone]');
  });

  it.each([...DISGUISED_PHONES])('returns on %j', async (text) => {
    await mustReturn(text);
  });

  it.each(Object.keys(ADVERSARIAL))('returns on the adversarial input %s', async (name) => {
    await mustReturn(ADVERSARIAL[name]!);
  });

  it('returns on every text of the grammar (digits, + - ( ) . / @ #, scripts, zero-width, bidi), up to 4,000 characters', { timeout: 180_000 }, async () => {
    // endOnFailure: shrinking a hang costs LIMIT ms a step; the failing text is reported whole
    await fc.assert(fc.asyncProperty(analysisText, mustReturn), { numRuns: 300, endOnFailure: true });
  });
});
