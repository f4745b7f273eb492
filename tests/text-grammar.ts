import fc from 'fast-check';

/**
 * Hostile free text for the analysis, shared by the domain property test
 * (tests/domain/analysis/terminates.test.ts), the route fuzz suite (tests/routes/fuzz.test.ts)
 * and `npm run bench:analysis`. Biased towards what number, e-mail and handle scanners trip on:
 * digits (ASCII, Arabic-Indic, Devanagari), `+ - ( ) . / @ #`, letters beside digits, o for
 * zero, spaces, emoji, zero-width and bidi characters. Up to 4,000 characters, the longest
 * answer intake accepts.
 */

export const MAX_TEXT = 4000;

/** Answers that froze the Worker before issue 10's fix: `findNumbers` stopped on a '+' after a letter or digit. */
export const KNOWN_HANGS = ['my brothers are 5+7', 'Year7+8', 'A+1', 'call 0800+1111', 'me+44 7700 900123'];

/** Numbers written so that ASCII-only matching missed them (issue 10, item 5). */
export const DISGUISED_PHONES = ['call me on ٠٧٧٠٠ ٩٠٠٧٨٩', 'ring ०७७००९००१२३', 'o7700 900321', 'ring 07700\u202e900123'];

/** Inputs built to find super-linear time: long runs of one thing, repeated separators. */
export const ADVERSARIAL: Record<string, string> = {
  'digits x4000': '0'.repeat(MAX_TEXT),
  'digit-space x2000': '1 '.repeat(MAX_TEXT / 2),
  'digit-dash x2000': '1-'.repeat(MAX_TEXT / 2),
  'digit-dot x2000': '7.'.repeat(MAX_TEXT / 2),
  'digit-paren x1333': '(1)'.repeat(MAX_TEXT / 3),
  'plus x4000': '+'.repeat(MAX_TEXT),
  'plus-digit x2000': '+1'.repeat(MAX_TEXT / 2),
  'letter-plus-digit x1333': 'a+1'.repeat(MAX_TEXT / 3),
  'at x4000': '@'.repeat(MAX_TEXT),
  'a-at x2000': 'a@'.repeat(MAX_TEXT / 2),
  'at-dot x1333': '@a.'.repeat(MAX_TEXT / 3),
  'hash x4000': '#'.repeat(MAX_TEXT),
  'slash-digits x1333': '12/'.repeat(MAX_TEXT / 3),
  'o-digit x2000': 'o7'.repeat(MAX_TEXT / 2),
  'arabic digits x4000': '٧'.repeat(MAX_TEXT),
  'devanagari-space x2000': '७ '.repeat(MAX_TEXT / 2),
  'zero-width x4000': '\u200b'.repeat(MAX_TEXT),
  'bidi-digit x2000': '\u202e7'.repeat(MAX_TEXT / 2),
  'separators x4000': ' -.()'.repeat(MAX_TEXT / 5),
  'phone x285': '07700 900123 '.repeat(Math.floor(MAX_TEXT / 13)),
  'words x800': 'my sw '.repeat(Math.floor(MAX_TEXT / 6)),
  'spelled x570': 'double oh '.repeat(Math.floor(MAX_TEXT / 10)),
  'url dashes': `www.${'a-'.repeat(MAX_TEXT / 2 - 3)}!`,
  'sentences x2000': 'a.'.repeat(MAX_TEXT / 2),
  'emoji x2000': '😊'.repeat(MAX_TEXT / 2),
};

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, k) => String.fromCodePoint(from + k));
const ASCII_DIGITS = range(0x30, 0x39);
const ARABIC_INDIC = range(0x660, 0x669);
const DEVANAGARI = range(0x966, 0x96f);
const PUNCTUATION = ['+', '-', '(', ')', '.', '/', '@', '#'];
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\ufeff'];
const BIDI = [...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
const EMOJI = ['😊', '😂', '💀', '👩‍👧', '🏳️‍🌈', '❤️'];
const LETTERS = [...range(0x61, 0x7a), ...range(0x41, 0x5a), 'o', 'O', 'o', 'O'];
const WORDS = [
  'call me on ',
  'ring ',
  'my brothers are ',
  'Year',
  'me',
  'nhs ',
  'born ',
  ' at ',
  ' dot ',
  'double ',
  'oh ',
  'snap: ',
  'www.',
  '.co.uk',
  'road ',
  'my sw is ',
  'I ',
  'and ',
];

const runOf = (chars: string[], max: number) => fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: max });

/** One piece of text: mostly digits and the punctuation around numbers. */
const piece: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: runOf(ASCII_DIGITS, 12) },
  { weight: 5, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 4, arbitrary: runOf(LETTERS, 6) },
  { weight: 4, arbitrary: fc.constantFrom(' ', ' ', '  ', '\n') },
  { weight: 2, arbitrary: runOf(ARABIC_INDIC, 11) },
  { weight: 2, arbitrary: runOf(DEVANAGARI, 11) },
  { weight: 2, arbitrary: fc.constantFrom(...ZERO_WIDTH) },
  { weight: 2, arbitrary: fc.constantFrom(...BIDI) },
  { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.constantFrom(...KNOWN_HANGS) },
);

const joined = (maxPieces: number) => fc.array(piece, { maxLength: maxPieces, size: 'max' }).map((ps) => ps.join('').slice(0, MAX_TEXT));

/** Free text from the grammar: mostly short answers, some up to the 4,000-character limit. */
export const analysisText: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: joined(40) }, { weight: 1, arbitrary: joined(1500) });

/** A fixed sample of the grammar, the same on every run (for the benchmark). */
export const grammarSample = (count: number, seed = 10): string[] => fc.sample(analysisText, { numRuns: count, seed });
