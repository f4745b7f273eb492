import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/domain/analysis/index';
import type { PiiKind } from '../../../src/domain/analysis/index';

/** The kinds found in `text`, with the exact original substrings. */
const found = (text: string): [PiiKind, string][] => redact(text).pii.map((p) => [p.kind, text.slice(p.start, p.end)]);

describe('redact: every kind of personal data', () => {
  it.each<[string, PiiKind, string]>([
    ['my sw jess never forgets my birthday', 'name', 'jess'],
    ['mrs p lets me stay in at dinner', 'name', 'p'],
    ['Hope said she would ring on Monday', 'name', 'Hope'],
    ['the worker, a man called Tariq, came twice', 'name', 'Tariq'],
    ['PC Okoro took my statement', 'name', 'Okoro'],
    ['DS Ellen Price kept us updated', 'name', 'Ellen Price'],
    ['ring 07700 900123 after six', 'phone', '07700 900123'],
    ['my mobile is +44 7700 900 456', 'phone', '+44 7700 900 456'],
    ['call 0044 7700 900 789 please', 'phone', '0044 7700 900 789'],
    ['home phone 01267-234-567', 'phone', '01267-234-567'],
    ['its oh seven seven double oh nine double oh four five six', 'phone', 'oh seven seven double oh nine double oh four five six'],
    ['email kerry.b@gmail.com please', 'email', 'kerry.b@gmail.com'],
    ['email is kerry at hotmail dot co dot uk', 'email', 'kerry at hotmail dot co dot uk'],
    ['we are at cf24 3aa now', 'postcode', 'cf24 3aa'],
    ['postcode LL535TB', 'postcode', 'LL535TB'],
    ['we live at 9 Brynmor Road now', 'address', '9 Brynmor Road'],
    ['i moved to flat 2, 14 heol y nant', 'address', 'flat 2, 14 heol y nant'],
    ['she goes to Pen y Bryn Primary School', 'address', 'Pen y Bryn Primary School'],
    ['he was born on 3rd march 2014', 'date-of-birth', '3rd march 2014'],
    ['DOB 12/11/2015', 'date-of-birth', '12/11/2015'],
    ['nhs number 943 476 5919', 'nhs-number', '943 476 5919'],
    ['his NHS no 9434765918', 'nhs-number', '9434765918'],
    ['NI number JK 12 34 56 A', 'ni-number', 'JK 12 34 56 A'],
    ['see https://myfamilystory.wordpress.com/about', 'url', 'https://myfamilystory.wordpress.com/about'],
    ['my blog is ourlittlewarriors.co.uk', 'url', 'ourlittlewarriors.co.uk'],
    ['follow @jay.x on insta', 'handle', '@jay.x'],
    ['snap: lil_k09', 'handle', 'lil_k09'],
  ])('finds %j', (text, kind, value) => {
    expect(found(text)).toContainEqual([kind, value]);
    expect(redact(text).redacted).toContain(`[${kind}]`);
    expect(redact(text).redacted).not.toContain(value);
  });

  it('does not treat a word that is also a name as a name when it is not used as one', () => {
    expect(found('I hope they ring back')).toEqual([]);
    expect(found('i will be honest with you')).toEqual([]);
    expect(found('I miss my nan')).toEqual([]);
    expect(found('it was in May this year')).toEqual([]);
  });
});

describe('redact: things that are not personal data', () => {
  it.each([
    'call 999 if you are in danger',
    'ring 101 or 111 for advice',
    'Childline is 0800 1111 any time',
    'Samaritans on 116 123 were great',
    'text SHOUT to 85258',
    'im in year 6 and im 11',
    'i got 9/10 on my test',
    'the meeting is at 3:30 in room 4',
    'i get the number 27 bus',
    'Kooth and Childline helped, and CAMHS in Llanelli',
    'we waited 5 hours in the car park',
    'the review is on 14/06/2025',
    'look at nspcc.org.uk for advice',
    'a street without a number like Bridge Street',
  ])('leaves %j alone', (text) => {
    expect(redact(text)).toEqual({ redacted: text, pii: [] });
  });
});

describe('redact: normalisation and offsets', () => {
  it('folds full-width digits and maps offsets back to the original text', () => {
    const text = 'ring ０７７００ ９００１２３ please';
    const { pii, redacted } = redact(text);
    expect(pii).toHaveLength(1);
    expect(text.slice(pii[0]!.start, pii[0]!.end)).toBe('０７７００ ９００１２３');
    expect(redacted).toBe('ring [phone] please');
  });

  it('sees through zero-width characters', () => {
    const text = 'email ke\u200Brry@gmail.com';
    expect(redact(text).redacted).toBe('email [email]');
  });

  it('is idempotent', () => {
    const texts = [
      'DC Mark Stevens rang 07700 900 784 about 41 Stanley Road, Hull HU3 2RG',
      'my sw jess, snap: lil_k09, DOB 07.12.2023, NHS 628 194 8211, NI NW 61 38 04 D',
      'Ysgol Bro Dinefwr, www.example.co.uk and sian dot prys at hotmail dot co dot uk',
    ];
    for (const t of texts) {
      const once = redact(t).redacted;
      expect(once).not.toBe(t);
      expect(redact(once).redacted).toBe(once);
    }
  });
});

describe('redact: linear time on hostile input', () => {
  const hostile = [
    'a'.repeat(10_000),
    '1 '.repeat(5_000),
    '@'.repeat(10_000),
    'a@'.repeat(5_000),
    'a.'.repeat(5_000),
    '0'.repeat(10_000),
    '1-'.repeat(5_000),
    'my sw '.repeat(1_700),
    'at dot '.repeat(1_450),
    `${'x'.repeat(9_990)}@gmail.com`,
    `www.${'a-'.repeat(4_990)}!`,
  ];
  it.each(hostile.map((h, i) => [i, h] as const))('hostile input %i is analysed in under 200 ms', (_, text) => {
    const t0 = performance.now();
    redact(text);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

// The inputs that hung findNumbers are checked in terminates.test.ts, in a worker that can be stopped.
describe('redact: numbers that ASCII-only matching missed (issue 10)', () => {
  it.each<[string, string]>([
    ['call me on ٠٧٧٠٠ ٩٠٠٧٨٩', '٠٧٧٠٠ ٩٠٠٧٨٩'],
    ['ring ०७७००९००१२३ after school', '०७७००९००१२३'],
    ['o7700 900321', 'o7700 900321'],
    ['text O7700 9OO321 x', 'O7700 9OO321'],
    ['my number is ０７７００ ９００１２３', '０７７００ ９００１２３'],
  ])('%j: the number is found, with offsets on the original text', (text, number) => {
    expect(found(text)).toEqual([['phone', number]]);
    expect(redact(text).redacted).toBe(text.replace(number, '[phone]'));
  });

  it('a number split by a bidi override is found, and the stored text keeps no bidi control', () => {
    const text = 'ring 07700\u202e900123 \u2066ok\u2069 \u202athanks\u202c';
    const { redacted } = redact(text);
    expect(redacted).toBe('ring [phone] ok thanks');
    expect(redacted).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('o only counts as 0 inside a run of digits: words stay words', () => {
    for (const text of ['too good 2o', 'go2 school at 9o clock', 'room 1o1', 'Year7o and oo7']) expect(found(text)).toEqual([]);
  });
});
