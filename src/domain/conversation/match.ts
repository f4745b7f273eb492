import { once } from '../../lib/once';
import type { LocalisedText, Question } from '../../schemas/survey-definition';
import type { AnswerValue } from '../survey';

/**
 * Typed text matched to a quick reply, only when the meaning is clear: anything
 * ambiguous ("yes and no", "3 or 4", "not sure") is left unmatched so the respondent is asked again.
 * English and Welsh phrases are accepted whatever the survey's language: children mix them.
 */

/** Lower case, accents and apostrophes dropped, punctuation to spaces: "Don't!" → ["dont"], "yn ôl" → ["yn", "ol"]. */
export function tokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

interface Phrase<T> {
  tokens: string[];
  value: T;
}

function phrases<T>(entries: [string, T][]): Phrase<T>[] {
  return entries
    .map(([text, value]) => ({ tokens: tokens(text), value }))
    .filter((p) => p.tokens.length > 0)
    .sort((a, b) => b.tokens.length - a.tokens.length);
}

/**
 * A module-level phrase table, tokenised on first use rather than when the module loads: every
 * fresh isolate loads this module, only one answering a chat reads it, and tokenising compiles
 * Unicode property patterns (issue 15 item 5: cold start).
 */
const table = <T>(entries: () => [string, T][]): (() => Phrase<T>[]) => once(() => phrases(entries()));

/**
 * Every phrase found in the text, longest first at each position, so "nac ydw" is one "no"
 * rather than "nac" plus the "yes" in "ydw", and "really bad" is not also "bad".
 */
function scan<T>(words: string[], list: Phrase<T>[]): T[] {
  const found: T[] = [];
  let i = 0;
  while (i < words.length) {
    const hit = list.find((p) => p.tokens.every((t, j) => words[i + j] === t));
    if (hit) {
      found.push(hit.value);
      i += hit.tokens.length;
    } else {
      i += 1;
    }
  }
  return found;
}

/** The one distinct value found, or undefined when none or more than one. */
function single<T>(values: T[]): T | undefined {
  const distinct = [...new Set(values)];
  return distinct.length === 1 ? distinct[0] : undefined;
}

const each = <const T>(texts: string[], value: T): [string, T][] => texts.map((t) => [t, value]);

// "Unsure" phrases are matched so that the "no" in "no idea" or the "sure" in "not sure" is not taken as an answer.
const UNSURE = 'unsure' as const;
const YES_NO = table<'yes' | 'no' | typeof UNSURE>(() => [
  ...each(['yes', 'yeah', 'yeh', 'yea', 'yep', 'yup', 'ye', 'ya', 'yah', 'sure', 'of course', 'definitely', 'aye', 'y'], 'yes'),
  ...each(['ie', 'do', 'ydw', 'ydy', 'ydyn', 'yndw', 'oedd', 'wnaeth', 'gwnaeth', 'byddwn', 'bydden', 'baswn', 'wrth gwrs'], 'yes'),
  ...each(['no', 'nah', 'nope', 'no way', 'not really', 'not at all', 'not much', 'never', 'didnt', 'dont', 'wasnt', 'n'], 'no'),
  // Before the Welsh "do" (yes) so that English "I do not" is a no.
  ...each(['do not', 'did not', 'was not', 'does not', 'doesnt'], 'no'),
  ...each(
    ['na', 'nac ydw', 'nac ydy', 'nac oedd', 'naddo', 'naci', 'na fyddwn', 'na fydden', 'na faswn', 'ddim', 'dim o gwbl', 'ddim really', 'ddim rili'],
    'no',
  ),
  ...each(
    [
      'not sure',
      'unsure',
      'dont know',
      'i dont know',
      'do not know',
      'dont remember',
      'cant remember',
      'dunno',
      'idk',
      'no idea',
      'no clue',
      'maybe',
      'perhaps',
      'kind of',
      'kinda',
      'sort of',
      'sometimes',
      'a bit',
      'a little',
      'yes and no',
    ],
    UNSURE,
  ),
  ...each(['ddim yn siwr', 'dim syniad', 'ddim yn gwybod', 'efallai', 'weithiau', 'falle'], UNSURE),
]);

