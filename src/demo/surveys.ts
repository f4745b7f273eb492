import type { SurveyDefinition } from '../schemas/survey-definition';

/** The demo partnership's surveys: fixed ids so the README's examples work as written. */

const faces5 = [
  { en: 'Really bad', cy: 'Gwael iawn' },
  { en: 'Bad', cy: 'Gwael' },
  { en: 'OK', cy: 'Iawn' },
  { en: 'Good', cy: 'Da' },
  { en: 'Really good', cy: 'Da iawn' },
];

const childPrivacy = {
  en: "We won't know it's you. We can't reply to you here.",
  cy: "Fyddwn ni ddim yn gwybod pwy wyt ti. Allwn ni ddim ysgrifennu'n ôl atat ti yma.",
};

export const afterVisit: SurveyDefinition = {
  title: { en: 'How did it go?', cy: 'Sut aeth hi?' },
  languages: ['en', 'cy'],
  ageBands: ['8-12'],
  intro: {
    en: 'Your social worker came to see you. We want to know how it went for you. It takes about 2 minutes.',
    cy: "Daeth dy weithiwr cymdeithasol i dy weld. Rydyn ni eisiau gwybod sut aeth hi i ti. Mae'n cymryd tua 2 funud.",
  },
  privacy: childPrivacy,
  thankYou: { en: 'Thank you for telling us.', cy: 'Diolch am ddweud wrthon ni.' },
  whatNext: {
    en: 'People who run the service read what children say every month and use it to make things better.',
    cy: "Mae'r bobl sy'n rhedeg y gwasanaeth yn darllen beth mae plant yn ei ddweud bob mis ac yn ei ddefnyddio i wneud pethau'n well.",
  },
  questions: [
    {
      id: 'visit',
      kind: 'rating',
      points: 5,
      text: { en: 'How did the visit go?', cy: 'Sut aeth yr ymweliad?' },
      textByAge: { '8-12': { en: 'How did the visit from your social worker go?', cy: 'Sut aeth hi pan ddaeth dy weithiwr cymdeithasol i dy weld?' } },
      labels: faces5,
    },
    {
      id: 'listened',
      kind: 'yes-no',
      text: { en: 'Did your social worker listen to you?', cy: 'Wnaeth dy weithiwr cymdeithasol wrando arnat ti?' },
      // Welsh answers echo the verb: "Wnaeth…?" is answered "Do" or "Naddo".
      labels: { cy: { yes: 'Do', no: 'Naddo' } },
    },
    {
      id: 'good',
      kind: 'text',
      maxLength: 1000,
      text: { en: 'What was good about it?', cy: 'Beth oedd yn dda amdano?' },
    },
    {
      id: 'better',
      kind: 'text',
      maxLength: 1000,
      showIf: { question: 'visit', atMost: 3 },
      text: { en: 'What would have made it better?', cy: 'Beth fyddai wedi gwneud yr ymweliad yn well?' },
    },
  ],
};

export const familyRating: SurveyDefinition = {
  title: { en: 'Tell us about your experience', cy: 'Dywedwch wrthon ni am eich profiad' },
  languages: ['en', 'cy'],
  ageBands: ['adult'],
  intro: {
    en: 'We would like to hear about your family’s experience of our service. Three short questions.',
    cy: 'Hoffen ni glywed am brofiad eich teulu o’n gwasanaeth ni. Tri chwestiwn byr.',
  },
  privacy: {
    en: 'Your answers are anonymous. Please don’t include names or contact details: we can’t reply here.',
    cy: 'Mae eich atebion yn ddienw. Peidiwch â chynnwys enwau na manylion cyswllt: allwn ni ddim ateb yma.',
  },
  thankYou: { en: 'Thank you for your feedback.', cy: 'Diolch am eich adborth.' },
  whatNext: {
    en: 'Feedback is read by the service’s managers each month and shared, without names, with the safeguarding partnership.',
    cy: 'Mae rheolwyr y gwasanaeth yn darllen adborth bob mis ac yn ei rannu, heb enwau, gyda’r bartneriaeth ddiogelu.',
  },
  questions: [
    {
      // The NHS Friends and Family Test question, word for word, with its six answers.
      id: 'overall',
      kind: 'choice',
      multiple: false,
      fft: true,
      text: { en: 'Overall, how was your experience of our service?', cy: 'Yn gyffredinol, sut oedd eich profiad o’n gwasanaeth?' },
      options: [
        { id: 'very-good', label: { en: 'Very good', cy: 'Da iawn' } },
        { id: 'good', label: { en: 'Good', cy: 'Da' } },
        { id: 'neither', label: { en: 'Neither good nor poor', cy: 'Ddim yn dda nac yn wael' } },
        { id: 'poor', label: { en: 'Poor', cy: 'Gwael' } },
        { id: 'very-poor', label: { en: 'Very poor', cy: 'Gwael iawn' } },
        { id: 'dont-know', label: { en: 'Don’t know', cy: 'Ddim yn gwybod' } },
      ],
    },
    { id: 'why', kind: 'text', maxLength: 2000, text: { en: 'Why did you give that answer?', cy: 'Pam wnaethoch chi roi’r ateb hwnnw?' } },
    { id: 'improve', kind: 'text', maxLength: 2000, text: { en: 'What could we do better?', cy: 'Beth allen ni ei wneud yn well?' } },
  ],
};

