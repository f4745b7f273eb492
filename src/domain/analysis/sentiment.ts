import type { Token } from './tokens';
import type { Sentiment } from './types';

const lex = (s: string, v: number): [string, number][] => s.trim().split(/\s+/).map((w) => [w, v]);

/** Word scores, including children's spellings. */
const WORDS = new Map<string, number>([
  ...lex('good gud great grate brilliant briliant amazing amazin fab fabulous fantastic excellent lovely luvly lovley nice nise kind kindly helpful helpfull supportive caring calm calmer happy hapy happier glad love luv loved loves like liked likes enjoy enjoyed fun funny best better safer safe sound decent respect thanks thank thankyou diolch grateful brill ace awesome wonderful perfect proper fair alright approachable patient reassuring reassured relieved easy easier fluent brave improved listened helped sorted smashing champion cool chuffed recommend legend gem star comfortable trust trusted sensible quickly straight lets properly worth', 1),
  ...lex('bad badly awful terrible rubbish rubish horrible horible useless pointless joke worst worse hate hated hates sad upset angry annoyed annoying scared scary scarey frightened afraid worried anxious cried cryd cry crying lonely unfair ignored rude judged cancelled canceled delayed waiting wait waited late slow impossible gutted shame pity mistakes missing lost cringe freezing tired boring disappointed disappointing dreading struggling struggle fault failed failing forgotten confusing confused stressful stress nightmare unacceptable disgrace disgusting shocking appalling hard difficult painful embarrassed embarrassing humiliated dismissed patronising patronised bricking dropped excluded outgrown fortune cost jargon wrong mess shouted shouting rejected cliff leaflet nothing', -1),
]);

