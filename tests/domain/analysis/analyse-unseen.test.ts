import { describe, expect, it } from 'vitest';
import { analyseText, DEFAULT_TAXONOMY, extendTaxonomy, redact } from '../../../src/domain/analysis/index';
import type { DisclosureCategory } from '../../../src/domain/analysis/index';

const themeIds = (text: string): string[] => analyseText(text).themes.map((t) => t.id);

describe('sentiment: clauses, negation, litotes, sarcasm, hedges and spelling', () => {
  it.each([
    ['great, another new worker 🙄', 'negative'],
    ['brilliant, yet another cancelled visit', 'negative'],
    ["couldn't fault the duty team", 'positive'],
    ['wasnt bad tbh', 'positive'],
    ['not the worst review ive had', 'positive'],
    ['not the most helpful call', 'negative'],
    ['the teacher is ok i guess', 'mixed'],
    ['i like the new flat except the stairs', 'mixed'],
    ['the ward was miles away but the nurses were amazing', 'mixed'],
    ["the officer didn't take it seriously", 'negative'],
    ['i was scard at first but the lady held my hand', 'mixed'],
    ['the docter was realy gentel with me', 'positive'],
    ['I have never felt so patronised in my life', 'negative'],
    ['she said she would sort my bus pass and she did', 'positive'],
    ['Although the wait was long, the counsellor was wonderful', 'mixed'],
    ['the visit is on thursday at 4', 'neutral'],
  ] as const)('%j is %s', (text, sentiment) => {
    expect(analyseText(text).sentiment).toBe(sentiment);
  });

  it('weighs a hedge as lukewarm rather than as praise', () => {
    expect(analyseText('the night worker was alright').sentiment).toBe('positive');
    expect(analyseText('the night worker was alright i suppose').sentiment).toBe('mixed');
  });
});

describe('themes: context, phrases and spelling', () => {
  it('needs a service cue before a time word makes a text about out-of-hours help', () => {
    expect(themeIds('we cried all night when the dog died')).not.toContain('out-of-hours');
    expect(themeIds('rang the duty line at 3am and nobody answered')).toContain('out-of-hours');
    expect(themeIds('nobody picks up over the bank holiday')).toContain('out-of-hours');
  });

  it('does not read every length of time as a delay', () => {
    expect(themeIds('we have been with the family support team for six months')).not.toContain('timeliness');
    expect(themeIds('still no word from camhs after six months on the list')).toContain('timeliness');
    expect(themeIds('the worker never turned up on tuesday')).toContain('timeliness');
  });

  it('finds joined-up working and being listened to in how people put them', () => {
    expect(themeIds('i had to tell my story again to another worker')).toContain('joined-up-working');
    expect(themeIds('the gp sent us back to camhs, round and round')).toContain('joined-up-working');
    expect(themeIds('they decided about my contact without asking me what i thought')).toContain('listened-to');
  });

  it('counts praise of a person as trust and respect, but not praise of a thing', () => {
    expect(themeIds('my worker is really kind')).toContain('trust-respect');
    expect(themeIds('the room had nice beanbags')).not.toContain('trust-respect');
  });

  it("recognises children's spellings of service words", () => {
    const ids = themeIds('the poleece came to my scool');
    expect(ids).toEqual(expect.arrayContaining(['police', 'school']));
  });

  it('links disclosures to feeling safe and mental health, and drops harm words the disclosure check dismissed', () => {
    expect(themeIds('my stepdad slaps me when mum is at work')).toContain('feeling-safe');
    expect(themeIds('i keep burning my arms till they hurt')).toContain('mental-health');
    expect(themeIds('i beat my brother at fifa again')).not.toContain('feeling-safe');
    expect(themeIds('nobody hurts me at home')).not.toContain('feeling-safe');
  });

  it('lets a partnership use weak terms and context cues', () => {
    const taxonomy = extendTaxonomy(DEFAULT_TAXONOMY, { themes: [{ id: 'transport', label: 'Transport', terms: ['?bus', '@late', '@missed'] }] });
    const ids = (text: string): string[] => analyseText(text, { taxonomy }).themes.map((t) => t.id);
    expect(ids('the bus was late again')).toContain('transport');
    expect(ids('i got the bus to town')).not.toContain('transport');
    const evidence = analyseText('we missed the bus', { taxonomy }).themes.find((t) => t.id === 'transport')?.evidence;
    expect(evidence).toEqual(['bus']);
  });
});

describe('disclosures: more ways of saying it', () => {
  it.each<[string, DisclosureCategory]>([
    ['someone is trying to break in pls help', 'immediate-danger'],
    ['my uncle kisses me and says its our secret', 'sexual-harm'],
    ['she is 13 and her boyfriend is 25', 'sexual-harm'],
    ['mums friend keeps coming into my room at night', 'sexual-harm'],
    ['a lad at school says i can make easy money doing runs', 'exploitation'],
    ['they make me keep a package in my room for them', 'exploitation'],
    ['i scratch my legs till they bleed', 'self-harm-suicide'],
    ['my friend has been buying paracetamol and saving it', 'self-harm-suicide'],
    ['my brother keeps punching me and mum does nothing', 'harm-by-others'],
    ['dad said he would put me in hospital if i told', 'harm-by-others'],
    ['i dont get breakfast or tea most days', 'neglect'],
    ['we get left in the house alone while mum is at the pub', 'neglect'],
  ])('flags %j as a current %s disclosure', (text, category) => {
    const d = analyseText(text).disclosure;
    expect(d?.current).toBe(true);
    expect(d?.category).toBe(category);
  });

  it.each([
    'he killed me in minecraft 😂',
    'we had a lesson on county lines in PSHE',
    'kms this essay is never ending',
    'my sister pushed me in the pool lol',
    'im gonna kill my brother if he eats my chips again',
    'the book we read in class was about a boy who self harms',
    'dad reversed into the garage and smashed the back window',
    'i beat my cousin at chess',
  ])('does not flag %j', (text) => {
    expect(analyseText(text).disclosure).toBeNull();
  });

  it("still flags a friend's talk of suicide even when the writer is unsure it is a joke", () => {
    expect(analyseText('my mate keeps saying she wants to kms and i cant tell if shes joking').disclosure?.category).toBe('self-harm-suicide');
  });
});

describe('redact: more address and name forms', () => {
  const kinds = (text: string): [string, string][] => redact(text).pii.map((p) => [p.kind, text.slice(p.start, p.end)]);

  it('finds "number 8 on Mill Lane" and a Welsh school name with "Bro"', () => {
    expect(kinds('we are number 8 on Mill Lane')).toEqual([['address', 'number 8 on Mill Lane']]);
    expect(kinds('i go to Ysgol Bro Teifi')).toEqual([['address', 'Ysgol Bro Teifi']]);
  });

  it('does not take a capitalised common noun at the start of a sentence for a name', () => {
    expect(kinds('Housing said no again')).toEqual([]);
    expect(kinds('Counselling helped a lot')).toEqual([]);
    expect(kinds('Lowri said she would ring')).toEqual([['name', 'Lowri']]);
  });
});
