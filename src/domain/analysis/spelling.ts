/**
 * A small phonetic fallback for children's and phone spelling ("scard", "lisend", "poleece").
 * Words are reduced to a consonant skeleton (first letter kept, later vowels dropped, doubles
 * collapsed, a few sound rules), and an unknown word is looked up by its skeleton, exactly or
 * at one edit. Only used for words the lexicons do not already know.
 */

const VOWEL = /[aeiouy]/;

/**
 * Consonant skeleton of a lower-case word.
 * @example skeleton('scared') === skeleton('scard') // 'skrd'
 */
export function skeleton(word: string): string {
  const w = word
    .replace(/['\u2019]/g, '')
    .replace(/^wh/, 'w')
    .replace(/^kn/, 'n')
    .replace(/ph/g, 'f')
    .replace(/gh(?=t)|gh$/g, '')
    .replace(/tch/g, 'ch')
    .replace(/sch/g, 'sk')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/ck|c|q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/z/g, 's');
  let out = w.charAt(0);
  for (let i = 1; i < w.length; i++) {
    const ch = w.charAt(i);
    if (VOWEL.test(ch) || ch === out.charAt(out.length - 1)) continue;
    out += ch;
  }
  return out;
}

function deletions(s: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/**
 * Builds a lookup from the skeletons of known words. A word matches a known word when both share
 * their first two letters, differ in length by at most three, and their skeletons are equal or
 * (with `oneEdit`, for skeletons of five or more) one deletion apart. Words shorter than `minLength` are left
 * out: short skeletons collide with too many ordinary words.
 */
export function phoneticIndex<T>(entries: Iterable<[string, T]>, minLength = 5, oneEdit = false): (word: string) => T | undefined {
  const exact = new Map<string, [string, T][]>();
  const oneOff = new Map<string, [string, T][]>();
  const put = (m: Map<string, [string, T][]>, k: string, v: [string, T]): void => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const [word, value] of entries) {
    if (word.length < minLength || word.includes(' ')) continue;
    const sk = skeleton(word);
    if (sk.length < 3) continue;
    put(exact, sk, [word, value]);
    if (oneEdit && sk.length >= 5) for (const d of deletions(sk)) put(oneOff, d, [word, value]);
  }
  const pick = (word: string, list: [string, T][] | undefined): T | undefined => {
    if (!list) return undefined;
    for (const [known, value] of list) {
      if (known.slice(0, 2) === word.slice(0, 2) && Math.abs(known.length - word.length) <= 3) return value;
    }
    return undefined;
  };
  return (word: string): T | undefined => {
    if (word.length < 4 || /[^a-z]/.test(word)) return undefined;
    const sk = skeleton(word);
    if (sk.length < 3) return undefined;
    const hit = pick(word, exact.get(sk));
    if (hit !== undefined || !oneEdit || sk.length < 5 || word.length < 6) return hit;
    return pick(word, oneOff.get(sk)) ?? deletions(sk).reduce<T | undefined>((found, d) => found ?? pick(word, exact.get(d)), undefined);
  };
}
