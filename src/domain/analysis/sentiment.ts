import { STOP } from './lexicon';
import { matchesOf } from './progress';
import { phoneticIndex } from './spelling';
import type { Token } from './tokens';
import type { Sentiment } from './types';

const lex = (s: string, v: number): [string, number][] =>
  s
    .trim()
    .split(/\s+/)
    .map((w) => [w, v]);

/** Word scores. Common children's and text spellings are listed; others reach the phonetic fallback. */
const WORDS = new Map<string, number>([
  ...lex(
    `good gud great grate brilliant briliant brill amazing amazin fab fabulous fantastic excellent lovely luvly lovley nice nise neis
    kind kindly kindest helpful helpfull supportive caring calm calmer happy hapy happier glad love luv loved loves like lik liked likes
    enjoy enjoyed fun funny best better beter safer safe decent respect respectful respected thanks thank thankyou thx ty diolch
    grateful ace awesome wonderful perfect fair approachable patient reassuring reassured relieved easy easier fluent brave improved
    helped helps helpd sorted smashing champion cool chuffed recommend legend gem comfortable trust trusted sensible quickly properly worth
    gentle gentel friendly honest welcoming understanding useful clear interesting settled godsend lifeline unreal superb outstanding
    favourite favorite excited laugh laughed impressed believed welcomed listened lisend lissend lisened lissened lisnd helpd helpt kined gud nise positive cuddles hug hugs smile smiled
    ardderchog lush mint quick polite warm efficient professional`,
    1,
  ),
  ...lex('alright ok okay fine sound', 0.5),
  ...lex(
    `bad badly awful terrible rubbish rubish horrible horible useless pointless joke worst worse hate hated hates sad upset angry
    annoyed annoying scared scard scary scarey frightened frightening terrified afraid worried anxious cried cryd cry crying lonely
    unfair ignored ignoring rude judged judgy judgemental judgmental cancelled canceled delayed waiting wait waited late slow impossible
    gutted shame pity mistakes missing lost cringe freezing tired boring disappointed disappointing dreading struggling struggle
    fault failed failing forgotten confusing confused stressful stress stressed nightmare unacceptable disgrace disgusting shocking
    appalling hard difficult painful embarrassed embarrassing humiliated dismissed patronising patronised bricking dropped excluded
    outgrown jargon wrong mess shouted shouting rejected cliff leaflet nothing ghosted nasty unbearable drowning ridiculous
    torture destroyed murder endless forever mould damp isolation hurt hurts hurting herts bleed pain problems problem unhelpful
    voicemail chased chasing messed lied lies stuck pathetic dreadful shambles fuming furious livid wasted wasting criminal
    strict mad unwell poorly worse sick cold hungry alone frustrated frustrating exhausted exhausting abandoned bullied blamed
    nobody noone cancelling rescheduled postponed`,
    -1,
  ),
  ...lex('long forgot forget shout', -0.5),
  ...lex('invited involved', 0.8),
]);

/** Words a negator before does not flip (they are negative whether or not they are negated). */
const NEG_ALWAYS = new Set(['nobody', 'noone', 'nothing', "nobody's", 'nobodys']);

const FALLBACK = phoneticIndex(WORDS.entries(), 5);

/** Marks a hedge ("alright I guess"): lukewarm, so it adds a small opposite clause of its own. */
const HEDGE = -0.9;
const HEDGE32 = Math.fround(HEDGE);

