/**
 * Splits a regular expression into smaller ones whose worst cases bound its own, so a ReDoS
 * checker can take the analysis's long alternations piece by piece (whole, some time out).
 * Sound for a backtracking matcher: at each start position `A|B` tries A, then B, so its work
 * is at most A's plus B's; likewise `P(?:a|b)S` explores `PaS` and then `PbS` and no more.
 * Only unquantified groups are opened, never lookarounds, and only without backreferences.
 */

interface Span {
  /** index of '(' */
  open: number;
  /** index of the matching ')' */
  close: number;
  /** where the group's alternatives start (after `?:` or `?<name>`) */
  body: number;
}

/** Top-level alternatives of `src` (split on '|' outside groups and classes). */
export function alternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(from, i));
      from = i + 1;
    }
  }
  out.push(src.slice(from));
  return out;
}

/** Unquantified, non-lookaround groups at the top level of `src`. */
function openableGroups(src: string): Span[] {
  const out: Span[] = [];
  const stack: number[] = [];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') stack.push(i);
    else if (c === ')') {
      const open = stack.pop() as number;
      if (stack.length > 0) continue;
      const head = src.slice(open + 1, open + 4);
      if (/^\?(?:=|!|<=|<!)/.test(head)) continue;
      if (/^[*+?{]/.test(src.charAt(i + 1))) continue;
      const named = /^\?<[A-Za-z_$][\w$]*>/.exec(src.slice(open + 1));
      const body = head.startsWith('?:') ? open + 3 : named ? open + 1 + named[0].length : open + 1;
      out.push({ open, close: i, body });
    }
  }
  return out;
}

/** Is `s` one group from its first character to its last, unquantified ("(a|b)", not "(a)(b)" or "(a)?")? */
function wholeGroup(s: string): boolean {
  const g = openableGroups(s);
  return g.length === 1 && g[0]!.open === 0 && g[0]!.close === s.length - 1;
}

/** Pieces of `src`, each at most `limit` characters where it can be split, that together bound its worst case. */
export function pieces(src: string, limit = 300): string[] {
  if (/\\[1-9]|\\k</.test(src)) return [src];
  const out = new Set<string>();
  const visit = (s: string): void => {
    for (const alt of alternatives(s)) {
      if (alt.length <= limit) {
        out.add(alt);
        continue;
      }
      // open the longest group that has alternatives of its own
      const groups = openableGroups(alt)
        .map((g) => ({ g, inner: alternatives(alt.slice(g.body, g.close)) }))
        .filter((x) => x.inner.length > 1 || wholeGroup(x.inner[0] as string))
        .sort((a, b) => b.g.close - b.g.open - (a.g.close - a.g.open));
      const pick = groups[0];
      if (!pick) {
        out.add(alt);
        continue;
      }
      for (const a of pick.inner) visit(`${alt.slice(0, pick.g.open)}${wholeGroup(a) ? a : `(?:${a})`}${alt.slice(pick.g.close + 1)}`);
    }
  };
  visit(src);
  return [...out];
}
