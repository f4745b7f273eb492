import RULES from './data/rules.json';
import { pattern } from './patterns';

/**
 * The analysis' named exceptions (data/rules.json): each has an id, the scope where it applies,
 * the reason it exists and the labelled fixture line that needs it, so an engineer can see why
 * each one is there and tests/domain/analysis/rules.test.ts can check that it still earns its place.
 */
export interface NamedRule {
  id: string;
  scope: string;
  pattern: string;
  reason: string;
  fixture: { file: string; id: string };
}

export const NAMED_RULES: readonly NamedRule[] = RULES.rules;

const COMPILED: { rule: NamedRule; re: RegExp }[] = NAMED_RULES.map((rule) => ({ rule, re: pattern(rule.pattern) }));
const GLOBAL: Map<string, RegExp> = new Map(NAMED_RULES.map((rule) => [rule.id, pattern(rule.pattern, 'gi')]));

/** Rules switched off, under test only: the rule table test checks each fixture fails without its rule. */
const disabled = new Set<string>();

/** Does any rule of `scope` match `text`? */
export function ruleMatches(scope: string, text: string): boolean {
  for (const { rule, re } of COMPILED) if (rule.scope === scope && !disabled.has(rule.id) && re.test(text)) return true;
  return false;
}

/**
 * `text` with every match of a rule of `scope` blanked out by spaces, so offsets still line up.
 * @example masked('alert:jargon', 'we made a safety plan') // 'we                   '
 */
export function masked(scope: string, text: string): string {
  let out = text;
  for (const { rule } of COMPILED) {
    const re = GLOBAL.get(rule.id);
    if (rule.scope !== scope || disabled.has(rule.id) || !re) continue;
    out = out.replace(re, (m) => ' '.repeat(m.length));
  }
  return out;
}

/** Runs `fn` with the rule `id` switched off. For tests. */
export function withoutRule<T>(id: string, fn: () => T): T {
  disabled.add(id);
  try {
    return fn();
  } finally {
    disabled.delete(id);
  }
}
