import type { AgeBand } from '../../schemas/common';
import { registerFor, type Register } from '../register';

/**
 * The conversation's own words (everything not written in the survey definition).
 * Welsh has one set of words per register: *ti* under 18, *chi* for adults (see domain/register).
 */
export interface Words {
  ratherNotSay: string;
  support: string;
  /** The support message through a link with a contact reference, where "we can't see who you are" would be untrue. */
  supportIdentifiable: string;
  reprompt: string;
  moveOn: string;
  goBack: string;
  startAgain: string;
  /** Said when a chat reaches its length limit and ends with the answers so far. */
  endedEarly: string;
  /** Confirms how typed text was understood, e.g. "Got it: OK." */
  understood: (label: string) => string;
  inputLabel: string;
  youSaidWeDidIntro: string;
  youSaid: (heard: string) => string;
  weDid: (did: string) => string;
  /** After a possible disclosure the questions pause: what the child is asked, and the three choices. */
  pauseAsk: string;
  carryOn: string;
  stopHere: string;
  talkNow: string;
  /** Said when the child chooses to carry on after the pause. */
  carryingOn: string;
  /** The calm last line after a disclosure, instead of the cheerful thank-you. */
  disclosureThanks: string;
  /** The honest line where the survey can't reach the child (no contact reference). */
  cantReachYou: string;
}

const en: Words = {
  ratherNotSay: "I'd rather not say",
  support:
    "Thank you for telling us. It's not your fault. We can't see who you are, so if you are in danger now call 999. Childline is there any time on 0800 1111 (free).",
  supportIdentifiable:
    "Thank you for telling us. It's not your fault. We may share who you are with people whose job is to keep you safe. If you are in danger now call 999. Childline is there any time on 0800 1111 (free).",
  reprompt: "Sorry, I didn't quite get that. You can tap one of the buttons, or type your answer again.",
  moveOn: "That's OK. Let's move on.",
  goBack: "OK, let's go back.",
  startAgain: "OK, let's start again.",
  endedEarly: "That's as much as this chat can take. Thank you: we've kept the answers you gave.",
  understood: (label) => `Got it: ${label}.`,
  inputLabel: 'Type your answer',
  youSaidWeDidIntro: 'Here is what people told us before, and what we did:',
  youSaid: (heard) => `You said: ${heard}`,
  weDid: (did) => `We did: ${did}`,
  pauseAsk: 'There are no more questions unless you want them. What would you like to do now?',
  carryOn: 'Carry on with the questions',
  stopHere: 'Stop here',
  talkNow: 'Talk to someone now',
  carryingOn: "OK, let's carry on.",
  disclosureThanks: 'Thank you for telling us. You did the right thing.',
  cantReachYou: "We don't know who you are, so we can't come and help you ourselves. These people can, right now.",
};

/** Welsh to a child or young person (*ti*): every respondent under 18 (see domain/register). */
const cyTi: Words = {
  ratherNotSay: "Byddai'n well gen i beidio â dweud",
  support:
    'Diolch am ddweud wrthon ni. Nid dy fai di yw e. Allwn ni ddim gweld pwy wyt ti, felly os wyt ti mewn perygl nawr, ffonia 999. Galli di siarad â Childline unrhyw bryd ar 0800 1111, neu â Meic ar 080880 23456 (am ddim).',
  supportIdentifiable:
    "Diolch am ddweud wrthon ni. Nid dy fai di yw e. Efallai y byddwn ni'n rhannu pwy wyt ti gyda phobl sy'n gweithio i dy gadw di'n ddiogel. Os wyt ti mewn perygl nawr, ffonia 999. Galli di siarad â Childline unrhyw bryd ar 0800 1111, neu â Meic ar 080880 23456 (am ddim).",
  reprompt: "Sori, wnes i ddim deall hynny'n iawn. Galli di dapio un o'r botymau, neu deipio dy ateb eto.",
  moveOn: "Mae hynny'n iawn. Awn ni ymlaen.",
  goBack: "Iawn, awn ni'n ôl.",
  startAgain: 'Iawn, dechreuwn ni eto.',
  endedEarly: "Dyna'r cyfan all y sgwrs hon ei gymryd. Diolch: rydyn ni wedi cadw'r atebion a roddaist ti.",
  understood: (label) => `Wedi deall: ${label}.`,
  inputLabel: 'Teipia dy ateb',
  youSaidWeDidIntro: "Dyma beth ddywedodd pobl wrthon ni o'r blaen, a beth wnaethon ni:",
  // Plural *chi* even to a child: "you" here is everyone who answered before, not the reader.
  // Do not "fix" it to *ti*.
  youSaid: (heard) => `Dywedoch chi: ${heard}`,
  weDid: (did) => `Gwnaethon ni: ${did}`,
  pauseAsk: 'Does dim rhagor o gwestiynau oni bai dy fod ti eisiau nhw. Beth hoffet ti ei wneud nawr?',
  carryOn: "Mynd ymlaen â'r cwestiynau",
  stopHere: 'Stopio fan hyn',
  talkNow: 'Siarad â rhywun nawr',
  carryingOn: 'Iawn, awn ni ymlaen.',
  disclosureThanks: "Diolch am ddweud wrthon ni. Gwnest ti'r peth iawn.",
  cantReachYou: "Dydyn ni ddim yn gwybod pwy wyt ti, felly allwn ni ddim dod i dy helpu di ein hunain. Mae'r bobl hyn yn gallu, nawr.",
};

/** Welsh to an adult (*chi*). */
const cyChi: Words = {
  ...cyTi,
  support:
    'Diolch am ddweud wrthon ni. Nid eich bai chi yw e. Allwn ni ddim gweld pwy ydych chi, felly os ydych chi mewn perygl nawr, ffoniwch 999. Gallwch chi siarad â Childline unrhyw bryd ar 0800 1111, neu â Meic ar 080880 23456 (am ddim).',
  supportIdentifiable:
    "Diolch am ddweud wrthon ni. Nid eich bai chi yw e. Efallai y byddwn ni'n rhannu pwy ydych chi gyda phobl sy'n gweithio i'ch cadw chi'n ddiogel. Os ydych chi mewn perygl nawr, ffoniwch 999. Gallwch chi siarad â Childline unrhyw bryd ar 0800 1111, neu â Meic ar 080880 23456 (am ddim).",
  reprompt: "Mae'n ddrwg gen i, wnes i ddim deall hynny'n iawn. Gallwch chi dapio un o'r botymau, neu deipio eich ateb eto.",
  inputLabel: 'Teipiwch eich ateb',
  pauseAsk: 'Does dim rhagor o gwestiynau oni bai eich bod chi eisiau nhw. Beth hoffech chi ei wneud nawr?',
  disclosureThanks: "Diolch am ddweud wrthon ni. Gwnaethoch chi'r peth iawn.",
  cantReachYou: "Dydyn ni ddim yn gwybod pwy ydych chi, felly allwn ni ddim dod i'ch helpu chi ein hunain. Mae'r bobl hyn yn gallu, nawr.",
  endedEarly: "Dyna'r cyfan all y sgwrs hon ei gymryd. Diolch: rydyn ni wedi cadw'r atebion a roesoch chi.",
};

/** The words for a language and age band, in the band's register (domain/register); English for any language without its own. */
export function words(lang: string, ageBand: AgeBand): Words {
  if (lang === 'cy') return registerFor(ageBand) === 'ti' ? cyTi : cyChi;
  return en;
}

/** Every Welsh register's words, for the test that checks each one is complete and consistent. */
export const WELSH_WORDS: Readonly<Record<Register, Words>> = { ti: cyTi, chi: cyChi };
