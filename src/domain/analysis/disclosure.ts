import { canonicalise, cueCategories, scanCues } from './cues';
import { dampen, safetyNet } from './net';
import { pattern } from './patterns';
import { matchesOf } from './progress';
import type { Disclosure, DisclosureCategory } from './types';

/**
 * Pattern lists per category, matched on lower-cased, normalised, already-redacted text.
 * Gaps are bounded ({0,n}) so every pattern runs in linear time.
 * Recall comes first: the filters below only remove matches that are clearly
 * hyperbole, negated, a reported question, an accident or in the past and resolved.
 */
const SELF = '(?:my ?self|my ?slef|him ?self|her ?self|them ?sel(?:f|ves)|ur ?self|your ?self)';
const PATTERNS: Record<DisclosureCategory, string[]> = {
  'immediate-danger': [
    '\\b(?:trying to|tryna|gonna|going to) (?:break|get|kick|smash) (?:in|into|the door)\\b|\\bbreaking in\\b',
    '\\b(?:pls|plz|plees|pleas) (?:help|someone|come)\\b',
    '\\b(?:kicked|kicking|kick|banging|bangin|smashing|smashed|broke|breaking|booted|trying to get) (?:the |down the |in the |on the |at the |through the |my |our )?(?:front |back |bedroom |bathroom )?(?:door|doors|windows?)(?: in| down)?\\b',
    '\\bhiding (?:in|under|from)\\b',
    '\\bplease (?:someone|somebody|help|come|hurry)\\b|\\bplease send (?:someone|somebody|help|the police|police|an ambulance|an? officer)\\b',
    '\\b(?:help|come) (?:me |us )?(?:now|quick|quickly|asap|please)\\b',
    '\\b(?:got|has got|has|with|holding|waving|pulled|grabbed|brought|carrying) (?:a |his |her |the )?(?:knife|bat|gun|weapon|machete|blade|hammer)\\b',
    "\\b(?:going|gonna|goin|threaten\\w*|threatening|says|said|saying) (?:he'?s |she'?s |hes |shes |he |she |they )?(?:going |gonna )?(?:to )?(?:kill|stab|shoot|hurt) (?:me|us|mum|mam|my|her|him|them|the)\\b",
    '\\b(?:driving|drive) (?:drunk|off with|away with)|\\bdrunk driving|\\bdrink driving',
    '\\b(?:has |' + "'" + 's |)taken (?:my|the) (?:son|daughter|kids?|child|children|baby|boy|girl)\\b',
    "(?<!\\b(?:rash|nose|lip|gums?|finger|knee|cut|graze) )\\b(?:is|are|was) bleeding\\b|\\bwont wake up|\\bwon't wake up|\\bnot breathing\\b|\\bunconscious\\b",
    "\\b(?:they'?re|there|their|theyre|they are) fighting\\b",
    '\\blocked (?:in|myself in) (?:my|the) (?:room|bathroom|toilet)\\b',
    '\\b(?:outside|at) (?:my|our|the) (?:house|door|window|school)(?: now| right now)\\b',
    '\\b(?:coming|on (?:his|her|their) way) (?:round |over |here |back )?(?:now|tonight|right now)\\b',
  ],
  'sexual-harm': [
    "\\b(?:kiss(?:es|ed|ing)?|kisses) (?:on )?(?:me|her|him)\\b(?=.{0,60}\\b(?:secret|secrit|dont tell|don't tell|not to tell|our little))",
    "\\b(?:says?|ses|said|told me) (?:its|it's|it is) (?:a|our) (?:secret|secrit)\\b|\\bkeep (?:it|this) (?:a )?(?:secret|secrit)\\b|\\bour (?:little )?secret\\b",
    '\\b(?:coming|comes?|came|creeps?|creeping|sneaks?|sneaking) (?:in|into) (?:my|her|his|our) (?:room|bed|bedroom)\\b',
    '\\bpregnant (?:by|to|with) (?:a|an|his|her|some) (?:man|guy|bloke|older|adult)',
    "\\b(?:man|guy|bloke|boyfriend|bf|fella)['\"’]? (?:who is|who's|whos|is|that is|aged?) (?:1[89]|[2-6]\\d)\\b",
    '\\b(?:1[89]|[2-6]\\d) ?(?:-| )?(?:year|yr)s? ?(?:-| )?old (?:boyfriend|bf|fella)s?\\b',
    '\\b(?:grown|adult|grown up|grown-up) (?:man|men|guy|bloke)\\b',
    '\\b(?:makes?|made|forces?|forced) (?:me|her|him|us) (?:watch|look at) (?:videos|films|porn|pictures|things|stuff)\\b',
    '\\btouch(?:es|ed|ing)? (?:me|my|her|his|him|us)\\b',
    '\\b(?:nudes?|naked|topless|no (?:top|clothes|knickers|pants) on)\\b',
    '\\b(?:send|sent|sending|share|shared|sharing|post|leak|asking for|asked for|wants|wanted) (?:him |her |them |me |my |some |any )?(?:pics|pictures|photos|selfies|vids|videos)\\b(?! of (?:the|a|an|our|your|their|its|new|what|where|how|us all|the kids)\\b)',
    '\\b(?:rape[ds]?|raping|molest\\w*|groom(?:ed|ing|s)|porn\\w*|paedo\\w*|pedo\\w*|sexual(?:ly)?(?! health| education| orientation| identity| ?ity)|sex(?! ed\\b| education\\b|ual|ism|ist|uality))\\b',
    '\\bmature for (?:my|her|his|your|their) age\\b',
    '\\b(?:wants?|asked|asking|keeps asking|made|make|makes|forced|forces|force|tried to get) (?:me|her|him) to (?:meet|send|do stuff|do things|take (?:off|my|her)|kiss|sleep with|touch|suck|get naked|undress)\\b',
    '\\bolder (?:men|man|guys?)\\b',
    '\\b(?:1[89]|[2-6]\\d) ?(?:-| )?(?:year|yr)s? ?(?:-| )?old (?:man|men|guy|bloke)\\b',
    '\\b(?:comes?|came|gets?|got|creeps?) (?:in|into) (?:my|her|his|our) (?:room|bed)\\b',
    "\\bwhere (?:he|she|they) (?:shouldn'?t|should not)\\b",
    '\\b(?:do|did|does) stuff (?:to|for|with) (?:me|her|him|them)\\b',
    '\\bin (?:my|her|his) (?:knickers|pants|underwear)\\b',
    '\\bprivate (?:parts|bits|area)\\b',
    '\\b(?:made|makes|make|forced|forces|pressured|pressures) (?:me|her|him) (?:to )?do (?:stuff|things|sexual|sex)\\b',
  ],
  exploitation: [
    '\\beasy money\\b|\\b(?:doing|do|did|does) (?:runs|a run|drops)\\b|\\brun(?:ning)? (?:stuff|things|bags|packages|parcels) (?:to|for|round)\\b',
    '\\b(?:keep|keeps|keeping|hide|hides|hiding|stash|holds?) (?:a |the |his |their )?(?:package|parcel|bag|phone|knife|knives|gun)s? (?:in|under|at|for)\\b',
    '\\b(?:going|goes|went|gone|keeps going) missing\\b.{0,80}\\b(?:cash|money|trainers|phones?|clothes|drugs)\\b',
    '\\b(?:sell|selling|sold|sells|deal|dealing|deals|run|running|runs|carry|carrying|carries|hold|holding|holds|hide|hiding|stash|stashing|move|moving|deliver\\w*|drop\\w*) (?:drugs|weed|gear|stuff|packages?|parcels?|sim cards|bags? for|food for|things for|for (?:them|him|older|some))\\b',
    '\\bcounty ?lines?\\b|\\bgo(?:ing)? country\\b|\\bcuckoo\\w*\\b|\\btrap ?house\\b|\\bdo a run\\b|\\ba run to\\b',
    '\\bowe (?:them|him|her|older|some|money|loads|\\d+|£)',
    '\\bin debt (?:to|with) (?:them|him|older|some)',
    '\\b(?:gives?|gave|paying|pays|paid) (?:me|him|her|us) (?:weed|drugs|money|cash|trainers|a phone) (?:for|to)\\b',
    '\\b(?:older|big) (?:lads|boys|kids|ones|guys) (?:make|made|makes|force|tell|told|get|got) (?:me|him|her|us)\\b',
    '\\b(?:two|2|new|extra|burner) phones\\b',
    '\\bmade to (?:sell|carry|hold|run|deliver)\\b',
  ],
  'harm-by-others': [
    '\\b(?:keeps?|always|kept) (?:puching|punching|hitting|kicking|slapping|hurting|pushing|biting|pinching|strangling) (?:me|us|him|her)\\b',
    '\\b(?:shout\\w* and throw\\w*|throw\\w* things)\\b',
    '\\b(?:put|send|land) (?:me|us|you|her|him) in (?:hospital|a&e|the hospital)\\b',
    '\\b(?:makes?|made|forces?) (?:me|us|him|her) (?:stand|sleep|stay|sit|kneel) (?:in|outside|out|on) (?:the )?(?:garden|cold|rain|shed|floor|corner|dark)\\b',
    "\\b(?:don'?t|dont|do not) want to go home\\b|\\b(?:scared|frightened|afraid) to go home\\b|\\bgets? (?:nasty|violent|handy|rough)\\b",
    '\\b(?:beats?|hits?|batters?|hurts?|punche?s?) (?:ma|me|my) (?:mam|mum|mom|ma|mother|sister|brother)\\b',
    "\\bbruis\\w* on (?:his|her|my|their) (?:arms?|legs?|face|back|neck|body)\\b(?=.{0,80}(?:believe|doesn'?t add up|says? (?:he|she) fell|won'?t say|wont say))",
    '\\b(?:hit|hits|hitting|beat|beats|beating|beaten|batter|batters|battered|punch(?:es|ed|ing)?|kick(?:s|ed|ing)?|slap(?:s|ped|ping)?|smack(?:s|ed|ing)?|whack(?:s|ed|ing)?|strangl\\w*|chok(?:e|es|ed|ing)|throttl\\w*|push(?:es|ed|ing)?|shov(?:e|es|ed|ing)|hurt(?:s|ing)?|burn(?:s|ed|t)?|bit(?:e|es)?|pinch(?:es|ed)?|grab(?:s|bed)?|pins?|pinned|lock(?:s|ed)?|abus(?:e|es|ed|ing)|belt(?:s|ed)?|attack(?:s|ed)?|stab(?:s|bed)?|threaten(?:s|ed)?) (?:me|us|my (?:little |big |baby |younger |older )?(?:brother|sister|brothers|sisters|sibling|mum|mam|mom)|him|her|them|the (?:kids|children|baby)|mum|mam)\\b',
    '\\b(?:threw|throws|throwing|chucked|chucks|chucking|lobbed) (?:a |the |things |stuff |\\w+ ){0,2}at (?:me|my|us|her|him)\\b',
    '\\bbruis(?:e|es|ed|ing)\\b',
    "\\b(?:scared|frightened|terrified|afraid|scard|skared) (?:of|to go) (?:going )?(?:home|my (?:dad|step ?dad|mum|mam|uncle|brother|step ?mum)|him|her|(?:mum|mam)'?s boyfriend)\\b",
    "\\bdomestic (?:abuse|violence)\\b|\\b(?:he|she) (?:is|'s|gets) violent\\b",
    '\\bwalked into a door\\b|\\bsay (?:we|i|she|he) fell\\b|\\bsay i fell\\b',
    '\\blocks? (?:me|us) in (?:the|my|a|his|her) \\w+',
    '\\bdrag(?:s|ged|ging)? (?:me|her|him|us) (?:by|across|down|up|along)\\b',
    '\\bbelt\\b.{0,20}\\b(?:hit|hits|beat|whack)',
  ],
  'self-harm-suicide': [
    '\\b(?:scratch\\w*|cut\\w*|pick\\w*|burn\\w*|bit\\w*|hit\\w*) (?:my|her|his) (?:arms?|legs?|wrists?|skin|thighs?|stomach|face) (?:till|until|so) (?:they|it|i|she|he) (?:bleed|bleeds|bled|bruise|hurts?)\\b',
    "\\b(?:fresh |new )?(?:cuts|scars|burns|marks) (?:on|all over) (?:my|her|his) (?:\\w+'?s )?(?:arms?|legs?|wrists?|thighs?|stomach)\\b",
    '\\b(?:buy|buys|bought|buying|stockpil\\w*|saving up|hoarding) (?:\\w+ )?(?:paracetamol|pills|tablets|painkillers)\\b',
    '\\b(?:written|wrote|writing|left) (?:letters|notes|a letter|a note) (?:for|to) (?:everyone|my (?:mum|mam|family|friends))\\b|\\b(?:gonna|going to|will) do it tonight\\b',
    `\\b(?:kill|killing|kil|killin|hurt|hurting|harm|harming|cut|cutting|cuts|burn|burning|burnt|hit|hitting|punch|punching|starve|starving|starved|scratch|scratching|hang|hanging|strangle|drown) ${SELF}\\b`,
    '\\bkms\\b|\\bkys\\b',
    '\\b(?:end|ending|take|taking|took) (?:it all|my (?:own )?life|her (?:own )?life|his (?:own )?life|their (?:own )?life|it tonight)\\b',
    "\\b(?:gonna|going to|want to|wanna|will|i'?ll|to) end it\\b",
    '\\b(?:want|wanna|wanted|going|gonna|wants|wish (?:i|she|he) could) (?:to )?(?:die|be dead|disappear forever|not wake up|not be here)\\b',
    "\\bwish (?:i|she|he) (?:was|were|wasn'?t|wasnt|was never|had never been) (?:dead|alive|born|here)\\b",
    "\\b(?:don'?t|dont|do not|doesn'?t|doesnt|does not|didn'?t|didnt) (?:want|wanna) (?:to )?(?:be here|be alive|live|exist|wake up|be around|be on this earth)\\b",
    '\\bbetter off (?:without (?:me|her|him)|dead)\\b',
    "\\bsuicid\\w*|\\bover ?dos\\w*|\\bod'?d\\b",
    '\\b(?:took|take|taken|taking|swallowed|swallow) (?:a (?:load|lot|bunch|handful) of |loads of |all (?:my|the|her|his) |some |too many |a packet of )?(?:pills|tablets|paracetamol|painkillers)\\b',
    '\\bself[- ]?harm\\w*|\\bself[- ]?injur\\w*',
    '\\b(?:been|started|keep|keeps|still) cutting\\b|\\bcutting again\\b|\\bcuts on (?:my|her|his) (?:arms?|legs?|wrists?|thighs?|stomach)\\b|\\bcuts on her\\b',
    '\\bmaking (?:my|her|him)self sick\\b',
    '\\b(?:jump|jumping|jumped) (?:off|in front of) (?:a |the )?(?:bridge|train|building|roof|car|cliff)\\b',
    '\\bnoose\\b|\\bsuicide note\\b|\\bgoodbye (?:letter|note)s?\\b',
    "\\b(?:i'?ve|ive|i have|i) (?:made|got) a plan\\b(?! with| for my (?:revision|feelings))",
    '\\bno point (?:in )?(?:living|being alive|going on|anything|carrying on|me being here)\\b',
    "\\b(?:can'?t|cant|cannot) (?:go on|do this any ?more|cope any ?more|take (?:it|this) any ?more|keep going)\\b",
    '\\bnot (?:be|being) (?:here|around) (?:much longer|for long|any ?more)\\b',
    '\\bsh\\b(?= (?:again|scars|marks))',
  ],
  neglect: [
    "\\b(?:don'?t|dont|never|doesn'?t|doesnt|didn'?t|didnt) (?:get|have|got) (?:any )?(?:breakfast|brekfast|brekkie|dinner|diner|tea|food|lunch|tea)\\b",
    '\\b(?:always|usually|often|just) (?:sleepy|asleep|in bed) (?:in the day|all day|when i)\\b|\\bmake (?:my|our) own (?:dinner|diner|tea|food|breakfast)\\b|\\bcrisps for (?:tea|dinner)\\b',
    '\\block(?:s|ed)? (?:the |up the )?(?:food|fridge|cupboard|kitchen)\\b',
    '\\b(?:left|leave|leaves|gets left|get left|being left) (?:alone |on (?:his|her|their|my|our) own )?(?:in|at) (?:the|our|my|his|her) (?:flat|house|home|car)(?: alone| on (?:his|her|their|my|our) own)?\\b(?=.{0,60}\\b(?:alone|own|while|pub|out|work|days|night))',
    '\\b(?:left|being left|gets left) (?:alone|on (?:their|his|her) own) (?:all|most|every|for) (?:weekend|day|night|days|nights|the time)\\b|\\bon their own most days\\b',
    '\\b(?:sleep|sleeps|slept|sleeping) (?:in|on) (?:the |a )?(?:park|streets?|bus station|stairwell|car)\\b|\\bsleeping rough\\b',
    '\\bno heating\\b|\\bsleep in my coat\\b',
    "\\b(?:goes|went) out and (?:doesn'?t|doesnt|didn'?t|didnt|never) come back\\b",
    "\\b(?:no|never any|never enough|not enough|isn'?t any|isnt any|there'?s no|theres no|dont have (?:no|any)|don'?t have (?:no|any)|without) (?:food|dinner|tea|breakfast|lunch|electric\\w*|lecky|heating|gas|hot water|money for food|clean clothes|bed|beds|lights?|nappies)\\b(?! bank| banks| vouchers| parcel)",
    "\\bnothing to eat\\b|\\b(?:always|really|so|very) hungry\\b|\\bhaven'?t eaten\\b|\\bhavent eaten\\b|\\bgo to bed hungry\\b|\\bhungry (?:all the time|at (?:the )?weekends?|every day|most days)\\b",
    '\\b(?:left|leaves|leave|leaving) (?:me|us|them|him|her|the kids|the children|the baby|my (?:little |baby )?(?:brother|sister)s?) (?:on (?:my|our|their|his|her) own|alone|home alone|by (?:my|our|them|him|her)sel(?:f|ves)|in the car|for days)\\b',
    '\\bhome alone\\b|\\bon (?:his|her|their|my|our) own (?:most of the day|all day|all night|for days|most nights|every night|at night)\\b',
    "\\bhaven'?t seen an adult\\b|\\bno adults?\\b(?= (?:in|at|there|home))",
    '\\blook after my (?:little |baby |younger )?(?:brother|sister|siblings)s? (?:on my own|by myself|every night|most nights|all the time|cos|because|when)\\b',
    '\\b(?:same|dirty|smelly) (?:clothes|uniform)\\b',
    "\\b(?:mum|mam|mom|dad|she|he|mummy|daddy)(?: is|'s| was)? (?:always |usually |often |just |too )?(?:asleep|drunk|passed out|off (?:her|his) face|out of it|wasted|stoned|high)\\b",
    '\\b(?:sleeps|sleeping|in bed) all day\\b',
    '\\bsleep on the floor\\b|\\bin just a nappy\\b|\\bno ?(?:one|body) (?:feeds|looks after|picks (?:me|us|him|her|them) up|picks up (?:me|us|him|her|them|the kids))\\b',
    '\\bout (?:in|on) the streets? (?:till|until|at|after) (?:midnight|late|\\d)',
    '\\blocked out\\b',
  ],
};

