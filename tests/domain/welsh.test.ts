import { describe, expect, it } from 'vitest';
import { DEMO_SURVEYS } from '../../src/demo/surveys';
import { SIGNPOST, signpostIn } from '../../src/domain/analysis';
import { WELSH_WORDS } from '../../src/domain/conversation/messages';
import { IDENTIFIABLE_PRIVACY, IDENTIFIABLE_PRIVACY_CY_CHI, privacyFor } from '../../src/domain/privacy';
import { type Register, registerFor } from '../../src/domain/register';
import { resolveSurvey } from '../../src/domain/survey';
import { localeFor } from '../../src/locales';
import { en, type MessageKey } from '../../src/locales/en';

/**
 * Heard's Welsh (issue 19): every English string has a Welsh one in each register, each register
 * keeps to itself, and the spoken style holds. The register markers are whole words, so a
 * string that slips from *ti* to *chi* (or back) fails here, not in front of a child.
 */

const REGISTERS: Register[] = ['ti', 'chi'];

/** Words that only a *chi* sentence has: pronouns, possessives, verb forms, and -wch imperatives. */
const CHI_WORDS = new Set(['chi', 'eich', 'ch', 'ych', 'ydych', 'rydych', 'gallwch', 'gennych', 'arnoch', 'atoch', 'roesoch', 'baech', 'fyddech']);
/** Words that only a *ti* sentence has. */
const TI_WORDS = new Set([
  'ti',
  'di',
  'dy',
  'wyt',
  'rwyt',
  'galli',
  'arnat',
  'atat',
  'roddaist',
  'baet',
  'fyddet',
  'ffonia',
  'pwysa',
  'ateba',
  'defnyddia',
  'dewisa',
  'gwiria',
  'teipia',
  'tecstia',
  'sgwrsia',
  'dwed',
  'rho',
  'dos',
]);

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);

/** The words in `text` that belong to the other register than `register`. */
function slips(text: string, register: Register): string[] {
  return words(text).filter((w) => (register === 'ti' ? CHI_WORDS.has(w) || (w.length > 3 && w.endsWith('wch')) : TI_WORDS.has(w)));
}

/** "You said, we did" speaks to everyone who answered before: plural *chi* on every page. */
const PLURAL_ON_PURPOSE: MessageKey[] = ['youSaidWeDid', 'youSaid'];

