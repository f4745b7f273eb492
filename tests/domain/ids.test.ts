import { describe, expect, it } from 'vitest';
import { ownIdProblem } from '../../src/domain/ids';

describe('ownIdProblem', () => {
  it('takes an id in the partnership’s own namespace', () => {
    expect(ownIdProblem('demo', 'demo-youth-justice')).toBeUndefined();
    expect(ownIdProblem('other-1a2b', 'other-1a2b-police')).toBeUndefined();
  });

  it('refuses any other id with the same message, whoever holds it', () => {
    const message = 'must start with "demo-" (ids are unique within your partnership)';
    for (const id of ['after-visit', 'youth-justice', 'demo', 'demo-', 'demonstration-x', 'other-1a2b-police']) expect(ownIdProblem('demo', id)).toBe(message);
  });
});
