import { describe, expect, it } from 'vitest';
import { analyseText, DEFAULT_TAXONOMY, extendTaxonomy, SIGNPOST } from '../../../src/domain/analysis/index';
import type { DisclosureCategory } from '../../../src/domain/analysis/index';

describe('analyseText: disclosures', () => {
  it.each<[string, DisclosureCategory]>([
    ['my stepdad slaps me when mum goes out', 'harm-by-others'],
    ['he locks me in my room without tea if i answer back', 'harm-by-others'],
    ['a man from fortnite keeps asking me to send pics and says not to tell my mum', 'sexual-harm'],
    ['my coach touches me and says its our secret', 'sexual-harm'],
    ['theres never food in the house and i look after my baby brother on my own', 'neglect'],
    ['mum is always drunk and we get ourselves to school', 'neglect'],
    ['i want to kill myself', 'self-harm-suicide'],
    ['my best friend told me she wants to die and has been cutting herself', 'self-harm-suicide'],
    ['dont want to be alive anymore', 'self-harm-suicide'],
    ['he is banging on the door right now and i am hiding in the wardrobe', 'immediate-danger'],
    ['my dad has got a knife and says hes going to hurt us', 'immediate-danger'],
    ['these older lads make me carry drugs to the next town and say i owe them', 'exploitation'],
    ['i have to sell weed for my cousin or he says i owe him money', 'exploitation'],
  ])('flags %j as a current %s disclosure', (text, category) => {
    const d = analyseText(text).disclosure;
    expect(d).not.toBeNull();
    expect(d!.category).toBe(category);
    expect(d!.current).toBe(true);
    expect(d!.evidence.length).toBeGreaterThan(0);
    expect(text.toLowerCase()).toContain(d!.evidence.toLowerCase().slice(0, 10));
  });

  it.each([
    'my mum killed it at the school play',
    'PE was murder lol',
    'this survey is killing me',
    'nobody hurts me at home',
    'no one at home hits me, i just miss my dad',
    'dad hit a parked car on the way to the dentist',
    'my sister beat me at fifa again',
    'the nurse asked if anyone hurts me and i said no',
    'my mum is gonna kill me when she sees my report lol',
    'i could kill my brother he is so annoying',
    'i fell off my bike and got bruises on my knees playing football',
  ])('does not flag %j', (text) => {
    expect(analyseText(text).disclosure).toBeNull();
  });

  it.each(["I used to self harm but CAMHS helped and I'm ok now", 'he used to hit me but he is in prison now and we are safe'])(
    'marks a past, resolved situation for review at lower priority: %j',
    (text) => {
      // issue 12: an alert is a clear, CURRENT disclosure; a past one goes to the review tier
      const a = analyseText(text);
      expect(a.triage).toBe('review');
      expect(a.disclosure).toBeNull();
      expect(a.concern?.category).not.toBeNull();
    },
  );

  it('takes evidence from the redacted text, so it carries no personal data', () => {
    const d = analyseText('my uncle Gareth hits me when i stay at 12 Oak Road')!.disclosure;
    expect(d?.category).toBe('harm-by-others');
    expect(d?.evidence).not.toContain('Gareth');
    expect(d?.evidence).not.toContain('12 Oak Road');
  });

  it('offers a signpost with the emergency number and the helplines', () => {
    expect(SIGNPOST.message).toMatch(/thank you for telling us/i);
    expect(SIGNPOST.message).toMatch(/not your fault/i);
    expect(SIGNPOST.message).toMatch(/999/);
    expect(SIGNPOST.contacts.map((c) => c.number)).toEqual(expect.arrayContaining(['999', '0800 1111', '85258', '116 123']));
  });
});

describe('analyseText: themes', () => {
  it('finds several themes, each with the words that triggered it', () => {
    const { themes } = analyseText('We waited eight months for CAMHS and nobody rang back to explain why.');
    const byId = Object.fromEntries(themes.map((t) => [t.id, t.evidence]));
    expect(byId.timeliness).toContain('waited');
    expect(byId['mental-health']).toContain('CAMHS');
    expect(byId['kept-informed']).toEqual(expect.arrayContaining(['rang back']));
  });

  it('ignores a passing mention that an exclusion covers', () => {
    const ids = analyseText("Ring me after 3, I'm on the school run").themes.map((t) => t.id);
    expect(ids).not.toContain('school');
  });

  it('applies a partnership synonym and a partnership theme', () => {
    const taxonomy = extendTaxonomy(DEFAULT_TAXONOMY, {
      synonyms: { 'mental-health': ['thrive team'] },
      themes: [{ id: 'youth-club', label: 'Youth club', terms: ['youth club', 'drop-in'] }],
    });
    const ids = analyseText('The Thrive Team and the youth club were brilliant', { taxonomy }).themes.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['mental-health', 'youth-club']));
    expect(analyseText('The Thrive Team were brilliant').themes.map((t) => t.id)).not.toContain('mental-health');
    expect(DEFAULT_TAXONOMY.themes.map((t) => t.id)).not.toContain('youth-club');
  });

  it('keeps the fixed default theme ids', () => {
    expect(DEFAULT_TAXONOMY.themes.map((t) => t.id)).toEqual([
      'listened-to',
      'kept-informed',
      'joined-up-working',
      'timeliness',
      'mental-health',
      'school',
      'police',
      'health',
      'out-of-hours',
      'feeling-safe',
      'trust-respect',
      'practical-support',
      'inclusion-access',
    ]);
  });
});

describe('analyseText: sentiment', () => {
  it.each([
    ['my worker is really kind and always listens', 'positive'],
    ['not helpful at all', 'negative'],
    ['she was nice but nobody rang back', 'mixed'],
    ['the nurse was nise and i got a sticker 😊', 'positive'],
    ['i hate it here 😡', 'negative'],
    ['Not bad at all actually', 'positive'],
    ['I moved house in March', 'neutral'],
    ['absolutely brilliant, cannot fault them', 'positive'],
  ] as const)('%j is %s', (text, sentiment) => {
    expect(analyseText(text).sentiment).toBe(sentiment);
  });

  it('uses the faces rating when the text says little, and calls disagreement mixed', () => {
    expect(analyseText('it was a meeting', { rating: { value: 5, points: 5 } }).sentiment).toBe('positive');
    expect(analyseText('it was a meeting', { rating: { value: 1, points: 3 } }).sentiment).toBe('negative');
    expect(analyseText('the worker was lovely', { rating: { value: 1, points: 5 } }).sentiment).toBe('mixed');
  });
});

describe('analyseText: speed', () => {
  it('analyses a 500-character answer well within a millisecond on average', () => {
    const text = 'My social worker Jess was lovely but nobody rang back, call 07700 900123. '.repeat(7).slice(0, 500);
    for (let i = 0; i < 200; i++) analyseText(text);
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) analyseText(text);
    expect((performance.now() - t0) / 500).toBeLessThan(2); // generous bound for CI; the bench measures CPU
  });
});
