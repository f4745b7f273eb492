/**
 * Word lists used by redaction. Kept as space-separated strings so the bundle stays small;
 * they are split into Sets once at module load.
 */
const set = (s: string): Set<string> => new Set(s.trim().split(/\s+/));

/** First names that are not ordinary English words: redacted in any case, anywhere. */
export const FIRST_NAMES = set(`
aaliyah aaron abbie abby abdul abdullah abigail ada adam adele adrian afia ahmed aidan aiden aimee aisha aitana alan alana alaw aled alex alexa alexander alexandra alexis alfie ali alice alicia alina alisha alison alistair amanda amara amelia amelie amir amira amy ana anastasia andrea andreea andrew andy aneurin angela angharad anita ann anna annabel anne annie anthony anton antonia archie ari aria ariana arianwen arlo arthur arwel arya asha ashley ashton aston aubrey audrey ava axel ayesha ayla bailey barbara barry bartek beatrice becca becky beca bella ben benjamin bethan bethany betsy beth bev beverley bianca billie blake bobby bogdan bradley brandon branwen brenda brett brian bridget brogan bronwen bryn bryony caitlin caleb callum calum calvin cameron caoimhe cara carl carla carly carlos caroline carrie carwyn carys casey cassie catherine catrin cathy cerys chantelle charlie charles charley charlotte chelsea cheryl chloe chris christina christine christopher ciara cian ciaran claire clara clare claudia cody colin connor conor corey courtney craig cristian cynthia cai dafydd daisy daniel daniela danielle danny dara darius darren dave david dawid debbie deborah declan deepak delyth demi denise derek derwyn dewi diana diane dominic donna dorota dylan ebony eddie edward efa eileen elaine eleanor elen eli elijah elin elis eliza elizabeth ella ellie elliot elliott ellis elsie emily emma emre enzo eric erin esme esther ethan evie ewa ezra fatima fatma felix ffion filip finlay finley finn fiona florence francesca freddie freya gabriel gail gareth gary gavin gemma george georgia georgina gethin glenys gloria gordon graham gruffydd gwen gwenllian gwilym gwyn hafsa hamza hannah harley harper harriet harrison harry harvey hassan hayley heidi helen henry hollie huw hywel ian idris ieuan ifan imogen ioana ion iona isaac isabel isabella isabelle isla ismail iwan jac jacob jade jake james jamie jane janet janine jasmine jason jaxon jay jayden jaz jenny jess jessica joanne jodie joe joel john johnny jonathan jordan joseph josh joshua julia julie junaid justin kai kacper kaitlyn kamal karen karina kasia kate katie katherine kathryn kayden kayla kayleigh keeley keira keith kelly kelsey kerry kev kevin khadija kian kieran kim kimberley kirsty krystal kyle lacey lacie lana laura lauren layla leah lee leila leo leon leona lewis lexi liam lily-mae lisa liz lizzie llinos llyr logan lois lola lorraine louis louise lowri luca lucas lucy luke lukasz lydia lynne macsen maddie madison maisie maja malik mali manon marcus maria mariam marie marcin martin martyn mason matei mateo mathew matthew maya megan meg meredydd mia michael michaela michelle mihai mike millie mohamed mohammed mohammad molly mustafa nadia naomi natalia natalie nathan ned nell nia niamh nicola nicole niall noah nora nuala olga oliver olivia ollie omar oscar osian owain owen paige pamela patrick paul paula pawel pedr peredur phoebe piotr priya rachel radu rafael rahul rania rayan rebecca rees reece reggie rhian rhiannon rhodri rhys rhydian rian ricky rio riley rita robert roberto rohan ronan ronnie rory rosie ross ruth ryan saanvi sadie safa sally samantha sami samira samuel sandra sara sarah sasha scarlett sean sebastian seren shane shannon sharon shauna sian siân sienna simon sion siôn sioned siobhan sofia sophia sophie stacey stefan steffan stella stephen steve steven stuart susan suzanne sylvia tamara tania tanya tara tariq tegan teg teifion terry tess tesni theo thomas tia tilly tim timothy tina tobias toby tom tomos tommy tony tracey tracy tyler valentina vanessa victoria vikram wendy wiktoria wojciech yasmin yusuf zac zach zachary zainab zak zara zoe zofia zoya
jess jo jen kez shaz daz baz gaz jules kel tash sam
dai geraint emyr iolo meirion nerys mared gwenno elwyn eurig ceri`);