/** Where a child's words sit on any scale; mapped to a point by {@link levelToPoint}. */
type Level = 'lowest' | 'low' | 'middle' | 'high' | 'highest';
const LEVEL_WORDS = table<Level>(() => [
  ...each(
    [
      'rubbish',
      'awful',
      'terrible',
      'horrible',
      'horrid',
      'dreadful',
      'worst',
      'the worst',
      'hated it',
      'hate it',
      'really bad',
      'very bad',
      'super bad',
      'really really bad',
    ],
    'lowest',
  ),
  ...each(['ofnadwy', 'erchyll', 'gwael iawn', 'drwg iawn', 'sbwriel'], 'lowest'),
  ...each(['bad', 'poor', 'not good', 'not great', 'not very good', 'not really good', 'not that good', 'not nice', 'wasnt good', 'not ok', 'not okay'], 'low'),
  ...each(['gwael', 'drwg', 'ddim yn dda'], 'low'),
  ...each(
    [
      'ok',
      'okay',
      'okish',
      'k',
      'fine',
      'alright',
      'all right',
      'not bad',
      'not too bad',
      'so so',
      'meh',
      'average',
      'medium',
      'in the middle',
      'in between',
      'middle',
    ],
    'middle',
  ),
  ...each(['iawn', 'gweddol', 'ddim yn ddrwg', 'canolig'], 'middle'),
  ...each(['good', 'pretty good', 'quite good', 'nice', 'liked it', 'like it'], 'high'),
  ...each(['da', 'eitha da', 'neis'], 'high'),
  ...each(
    [
      'amazing',
      'great',
      'brilliant',
      'awesome',
      'excellent',
      'fantastic',
      'perfect',
      'best',
      'the best',
      'loved it',
      'love it',
      'really good',
      'very good',
      'super',
      'epic',
      'really really good',
    ],
    'highest',
  ),
  ...each(['da iawn', 'gwych', 'gret', 'ardderchog', 'ffantastig', 'anhygoel', 'arbennig'], 'highest'),
]);

const LEVEL_POINTS: Record<number, Record<Level, number>> = {
  5: { lowest: 1, low: 2, middle: 3, high: 4, highest: 5 },
  // On three points "bad" is already the bottom and "good" the top.
  3: { lowest: 1, low: 1, middle: 2, high: 3, highest: 3 },
};

export const levelToPoint = (level: Level, points: number): number => (LEVEL_POINTS[points] ?? LEVEL_POINTS[5]!)[level];

const NUMBER_WORDS: [string, number][] = [
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['un', 1],
  ['dau', 2],
  ['dwy', 2],
  ['tri', 3],
  ['tair', 3],
  ['pedwar', 4],
  ['pedair', 4],
  ['pump', 5],
];

const RATHER_NOT_SAY = table<null>(() =>
  each(
    [
      'rather not say',
      'id rather not say',
      'prefer not to say',
      'dont want to say',
      'dont want to answer',
      'skip',
      'pass',
      'no comment',
      'well gen i beidio',
      'gwell gen i beidio',
      'beidio a dweud',
      'dim eisiau dweud',
      'ddim eisiau dweud',
      'dim sylw',
    ],
    null,
  ),
);

export type TypedCommand = 'back' | 'restart';
const COMMANDS = table<TypedCommand>(() => [
  ...each(['back', 'go back', 'yn ol', 'mynd yn ol', 'nol'], 'back'),
  ...each(['start again', 'start over', 'restart', 'dechrau eto', 'ail ddechrau', 'ailddechrau'], 'restart'),
]);

/** "go back" or "start again" typed as the whole message; undefined otherwise. */
export function typedCommand(text: string): TypedCommand | undefined {
  const words = tokens(text);
  const hit = COMMANDS().find((p) => p.tokens.length === words.length && p.tokens.every((t, i) => words[i] === t));
  return hit?.value;
}

const allLanguages = (text: LocalisedText) => Object.values(text).filter((t): t is string => typeof t === 'string');

