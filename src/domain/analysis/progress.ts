/**
 * Loops that cannot stall. Every scan in the analysis runs on text anyone can send, so a loop
 * that fails to move forward on one odd input freezes the Worker for everyone (issue 10: "5+7"
 * once looped for ever). Loops either have a shape that always moves (for-of, or a `for` whose
 * index only ever steps one way: tests/domain/analysis/loops.test.ts checks every loop in this
 * folder), or take their next position through `advance`, and regex scans go through `matchesOf`.
 */

/** Thrown, under test only, when a loop would not have moved. */
export class StalledLoopError extends Error {
  override name = 'StalledLoopError';
}

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
/** Under test a stall is a failure to see; in production the loop is pushed on by one and still ends. */
let strict = env?.VITEST !== undefined || env?.NODE_ENV === 'test';

/** Makes a stall throw (tests) or step on by one (production). Returns the previous setting. */
export function strictLoops(on: boolean): boolean {
  const was = strict;
  strict = on;
  return was;
}

/**
 * The next position of a scanning loop: `next` when it lies past `at`; otherwise the loop is
 * stuck, which throws under test and moves on by one character in production.
 * @example i = advance(i, groupEnd, 'phone numbers')
 */
export function advance(at: number, next: number, where: string): number {
  if (next > at) return next;
  if (strict) throw new StalledLoopError(`${where}: the loop did not move past ${at} (next ${next})`);
  return at + 1;
}

/**
 * Every match of a global regular expression over `text`, from the start. A zero-length match
 * moves on by one character (one code point with the `u` flag), so the scan always ends; the
 * expression's `lastIndex` is reset first, so a scan broken off early leaves no trace in the next.
 * @example for (const m of matchesOf(/\d+/g, 'a1b22')) console.log(m[0]) // '1', '22'
 */
export function* matchesOf(re: RegExp, text: string): Generator<RegExpExecArray, void, undefined> {
  if (!re.global) throw new TypeError(`matchesOf needs a global expression: /${re.source}/${re.flags}`);
  re.lastIndex = 0;
  let at = -1;
  for (;;) {
    const m = re.exec(text);
    if (m === null) return;
    if (m[0].length === 0) {
      const c = text.charCodeAt(m.index);
      re.lastIndex = m.index + (re.unicode && c >= 0xd800 && c <= 0xdbff ? 2 : 1);
    }
    at = advance(at, re.lastIndex, `/${re.source.slice(0, 40)}/`);
    re.lastIndex = at;
    yield m;
  }
}
