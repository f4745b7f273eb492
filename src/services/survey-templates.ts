import { afterVisit, communityVoice, familyRating } from '../demo/surveys';
import type { Audience } from '../schemas/common';
import type { SurveyDefinition } from '../schemas/survey-definition';

/**
 * What a new survey starts from in the workspace. The first three are the demo's own surveys
 * (written and checked with practitioners), so a template and the demo never drift apart.
 */
export interface SurveyTemplate {
  id: string;
  name: string;
  description: string;
  audience: Audience;
  definition: SurveyDefinition;
}

const BLANK: SurveyDefinition = {
  title: { en: 'Tell us what you think' },
  languages: ['en'],
  ageBands: ['adult'],
  intro: { en: 'We would like to hear what you think. It takes a minute or two.' },
  privacy: { en: 'Your answers are anonymous. Please don’t include names or contact details: we can’t reply here.' },
  thankYou: { en: 'Thank you.' },
  whatNext: { en: 'We read every answer and share what we learn, without names, with the safeguarding partnership.' },
  questions: [{ id: 'comments', kind: 'text', maxLength: 2000, text: { en: 'What would you like to tell us?' } }],
};

export const SURVEY_TEMPLATES: SurveyTemplate[] = [
  {
    id: 'after-visit',
    name: 'After a visit (children)',
    description: 'For children aged 8 to 12 after a social worker’s or other practitioner’s visit: faces, then what went well and what could be better.',
    audience: 'child',
    definition: afterVisit,
  },
  {
    id: 'family-rating',
    name: 'Family rating (NHS Friends and Family Test)',
    description: 'For parents and carers: the Friends and Family Test question (very good to very poor, or don’t know), then why and what could be better.',
    audience: 'family',
    definition: familyRating,
  },
  {
    id: 'community-voice',
    name: 'Community consultation',
    description: 'For a neighbourhood or community: priorities to choose from and open questions.',
    audience: 'community',
    definition: communityVoice,
  },
  { id: 'blank', name: 'Blank', description: 'One open question in English, to build on.', audience: 'family', definition: BLANK },
];

export const findTemplate = (id: string) => SURVEY_TEMPLATES.find((t) => t.id === id);