/** Names that are also ordinary words: a name only in a name context ("Hope said", "called Grace"). */
export const WORD_NAMES = set(`
hope faith grace sue eve joy patience mercy sunny robin bill mark will rose lily summer autumn dawn april may june jack frank rich pat guy ray sky skye storm rocky hunter brook heather holly ivy ruby amber crystal sage rowan ash reed chase drew lance miles max bob poppy violet iris pearl melody harmony precious destiny star angel blessing honor cliff dean glen grant rob nick sonny penny rusty don bonnie carol christian kitty lane marsh matt page pip sandy lucky river rain willow hazel jasper flora chance noble beau cash`);

export const MONTH_NAMES = set('april may june august');

/** Common words that follow a name cue but are not names ("my worker never rings"). */
export const STOP = set(`
a an the and or but so if then than that this these those there their they them theyre they're its it's it is was were be been being am are has have had having do does did doing done
not no nor never always just only even still also too very really so quite proper well dead pretty soo sooo
i me my mine myself we us our ours you your yours u ur he him his she her hers it who whom whose which what when where why how
to of in on at by for from with without about into onto over under up down out off again back away around through after before during since until till
can could would should will shall may might must cant can't couldnt couldn't wont won't wouldnt wouldn't shouldnt dont don't doesnt doesn't didnt didn't isnt isn't wasnt wasn't arent aren't havent haven't hasnt hasn't
is was said says told tells asked asks came comes come went goes go gets got get rang rings rung called calls phoned texts texted helped helps listened listens explained explains keeps kept made makes gave gives took takes left leaves visited visits sorted sorts
all any some every each both few many more most much lots loads other another same such own
one two three four five six seven eight nine ten first last next new old good great nice kind lovely brilliant bad rubbish ok okay alright fine sound decent
today tonight tomorrow yesterday now later soon ages week weeks month months year years day days time times hour hours minute minutes min mins
mum mam mom mummy mammy dad daddy nan nana nanna nain taid gran granny grandad grandma grandpa auntie aunty aunt uncle brother sister bro sis cousin son daughter baby kids kid children child family parents parent carer carers foster partner ex husband wife boyfriend girlfriend bf gf mate mates friend friends bestie
worker workers sw social teacher teachers therapist counsellor mentor nurse doctor officer officers police detective chair lady man woman guy bloke person people team someone somebody anyone anybody everyone everybody nobody noone everything nothing something anything
school college class lessons home house flat room office meeting meetings visit visits appointment plan review call phone number letter email
i'll i'm i've i'd im ive id we're we've we'll you're you've he's she's it's that's there's what's who's let's yes yeah yep nah nope lol omg tbh idk thanks thank please sorry hi hello bye`);

/** Names of services, organisations, places and things that are capitalised but not people. */
export const NOT_PEOPLE = set(`
childline kooth camhs nhs nspcc samaritans shout barnardos barnardo's meic youngminds papyrus mind cafcass ofsted mash edt gp a&e ae dwp hmrc council councils send senco sen aln alnco pru ehcp cin cp lac cla iro fgc fgm ceop
roblox fortnite minecraft snapchat snap instagram insta tiktok facebook whatsapp youtube discord xbox playstation fifa google netflix tesco aldi lidl asda mcdonalds mcdonald's greggs primark
llanelli cardiff swansea bangor wrexham newport carmarthen aberystwyth llandudno rhyl caernarfon merthyr pontypridd bridgend neath port talbot caerphilly ammanford burry llandeilo brecon monmouth haverfordwest pembroke tenby holyhead
hull leeds london manchester liverpool birmingham bristol sheffield york bradford leicester nottingham newcastle sunderland coventry derby stoke plymouth exeter chester cornwall wales cymru england scotland ireland britain uk
welsh english polish romanian urdu arabic punjabi bengali somali kurdish portuguese spanish french turkish bsl makaton
muslim christian catholic islam god allah jesus jummah ramadan eid christmas easter diwali
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december
universal credit pip dla lego uno`);

