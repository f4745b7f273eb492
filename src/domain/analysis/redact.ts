import { COMMON, NAMED_THINGS, FAMILY_TITLES, FIRST_NAMES, MONTH_NAMES, NOT_PEOPLE, PERSON_VERBS, RANKS, ROLE_CUES, STOP, TITLES, WORD_NAMES } from './lexicon';
import { normalise, toOriginal } from './normalise';
import { pattern } from './patterns';
import { advance, matchesOf } from './progress';
import { isOpinionWord } from './sentiment';
import { tokenise, type Token } from './tokens';
import type { PiiKind, PiiSpan } from './types';

interface Found {
  kind: PiiKind;
  s: number;
  e: number;
}

/** Higher-priority kinds win when two detections overlap. */
const PRIORITY: PiiKind[] = ['email', 'url', 'handle', 'ni-number', 'nhs-number', 'phone', 'postcode', 'date-of-birth', 'address', 'name'];

const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
const PLACEHOLDER = /\[(?:name|phone|email|postcode|address|date-of-birth|nhs-number|ni-number|url|handle)\]/g;

// ---------------------------------------------------------------- numbers

/** Helplines and service numbers are never personal data. */
const SERVICE_NUMBERS = new Set([
  '999',
  '101',
  '111',
  '08001111',
  '116123',
  '85258',
  '08088005000',
  '08000684141',
  '08088025544',
  '08457909090',
  '116111',
  '116000',
]);
const NON_PERSONAL_PREFIX = /^(?:080|03|084|087|09)/;
const SEPARATORS = new Set([' ', '-', ' - ', '.', '(', ')', ') ', ' (', ' -', '- ']);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnumCode = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

interface Group {
  s: number;
  e: number;
  d: string;
}

function classifyDigits(d: string, plus: boolean, firstGroupLen: number, before: string): PiiKind | null {
  if (SERVICE_NUMBERS.has(d)) return null;
  let p = d;
  if (p.startsWith('0044')) p = `0${p.slice(4)}`;
  else if (p.startsWith('44') && (plus || p.length >= 12)) p = `0${p.slice(2)}`;
  if (p.startsWith('00')) p = p.slice(1); // +44 (0)7700…
  if (p.startsWith('0')) {
    if ((p.length === 10 || p.length === 11) && !NON_PERSONAL_PREFIX.test(p)) return 'phone';
    return null;
  }
  if (p.length === 10) {
    if (/nhs/i.test(before)) return 'nhs-number';
    if (p.startsWith('7') && firstGroupLen === 4) return 'phone';
    return 'nhs-number';
  }
  return null;
}

/** A run of digits and o/O (letter o for zero: "o7700 900321"). */
const DIGIT_RUN = /[0-9oO]+/g;
const O_BESIDE_DIGIT = /[0-9][oO]|[oO][0-9]/;
const LETTER = /\p{L}/u;

/**
 * The text with each o or O that sits inside a run of digits read as 0, the same length so
 * offsets hold. Only a run that holds a digit and is not glued to other letters counts: "o7700
 * 900321" is a number, "too", "go2" and "Year7o" are not.
 */
function digitView(t: string): string {
  if (!O_BESIDE_DIGIT.test(t)) return t;
  return t.replace(DIGIT_RUN, (run: string, at: number) =>
    /[oO]/.test(run) && /[0-9]/.test(run) && !LETTER.test(t.charAt(at - 1)) && !LETTER.test(t.charAt(at + run.length)) ? run.replace(/[oO]/g, '0') : run,
  );
}

function findNumbers(t: string, out: Found[]): void {
  const d = digitView(t);
  const len = d.length;
  let next = 0;
  for (let i = 0; i < len; i = advance(i, next, 'phone numbers')) {
    next = i + 1;
    const c = d.charCodeAt(i);
    const plus = c === 43 && i + 1 < len && isDigit(d.charCodeAt(i + 1));
    if (!isDigit(c) && !plus) continue;
    // digits glued to a word ("Year7", "A1") are not a number: skip the rest of the word. A '+'
    // always opens one, whatever comes before it ("me+44 7700 900123"; "5+7" is just too short).
    if (!plus && i > 0 && isAlnumCode(d.charCodeAt(i - 1))) {
      for (next = i + 1; next < len && isAlnumCode(d.charCodeAt(next)); next++);
      continue;
    }
    const groups: Group[] = [];
    let total = 0;
    let m = 0;
    for (let j = plus ? i + 1 : i; j < len; j = advance(j, m, 'phone number groups')) {
      let k = j;
      while (k < len && isDigit(d.charCodeAt(k))) k++;
      if (k === j) break;
      groups.push({ s: j, e: k, d: d.slice(j, k) });
      total += k - j;
      if (total > 16) break;
      m = k;
      while (m < len && m - k < 3 && ' -.()'.includes(d.charAt(m))) m++;
      if (m === k || m >= len || !isDigit(d.charCodeAt(m)) || !SEPARATORS.has(d.slice(k, m))) break;
    }
    const last = groups[groups.length - 1] as Group;
    // a number glued to letters ("3pm", "5tb") is not a phone number
    const glued = last.e < len && isAlnumCode(d.charCodeAt(last.e));
    if (!glued) classifyGroups(t, groups, plus ? i : -1, out);
    next = last.e;
  }
}