/** Category order when one text matches several. */
const ORDER: DisclosureCategory[] = ['immediate-danger', 'sexual-harm', 'exploitation', 'self-harm-suicide', 'harm-by-others', 'neglect'];
const COMPILED: [DisclosureCategory, RegExp][] = ORDER.map((c) => [c, pattern(PATTERNS[c].join('|'), 'g')]);

const URGENT = /\b(?:right now|rn|tonight|hiding|help me|please help|please someone|send someone|come quick)\b/;
const NEGATORS =
  /\b(?:no ?one|noone|nobody|never|not|doesn'?t|doesnt|don'?t|dont|didn'?t|didnt|won'?t|wont|isn'?t|isnt|wasn'?t|wasnt|hasn'?t|hasnt|haven'?t|havent|no longer|nothing|none|nah)\b/;
const REPORTING =
  /\b(?:knows?|believes?|cares?|listens?|asks?|asked|notices?|noticed|does anything|did anything|realises?|sees?|saw|tells?|told|helps?|can|could|wants? to (?:know|hear))\b/;
const QUESTION = /\b(?:asked (?:me |us |her |him |them )?(?:if|whether)|if anyone|if any ?one|whether anyone|if someone)\b/;
const SLANG = /\b(?:lol|lmao|lmfao|haha\w*|jk|lowkey)\b|(?<!\bif \w+ (?:is |was |are )?)\b(?:joking|jokes)\b|😂|🤣|💀|😆/;
/** Games, films and lessons: violence there is not a disclosure. */
const FICTION =
  /\b(?:in|on|at|playing) (?:fortnite|minecraft|roblox|fifa|mario ?kart|gta|cod|call of duty|apex|the game|a game|my game|chess|the xbox|xbox|the ps5|among us)\b|\b(?:film|movie|book|story|video|lesson|programme|show|episode|assembly|talk|workshop|play|drama|documentary|poem|novel|song)s?\b[^.!?\n]{0,30}?\b(?:on|about)\b|\b(?:pool|trampoline|bouncy castle|pillow fight|water fight|snowball)\b/;
