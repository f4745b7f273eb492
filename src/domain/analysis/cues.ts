import { pattern } from './patterns';
import { matchesOf } from './progress';
import { phoneticIndex } from './spelling';
import type { DisclosureCategory } from './types';

/**
 * Disclosures described through signs rather than keywords. People rarely write "neglect" or
 * "grooming": they write about rotten teeth and no coats, a coach who sends pictures of himself,
 * packages carried for older lads. Each category has small cue lexicons; a category fires when
 * its cues CO-OCCUR in a sentence (or a sentence and its neighbour) and their weights reach a
 * threshold, so one ordinary word ("coat", "coach", "phone") never fires on its own.
 * All patterns run on lower-cased, spelling-canonicalised text, with bounded gaps (linear time).
 */

// ---------------------------------------------------------------- children's spelling

/** Frequent children's and text spellings of words the disclosure patterns rely on. */
const SPELLING = new Map<string, string>(
  Object.entries({
    wud: 'would',
    wuld: 'would',
    cud: 'could',
    shud: 'should',
    beter: 'better',
    betta: 'better',
    witout: 'without',
    wivout: 'without',
    widout: 'without',
    evry: 'every',
    evryone: 'everyone',
    evry1: 'everyone',
    every1: 'everyone',
    evrybody: 'everybody',
    sum1: 'someone',
    some1: 'someone',
    sumone: 'someone',
    no1: 'no one',
    sumtimes: 'sometimes',
    ded: 'dead',
    dy: 'die',
    wen: 'when',
    wot: 'what',
    sed: 'said',
    ses: 'says',
    sez: 'says',
    dus: 'does',
    frend: 'friend',
    freind: 'friend',
    frends: 'friends',
    skool: 'school',
    scool: 'school',
    bruses: 'bruises',
    brusies: 'bruises',
    bruzes: 'bruises',
    bruse: 'bruise',
    hed: 'head',
    rong: 'wrong',
    tuch: 'touch',
    tuches: 'touches',
    tuched: 'touched',
    secrit: 'secret',
    sekrit: 'secret',
    hungee: 'hungry',
    hungree: 'hungry',
    hungary: 'hungry',
    fud: 'food',
    cubbords: 'cupboards',
    cubbord: 'cupboard',
    cubbards: 'cupboards',
    showd: 'showed',
    nite: 'night',
    tonite: 'tonight',
    nevr: 'never',
    pinchis: 'pinches',
    pinchs: 'pinches',
    purpel: 'purple',
    kil: 'kill',
    killd: 'killed',
    myslef: 'myself',
    mysef: 'myself',
    girlfrend: 'girlfriend',
    boyfrend: 'boyfriend',
    nobdy: 'nobody',
    hurtin: 'hurting',
    hitin: 'hitting',
    hiting: 'hitting',
    kickin: 'kicking',
    scard: 'scared',
    skared: 'scared',
    scaird: 'scared',
    hapy: 'happy',
    hapier: 'happier',
    dissapear: 'disappear',
    disapear: 'disappear',
    dissappear: 'disappear',
    alsep: 'asleep',
    asleap: 'asleep',
    drunc: 'drunk',
    dint: "didn't",
    wiv: 'with',
    hitts: 'hits',
    kiks: 'kicks',
    punchis: 'punches',
    bleading: 'bleeding',
    unkle: 'uncle',
    alown: 'alone',
    alon: 'alone',
    darc: 'dark',
    eny: 'any',
    enymore: 'anymore',
    enuff: 'enough',
    nuthin: 'nothing',
    nuffin: 'nothing',
    nothin: 'nothing',
  }),
);

/** Words the disclosure cues use, looked up by sound when a long word is unknown ("dissapeer", "cubords"). */
const VOCAB = `everyone everybody without better happier disappear bruises bruised pinches punches punching hitting kicking
  scared hungry cupboards cupboard secret touches touching touched friend girlfriend boyfriend nobody someone sometimes myself
  herself himself burden starving bleeding breathing screaming shouting following grabbed dragged strangled slapped smacked
  special favourite presents pictures photos birthday nappy dentist coats freezing asleep drunk alone disappear forever
  threatened threatening battered packages parcels deliver delivering trainers`
  .trim()
  .split(/\s+/);
const SOUNDS = phoneticIndex(
  VOCAB.map((w): [string, string] => [w, w]),
  5,
);
/** Real words that sound like a cue word and must keep their meaning ("slipped" is not "slapped"). */
const REAL = 'slipped slipping clipped stripped skipped shipped flipped tripped grabbing stopped stepped chipped whipped snapped'.split(' ');
const KNOWN = new Set([...VOCAB, ...REAL]);

