/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { advance, matchesOf, StalledLoopError, strictLoops } from '../../../src/domain/analysis/progress';

/**
 * Every loop in src/domain/analysis/ must provably move forward (issue 10: findNumbers stood
 * still on "5+7" and froze the Worker). Read from the source, so a new loop cannot slip in:
 *  - `while`/`do` only as a scan: the body is one step of a counter the condition tests
 *    (`while (k < len && isDigit(…)) k++`);
 *  - `for` with a condition on its counter and a step that only goes one way (`i++`, `k--`,
 *    `j += 2`, or `i = advance(i, next, …)`, which never goes back); the body may only step
 *    the counter further the same way;
 *  - `for…of` and `for…in` always end; regex scans use `matchesOf`, never `exec` in a loop header.
 * progress.ts holds the guard itself and is tested directly below.
 */

const DIR = new URL('../../../src/domain/analysis/', import.meta.url).pathname;

type Step = 'up' | 'down' | 'advance';

/** The counter and direction of `x++`, `--x`, `x += 2`, `x -= 1`, `x = advance(x, …)`; null for anything else. */
function stepOf(e: ts.Expression): { name: string; step: Step } | null {
  if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && ts.isIdentifier(e.operand)) {
    if (e.operator === ts.SyntaxKind.PlusPlusToken) return { name: e.operand.text, step: 'up' };
    if (e.operator === ts.SyntaxKind.MinusMinusToken) return { name: e.operand.text, step: 'down' };
  }
  if (ts.isBinaryExpression(e) && ts.isIdentifier(e.left)) {
    const positive = ts.isNumericLiteral(e.right) && Number(e.right.text) > 0;
    if (e.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && positive) return { name: e.left.text, step: 'up' };
    if (e.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken && positive) return { name: e.left.text, step: 'down' };
    const r = e.right;
    if (e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isCallExpression(r) && ts.isIdentifier(r.expression) && r.expression.text === 'advance') {
      const first = r.arguments[0];
      if (first && ts.isIdentifier(first) && first.text === e.left.text) return { name: e.left.text, step: 'advance' };
    }
  }
  return null;
}

const mentions = (node: ts.Node, name: string): boolean => {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
};

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
]);

/** Writes to `name` inside `body` that could move it backwards (or anywhere, for an advance loop). */
function badWrites(body: ts.Node, name: string, step: Step): ts.Node[] {
  const bad: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    const writes =
      (ts.isBinaryExpression(n) && ASSIGNMENTS.has(n.operatorToken.kind) && ts.isIdentifier(n.left) && n.left.text === name) ||
      ((ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) &&
        ts.isIdentifier(n.operand) &&
        n.operand.text === name &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken));
    if (writes) {
      const s = stepOf(n as ts.Expression);
      if (step === 'advance' || !s || s.step !== step) bad.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return bad;
}

const hasExec = (node: ts.Node | undefined): boolean => {
  if (!node) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'exec') found = true;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
};

