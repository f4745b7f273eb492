import type { Register } from '../register';

/**
 * The support message shown at once to anyone whose answer may be a disclosure, in each language
 * and register Heard speaks (domain/register: Welsh *ti* under 18, *chi* for adults). A data file:
 * a practitioner can review every word as a diff. `kind` says whether the number is to call or to
 * text, so a page links it as tel: or sms: whatever the language of `text`.
 *
 * Meic (Welsh and English, for children and young people in Wales up to 25) stands beside
 * Childline on the Welsh pages: phone 080880 23456, text 84001, chat at meic.cymru, 8am to
 * midnight every day. Check these against meic.cymru before changing them.
 */
export interface SignpostContact {
  name: string;
  number: string;
  kind: 'call' | 'text';
  text: string;
}

export interface Signpost {
  /** The language every word of the message and the contacts is in. */
  lang: string;
  message: string;
  contacts: SignpostContact[];
}

/** The two messages a signpost can open with: the usual one, and the one through a link with a contact reference. */
interface SignpostWords {
  anonymous: string;
  /** "We can't see who you are" is untrue through a link carrying a practitioner's contact reference. */
  identifiable: string;
  contacts: SignpostContact[];
}

const EN: SignpostWords = {
  anonymous:
    "Thank you for telling us. What is happening is not your fault. We can't see who you are, so we can't come to help you ourselves. If you are in danger right now, call 999. You can talk to someone any time:",
  identifiable:
    'Thank you for telling us. What is happening is not your fault. We may share who you are with people whose job is to keep you safe. If you are in danger right now, call 999. You can talk to someone any time:',
  contacts: [
    { name: 'Emergency', number: '999', kind: 'call', text: 'If you are in danger now, call 999.' },
    {
      name: 'Childline',
      number: '0800 1111',
      kind: 'call',
      text: 'Free and private, any time, for anyone under 19. Call 0800 1111 or chat at childline.org.uk.',
    },
    { name: 'Shout', number: '85258', kind: 'text', text: 'Text SHOUT to 85258 for free, any time, if you would rather not talk.' },
    { name: 'Samaritans', number: '116 123', kind: 'call', text: 'Call 116 123 for free, any time, day or night.' },
  ],
};

/** Welsh to a child or young person (*ti*). */
const CY_TI: SignpostWords = {
  anonymous:
    "Diolch am ddweud wrthon ni. Nid dy fai di yw beth sy'n digwydd. Allwn ni ddim gweld pwy wyt ti, felly allwn ni ddim dod i dy helpu di ein hunain. Os wyt ti mewn perygl nawr, ffonia 999. Mae pobl yno i siarad â ti:",
  identifiable:
    "Diolch am ddweud wrthon ni. Nid dy fai di yw beth sy'n digwydd. Efallai y byddwn ni'n rhannu pwy wyt ti gyda phobl sy'n gweithio i dy gadw di'n ddiogel. Os wyt ti mewn perygl nawr, ffonia 999. Mae pobl yno i siarad â ti:",
  contacts: [
    { name: 'Argyfwng', number: '999', kind: 'call', text: 'Os wyt ti mewn perygl nawr, ffonia 999.' },
    {
      name: 'Childline',
      number: '0800 1111',
      kind: 'call',
      text: 'Am ddim ac yn breifat, unrhyw bryd, i unrhyw un dan 19 oed. Ffonia 0800 1111 neu sgwrsia ar childline.org.uk.',
    },
    {
      name: 'Meic',
      number: '080880 23456',
      kind: 'call',
      text: "Llinell gymorth i blant a phobl ifanc yng Nghymru, yn Gymraeg neu'n Saesneg. Am ddim, bob dydd o 8am tan hanner nos. Ffonia 080880 23456, tecstia 84001 neu sgwrsia ar meic.cymru.",
    },
    { name: 'Shout', number: '85258', kind: 'text', text: "Tecstia SHOUT i 85258 am ddim, unrhyw bryd, os byddai'n well gen ti beidio â siarad." },
    { name: 'Y Samariaid', number: '116 123', kind: 'call', text: 'Ffonia 116 123 am ddim, unrhyw bryd, ddydd neu nos.' },
  ],
};

/** Welsh to an adult (*chi*). */
const CY_CHI: SignpostWords = {
  anonymous:
    "Diolch am ddweud wrthon ni. Nid eich bai chi yw beth sy'n digwydd. Allwn ni ddim gweld pwy ydych chi, felly allwn ni ddim dod i'ch helpu chi ein hunain. Os ydych chi mewn perygl nawr, ffoniwch 999. Mae pobl yno i siarad â chi:",
  identifiable:
    "Diolch am ddweud wrthon ni. Nid eich bai chi yw beth sy'n digwydd. Efallai y byddwn ni'n rhannu pwy ydych chi gyda phobl sy'n gweithio i'ch cadw chi'n ddiogel. Os ydych chi mewn perygl nawr, ffoniwch 999. Mae pobl yno i siarad â chi:",
  contacts: [
    { name: 'Argyfwng', number: '999', kind: 'call', text: 'Os ydych chi mewn perygl nawr, ffoniwch 999.' },
    {
      name: 'Childline',
      number: '0800 1111',
      kind: 'call',
      text: 'Am ddim ac yn breifat, unrhyw bryd, i unrhyw un dan 19 oed. Ffoniwch 0800 1111 neu sgwrsiwch ar childline.org.uk.',
    },
    {
      name: 'Meic',
      number: '080880 23456',
      kind: 'call',
      text: "Llinell gymorth i blant a phobl ifanc yng Nghymru, yn Gymraeg neu'n Saesneg. Am ddim, bob dydd o 8am tan hanner nos. Ffoniwch 080880 23456, tecstiwch 84001 neu sgwrsiwch ar meic.cymru.",
    },
    { name: 'Shout', number: '85258', kind: 'text', text: "Tecstiwch SHOUT i 85258 am ddim, unrhyw bryd, os byddai'n well gennych chi beidio â siarad." },
    { name: 'Y Samariaid', number: '116 123', kind: 'call', text: 'Ffoniwch 116 123 am ddim, unrhyw bryd, ddydd neu nos.' },
  ],
};

const build = (lang: string, words: SignpostWords, identifiable: boolean): Signpost => ({
  lang,
  message: identifiable ? words.identifiable : words.anonymous,
  contacts: words.contacts,
});

/** The English signpost for an anonymous respondent: what every language without its own falls back to. */
export const SIGNPOST: Signpost = build('en', EN, false);

/**
 * The signpost in `lang` and `register`; English for a language Heard has no words for.
 * @example signpostIn('cy', 'ti', false).contacts.map((c) => c.name) // [..., 'Childline', 'Meic', ...]
 */
export function signpostIn(lang: string, register: Register, identifiable: boolean): Signpost {
  if (lang === 'cy') return build('cy', register === 'ti' ? CY_TI : CY_CHI, identifiable);
  return identifiable ? build('en', EN, true) : SIGNPOST;
}