function classifyGroups(t: string, groups: Group[], plusAt: number, out: Found[]): void {
  // the whole run first, then shorter runs (two numbers written side by side)
  for (let a = 0; a < groups.length; a++) {
    for (let b = groups.length - 1; b >= a; b--) {
      const g0 = groups[a] as Group;
      const g1 = groups[b] as Group;
      let d = '';
      for (let k = a; k <= b; k++) d += (groups[k] as Group).d;
      if (d.length < 10) break;
      const plus = a === 0 && plusAt >= 0;
      const start = plus ? plusAt : g0.s;
      const kind = classifyDigits(d, plus, g0.d.length, t.slice(Math.max(0, start - 40), start));
      if (kind) {
        out.push({ kind, s: start, e: g1.e });
        if (b < groups.length - 1) classifyGroups(t, groups.slice(b + 1), -1, out);
        return;
      }
    }
  }
}

// Maps, not object literals: "constructor" or "toString" in a text must not read as a digit word.
const DIGIT_WORDS = new Map(
  Object.entries({
    zero: '0',
    oh: '0',
    o: '0',
    nought: '0',
    nil: '0',
    one: '1',
    two: '2',
    three: '3',
    four: '4',
    five: '5',
    six: '6',
    seven: '7',
    eight: '8',
    nine: '9',
  }),
);
const REPEAT_WORDS = new Map(Object.entries({ double: 2, triple: 3, treble: 3 }));

/** Phone numbers written in words: "oh seven seven double oh nine …". */
function findSpelledNumbers(toks: Token[], out: Found[]): void {
  let next = 0;
  for (let i = 0; i < toks.length; i = advance(i, next, 'spelled numbers')) {
    let digits = 0;
    let words = 0;
    let lastEnd = -1;
    let j = i;
    for (; j < toks.length; j++) {
      const tk = toks[j] as Token;
      if (j > i && !/^[\s,-]{1,3}$/.test(tk.gap)) break;
      const rep = REPEAT_WORDS.get(tk.low);
      if (rep !== undefined) {
        const repeated = toks[j + 1];
        if (!repeated || !DIGIT_WORDS.has(repeated.low)) break;
        digits += rep;
        words += 2;
        lastEnd = repeated.e;
        j++; // the digit word "double" repeats
        continue;
      }
      if (DIGIT_WORDS.has(tk.low)) {
        digits += 1;
        words += 1;
      } else if (/^\d{1,5}$/.test(tk.low)) {
        digits += tk.low.length;
      } else break;
      lastEnd = tk.e;
    }
    if (digits >= 10 && words >= 4) out.push({ kind: 'phone', s: (toks[i] as Token).s, e: lastEnd });
    next = Math.max(i + 1, j);
  }
}

// ---------------------------------------------------------------- email, url, handle

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;

const AT = /@/g;

function findAt(t: string, out: Found[]): void {
  // every '@' in turn: DOMAIN_CHAR stops at the next one, so none is passed over
  for (const { index: at } of matchesOf(AT, t)) {
    let l = at;
    while (l > 0 && LOCAL_CHAR.test(t.charAt(l - 1))) l--;
    let r = at + 1;
    while (r < t.length && DOMAIN_CHAR.test(t.charAt(r))) r++;
    while (r > at + 1 && (t.charAt(r - 1) === '.' || t.charAt(r - 1) === '-')) r--;
    const domain = t.slice(at + 1, r);
    if (l < at && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain)) {
      out.push({ kind: 'email', s: l, e: at + 1 + domain.length });
    } else if (l === at) {
      let h = at + 1;
      while (h < t.length && /[A-Za-z0-9._]/.test(t.charAt(h))) h++;
      while (h > at + 1 && t.charAt(h - 1) === '.') h--;
      if (h - at > 2) out.push({ kind: 'handle', s: at, e: h });
    }
  }
}

const TLDS = new Set([
  'com',
  'uk',
  'org',
  'net',
  'io',
  'me',
  'wales',
  'cymru',
  'info',
  'biz',
  'ly',
  'tv',
  'app',
  'blog',
  'co',
  'ie',
  'eu',
  'site',
  'online',
  'xyz',
]);
/** Websites of services and platforms are not personal data (a page on them may be). */
const SERVICE_HOSTS = [
  'nspcc.org.uk',
  'childline.org.uk',
  'kooth.com',
  'youngminds.org.uk',
  'samaritans.org',
  'giveusashout.org',
  'papyrus-uk.org',
  'nhs.uk',
  'gov.uk',
  'gov.wales',
  'llyw.cymru',
  'mind.org.uk',
  'barnardos.org.uk',
  'meiccymru.org',
  'thinkuknow.co.uk',
  'ceop.police.uk',
  'police.uk',
  'actionforchildren.org.uk',
  'familylives.org.uk',
  'citizensadvice.org.uk',
  'shelter.org.uk',
  'mencap.org.uk',
  'autism.org.uk',
  'stepchange.org',
  'refuge.org.uk',
  'womensaid.org.uk',
  'gingerbread.org.uk',
  'kidscape.org.uk',
  'bullying.co.uk',
  'dewis.wales',
  'hwb.gov.wales',
];
const PLATFORM_HOSTS = [
  'facebook.com',
  'instagram.com',
  'tiktok.com',
  'youtube.com',
  'twitter.com',
  'x.com',
  'google.com',
  'snapchat.com',
  'discord.com',
  'roblox.com',
  'linkedin.com',
  'blogspot.com',
  'wordpress.com',
];
const hostIs = (host: string, list: string[]): boolean => list.some((h) => host === h || host.endsWith(`.${h}`));