/** Role nouns after which a capitalised word (or a known first name) is a person's name. */
export const ROLE_CUES = set(`
worker sw keyworker teacher therapist counsellor counselor mentor nurse doctor officer detective chair carer visitor friend mate bestie bf gf boyfriend girlfriend brother sister cousin son daughter baby stepdad stepmum partner ex husband wife lady man woman guy bloke handler advocate manager head headteacher tutor coach psychologist psychiatrist paediatrician consultant midwife solicitor named called`);

/** Titles after which the next word is a name, whatever its case ("mrs p", "PC Kaur"). */
export const TITLES = set('mr mrs ms miss mx dr sir madam');
/** Police ranks only count as titles when written in capitals (PC, not "the pc"). */
export const RANKS = set('PC DC DS DI DCI Sgt Sergeant Inspector Constable Cllr Councillor Prof Nurse Sister Father');
/** Family titles that take a name only when the name is recognisable ("auntie bev"). */
export const FAMILY_TITLES = set('auntie aunty aunt uncle nan nanna nana gran grandad grandma cousin');

/** Verbs that follow a person's name. */
export const PERSON_VERBS = set(`
said says told tells asked asks helped helps came comes rang rings phoned phones texted texts listened listens explained explains visited visits sorted sorts gave gives brought brings showed shows took takes made makes kept keeps was is has had from lets let always never actually really and`);

/**
 * Everyday words that follow the informal name cues ("with homework", "my mate lives", "is lovely").
 * A lower-case word after such a cue is read as a name only when it is none of these.
 */
export const COMMON = set(`
homework work football rugby netball dance dancing swimming gym boxing games gaming music art drama maths english science reading
school college club youth group church mosque park shop shops town city estate bus train car taxi bike hospital doctor dentist
nurse police court unit centre center hub office meeting meetings review reviews plan plans visit visits session sessions appointment
kids kid baby babies dog dogs cat cats pet pets puppy hamster rabbit horse pony food tea dinner lunch breakfast money clothes coat
everything anything something nothing stuff things thing life feelings problems problem worries anxiety adhd autism asthma
help support advice ideas questions question forms form paperwork letters letter email emails calls call texts text messages message
lovely nice kind great good amazing brilliant fab fantastic excellent sound decent alright okay fine ok safe happy sad angry upset
scared worried nervous shy quiet loud funny mad cool chill sweet strict rude horrible awful rubbish mean nasty busy late early
off away back home here there around out in sick ill poorly new old young little big small best worst better worse helpful useless
understanding understands thinks knows lives works plays cries shouts laughs says said helps helped listens listened likes loves hates
wants needs tries tried gets got goes went comes came sees saw makes made takes took gives gave keeps kept calls called rings rang
talks talked texts texted visits visited stays stayed lives lived moved left leaves starts started finished stopped
always never sometimes often usually really very so too just also still even only actually honestly literally basically
someone somebody everyone everybody anyone anybody nobody people person staff adults adult children child family families
friend friends mate mates sister brother cousin cousins nan grandad parents parent carer carers worker workers teacher teachers
me him her them us you it this that these those what who which where when how why
today tonight tomorrow yesterday weekend weekends week weeks morning mornings afternoon evening night nights summer winter christmas
everyone's nobody's his hers theirs ours mine yours
wheelchair hearing glasses interpreter translator language sign bsl welsh english
too mum mam dad my our their the a an and or but different autistic deaf blind pregnant away leaving haha hahaha lol lmao omg xx xxx
shes hes its theyre were wasnt isnt dont cant wont im ive id ill youre thats whats theres`);

/** Animals, toys and things that are "called" something without it being a person's name. */
export const NAMED_THINGS = set(
  'dog dogs cat cats puppy kitten hamster rabbit bunny guinea pig pet pets fish horse pony tortoise snake bird parrot teddy toy doll game app team club group band song book film show programme place street road school house estate village town shop cafe boat car',
);
