/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { SoakResult } from '../../src/cli/soak';

// The short soak (`npm run soak -- --short`): the Worker is SIGKILLed and restarted mid-traffic.
describe('npm run soak -- --short', () => {
  it('stores every acknowledged response exactly once across a Worker crash, and none twice; the rollups fold to the rows', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/soak.ts', '--short', '--json'], { encoding: 'utf8', timeout: 60_000 });
    const last = run.stdout.trim().split('\n').pop() ?? '';
    expect(last.startsWith('{'), `soak printed no result:\n${run.stdout}\n${run.stderr}`).toBe(true);
    const result = JSON.parse(last) as SoakResult;

    expect(run.status, JSON.stringify(result)).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.crashes).toBe(1);
    expect(result.sent).toBeGreaterThan(100);
    expect(result.retried).toBeGreaterThan(0);
    expect(result.acknowledgedMissing).toBe(0);
    expect(result.duplicated).toBe(0);
    expect(result.rejected).toBe(0);
    expect(result.resentAnswered200).toBe(result.resent);
    expect(result.unacknowledgedStored).toBeLessThanOrEqual(result.unacknowledged);
    expect(result.stored).toBe(result.acknowledged + result.unacknowledgedStored);
    // Rollups are folded (0027) during the traffic and across the kill: every row counted or pending, then all counted.
    expect(result.cronRuns + result.insightReads).toBeGreaterThan(0);
    expect(result.rollupBeforeFinalFold + result.pendingBeforeFinalFold).toBe(result.stored);
    expect(result.pendingAfterFinalFold).toBe(0);
    expect(result.rollupResponses).toBe(result.stored);
    expect(result.linkUses).toBe(result.storedViaLink);
  });
});