/** Phrases scored before single words; their words are then skipped. `neg: false` phrases ignore a negator before them. */
const PHRASES: [RegExp, number][] = [
  // litotes and negated complaint: mildly or clearly positive
  [/\b(?:not|wasn'?t|wasnt|isn'?t|isnt|weren'?t|werent|aint) (?:too |that |so |half |as )?bad\b/g, 1],
  [/\bnot the worst\b|\bcould(?:'?ve| have| of) been worse\b/g, 0.8],
  [/\b(?:can'?t|cant|cannot|couldn'?t|couldnt) (?:fault|complain)\b|\bno complaints?\b|\bnothing but praise\b/g, 1.8],
  [/\bnever had (?:any|a) (?:problems?|issues?|complaints?)\b/g, 1.5],
  [/\b(?:don'?t|dont|didn'?t|didnt) hate\b/g, 0.8],
  [/\b(?:can'?t|cant|cannot) thank (?:her|him|them|you|everyone|her|the \w+) enough\b/g, 2],
  [/\bcouldn'?t have (?:managed|coped|done it|got through)\b/g, 2],
  [/\b(?:not|no|without) (?:any )?judg(?:e)?ment\b|\bdidn'?t (?:judge|lecture|rush)\b|\bdidnt (?:judge|lecture|rush)\b/g, 1.5],
  // understatement and negated praise: negative
  [/\bnot (?:the most|very|that|exactly|particularly|really) (?:helpful|useful|nice|good|kind|great|supportive|impressed)\b/g, -1.2],
  [/\b(?:wasn'?t|wasnt|not) impressed\b/g, -1.2],
  // sarcasm
  [/\b(?:great|brilliant|fantastic|lovely|perfect|wonderful|amazing|nice one|cheers|thanks|oh good|yay),? (?:yet )?(?:another|more)\b/g, -1.8],
  [/\bthanks? for nothing\b|\bcheers for nothing\b|\byeah right\b|\bas if\b/g, -2],
  [/(?:^|[.!?]\s*)classic[.!]*\s*$|\bcheers (?:miss|sir)\s*$/g, -1],
  // hedges: a hedged verdict reads as lukewarm, so it pulls toward mixed
  [/\bbetter than nothing\b/g, 0.6],
  [/\bi (?:guess|suppose)\b/g, HEDGE],
  [/\b(?:fair play|to be fair|i'?ll give (?:her|him|them) that)\b/g, 0.8],
  // strong verdicts
  [
    /\bmade (?:a |all the |such a |the |a real |a huge |a big |a massive )?(?:real |huge |big |massive )?difference\b|\bmeant the world\b|\bworth (?:every|it)\b|\bdid everything right\b|\bfor the first time\b|\bon the mend\b|\bon the same page\b|\bgot through first time\b|\bdoing (?:their|her|his) best\b/g,
    2,
  ],
  [/\b(?:thank you|thanks so much|thanks to|shout ?out to|big up)\b/g, 1.5],
  [/\b(?:felt|feel|feeling|made me feel|made us feel) (?:a lot |so much |much )?(?:better|safer|safe|calmer|listened to|heard|at home|welcome|normal)\b/g, 1.5],
  [/\bfirst time (?:anyone|anybody|someone)\b/g, 1],
  [
    /\bactually (?:listen|help|talk|remember|care|turn|ask|read|explain)\w*\b|\blets? (?:me|her|him|us) (?:choose|speak|talk|say|tell|sit|have|decide|pick|ring|wear|win|go|stay|bring)\b|\bi can (?:sit|go|have|choose|leave|bring|see|stay|keep)\b|\bgot (?:help|support)\b|\bcame away (?:knowing|with|feeling)\b|\bnobody else (?:did|would|could|noticed|had)\b|\bsaid (?:she|he|they)(?:'d| would| will) .{0,60}?\band (?:she|he|they) (?:did|has|have)\b|\bsat with\b|\bheld my hand\b|\bexplained (?:everything|every step|why|it)\b|\bkept (?:me|us) (?:informed|updated|in the loop)\b|\bstraight with (?:me|us)\b|\blike a (?:person|human)\b/g,
    1.2,
  ],
  [
    /\b(?:gave|gives|givs|got|bought|brought|fixed|fixt|drew|sorted|found|made) (?:me|us|mummy|mum|him|her|them) (?:(?:a|an|some|my|new|the) )*(?!feel|feeling|cry|wait|a leaflet)\w+/g,
    0.8,
  ],
  [/\b(?:tak(?:e|es|en|ing)|took) (?:it|me|us|her|him|them|this|that|things) (?:very |really |more )?seriously\b/g, 1],
  [/\b(?:came|come|comes) out (?:quick|quickly|straight away|within|in the|at)\b|\bstraight away\b|\bwithin (?:the|an|a) (?:hour|day)\b/g, 1],
  // things going wrong
  [
    /\b(?:nobody|no one|noone|never|no-one)(?:'s| has| have| had)? (?:even |ever )?(?:rang|rings|called|calls|phoned|got back|came|comes|turned up|turns up|explained|told|asked|listens|listened|answer\w*|acknowledged|got in touch|spoke|talked|talks|checked|bothered|fed|feeds|helped|helps|cared|said)\b/g,
    -1.5,
  ],
  [/\b(?:never|didn'?t|didnt|don'?t|dont|doesn'?t|doesnt) (?:even )?(?:turn|turned|show|showed) up\b/g, -1.5],
  [
    /\bstill (?:no|waiting|nothing|not|haven'?t|havent|on the)\b|\bno (?:update|word|call|reply|response|answer|contact|help|support)s?\b|\bwaiting list\b|\bfell through\b|\bdropped off\b|\btoo many\b|\bso many (?:workers|people|changes|different)\b|\b(?:no ?one|nobody|nothing|nowhere) to (?:call|ring|talk to|help|turn to|go)\b|\bno (?:notice|idea|help|support|plan|one to)\b|\btook (?:\w+ )?(?:weeks|months|ages|forever|years|hours)\b|\b(?:moved|changed|cancelled|rearranged|postponed|had)(?: \w+){0,3} (?:three|four|five|six|several|so many|\d+) (?:times|different|social workers|workers)\b|\bin the system\b|\bround (?:in circles|and round)\b|\bfor nothing\b|\bfor ages\b|\bevery few (?:months|weeks)\b|\b(?:dont|don'?t) bother\b|\bback to square one\b|\bon hold\b|\bpassed (?:around|from pillar)\b|\bsent (?:us|me) back\b/g,
    -1.5,
  ],
  [
    /\bnot (?:acceptable|fair|good enough|ok|okay|helpful|nice|listened|heard|enough)\b|\b(?:isn'?t|isnt|wasn'?t|wasnt|aren'?t|arent) (?:fair|enough|good enough)\b|\bcould (?:of|have) just\b|\beveryone saw\b|\btalk(?:ed|s)? (?:over|down to) (?:me|us|her|him)\b|\blike (?:i'?m|im|i was|he was|she was|we were|he's|she's|a) (?:a )?(?:little kid|kid|child|criminal|idiot|nothing|bad (?:mum|mom|parent|dad)|problem|liar|number)\b|\b(?:don'?t|dont|doesn'?t|doesnt) (?:really )?care\b/g,
    -1.5,
  ],
  [
    /\bhad to (?:wait|repeat|tell|start|chase|explain|ring|keep)\b|\bbounced\b|\bwhat'?s the point\b|\bwhats the point\b|\bno suitable\b|\bout of school\b|\bnothing from\b|\b(?:again and again|over and over|every single time)\b|\b(?:same|all the) (?:questions|story|form|things) (?:again|over)\b|\bexplain everything again\b|\bwithout (?:asking|telling|phoning|ringing|consulting|involving) (?:me|us|her|him|them)\b|\b(?:kicked|thrown) out\b|\bwant to go home\b|\bi miss (?:my|her|him|them|you|home|being)\b|\bnot enough\b|\bup to me\b|\b(?:just |only |i )?wish (?:she|he|they|it|there|we|someone|somebody|people|you)\b|\b(?:couldn'?t|can'?t|cant|couldnt|cannot) (?:get to|find|access|reach|understand|get through to|get hold of)\b|\bwithout (?:us|me|them)\b|\bmiles away\b|\b(?:want|wanna|wanted) to die\b|\blike (?:she|he|i|we|they) (?:wasn'?t|wasnt|weren'?t|werent) (?:there|in the room|even there)\b/g,
    -1,
  ],
  [/\bcan'?t get (?:up|through)\b|\b(?:weeks|months|years) for\b|\bin the end\b/g, -1],
  [/\bdidn'?t (?:expect|pretend)\b/g, 0.5],
  [/\bcosts? (?:a fortune|an arm)\b/g, -1],
  // having a say and being heard, in the words people use for it
  [
    /\b(?:got|get|gets|had|have|having) (?:a|my|our|some|more) say\b|\bcounted for something\b|\bmade sure (?:i|we|he|she|they) (?:could|got|had|was|were)\b|\bin (?:my|our|his|her) (?:own )?words\b|\basked (?:me|us|him|her|them) what (?:i|we|he|she|they) (?:wanted|thought|needed|felt|would like)\b|\b(?:took|take|takes|taken|taking) (?:my|our|his|her|their) (?:views|wishes|opinions?|feelings) into account\b|\b(?:as|like) an equal\b|\btreated (?:me|us|her|him) (?:like|as) (?:an adult|a person|a human|an equal|a grown ?up)\b/g,
    1.3,
  ],
  [
    /\bgets me\b|\b(?:a )?credit to\b|\b(?:cannot|can'?t|cant|couldn'?t) praise (?:\w+ ){1,2}enough\b|\bwent (?:really |very |so )?well\b|\bput (?:my|our) minds? at rest\b|\bexplained (?:\w+ )?clearly\b|\b(?:knew|know) (?:exactly )?(?:who|what|where) to\b|\b(?:can feel|see) it working\b|\bmade it (?:so )?easy\b|\breally showed\b|\bfor once\b|\bsame plan\b|\bhelps me\b/g,
    1.2,
  ],
  [
    /\b(?:it|that|this|which)(?:'s| is| was) (?:so |well |proper |dead |actually )?(?:sick|mint|lit|peng|banging|class)\b|\b\w+ (?:was|is) (?:so |proper |dead )?class\b|\b(?:he'?s|hes|she'?s|shes|they'?re|theyre|is|was|are) (?:so |really |proper |dead |well )?chill\b/g,
    1.2,
  ],
  [
    /\b(?:nobody|no one|no-one|never) (?:has )?(?:ever )?made (?:me|us) feel (?:judged|stupid|small|bad|rushed|awkward|uncomfortable|guilty|ashamed|like a \w+)\b|\bexpect\w* (?:to be )?(?:judged|the worst|a lecture|to be told off|to be blamed)\b[^.!?]{0,25}\b(?:wasn'?t|wasnt|didn'?t|didnt|weren'?t|werent)\b/g,
    1.6,
  ],
  // people being made small, passed around, kept out: negative whatever the politeness
  [
    /\bgiven up on (?:me|us|him|her)\b|\bgave up\b|\bcondescending\b|\bmade (?:me|us) feel (?:stupid|small|thick|useless|like dirt)\b|\blike (?:i'?m|im|i was|we were|she was|he was) (?:thick|stupid|dirt|rubbish|an idiot)\b|\bcrime scene\b|\bnone of them (?:match|agree|talk|know)\b|\b(?:passed|pushed|bounced) (?:between|from|around)\b|\blike a parcel\b|\bpillar to post\b|\b(?:said|saying|say) (?:completely )?different things\b|\bdecided before\b|\ball decided\b|\bfound out from (?:our|my|his|her|the|a) \w+/g,
    -1.5,
  ],
  [
    /\b(?:never|not|wasn'?t|wasnt|weren'?t|werent) (?:even |once )?(?:consulted|invited|involved)\b|\bbefore (?:anyone|anybody|someone|they|somebody) (?:took|listened|believed|came|rang|did)\b|\bno (?:cooker|heating|hot water|beds?|money|gas|electric|lights?|furniture|fridge|washing machine)\b|\bunder review\b/g,
    -1.5,
  ],
  // politeness that carries a complaint, and sarcasm
  [
    /\b(?:would|it'?d|it would) (?:have been|be) nice (?:to|if)\b|\bi'?d (?:just )?(?:gently )?(?:point out|expect|appreciate|like to think)\b|\bgently point out\b|\bperhaps (?:someone|somebody|you) could\b|\blet'?s just say\b|\b(?:won'?t|wont|wouldn'?t|wouldnt|will not|would not) (?:be )?recommend(?:ing)?\b|\bnot (?:quite|exactly|really) (?:the|what|how)\b|\b(?:ten|10) out of (?:ten|10) for\b|\byeah,? (?:really |very |super )?(?:helpful|great|brilliant|useful|good|thanks|cheers)\b|\bcheers for that\b|\b(?:great|brilliant|fantastic|excellent|wonderful|amazing|top|lovely) (?:service|job|work|stuff),? as (?:always|usual|ever)\b|^with respect,|\bi may be old fashioned\b/g,
    -1.8,
  ],
  // hyperbole about school or a meeting: negative, not distress
  [
    /\bkilling me\b|\brather die\b|\b(?:i'?ll|i will|gonna|going to) (?:actually |literally )?die\b|\b(?:gonna|going to) kill me\b|\bdie of (?:embarrassment|shame|boredom|cringe)\b|\bcba\b/g,
    -1.2,
  ],
  // questions asked and things dropped round are not opinions
  [/\basked (?:me |him |her |us |them )?(?:if|whether)\b[^.,!?]{0,40}|\bdropped (?:\w+ |the \w+ )?(?:round|off|by|in)\b|\bnothing to worry about\b/g, 0],
  // not opinion: words that look scored but are names of things
  [
    /\bsocial care\b|\bfoster care\b|\bkind of\b|\bkinda\b|\bmiss \p{L}+|\bpretty much\b|\bsafe(?:guarding)? (?:team|hub|plan)\b|\bsafeguarding\b|\bgood morning\b|\bwell being\b|\bwellbeing\b|\b(?:i'?ll|i will|to) be (?:honest|fair)\b|\bnever (?:felt|been|seen|heard|had|met) (?:so|such|more|as)\b|(?<!\b(?:i|we|you|they|he|she|kids|really|do|dont|don't|didn't|didnt|does|would|actually|still|also|quite|just) )like (?:a|an|the|that|this|\d)\b|\bfeel like\b|\blooks? like\b|\bsounds? like\b/gu,
    0,
  ],
];

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  "don't",
  'dont',
  "doesn't",
  'doesnt',
  "didn't",
  'didnt',
  "isn't",
  'isnt',
  "wasn't",
  'wasnt',
  "aren't",
  'arent',
  "weren't",
  'werent',
  "won't",
  'wont',
  "wouldn't",
  'wouldnt',
  "can't",
  'cant',
  'cannot',
  "couldn't",
  'couldnt',
  "haven't",
  'havent',
  "hasn't",
  'hasnt',
  'hardly',
  'barely',
  'without',
  'nor',
  'aint',
  "ain't",
  'nobody',
  'noone',
  "nobody's",
  'nobodys',
]);
/** Multipliers for the next scored word: intensifiers above 1, downtoners below. */
const INTENSIFIERS = new Map<string, number>([
  ['very', 1.5],
  ['really', 1.4],
  ['reely', 1.4],
  ['realy', 1.4],
  ['so', 1.4],
  ['soo', 1.6],
  ['sooo', 1.8],
  ['proper', 1.5],
  ['well', 1.2],
  ['dead', 1.4],
  ['super', 1.5],
  ['totally', 1.5],
  ['absolutely', 1.7],
  ['literally', 1.2],
  ['extremely', 1.8],
  ['truly', 1.4],
  ['most', 1.2],
  ['mad', 1.4],
  ['peak', 1.3],
  ['highkey', 1.4],
  ['actually', 1.2],
  ['honestly', 1.2],
  ['too', 1.2],
  ['incredibly', 1.7],
  ['utterly', 1.7],
  ['bit', 0.6],
  ['slightly', 0.6],
  ['quite', 0.9],
  ['fairly', 0.8],
  ['lowkey', 0.7],
  ['somewhat', 0.6],
  ['mostly', 0.8],
  ['pretty', 1.1],
  ['abit', 0.6],
]);
/** Words that start a new clause which outweighs the one before ("nice BUT nobody rang back"). */
const CONTRAST = new Set([
  'but',
  'however',
  'yet',
  'except',
  'unfortunately',
  'sadly',
  'shame',
  'pity',
  'gutted',
  'whereas',
  'although',
  'though',
  'tho',
  'otherwise',
]);
/** Concessive openers: the clause they start is outweighed by the one after it ("Although the wait was long, …"). */
const CONCESSIVE = new Set(['although', 'though', 'tho', 'despite', 'even']);

const POS_EMOJI = /😊|🙂|😀|😃|😄|😁|👍|❤|💕|🥰|😍|💖|💙|💜|💚|🙏|👌|⭐|🌟|😎|🤗|☺|🥳|💯/gu;
const NEG_EMOJI = /😢|😭|😡|😠|👎|💔|😞|😔|😩|🙁|☹|😤|😫|😰|😱|😒|🤬|😖|😣|😬|😕|😟/gu;
const LAUGH_EMOJI = /😂|🤣|😆/gu;
const EYE_ROLL = /🙄|🙃/u;
const BOUNDARY = /[.!?\n;:]/;
const ONE_WORD_PRAISE = /(?:^|[.!?]\s+)(?:wonderful|brilliant|great|fantastic|marvellous|lovely|perfect|impressive|superb|excellent|amazing)[.!]+(?:\s|$)/;

/** Reused between calls: phrase scores by start offset (the analysis is synchronous). */
let scratch = new Float32Array(2048);

interface Clause {
  pos: number;
  neg: number;
  weight: number;
  /** opened by "but/except" or closed by a trailing "though": it is set against the clause before */
  turn?: boolean;
}

/**
 * Lexicon sentiment over clauses. The text is cut at sentence ends and contrast markers; the clause
 * after "but/however/though" weighs more than the one before, a concessive clause ("although …")
 * weighs less. Negators flip the next few scored words (a flipped complaint — "not bad",
 * "couldn't fault" — reads as mild praise), intensifiers and downtoners scale them, an eye-roll
 * or "great, another …" turns praise sarcastic, and unknown words are looked up phonetically
 * ("scard", "lisend"). Opposite clauses of comparable size make the text mixed; no opinion words
 * make it neutral. `distress` (a current disclosure) makes it negative. A faces rating settles
 * neutral text and makes text that disagrees with it mixed.
 */
export function scoreSentiment(lower: string, toks: Token[], rating?: { value: number; points: 3 | 5 }, distress = false): Sentiment {
  if (scratch.length < lower.length) scratch = new Float32Array(lower.length * 2);
  const masked = scratch;
  masked.fill(0, 0, lower.length);
  for (const [re, v] of PHRASES) {
    for (const m of matchesOf(re, lower)) {
      if (m[0].length === 0) continue;
      let at = m.index;
      while (at < lower.length && /[\s.!?]/.test(lower.charAt(at))) at++;
      if (masked[at] !== 0) continue;
      masked.fill(1e-4, at, m.index + m[0].length);
      masked[at] = v === 0 ? 2e-4 : v;
    }
  }
  const sarcastic = EYE_ROLL.test(lower);
  const clauses: Clause[] = [{ pos: 0, neg: 0, weight: 1 }];
  let negateLeft = 0;
  let boost = 1;
  let concessive = false;
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i] as Token;
    const w = tk.low;
    let clause = clauses[clauses.length - 1] as Clause;
    const sentenceEnd = BOUNDARY.test(tk.gap);
    if (sentenceEnd || (concessive && tk.gap.includes(','))) {
      negateLeft = 0;
      boost = 1;
      if (clause.pos > 0 || clause.neg > 0 || concessive) {
        clause = { pos: 0, neg: 0, weight: concessive ? 1.3 : 1 };
        clauses.push(clause);
      }
      concessive = false;
    }
    const phrase = masked[tk.s] ?? 0;
    if (CONTRAST.has(w) && phrase === 0) {
      negateLeft = 0;
      const opensSentence = tk.sentStart || sentenceEnd;
      if (CONCESSIVE.has(w) && opensSentence) {
        // "Although X, Y": X is the concession
        concessive = true;
        if (clause.pos > 0 || clause.neg > 0) {
          clause = { pos: 0, neg: 0, weight: 0.8 };
          clauses.push(clause);
        } else clause.weight = 0.8;
      } else if ((w === 'tho' || w === 'though') && (i === toks.length - 1 || BOUNDARY.test((toks[i + 1] as Token).gap))) {
        // trailing "…sound tho": this clause is the turn
        clause.weight = 1.3;
        clause.turn = true;
      } else if (clause.pos > 0 || clause.neg > 0 || w === 'but' || w === 'except') {
        clause = { pos: 0, neg: 0, weight: 1.3, turn: true };
        clauses.push(clause);
        if (w === 'shame' || w === 'pity' || w === 'gutted' || w === 'unfortunately' || w === 'sadly') clause.neg += 1;
      } else if (w === 'shame' || w === 'pity' || w === 'gutted' || w === 'unfortunately' || w === 'sadly') clause.neg += 1;
      continue;
    }
    if (phrase === HEDGE32) {
      clauses.push({ pos: 0, neg: 0.6, weight: 1 }, { pos: 0, neg: 0, weight: clause.weight });
      negateLeft = 0;
      continue;
    }
    if (phrase !== 0) {
      if (Math.abs(phrase) > 0.001) {
        // a negator before a phrase flips it ("didn't make me feel like a bad mum", "didn't take it seriously")
        const flip = negateLeft > 0 && !/^(?:not|no|never|nobody|didn|don|can|couldn|wasn|isn)/.test(w);
        addTo(clause, flip ? (phrase < 0 ? -phrase * 0.6 : -phrase * 0.8) : phrase);
      }
      negateLeft = 0;
      boost = 1;
      continue;
    }
    if (NEGATORS.has(w)) {
      negateLeft = 4;
      if (NEG_ALWAYS.has(w)) addTo(clause, -0.6);
      continue;
    }
    const intens = INTENSIFIERS.get(w);
    if (intens !== undefined && ((w !== 'peak' && w !== 'mad' && w !== 'dead' && w !== 'well') || isScored(toks[i + 1]))) {
      if (w !== 'actually' && w !== 'honestly') boost = intens;
      continue;
    }
    if (w === 'peak' && clause.weight > 0) {
      // teen slang: "peak" on its own means bad luck
      addTo(clause, -1.5);
      continue;
    }
    let v = WORDS.get(w);
    if (v === undefined && !STOP.has(w)) v = FALLBACK(w);
    if (v !== undefined) {
      let score = v * boost;
      if (negateLeft > 0 && !NEG_ALWAYS.has(w)) score = v > 0 ? -score * 0.8 : -score * 0.5;
      if (sarcastic && score > 0) score = -score;
      addTo(clause, score);
      boost = 1;
    }
    if (negateLeft > 0) negateLeft--;
  }
  const last = clauses[clauses.length - 1] as Clause;
  last.pos += (lower.match(POS_EMOJI)?.length ?? 0) * 1.5 + (lower.match(LAUGH_EMOJI)?.length ?? 0) * 0.6;
  last.neg += (lower.match(NEG_EMOJI)?.length ?? 0) * 1.5 + (sarcastic ? 1 : 0);

  // "X but Y" where only one side has opinion words: the other side reads as its opposite
  // ("I like my school except the dinners", "miles away but the staff were amazing")
  for (let k = 1; k < clauses.length; k++) {
    const c = clauses[k] as Clause;
    const before = clauses[k - 1] as Clause;
    if (!c.turn) continue;
    const netC = c.pos - c.neg;
    const netB = before.pos - before.neg;
    if (Math.abs(netC) < 0.1 && Math.abs(netB) >= 0.5) {
      if (netB > 0) c.neg += 0.8;
      else c.pos += 0.8;
    } else if (Math.abs(netB) < 0.1 && Math.abs(netC) >= 0.5 && before.pos === 0 && before.neg === 0 && k >= 1) {
      if (netC > 0) before.neg += 0.8;
      else before.pos += 0.8;
    }
  }
  let pos = 0;
  let neg = 0;
  let posClause = 0;
  let negClause = 0;
  for (const c of clauses) {
    pos += c.pos;
    neg += c.neg;
    const net = c.pos - c.neg;
    if (net >= 0.4) posClause += net;
    if (net <= -0.4) negClause -= net;
  }
  if (distress) return 'negative';
  // "Wonderful. The one day I take off work and nobody turns up." / "... Impressive."
  if (ONE_WORD_PRAISE.test(lower) && neg >= 0.9) return 'negative';

  let text: Sentiment;
  if (pos < 0.45 && neg < 0.45) text = 'neutral';
  else if (posClause > 0 && negClause > 0 && Math.min(posClause, negClause) / Math.max(posClause, negClause) >= 0.3) text = 'mixed';
  else if (pos >= 0.9 && neg >= 0.9 && Math.min(pos, neg) / Math.max(pos, neg) >= 0.75) text = 'mixed';
  else if (Math.abs(pos - neg) < 0.3) text = pos >= 0.5 ? 'mixed' : 'neutral';
  else text = pos > neg ? 'positive' : 'negative';

  if (!rating) return text;
  const r = rating.points === 5 ? (rating.value <= 2 ? -1 : rating.value >= 4 ? 1 : 0) : rating.value <= 1 ? -1 : rating.value >= 3 ? 1 : 0;
  if (text === 'neutral') return r > 0 ? 'positive' : r < 0 ? 'negative' : 'neutral';
  if ((text === 'positive' && r < 0) || (text === 'negative' && r > 0)) return 'mixed';
  return text;
}

function addTo(clause: Clause, v: number): void {
  const x = v * clause.weight;
  if (x > 0) clause.pos += x;
  else clause.neg -= x;
}

function isScored(tk: Token | undefined): boolean {
  if (!tk || BOUNDARY.test(tk.gap)) return false;
  return WORDS.has(tk.low) || INTENSIFIERS.has(tk.low);
}

/** Words that carry an opinion, in any spelling the scorer knows ("nise", "grate"): never a person's name. */
export function isOpinionWord(w: string): boolean {
  return WORDS.has(w) || INTENSIFIERS.has(w) || NEGATORS.has(w) || (w.length >= 5 && FALLBACK(w) !== undefined);
}
