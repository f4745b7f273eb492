import { pattern } from './patterns';
import { matchesOf } from './progress';
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
 * Recall comes first: the threshold was set on our own labelled texts so that almost every
 * disclosure scores while texts that should not fire stay well under 10%.
 * Runs on the lower-cased, spelling-canonicalised text; every pattern has bounded gaps (linear time).
 */

/** Strong (2) and weak (1) harm words per category. Stems end in \w* so inflections come for free. */
const LEXICON: Record<DisclosureCategory, [string, string]> = {
  'harm-by-others': [
    [
      'hit(?:s|ting)?',
      'punch\\w*',
      'kick(?:s|ed|ing)?(?! off)',
      'slap\\w*',
      'smack\\w*',
      'belt(?:s|ed|ing)?',
      'bruis\\w*',
      'strangl\\w*',
      'chok(?:e|es|ed|ing)',
      'throttl\\w*',
      'beat(?:s|en|ing)?',
      'batter\\w*',
      'leather(?:s|ed|ing)?',
      'wallop\\w*',
      'thump\\w*',
      'whack\\w*',
      'scald\\w*',
      'split lip',
      'black eye',
      'dead arm',
      'by the (?:throat|neck|hair|arm)',
      'till (?:they|it|i|she|he) (?:bleed|bled|bruise)',
      'squeez\\w* (?:my|her|his|our) (?:neck|throat|arms?|wrists?)',
      '(?:burnt|burned|burns|scalded) (?:my|her|his|our) (?:hand|arm|leg|skin|face|fingers?)',
      'scratch(?:es|ed)? (?:on|all over) (?:my|her|his) (?:face|neck|arms?)',
      'makes? (?:me|her|him|us) stand',
      '(?:pulls?|pulled|pulling|yanks?|yanked) (?:my|her|his|our) hair',
      'slams? \\w+ (?:into|against)',
      'slammed',
      'flinch\\w*',
      'fingertip marks?',
      '(?:throws?|threw|chucks?|chucked|lobs?|lobbed) (?:\\w+ ){0,2}(?:at|on) (?:me|my|her|his|him|us)',
      'knocks? (?:me|her|him|us) (?:about|around|over|out)',
      'lock\\w* (?:me|us|her|him|them) (?:in|out|up)',
      'hand ?print',
      'cigarette burns?',
      '(?:put|send|land) (?:me|her|him|us) in (?:hospital|a&e)',
      'gets? (?:nasty|violent|handy|rough)',
      '(?:shout\\w* and throw\\w*|throw\\w* things)',
      'cut on (?:his|her|my) (?:face|head|lip)',
      'abus\\w*',
      'hurt(?:s|ing)? (?:me|us|her|him|my|mum|mam|mummy|mammy)',
      'pushed (?:me|her|him|us) (?:down|over|into)',
      'headlock',
      "can'?t breathe|cant breathe",
      'cigarettes?',
      'kettle',
      'hot water on',
      'shuts? (?:me|him|her|us|them) in',
      'under the (?:bath )?water',
      'purple marks',
      'pinches',
      '(?:twist\\w*|bend\\w*|bent|bang\\w*|bash\\w*|lamp\\w*|deck\\w*|clout\\w*|boot\\w*|stamp\\w*|stomp\\w*|claw\\w*|bit|bites?|spat|spits?|headbutt\\w*|suffocat\\w*|crush\\w*|yank\\w*|wrench\\w*|slam\\w*|smash\\w*|twat\\w*|knock\\w*|pinch\\w*|scratch\\w*|squeez\\w*|grab\\w*|drag\\w*|pull\\w*|push\\w*|shov\\w*|sits? on|sat on|stood on|stands? on) (?:me|him|her|us|them|my|his|her|their) (?:\\w+ )?(?:arms?|legs?|head|face|lips?|tooth|teeth|neck|back|ribs?|eyes?|skin|hair|wrists?|fingers?|hands?|ears?|nose|stomach|tummy|belly|chest|throat|bum|backside)',
      '(?:fat|swollen|burst|bust|split|bloody|bleeding|cut) (?:arms?|legs?|head|face|lips?|tooth|teeth|neck|back|ribs?|eyes?|skin|hair|wrists?|fingers?|hands?|ears?|nose|stomach|tummy|belly|chest|throat|bum|backside)',
      'marks? on (?:the )?(?:backs? of )?(?:my|his|her|their) (?:arms?|legs?|head|face|lips?|tooth|teeth|neck|back|ribs?|eyes?|skin|hair|wrists?|fingers?|hands?|ears?|nose|stomach|tummy|belly|chest|throat|bum|backside)',
      '(?:used|uses|with) (?:the|a|his|her) (?:cable|wire|belt|shoe|slipper|wooden spoon|stick|lead|hairbrush|buckle)',
      'lamps? (?:me|him|her|us)',
      '(?:no one|nobody|noone) (?:will|would) believe (?:me|him|her)',
      '(?:hold\\w*|held|pin\\w*) (?:me|him|her|us|them) down',
      "(?:can'?t|cant|couldn'?t) breathe",
      'tooth (?:came|come|fell) out',
    ].join('|'),
    [
      'hurt(?:s|ing|ed)?',
      'grab\\w*',
      'drag\\w*',
      'squeez\\w*',
      'pinch\\w*',
      'shov\\w*',
      'push(?:es|ed|ing)?',
      'flick\\w*',
      'burn(?:s|t|ed)?',
      'marks',
      'scratch(?:es|ed)',
      'bleed\\w*|bled',
      'bite marks?',
      'lines on',
      'welts?',
      'did it',
      'stands? against the wall',
      'violent',
      'rough with',
      'kicks off',
      'handy',
      'foot',
      'fist',
      'belt off',
      'lesson',
      'hospital',
      'if (?:i|she|he) tells?',
      'scared of (?:him|her|my \\w+|going home)',
      'hide (?:under|in)',
      'drinking',
      'shout\\w*',
      'cupboard',
      'face',
      'arms?',
      "won'?t say what happened",
      'nasty',
      'cable|wire|slipper|wooden spoon',
      'believe (?:me|him|her)',
      '(?:when|if) (?:i|he|she) (?:wets?|answers? back|cry|cries|talks? back|misbehave)',
    ].join('|'),
  ],
  'sexual-harm': [
    [
      '(?<!in |keep |get |got )touch\\w*',
      'private\\w*',
      'nudes?',
      'naked',
      'clothes off',
      'undress\\w*',
      'rude (?:videos?|pictures?|pics|photos?|films?|things|stuff)',
      'on (?:his|her) lap',
      'sit on (?:his|her) lap',
      'our (?:little )?(?:thing|secret|game)',
      'sleep(?:ing|s)? (?:with|together)',
      'slept with',
      'passed round',
      'in the shower',
      'under the (?:blanket|covers|duvet)',
      'tickling game',
      'sex\\w*',
      'screenshot\\w*',
      '(?:send|sent|sending) (?:\\w+ ){0,2}(?:more|pics|pictures|photos|vids?|videos?)(?! to (?:parents|the group|the class|families|everyone in))(?! (?:to my phone|of (?:the|a|an|our|their)\\b))(?! of (?:my|our|the|a|his|her) (?:new )?(?:puppy|dog|cat|kitten|pet|holiday|dinner|food|house|room|garden|drawing|work|homework))',
      'in my (?:school )?uniform',
      'much older',
      'older m[ae]n',
      'age is just a number',
      'in (?:his|her|their) (?:twenties|thirties|forties|20s|30s|40s)',
      "(?:man|guy|bloke|boyfriend|fella) (?:who'?s|whos|is|aged) (?:1[89]|[2-5]\\d)",
      '(?:1[89]|[2-5]\\d) ?(?:year old|yo) (?:man|guy|bloke|boyfriend)',
      '(?:comes?|coming|came|creeps?|gets?) (?:in|into) (?:my|her|his) (?:room|bed)',
      'pregnant',
      '(?:pictures?|pics|photos?) of (?:him|her)self',
      '(?:keep|keeps) (?:it|this) (?:a )?secret',
      'grown (?:man|men|adult)',
      'groom\\w*',
      "(?:is|'s|s) (?:1[89]|[2-5]\\d) and (?:she|he|i)(?:'s| is|'m| am|s|m) (?:1[0-6]|[5-9])\\b",
      "(?:1[89]|[2-5]\\d) ?(?:year old|yo)'?s? (?:boyfriend|bf|man)",
      'kissing on',
      'wants? to meet(?: up)?',
      'just between us',
      '(?:messag|text)\\w* (?:me|her|him) (?:on \\w+ )?late at night',
      'buys? (?:me|her|him) (?:vodka|alcohol|drink|stuff|presents|things)',
      'got (?:me|her|him) a (?:phone|iphone)',
      'mature',
      "(?:wouldn'?t|wouldnt) understand",
      'willy|penis|privates',
      "what (?:i'?m|im|she'?s|shes) wearing",
      'threatening to (?:post|share|send)',
      'share (?:my|her|his) (?:pics|pictures|photos|videos)',
      'made (?:me|her|him) do (?:stuff|things)',
      'sharing it round',
      'get (?:us|me|her|them) drunk',
      'back to (?:their|his) (?:flat|house|place)',
      'special (?:girl|boy)',
      '(?:going out with|seeing|dating) (?:a|an) (?:1[89]|[2-5]\\d)',
      '(?:1[89]|[2-5]\\d) ?(?:year old|yo)',
      'designer stuff',
      'picked up by (?:older|men|a man)',
      'to parties',
      '(?:hand|hands|fingers?) (?:up|down|in|inside|under) (?:my|her|his) (?:skirt|top|shirt|knickers|pants|trousers|dress|bra|pyjamas)',
      '(?:watch\\w*|look\\w*|stares?) (?:at )?(?:me|her|him|us) (?:get(?:ting)? )?(?:changed|undressed|changing|in the shower|in the bath)',
      '(?:come|came|get|got) (?:in|into) (?:my|her|his|the) (?:cubicle|changing room|bath|shower|sleeping bag|tent)',
      "(?:do|does|did) things (?:i|she|he) (?:don'?t|dont|didn'?t|didnt|doesn'?t|doesnt) want",
      '(?:lie|lay|lies|lying) on (?:his|her|the) bed',
      '(?:his|a) hotel',
      'train tickets?|bus tickets?|taxi (?:to|for) (?:me|her)',
      "(?:who is|who'?s|whos|aged) (?:1[89]|[2-5]\\d)\\b",
      'is (?:1[89]|[2-5]\\d) and (?:she|he|i)',
      '(?:messag|text|snap|dm|call|ring)\\w* (?:me|her|him) (?:\\w+ ){0,3}(?:at|late at|in the middle of the) (?:night|\\d{1,2} ?am|midnight)',
      "(?:asking|asks|asked) (?:me )?if (?:i'?m|im|i am|she'?s|shes|he'?s|hes) (?:alone|on my own|home alone|by myself)|are (?:you|u) alone",
      '(?:different|older|adult|grown) men (?:in|with|at|who)',
      "(?:picked up|dropped off|collected) (?:[\\w']+ ){0,6}by (?:men|older|a man|different|adults?)",
    ].join('|'),
    [
      'secret',
      "don'?t tell|dont tell|not to tell",
      'favourite',
      'special',
      'gifts?',
      'presents?',
      'vapes?',
      'nails done',
      'lifts?',
      'picks? (?:me|her|him) up',
      'picking (?:me|her|him) up',
      'parties',
      'alcohol|vodka|drink',
      'kiss\\w*',
      'bathroom',
      'in (?:my|her|his) (?:bed|room)',
      'pics|pictures?|photos?|videos?|vids?',
      'snapchat|insta\\w*|online|tiktok',
      'met (?:on|online)',
      'normal',
      'game',
      'older',
      'his car',
      'his phone',
      'boyfriend',
      'hand on (?:my|her|his) (?:leg|knee|thigh|bum)',
      'weed',
      'at night',
      'discord|whatsapp',
      'energy drinks',
      'buys? (?:me|her|him)',
      '(?:sending|sends|gives?) (?:me|her|him) (?:money|stuff|things)',
      'van|car',
      'men',
      'uncle|coach|teacher|lodger|neighbour',
      "i don'?t like it|i dont like it",
      'lifts? home',
      'beautiful',
      'loves? me',
      'snap',
      'iphone',
      'skirt|knickers|bra',
      'group chat',
      'changed|changing',
      'cigarettes|fags',
      'collects? (?:her|me|him)',
      'adds? (?:me|her|him) on',
      "children'?s home|care home",
    ].join('|'),
  ],
  neglect: [
    [
      '(?:always|still|really|so|very|often|constantly) hungry(?! after| so | when i got)',
      'hungry (?:at home|all the time|every|most|at (?:the )?weekends?|when)',
      '(?:go|goes|went|come|comes|came) (?:to bed |to school |in )?hungry',
      'starv\\w*',
      'no food',
      'nothing (?:to eat|but (?:toast|crisps|bread|beer|cereal))',
      "(?:haven'?t|havent|not) (?:had|eaten) (?:nothing|anything)",
      'nits|lice',
      'black stumps|rotten teeth|teeth (?:are )?(?:black|rotten)',
      'nappy|nappies',
      'no (?:bed|beds|heating|electric|lecky|gas|hot water|washer|bulbs|lights|money for)',
      'cut off',
      'locked out',
      'left (?:alone|on (?:my|our|their|his|her) own)',
      'no(?: one|body|one) (?:home|came looking|looking|feeds|picks)',
      'out of it',
      'off (?:her|his|their) (?:head|face)',
      'wandering',
      'in (?:just )?(?:a|their|her|his) (?:vest|pyjamas|nappy)',
      'ran out of (?:money|food)',
      'nick\\w* (?:from|food)',
      'steal\\w* food',
      'sores',
      'smells? of (?:wee|pee|poo)',
      'stank|stinks?|filthy',
      'duvet on the floor',
      '(?:cot|bed|room) all day',
      "can'?t wake (?:her|him|mum|mam|dad)",
      'same (?:uniform|clothes)',
      '(?:make|makes|making) (?:my|our) own (?:dinner|tea|breakfast|food|lunch)',
      '(?:locks?|locked) the (?:food|fridge|cupboard)',
      "(?:doesn'?t|doesnt|don'?t|dont|never|not) (?:get|have|had) (?:any )?(?:breakfast|dinner|tea|food|lunch)",
      "(?:hasn'?t|hasnt|not) been (?:home|back)",
      '(?:sleep|sleeps|sleeping|slept) (?:in|on) (?:the |a |my )?(?:park|streets?|coat|car|stairwell)',
      'share a bed',
      'cereal with water',
      '(?:left|leaves|leave) (?:\\w+ ){0,3}(?:alone|on (?:their|his|her|my|our) own|in the flat|in the house|in the car)',
      'home (?:alone|by myself)',
      "(?:doesn'?t|doesnt|never) come back",
      'bare ?feet|barefoot',
      '(?:no|never any) (?:milk|coat|shoes|money (?:left )?for the meter)',
      "(?:no|without|don'?t have|dont have|doesn'?t have|doesnt have|not got|hasn'?t got|hasnt got) (?:coats?|socks|shoes|jumpers?|warm clothes)",
      'summer clothes|t-?shirts? in (?:winter|january|the snow|the cold)',
      'asking (?:\\w+ )?for food',
      'nothing in (?:at home|the fridge|the cupboards?|the house)',
      'never been fed',
      'hides? food',
      'holes (?:in|right through)',
      'off for days|for days at a time',
      'leaves? (?:me|us|them) (?:a tenner|a fiver|money|£)',
      '(?:forgets?|forgot) to (?:pick|feed|collect)',
      'in the dark on (?:our|my|their) own',
      'grey and thin|so thin',
      '(?:dog|cat) (?:mess|poo)',
      'mouldy',
      'so dirty',
      'nobody took (?:him|her|them|me) to',
      "(?:doesn'?t|doesnt|won'?t|wont|never) get up",
      'i do (?:his|her|their) bottles?',
      '(?:make|do) (?:my|our|his|her) (?:own |brothers? |sisters? )?(?:tea|packed lunch|lunch|dinner)',
      'sleeps all day',
      'no (?:lights|electric)',
      '(?:out|outside) (?:on|in) the street',
      'at (?:11|midnight|1[0-2]) at night',
      'curtains (?:always )?shut',
      'never opens the door',
      'leaking pus',
      'in (?:our|my|their) coats',
      "(?:never|don'?t|dont|can'?t|cant) (?:hear|see) (?:an|any) (?:adult|grown ?up)",
      'cr(?:y|ies|ying) for hours',
      '(?:out|off) (?:partying|clubbing|drinking|on the piss)',
      'on a (?:bender|binge)',
      "(?:no|without|don'?t have|dont have|haven'?t got|havent got) (?:a )?(?:toothbrush|toothpaste|soap|towels?|sheets|pillow|mattress)",
      '(?:tooth|teeth) (?:is |are )?(?:sore|aching|hurting) (?:all the time|every day|for weeks)',
      'living off',
      '(?:no one|nobody|noone) (?:changes|washes|cleans|feeds|bathes|baths)',
      "(?:haven'?t|havent|hasn'?t|hasnt) had a (?:bath|wash|shower) in (?:weeks|days|ages)",
      'mice|rats|cockroaches',
      'feet (?:are|were|was) (?:blue|purple)',
      'with whoever',
      "heating'?s? (?:off|broken)",
      '(?:overnight|all night) (?:with|on) (?:\\w+ )?(?:own|neighbour)',
    ].join('|'),
    [
      'hungry',
      'sleep(?:s|ing)? (?:on|all)',
      'always (?:sleeping|asleep|in bed)',
      'asleep',
      'drunk|wasted|stoned|high',
      'tablets',
      'dirty',
      'smell\\w*',
      'floor',
      'dark',
      'cold|freezing',
      'toast',
      'look(?:s|ing)? after my (?:\\d+ |little |baby )?(?:sisters?|brothers?|siblings)',
      'every night',
      'most (?:nights|days)',
      'landing',
      'torch',
      'tummy hurts',
      'dentist',
      'fridge|cupboards?',
      'beer',
      'pub',
      "boyfriend'?s",
      'pyjamas',
      'on (?:her|his|their) own',
      'main road',
      'tea',
      'spar|shop',
      'breakfast|brekfast|dinner|diner',
      'tummy',
      'sleepy',
      'meter',
      'the pub',
      'all weekend|all day|all night',
      'rain',
      'wet',
      'milk',
      'goes out',
      'in bed',
      'alone',
      'snowing',
      'neighbours',
      'doctor',
      'overnight',
      'pram',
      'sheets',
      'stinks?',
    ].join('|'),
  ],
  'self-harm-suicide': [
    [
      '(?:cut|cutting|burn\\w*|scratch\\w*|hurt\\w*|punish\\w*|starv\\w*|kill\\w*) (?:my ?self|my (?:arms?|wrists?|legs?|skin|thighs?))',
      'compass',
      'blades?|razors?',
      'lighter',
      'overdos\\w*',
      'stash (?:of )?\\w*',
      'end (?:it|everything|my life)',
      'done with (?:everything|it all|life|living)',
      "(?:wasn'?t|wasnt|not|weren'?t) (?:here|alive|around) (?:any ?more|anymore)",
      'without me',
      'never wake up',
      'not wake up',
      'ways to die',
      'want to die|wanna die',
      'jump (?:off|from|in front)',
      'multi ?storey',
      'throw (?:my|him|her)self',
      'walk(?:ing)? into the sea',
      'goodbye',
      'sorry for everything',
      'giv(?:e|en|ing) away (?:his|her|my|all)',
      'deserve it',
      'the voices',
      'hang (?:my|him|her)self',
      'noose',
      'better off',
      '(?:cutting|cuts) (?:again|on (?:my|her|his))',
      'fresh cuts',
      '(?:took|take|taken|swallowed) (?:a load of |loads of |some |all (?:my|the) )?(?:pills|tablets|paracetamol)',
      'kms|kys',
      'kill (?:my|him|her)self',
      'suicid\\w*',
      'self[- ]?harm\\w*',
      '(?:i|me|myself) (?:just )?vanish\\w*',
      "(?:don'?t|dont|never|not) wake up",
      "(?:wasn'?t|wasnt|not) alive",
      'if i (?:was|were) gone',
      "(?:not going to|won'?t|wont) be (?:here|around)",
      'written (?:letters|notes|a letter|a note)',
      'do it tonight',
      // A child's own plan, not a plan professionals made with a family ("made a plan with us for his attendance").
      "(?:i'?ve|ive|i have|i|i'?d|already) (?:made|got) a plan(?! with| for (?:my|his|her|their|our|the) (?:attendance|revision|return|exams?|care|support|meetings?))",
      "(?:can'?t|cant) (?:keep going|go on|cope)",
      '(?:easier|better) (?:if|without)',
      'nobody would (?:care|notice|miss)',
      '(?:happier|easier|better) if i',
      "if i (?:wasn'?t|wasnt|was not|weren'?t) here",
      'if i (?:was|were) gone',
      'never (?:been )?born',
      'burden',
      "(?:don'?t|dont|doesn'?t|doesnt|do not) want to (?:exist|wake up|be here|be alive|live)",
      'no way out',
      'tired of (?:being alive|living|life)',
      'wants? to be dead',
      'graves?',
      'giv\\w* (?:my|his|her) (?:stuff|things) away',
      "won'?t need it|wont need it",
      'still being here',
      'edge of the (?:platform|bridge|roof|cliff)',
      'wish a (?:car|bus|train|lorry)',
      'want to dy',
      'ha?te? my life',
      'kill\\w* myself',
      '(?:took|take|taken|swallowed) a load of',
      "how many (?:[\\w']+ ){0,4}(?:pills|tablets|paracetamol) (?:it )?(?:would|will|it'?d) take",
      "(?:planning|plan|worked out|thinking about) how (?:i'?d|i would|i will|i'?ll|to) do it",
      '(?:see you on|on) the other side',
      'swallow\\w* (?:a |the )?(?:bottle|load|packet|lot) of',
      'under the sink|(?:drink|drank|drunk|swallow\\w*) bleach',
      'pull\\w* (?:my|her|his) hair out',
      'pick\\w* (?:at )?(?:my|her|his) skin',
      'waste of space',
      '(?:happier|better off|easier) (?:if|when) (?:i|he|she) (?:was|were|is) gone',
      'nobody has to find me|find my body',
    ].join('|'),
    [
      'disappear\\w*',
      'stopped eating',
      'tablets|pills|paracetamol',
      'bridge|roof|tracks',
      'die|dead',
      'just in case',
      'till it hurts',
      'head on the wall',
      'hit my head',
      'on purpose',
      'not answering',
      'lighter',
      'the sea',
      'world would be',
      'cope',
      'googl\\w*',
      'hate myself',
      'cutting|cuts',
      'long sleeves',
      'plan',
      'gave me (?:her|his)',
      'low',
      'letters',
      'wish i',
      'hoping',
      'dark stuff',
      'posting',
    ].join('|'),
  ],
  'immediate-danger': [
    [
      'right now',
      'hiding',
      '(?:outside|at) (?:my|our|the) (?:window|door|house)',
      'locked (?:the doors?|us in|me in)',
      'taken (?:my|our) phones?',
      "won'?t (?:leave|go|let (?:me|us) (?:leave|out))",
      'just turned up',
      'screwdriver|knife|machete|weapon|gun|hammer',
      '(?:gone|turned|going) blue',
      "(?:not|isn'?t|isnt) waking",
      'following me|followed me',
      "won'?t get up|not moving|not breathing",
      'screaming for help',
      'take (?:her|him|them) abroad',
      "(?:i )?(?:don'?t|dont) know what to do",
      'typing this',
      'blood on',
      'break(?:ing)? in',
      '(?:pls|plz|please) help',
      'help (?:me|us) (?:now|please|pls)',
      'coming (?:tonight|now|round now|back tonight)',
      '(?:got|has|with) a (?:bat|knife|gun|machete|hammer)',
      'by myself with (?:my|the) (?:baby|little)',
      'as i type',
      '(?:can|could) hear',
      'locked (?:my|the) (?:bedroom )?door',
      'smashing',
      'laying into',
      "tonight'?s the night",
      'parked outside',
      "(?:police|they) (?:still )?(?:haven'?t|havent) come",
      'no ?(?:body|one) is (?:answering|home|leaving)',
      'taken the phones',
      'driven off|drove off',
      'not allowed contact',
      '(?:keeps|is) knocking',
      'not talking',
      "won'?t wake|wont wake",
      "(?:they'?re|there|theyre|they are) fighting",
      'bleeding',
      '(?:found out|knows?) where we live',
      'parked (?:up )?(?:across|outside|down) the road',
      'hiding (?:the baby|the kids|us|in)',
      '(?:snatch\\w*|grabbed|took) (?:our|my|the) (?:son|daughter|baby|kids?|child)',
      '(?:railway|train) (?:bridge|line|tracks)|bridge railings|on the (?:railings|ledge|edge)',
      'refusing to (?:move|come down|come in)',
      'come quick',
      'never see (?:him|her|them) again',
    ].join('|'),
    [
      'now',
      'tonight',
      'wardrobe',
      'scared|terrified',
      'banging',
      'threatened',
      'outside',
      'hurting mummy|hurting mum|hurting mam',
      'yelling|screaming',
      'refusing to say where',
      'pissed',
      'bat',
      '999',
      "(?:police|they) (?:haven'?t|havent|not) (?:rung|come|called)",
      "isn'?t answering|isnt answering",
      'by myself|on my own',
      "now it'?s|now its",
      'help',
      'by myself|on my own',
      'went out',
      'dark',
      'crying',
      'help',
      'railings|ledge',
      'been drinking',
      'crying',
    ].join('|'),
  ],
  exploitation: [
    [
      'county lines?',
      '(?:holding|hold|keep|keeping|carry\\w*|stash\\w*) (?:a |the |some |their )?(?:bag|parcel|package|stuff)',
      'deliveries|delivering',
      'dropping (?:little |small )?(?:bags|packages|parcels)',
      'debt',
      'owe[sd]? (?!the (?:library|school|council|bank|shop)\\b)\\w+|owing',
      'work (?:it |the debt )?off',
      'line phone',
      'two phones',
      'sold everything',
      '(?:find|hurt|come for) my (?:mum|mam|family|brother|sister)',
      'come looking for me',
      'another town',
      'robbed of',
      'wad of cash',
      '(?:sell|selling|sold) (?:drugs|weed|gear|stuff)',
      'made to (?:sell|carry|hold|hide|run|deliver)',
      '(?:doing|do|did) (?:runs|a run|drops)',
      'easy money',
      'hide (?:stuff|drugs|knives|things) (?:in|for)',
      'hold (?:knives|a knife|drugs|weed)',
      '(?<!\\bit |\\bthat |\\bletter |\\bform |\\breferral |\\bfile )(?:going|goes|gone|went|keeps going) missing(?! from (?:lessons?|class|school|registration|the register))',
      'take a parcel',
      "(?:they'?ll|theyll|they will) (?:come for|hurt|get) (?:me|us|my)",
      'deliver (?:packages|parcels|stuff|bags)',
      'pay (?:me|him|her|us) in',
      'found in a (?:town|city)',
      '(?:two|three|four|\\d+) hours away',
      'know where i live',
      'will get it',
      'scared to stop',
      'wherever they say',
      'hands? (?:out )?(?:little )?bags',
      'lost their stuff',
      'do jobs for',
      'gave (?:me|him|her) a (?:moped|phone|bike)',
      'run(?:ning)? drugs',
      'out of town',
      'watch(?:ing)? the door|look ?out for',
      "(?:till|until) (?:it'?s|its) (?:all )?sold",
      'collect (?:\\w+ ){0,2}(?:packages|parcels|bags)',
      'rucksack|backpack',
      'inside (?:his|her|my) body|plugging',
      '(?:hurt|kill|get) us if (?:he|she|i) talks?',
      'not allowed to go home',
    ].join('|'),
    [
      'older (?:boys|lads|men|kids)',
      'lads',
      'cash|money|£?\\d+ a day',
      'trainers',
      'missing',
      'disappearing',
      'weed|drugs',
      'bags?',
      'parcel',
      'on bikes?',
      'audi|car',
      'flat in',
      'sell\\w*',
      '(?<!\\[)phones?',
      'new clothes',
      'estate',
      'if i stop',
      'blackpool|london|birmingham|manchester|liverpool',
      'new phone(?! number)',
      '£\\d+',
      'man in a car',
      'address',
      'runs',
      'knives',
      'for a man|for (?:the )?older',
      "won'?t tell (?:us|me) where",
      'cousin',
      'moped',
      'cycle off',
      'stabbed',
      'arrested',
      'queue up',
    ].join('|'),
  ],
};

