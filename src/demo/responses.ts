import type { Answers } from '../domain/survey';
import { fftAnswerFor } from './surveys';

/**
 * Demo feedback that `npm start` sends through the real intake API, so the dashboard and feeds
 * show themes for every demo partner. Deterministic: the same ids every run, so a restart is a
 * retry and stores nothing twice.
 */

export interface DemoSubmission {
  surveyId: string;
  body: { id: string; answers: Answers; lang: string; link: string };
}

/** One multi-use feedback link per demo partner (seeded with the partnership). */
export const DEMO_PARTNER_LINKS = [
  {
    id: '00000000-0000-4000-8000-0000000000f2',
    token: 'demo-police-link',
    surveyId: 'family-rating',
    partnerId: 'demo-police',
    serviceId: 'demo-public-protection',
    contactType: 'home-visit',
  },
  {
    id: '00000000-0000-4000-8000-0000000000f3',
    token: 'demo-health-link',
    surveyId: 'family-rating',
    partnerId: 'demo-health',
    serviceId: 'demo-camhs',
    contactType: 'clinic',
  },
  {
    id: '00000000-0000-4000-8000-0000000000f4',
    token: 'demo-education-link',
    surveyId: 'family-rating',
    partnerId: 'demo-education',
    serviceId: 'demo-inclusion',
    contactType: 'school-meeting',
  },
  {
    id: '00000000-0000-4000-8000-0000000000f5',
    token: 'demo-la-family-link',
    surveyId: 'family-rating',
    partnerId: 'demo-la',
    serviceId: 'demo-front-door',
    contactType: 'phone-call',
  },
] as const;

const WHY: Record<string, [rating: number, text: string][]> = {
  'demo-police': [
    [5, 'The officer explained what would happen next and kept us updated every week.'],
    [4, 'The police were kind to my son and listened to what he had to say.'],
    [2, 'Nobody from the police rang us back after the interview, we were left not knowing anything.'],
    [1, 'We had to tell our story again to the police, the school and social care. Nobody talks to each other.'],
    [3, 'The officer was polite but we waited three weeks for an update.'],
  ],
  'demo-health': [
    [1, 'We waited eight months for a CAMHS appointment while my daughter’s anxiety got worse.'],
    [2, 'The waiting list for counselling is far too long and nobody explained why.'],
    [4, 'The CAMHS nurse was lovely and really listened to my son.'],
    [5, 'The mental health team helped my daughter feel safe again.'],
    [2, 'Appointments kept getting cancelled at the last minute.'],
  ],
  'demo-education': [
    [4, 'The teachers worked with social care and the school nurse, everyone was on the same page.'],
    [2, 'The school didn’t tell us about the meeting until the day before.'],
    [5, 'His teacher listened to him and made a plan with us for his attendance.'],
    [1, 'My son was excluded and nobody from school explained what would happen next.'],
    [3, 'School were supportive but the SEND assessment is taking forever.'],
  ],
  'demo-la': [
    [4, 'The social worker listened to us and helped with food vouchers and the housing office.'],
    [2, 'We’ve had four different social workers this year, my kids don’t trust any of them.'],
    [1, 'I rang the duty line on a Saturday night and couldn’t get through to anyone.'],
    [5, 'Our worker was kind, never judged us, and always rang back.'],
    [3, 'The early help parenting course was useful but the sessions were in the daytime when I work.'],
  ],
};

/** What families say could be better; the volume seed reuses them. */
export const IMPROVE = [
  'Keep us updated more often.',
  'Shorter waiting times please.',
  'Talk to the other services so we don’t have to repeat ourselves.',
  'Evening appointments would help working parents.',
  'Nothing, it was good.',
];

/** Up to `perPartner` responses for each demo partner through its link. */
export function demoSubmissions(perPartner = 30): DemoSubmission[] {
  const out: DemoSubmission[] = [];
  DEMO_PARTNER_LINKS.forEach((link, p) => {
    const texts = WHY[link.partnerId]!;
    for (let i = 0; i < perPartner; i++) {
      const [rating, why] = texts[i % texts.length]!;
      const n = p * 1000 + i;
      out.push({
        surveyId: link.surveyId,
        body: {
          id: `00000000-0000-4000-8000-${String(100000000000 + n).slice(-12)}`,
          answers: { overall: i % 15 === 14 ? 'dont-know' : fftAnswerFor(rating), why, improve: IMPROVE[(i + p) % IMPROVE.length]! },
          lang: i % 7 === 3 ? 'cy' : 'en',
          link: link.token,
        },
      });
    }
  });
  return out;
}

/**
 * What a realistic safeguarding queue holds on a Monday: two children who need someone within the
 * hour and three answers a trained reader should look at within a working day. None is ordinary
 * praise, so the demo never shows a false alarm at the top of the lead's queue.
 */
export const DEMO_CONCERNS: { triage: 'alert' | 'review'; text: string }[] = [
  { triage: 'alert', text: 'my mums boyfriend hits me when she is at work and i am scared to go home' },
  { triage: 'alert', text: 'i want to kill myself tonight. i have started cutting again' },
  { triage: 'review', text: 'the worker came when mums boyfriend was in so i said everything was fine' },
  { triage: 'review', text: 'i dont like staying at my dads at weekends, he gets really angry and i dont feel safe there' },
  { triage: 'review', text: 'my brother used to hit me last year but he has moved out now' },
];

/** The concerns above as after-visit answers through the home-visit link, with fixed ids (a restart is a retry). */
export function demoConcernSubmissions(): DemoSubmission[] {
  return DEMO_CONCERNS.map(({ text }, i) => ({
    surveyId: 'after-visit',
    body: {
      id: `00000000-0000-4000-8000-${String(900000000000 + i).slice(-12)}`,
      answers: { visit: 2, better: text },
      lang: 'en',
      link: 'demo-home-visit-link',
    },
  }));
}
