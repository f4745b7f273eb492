import { describe, expect, it } from 'vitest';
import { analyseText, redact } from '../../../src/domain/analysis/index';
import type { DisclosureCategory, PiiKind } from '../../../src/domain/analysis/index';

const themeIds = (text: string): string[] => analyseText(text).themes.map((t) => t.id);
const found = (text: string): [PiiKind, string][] => redact(text).pii.map((p) => [p.kind, text.slice(p.start, p.end)]);

describe('disclosures described through signs rather than keywords', () => {
  it.each<[string, DisclosureCategory]>([
    ['the baby next door sits in a soaking nappy for hours and nobody answers the door to anyone', 'neglect'],
    ['my little brother has rotten teeth and he has never been to a dentist', 'neglect'],
    ['the two boys at number 4 have no coats and it is freezing, they are out on the street till midnight', 'neglect'],
    ['i cant wake mum up and my baby sister wont stop crying', 'immediate-danger'],
    ['a man is dragging a girl into his car right now and she is screaming', 'immediate-danger'],
    ['nobody would even notice if i was gone', 'self-harm-suicide'],
    ['evryone wud be beter of witout me', 'self-harm-suicide'],
    ['i go to bed hoping i dont wake up', 'self-harm-suicide'],
    ['my coach sends me pictures of himself and says i am his favourite, dont tell your mum', 'sexual-harm'],
    ['my friend gets picked up from school by older men in cars who give her vodka', 'sexual-harm'],
    ['i take bags across town for some older lads and they pay me in trainers', 'exploitation'],
    ['they said id get hurt if i stopped doing drops for them', 'exploitation'],
    ['my mums boyfriend left belt marks on my little brother', 'harm-by-others'],
    ['my sisters partner holds my nephews head under the bath water', 'harm-by-others'],
  ])('flags %j as a current %s disclosure', (text, category) => {
    const d = analyseText(text).disclosure;
    expect(d?.current).toBe(true);
    expect(d?.category).toBe(category);
  });

  it("reports evidence from the original text even when children's spellings were respelled", () => {
    const d = analyseText('evry one wud be beter of witout me').disclosure;
    expect(d?.evidence).toBe('evry one wud be beter of witout me');
  });
});

describe('traps the sign patterns must not fire on', () => {
  it.each([
    'when the teacher read my diary out i wanted to die of embarrassment',
    'My daughter said "I\'m going to kill myself" when I turned the wifi off, which is just what teenagers say',
    'Please send updates to my new address, I have moved',
    'we did a lesson on grooming in PSHE and it was good',
    'I was worried he was being groomed but it turned out the man was his uncle, all fine',
    'the worker sent pictures of the new house so we could see it',
    'my little sister keeps hitting me with her toy sword, so annoying',
    'got a secret santa present from my tutor',
    'i used to think everyone would be better off without me but im doing ok now',
    'The coach is great with my son and gave him a trophy',
    'i deliver newspapers on my bike and get paid £15 a week',
  ])('%j is not a current disclosure', (text) => {
    expect(analyseText(text).disclosure?.current ?? false).toBe(false);
  });
});

describe('names and dates of birth in informal forms', () => {
  it.each<[string, PiiKind, string]>([
    ['shout out to my youth worker dex, hes a legend', 'name', 'dex'],
    ['my sw is mo and he gets me', 'name', 'mo'],
    ['i went with tiago to the meeting', 'name', 'tiago'],
    ['thank u to shaz n becs', 'name', 'becs'],
    ['Olu (d.o.b. 21/10/2010) is my eldest', 'date-of-birth', '21/10/2010'],
    ['he was born in march 2015', 'date-of-birth', 'march 2015'],
    ['Ayo was born on 14th July 2016', 'name', 'Ayo'],
  ])('finds %j', (text, kind, value) => {
    expect(found(text)).toContainEqual([kind, value]);
  });

  it('does not read everyday or opinion words as names', () => {
    expect(found('my worker was different: she was straight with me')).toEqual([]);
    expect(found('my brother is autistic')).toEqual([]);
    expect(found('the dog is called Biscuit')).toEqual([]);
    expect(found('we went with mum to the meeting')).toEqual([]);
    expect(found('a month in March 2015 was hard')).toEqual([]);
  });
});

describe('themes: passing mentions and more ways to say things', () => {
  it('does not make a text about school or health on a passing mention', () => {
    expect(themeIds('I met the worker at the school gates and we walked to the cafe')).not.toContain('school');
    expect(themeIds('please send updates to my email')).not.toContain('inclusion-access');
    expect(themeIds('Our SEND caseworker keeps changing')).toContain('inclusion-access');
  });

  it.each([
    ['nobody asked what I wanted, it was all decided before', 'listened-to'],
    ['they didnt take my views into account', 'listened-to'],
    ['the school and social care said completely different things', 'joined-up-working'],
    ['we were passed between teams like a parcel', 'joined-up-working'],
    ['they talk to me like im thick', 'trust-respect'],
    ['the man on the phone was condescending', 'trust-respect'],
  ])('%j is about %s', (text, id) => {
    expect(themeIds(text)).toContain(id);
  });
});

describe('sentiment: polite complaints, sarcasm and the words of having a say', () => {
  it.each([
    ["I'd just gently point out that nobody has called for two months", 'negative'],
    ['Wonderful. The one day I take off work and nobody turns up.', 'negative'],
    ['yeah really helpful, they gave me a leaflet and left', 'negative'],
    ['It would have been nice to be told the truth', 'negative'],
    ['for once I actually got a say', 'positive'],
    ['Nobody ever made me feel judged', 'positive'],
    ['they talk to me like im thick', 'negative'],
    ['the worker asked if anyone hurts him and he said no', 'neutral'],
  ] as const)('%j is %s', (text, sentiment) => {
    expect(analyseText(text).sentiment).toBe(sentiment);
  });
});
