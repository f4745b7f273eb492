import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { fieldProblems } from '../../src/lib/validate';

const problems = (schema: v.GenericSchema, input: unknown) => {
  const result = v.safeParse(schema, input);
  return result.success ? [] : fieldProblems(result.issues);
};

describe('fieldProblems: plain-language messages', () => {
  it('says a missing field is required, not that it is unknown', () => {
    const S = v.strictObject({ title: v.string(), kind: v.picklist(['rating', 'text']) });
    expect(problems(S, { kind: 'text' })).toEqual([{ path: 'title', message: 'is required' }]);
    expect(problems(v.object({ title: v.string() }), {})).toEqual([{ path: 'title', message: 'is required' }]);
  });

  it('still says an extra field is not a known field, and never echoes the input', () => {
    const S = v.strictObject({ title: v.string() });
    const found = problems(S, { title: 'ok', secretive: 'do-not-echo' });
    expect(found).toEqual([{ path: 'secretive', message: 'is not a known field' }]);
    expect(JSON.stringify(found)).not.toContain('do-not-echo');
  });
});