const CATS = Object.keys(LEXICON) as DisclosureCategory[];
const COMPILED: [DisclosureCategory, RegExp][] = CATS.map((c) => [c, pattern(`\\b(?:(${LEXICON[c][0]})|(${LEXICON[c][1]}))\\b`, 'g')]);

/** A child at risk: the writer, or a child they name or are related to. */
const CHILD =
  /\b(?:i|i'?m|im|i'?ve|ive|me|my|myself|we|us|our)\b|\b(?:son|daughter|grandson|granddaughter|niece|nephew|friend|mate|sister|brother|cousin|kids?|children|child|little ones?|baby|toddler|girl|boy|lad|teenager|pupil)s?\b|\byear \d\b|\b\d{1,2} ?(?:year old|yo)\b/;
/** Someone doing it. */
const ACTOR =
  /\b(?:he|she|they|him|her|them|his|their|mum|mam|mom|mummy|mammy|dad|da|daddy|step ?(?:dad|mum|father|mother|brother|sister)|stepfather|stepmother|boyfriend|partner|fella|ex|uncle|aunt\w*|nan|nana|grandad|grandma|cousin|brother|coach|teacher|man|men|guy|bloke|lads|boys|older|someone|somebody|neighbour|friend|carer)\b/;
/** Present or recent time. */
const TIME =
  /\b(?:keeps?|kept|every (?:time|night|day|week|weekend|morning)|still|now|tonight|today|yesterday|last night|this (?:morning|week)|at the weekends?|weekends|since|when (?:mum|mam|dad|he|she)'?s? (?:out|drunk|home|back)|again|most (?:days|nights)|all day|always|just|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|sometimes)\b|\b(?:he|she|it|mum|mam|dad|nan|grandad|uncle|coach|man|brother|cousin|boyfriend|partner)\s+(?:\w+ )?\w+(?:s|es)\b|\b(?:is|are|am|'s|'m|'re|been) \w+ing\b|'re|'m\b/;