/** Forms the reviewer asked us to drop for spoken Welsh (Cymraeg Clir). */
const NOT_SPOKEN = [/\bwrthym\b/i, /\bnid yw\b/i, /\bdyw[’']r\b/i, /\bdweda\b/i, /darllen yn uchel/i, /byddwn ond/i, /\bawn ymlaen\b/i, /\bhoffem\b/i];
const notSpoken = (text: string) => NOT_SPOKEN.filter((re) => re.test(text)).map(String);

const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('Heard’s own Welsh strings (locales/cy.ts)', () => {
  const keys = Object.keys(en) as MessageKey[];

  for (const register of REGISTERS) {
    const m = localeFor('cy', register).m;

    it(`has a Welsh counterpart for every English string, with the same slots (${register})`, () => {
      const missing = keys.filter((k) => typeof m[k] !== 'string' || m[k].trim() === '' || m[k] === en[k]);
      expect(missing).toEqual([]);
      for (const k of keys) expect(slots(m[k]), k).toEqual(slots(en[k]));
    });

    it(`keeps to the ${register} register in every string`, () => {
      const wrong = keys
        .filter((k) => !(register === 'ti' && PLURAL_ON_PURPOSE.includes(k)))
        .map((k) => [k, slips(m[k], register)] as const)
        .filter(([, found]) => found.length > 0);
      expect(wrong).toEqual([]);
    });

    it(`is written in spoken style (${register})`, () => {
      expect(keys.map((k) => [k, notSpoken(m[k])] as const).filter(([, found]) => found.length > 0)).toEqual([]);
    });
  }

  it('keeps "Dywedoch chi, gwnaethon ni" plural on children’s pages, as the comment in cy.ts says', () => {
    expect(localeFor('cy', 'ti').m.youSaidWeDid).toBe('Dywedoch chi, gwnaethon ni');
  });

  it('gives a child and an adult different words wherever the words speak to the reader', () => {
    const differ = keys.filter((k) => localeFor('cy', 'ti').m[k] !== localeFor('cy', 'chi').m[k]);
    expect(differ).toEqual(expect.arrayContaining(['leaveHint', 'safety', 'openSurvey', 'chatYou', 'supportTitle']));
    expect(localeFor('cy', 'ti').m.openSurvey).toBe('Dwed wrthon ni sut aeth hi');
    expect(localeFor('cy', 'ti').m.readToMe).toBe('Darllen i mi');
  });

  it('notices a slip: a chi string on a ti page fails the register check', () => {
    expect(slips('Dewiswch ateb', 'ti')).toEqual(['dewiswch']);
    expect(slips('Dewisa dy ateb', 'chi')).toEqual(['dewisa', 'dy']);
  });
});

describe('one register rule', () => {
  it('is ti for every band under 18 and chi for adults, and chi when nobody says', () => {
    expect(['5-7', '8-12', '13-17'].map((b) => registerFor(b as never))).toEqual(['ti', 'ti', 'ti']);
    expect(registerFor('adult')).toBe('chi');
    expect(registerFor(undefined)).toBe('chi');
  });
});

describe('the chat’s Welsh (domain/conversation/messages.ts)', () => {
  for (const register of REGISTERS) {
    const w = WELSH_WORDS[register];
    const lines = Object.entries(w)
      .filter(([key]) => key !== 'youSaid' && key !== 'weDid')
      .map(([key, value]) => [key, typeof value === 'function' ? value('X') : value] as [string, string]);

    it(`keeps to the ${register} register and spoken style`, () => {
      expect(lines.filter(([, text]) => slips(text, register).length > 0)).toEqual([]);
      expect(lines.filter(([, text]) => notSpoken(text).length > 0)).toEqual([]);
    });

    it(`names Meic beside Childline in the support message (${register})`, () => {
      expect(w.support).toMatch(/Childline.*Meic.*080880 23456/);
      expect(w.supportIdentifiable).toMatch(/Childline.*Meic.*080880 23456/);
    });
  }

  it('says "Awn ni ymlaen" and "Dechreuwn ni eto"', () => {
    expect(WELSH_WORDS.ti.moveOn).toContain('Awn ni ymlaen');
    expect(WELSH_WORDS.ti.startAgain).toMatch(/dechreuwn ni eto/i);
  });
});

describe('the signpost after a possible disclosure', () => {
  for (const register of REGISTERS) {
    for (const identifiable of [false, true]) {
      const s = signpostIn('cy', register, identifiable);

      it(`is all Welsh, in the ${register} register${identifiable ? ', through an identifying link' : ''}`, () => {
        expect(s.lang).toBe('cy');
        const english = new Map(SIGNPOST.contacts.map((c) => [c.number, c]));
        for (const c of s.contacts) {
          expect(c.text).not.toBe(english.get(c.number)?.text);
          // Call or text whatever the language: the link must not depend on the words.
          if (english.has(c.number)) expect(c.kind).toBe(english.get(c.number)!.kind);
        }
        const all = [s.message, ...s.contacts.map((c) => c.text)];
        expect(all.filter((t) => slips(t, register).length > 0)).toEqual([]);
        expect(all.filter((t) => notSpoken(t).length > 0)).toEqual([]);
        expect(s.message.includes('Allwn ni ddim gweld pwy')).toBe(!identifiable);
      });

      it(`puts Meic, with its phone and text numbers, right after Childline (${register})`, () => {
        const names = s.contacts.map((c) => c.name);
        expect(names.indexOf('Meic')).toBe(names.indexOf('Childline') + 1);
        const meic = s.contacts.find((c) => c.name === 'Meic')!;
        expect(meic).toMatchObject({ number: '080880 23456', kind: 'call' });
        expect(meic.text).toMatch(/84001/);
        expect(meic.text).toMatch(/meic\.cymru/);
      });
    }
  }

  it('stays English, unchanged, for English and for a language Heard has no words for', () => {
    expect(signpostIn('en', 'ti', false)).toBe(SIGNPOST);
    expect(signpostIn('ar', 'chi', false)).toBe(SIGNPOST);
    expect(SIGNPOST.lang).toBe('en');
  });
});

describe('the privacy line through an identifying link', () => {
  it('is spoken Welsh in each register, chosen by the survey’s age band', () => {
    expect(slips(IDENTIFIABLE_PRIVACY.cy!, 'ti')).toEqual([]);
    expect(slips(IDENTIFIABLE_PRIVACY_CY_CHI, 'chi')).toEqual([]);
    const [afterVisit, familyRating, communityVoice] = DEMO_SURVEYS.map((s) => s.definition);
    expect(privacyFor(afterVisit!, 'cy', { identifiable: true }).privacy).toBe(IDENTIFIABLE_PRIVACY.cy);
    expect(privacyFor(familyRating!, 'cy', { identifiable: true }).privacy).toBe(IDENTIFIABLE_PRIVACY_CY_CHI);
    expect(privacyFor(communityVoice!, 'cy', { identifiable: true }, '13-17').privacy).toBe(IDENTIFIABLE_PRIVACY.cy);
    expect(privacyFor(communityVoice!, 'cy', { identifiable: true }).privacy).toBe(IDENTIFIABLE_PRIVACY_CY_CHI);
  });
});

describe('the demo surveys’ Welsh', () => {
  for (const { id, definition } of DEMO_SURVEYS) {
    for (const band of definition.ageBands) {
      it(`${id} reads in one register for ${band}, in spoken style`, () => {
        const s = resolveSurvey(definition, 'cy', band);
        const texts = [s.title, s.intro, s.privacy, s.thankYou, s.whatNext, ...s.questions.flatMap((q) => [q.text, ...(q.options ?? []).map((o) => o.label)])];
        const register = registerFor(band);
        expect(texts.filter((t) => slips(t, register).length > 0)).toEqual([]);
        expect(texts.filter((t) => notSpoken(t).length > 0)).toEqual([]);
      });
    }
  }
});
