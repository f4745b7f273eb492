/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyseText } from '../../../src/domain/analysis/index';
import { BUILT } from '../../../src/domain/analysis/patterns';
import { pieces } from './regex-parts';

/**
 * No regular expression in src/domain/analysis/ backtracks super-linearly (issue 10), checked
 * with recheck (https://makenowjust-labs.github.io/recheck/). The expressions are found, not
 * listed: literals are read from each module's syntax tree, and expressions built from strings
 * must go through `pattern()` (patterns.ts), which records them, so the real sources are checked.
 * Long alternations are checked piece by piece (regex-parts.ts): whole, some of them time out.
 * 'unknown' fails like 'vulnerable' unless ALLOWED says why it is safe.
 */

const DIR = new URL('../../../src/domain/analysis/', import.meta.url).pathname;
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

/** Pieces recheck cannot decide, each with the reason it is safe. Empty: every piece is decided. */
const ALLOWED: Record<string, string> = {};

/**
 * Bounded repeats up to {0,80} are expanded into the automaton rather than left to fuzzing. What
 * still goes to the fuzzer gets a fixed seed: unseeded, one CI run in many called the bounded
 * `[^.!?\n]{0,60}` of net.ts's REASSURED quadratic (a false alarm: each start scans at most 60).
 */
const PARAMS = { timeout: 60_000, maxRepeatCount: 100, randomSeed: 0 } as const;

interface Found {
  where: string;
  source: string;
  flags: string;
}

function literals(): Found[] {
  const out: Found[] = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(DIR + file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (n: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(n)) {
        const text = n.text;
        const end = text.lastIndexOf('/');
        out.push({ where: `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`, source: text.slice(1, end), flags: text.slice(end + 1) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/** `new RegExp(…)` or `RegExp(…)` outside patterns.ts: an expression the test could not see. */
function unrecorded(): string[] {
  const out: string[] = [];
  for (const file of files.filter((f) => f !== 'patterns.ts')) {
    const sf = ts.createSourceFile(file, readFileSync(DIR + file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (n: ts.Node): void => {
      if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp') {
        out.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

const verdicts = (found: Found[]): string[] => {
  const bad: string[] = [];
  for (const { where, source, flags } of found) {
    for (const piece of pieces(source)) {
      let d = checkSync(piece, flags.replace('g', ''), PARAMS);
      // a timeout on a loaded machine, or an unlucky fuzzing run, gets one longer second look
      if (d.status !== 'safe') d = checkSync(piece, flags.replace('g', ''), { ...PARAMS, timeout: 30_000 });
      if (d.status === 'safe' || (d.status === 'unknown' && ALLOWED[piece] !== undefined)) continue;
      const why = d.status === 'vulnerable' ? `${d.complexity.summary}, attack ${JSON.stringify(d.attack.pattern)}` : `unknown (${d.error.kind})`;
      bad.push(`${where}: /${piece.slice(0, 160)}/${flags}: ${why}`);
    }
  }
  return bad;
};

describe('regular expressions in src/domain/analysis are not vulnerable to ReDoS', () => {
  it('every expression built from strings is recorded by pattern(), so this test sees it', () => {
    expect(unrecorded()).toEqual([]);
    expect(BUILT.length).toBeGreaterThan(40);
  });

  it('analysing text builds no new expression (the record stays the same size)', () => {
    const before = BUILT.length;
    analyseText('my sw Jess rang me on 07700 900123, born 3/4/2015, HU3 2RG');
    expect(BUILT.length).toBe(before);
  });

  it('splitting keeps every alternative and opens only plain groups', () => {
    expect(pieces('a|b(?:c|d)e|(?=x|y)z', 1).sort()).toEqual(['(?=x|y)z', 'a', 'b(?:c)e', 'b(?:d)e'].sort());
    expect(pieces('\\b(?:(aa|bb)|(cc))\\b', 1).sort()).toEqual(['\\b(?:aa)\\b', '\\b(?:bb)\\b', '\\b(cc)\\b'].sort());
    expect(pieces('(a|b)*c', 1)).toEqual(['(a|b)*c']);
  });

  it('the checker does find a vulnerable expression', () => {
    expect(verdicts([{ where: 'example', source: '[.-]+$', flags: '' }])).toEqual([expect.stringContaining('polynomial')]);
  });

  it('every literal passes', { timeout: 600_000 }, () => {
    const found = literals();
    expect(found.length).toBeGreaterThan(100);
    expect(verdicts(found)).toEqual([]);
  });

  it('every expression built from strings passes', { timeout: 900_000 }, () => {
    expect(verdicts(BUILT.map((re, k) => ({ where: `built #${k}`, source: re.source, flags: re.flags })))).toEqual([]);
  });
});
