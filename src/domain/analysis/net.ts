import type { DisclosureCategory } from './types';

/**
 * The safety net behind the specific disclosure rules. The rules recognise phrasings; the net
 * recognises the SHAPE of a disclosure, so phrasings nobody has written yet still get caught:
 *
 *   a harm word (broad, stemmed lexicon per category)
 *   + a child at risk (first-person voice, or a named or related child)
 *   + an actor (a parent's partner, an older man, he/she/they) and/or a present or recent time
 *
 * Figures of speech, games and lessons, negations, accidents and worries that came to nothing
 * silence a sentence; a past, resolved situation still comes back, but marked current: false.
 * Recall comes first: the threshold was set on our own held-out texts (heldout-5) so that almost
 * every disclosure scores while trap texts stay under 10%.
 * Runs on the lower-cased, spelling-canonicalised text; every pattern has bounded gaps (linear time).
 */

/** Strong (2) and weak (1) harm words per category. Stems end in \w* so inflections come for free. */
const LEXICON: Record<DisclosureCategory, [string, string]> = {
  'harm-by-others': [
    [
      'hit(?:s|ting)?', 'hurt(?:s|ing|ed)?', 'punch\\w*', 'kick(?:s|ed|ing)?', 'slap\\w*', 'smack\\w*', 'belt(?:s|ed|ing)?', 'bruis\\w*', 'strangl\\w*', 'chok(?:e|es|ed|ing)',
      'throttl\\w*', 'beat(?:s|en|ing)?', 'batter\\w*', 'leather(?:s|ed|ing)?', 'wallop\\w*', 'thump\\w*', 'whack\\w*', 'scald\\w*', 'split lip', 'black eye', 'dead arm',
      'by the (?:throat|neck|hair|arm)', 'till (?:they|it|i|she|he) (?:bleed|bled|bruise)', 'squeez\\w* (?:my|her|his|our) (?:neck|throat|arms?|wrists?)', '(?:burnt|burned|burns|scalded) (?:my|her|his|our) (?:hand|arm|leg|skin|face|fingers?)', 'scratch(?:es|ed)? (?:on|all over) (?:my|her|his) (?:face|neck|arms?)', 'makes? (?:me|her|him|us) stand', '(?:pulls?|pulled|pulling|yanks?|yanked) (?:my|her|his|our) hair', 'slams? \\w+ (?:into|against)', 'slammed', 'flinch\\w*', 'fingertip marks?',
      '(?:throws?|threw|chucks?|chucked|lobs?|lobbed) (?:\\w+ ){0,2}(?:at|on) (?:me|my|her|his|him|us)', 'knocks? (?:me|her|him|us) (?:about|around|over|out)',
    ].join('|'),
    [
      'grab\\w*', 'drag\\w*', 'squeez\\w*', 'pinch\\w*', 'shov\\w*', 'push(?:es|ed|ing)?', 'flick\\w*', 'burn(?:s|t|ed)?', 'marks', 'scratch(?:es|ed)', 'bleed\\w*|bled', 'bite marks?',
      'lines on', 'welts?', 'did it', 'stands? against the wall', 'violent', 'rough with', 'kicks off', 'handy', 'foot', 'fist', 'belt off', 'lesson',
    ].join('|'),
  ],
  'sexual-harm': [
    [
      '(?<!in |keep |get |got )touch\\w*', 'private\\w*', 'nudes?', 'naked', 'clothes off', 'undress\\w*', 'rude (?:videos?|pictures?|pics|photos?|films?|things|stuff)', 'on (?:his|her) lap', 'sit on (?:his|her) lap',
      'our (?:little )?(?:thing|secret|game)', 'sleep(?:ing|s)? (?:with|together)', 'slept with', 'passed round', 'in the shower', 'under the (?:blanket|covers|duvet)', 'tickling game',
      'sex\\w*', 'screenshot\\w*', '(?:send|sent|sending) (?:\\w+ )?(?:more|pics|pictures|photos)(?! to (?:parents|the group|the class|families|everyone in))(?! of (?:my|our|the|a|his|her) (?:new )?(?:puppy|dog|cat|kitten|pet|holiday|dinner|food|house|room|garden|drawing|work|homework))', 'in my (?:school )?uniform', 'much older', 'older m[ae]n', 'age is just a number',
      'in (?:his|her|their) (?:twenties|thirties|forties|20s|30s|40s)', '(?:man|guy|bloke|boyfriend|fella) (?:who\'?s|whos|is|aged) (?:1[89]|[2-5]\\d)', '(?:1[89]|[2-5]\\d) ?(?:year old|yo) (?:man|guy|bloke|boyfriend)',
    ].join('|'),
    [
      'secret', "don'?t tell|dont tell|not to tell", 'favourite', 'special', 'gifts?', 'presents?', 'vapes?', 'nails done', 'lifts?', 'picks? (?:me|her|him) up', 'picking (?:me|her|him) up', 'parties',
      'alcohol|vodka|drink', 'kiss\\w*', 'bathroom', 'in (?:my|her|his) (?:bed|room)', 'pics|pictures?|photos?|videos?', 'snapchat|insta\\w*|online|tiktok', 'met (?:on|online)', 'normal', 'game',
      'older', 'his car', 'his phone', 'boyfriend', 'hand on (?:my|her|his) (?:leg|knee|thigh|bum)', 'weed',
    ].join('|'),
  ],
  neglect: [
    [
      '(?:always|still|really|so|very|often|constantly) hungry(?! after| so | when i got)', 'hungry (?:at home|all the time|every|most|at (?:the )?weekends?|when)', '(?:go|goes|went|come|comes|came) (?:to bed |to school |in )?hungry', 'starv\\w*', 'no food', 'nothing (?:to eat|but (?:toast|crisps|bread|beer|cereal))', '(?:haven\'?t|havent|not) (?:had|eaten) (?:nothing|anything)', 'nits|lice', 'black stumps|rotten teeth|teeth (?:are )?(?:black|rotten)',
      'nappy|nappies', 'no (?:bed|beds|heating|electric|lecky|gas|hot water|washer|bulbs|lights|money for)', 'cut off', 'locked out', 'left (?:alone|on (?:my|our|their|his|her) own)', 'no(?: one|body|one) (?:came|home|looking|feeds|picks)',
      'out of it', 'off (?:her|his|their) (?:head|face)', 'wandering', 'in (?:just )?(?:a|their|her|his) (?:vest|pyjamas|nappy)', 'ran out of (?:money|food)', 'nick\\w* (?:from|food)', 'steal\\w* food', 'sores',
      'smells? of (?:wee|pee|poo)', 'stank|stinks?|filthy', 'duvet on the floor', '(?:cot|bed|room) all day', 'can\'?t wake (?:her|him|mum|mam|dad)',
    ].join('|'),
    [
      'hungry', 'sleep(?:s|ing)? (?:on|all)', 'always (?:sleeping|asleep|in bed)', 'asleep', 'drunk|wasted|stoned|high', 'tablets', 'dirty', 'smell\\w*', 'floor', 'dark', 'cold|freezing', 'toast',
      'look(?:s|ing)? after my (?:\\d+ |little |baby )?(?:sisters?|brothers?|siblings)', 'every night', 'most (?:nights|days)', 'landing', 'torch', 'tummy hurts', 'dentist', 'fridge|cupboards?', 'beer', 'pub',
      "boyfriend'?s", 'pyjamas', 'on (?:her|his|their) own', 'main road', 'tea', 'spar|shop',
    ].join('|'),
  ],
  'self-harm-suicide': [
    [
      '(?:cut|cutting|burn\\w*|scratch\\w*|hurt\\w*|punish\\w*|starv\\w*|kill\\w*) (?:my ?self|my (?:arms?|wrists?|legs?|skin|thighs?))', 'compass', 'blades?|razors?', 'lighter', 'overdos\\w*',
      'stash (?:of )?\\w*', 'end (?:it|everything|my life)', 'done with (?:everything|it all|life|living)', "(?:wasn'?t|wasnt|not|weren'?t) (?:here|alive|around) (?:any ?more|anymore)",
      'without me', 'never wake up', 'not wake up', 'ways to die', 'want to die|wanna die', 'jump (?:off|from|in front)', 'multi ?storey', 'throw (?:my|him|her)self', 'walk(?:ing)? into the sea',
      'goodbye', 'sorry for everything', 'giv(?:e|en|ing) away (?:his|her|my|all)', 'deserve it', 'stopped eating', 'the voices', 'hang (?:my|him|her)self', 'noose', 'better off',
    ].join('|'),
    [
      'disappear\\w*', 'tablets|pills|paracetamol', 'bridge|roof|tracks', 'die|dead', 'just in case', 'till it hurts', 'head on the wall', 'hit my head', 'on purpose', 'not answering',
      'lighter', 'the sea', 'world would be', 'cope', 'googl\\w*', 'hate myself',
    ].join('|'),
  ],
  'immediate-danger': [
    [
      'right now', 'hiding', '(?:outside|at) (?:my|our|the) (?:window|door|house)', 'locked (?:the doors?|us in|me in)', 'taken (?:my|our) phones?', "won'?t (?:leave|go|let (?:me|us) (?:leave|out))", 'just turned up',
      'screwdriver|knife|machete|weapon|gun|hammer', 'following me|followed me', "won'?t get up|not moving|not breathing", 'screaming for help', 'take (?:her|him|them) abroad', "(?:i )?(?:don'?t|dont) know what to do",
      'typing this', 'blood on',
    ].join('|'),
    [
      'now', 'tonight', 'wardrobe', 'scared|terrified', 'banging', 'threatened', 'outside', 'hurting mummy|hurting mum|hurting mam', 'yelling|screaming', 'refusing to say where', 'pissed',
    ].join('|'),
  ],
  exploitation: [
    [
      'county lines?', '(?:holding|hold|keep|keeping|carry\\w*|stash\\w*) (?:a |the |some |their )?(?:bag|parcel|package|stuff)', 'deliveries|delivering', 'dropping (?:little |small )?(?:bags|packages|parcels)',
      'debt', 'owe\\w*', 'work (?:it |the debt )?off', 'line phone', 'two phones', 'sold everything', "(?:find|hurt|come for) my (?:mum|mam|family|brother|sister)", 'come looking for me',
      'another town', 'robbed of', 'wad of cash',
    ].join('|'),
    [
      'older (?:boys|lads|men|kids)', 'lads', 'cash|money|£?\\d+ a day', 'trainers', 'missing', 'disappearing', 'weed|drugs', 'bags?', 'parcel', 'on bikes?', 'audi|car', 'flat in', 'sell\\w*', 'phones?',
      'new clothes', 'estate', 'if i stop', 'blackpool|london|birmingham|manchester|liverpool',
    ].join('|'),
  ],
};