/** The Friends and Family Test answer for a 1–5 rating (the demo's texts are written against ratings). */
export const fftAnswerFor = (rating: number) => (['very-poor', 'poor', 'neither', 'good', 'very-good'] as const)[Math.min(5, Math.max(1, rating)) - 1]!;

export const communityVoice: SurveyDefinition = {
  // Register-neutral Welsh where the wording is not per age band: a 13-17-year-old reads ti and an
  // adult chi (domain/register), so the shared lines address neither.
  title: { en: 'Keeping children safe where you live', cy: 'Cadw plant yn ddiogel yn ein hardal ni' },
  languages: ['en', 'cy'],
  // Adults first: someone who doesn't give their age is addressed as an adult (chi).
  ageBands: ['adult', '13-17'],
  intro: {
    en: 'The safeguarding partnership is asking people who live and work here what would help keep children safe.',
    cy: 'Mae’r bartneriaeth ddiogelu yn gofyn i bobl sy’n byw ac yn gweithio yma beth fyddai’n helpu i gadw plant yn ddiogel.',
  },
  privacy: {
    en: 'Your answers are anonymous. Please don’t include names or contact details.',
    cy: 'Mae’r atebion yn ddienw, felly does dim angen rhoi enwau na manylion cyswllt.',
  },
  thankYou: { en: 'Thank you for taking part.', cy: 'Diolch am gymryd rhan.' },
  whatNext: {
    en: 'We will publish what we heard and what we are doing about it on this page.',
    cy: 'Byddwn ni’n cyhoeddi beth glywson ni a beth rydyn ni’n ei wneud amdano ar y dudalen hon.',
  },
  questions: [
    {
      id: 'safe-area',
      kind: 'rating',
      points: 3,
      text: { en: 'How safe do children feel in your area?', cy: 'Pa mor ddiogel mae plant yn teimlo yn eich ardal chi?' },
      textByAge: { '13-17': { en: 'How safe do children feel in your area?', cy: 'Pa mor ddiogel mae plant yn teimlo yn dy ardal di?' } },
      labels: [
        { en: 'Not safe', cy: 'Ddim yn ddiogel' },
        { en: 'Sometimes safe', cy: 'Weithiau’n ddiogel' },
        { en: 'Safe', cy: 'Diogel' },
      ],
    },
    {
      id: 'priorities',
      kind: 'choice',
      multiple: true,
      text: { en: 'What matters most? Choose any.', cy: 'Beth sydd bwysicaf? Dewiswch unrhyw rai.' },
      textByAge: { '13-17': { en: 'What matters most? Choose any.', cy: 'Beth sydd bwysicaf? Dewisa unrhyw rai.' } },
      options: [
        { id: 'youth-spaces', label: { en: 'Safe places for young people', cy: 'Lleoedd diogel i bobl ifanc' } },
        { id: 'online', label: { en: 'Staying safe online', cy: 'Cadw’n ddiogel ar-lein' } },
        { id: 'mental-health', label: { en: 'Mental health support', cy: 'Cymorth iechyd meddwl' } },
        { id: 'family-support', label: { en: 'Help for families', cy: 'Help i deuluoedd' } },
      ],
    },
    {
      id: 'know-who',
      kind: 'yes-no',
      text: {
        en: 'Would you know who to contact if you were worried about a child?',
        cy: 'Fyddech chi’n gwybod â phwy i gysylltu pe baech chi’n poeni am blentyn?',
      },
      textByAge: {
        '13-17': {
          en: 'Would you know who to contact if you were worried about a child?',
          cy: 'Fyddet ti’n gwybod â phwy i gysylltu pe baet ti’n poeni am blentyn?',
        },
      },
      // "Fyddech chi…?" and "Fyddet ti…?" are both answered "Byddwn" or "Na fyddwn".
      labels: { cy: { yes: 'Byddwn', no: 'Na fyddwn' } },
    },
    {
      id: 'more',
      kind: 'text',
      maxLength: 2000,
      text: { en: 'Anything else you want to tell us?', cy: 'Unrhyw beth arall rydych chi am ei ddweud wrthon ni?' },
      textByAge: { '13-17': { en: 'Anything else you want to tell us?', cy: 'Unrhyw beth arall rwyt ti am ei ddweud wrthon ni?' } },
    },
  ],
};

export const DEMO_SURVEYS = [
  { id: 'after-visit', audience: 'child', partnerId: 'demo-la', definition: afterVisit },
  { id: 'family-rating', audience: 'family', partnerId: null, definition: familyRating },
  { id: 'community-voice', audience: 'community', partnerId: null, definition: communityVoice },
] as const;
