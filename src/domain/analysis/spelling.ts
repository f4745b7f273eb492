/**
 * A small phonetic fallback for children's and phone spelling ("scard", "lisend", "poleece").
 * Words are reduced to a consonant skeleton (first letter kept, later vowels dropped, doubles
 * collapsed, a few sound rules), and an unknown word is looked up by its skeleton, exactly or
 * at one edit. Only used for words the lexicons do not already know.
 */

const VOWEL = /[aeiouy]/;

/** Ordinary words whose skeleton matches a different known word ("scored" ~ "scared", "close" ~ "class"). */
const FALSE_FRIENDS = new Set(
  `scored score scoring hearts heart lake look looked looks lucky hated hotel cried cared cares card
  carried carry wake woke slide slid letter later latter list lost least last sofa safety fearing fairy ferry fiery favour
  nose noise nurse gentleman jolly hopeful playful lovely kindle candle cuddly loaded lasted lifted helmet holder bleed blood blade
  blonde meant mental mentor motor model middle medal under order border garden guard gardens should shouldn shield hold held
  sound side sided seed seeds said sudden sadly silly sill sale sell spider spent spend sport split start stored story stories
  storys strict street stress stretch straight scratch scratching script saturday sunday tuesday thursday friday monday
  wednesday chess choose choosing chose drawing draw fourteen forty stairs stars stores think thinks thing things word words
  world ward wards wore weird fortnight frozen chance chase chose cheese dreading trading friends frend forgotten
  close closes closed closer looked looking looks word words wards classic clause kills calls cause`
    .trim()
    .split(/\s+/),
);

/**
 * Consonant skeleton of a lower-case word.
 * @example skeleton('scared') === skeleton('scard') // 'skrd'
 */
export function skeleton(word: string): string {
  const w = word.replace(/['\u2019]/g, '');
  let out = '';
  let last = '';
  const n = w.length;
  for (let i = 0; i < n; i++) {
    let ch = w.charAt(i);
    const next = w.charAt(i + 1);
    // sound rules, written as one pass: wh- kn- ph gh tch sch c/ck/q x z
    if (i === 0 && ((ch === 'w' && next === 'h') || (ch === 'k' && next === 'n'))) {
      if (ch === 'k') continue;
      out = last = 'w';
      i++;
      continue;
    }
    if (ch === 'p' && next === 'h') {
      ch = 'f';
      i++;
    } else if (ch === 'g' && next === 'h' && (i + 2 === n || w.charAt(i + 2) === 't')) {
      i++;
      continue;
    } else if (ch === 't' && next === 'c' && w.charAt(i + 2) === 'h') continue;
    else if (ch === 's' && next === 'c' && w.charAt(i + 2) === 'h') {
      out += last === 's' ? '' : 's';
      last = 's';
      ch = 'k';
      i += 2;
    } else if (ch === 'c') {
      if (next === 'e' || next === 'i' || next === 'y') ch = 's';
      else {
        ch = 'k';
        if (next === 'k') i++;
      }
    } else if (ch === 'q') ch = 'k';
    else if (ch === 'x') {
      if (last !== 'k') out += 'k';
      last = 'k';
      ch = 's';
    } else if (ch === 'z') ch = 's';
    if (out.length > 0 && (VOWEL.test(ch) || ch === last)) {
      if (!VOWEL.test(ch)) last = ch;
      continue;
    }
    out += ch;
    last = ch;
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
 * (with `oneEdit`, for known skeletons of five or more) one deletion apart. Words shorter than `minLength` are left
 * out: short skeletons collide with too many ordinary words.
 */
export function phoneticIndex<T>(entries: Iterable<[string, T]>, minLength = 5, oneEdit = false): (word: string) => T | undefined {
  // The skeletons are worked out on the first look-up, not when the module loads: every fresh isolate
  // loads the analysis, but only one that reads free text needs it (issue 15 item 5: cold start).
  const known = [...entries];
  const exact = new Map<string, [string, T][]>();
  const oneOff = new Map<string, [string, T][]>();
  const put = (m: Map<string, [string, T][]>, k: string, v: [string, T]): void => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  let built = false;
  const build = (): void => {
    built = true;
    for (const [word, value] of known) {
      if (word.length < minLength || word.includes(' ')) continue;
      const sk = skeleton(word);
      if (sk.length < 3) continue;
      put(exact, sk, [word, value]);
      if (oneEdit && sk.length >= 5) for (const d of deletions(sk)) put(oneOff, d, [word, value]);
    }
  };
  const pick = (word: string, list: [string, T][] | undefined): T | undefined => {
    if (!list) return undefined;
    for (const [known, value] of list) {
      if (known.slice(0, 2) === word.slice(0, 2) && Math.abs(known.length - word.length) <= 3) return value;
    }
    return undefined;
  };
  const look = (word: string): T | undefined => {
    if (word.length < 4 || /[^a-z]/.test(word) || FALSE_FRIENDS.has(word)) return undefined;
    if (!built) build();
    const sk = skeleton(word);
    if (sk.length < 3) return undefined;
    const hit = pick(word, exact.get(sk));
    if (hit !== undefined || !oneEdit || sk.length < 4 || word.length < 6) return hit;
    return pick(word, oneOff.get(sk)) ?? deletions(sk).reduce<T | undefined>((found, d) => found ?? pick(word, exact.get(d)), undefined);
  };
  // Vocabulary is Zipfian, so a small memo of recent answers saves most skeleton work.
  const memo = new Map<string, T | null>();
  return (word: string): T | undefined => {
    const seen = memo.get(word);
    if (seen !== undefined) return seen ?? undefined;
    const found = look(word);
    if (memo.size > 20000) memo.clear();
    memo.set(word, found ?? null);
    return found;
  };
}