/** Phrases checked before single words; their words are then skipped. */
const PHRASES: [RegExp, number][] = [
  [/\b(?:no|not any|without) judg(?:e)?ment\b/g, 1.5],
  [/\bno complaints?\b/g, 1.5],
  [/\bcan'?t fault\b|\bcouldn'?t fault\b/g, 2],
  [/\bcouldn'?t have (?:managed|coped|done it) without\b/g, 2],
  [/\bnot (?:too )?bad\b/g, 1],
  [/\bto be fair\b|\bi'?ll give (?:her|him|them) that\b|\bfair play\b/g, 0.8],
  [/\bbetter than nothing\b|\b(?:alright|ok|okay|fine) i (?:guess|suppose)\b/g, 0.6],
  [/\bi (?:guess|suppose)\b|\bdont want a new\b|\bdon't want a new\b/g, -0.9],
  [/\bmade all the difference\b|\bdifferent (?:girl|boy|child|person) now\b|\bworth (?:every|it)\b|\bdid everything right\b|\bfor the first time\b/g, 2],
  [/\b(?:nobody|no one|noone|never) (?:rang|rings|called|calls|phoned|got back|came|turned up|explained|told|asked|listens|listened|answer\w*|acknowledged|got in touch)\b/g, -1.5],
  [/\bstill (?:no|waiting|nothing|not|haven'?t)\b|\bno update\b|\bwaiting list\b|\bfell through\b|\bdropped off\b|\btoo many\b|\bin the system\b|\bround in circles\b|\bfor nothing\b|\bfor ages\b|\bfor a year\b|\bevery few (?:months|weeks)\b|\bdont bother\b|\bdon't bother\b/g, -1.5],
  [/\bnot (?:acceptable|fair|good enough|ok|okay|helpful|nice)\b|\bisn'?t fair\b|\bcould (?:of|have) just\b|\beveryone saw\b|\btalk(?:ed)? over me\b|\blike i'?m a (?:little )?kid\b|\blike im a (?:little )?kid\b/g, -1.5],
  [/\bhad to (?:wait|repeat|tell|start|chase)\b|\bbounced\b|\bwhat'?s the point\b|\bwhats the point\b|\bno suitable\b|\bout of school\b|\bnothing from\b/g, -1],
  [/\bthank you\b|\bthanks? so much\b/g, 1.5],
  [/\b(?:felt|feel|feeling) (?:a lot )?(?:better|safer|safe|calmer|listened to|heard)\b/g, 1.5],
  [/\bfirst time (?:anyone|anybody|someone)\b/g, 1],
  [/\bproper helped\b|\bactually listened\b|\bactually remembers\b|\bwell happy\b|\bactually (?:talk|listen|help)\w*\b|\blet (?:me|her|him|us) \w+|\bsat with\b|\bcall back the next day\b|\bgot help\b|\bexplained (?:everything|every step|why)\b/g, 1.2],
  [/\bdidn'?t (?:expect|pretend)\b/g, 0.5],
  [/\bcan'?t get (?:up|through)\b|\bweeks for\b|\bmonths for\b|\bin the end\b/g, -1],
];

const NEGATORS = new Set(['not', 'no', 'never', "don't", 'dont', "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt', "wasn't", 'wasnt', "aren't", 'arent', "weren't", 'werent', "won't", 'wont', "wouldn't", 'wouldnt', "can't", 'cant', "couldn't", 'couldnt', 'nobody', 'hardly', 'barely', 'without']);
const INTENSIFIERS = new Map<string, number>([
  ['very', 1.5], ['really', 1.5], ['reely', 1.5], ['so', 1.4], ['soo', 1.6], ['sooo', 1.8], ['proper', 1.5], ['well', 1.2],
  ['dead', 1.4], ['super', 1.5], ['totally', 1.5], ['absolutely', 1.7], ['literally', 1.2], ['extremely', 1.8], ['truly', 1.4], ['most', 1.2],
]);
/** Words that turn the clause: what comes after is scored separately, so opposite halves make "mixed". */
const CONTRAST = new Set(['but', 'though', 'tho', 'however', 'although', 'yet', 'except', 'shame', 'pity', 'gutted', 'unfortunately', 'sadly']);

const POS_EMOJI = /😊|🙂|😀|😃|😄|😁|👍|❤|💕|🥰|😍|💖|💙|💜|💚|🙏|👌|⭐|🌟|😎|🤗|☺/gu;
const NEG_EMOJI = /😢|😭|😡|😠|👎|💔|😞|😔|😩|🙁|☹|😤|😫|😰|😱|😒|🤬|😖|😣/gu;

interface Segment {
  pos: number;
  neg: number;
}

/**
 * Lexicon sentiment with negation, intensifiers, contrast ("nice but nobody rang back" is mixed),
 * emoji and children's spellings. `distress` (a current disclosure) makes the text negative.
 * A faces rating settles neutral text and makes text that disagrees with it mixed.
 */
export function scoreSentiment(lower: string, toks: Token[], rating?: { value: number; points: 3 | 5 }, distress = false): Sentiment {
  const segs: Segment[] = [{ pos: 0, neg: 0 }];
  const masked = new Float32Array(lower.length);
  for (const [re, v] of PHRASES) {
    re.lastIndex = 0;
    for (let m = re.exec(lower); m; m = re.exec(lower)) {
      if (masked[m.index] !== 0) continue;
      masked.fill(0.001, m.index, m.index + m[0].length);
      masked[m.index] = v;
    }
  }
  let negateLeft = 0;
  let boost = 1;
  for (const tk of toks) {
    let seg = segs[segs.length - 1] as Segment;
    if (/[.!?\n;]/.test(tk.gap)) negateLeft = 0;
    const w = tk.low;
    if ((CONTRAST.has(w) || /[.!?\n;]/.test(tk.gap)) && (seg.pos > 0 || seg.neg > 0)) {
      seg = { pos: 0, neg: 0 };
      segs.push(seg);
    }
    const add = (v: number): void => {
      if (v > 0) seg.pos += v;
      else seg.neg -= v;
    };
    const phrase = masked[tk.s] ?? 0;
    if (phrase !== 0) {
      if (Math.abs(phrase) > 0.01) add(phrase);
      negateLeft = 0;
      continue;
    }
    if (NEGATORS.has(w)) {
      negateLeft = 3;
      continue;
    }
    const intens = INTENSIFIERS.get(w);
    if (intens !== undefined) {
      boost = intens;
      continue;
    }
    const v = WORDS.get(w);
    if (v !== undefined) {
      let score = v * boost;
      if (negateLeft > 0) score = v > 0 ? -score : -score * 0.5;
      add(score);
    } else if (w === 'never' || w === 'nobody' || w === 'noone') add(-0.6);
    boost = 1;
    if (negateLeft > 0) negateLeft--;
  }
  const last = segs[segs.length - 1] as Segment;
  last.pos += (lower.match(POS_EMOJI)?.length ?? 0) * 1.5;
  last.neg += (lower.match(NEG_EMOJI)?.length ?? 0) * 1.5;

  let pos = 0;
  let neg = 0;
  let posSeg = false;
  let negSeg = false;
  for (const s of segs) {
    pos += s.pos;
    neg += s.neg;
    if (s.pos - s.neg >= 0.5) posSeg = true;
    if (s.neg - s.pos >= 0.5) negSeg = true;
  }
  if (distress) neg += 2;

  let text: Sentiment;
  if (pos < 0.5 && neg < 0.5) text = 'neutral';
  else if ((posSeg && negSeg && !distress) || (pos >= 1 && neg >= 1 && Math.min(pos, neg) / Math.max(pos, neg) >= 0.6)) text = 'mixed';
  else text = pos > neg ? 'positive' : 'negative';

  if (!rating) return text;
  const r = rating.points === 5 ? (rating.value <= 2 ? -1 : rating.value >= 4 ? 1 : 0) : rating.value <= 1 ? -1 : rating.value >= 3 ? 1 : 0;
  if (text === 'neutral') return r > 0 ? 'positive' : r < 0 ? 'negative' : 'neutral';
  if ((text === 'positive' && r < 0) || (text === 'negative' && r > 0)) return 'mixed';
  return text;
}