const PAST =
  /\b(?:when (?:the kids|they|we|i|my kids) (?:were|was) (?:small|little|young|younger|babies|tiny)|(?:been )?clean for|(?:months|weeks|years?) clean|used to|years ago|when i was (?:little|younger|small|a kid|\d+)|last year|in the past|a long time ago|back then|a while ago|ages ago|before i (?:moved|went|came)|havent|haven'?t|since)\b/;
const RESOLVED =
  /\b(?:now|any ?more|no longer|stopped|ok now|safe now|fine now|better now|in prison|moved out|doesn'?t live|helped|been ok|been fine|been good)\b/;
const ACCIDENT = /\b(?:fell|fall|fallen|accident|bike|football|rugby|playing|trampoline|tripped|sports?|pe|netball|hockey|knocked)\b/;

function clauseBefore(lower: string, s: number): string {
  const w = lower.slice(Math.max(0, s - 50), s);
  const cut = Math.max(
    w.lastIndexOf('.'),
    w.lastIndexOf('!'),
    w.lastIndexOf('?'),
    w.lastIndexOf(','),
    w.lastIndexOf('\n'),
    w.lastIndexOf(' but '),
    w.lastIndexOf(' because '),
    w.lastIndexOf(' cos '),
    w.lastIndexOf(' and '),
    w.lastIndexOf(' so '),
  );
  return cut === -1 ? w : w.slice(cut + 1);
}

function sentenceAround(text: string, s: number, e: number): [number, number] {
  let a = s;
  while (a > 0 && !/[.!?\n]/.test(text.charAt(a - 1)) && s - a < 160) a--;
  let b = e;
  while (b < text.length && !/[.!?\n]/.test(text.charAt(b)) && b - e < 160) b++;
  while (a < s && /\s/.test(text.charAt(a))) a++;
  return [a, b];
}

/** A parent quoting a child and saying it is what kids say; a worry that turned out to be nothing. */
const DISMISSAL =
  /\b(?:just what (?:kids|children|teenagers|teens|they|he|she|boys|girls) (?:say|says|do|does)|(?:he|she|they) (?:was|were) laughing|(?:didn'?t|doesn'?t|didnt|doesnt) mean it|not serious|(?:only|just) joking|was joking|just a (?:phrase|saying|figure of speech)|every(?:one|body|kid) says (?:it|that)|made a (?:massive |huge |big )?(?:deal|fuss)|over ?react\w*|(?:he|she|they) always says? (?:it|that))\b/;
const REPORTED = /\b(?:said|says|saying|shouted|screamed|yelled|went|goes)\b[^.!?\n]{0,30}$|["']\s*$/;
/** A worry, then within the sentence that it came to nothing: two steps, so the two bounded windows never multiply. */
const WORRIED = /\b(?:was|were|had been) (?:worried|concerned|scared)\b/g;
const CAME_TO_NOTHING = /^[^.!?\n]{0,80}\b(?:but|turned out|it was)\b[^.!?\n]{0,80}\b(?:fine|ok|okay|nothing|all good|sorted|his cousin|her cousin|innocent)\b/;

function lowered(lower: string, s: number, e: number): boolean {
  if (REPORTED.test(lower.slice(Math.max(0, s - 30), s)) && DISMISSAL.test(lower)) return true;
  const [a, b] = sentenceAround(lower, s, e);
  const sentence = lower.slice(a, b);
  for (const m of matchesOf(WORRIED, sentence)) if (CAME_TO_NOTHING.test(sentence.slice(m.index + m[0].length))) return true;
  return false;
}

/** Hyperbole that uses the words of a disclosure: "die of embarrassment", "rather die than", "homework is killing me". */
const HYPERBOLE =
  /\bdie of (?:embarrassment|shame|boredom|laughter|laughing|cringe|cringing)\b|\brather die\b|\b(?:i'?ll|i will|gonna|going to) (?:actually |literally )?die\b(?=[^.!?\n]{0,40}$)|\b(?:it'?s|its|is|are|this|that|homework|school|exams?) (?:literally |actually )?killing me\b|\bkilling me with\b/;
/** Talks and lessons about a risk are not disclosures of it. */
const TOPIC =
  /\b(?:lessons?|assembl(?:y|ies)|pshe|workshops?|talks?|training|course|sessions?|leaflets?|posters?|videos?|campaign|came to talk to (?:us|our class))\b[^.!?\n]{0,25}\b(?:on|about)\b/;

/** Reasons a match is not a disclosure at all. */
function dismissed(lower: string, cat: DisclosureCategory, m: string, s: number, e: number): boolean {
  const before = clauseBefore(lower, s);
  const near = lower.slice(Math.max(0, s - 40), Math.min(lower.length, e + 40));
  const last3 = before.trim().split(/\s+/).slice(-5).join(' ');
  if (NEGATORS.test(last3) && !REPORTING.test(last3)) return true;
  if (QUESTION.test(before)) return true;
  const [a, b] = sentenceAround(lower, s, e);
  const sentence = lower.slice(a, b);
  if (FICTION.test(sentence) && cat !== 'sexual-harm') return true;
  if (TOPIC.test(sentence) && /\bgroom|county lines|exploit|abuse|drugs|knife|self[- ]?harm|suicid|consent|sexting|nudes/.test(m)) return true;
  if (HYPERBOLE.test(sentence) && /\bdie|\bdead|\bkill/.test(sentence)) return true;
  // siblings and friends play-fighting
  if (
    cat === 'harm-by-others' &&
    /\b(?:brother|sister|cousin|mate|friend)s?\b[^.!?\n]{0,25}$/.test(lower.slice(Math.max(0, a), s)) &&
    /\b(?:lightsaber|toy|nerf|pillow|sword|playing|play ?fight\w*|messing about|mucking about|annoying|tickl\w*)\b/.test(sentence)
  )
    return true;
  // injuries someone else caused are harm by others, not self-harm
  if (
    cat === 'self-harm-suicide' &&
    /\b(?:says?|said|sed|told (?:me|us)) (?:that )?(?:his|her|my|the)? ?(?:\w+'?s? ){0,2}(?:did it|done it|did that|does it)\b/.test(sentence)
  )
    return true;
  if (/^(?:km|ky)s/.test(m) && /^ (?:this|that|these|the|my) /.test(lower.slice(e, e + 8))) return true;
  if (/\bkill|\bdie|\bdead|\bmurder|\bend it|^km|^ky/.test(m)) {
    if (SLANG.test(near) || SLANG.test(sentence)) return true;
    if (
      /\bi(?:'?m| am)? (?:could|would|will|'ll|gonna|going to|wanna|want to|ima|imma) (?:literally )?kill (?:my|him|her|them)\b|\bim(?:ma)? (?:gonna|going to) (?:literally )?kill (?:my|him|her|them)\b/.test(
        lower.slice(Math.max(0, s - 20), e),
      )
    )
      return true;
    if (/kill (?:me|us)\b/.test(m) && /\b(?:when|if) (?:she|he|they|i|mum|dad)\b/.test(lower.slice(e, e + 25))) return true;
  }
  if (cat === 'harm-by-others') {
    if (/\bwish (?:a|the) (?:car|bus|train|lorry|truck) would\s*$/.test(before)) return true;
    if (/\b(?:it|that|this|which|what)\s*$/.test(before) && /\bhurt/.test(m)) return true;
    if (/^beat/.test(m) && /^ (?:me|us|him|her|my \w+) (?:at|in)\b/.test(lower.slice(s + m.indexOf(' '), s + m.indexOf(' ') + 22))) return true;
    if (/^bruis/.test(m) && ACCIDENT.test(near) && !/believe|add up|won'?t say|wont say|says? (?:he|she|they) fell/.test(lower.slice(a, b + 100))) return true;
    if (/^(?:hit|kick|push|burn|bit|grab|drag|pin|lock)/.test(m) && /\b(?:ball|football|accident|accidentally|by mistake|game|playing)\b/.test(near))
      return true;
  }
  if (cat === 'immediate-danger' && /(?:door|window)/.test(m) && /\b(?:reversed|crashed|accident|accidentally|ball|by mistake|lol|wind|storm)\b/.test(sentence))
    return true;
  if (cat === 'sexual-harm' && /^touch/.test(m) && /\b(?:it|that|this|which)\s+(?:really\s+)?$/.test(before)) return true;
  return false;
}

/**
 * Detects a possible safeguarding disclosure. Returns the highest-priority category, with the
 * sentence that triggered it as evidence. Past, resolved situations come back with current=false.
 */
export function detectDisclosure(text: string): Disclosure | null {
  const raw = text.toLowerCase();
  const source = raw.length === text.length ? text : raw;
  // children's spellings are respelled first ("evry one wud be beter of witout me"); offsets map back
  const canon = canonicalise(raw);
  const lower = canon.text;
  let best: { cat: DisclosureCategory; s: number; e: number; current: boolean; rank: number } | null = null;
  // matches a specific rule looked at and set aside (a question, a game, a negation): the net respects that
  const setAside: [number, number][] = [];
  const consider = (cat: DisclosureCategory, s: number, e: number, cue: boolean): void => {
    const [a, b] = sentenceAround(lower, s, e);
    const sentence = lower.slice(a, b);
    // 'mum went out ages ago' is how long the danger has lasted, not a past event
    const past = cat !== 'immediate-danger' && (PAST.test(sentence) || PAST.test(lower.slice(Math.max(0, s - 80), s)));
    // the net's dampeners also guard the specific rules (a school project, a worry that came to nothing)
    const damp = dampen(sentence, cat);
    if (damp === 'drop') {
      setAside.push([s, e]);
      return;
    }
    let current = damp !== 'past' && !(past && RESOLVED.test(lower.slice(s))) && !lowered(lower, s, e);
    // a co-occurrence of signs in a joking sentence is still worth a look, at lower priority
    if (cue && (SLANG.test(sentence) || FICTION.test(sentence))) current = false;
    let category = cat;
    if (current && cat !== 'self-harm-suicide' && cat !== 'neglect' && URGENT.test(sentence)) category = 'immediate-danger';
    // a phrase that names the harm outranks signs of another kind; signs of danger right now outrank both
    const rank = (current ? 0 : 100) + ORDER.indexOf(category) + (cue && category !== 'immediate-danger' ? 10 : 0);
    if (!best || rank < best.rank) best = { cat: category, s: a, e: b, current, rank };
  };
  for (const [cat, re] of COMPILED) {
    for (const m of matchesOf(re, lower)) {
      const s = m.index;
      const e = s + m[0].length;
      if (m[0].length === 0) continue;
      if (dismissed(lower, cat, m[0], s, e)) {
        setAside.push([s, e]);
        continue;
      }
      consider(cat, s, e, false);
    }
  }
  // signs that co-occur in a sentence, or in a sentence and the next one
  const scan = scanCues(lower);
  const bounds = sentenceBounds(lower);
  for (let k = 0; k < bounds.length; k++) {
    const [a] = bounds[k] as [number, number];
    const b = (bounds[Math.min(k + 1, bounds.length - 1)] as [number, number])[1];
    for (const hit of cueCategories(lower, a, b, scan)) {
      if (dismissed(lower, hit.cat, lower.slice(hit.s, hit.e), hit.s, hit.e)) {
        setAside.push([hit.s, hit.e]);
        continue;
      }
      consider(hit.cat, hit.s, hit.e, true);
    }
  }
  if (!best) {
    // nothing specific: the broader net looks for the general shape of a disclosure
    const net = safetyNet(lower, bounds, setAside);
    if (net) best = { cat: net.category, s: net.s, e: net.e, current: net.current, rank: 0 };
  }
  if (!best) return null;
  const found = best as { cat: DisclosureCategory; s: number; e: number; current: boolean };
  const map = canon.map;
  const s = map ? (map[found.s] as number) : found.s;
  const e = map ? (map[Math.max(found.s, found.e - 1)] as number) + 1 : found.e;
  return { category: found.cat, evidence: source.slice(s, e).trim(), current: found.current };
}

const SENTENCE_END = /[.!?\n]/g;

/** Start and end offsets of each sentence of `t` (split at . ! ? and line breaks); the review net reads by them too. */
export function sentenceBounds(t: string): [number, number][] {
  const out: [number, number][] = [];
  let a = 0;
  for (const { index: i } of matchesOf(SENTENCE_END, t)) {
    if (i > a) out.push([a, i]);
    a = i + 1;
  }
  if (t.length > a) out.push([a, t.length]);
  return out;
}
