import type { AgeBand } from '../schemas/common';

/**
 * How Heard's Welsh speaks to the reader: *ti* to every respondent under 18, *chi* to adults.
 * One setting decides it, the age band the page is shown for (the asked band, else the survey's
 * first: see chooseAgeBand), and the page, the chat, the privacy line and the signpost all follow
 * it, so a 13-17-year-old never meets *chi* on one line and *ti* on the next. A survey for mixed
 * ages lists its default band first. English has one register, so this only matters for Welsh.
 * "Dywedoch chi, gwnaethon ni" ("you said, we did") stays *chi* on children's pages too: it
 * speaks to everyone who answered, a plural, not to the one reader.
 */
export type Register = 'ti' | 'chi';

/** @example registerFor('13-17') // 'ti' */
export const registerFor = (ageBand: AgeBand | undefined): Register => (ageBand === undefined || ageBand === 'adult' ? 'chi' : 'ti');