/**
 * The quick reply that typed text clearly means for a rating, choice or yes-no question:
 * `{ value }` (null for "I'd rather not say"), or undefined when it is not clear.
 *
 * @example matchTyped(yesNoQuestion, 'nah') // { value: 'no' }
 * @example matchTyped(ratingQuestion, 'it was ok') // { value: 3 } on a five-point scale labelled "OK" in the middle
 */
export function matchTyped(q: Question, text: string): { value: AnswerValue } | undefined {
  const words = tokens(text);
  if (words.length === 0) return undefined;
  if (scan(words, RATHER_NOT_SAY()).length > 0) return { value: null };
  switch (q.kind) {
    case 'yes-no': {
      // The question's own answer words ("Byddwn", "Na fyddwn") count as well as the usual ones.
      const own = phrases(
        Object.values(q.labels ?? {}).flatMap(({ yes, no }): [string, 'yes' | 'no'][] => [
          [yes, 'yes'],
          [no, 'no'],
        ]),
      );
      const found = scan(words, own.length ? [...own, ...YES_NO()].sort((a, b) => b.tokens.length - a.tokens.length) : YES_NO());
      if (found.includes(UNSURE)) return undefined;
      const value = single(found);
      return value ? { value } : undefined;
    }
    case 'rating':
      return matchRating(q, text);
    case 'choice':
      return matchChoice(q, words);
    case 'text':
      return { value: text.trim() };
  }
}

function matchRating(q: Extract<Question, { kind: 'rating' }>, text: string): { value: number } | undefined {
  // "4/5" and "4 out of 5" are one number, not two.
  const words = tokens(text.replace(/(\d+)\s*\/\s*(\d+)/g, '$1 out of $2'));
  const list = phrases<number>([
    ...LEVEL_WORDS().map((p): [string, number] => [p.tokens.join(' '), levelToPoint(p.value, q.points)]),
    ...NUMBER_WORDS,
    // The survey's own labels win over the general phrases above when they share words.
    ...q.labels.flatMap((label, i) => allLanguages(label).map((t): [string, number] => [t, i + 1])),
  ]);
  // Later entries with the same words replace earlier ones, so labels override.
  const byWords = new Map(list.map((p) => [p.tokens.join(' '), p]));
  const merged = [...byWords.values()].sort((a, b) => b.tokens.length - a.tokens.length);

  const cleaned: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if ((words[i] === 'out' && words[i + 1] === 'of') || words[i] === 'outta') {
      i += words[i] === 'outta' ? 1 : 2; // drop "out of N"
      continue;
    }
    cleaned.push(words[i]!);
  }
  const found = [...scan(cleaned, merged), ...cleaned.filter((w) => /^\d+$/.test(w)).map(Number)];
  const value = single(found);
  return value !== undefined && value >= 1 && value <= q.points ? { value } : undefined;
}

function matchChoice(q: Extract<Question, { kind: 'choice' }>, words: string[]): { value: string | string[] } | undefined {
  const list = phrases<string>(
    q.options.flatMap((o) => [...allLanguages(o.label).map((t): [string, string] => [t, o.id]), [o.id.replace(/-/g, ' '), o.id] as [string, string]]),
  );
  let found = scan(words, list);
  if (found.length === 0) {
    // A few words from exactly one option's label ("mental health" for "Mental health support").
    const text = words.join(' ');
    if (text.length >= 3) {
      const containing = q.options.filter((o) => allLanguages(o.label).some((t) => ` ${tokens(t).join(' ')} `.includes(` ${text} `)));
      if (containing.length === 1) found = [containing[0]!.id];
    }
  }
  if (q.multiple) {
    const all = words.join(' ');
    if (['all', 'all of them', 'everything', 'all of it', 'pob un', 'popeth', 'y cyfan'].includes(all)) return { value: q.options.map((o) => o.id) };
    const chosen = q.options.map((o) => o.id).filter((id) => found.includes(id));
    return chosen.length > 0 ? { value: chosen } : undefined;
  }
  const value = single(found);
  return value ? { value } : undefined;
}