const CHUNK = /\S+/g;

function findUrls(t: string, out: Found[]): void {
  for (const m of matchesOf(CHUNK, t)) {
    let s = m.index;
    let e = s + m[0].length;
    while (s < e && '(<["\''.includes(t.charAt(s))) s++;
    while (e > s && '.,;:!?)>]"\''.includes(t.charAt(e - 1))) e--;
    const c = t.slice(s, e);
    if (c.length < 4 || c.includes('@')) continue;
    const scheme = /^(?:https?:\/\/|www\.)/i.test(c);
    const rest = c.replace(/^https?:\/\//i, '');
    const slash = rest.indexOf('/');
    const host = (slash === -1 ? rest : rest.slice(0, slash)).toLowerCase().replace(/^www\./, '');
    const path = slash === -1 ? '' : rest.slice(slash + 1);
    if (!/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(host)) continue;
    const tld = host.slice(host.lastIndexOf('.') + 1);
    if (!scheme && !TLDS.has(tld)) continue;
    if (hostIs(host, SERVICE_HOSTS)) continue;
    if (hostIs(host, PLATFORM_HOSTS) && /^\/*$/.test(path) && host.split('.').length <= 2) continue;
    out.push({ kind: 'url', s, e });
  }
}

const PLATFORMS = new Set([
  'snap',
  'snapchat',
  'sc',
  'insta',
  'instagram',
  'ig',
  'tiktok',
  'tt',
  'twitter',
  'discord',
  'kik',
  'yubo',
  'threads',
  'psn',
  'gamertag',
  'xbox',
  'roblox',
  'username',
  'handle',
]);

/** "snap: lil_k09", "my insta is jay.x", "add me on snap lil_k09". */
function findPlatformHandles(t: string, toks: Token[], out: Found[]): void {
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i] as Token;
    if (!PLATFORMS.has(tk.low)) continue;
    const m = /^\s*(?:(:|-|=|is|name is|username is|handle is|name|id|on)\s*)?@?([A-Za-z0-9][A-Za-z0-9._]{1,29})/.exec(t.slice(tk.e, tk.e + 60));
    if (!m) continue;
    const raw = m[2] as string;
    let he = raw.length;
    while (he > 0 && raw.charAt(he - 1) === '.') he--;
    const handle = raw.slice(0, he);
    const sep = m[1] ?? '';
    const low = handle.toLowerCase();
    const handleLike = /[_.\d]/.test(handle) || (sep !== '' && sep !== 'on' && !STOP.has(low) && !NOT_PEOPLE.has(low));
    if (!handleLike || STOP.has(low)) continue;
    const s = tk.e + (m[0].length - (m[2] as string).length);
    out.push({ kind: 'handle', s, e: s + handle.length });
  }
}

const TLD_WORDS = new Set(['uk', 'com', 'org', 'net', 'wales', 'cymru', 'co', 'ie', 'io']);

/** "name at hotmail dot co dot uk". */
function findSpelledEmails(toks: Token[], out: Found[]): void {
  for (let i = 1; i < toks.length - 3; i++) {
    if ((toks[i] as Token).low !== 'at') continue;
    let j = i + 1;
    let dots = 0;
    for (; j + 2 < toks.length + 1 && toks[j + 1]?.low === 'dot' && toks[j + 2]; j += 2) dots++;
    if (dots === 0 || !TLD_WORDS.has((toks[j] as Token).low)) continue;
    let l = i - 1;
    while (l >= 2 && ['dot', 'underscore', 'dash', 'hyphen'].includes((toks[l - 1] as Token).low)) l -= 2;
    out.push({ kind: 'email', s: (toks[l] as Token).s, e: (toks[j] as Token).e });
  }
}

// ---------------------------------------------------------------- postcode, NI, dates

const AREAS = new Set(
  'AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE'.split(
    ' ',
  ),
);
const POSTCODE = /\b([A-Za-z]{1,2})(\d[A-Za-z\d]?) ?(\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})\b/g;

function findPostcodes(t: string, out: Found[]): void {
  for (const m of matchesOf(POSTCODE, t)) {
    if (AREAS.has((m[1] as string).toUpperCase())) out.push({ kind: 'postcode', s: m.index, e: m.index + m[0].length });
  }
}

const NI = /\b[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]\b/g;

function findNi(t: string, out: Found[]): void {
  for (const m of matchesOf(NI, t)) out.push({ kind: 'ni-number', s: m.index, e: m.index + m[0].length });
}

const MONTH = 'jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december';
const NUMERIC_DATE = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/g;
const WORD_DATE = pattern(`\\b\\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:${MONTH})\\.?,?(?: \\d{4}| '?\\d{2}\\b)?\\b`, 'gi');
const US_DATE = pattern(`\\b(?:${MONTH}) \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}\\b`, 'gi');
const MONTH_YEAR = pattern(`\\b(?:${MONTH}) (?:19|20)\\d{2}\\b`, 'gi');
const DOB_BEFORE = /(?:\bborn\b|\bdob\b|d\.o\.b\.?|date of birth|birth ?date|birthday|\bb'?day\b|\bb-day\b)[^.!?\n]{0,40}$/i;
const DOB_AFTER = /^[^.!?\n]{0,25}\b(?:birthday|dob|date of birth|born)\b/i;

function findDates(t: string, out: Found[]): void {
  const consider = (s: number, e: number, hasYear: boolean): void => {
    const before = t.slice(Math.max(0, s - 60), s);
    const after = t.slice(e, e + 30);
    const cue = DOB_BEFORE.test(before) || DOB_AFTER.test(after);
    if (cue && (hasYear || /born|dob|d\.o\.b|date of birth|birthday/i.test(before))) out.push({ kind: 'date-of-birth', s, e });
  };
  for (const m of matchesOf(NUMERIC_DATE, t)) {
    const d = Number(m[1]);
    const mo = Number(m[2]);
    if (d >= 1 && d <= 31 && mo >= 1 && mo <= 12) consider(m.index, m.index + m[0].length, true);
  }
  // "born in march 2015": a month and year is a date of birth only right after "born"
  for (const m of matchesOf(MONTH_YEAR, t)) {
    if (/\b(?:born|dob|d\.o\.b\.?|date of birth)\s*(?:(?:in|on|:|-)\s*)?$/i.test(t.slice(Math.max(0, m.index - 25), m.index)))
      out.push({ kind: 'date-of-birth', s: m.index, e: m.index + m[0].length });
  }
  for (const re of [WORD_DATE, US_DATE]) {
    for (const m of matchesOf(re, t)) consider(m.index, m.index + m[0].length, /\d{2,4}\s*$/.test(m[0]) && /\D\d{2,4}$/.test(m[0].trim()));
  }
}

// ---------------------------------------------------------------- addresses and schools

const STREET_SUFFIX = new Set(
  'road rd street st avenue ave lane ln close drive dr way court ct crescent cres place pl terrace terr grove gardens gdns park hill view walk row square sq mews rise parade green vale meadow meadows croft fold bank heights wharf gate path boulevard chase grange brow lea villas cottages estate'.split(
    ' ',
  ),
);
const STREET_PREFIX = new Set('heol ffordd stryd lon lôn rhodfa maes cae bryn ffordd'.split(' '));
const WELSH_ARTICLE = new Set(['y', 'yr']);
/** Words that show a number is a quantity, not a house number ("5 hours in the car park"). */
const NOT_STREET_WORD = new Set(
  'hours hour mins minutes weeks days months years times kids children people bus buses miles minute week day month year am pm of the a in at on to for and or with by from my our his her their is was car floor'.split(
    ' ',
  ),
);

const tokIsPlaceholder = (t: string, tk: Token): boolean => t.charAt(tk.s - 1) === '[' && t.charAt(tk.e) === ']';

/** End offset of a street name starting at token k ("Brook St", "Maple Close"), or -1. */
function streetAfter(toks: Token[], k: number): number {
  for (let j = k; j < toks.length && j <= k + 3; j++) {
    const w = toks[j] as Token;
    if (!/^ {1,2}$/.test(w.gap)) return -1;
    if (j > k && STREET_SUFFIX.has(w.low.replace(/\.$/, ''))) return w.e;
    if (NOT_STREET_WORD.has(w.low) || !/^\p{L}[\p{L}'-]*$/u.test(w.raw) || (STOP.has(w.low) && !w.cap)) return -1;
  }
  return -1;
}

function findAddresses(_t: string, toks: Token[], out: Found[]): void {
  for (let i = 0; i < toks.length - 1; i++) {
    const num = toks[i] as Token;
    if (!/^\d{1,4}[a-z]?$/.test(num.low)) continue;
    const before = toks[i - 1];
    // "number 12 on Brook St": the house number, then the street after "on"/"in"
    if (before && /^(?:number|no)$/.test(before.low) && /^(?:on|in|off)$/.test(toks[i + 1]?.low ?? '')) {
      const streetEnd = streetAfter(toks, i + 2);
      if (streetEnd !== -1) out.push({ kind: 'address', s: before.s, e: streetEnd });
      continue;
    }
    if (before && /^(?:year|yr|room|bus|age|aged|page|number|no|level|step|week|day|class)$/.test(before.low)) continue;
    let end = -1;
    const first = toks[i + 1] as Token;
    if (!/^[\s,]{1,2}$/.test(first.gap)) continue;
    if (STREET_PREFIX.has(first.low)) {
      let k = i + 2;
      let taken = 0;
      for (; k < toks.length && taken < 3 && /^ $/.test((toks[k] as Token).gap) && !STOP.has((toks[k] as Token).low.replace(/^y$|^yr$/, '')); k++) {
        const w = (toks[k] as Token).low;
        end = (toks[k] as Token).e;
        taken++;
        if (!WELSH_ARTICLE.has(w)) break;
      }
      if (taken === 0) continue;
    } else {
      for (let k = i + 1; k < toks.length && k <= i + 4; k++) {
        const w = toks[k] as Token;
        if (k > i + 1 && !/^ {1,2}$/.test(w.gap)) break;
        if (k > i + 1 && STREET_SUFFIX.has(w.low.replace(/\.$/, ''))) {
          end = w.e;
          break;
        }
        if (NOT_STREET_WORD.has(w.low) || !/^\p{L}[\p{L}'-]*$/u.test(w.raw) || (STOP.has(w.low) && !w.cap)) break;
      }
    }
    if (end === -1) continue;
    let start = num.s;
    const p1 = toks[i - 1];
    const p2 = toks[i - 2];
    if (p2 && p1 && /^(?:flat|apartment|apt|unit)$/.test(p2.low) && /^\d{1,4}[a-z]?$/.test(p1.low) && /^[\s,]{1,2}$/.test(num.gap)) start = p2.s;
    else if (p1 && /^(?:flat|apartment|apt|unit|no)$/.test(p1.low)) start = p1.s;
    out.push({ kind: 'address', s: start, e: end });
  }
}

const SCHOOL_WORDS = new Set('primary junior juniors infant infants secondary high academy grammar comprehensive college school'.split(' '));
const SCHOOL_PREFIX = new Set(['ysgol', 'coleg']);
const GENERIC_SCHOOL_WORDS = new Set(
  'the my our a an his her their this that new old local big little welsh english special catholic church faith free state private boarding secondary primary high junior infant mainstream village st saint'.split(
    ' ',
  ),
);

/** A named school locates a child: "St Teilo's High School", "Ysgol Bro Dinefwr". */
function findSchools(_t: string, toks: Token[], out: Found[]): void {
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i] as Token;
    if (SCHOOL_PREFIX.has(tk.low)) {
      let k = i + 1;
      let end = -1;
      // Welsh school names use words that are also English slang ('Bro' is a region: Ysgol Bro Dinefwr)
      for (
        ;
        k < toks.length && k <= i + 3 && /^ $/.test((toks[k] as Token).gap) && (!STOP.has((toks[k] as Token).low) || (toks[k] as Token).low === 'bro');
        k++
      ) {
        end = (toks[k] as Token).e;
      }
      if (end !== -1) out.push({ kind: 'address', s: tk.s, e: end });
      continue;
    }
    if (!SCHOOL_WORDS.has(tk.low) || i === 0) continue;
    let k = i - 1;
    let named = false;
    for (; k >= 0 && k >= i - 4; k--) {
      const w = toks[k] as Token;
      const gapOk = /^ $/.test((toks[k + 1] as Token).gap);
      if (WELSH_ARTICLE.has(w.raw) && gapOk && k > 0 && (toks[k - 1] as Token).cap) continue;
      if (!gapOk || !w.cap || STOP.has(w.low) || SCHOOL_WORDS.has(w.low)) {
        if (!(w.cap && (w.low === 'st' || w.low === 'saint') && gapOk)) break;
      }
      if (!GENERIC_SCHOOL_WORDS.has(w.low) && !NOT_PEOPLE.has(w.low)) named = true;
      if (NOT_PEOPLE.has(w.low) && !/^(?:welsh|english|catholic)$/.test(w.low)) named = true;
    }
    if (!named || k === i - 1) continue;
    let end = tk.e;
    const next = toks[i + 1];
    if (next && next.low === 'school' && /^ $/.test(next.gap) && tk.low !== 'school') end = next.e;
    out.push({ kind: 'address', s: (toks[k + 1] as Token).s, e: end });
  }
}

// ---------------------------------------------------------------- names

const POSSESSIVE = /['\u2019]s$/i;

function nameEnd(tk: Token): number {
  return POSSESSIVE.test(tk.raw) ? tk.e - 2 : tk.e;
}

const bare = (tk: Token): string => tk.low.replace(POSSESSIVE, '');

const COMMON_NOUN_ENDING = /^\p{L}{3,}(?:ing|tion|sion|ment|ness|ship|ance|ence|ity|ism|ology|ies|ices)$/u;

function isCapName(tk: Token): boolean {
  const w = bare(tk);
  // a capitalised first word shaped like a common noun ("Housing said", "Counselling helped") is not a name
  if (tk.sentStart && !FIRST_NAMES.has(w) && COMMON_NOUN_ENDING.test(w)) return false;
  return (
    tk.cap &&
    /^\p{Lu}[\p{L}'-]*$/u.test(tk.raw) &&
    !STOP.has(w) &&
    !NOT_PEOPLE.has(w) &&
    !ROLE_CUES.has(w) &&
    !SCHOOL_WORDS.has(w) &&
    !STREET_SUFFIX.has(w) &&
    w.length > 1
  );
}

function isMonthUse(toks: Token[], i: number): boolean {
  const tk = toks[i] as Token;
  if (!MONTH_NAMES.has(tk.low)) return false;
  const prev = toks[i - 1]?.low ?? '';
  const next = toks[i + 1]?.low ?? '';
  return /^(?:in|on|of|since|until|till|by|last|next|this|early|late|mid|end|beginning|from|during|\d+(?:st|nd|rd|th)?)$/.test(prev) || /^\d/.test(next);
}

/** "the dog is called Biscuit", "a club called Sparks": called or named, but not a person. */
function namesAThing(toks: Token[], i: number): boolean {
  const w = (toks[i] as Token).low;
  if (w !== 'called' && w !== 'named') return false;
  for (let k = i - 1; k >= 0 && k >= i - 3; k--) if (NAMED_THINGS.has((toks[k] as Token).low)) return true;
  return false;
}

/** A word that could be a name in an informal context: not an everyday word, not a service or place. */
function couldBeName(tk: Token | undefined): boolean {
  if (!tk || tk.gap.includes('[') || !/^\p{L}[\p{L}'-]*$/u.test(tk.raw)) return false;
  const w = bare(tk);
  if (w.length < 2 || STOP.has(w) || COMMON.has(w) || isOpinionWord(w) || NOT_PEOPLE.has(w) || ROLE_CUES.has(w) || SCHOOL_WORDS.has(w) || STREET_SUFFIX.has(w))
    return false;
  // verb and adverb shapes ("my worker understands", "my mate honestly") are not names
  return !/(?:ing|ed|ly|ness|ment|tion)$/.test(w);
}

const CONTEXT = new Set(['is', 'was', "'s", 'and', 'n', '&', 'with', 'to', 'for', 'up', 'thanks', 'thank', 'thx', 'ta', 'then']);
const POSSESSOR = /^(?:my|our|her|his|their|me|mi)$/;
const AFTER_NAME = /^(?:and|n|who|he|she|they|is|was|has|had|said|says|x|xx|lol|too|though|tho|but|cos|because)$/;
const end = (toks: Token[], k: number): boolean => k >= toks.length || /[.!?,;:\n)(]/.test((toks[k] as Token).gap);
const WITH_VERBS =
  /^(?:went|go|going|goes|came|come|met|meet|sat|sit|talked|talk|spoke|speak|played|play|hang|hanging|out|stay|stayed|staying|live|lived|living|mates|friends|walked|walk|sleepover)$/;
const TO_VERBS = /^(?:thank|thanks|thx|u|you|out|up|talk|talked|talking|spoke|speak|speaking|chat|chatted|chatting|texted|message|messaged)$/;

/** Lower-case or informal names after person contexts. */
function informalNameAt(toks: Token[], i: number): boolean {
  const tk = toks[i] as Token;
  const p1 = toks[i - 1]?.low ?? '';
  const next = toks[i + 1]?.low ?? '';
  // cheap test of the contexts first: most words follow none of them
  if (!CONTEXT.has(p1) && !ROLE_CUES.has(p1) && next !== 'and' && next !== 'n' && !(tk.cap && next.length > 0)) return false;
  if (!couldBeName(tk)) return false;
  const p2 = toks[i - 2]?.low ?? '';
  const p3 = toks[i - 3]?.low ?? '';
  const p4 = toks[i - 4]?.low ?? '';
  const nextOk = end(toks, i + 1) || AFTER_NAME.test(next) || POSSESSIVE.test(tk.raw);
  // a name followed by a bracketed note: "Olu (d.o.b. ...) is my eldest"
  if (tk.cap && !/^\p{Lu}+$/u.test(tk.raw) && /^\s*\($/.test(toks[i + 1]?.gap ?? '') && /^(?:dob|d|born|age|aged|\d+)$/.test(next)) return true;
  // "Ayo was born on ...", "Kofi is 9"
  if (tk.cap && !/^\p{Lu}+$/u.test(tk.raw) && /^(?:was|is)$/.test(next) && /^(?:born|aged|\d+)$/.test(toks[i + 2]?.low ?? '')) return true;
  if (!/^[ ,]{1,2}$/.test(tk.gap)) return false;
  // "my (youth|support) worker dex", "my mate lottie's", "our family support worker, Bex"
  if (ROLE_CUES.has(p1) && !/^(?:called|named)$/.test(p1) && (POSSESSOR.test(p2) || POSSESSOR.test(p3) || POSSESSOR.test(p4)) && nextOk) return true;
  // "my sw is mo", "Social worker was Priyanka", "her name was bronagh"
  if (
    /^(?:is|was|'s)$/.test(p1) &&
    (ROLE_CUES.has(p2) || p2 === 'name') &&
    (tk.cap ? nextOk : (p2 === 'sw' || p2 === 'name') && (end(toks, i + 1) || /^(?:and|n|who|he|she|x)$/.test(next)))
  )
    return true;
  // "me and kez and shanice went", "shaz n becs"
  const before = toks[i - 2];
  const prevName = !!before && (FIRST_NAMES.has(bare(before)) || (isCapName(before) && !before.sentStart));
  if (
    (p1 === 'and' || p1 === 'n' || p1 === '&') &&
    (prevName || (p2 === 'me' && (nextOk || /^(?:went|are|were|both|got|have|did|came|go|get|used)$/.test(next))))
  )
    return true;
  // "went with tiago to", "thank u to shaz", "ask for dani at", "shout out to dex", "big up marcus"
  const placeNext = end(toks, i + 1) || /^(?:to|at|from|for|in|on|and|n|who|he|she)$/.test(next) || POSSESSIVE.test(tk.raw);
  if (p1 === 'with' && WITH_VERBS.test(p2) && placeNext) return true;
  if (p1 === 'for' && /^(?:ask|asked)$/.test(p2) && placeNext) return true;
  const cue = (p1 === 'to' && TO_VERBS.test(p2)) || (p1 === 'up' && p2 === 'big') || /^(?:thanks|thank|thx|ta)$/.test(p1);
  if (cue && nextOk) return true;
  // "kez and me went"
  if ((next === 'and' || next === 'n') && toks[i + 2]?.low === 'me' && (tk.sentStart || /^(?:with|to|then)$/.test(p1))) return true;
  return false;
}

function findNames(t: string, toks: Token[], taken: (s: number, e: number) => boolean, out: Found[]): void {
  const named = new Uint8Array(toks.length);
  const mark = (i: number): void => {
    const tk = toks[i];
    if (!tk || named[i] || tokIsPlaceholder(t, tk) || taken(tk.s, tk.e)) return;
    named[i] = 1;
    let e = nameEnd(tk);
    // surname: following capitalised words that are not themselves something else
    for (
      let k = i + 1;
      !POSSESSIVE.test((toks[k - 1] as Token).raw) &&
      k < toks.length &&
      k <= i + 2 &&
      /^ $/.test((toks[k] as Token).gap) &&
      isCapName(toks[k] as Token) &&
      !WORD_NAMES.has((toks[k] as Token).low);
      k++
    ) {
      named[k] = 1;
      e = nameEnd(toks[k] as Token);
    }
    out.push({ kind: 'name', s: tk.s, e });
  };
  const gapOk = (tk: Token | undefined): boolean => !!tk && /^[ ,:]{1,3}$/.test(tk.gap) && !tk.gap.includes('[');

  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i] as Token;
    const w = bare(tk);
    const next = toks[i + 1];
    const prev = toks[i - 1];

    // titles: "mrs p", "Mr Jones", "PC Kaur", "DC Mark Stevens"
    const isTitle = TITLES.has(tk.low) || (RANKS.has(tk.raw) && tk.cap) || (tk.low === 'nurse' && !!next?.cap);
    if (isTitle && next && gapOk(next) && /^[\p{L}][\p{L}'-]*$/u.test(next.raw) && !STOP.has(bare(next)) && !NOT_PEOPLE.has(bare(next))) {
      const verbMiss =
        tk.low === 'miss' && !tk.cap && (/^(?:i|we|you|they|really|still|will|dont|don't|do|so|would|gonna|'ll)$/.test(prev?.low ?? '') || !next.cap);
      if (!verbMiss || next.low.length === 1) {
        if (!(tk.low === 'sir' && !next.cap)) mark(i + 1);
      }
      continue;
    }
    if (FAMILY_TITLES.has(tk.low) && next && gapOk(next) && (FIRST_NAMES.has(bare(next)) || isCapName(next))) {
      mark(i + 1);
      continue;
    }

    if (FIRST_NAMES.has(w)) {
      if (tk.cap || !STOP.has(w)) mark(i);
      continue;
    }

    // a role or naming cue followed by a name: "my worker Leon", "called Sunny", "the chair, Patience"
    const cue = (ROLE_CUES.has(tk.low) && !namesAThing(toks, i)) || (tk.low === 'is' && prev?.low === 'name') || tk.low === "name's" || tk.low === 'names';
    if (cue && next && gapOk(next)) {
      const nw = bare(next);
      if (isCapName(next) || WORD_NAMES.has(nw)) {
        if (!(WORD_NAMES.has(nw) && isMonthUse(toks, i + 1))) {
          const strongCue = tk.low === 'called' || tk.low === 'named' || tk.low === 'is' || tk.low === "name's";
          if (strongCue || next.cap || /^[ ]$/.test(next.gap) || next.gap.includes(',')) mark(i + 1);
        }
      } else if (
        (tk.low === 'called' || tk.low === 'named' || tk.low === 'is' || tk.low === "name's") &&
        !STOP.has(nw) &&
        /^\p{L}+$/u.test(next.raw) &&
        !NOT_PEOPLE.has(nw) &&
        !ROLE_CUES.has(nw)
      ) {
        mark(i + 1);
      }
    }

    // informal, lower-case names after person contexts: "my youth worker dex", "my sw is mo", "me and kez",
    // "went with tiago to", "thank u to shaz n becs", "ask for dani", "Social worker was Priyanka"
    if (!named[i] && informalNameAt(toks, i)) mark(i);

    // a word-name or unknown capitalised word followed by a person verb or an apposition: "Hope said", "Bill my social worker"
    if (!named[i] && (WORD_NAMES.has(w) ? tk.cap : isCapName(tk)) && next && /^[ ,]{1,2}$/.test(next.gap)) {
      if (isMonthUse(toks, i)) continue;
      const strongVerb =
        /^(?:said|says|told|tells|asked|asks|helped|helps|rang|rings|phoned|texted|listened|listens|explained|explains|visited|sorted|came|comes|showed|gave|brought)$/.test(
          next.low,
        ) ||
        (next.low === 'from' && (WORD_NAMES.has(w) || !tk.sentStart));
      const third = toks[i + 2];
      const apposition =
        /^(?:my|our|the)$/.test(next.low) &&
        !!third &&
        (ROLE_CUES.has(bare(third)) ||
          third.low === 'social' ||
          third.low === 'key' ||
          [toks[i + 3], toks[i + 4]].some((x) => !!x && ROLE_CUES.has(bare(x)) && !/[.!?,]/.test(x.gap)));
      const midSentence = !tk.sentStart;
      if (strongVerb || apposition || (midSentence && WORD_NAMES.has(w) && PERSON_VERBS.has(next.low) && !/^(?:is|was|has|had|and)$/.test(next.low))) mark(i);
      else if (
        midSentence &&
        WORD_NAMES.has(w) &&
        /^(?:is|was|has|had)$/.test(next.low) &&
        /^(?:and|with|to|by|for|told|asked|thanks|thank)$/.test(prev?.low ?? '')
      )
        mark(i);
    }
    // "with Grace", "and Hope", "thanks to Robin" (capitalised word-name mid-sentence after a person-ish preposition)
    if (
      !named[i] &&
      WORD_NAMES.has(w) &&
      tk.cap &&
      !tk.sentStart &&
      prev &&
      /^(?:with|and|to|thanks|thank|ask|asked|told|tell|me|us)$/.test(prev.low) &&
      !isMonthUse(toks, i)
    )
      mark(i);
  }
}

// ---------------------------------------------------------------- assembly

function detect(t: string): Found[] {
  const toks = tokenise(t);
  const found: Found[] = [];
  findAt(t, found);
  findUrls(t, found);
  findPlatformHandles(t, toks, found);
  findSpelledEmails(toks, found);
  findNi(t, found);
  findNumbers(t, found);
  findSpelledNumbers(toks, found);
  findPostcodes(t, found);
  findDates(t, found);
  findAddresses(t, toks, found);
  findSchools(t, toks, found);
  const kept = resolve(found, t);
  const taken = (s: number, e: number): boolean => kept.some((k) => k.s < e && s < k.e);
  const names: Found[] = [];
  findNames(t, toks, taken, names);
  return resolve([...kept, ...names], t);
}

function resolve(found: Found[], t: string): Found[] {
  const ordered = found.filter((f) => f.e > f.s).sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || b.e - b.s - (a.e - a.s));
  const kept: Found[] = [];
  const placeholders: [number, number][] = [];
  for (const m of matchesOf(PLACEHOLDER, t)) placeholders.push([m.index, m.index + m[0].length]);
  for (const f of ordered) {
    if (placeholders.some(([s, e]) => s < f.e && f.s < e)) continue;
    if (!kept.some((k) => k.s < f.e && f.s < k.e)) kept.push(f);
  }
  return kept.sort((a, b) => a.s - b.s);
}

/**
 * Finds personal data and replaces each span with a typed placeholder such as `[phone]`, and
 * drops bidi controls (U+202A-U+202E, U+2066-U+2069). Offsets in `pii` refer to the original
 * text. Redacting the result again changes nothing.
 * @example redact('ring me on 07700 900123').redacted // 'ring me on [phone]'
 */
export function redact(text: string): { redacted: string; pii: PiiSpan[] } {
  const n = normalise(text);
  const found = detect(n.text);
  const pii: PiiSpan[] = [];
  let redacted = '';
  let cursor = 0;
  for (const f of found) {
    const [start, end] = toOriginal(n, f.s, f.e);
    if (start < cursor) continue;
    pii.push({ kind: f.kind, start, end });
    redacted += `${text.slice(cursor, start)}[${f.kind}]`;
    cursor = end;
  }
  redacted += text.slice(cursor);
  // the stored text never carries bidi controls: they can reorder what a reader of the dashboard sees
  return { redacted: redacted.replace(BIDI_CONTROLS, ''), pii };
}
