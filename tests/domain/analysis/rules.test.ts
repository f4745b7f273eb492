/// <reference types="node" />
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseText, type Triage } from '../../../src/domain/analysis/index';
import { NAMED_RULES, withoutRule } from '../../../src/domain/analysis/rules';

/**
 * Every named exception in data/rules.json earns its place: its fixture line exists, the rule
 * matches it, and without the rule the line is analysed worse (a higher tier for a text labelled
 * with no disclosure, a lower one for a disclosure). A rule that no fixture needs is deleted.
 */

const FIXTURES = new URL('../../fixtures/analysis/', import.meta.url).pathname;
const SAMPLES = ['../../../../shared/samples/', '../../../../../shared/samples/'].map((p) => new URL(p, import.meta.url).pathname).find((d) => existsSync(d));
const LEVEL: Record<Triage, number> = { clear: 0, review: 1, alert: 2 };

function fixture(file: string, id: string): { text: string; disclosure: unknown } | undefined {
  const dir = file === 'feedback-samples.jsonl' ? SAMPLES : FIXTURES;
  if (!dir || !existsSync(dir + file)) return undefined;
  return readFileSync(dir + file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; text: string; disclosure: unknown })
    .find((r) => r.id === id);
}

describe('the named rules table', () => {
  it('gives every rule an id, a scope, a reason and a fixture', () => {
    expect(NAMED_RULES.length).toBeGreaterThan(0);
    for (const r of NAMED_RULES) {
      expect(r.id).toMatch(/^[a-z][a-z-]+$/);
      expect(r.scope).toMatch(/^[a-z]+:[a-z-]+$/);
      expect(r.reason.length).toBeGreaterThan(20);
      expect(r.fixture.file).toMatch(/\.jsonl$/);
    }
    expect(new Set(NAMED_RULES.map((r) => r.id)).size).toBe(NAMED_RULES.length);
  });

  for (const rule of NAMED_RULES) {
    it(`${rule.id}: its fixture ${rule.fixture.file}#${rule.fixture.id} is matched, and analysed worse without it`, () => {
      const row = fixture(rule.fixture.file, rule.fixture.id);
      if (rule.fixture.file === 'feedback-samples.jsonl' && !SAMPLES) return; // the shared samples live outside the repository
      expect(row, 'fixture line exists').toBeDefined();
      const text = (row as { text: string }).text;
      const re = new RegExp(rule.pattern, 'i');
      // a `-before` rule reads the words just before a signal: it must match some prefix of the line
      const matched = rule.scope.endsWith('-before') ? [...text.toLowerCase()].some((_, k) => re.test(text.toLowerCase().slice(0, k))) : re.test(text);
      expect(matched, 'the rule matches its fixture').toBe(true);
      const kept = LEVEL[analyseText(text).triage];
      const removed = LEVEL[withoutRule(rule.id, () => analyseText(text)).triage];
      if ((row as { disclosure: unknown }).disclosure) expect(kept).toBeGreaterThan(removed);
      else expect(kept).toBeLessThan(removed);
    });
  }
});