const CATS = Object.keys(LEXICON) as DisclosureCategory[];
const COMPILED: [DisclosureCategory, RegExp][] = CATS.map((c) => [c, new RegExp(`\\b(?:(${LEXICON[c][0]})|(${LEXICON[c][1]}))\\b`, 'g')]);
/** Any strong word at all: most answers are about services and leave here at once. */
const GATE = new RegExp(`\\b(?:${CATS.map((c) => LEXICON[c][0]).join('|')})\\b`);

/** A child at risk: the writer, or a child they name or are related to. */
const CHILD = /\b(?:i|i'?m|im|i'?ve|ive|me|my|myself|we|us|our)\b|\b(?:son|daughter|grandson|granddaughter|niece|nephew|friend|mate|sister|brother|cousin|kids?|children|child|little ones?|baby|toddler|girl|boy|lad|teenager|pupil)s?\b|\byear \d\b|\b\d{1,2} ?(?:year old|yo)\b/;
/** Someone doing it. */
const ACTOR = /\b(?:he|she|they|him|her|them|his|their|mum|mam|mom|mummy|mammy|dad|da|daddy|step ?(?:dad|mum|father|mother|brother|sister)|stepfather|stepmother|boyfriend|partner|fella|ex|uncle|aunt\w*|nan|nana|grandad|grandma|cousin|brother|coach|teacher|man|men|guy|bloke|lads|boys|older|someone|somebody|neighbour|friend|carer)\b/;
/** Present or recent time. */
const TIME = /\b(?:keeps?|kept|every (?:time|night|day|week|weekend|morning)|still|now|tonight|today|yesterday|last night|this (?:morning|week)|at the weekends?|weekends|since|when (?:mum|mam|dad|he|she)'?s? (?:out|drunk|home|back)|again|most (?:days|nights)|all day|always|just|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|sometimes)\b|\b(?:he|she|it|mum|mam|dad|nan|grandad|uncle|coach|man|brother|cousin|boyfriend|partner)\s+(?:\w+ )?\w+(?:s|es)\b|\b(?:is|are|am|'s|'m|'re|been) \w+ing\b|'re|'m\b/;