/** Figures of speech and hyperbole that borrow harm words. */
const HYPERBOLE =
  /\b(?:die|died|dying|dead) (?:of|for|from) (?:embarrassment|shame|boredom|laughing|laughter|cringe)|\b(?:killing|kill|murder|shoot) me\b(?! (?:when|if))|\b(?:would|will|'?ll|gonna|going to) (?:literally |actually )?(?:kill|murder) (?:me|us)\b|\brather (?:die|shoot|kill) (?:myself )?than\b|\bdead (?:tired|bored|good|funny|nice|hard|easy)\b|\blegs are dead\b|\bdestroyed us\b|\bcould kill for\b|\bdie for a\b|\bdeath of (?:me|her|him)\b|\bliterally dying\b|\bwanted to die when\b|\bgoing to die in\b|\b(?:lol|lmao|haha\w*|jk)\b|😂|🤣|💀/;
/** Games, films, books, TV and lessons. */
/** Harmless settings that borrow harm words: a power cut, a pet, a class award, a lost thing found. */
const BENIGN =
  /\b(?:power cut|team (?:photos|pictures|pics)|the storm|it was fun|was fun|found it|found them|star of the week|surprise (?:party|present)|secret santa|(?:i'?m|im) (?:so |literally |absolutely )?starving\b(?![^.!?\n]{0,40}\b(?:always|every|never|no food|nothing))|(?:dog|cat|hamster|puppy|pet|rabbit|fish|guinea pig|goldfish)s? (?:\w+ )?(?:died|got hit|was hit|passed away)|hungry so|(?:came|come) to (?:talk|speak) to (?:us|our class|the class|our school|our year)|what (?:kids|children|teenagers|they) say|was laughing|having fun|for fun|for a laugh|eats loads|hollow legs|growth spurt|growing (?:boy|girl|lad))\b/;

/** Games: violence there is pretend, but grooming happens on game platforms, so not for sexual harm. */
const GAMES = /\b(?:in|on|playing) (?:fortnite|gta|minecraft|roblox|fifa|cod|call of duty|the game|a game|my game)\b|\bjust a game\b|\bat chess\b/;
const FICTION =
  /\bin (?:my|the|a|this) (?:book|film|story|novel|show|programme|comic)\b|\b(?:eastenders|hollyoaks|corrie|coronation street|emmerdale|casualty|doctor who|storyline|soap|the character)\b|\b(?:in|on) (?:hollyoaks|eastenders|corrie|coronation street|emmerdale|the telly|tv|netflix)\b|\b(?:film|movie|book|story|drama|a play|the play|programme|tv show|documentary|assembly|lesson|pshe|project|workshop|episode|novel|poem)s?\b[^.!?\n]{0,40}\b(?:about|on)\b|\b(?:talk|session|video|leaflet)s? (?:about|on)\b|\bwe (?:learned|learnt|did|watched|read|studied) (?:about|a|an|the)\b|\bvictorian|\bhistory\b/;
/** Negation of the harm itself. */
const NEGATED = /\b(?:no ?one|nobody|never|not|don'?t|dont|doesn'?t|doesnt|isn'?t|isnt|wasn'?t|wasnt|aren'?t|nothing is|nothing'?s)\b/;
/** Accidents and play. */
const ACCIDENT =
  /\b(?:fell|fall|falling|slipped|tripped|by accident|accidentally|(?:was|an) accident|boots|shins|scooter|hide and seek|trampoline|play ?fight\w*|pillow|in pe|rugby|football|playing|teething|nose ?bleed|suncream|sunburn|the beach|bath|barbecue|bbq|cooking|the ball|(?:hit|reversed into|crashed into) (?:a |the )?(?:parked )?(?:car|van|post|bollard|kerb|wall|lamp ?post))\b/;
/** A past, resolved situation: reviewed later, not flagged as current. */
const RESOLVED =
  /\b(?:used to|(?:my )?old (?:foster )?(?:placement|school|house|home|area|carers?)|(?:really |so )?happy (?:here|now)|but that was|but now (?:i|we|she|he|they) (?:have|has|am|are|feel|get|know)|years ago|in the past|last year|when (?:i|we|the (?:children|kids)|they) (?:was|were) (?:little|younger|small)|(?:that'?s|thats|it'?s|its) (?:all )?(?:over|sorted|stopped)|sorted now|(?:it|that|he|she|they|this) (?:has |have )?stopped|sober|gone for years|moved out|blocked|reported|(?:safe|ok|okay|fine|better|happy|settled) now|doing (?:well|better|great) now|no contact now|haven'?t done it|havent done it|(?:been )?clean for|since the|(?:haven'?t|havent|hasn'?t|hasnt) [a-z]+ (?:my|him|her)self since|since last)\b/;
/** A worry that came to nothing. */
const NOTHING =
  /\b(?:turned out|but (?:he|she|they|it) (?:was|were) (?:just|only)|it was nothing|was fine|were fine|was just (?:a|the|her|his)|it was the (?:telly|tv)|a mistake|false alarm|he turned up|she turned up|they turned up|nothing happened|nothing is happening)\b/;

/** Parents and carers: their lifts and presents are not grooming signs on their own. */
const KIN = /\b(?:dad|daddy|mum|mam|mummy|nan|nain|grandad|grandma|taid|foster carers?|auntie|aunty)\b/;

/** Danger words around the police or a service that then reassured: an account of help, not of danger. */
const REASSURED = /\b(?:police|officers?|paramedics?|ambulance)\b[^.!?\n]{0,60}\b(?:kind|lovely|nice|helpful|explained|calm|reassur\w*|sound)\b/;

/** A question someone asked, school discipline: harm words that are not about harm to the child. */
const ASKED =
  /\b(?:asked (?:me |us |her |him |them )?(?:if|whether)|i said (?:no|nah)|kicked out of (?:school|class)|excluded|(?:sent home|suspended) for|for (?:fighting|kicking|hitting|punching)|at chess|breakfast club)\b/;

/** Per-category threshold on the sentence score (harm words + context). */
/**
 * Thresholds chosen on our own labelled texts (samples + heldout 1-5: 310 disclosures, 825 texts
 * that should not fire). When chosen, the net alone caught 0.97 of disclosures at threshold 3, 0.94
 * at 4 and 0.85 at 5, with at most 1.2% false alarms at 3; behind the specific rules, 3 gave 0.997
 * recall and 1.0% false alarms, so recall wins. MIN_HARM 2 = one strong word, or two different weak ones.
 */
const THRESHOLD = 3;
const MIN_HARM = 2;

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

/** Why the writer hurts themself: what turns "i bang my head" from an accident into self-harm. */
const SELF_INTENT =
  /\b(?:on purpose|angry (?:at|with) myself|hate myself|when it gets (?:bad|too much)|to punish|deserve|bleeds?|so it hurts|till it hurts|when i'?m (?:angry|sad|upset|stressed|low))\b/;

/**
 * A threat that keeps a child quiet or compliant ("or they'll do my little brother", "if i dont
 * send it he'll tell everyone", "won't tell us who"): the shape of coercion, whatever the words.
 */
const THREAT =
  /\bor (?:else|they'?ll|he'?ll|she'?ll|they will|he will|she will)\b|\bif (?:i|she|he|we) (?:don'?t|dont|do not|tell|talk|say|stop|won'?t|wont)\b[^.!?\n]{0,60}\b(?:he|she|they)(?:'?ll| will)\b|\b(?:says?|said|told (?:me|her|him)) (?:he|she|they)(?:'?ll| will) (?:hurt|kill|tell|do|get|send|post|share|burn)\b|\b(?:won'?t|wont) tell (?:us|me|anyone) who\b/;

/** Self-injury words with the writer (or "herself") as the one who does it. */
const SELF_DONE =
  /\b(?:i|i'?ve|ive|i'?m|im)\b[^.!?\n]{0,25}\b(?:cut|cutting|burn\w*|scratch\w*|hit|hitting|bang\w*|punch\w*)\b[^.!?\n]{0,12}\b(?:myself|my (?:arms?|wrists?|legs?|head|skin|thighs?))\b|\b(?:she|he)\b[^.!?\n]{0,25}\b(?:cut|cutting|burn\w*|scratch\w*|hit|hitting|bang\w*|punch\w*)\b[^.!?\n]{0,12}\b(?:herself|himself|(?:her|his) (?:arms?|wrists?|legs?|head|skin|thighs?))\b/;

/** Words that wrap a disclosure rather than deny it ("i dont WANT to wake up", "can't STOP thinking about it"). */
const WRAPPER = /\b(?:if|unless|want|wanna|stop|help|care|believe|know|tell|says?|said|let|notice|anyone|allowed)\b/;

/**
 * Does the harm word sit under a negation in its own clause ("nobody hurts me", "i'm not being
 * made to")? For neglect only a negation right before counts ("never goes hungry"): elsewhere the negation IS the sign ("dont have coats").
 */
function negated(t: string, s: number, cat: DisclosureCategory): boolean {
  const before = t.slice(Math.max(0, s - 40), s);
  if (cat === 'neglect') return /\b(?:doesn'?t|doesnt|don'?t|dont|never|not|isn'?t|isnt|aren'?t|arent) (?:ever |really )?$/.test(before);
  // "i burnt my finger": the writer did it, so it is not harm by others
  if (cat === 'harm-by-others' && /\bi $/.test(before) && !/^(?:can|could)/.test(t.slice(s, s + 5))) return !SELF_INTENT.test(t.slice(s, s + 80));
  const cut = Math.max(
    before.lastIndexOf(','),
    before.lastIndexOf('.'),
    before.lastIndexOf('!'),
    before.lastIndexOf('?'),
    before.lastIndexOf('\n'),
    before.lastIndexOf(' but '),
    before.lastIndexOf(' and '),
    before.lastIndexOf(' cos '),
    before.lastIndexOf(' because '),
  );
  const clause = (cut === -1 ? before : before.slice(cut + 1)).split(/\s+/).slice(-4).join(' ');
  return NEGATED.test(clause) && !WRAPPER.test(clause);
}

/**
 * Scores each sentence (and each sentence with its neighbour) and returns the best-scoring
 * disclosure, or null when nothing reaches the threshold.
 * @example safetyNet('my step dad gives me a dead arm every time i forget the dog', bounds)
 */
export function safetyNet(t: string, bounds: [number, number][], setAside: [number, number][] = []): NetHit | null {
  // every harm word in the text, found once; windows below only count them
  const found: Hit[] = [];
  for (const [cat, re] of COMPILED) {
    for (const m of matchesOf(re, t)) {
      if (m[0].length === 0) continue;
      if (!negated(t, m.index, cat)) found.push({ cat, s: m.index, strong: m[1] !== undefined, word: m[0] });
    }
  }
  if (found.length === 0) return null;
  const inside = (x: number, y: number): boolean => setAside.some(([s, e]) => s < y && x < e);
  let best: Scored | null = null;
  for (let k = 0; k < bounds.length; k++) {
    const [a0, b0] = bounds[k] as [number, number];
    if (!found.some((h) => h.s >= a0 && h.s < b0) || inside(a0, b0)) continue;
    // the next sentence can carry the context ("he did it again. i'm scared")
    const next = bounds[k + 1];
    const b = next && !inside(next[0], next[1]) ? next[1] : b0;
    const scores = harmScores(found, a0, b, THREAT.test(t.slice(a0, b)));
    if (scores.length === 0) continue;
    const sentence = t.slice(a0, b0);
    const win = t.slice(a0, b);
    if (HYPERBOLE.test(sentence) || FICTION.test(sentence) || BENIGN.test(win) || NOTHING.test(win) || HYPERBOLE.test(win) || ASKED.test(win)) continue;
    const context = (CHILD.test(win) ? 1 : 0) + (ACTOR.test(win) ? 1 : 0) + (TIME.test(win) ? 1 : 0);
    if (context === 0) continue;
    const accident = ACCIDENT.test(win) && !COVER_STORY.test(win);
    const game = GAMES.test(win);
    const current = !RESOLVED.test(win);
    for (const [cat, harm, strong] of scores) {
      // lifts, presents and pictures from a parent are kindness unless something stronger is said
      if (cat === 'sexual-harm' && strong === 0 && KIN.test(win)) continue;
      // 'now', 'help', 'outside' are everywhere: danger needs one of its strong words; lifts, coaches and
      // pictures are everyday too: grooming on weak words alone needs three different ones
      if (cat === 'immediate-danger' && strong === 0) continue;
      if (cat === 'sexual-harm' && strong === 0 && harm < 3) continue;
      let c = cat;
      if (cat === 'harm-by-others' && SELF_DONE.test(win)) c = 'self-harm-suicide';
      if (c === 'immediate-danger' && REASSURED.test(win)) continue;
      if (game && (c !== 'sexual-harm' || strong === 0)) continue;
      if (accident && (c === 'harm-by-others' || c === 'self-harm-suicide' || c === 'immediate-danger')) continue;
      const score = harm + context;
      if (score < THRESHOLD) continue;
      const cand: Scored = { cat: c, score, a: a0, b: b0, current };
      if (!best || rank(cand) > rank(best)) best = cand;
    }
  }
  if (!best) return null;
  const top = best as Scored;
  return { category: top.cat, s: top.a, e: top.b, current: top.current };
}

interface Hit {
  cat: DisclosureCategory;
  s: number;
  strong: boolean;
  word: string;
}

const rank = (x: Scored): number => (x.current ? 1000 : 0) + x.score * 10 - PRIORITY.indexOf(x.cat);

/**
 * Harm score per category inside [from, to): a strong word counts 2 (two at most), each distinct
 * weak word 1 (three at most); a threat adds 2. Only categories reaching MIN_HARM come back, as
 * [category, harm, strong]; a threat with no harm word beside it is read as harm by others.
 */
function harmScores(found: Hit[], from: number, to: number, threat: boolean): [DisclosureCategory, number, number][] {
  const out: [DisclosureCategory, number, number][] = [];
  for (const cat of CATS) {
    let strong = 0;
    const weak = new Set<string>();
    for (const h of found) {
      if (h.cat !== cat || h.s < from || h.s >= to) continue;
      if (h.strong) strong++;
      else weak.add(h.word);
    }
    let harm = 2 * Math.min(strong, 2) + Math.min(weak.size, 3);
    // a threat counts as a strong word for whatever harm it guards
    if (threat && harm >= MIN_HARM) {
      harm += 2;
      strong++;
    }
    if (harm >= MIN_HARM) out.push([cat, harm, strong]);
  }
  if (threat && out.length === 0) out.push(['harm-by-others', 2, 1]);
  return out;
}

/** An accident story that sounds put up: the child was told to say it, or the adult does not believe it. */
const COVER_STORY =
  /\b(?:say|says|said|told (?:me |us |her |him )?to say) (?:that )?(?:i|we|he|she|they) (?:fell|tripped|slipped|walked into)|\b(?:don'?t|dont|do not|didn'?t|didnt) believe\b|\bdoesn'?t add up|\b(?:won'?t|wont) (?:say|explain)\b/;
/** Accidents and play that are never a cover for harm on their own. */
const PLAIN_ACCIDENT =
  /\b(?:slipped|(?:football|new|rugby) boots|(?:dog|cat|puppy|hamster|horse|pony) (?:bit|scratched|jumped)|by accident|accidentally|(?:was|an) accident|trampoline|pillow|teething|nose ?bleed|sunburn|suncream)\b/;
/** Unmistakably over: the specific rules keep their own, finer past-and-resolved check. */
const OVER =
  /\b(?:(?:that'?s|thats|it'?s|its) all over|(?:that was|that was at) my old (?:foster )?(?:placement|school|house|home|carers?)|sorted now|(?:years|a long time) ago|when (?:the (?:children|kids)|i|we) (?:was|were) (?:little|small|younger)|no contact now)\b/;

/**
 * The net's dampeners applied to a sentence a specific rule matched: 'drop' for a figure of
 * speech, a game or lesson, a plain accident or a worry that came to nothing; 'past' for a
 * situation that is plainly over; null when none applies.
 */
export function dampen(sentence: string, cat: DisclosureCategory): 'drop' | 'past' | null {
  if (NOTHING.test(sentence) || FICTION.test(sentence) || HYPERBOLE.test(sentence) || BENIGN.test(sentence)) return 'drop';
  if (cat !== 'sexual-harm' && GAMES.test(sentence)) return 'drop';
  if (cat === 'neglect' && /\bhungry (?:after|so i|when i got)\b/.test(sentence)) return 'drop';
  if ((cat === 'harm-by-others' || cat === 'self-harm-suicide') && PLAIN_ACCIDENT.test(sentence) && !COVER_STORY.test(sentence)) return 'drop';
  if (OVER.test(sentence)) return 'past';
  return null;
}
