import { describe, expect, it } from 'vitest';
import { analyseText } from '../../../src/domain/analysis/index';
import { dampen, safetyNet } from '../../../src/domain/analysis/net';

/** Runs the net on its own over lower-cased text split into sentences. */
function net(text: string) {
  const t = text.toLowerCase();
  const bounds: [number, number][] = [];
  let a = 0;
  for (let i = 0; i <= t.length; i++) {
    if (i === t.length || /[.!?\n]/.test(t.charAt(i))) {
      if (i > a) bounds.push([a, i]);
      a = i + 1;
    }
  }
  return safetyNet(t, bounds);
}

describe('safety net: the shape of a disclosure', () => {
  it.each([
    ['my step dad gives me a dead arm every time i forget to feed the dog and it goes all purple', 'harm-by-others'],
    ["when mum's out her boyfriend makes me stand against the wall and flicks my ears till they bleed", 'harm-by-others'],
    ['she burnt my hand on the cooker to teach me a lesson', 'harm-by-others'],
    ['grandad makes me do the tickling game under the blanket and i dont like it', 'sexual-harm'],
    ["someone screenshot the pictures i sent and now theyre saying they'll send them to everyone unless i send more", 'sexual-harm'],
    ["theres no bulbs in our house so we do homework with the phone torch and mum says the lecky's been cut off", 'neglect'],
    ['i am hungry at home and mummy is always sleeping', 'neglect'],
    ['honestly everyone would cope fine if i just wasnt here anymore', 'self-harm-suicide'],
    ['ive been scratching my arms with a compass in the toilets at school', 'self-harm-suicide'],
    ['theres a car following me home from the station and i dont know what to do', 'immediate-danger'],
    ['i got robbed of the stuff i was holding and now they say i have to work off the debt', 'exploitation'],
    ['I have to answer the line phone every time it rings or they come looking for me', 'exploitation'],
  ])('flags %j as a current %s disclosure', (text, category) => {
    const d = analyseText(text).disclosure;
    expect(d?.current).toBe(true);
    expect(d?.category).toBe(category);
  });

  it('catches them on its own, with the scoring sentence as evidence', () => {
    const text = 'School was fine. My nan pulls my hair really hard and drags me up the stairs when i am naughty. The end.';
    const hit = net(text);
    expect(hit?.category).toBe('harm-by-others');
    expect(text.slice(hit!.s, hit!.e).trim()).toBe('My nan pulls my hair really hard and drags me up the stairs when i am naughty');
  });

  it('needs a child, an actor or a time as well as a harm word', () => {
    expect(net('bruises')).toBeNull();
  });

  it('reads a threat that keeps a child quiet as coercion, in the category of the harm beside it', () => {
    expect(net("my older cousin says if i dont send him a vid of me in the bath he'll tell everyone")?.category).toBe('sexual-harm');
    expect(net('he said if i tell my teacher hell do it to my sister')?.category).toBe('harm-by-others');
  });

  it('reads self-injury with a reason as self-harm, and without one as an accident', () => {
    expect(net("i bang my head on the floor when i'm angry at myself and sometimes it bleeds")?.category).toBe('self-harm-suicide');
    expect(net('I burnt my finger on a hot chocolate at the cinema')).toBeNull();
  });

  it('reads a self-injury done by the writer as self-harm, not harm by others', () => {
    expect(net('i keep hitting my head on the wall till it hurts')?.category).toBe('self-harm-suicide');
    expect(net('she burnt my hand on the cooker')?.category).toBe('harm-by-others');
  });
});

describe('safety net: dampeners', () => {
  it.each([
    ['figures of speech', 'my mum would literally murder me if she saw my report card'],
    ['figures of speech', 'literally dying of boredom in this waiting room'],
    ['figures of speech', "I'd rather shoot myself than sit through another core group meeting"],
    ['games', 'in Fortnite I got killed by a guy with a shotgun and then I won the next one'],
    ['TV', 'on Hollyoaks someone got stabbed and the whole class was talking about it'],
    ['lessons', 'in PSHE we learned about what to do if someone touches you'],
    ['books', 'I read a book about a boy in county lines for English and it was really good'],
    ['negation', 'nobody hits me at home, my mum and dad are really kind'],
    ['negation', "I'm not being forced to do anything, I just wanted to talk about college"],
    ['accidents', 'I fell off the trampoline and got a massive bruise on my leg'],
    ['accidents', 'my little sister cut her hand by accident on a tin can'],
    ['worries that came to nothing', 'We were worried a man was messaging our daughter but it turned out to be her cousin.'],
    ['worries that came to nothing', 'The school thought my son had bruises from home but it was nothing, he plays rugby.'],
    ['pets', 'my dog got hit by a car and I cried all night'],
    ['ordinary feedback', 'I was scared when the police came to the house but the officer was kind'],
  ])('%s: %j is not a current disclosure', (_kind, text) => {
    expect(analyseText(text).disclosure?.current ?? false).toBe(false);
  });

  it.each([
    "I used to cut myself but now I have counselling and I haven't done it for a year",
    "my mum's boyfriend used to belt me but he moved out last year",
  ])('marks a past, resolved situation for review, not as current: %j', (text) => {
    // issue 12: an alert is a clear, CURRENT disclosure; a past one goes to the review tier
    const a = analyseText(text);
    expect(a.triage).toBe('review');
    expect(a.disclosure).toBeNull();
    expect(a.concern?.category).not.toBeNull();
  });

  it('marks it for review when the net alone finds it', () => {
    expect(net("my mum's boyfriend used to belt me but he moved out last year")).toMatchObject({ category: 'harm-by-others', current: false });
  });

  it('keeps a put-up accident story as harm', () => {
    expect(net('my mums boyfriend punched me and i have to say i fell down the stairs')?.current).toBe(true);
  });

  it('guards the specific rules too', () => {
    expect(dampen('we did a project on victorian children who had no food', 'neglect')).toBe('drop');
    expect(dampen('when the children were little we had no heating', 'neglect')).toBe('past');
    expect(dampen('my dad hits me every night', 'harm-by-others')).toBeNull();
  });
});

describe('safety net: a plan', () => {
  it.each([
    'His teacher listened to him and made a plan with us for his attendance.',
    'The school nurse made a plan with us for her care at lunchtimes.',
    'We made a plan for his return to school after the holidays.',
  ])('does not raise a plan professionals made with a family: %s', (text) => {
    expect(analyseText(text).disclosure).toBeNull();
  });

  it.each(['ive made a plan and im going to do it tonight', 'i made a plan for when everyone is asleep', 'I have got a plan, nobody would miss me'])(
    "still raises a child's own plan: %s",
    (text) => {
      expect(analyseText(text).disclosure?.category).toBe('self-harm-suicide');
    },
  );
});