/** Figures of speech and hyperbole that borrow harm words. */
const HYPERBOLE = /\b(?:die|died|dying|dead) (?:of|for|from) (?:embarrassment|shame|boredom|laughing|laughter|cringe)|\b(?:killing|kill|murder|shoot) me\b(?! (?:when|if))|\b(?:would|will|'?ll|gonna|going to) (?:literally |actually )?(?:kill|murder) (?:me|us)\b|\brather (?:die|shoot|kill) (?:myself )?than\b|\bcould kill for\b|\bdie for a\b|\bdeath of (?:me|her|him)\b|\bliterally dying\b|\bwanted to die when\b|\bgoing to die in\b|\b(?:lol|lmao|haha\w*|jk)\b|😂|🤣|💀|\b(?:having fun|for fun|for a laugh|eats loads|hollow legs|growth spurt|growing (?:boy|girl|lad))\b/;
/** Games, films, books, TV and lessons. */
/** Games: violence there is pretend, but grooming happens on game platforms, so not for sexual harm. */
const GAMES = /\b(?:in|on|playing) (?:fortnite|gta|minecraft|roblox|fifa|cod|call of duty|the game|a game)\b|\bjust a game\b|\bat chess\b/;
const FICTION = /\b(?:in|on) (?:hollyoaks|eastenders|corrie|coronation street|emmerdale|the telly|tv|netflix)\b|\b(?:film|movie|book|story|drama|a play|the play|programme|tv show|documentary|assembly|lesson|pshe|project|workshop|episode|novel|poem)s?\b[^.!?\n]{0,40}\b(?:about|on)\b|\b(?:talk|session|video|leaflet)s? (?:about|on)\b|\bwe (?:learned|learnt|did|watched|read|studied) (?:about|a|an|the)\b|\bvictorian|\bhistory\b/;
/** Negation of the harm itself. */
const NEGATED = /\b(?:no ?one|nobody|never|not|don'?t|dont|doesn'?t|doesnt|isn'?t|isnt|wasn'?t|wasnt|aren'?t|nothing is|nothing'?s)\b/;
/** Accidents and play. */
const ACCIDENT = /\b(?:fell|fall|falling|slipped|tripped|by accident|accidentally|trampoline|play ?fight\w*|pillow|in pe|rugby|football|playing|teething|nose ?bleed|suncream|sunburn|the beach|bath|barbecue|bbq|cooking|the ball|(?:hit|reversed into|crashed into) (?:a |the )?(?:parked )?(?:car|van|post|bollard|kerb|wall|lamp ?post))\b/;
/** A past, resolved situation: reviewed later, not flagged as current. */
const RESOLVED = /\b(?:used to|years ago|in the past|last year|when (?:i|we|the (?:children|kids)|they) (?:was|were) (?:little|younger|small)|(?:that'?s|thats|it'?s|its) (?:all )?(?:over|sorted|stopped)|sorted now|(?:it|that|he|she|they|this) (?:has |have )?stopped|sober|gone for years|moved out|blocked|reported|(?:safe|ok|okay|fine|better|happy|settled) now|doing (?:well|better|great) now|no contact now|haven'?t done it|havent done it|since the|(?:haven'?t|havent|hasn'?t|hasnt) [a-z]+ (?:my|him|her)self since|since last)\b/;
/** A worry that came to nothing. */
const NOTHING = /\b(?:turned out|it was nothing|was fine|were fine|was just (?:a|the|her|his)|it was the (?:telly|tv)|a mistake|false alarm|he turned up|she turned up|they turned up|nothing happened|nothing is happening)\b/;

/** Danger words around the police or a service that then reassured: an account of help, not of danger. */
const REASSURED = /\b(?:police|officers?|paramedics?|ambulance)\b[^.!?\n]{0,60}\b(?:kind|lovely|nice|helpful|explained|calm|reassur\w*|sound)\b/;

/** A question someone asked, school discipline: harm words that are not about harm to the child. */
const ASKED = /\b(?:asked (?:me |us |her |him |them )?(?:if|whether)|i said (?:no|nah)|kicked out of (?:school|class)|excluded|(?:sent home|suspended) for|for (?:fighting|kicking|hitting|punching)|at chess|breakfast club)\b/;

/** Per-category threshold on the sentence score (harm words + context). */
const THRESHOLD = 4;

export interface NetHit {
  category: DisclosureCategory;
  /** start and end of the evidence sentence(s) in the scanned text */
  s: number;
  e: number;
  current: boolean;
}

interface Scored {
  cat: DisclosureCategory;
  score: number;
  a: number;
  b: number;
  current: boolean;
}

/** Order used when two categories score the same: the more urgent first. */
const PRIORITY: DisclosureCategory[] = ['immediate-danger', 'sexual-harm', 'exploitation', 'self-harm-suicide', 'harm-by-others', 'neglect'];

/** Self-injury words with the writer (or "herself") as the one who does it. */
const SELF_DONE = /\b(?:i|i'?ve|ive|i'?m|im)\b[^.!?\n]{0,25}\b(?:cut|cutting|burn\w*|scratch\w*|hit|hitting|bang\w*|punch\w*)\b[^.!?\n]{0,12}\b(?:myself|my (?:arms?|wrists?|legs?|head|skin|thighs?))\b|\b(?:she|he)\b[^.!?\n]{0,25}\b(?:cut|cutting|burn\w*|scratch\w*|hit|hitting|bang\w*|punch\w*)\b[^.!?\n]{0,12}\b(?:herself|himself|(?:her|his) (?:arms?|wrists?|legs?|head|skin|thighs?))\b/;

/** Does the harm word sit under a negation in its own clause? */
function negated(t: string, s: number): boolean {
  const before = t.slice(Math.max(0, s - 40), s);
  const cut = Math.max(before.lastIndexOf(','), before.lastIndexOf(' but '), before.lastIndexOf(' and '), before.lastIndexOf(' cos '), before.lastIndexOf(' because '));
  const clause = cut === -1 ? before : before.slice(cut + 1);
  return NEGATED.test(clause.split(/\s+/).slice(-5).join(' '));
}

/**
 * Scores each sentence (and each sentence with its neighbour) and returns the best-scoring
 * disclosure, or null when nothing reaches the threshold.
 * @example safetyNet('my step dad gives me a dead arm every time i forget the dog', bounds)
 */
export function safetyNet(t: string, bounds: [number, number][], setAside: [number, number][] = []): NetHit | null {
  if (!GATE.test(t)) return null;
  let best: Scored | null = null;
  for (let k = 0; k < bounds.length; k++) {
    const [a0, b0] = bounds[k] as [number, number];
    const sentence = t.slice(a0, b0);
    if (!GATE.test(sentence)) continue;
    const inside = (x: number, y: number): boolean => setAside.some(([s, e]) => s < y && x < e);
    if (inside(a0, b0)) continue;
    if (HYPERBOLE.test(sentence) || FICTION.test(sentence) || NOTHING.test(sentence)) continue;
    // the next sentence can carry the context ("he did it again. i'm scared")
    const next = bounds[k + 1];
    const b = next && !inside(next[0], next[1]) ? next[1] : b0;
    const win = t.slice(a0, b);
    if (NOTHING.test(win) || HYPERBOLE.test(win) || ASKED.test(win)) continue;
    const context = (CHILD.test(win) ? 1 : 0) + (ACTOR.test(win) ? 1 : 0) + (TIME.test(win) ? 1 : 0);
    if (context === 0) continue;
    const accident = ACCIDENT.test(win) && !COVER_STORY.test(win);
    const game = GAMES.test(win);
    const current = !RESOLVED.test(win);
    for (const [cat, re] of COMPILED) {
      re.lastIndex = 0;
      let strong = 0;
      let weak = 0;
      for (let m = re.exec(win); m; m = re.exec(win)) {
        if (negated(win, m.index)) continue;
        if (m[1] !== undefined) strong++;
        else weak++;
      }
      if (strong === 0) continue;
      let c = cat;
      if (cat === 'harm-by-others' && SELF_DONE.test(win)) c = 'self-harm-suicide';
      if (c === 'immediate-danger' && REASSURED.test(win)) continue;
      if (game && c !== 'sexual-harm') continue;
      if (accident && (c === 'harm-by-others' || c === 'self-harm-suicide' || c === 'immediate-danger')) continue;
      const score = 2 * Math.min(strong, 2) + Math.min(weak, 3) + context;
      if (score < THRESHOLD) continue;
      const rank = (x: Scored): number => (x.current ? 1000 : 0) + x.score * 10 - PRIORITY.indexOf(x.cat);
      const cand: Scored = { cat: c, score, a: a0, b: b0, current };
      if (!best || rank(cand) > rank(best)) best = cand;
    }
  }
  if (!best) return null;
  const found = best as Scored;
  return { category: found.cat, s: found.a, e: found.b, current: found.current };
}

/** An accident story that sounds put up: the child was told to say it, or the adult does not believe it. */
const COVER_STORY = /\b(?:say|says|said|told (?:me |us |her |him )?to say) (?:that )?(?:i|we|he|she|they) (?:fell|tripped|slipped|walked into)|\b(?:don'?t|dont|do not|didn'?t|didnt) believe\b|\bdoesn'?t add up|\b(?:won'?t|wont) (?:say|explain)\b/;
/** Accidents and play that are never a cover for harm on their own. */
const PLAIN_ACCIDENT = /\b(?:slipped|by accident|accidentally|trampoline|pillow|teething|nose ?bleed|sunburn|suncream)\b/;
/** Unmistakably over: the specific rules keep their own, finer past-and-resolved check. */
const OVER = /\b(?:(?:that'?s|thats|it'?s|its) all over|sorted now|(?:years|a long time) ago|when (?:the (?:children|kids)|i|we) (?:was|were) (?:little|small|younger)|no contact now)\b/;

/**
 * The net's dampeners applied to a sentence a specific rule matched: 'drop' for a figure of
 * speech, a game or lesson, a plain accident or a worry that came to nothing; 'past' for a
 * situation that is plainly over; null when none applies.
 */
export function dampen(sentence: string, cat: DisclosureCategory): 'drop' | 'past' | null {
  if (NOTHING.test(sentence) || FICTION.test(sentence) || HYPERBOLE.test(sentence)) return 'drop';
  if (cat !== 'sexual-harm' && GAMES.test(sentence)) return 'drop';
  if (cat === 'neglect' && /\bhungry (?:after|so i|when i got)\b/.test(sentence)) return 'drop';
  if ((cat === 'harm-by-others' || cat === 'self-harm-suicide') && PLAIN_ACCIDENT.test(sentence) && !COVER_STORY.test(sentence)) return 'drop';
  if (OVER.test(sentence)) return 'past';
  return null;
}
