import type { Messages } from './en';

/**
 * Welsh wording (formal "chi"), with `cyChild` overriding the few strings that speak to the
 * reader so children are addressed as "ti", as the demo children's survey does.
 * Buttons use verb-nouns ("Anfon", "Gadael yn gyflym"), which are the same in both registers.
 */
export const cy: Messages = {
  pageTitle: 'Adborth',
  errorTitlePrefix: 'Gwall:',
  leave: 'Gadael yn gyflym',
  leaveHint: 'Neu pwyswch Esc 3 gwaith.',
  safety: 'Os ydych chi mewn perygl nawr, ffoniwch {999}. Gallwch siarad â Childline unrhyw bryd: {childline} (am ddim).',
  skip: 'Byddai’n well gen i beidio â dweud',
  readToMe: 'Darllen yn uchel',
  stopReading: 'Stopio darllen',
  next: 'Nesaf',
  back: 'Yn ôl',
  send: 'Anfon',
  progress: 'Cwestiwn {n} o {total}',
  textLimit: 'Gallwch ysgrifennu hyd at {max} o nodau.',
  branchHint: 'Atebwch hwn dim ond os mai eich ateb i “{question}” oedd: {answers}.',
  or: 'neu',
  errorSummary: 'Mae problem',
  tooLong: 'Mae eich ateb yn rhy hir. Defnyddiwch {max} o nodau neu lai.',
  notAnOption: 'Dewiswch un o’r atebion, neu “Byddai’n well gen i beidio â dweud”.',
  linkProblem: 'Nid yw’r ddolen adborth hon ar gyfer yr arolwg hwn. Gallwch ateb hebddi o hyd.',
  formProblem: 'Roedd rhywbeth yn y ffurflen yn anghywir. Gwiriwch eich atebion a’u hanfon eto.',
  sending: 'Wrthi’n anfon eich atebion…',
  offline: 'Dydyn ni ddim wedi gallu anfon eich atebion eto. Byddwn yn dal i geisio tra bydd y dudalen hon ar agor.',
  retry: 'Ceisio eto nawr',
  closed: 'Mae’r arolwg hwn wedi cau. Diolch am fod eisiau dweud wrthym.',
  linkUsed: 'Mae’r ddolen adborth hon wedi dod i ben neu wedi cael ei defnyddio’n barod.',
  failed: 'Aeth rhywbeth o’i le ar ein hochr ni. Rhowch gynnig arall arni.',
  notFoundTitle: 'Allwn ni ddim dod o hyd i’r dudalen hon',
  notFoundBody: 'Efallai fod y ddolen yn anghywir, neu nad yw’r arolwg ar agor eto.',
  closedTitle: 'Mae’r arolwg hwn wedi cau',
  whatNextTitle: 'Beth sy’n digwydd nesaf',
  supportTitle: 'Does dim rhaid i chi ymdopi â hyn ar eich pen eich hun',
  openSurvey: 'Dywedwch wrthym sut aeth hi',
  close: 'Cau',
};

/** Children are "ti" in Welsh: the strings that address the reader directly. */
export const cyChild: Partial<Messages> = {
  leaveHint: 'Neu pwysa Esc 3 gwaith.',
  safety: 'Os wyt ti mewn perygl nawr, ffonia {999}. Galli di siarad â Childline unrhyw bryd: {childline} (am ddim).',
  textLimit: 'Galli di ysgrifennu hyd at {max} o nodau.',
  branchHint: 'Ateba hwn dim ond os mai dy ateb i “{question}” oedd: {answers}.',
  tooLong: 'Mae dy ateb di’n rhy hir. Defnyddia {max} o nodau neu lai.',
  notAnOption: 'Dewisa un o’r atebion, neu “Byddai’n well gen i beidio â dweud”.',
  linkProblem: 'Dyw’r ddolen adborth hon ddim ar gyfer yr arolwg hwn. Galli di ateb hebddi o hyd.',
  formProblem: 'Roedd rhywbeth yn y ffurflen yn anghywir. Gwiria dy atebion a’u hanfon eto.',
  sending: 'Wrthi’n anfon dy atebion…',
  offline: 'Dydyn ni ddim wedi gallu anfon dy atebion eto. Byddwn ni’n dal i geisio tra bydd y dudalen hon ar agor.',
  closed: 'Mae’r arolwg hwn wedi cau. Diolch am fod eisiau dweud wrthon ni.',
  failed: 'Aeth rhywbeth o’i le ar ein hochr ni. Rho gynnig arall arni.',
  supportTitle: 'Does dim rhaid i ti ymdopi â hyn ar dy ben dy hun',
  openSurvey: 'Dweda wrthon ni sut aeth hi',
};
