/**
 * The rollups the demo's responses make (src/demo/responses.ts, as `npm start` sends them), built
 * as intake and the rollup triggers build them (domain/intake.ts, migrations 0015 and 0025), on
 * one day: 3 December 2026, whose week (30 November – 6 December) December shares with November.
 * Checked once against the rows the Worker itself stored for the same responses.
 */
import { DEMO_PARTNER_LINKS, demoConcernSubmissions, demoSubmissions } from '../../src/demo/responses';
import { DEMO_LINK } from '../../src/demo/seed';
import { DEMO_SURVEYS } from '../../src/demo/surveys';
import { prepareSubmission } from '../../src/domain/intake';
import { answerMetrics } from '../../src/domain/question-results';
import type { Answers } from '../../src/domain/survey';
import { cellKey, type RollupRow } from '../../src/domain/suppression';

export const DEMO_DECEMBER = { WEEK: '2026-11-30', MONTH: '2026-12-01' } as const;

/** The week's and the month's rollup rows (sentiment rows, which insights never read, left out). */
export function demoDecemberRollups(): RollupRow[] {
  const links = new Map<string, { partnerId: string; serviceId: string }>([...DEMO_PARTNER_LINKS, DEMO_LINK].map((l) => [l.token, l]));
  const counts = new Map<string, RollupRow>();
  for (const { surveyId, body } of [...demoSubmissions(), ...demoConcernSubmissions()]) {
    const survey = DEMO_SURVEYS.find((s) => s.id === surveyId)!;
    const def = survey.definition;
    const link = links.get(body.link)!;
    const prepared = prepareSubmission(def, body.answers as Answers);
    const metrics = [
      'responses',
      ...(prepared.rating === null ? [] : ['rated', `rating:${prepared.rating}`]),
      ...Object.entries(prepared.themes).flatMap(([theme, sentiment]) => [`theme:${theme}`, `theme:${theme}:${sentiment}`]),
      ...answerMetrics(surveyId, def, prepared.answers),
    ];
    const atom = { partner: link.partnerId, service: link.serviceId, audience: survey.audience, survey: surveyId, ageBand: def.ageBands[0]! };
    for (const period of [DEMO_DECEMBER.WEEK, DEMO_DECEMBER.MONTH]) {
      for (const metric of metrics) {
        const id = `${period}#${metric}#${cellKey(atom)}`;
        const row = counts.get(id);
        if (row) row.n++;
        else counts.set(id, { ...atom, period, metric, n: 1 });
      }
    }
  }
  return [...counts.values()];
}