const TOKEN = /[a-z0-9]+(?:'[a-z]+)*/g;

export interface Canonical {
  text: string;
  /** canonical offset -> offset in the input; null when nothing was respelled */
  map: Int32Array | null;
}

/**
 * Respells known children's spellings ("evry one wud be beter of witout me") so the disclosure
 * patterns see ordinary words. Offsets map back onto the input.
 */
export function canonicalise(lower: string): Canonical {
  let out = '';
  let cursor = 0;
  let changed = false;
  const pieces: [number, number, string][] = [];
  for (const m of matchesOf(TOKEN, lower)) {
    const w = m[0];
    let to = SPELLING.get(w);
    if (to === undefined && w.length >= 5 && !KNOWN.has(w)) to = SOUNDS(w);
    if (to !== undefined && to !== w) pieces.push([m.index, m.index + w.length, to]);
  }
  if (pieces.length === 0) return { text: lower, map: null };
  const map: number[] = [];
  for (const [s, e, to] of pieces) {
    for (let i = cursor; i < s; i++) map.push(i);
    out += lower.slice(cursor, s);
    for (let k = 0; k < to.length; k++) map.push(k < to.length - 1 ? s : e - 1);
    out += to;
    cursor = e;
    changed = true;
  }
  for (let i = cursor; i < lower.length; i++) map.push(i);
  out += lower.slice(cursor);
  map.push(lower.length);
  return changed ? { text: out, map: Int32Array.from(map) } : { text: lower, map: null };
}

// ---------------------------------------------------------------- cue lexicons

type Cue = { re: RegExp; w: number };
const cue = (w: number, ...alts: string[]): Cue => ({ re: pattern(alts.join('|'), 'g'), w });

const KID =
  '(?:me|him|her|us|them|the (?:kids|children|baby|boy|girl|lad|little one)|my (?:little |baby |big |younger |older )?(?:nephew|niece|grandson|granddaughter|son|daughter|brother|sister|cousin|mate|friend|little one|boy|girl))';
const CARER = "(?:mum|mam|mom|mummy|mammy|dad|daddy|she|he|they|her mum|his mum|her dad|his dad|the parents?|my daughter|my son)(?: is|'s| are| was|s)?";

/** Weather, time and being alone: they add weight to a sign of neglect but are never one. */
const ENV = cue(
  1,
  '\\b(?:cries|crying|screams?|screaming) (?:all night|for hours|till)\\b',
  '\\bin the dark\\b',
  '\\b(?:snowing|freezing|in the rain)\\b',
  '\\b(?:for hours|for weeks|for days|all week|every night|most nights|for a year|every day)\\b',
);
const ALONE = cue(1, '\\b(?:alone|on (?:my|his|her|their|our) own|by (?:my|him|her|them)sel(?:f|ves))\\b');

/** Neglect: signs of a child's needs going unmet. Weight 2 = a sign on its own; 1 = needs company. */
const NEGLECT_SIGNS: Cue[] = [
  cue(
    2,
    '\\b(?:rotten|black|decayed|bad|brown) (?:teeth|tooth)\\b',
    '\\b(?:teeth|tooth)\\b[^.!?\\n]{0,40}\\b(?:black|rotten|falling out|gone brown)\\b',
    '\\bnever (?:been to|seen|had) (?:a|the) dentist\\b',
  ),
  cue(
    2,
    '\\b(?:wet|dirty|soiled|soaking|full|same|heavy) nappy\\b',
    '\\bnappy rash\\b[^.!?\\n]{0,20}\\b(?:bleeding|raw|open)\\b',
    '\\bin (?:just )?a (?:nappy|vest|t-?shirt)\\b[^.!?\\n]{0,40}\\b(?:rain|cold|snow|winter|hours|window|street)\\b',
  ),
  cue(1, '\\bhead ?lice\\b|\\bnits\\b|\\bcrawling with\\b'),
  cue(
    2,
    "\\b(?:no|without|don'?t have|dont have|doesn'?t have|doesnt have|never have|hasn'?t got|hasnt got|haven'?t got|havent got|not got|has no|have no) (?:a |any )?(?:coats?|socks|shoes|jumpers?|warm clothes|winter clothes|proper clothes|clean clothes)\\b",
    '\\bsummer clothes in\\b',
    '\\bt-?shirts? in (?:the )?(?:winter|snow|rain|cold)\\b',
  ),
  cue(
    2,
    '\\bholes? (?:in|right through) (?:their|his|her|my|the)? ?shoes\\b',
    '\\bshoes (?:have|with|full of) holes\\b',
    '\\bsoles? (?:hanging|falling) off\\b',
    '\\bshoes (?:are )?falling apart\\b',
  ),
  cue(
    2,
    '\\bstarving\\b',
    '\\bnever been fed\\b',
    '\\bhides? food\\b',
    '\\b(?:steals?|stealing|nicks?|nicking|nick) (?:food|from the shop)\\b',
    '\\beat (?:whatever|what) i can (?:nick|find|steal)\\b',
    '\\basking (?:the )?(?:neighbours|people|strangers|us|me)? ?for food\\b',
    '\\bknock(?:s|ing)? on doors\\b[^.!?\\n]{0,20}\\bfood\\b',
  ),
  cue(
    2,
    '\\b(?:fridge|cupboards?)\\b[^.!?\\n]{0,12}\\b(?:empty|bare)\\b',
    "\\b(?:there'?s |theres |usually |never )?nothing in (?:the fridge|the cupboards?|at home|the house|the flat)\\b",
    "\\bthere'?s nothing in\\b|\\btheres nothing in\\b|\\busually nothing in\\b",
    '\\bno food\\b',
    "\\b(?:never|no|not any|isn'?t any|isnt any|there'?s no|theres no) (?:milk|bread|formula|nappies|food in)\\b",
    '\\b(?:cereal|cornflakes) with water\\b|\\bdry cereal\\b',
    '\\bno money (?:left )?for (?:the )?(?:meter|food|gas|electric|tea|dinner)\\b',
    "\\b(?:hasn'?t|hasnt|haven'?t|havent|not) been (?:home|back) (?:since|for)\\b",
    '\\bnothing to eat\\b',
    "\\b(?:haven'?t|havent|not) (?:had|eaten) (?:a )?(?:proper )?(?:meal|food|anything)\\b",
  ),
  cue(2, '\\bmouldy food\\b|\\bdog (?:mess|poo|muck|dirt)\\b|\\b(?:rubbish|nappies|bin bags) (?:everywhere|piled)\\b'),
  cue(
    1,
    '\\b(?:house|flat|home|place|room)\\b[^.!?\\n]{0,12}\\b(?:filthy|disgusting|a tip|stinks|so dirty|really dirty|minging)\\b',
    '\\bso dirty\\b|\\bstinks\\b|\\bsmells\\b|\\bsame clothes\\b|\\bdirty clothes\\b',
  ),
  cue(2, '\\b(?:grey|gray) and thin\\b|\\bso thin\\b|\\bskin and bone\\b|\\bunderweight\\b|\\blooks? neglected\\b'),
  cue(
    2,
    '\\b(?:never|not) (?:taken|took) to (?:his|her|their|the|any) (?:appointments?|doctors?|dentist|gp)\\b',
    '\\bno(?:body| one|one) (?:took|takes|take) (?:him|her|them|me|us) to (?:a|the) (?:doctor|dentist|hospital|gp)\\b',
    '\\bmiss(?:es|ed)? (?:all )?(?:his|her|their) (?:medical |hospital )?appointments\\b',
  ),
  cue(
    2,
    "\\b(?:are|is|was|were|be|been|being|stays?|stayed|staying|left|kept|playing|plays?|hanging|wander\\w*|roaming|kids|children)(?: out| outside| on the streets?| in the street| about)\\b[^.!?\\n]{0,25}\\b(?:at|till|until|after|past) (?:1[0-2](?: ?pm| at night| o'?clock)?|midnight|late at night|\\d ?am)\\b(?! (?:weeks|days|months|years|mins|minutes|hours))",
    '\\bout (?:really )?late at night\\b',
  ),
  cue(
    2,
    '\\bleaves? (?:me|us|them|him|her) (?:a tenner|a fiver|money|£?\\d+ ?(?:quid|pounds)?|some money)\\b',
    '\\b(?:goes|went|gone|going) off for days\\b',
    '\\b(?:gone|away|out) for days\\b',
    "\\b(?:doesn'?t|doesnt|never|don'?t|dont) come (?:back|home) (?:till|until|for)\\b",
  ),
  cue(
    1,
    `\\b${CARER} (?:always |still |usually |often |just |too |so )?(?:asleep|in bed|out of it|drunk|high|off (?:her|his|their|my) face|wasted|stoned|passed out|hungover)\\b`,
    '\\bneedles\\b',
    '\\bon (?:the|her|his) (?:drink|gear|smack)\\b',
  ),
  cue(
    2,
    '\\bno(?:body| one|one) (?:gets|got|get) (?:her|him|me|us|them) up\\b',
    `\\b${CARER} (?:doesn'?t|doesnt|never|won'?t|wont|don'?t|dont) get up\\b`,
    '\\bi do (?:his|her|their) (?:bottles?|nappy|nappies)\\b',
    '\\b(?:make|do) (?:my|our) own (?:packed lunch|lunch|tea|dinner|breakfast|food)\\b',
    '\\bi do everything for (?:my|the)\\b',
    "\\bhasn'?t been (?:in|to) school for (?:weeks|months)\\b",
  ),
  cue(
    1,
    "\\b(?:never|doesn'?t|doesnt|won'?t|wont|don'?t|dont) (?:ever )?(?:opens?|answers?) the door\\b",
    "\\bwon'?t let (?:the |anyone |anybody |them |professionals |social workers |the health visitor )?(?:in|near)\\b",
    '\\bcurtains (?:are )?(?:always )?(?:shut|closed|drawn)\\b',
  ),
  cue(
    1,
    '\\bhungry\\b',
    '\\bbare ?feet\\b|\\bbarefoot\\b|\\bno shoes\\b',
    '\\bshare a bed with\\b',
    '\\b(?:falling|falls|fell) asleep in (?:class|lessons?|school)\\b',
  ),
  cue(
    1,
    '\\bteeth (?:hurt|ache)\\b|\\btoothache\\b',
    "\\bcan'?t go to the dentist\\b|\\bcant go to the dentist\\b",
    '\\b(?:have|has|had) gone (?:black|brown|rotten)\\b',
  ),
];
/** One pass per weight: alternatives in one regex are far cheaper than one regex each. */
const merge = (w: number, cs: Cue[]): Cue => ({
  re: pattern(
    cs
      .filter((c) => c.w === w)
      .map((c) => c.re.source)
      .join('|'),
    'g',
  ),
  w,
});
const NEGLECT: Cue[] = [merge(2, NEGLECT_SIGNS), merge(1, NEGLECT_SIGNS), ENV, ALONE];

/** Immediate danger: something happening now, with distress. */
const URGENT_STRONG = cue(
  1,
  '\\bright now\\b',
  '\\bas i (?:type|write)\\b',
  '\\b(?:typing|writing) this\\b',
  '\\bat the moment\\b',
  '\\bthis minute\\b',
  '\\bwhat (?:do|should|can) i do\\b',
  '\\b(?:some|no)(?:one|body) (?:needs to|please|pls|plz|come|has to)\\b',
  "\\b(?:has|have|i'?ve|ive|i|someone|somebody)(?: just)? (?:called|rung|rang|phoned) (?:999|the police|an ambulance)\\b",
  "\\b(?:police|ambulance|they)\\b[^.!?\\n]{0,10}\\b(?:still )?(?:haven'?t|havent|hasn'?t|hasnt|not) (?:come|arrived|turned up|got here)\\b",
  "\\btonight'?s the night\\b",
  '\\b(?:is|are|keeps?|keep|has been|have been) (?:knocking|banging|shouting|screaming|crying|hitting|smashing|following|chasing|kicking|trying)\\b',
  "\\b(?:there'?s|theres|there is) (?:a|some) (?:man|men|guy|bloke|someone|person)\\b[^.!?\\n]{0,12}\\b(?:following|outside|chasing|watching|trying)\\b",
  '\\bjust (?:grabbed|taken|took|driven off|drove off|knocked|ran|run|kicked|hit|pushed|sent|turned up|broke|attacked)\\b',
  '\\bfor the last (?:hour|two hours|few hours|\\d+ (?:mins|minutes|hours))\\b',
  '\\bno(?:body|one| one) is (?:answering|home|here|picking up|leaving)\\b',
  '\\btaken (?:the|our|all the|my) phones\\b',
  "\\b(?:i'?m|im|i am) (?:on my own|by myself|alone|home alone)\\b",
  '\\bi can hear\\b',
  '\\bas we speak\\b',
  '\\bstill (?:in the house|here|outside)\\b',
);
const URGENT_WEAK = cue(
  1,
  '\\bnow\\b(?! (?:i|we|he|she|they) (?:have|has|am|are|know|get|can|feel|go|live|see))(?<!\\b(?:fine|ok|okay|better|safe|good|happy|sorted|over|alright|settled|healed|clean|grateful|working) now)',
  '\\btonight\\b',
);
const DANGER_STRONG = cue(
  1,
  '\\b(?:dragged|dragging|grabbed|grabbing|smashing|laying into|beating|punching|strangling|hitting|kicking|stabbing|stabbed|following me|following us|chasing|knife|machete|weapon|gun|bleeding|blood everywhere)\\b',
  "\\b(?:won'?t|wont|can'?t|cant|cannot|couldn'?t) wake\\b",
  "\\b(?:not|isn'?t|isnt) (?:talking|moving|breathing|waking|answering)\\b",
  '\\b(?:lying|laid|collapsed|passed out) on the (?:\\w+ )?(?:floor|ground)\\b',
  '\\bon the floor\\b',
  '\\bfell down\\b',
  '\\bsick everywhere\\b',
  '\\bunconscious\\b',
  '\\blocked (?:us|me|them)(?: all)? in\\b',
  '\\btaken (?:the|my|our|all the) phones\\b',
  '\\b(?:driven|drove) off\\b',
  '\\bnot allowed contact\\b',
  '\\bno(?:body|one| one) is leaving\\b',
  "\\btonight'?s the night\\b",
);
const DANGER_WEAK = cue(
  1,
  '\\b(?:screaming|crying|shouting|throwing|knocking|banging|scared|terrified|frightened|petrified|in the dark|pyjamas|no shoes)\\b',
  "\\bits dark\\b|\\bit'?s dark\\b",
);
const ALONE_WITH_BABY: Cue = {
  re: pattern(
    String.raw`\b(?:on my own|by myself|alone) with (?:my |the )?(?:baby|little)\b|\b(?:mummy|mum|mam|mummys|dad|daddy|nanny|nan|she|he)\b[^.!?\n]{0,10}\b(?:won'?t|wont|can'?t|cant|will not|wouldn'?t|woudnt) wake(?: up)?\b|\bcan'?t wake (?:mum|mam|dad|him|her|them|mummy|daddy|nanny|nan)\b|\bcant wake (?:mum|mam|dad|him|her|them|mummy|daddy|nanny|nan)\b`,
    'g',
  ),
  w: 2,
};

/** Grooming and sexual exploitation: an adult role with secrecy, gifts, flattery, images, alcohol, lifts. */
const ADULT = cue(
  1,
  '\\b(?:coach|teacher|tutor|instructor|man|men|guy|guys|bloke|fella|stranger|lodger|neighbour|uncle|step ?(?:brother|dad|father)|taxi driver|driver)\\b',
  '\\bolder (?:lads?|men|man|guys?|boys?|girls?|kids)\\b',
  '\\bgrown (?:man|men|up|adult)\\b',
  '\\b(?:some|no)one online\\b|\\bonline\\b',
  "\\b(?:mum|mam|mom|dad|mummy)'?s (?:friend|mate|boyfriend|fella)\\b",
  '\\b(?:2\\d|3\\d|4\\d|5\\d) ?-?(?:year|yr)s? ?-?old\\b',
  '\\bin (?:their|his|her) (?:twenties|thirties|forties|fifties|20s|30s|40s)\\b',
  "\\b(?:who'?s|whos|he'?s|hes|is) (?:1[89]|[2-5]\\d)\\b",
);
const GROOM_STRONG = cue(
  2,
  '\\b(?:pictures?|pics?|photos?|videos?|selfies?) of (?:himself|his|him|herself)\\b',
  '\\bprivates\\b|\\bwilly\\b|\\bpenis\\b',
  "\\b(?:i'?m|im|i am|she'?s|shes|he'?s|hes|her|me) (?:his|her) (?:favourite|special|little)\\b",
  '\\b(?:his|her) (?:special|favourite) (?:girl|boy|one|friend)\\b',
  "\\b(?:says?|said|tells? (?:me|her|him)|told (?:me|her|him)) (?:i'?m|im|she'?s|shes|he'?s|hes|i am) (?:so )?(?:special|mature|beautiful|gorgeous|sexy|fit|pretty)\\b",
  '\\bmature for\\b',
  "\\b(?:not to|don'?t|dont|never) tell\\b",
  "\\b(?:our|a|its|it'?s) (?:little )?secret\\b(?! santa)",
  '\\bjust between us\\b',
  "\\b(?:people|they|nobody|no one) (?:wouldn'?t|wouldnt|won'?t|wont) understand\\b",
  '\\bon (?:his|her) lap\\b',
  "\\bwhat (?:i'?m|im|i am) wearing\\b",
  '\\b(?:loves|fancies) me\\b',
  '\\b(?:comes?|came|walks?|walked) in(?:to)? the (?:bathroom|shower)\\b',
  '\\bin the (?:shower|bath)\\b',
  '\\bsend (?:one|some|me one|pics|pictures|photos) back\\b',
  '\\bshow(?:ed|d|s)? (?:me|her|us) (?:his|him)\\b',
  '\\b(?:get|got|gets|getting) (?:us|me|her|them) drunk\\b',
  '\\b(?:back to|round) (?:their|his) (?:flat|house|place)\\b',
  '\\bparties with (?:drink|alcohol|booze)\\b',
  '\\b(?:get|gets|getting|got|go|goes|going|went) (?:in|into) (?:a |the |their |his |some )?(?:cars?|vans?|taxis?)\\b[^.!?\\n]{0,20}\\b(?:men|man|older|lads|guys|blokes)\\b',
  '\\b(?:get|gets|getting|got) (?:collected|picked up)\\b[^.!?\\n]{0,25}\\bby (?:older |grown )?(?:men|man|lads|guys|blokes)\\b',
  '\\b(?:picked|picks|picking|collected|collects|collecting) (?:her|me|us|them|girls)? ?up\\b[^.!?\\n]{0,30}\\b(?:older|men|man|lads|cars?)\\b',
  '\\b(?:older|grown) (?:men|man|lads?)\\b[^.!?\\n]{0,30}\\b(?:cars?|pick\\w*|collect\\w*)\\b',
  '\\b(?:iphone|designer)\\b',
  '\\blate at night\\b[^.!?\\n]{0,30}\\bmessag|\\bmessag\\w* (?:me|her)\\b[^.!?\\n]{0,30}\\blate at night\\b',
  "\\bmoney (?:she|he) can'?t explain\\b",
  '\\bthreatening to (?:post|share|send)\\b',
);
const GROOM_WEAK = cue(
  1,
  '\\b(?:gifts|presents)\\b',
  '\\b(?:buy|buys|bought|buying|gives|gave|giving|got) (?:me|her|him|us|them) (?:stuff|things|presents|clothes|vodka|drink|drinks|alcohol|booze|weed|sweets|money|a phone|phones|lifts|food and (?:booze|drink|alcohol))\\b',
  '\\b(?:vodka|booze|alcohol|weed)\\b',
  '\\b(?:lifts|drives (?:me|her) home)\\b',
  '\\bnew (?:phone|clothes)\\b',
  '\\b(?:messages|messaging|texting|texts) (?:me|her)\\b',
  '\\b(?:beautiful|gorgeous)\\b',
  '\\bsweets\\b',
  '\\bboyfriend\\b',
);

/** Criminal exploitation: carrying or holding for others, paid in kind, threatened, going missing far away. */
const CARRY = cue(
  1,
  '\\bdeliver(?:s|ed|ing)?\\b(?! (?:papers|newspapers|leaflets|pizzas?|takeaways?|the post))',
  '\\b(?:do|doing|did|does) (?:drops|jobs for)\\b',
  '\\bdrops for\\b',
  '\\b(?:take|taking|took|takes|carry|carrying|carried|move|moving) (?:stuff|things|packages?|parcels?|bags?|it) (?:across|to|for|round|into)\\b',
  '\\b(?:take|taking|took|carry|carrying|drop|dropping|dropped|move|moving) (?:off )?(?:a |the |some |their |his |this )?(?:packages?|parcels?|bags?)\\b',
  '\\b(?:keep|keeping|hold|holding|look after|looking after|mind|minding|hide|hiding|stash|stashing) (?:a |some |the |their |his |this )?(?:bag|bags|stuff|package|parcel|phone|knife)\\b',
  '\\bsell(?:ing)? (?:for|to) (?:them|him|older)\\b|\\bsell for\\b',
  '\\banswer (?:it )?whenever it rings\\b',
  '\\bgo (?:wherever|where) (?:they|he) (?:say|says|tell)\\b',
  '\\b(?:hands?|handing|gives?|giving) (?:out )?(?:little )?bags\\b',
  '\\bruns? for (?:them|him)\\b',
);
const PAY = cue(
  1,
  '\\bpaid (?:me |us |him )?in\\b',
  '\\bpays? (?:me|us|him)\\b',
  '£\\d+|\\b\\d+ ?(?:quid|pounds)\\b',
  '\\b(?:cash|creps|trainers|moped|two phones|2 phones|a phone|new phone)\\b',
  '\\bowes?\\b|\\bin debt\\b',
);
const THREAT = cue(
  1,
  "\\bor (?:they|he|she)(?:'ll| will| are gonna| are going to|ll) (?:come for|get|hurt|find|batter|stab|do)\\b",
  "\\b(?:get|gets|got|getting|i'?d get|id get) (?:hurt|battered|stabbed|done in|merked|beaten)\\b",
  '\\bif (?:i|he|she) (?:stop|stopped|stops)\\b',
  '\\bscared to stop\\b',
  "\\b(?:can'?t|cant) stop\\b",
  '\\bknow where (?:i|we|he|she) li?ve',
  "\\b(?:mum|family|brother|sister|nan) (?:will|would|'ll) get it\\b",
  '\\blost their (?:stuff|gear|money|bag|drugs)\\b',
  '\\b(?:stabbed|slashed)\\b',
);
const MISSING = cue(
  1,
  '\\b(?:being|been|was|were) missing\\b',
  '\\b(?:found|picked up|turned up|ended up) in\\b[^.!?\\n]{0,30}\\b(?:away|miles|another town|other side)\\b',
  '\\bdisappears? for days\\b',
  '\\b(?:going|goes|gone|went) missing\\b',
  '\\bmissing for days\\b',
  '\\bhours away\\b',
  '\\banother town\\b',
);
const OLDER = cue(
  1,
  '\\bolder (?:lads?|boys?|men|man|guys?|kids|ones)\\b',
  '\\b(?:a|some|this) (?:man|guy|bloke|lad)\\b',
  '\\b(?:his|their) mates\\b',
  '\\bthey\\b|\\bthem\\b',
  '\\bon the estate\\b',
);

/** Physical harm by a family member, a partner of one, or another adult. */
const HARM: Cue[] = [
  cue(
    2,
    '\\b(?:headlock|strangl\\w*|chok(?:es|ed|ing))\\b',
    '\\bholds? (?:his|her|my|their) head under\\b',
    '\\bunder the (?:bath )?water\\b',
    '\\b(?:shuts?|locks?) (?:me|him|her|us|them) in (?:the|a|his|her|my) \\w+',
    '\\bpoured\\b[^.!?\\n]{0,30}\\b(?:hot|boiling|kettle)\\b',
    '\\b(?:hot|boiling|kettle) water on\\b',
    '\\bscald(?:s|ed|ing)?\\b',
    '\\bthrew\\b[^.!?\\n]{0,25}\\bat (?:my|his|her) (?:face|head)\\b',
    '\\bsplit (?:my|his|her) lip\\b',
    '\\bblack eye\\b',
    '\\bhand ?prints?\\b|\\bcigarette burns?\\b',
    '\\bgrabbed (?:me|him|her|us|them|my \\w+(?: \\w+)?) by (?:the|my|his|her) (?:hair|neck|throat|arm)\\b',
    '\\bthrew (?:me|him|her|us|them) (?:across|into|against|down|at|on)\\b',
    '\\b(?:belt|finger|hand|slap|bite|strap|burn|cigarette|grip)[- ]?(?:shaped )?(?:marks|bruises)\\b',
    '\\bburns (?:me|him|her|us) with\\b',
    '\\bcigarettes? on (?:me|him|her|my|his)\\b',
    `\\b(?:hits?|hitting|slaps?|slapping|punch(?:es|ing)?|kicks?|kicking|pinch(?:es|ing)?|bites?|batters?|beats?) ${KID}\\b`,
    '\\b(?:pinches|pinched|slaps|slapped|smacks|kicks) (?:me|him|her|us)\\b',
  ),
  cue(
    1,
    "\\b(?:says?|said|sed|told me) (?:that )?(?:his|her|my|the)? ?(?:\\w+'?s? ){0,2}(?:did it|done it|did that|does it)\\b",
    '\\bbruis\\w*|\\bpurple marks\\b|\\bmarks (?:all )?(?:on|over) (?:my|his|her)\\b',
    '\\bflinch\\w*',
    "\\bcan'?t breathe\\b",
    '\\bon purpose\\b',
    '\\bscreams? at (?:him|her|me)\\b',
    '\\bdeserved it\\b',
  ),
];
const HARM_ACTOR =
  /\b(?:boyfriend|girlfriend|partner|fella|husband|wife|step ?(?:dad|mum|father|mother)|stepdad|stepmum|uncle|auntie|aunt|dad|daddy|mum|mam|mummy|mother|father|nan|grandad|he|she|they)\b/;

// ---------------------------------------------------------------- passive suicidal ideation

/** Wishes not to exist, being a burden, plans and goodbyes, written many ways; one match is enough. */
const IDEATION = pattern(
  [
    "\\b(?:every ?one|every ?body|my family|people|the world|they|mum|mam|my mum|my parents|the kids|all of them|things)(?: would| will|'d|d)? (?:be|b) (?:so much |much |a lot )?(?:happier|better|easier|fine|ok|okay)(?: off)?(?: for everyone)?(?: if (?:i|he|she)|without (?:me|him|her))\\b",
    '\\bbetter of{1,2} (?:without|witout) (?:me|him|her)\\b',
    '\\b(?:better|easier|happier) (?:for (?:every ?one|every ?body|them|all)|off) if (?:i|he|she)\\b',
    '\\b(?:better|easier|happier) without (?:me|him|her) in it\\b',
    '\\bwish (?:i|she|he) could (?:just )?(?:disappear|vanish|not exist|stop existing|go to sleep forever|sleep forever|die|fade away|not be here)\\b',
    "\\b(?:hoping|hope|pray|praying|wish) (?:i|she|he) (?:don'?t|dont|do not|never|won'?t|wont|doesn'?t|doesnt) wake up\\b",
    '\\b(?:go to sleep|sleep|fall asleep) and (?:not|never) wake up\\b',
    '\\bsleep forever\\b',
    "\\b(?:no ?one|nobody|no-one)(?: would| will|'d)? (?:even )?(?:notice|care|miss me|miss her|miss him)\\b[^.!?\\n]{0,25}\\bif (?:i|she|he) (?:was|were|wasn'?t|wasnt|died|disappeared|was gone|wasn'?t here)",
    '\\bif i (?:was|were) (?:gone|dead|not here|not around)\\b',
    "\\b(?:i'?m|im|i am|i feel like|feel like) (?:just )?a (?:burden|waste of space)\\b",
    '\\bburden (?:on|to) (?:every ?one|every ?body|my family|them)\\b',
    '\\b(?:ways|how) to (?:die|kill (?:my|your)self|end it|overdose)\\b',
    '\\b(?:tired|sick) of (?:being alive|living|life|existing)\\b',
    '\\bno way out\\b',
    '\\bgiving (?:my|all my|away my) (?:stuff|things|games|clothes)(?: away)?\\b[^.!?\\n]{0,40}\\b(?:need it|need them|be here|gone)\\b',
    "\\b(?:won'?t|wont) (?:need|be needing) (?:it|them|any of it)\\b",
    "\\b(?:don'?t|dont|can'?t|cant) see (?:myself|me) (?:still )?(?:being )?(?:here|alive|around)\\b",
    '\\bedge of the (?:platform|bridge|roof|cliff|car park)\\b',
    '\\bwish (?:a|the) (?:car|bus|train|lorry) would hit me\\b',
    "\\bif (?:i|he|she) (?:just )?(?:wasn'?t|wasnt|weren'?t|werent|was not|were not) (?:around|here|alive|in it)\\b",
    '\\b(?:i )?(?:just )?want (?:it all )?to (?:stop|end)\\b(?= (?:everything|it all|existing|living))',
    '\\bi ha?te? my (?:life|self)\\b[^.!?\\n]{0,30}\\b(?:die|dead|disappear|gone)\\b|\\b(?:die|dead)\\b[^.!?\\n]{0,12}\\bi ha?te? my life\\b',
    "\\b(?:wish|wished|want|wanna|hope|hoping|if) (?:i|she|he|me)\\b (?:\\w+ ){0,3}?(?:vanish\\w*|disappear\\w*|(?:not|don'?t|dont|never|didn'?t|didnt) wake up(?! (?:the|my|her|him|them|us|you|everyone|mum|dad)\\b)|not (?:be )?(?:here|around|alive)|(?:was|were) (?:gone|dead|not here)|stop(?:ped)? existing)",
    "\\b(?:not|won'?t|wont|ain'?t) (?:going to |gonna )?(?:be )?(?:here|around|alive) (?:much |for )?(?:longer|long|by|after|next)\\b",
    '\\b(?:carv|scratch|cut|burn|scrap)\\w* (?:\\w+ ){0,2}(?:into|in|on) (?:my|her|his|their) (?:arms?|legs?|wrists?|skin|thighs?|stomach)\\b',
    '\\b(?:pencil )?sharpener blades?\\b|\\brazor blades?\\b',
    '\\b(?:want|wanna|wants) to (?:die|dy)\\b',
    '\\bwant to be dead\\b',
    '\\b(?:scratch|cut|carv|burn|scrap)\\w* (?:her|his|my|their) (?:arms?|legs?|wrists?|skin|thighs?|stomach)\\b[^.!?\\n]{0,30}\\b(?:with|till|until)\\b',
    '\\b(?:punch|hit|bang|headbutt)\\w{0,6} (?:walls?|the wall|my head)\\b[^.!?\\n]{0,25}\\b(?:bleed|bled|bruis|hurt myself)',
    '\\bhate myself\\b[^.!?\\n]{0,40}\\b(?:punch|hit|cut|burn|scratch|bleed)',
  ].join('|'),
  'g',
);
const IDEA: Cue = { re: IDEATION, w: 2 };

/**
 * Each family: the cues that must be present, the cues that only matter alongside them, and a
 * cheap gate of words that every sign needs: a text without any of them skips the family's
 * slower patterns (most answers are about services, not harm).
 */
const NEGLECT_GATE =
  /tooth|milk|formula|cereal|meter|been home|been back|bare ?feet|barefoot|share a bed|asleep in|teeth|dentist|nappy|nappies| vest|shirt|coat|sock|shoe| soles?[^a-z']|jumper|cloth| lice[^a-z']| nits[^a-z']|crawling|starv| fed[^a-z']|food| nick|steal|fridge|cupboard|nothing in|nothing to eat| meal|eaten|had anything|mould| dog|rubbish|bin bag|filth|disgust|a tip[^a-z']|stink|dirty|minging|smell| thin[^a-z']|skin and|underweight|neglect|appointment|doctor| gp[^a-z']|out (?:on|in|at|till|until|after|past|late|really)[^a-z']|outside|street|about (?:at|till|until|after|past)[^a-z']|tenner|fiver|money|quid|pound|£|for days|come back|come home|asleep|in bed|out of it|drunk| high[^a-z']| face[^a-z']|wasted|stoned|passed out|hungover|needle| drink| gear[^a-z']| smack[^a-z']|get up|gets up|got up|bottle| own (?:p|l|t|d|b|f)|everything for|school for| door| let[^a-z']|curtain|hungry|toothache|gone (?:black|brown|rotten)/;
const IDEATION_GATE =
  /vanish|disappear|around|sharpener|razor|\bif (?:i|he|she) |without (?:me|him|her)|\bwish|\bwake|forever|burden|waste of space|ways to|how to|tired of|sick of|no way out|giving|need it|need them|needing|see myself|see me|edge of|to stop|to end|\bha?te? my|to die|to dy\b|to be dead|scratch|\bcut|\bcarv|\bburn|\bscrap|\bwalls?\b|my head|hate myself/;
const FAMILIES: [Cue[], Cue[], RegExp | null][] = [
  [NEGLECT.slice(0, 2), [ENV, ALONE], NEGLECT_GATE],
  [[DANGER_STRONG, DANGER_WEAK, ALONE_WITH_BABY], [URGENT_STRONG, URGENT_WEAK], null],
  [[GROOM_STRONG, GROOM_WEAK], [ADULT], null],
  [[CARRY, MISSING, THREAT], [PAY, OLDER], null],
  [HARM, [], null],
  [[IDEA], [], IDEATION_GATE],
];

// ---------------------------------------------------------------- scoring

export interface CueHit {
  cat: DisclosureCategory;
  /** where the strongest cue is, to check negation and hyperbole around it */
  s: number;
  e: number;
}

interface Span {
  s: number;
  e: number;
  w: number;
}

/** Every cue's matches over the whole text, found once and then filtered per window. */
export type Scan = Map<Cue, Span[]>;

export function scanCues(t: string): Scan {
  const scan: Scan = new Map();
  const run = (c: Cue): number => {
    const out: Span[] = [];
    for (const m of matchesOf(c.re, t)) {
      if (m[0].length === 0) continue;
      out.push({ s: m.index, e: m.index + m[0].length, w: c.w });
    }
    scan.set(c, out);
    return out.length;
  };
  // a family's context cues are only looked for when one of its signs is there
  for (const [signs, context, gate] of FAMILIES) {
    if (gate && !gate.test(` ${t} `)) continue;
    let found = 0;
    for (const c of signs) found += run(c);
    for (const c of context) if (found > 0) run(c);
  }
  return scan;
}

let current: Scan = new Map();
const spans = (c: Cue, _t: string, from: number, to: number): Span[] => (current.get(c) ?? []).filter((x) => x.s >= from && x.s < to);

const disjoint = (a: Span[], b: Span[]): boolean => a.some((x) => b.some((y) => x.e <= y.s || y.e <= x.s));
const total = (xs: Span[]): number => xs.reduce((n, x) => n + x.w, 0);
const first = (xs: Span[]): Span => xs.reduce((a, b) => (b.w > a.w ? b : a));

/** Child ages (up to 16, or a school year) together with an adult's age: an age gap in a relationship. */
const CHILD_AGE =
  /\b(?:i'?m|im|i am|she'?s|shes|he'?s|hes|is|aged|of) (?:1[0-6]|[5-9])\b|\b(?:1[0-6]|[5-9]) ?(?:year|yr)s? ?old\b|\byear [5-9]\b|\byear 1[01]\b/;
const ADULT_AGE = /\b(?:1[89]|[2-5]\d) ?-?(?:year|yr)s? ?-?old\b|\b(?:is|'s|s|whos|who'?s) (?:1[89]|[2-5]\d)\b/;
const RELATION = /\b(?:boyfriend|girlfriend|going out|seeing|dating|bf|gf|relationship|sleeping with)\b/;

/**
 * Scores one window of text (a sentence, or a sentence with its neighbour) and returns every
 * category whose cues co-occur strongly enough.
 */
export function cueCategories(t: string, from: number, to: number, scan: Scan): CueHit[] {
  current = scan;
  const hits: CueHit[] = [];
  const w = t.slice(from, to);
  // immediate danger
  const alone = spans(ALONE_WITH_BABY, t, from, to)[0];
  if (alone) hits.push({ cat: 'immediate-danger', s: alone.s, e: alone.e });
  else {
    const us = spans(URGENT_STRONG, t, from, to);
    const uw = spans(URGENT_WEAK, t, from, to);
    const ds = spans(DANGER_STRONG, t, from, to);
    const dw = spans(DANGER_WEAK, t, from, to);
    if ((us.length && disjoint(us, [...ds, ...dw])) || (uw.length && ds.length && disjoint(uw, ds))) {
      const ev = first([...ds, ...dw, ...us]);
      hits.push({ cat: 'immediate-danger', s: ev.s, e: ev.e });
    }
  }
  // grooming and sexual exploitation
  const adult = spans(ADULT, t, from, to);
  const gs = spans(GROOM_STRONG, t, from, to);
  const gw = spans(GROOM_WEAK, t, from, to);
  const groom = total(gs) + total(gw);
  if ((adult.length && groom >= 2) || groom >= 3 || (/\d/.test(w) && ADULT_AGE.test(w) && RELATION.test(w) && CHILD_AGE.test(w))) {
    const ev = gs[0] ?? gw[0] ?? adult[0] ?? { s: from, e: to };
    hits.push({ cat: 'sexual-harm', s: ev.s, e: ev.e });
  }
  // criminal exploitation
  const carry = spans(CARRY, t, from, to);
  const pay = spans(PAY, t, from, to);
  const threat = spans(THREAT, t, from, to);
  const missing = spans(MISSING, t, from, to);
  if ((carry.length && (pay.length || threat.length || spans(OLDER, t, from, to).length)) || (missing.length && pay.length) || threat.length >= 2) {
    const ev = carry[0] ?? threat[0] ?? missing[0] ?? { s: from, e: to };
    hits.push({ cat: 'exploitation', s: ev.s, e: ev.e });
  }
  // physical harm
  const harm = HARM.flatMap((c) => spans(c, t, from, to));
  if (total(harm) >= 2 && (harm.some((h) => h.w >= 2) || HARM_ACTOR.test(w))) {
    const ev = first(harm);
    hits.push({ cat: 'harm-by-others', s: ev.s, e: ev.e });
  }
  // neglect
  // the last two groups (weather, time, being alone, toothache) only add weight to a specific sign
  const neglect = NEGLECT.flatMap((c) => spans(c, t, from, to).map((x) => ({ ...x, generic: c === ENV || c === ALONE })));
  if (total(neglect) >= 2 && neglect.some((x) => !x.generic)) {
    const ev = first(neglect);
    hits.push({ cat: 'neglect', s: ev.s, e: ev.e });
  }
  // passive suicidal ideation
  const idea = spans(IDEA, t, from, to)[0];
  if (idea) hits.push({ cat: 'self-harm-suicide', s: idea.s, e: idea.e });
  return hits;
}