/** Loops in `source` that are not shown to move forward, as "line: reason". */
function stallableLoops(source: string, file = 'input.ts'): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const report = (n: ts.Node, why: string): void => {
    out.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${why}: ${n.getText().split('\n')[0]!.slice(0, 100)}`);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isWhileStatement(n) || ts.isDoStatement(n)) {
      const body = ts.isBlock(n.statement) && n.statement.statements.length === 1 ? n.statement.statements[0]! : n.statement;
      const s = ts.isExpressionStatement(body) ? stepOf(body.expression) : null;
      if (!s || s.step === 'advance' || !mentions(n.expression, s.name)) report(n, 'a while loop must be a scan: one step of a counter its condition tests');
      if (hasExec(n.expression)) report(n, 'regex exec in a loop condition: use matchesOf');
    } else if (ts.isForStatement(n)) {
      const s = n.incrementor ? stepOf(n.incrementor) : null;
      if (!s) report(n, 'a for loop needs a one-way step (i++, k--, j += 2, i = advance(i, …))');
      else if (!n.condition || !mentions(n.condition, s.name)) report(n, `the condition must test the counter ${s.name}`);
      else for (const w of badWrites(n.statement, s.name, s.step)) report(w, `the body moves the counter ${s.name} against its step`);
      if (hasExec(n.initializer) || hasExec(n.condition) || hasExec(n.incrementor)) report(n, 'regex exec in a loop header: use matchesOf');
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'progress.ts');

describe('every loop in src/domain/analysis moves forward', () => {
  it('finds the analysis modules', () => {
    expect(files).toEqual(
      expect.arrayContaining(['redact.ts', 'normalise.ts', 'net.ts', 'cues.ts', 'disclosure.ts', 'sentiment.ts', 'themes.ts', 'tokens.ts', 'spelling.ts']),
    );
  });

  it.each(files)('%s has no loop that can stand still', (file) => {
    expect(stallableLoops(readFileSync(DIR + file, 'utf8'), file)).toEqual([]);
  });

  it('catches the loop that hung on "5+7" before issue 10', () => {
    const original = `
      function findNumbers(t, out) {
        let i = 0;
        while (i < len) {
          const c = t.charCodeAt(i);
          if (!isDigit(c) && !plus) { i++; continue; }
          if (i > 0 && isAlnumCode(t.charCodeAt(i - 1))) {
            while (i < len && isAlnumCode(t.charCodeAt(i))) i++;
            continue;
          }
          i = Math.max(last.e, i + 1);
        }
      }`;
    expect(stallableLoops(original)).toEqual([expect.stringContaining('a while loop must be a scan')]);
  });

  it('catches a regex scan that a zero-length match would stall, and a counter moved backwards', () => {
    expect(stallableLoops('for (let m = re.exec(t); m; m = re.exec(t)) out.push(m);')).toEqual([
      expect.stringContaining('one-way step'),
      expect.stringContaining('regex exec in a loop header'),
    ]);
    expect(stallableLoops('for (let i = 0; i < n; i++) { if (x) i--; }')).toEqual([expect.stringContaining('against its step')]);
    expect(stallableLoops('for (let i = 0; i < n; i = advance(i, next, "x")) { i = 0; }')).toEqual([expect.stringContaining('against its step')]);
    expect(stallableLoops('for (;;) {}')).toEqual([expect.stringContaining('one-way step')]);
    expect(stallableLoops('for (let i = 0; i < n; i++) { i += 2; } while (k < n && ok(k)) k++; for (const x of xs) f(x);')).toEqual([]);
  });
});

describe('advance and matchesOf', () => {
  afterEach(() => {
    strictLoops(true);
  });

  it('advance returns the next position when it lies ahead', () => {
    expect(advance(3, 7, 'test')).toBe(7);
  });

  it('a loop that does not move throws under test, naming where', () => {
    strictLoops(true);
    const stuck = (): number => {
      let steps = 0;
      // the shape of the old findNumbers on "+": the next position never passes the '+'
      for (let i = 0; i < 5; i = advance(i, i, 'phone numbers')) steps++;
      return steps;
    };
    expect(stuck).toThrow(StalledLoopError);
    expect(stuck).toThrow(/phone numbers: the loop did not move past 0/);
  });

  it('in production a stuck loop is pushed on by one and still ends', () => {
    strictLoops(false);
    let steps = 0;
    for (let i = 0; i < 5; i = advance(i, i, 'phone numbers')) steps++;
    expect(steps).toBe(5);
  });

  it('is strict under vitest by default', () => {
    const was = strictLoops(true);
    expect(was).toBe(true);
  });

  it('matchesOf moves past zero-length matches (by code point with u) and ends', () => {
    expect([...matchesOf(/x*/g, 'abc')].map((m) => m.index)).toEqual([0, 1, 2, 3]);
    expect([...matchesOf(/(?:)/gu, '😊a')].map((m) => m.index)).toEqual([0, 2, 3]);
    expect([...matchesOf(/\d+/g, 'a1b22')].map((m) => m[0])).toEqual(['1', '22']);
  });

  it('matchesOf starts from the beginning even after a scan was broken off', () => {
    const re = /\d/g;
    for (const m of matchesOf(re, '123')) if (m[0] === '2') break;
    expect([...matchesOf(re, '45')].map((m) => m[0])).toEqual(['4', '5']);
  });

  it('matchesOf refuses an expression without the g flag, which exec would never move', () => {
    expect(() => [...matchesOf(/\d/, '1')]).toThrow(TypeError);
  });
});
