import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  currentStep,
  endConversation,
  MAX_RESTARTS,
  MAX_RETRIES,
  PAUSE_ID,
  replyToConversation,
  startConversation,
  type BotMessage,
  type ConversationState,
} from '../../../src/domain/conversation';
import { afterVisit, communityVoice, familyRating } from '../../../src/demo/surveys';
import { checkAnswers } from '../../../src/domain/survey';
import { SurveyDefinitionSchema, type SurveyDefinition } from '../../../src/schemas/survey-definition';
import { answer, asEnd, asQuestion, back, last, makeSurvey, oneQuestion, play, restart, say, skip } from './helpers';

const SUPPORT_EN =
  "Thank you for telling us. It's not your fault. We can't see who you are, so if you are in danger now call 999. Childline is there any time on 0800 1111 (free).";
const REPROMPT_EN = "Sorry, I didn't quite get that. You can tap one of the buttons, or type your answer again.";

const texts = (messages: BotMessage[]) => messages.map((m) => m.text);
const kinds = (messages: BotMessage[]) => messages.map((m) => m.kind);

describe('test fixtures', () => {
  it('are valid survey definitions', () => {
    expect(v.safeParse(SurveyDefinitionSchema, makeSurvey()).success).toBe(true);
    expect(v.safeParse(SurveyDefinitionSchema, branching).success).toBe(true);
  });
});

describe('startConversation', () => {
  it('says the intro and the privacy line, then asks the first question with its hint', () => {
    const { state, step } = startConversation(makeSurvey(), {});
    const q = asQuestion(step);
    expect(q.questionId).toBe('mood');
    expect(q.messages).toEqual([
      { kind: 'intro', text: 'Hello! A few questions.' },
      { kind: 'privacy', text: "We won't know it's you." },
      { kind: 'question', text: 'How was school today?' },
      { kind: 'question', text: 'Pick one.' },
    ]);
    expect(q.progress).toEqual({ index: 1, total: 5 });
    expect(q.canGoBack).toBe(false);
    expect(state).toMatchObject({ lang: 'en', ageBand: '13-17', answers: {}, history: [], retries: 0, finished: false });
  });

  it('falls back to English and the first age band for ones the survey does not offer', () => {
    const { state } = startConversation(makeSurvey(), { lang: 'fr', ageBand: 'adult' });
    expect(state.lang).toBe('en');
    expect(state.ageBand).toBe('13-17');
  });
});

describe('question kinds', () => {
  it('rating: one quick reply per label, valued 1..points, then "I\'d rather not say"', () => {
    const q = asQuestion(startConversation(makeSurvey()).step);
    expect(q.quickReplies).toEqual([
      { value: 1, label: 'Sad' },
      { value: 2, label: 'In between' },
      { value: 3, label: 'Happy' },
      { value: null, label: "I'd rather not say" },
    ]);
    expect(q.input).toBeUndefined();
    expect(q.multiple).toBeUndefined();
    const next = last(play(makeSurvey(), [answer(3)]));
    expect(next.state.answers).toEqual({ mood: 3 });
  });

  it('rating: refuses a point outside the scale', () => {
    const { state } = startConversation(makeSurvey());
    for (const value of [0, 4, 2.5, 'happy']) {
      const result = replyToConversation(makeSurvey(), state, answer(value));
      expect(result).toEqual({ error: { code: 'bad_reply', message: expect.stringContaining('whole number from 1 to 3') } });
    }
  });

  it('single choice: option ids as quick replies; an unknown id is refused', () => {
    const [, second] = play(makeSurvey(), [answer(2)]);
    const q = asQuestion(second!.step);
    expect(q.questionId).toBe('pet');
    expect(q.quickReplies.map((r) => r.value)).toEqual(['cat', 'dog', 'goldfish', null]);
    expect(q.quickReplies[2]!.label).toBe('A goldfish');
    expect(replyToConversation(makeSurvey(), second!.state, answer('hamster'))).toHaveProperty('error.code', 'bad_reply');
    expect(replyToConversation(makeSurvey(), second!.state, answer(['cat']))).toHaveProperty('error.code', 'bad_reply');
    expect(last(play(makeSurvey(), [answer(2), answer('dog')])).state.answers).toEqual({ mood: 2, pet: 'dog' });
  });

  it('multiple choice: marked multiple, takes an array, and a single tapped id as a list of one', () => {
    const results = play(makeSurvey(), [answer(2), answer('dog')]);
    const q = asQuestion(last(results).step);
    expect(q.questionId).toBe('clubs');
    expect(q.multiple).toBe(true);
    expect(last(play(makeSurvey(), [answer(2), answer('dog'), answer(['drama', 'coding'])])).state.answers.clubs).toEqual(['drama', 'coding']);
    expect(last(play(makeSurvey(), [answer(2), answer('dog'), answer('drama')])).state.answers.clubs).toEqual(['drama']);
    for (const bad of [[], ['drama', 'drama'], ['chess']]) {
      expect(replyToConversation(makeSurvey(), last(results).state, answer(bad))).toHaveProperty('error.code', 'bad_reply');
    }
  });

  it('yes-no: yes and no quick replies valued "yes" and "no"', () => {
    const results = play(makeSurvey(), [answer(2), answer('dog'), answer(['drama'])]);
    const q = asQuestion(last(results).step);
    expect(q.questionId).toBe('safe');
    expect(q.quickReplies).toEqual([
      { value: 'yes', label: 'Yes' },
      { value: 'no', label: 'No' },
      { value: null, label: "I'd rather not say" },
    ]);
    expect(replyToConversation(makeSurvey(), last(results).state, answer('maybe'))).toHaveProperty('error.code', 'bad_reply');
    expect(last(play(makeSurvey(), [answer(2), answer('dog'), answer(['drama']), answer('no')])).state.answers.safe).toBe('no');
  });

  it('text: a labelled text input with the maximum length, plus "I\'d rather not say"', () => {
    const results = play(makeSurvey(), [answer(2), answer('dog'), answer(['drama']), answer('yes')]);
    const q = asQuestion(last(results).step);
    expect(q.questionId).toBe('say');
    expect(q.input).toEqual({ kind: 'text', maxLength: 20, label: 'Type your answer' });
    expect(q.quickReplies).toEqual([{ value: null, label: "I'd rather not say" }]);
    const end = last(play(makeSurvey(), [answer(2), answer('dog'), answer(['drama']), answer('yes'), say('  I like lunch  ')]));
    expect(end.state.answers.say).toBe('I like lunch');
  });

  it('text: refuses text over the maximum length, and empty text, naming why', () => {
    const { state } = last(play(makeSurvey(), [answer(2), answer('dog'), answer(['drama']), answer('yes')]));
    expect(replyToConversation(makeSurvey(), state, say('x'.repeat(21)))).toEqual({
      error: { code: 'bad_reply', message: 'The answer to say must be at most 20 characters.' },
    });
    // Counted as characters people see: 20 emoji are 20, not 40 UTF-16 units.
    expect(replyToConversation(makeSurvey(), state, say('😀'.repeat(20)))).not.toHaveProperty('error');
    expect(replyToConversation(makeSurvey(), state, say('   '))).toHaveProperty('error.code', 'bad_reply');
    expect(replyToConversation(makeSurvey(), state, answer(42))).toHaveProperty('error.code', 'bad_reply');
  });

  it('refuses a reply that is not one of the reply types, leaving the state as it was', () => {
    const { state } = startConversation(makeSurvey());
    const before = structuredClone(state);
    expect(replyToConversation(makeSurvey(), state, { type: 'shout' } as never)).toHaveProperty('error.code', 'bad_reply');
    expect(replyToConversation(makeSurvey(), state, { type: 'text' } as never)).toHaveProperty('error.code', 'bad_reply');
    expect(replyToConversation(makeSurvey(), state, answer(7))).toHaveProperty('error');
    expect(state).toEqual(before);
  });
});

describe('privacy line', () => {
  it('comes before a free-text prompt even when the first question is text', () => {
    const def = oneQuestion({ id: 'tell', kind: 'text', maxLength: 500, text: { en: 'Tell us anything', cy: 'Dywed unrhyw beth' } });
    expect(kinds(startConversation(def).step.messages)).toEqual(['intro', 'privacy', 'question']);
  });

  it('is said again before a free-text question when the conversation is resumed there', () => {
    const { state } = last(play(afterVisit, [answer(5), answer('yes')]));
    const step = asQuestion(currentStep(afterVisit, state));
    expect(step.questionId).toBe('good');
    expect(kinds(step.messages)).toEqual(['privacy', 'question']);
  });
});

describe('"I\'d rather not say" and skip', () => {
  it('records null for the rather-not-say quick reply and for skip, on every kind', () => {
    const end = last(play(makeSurvey(), [answer(null), skip, answer(null), skip, answer(null)]));
    expect(asEnd(end.step).answers).toEqual({ mood: null, pet: null, clubs: null, safe: null, say: null });
  });
});

// Every branch form, each on the kind it suits.
const branching: SurveyDefinition = makeSurvey([
  { id: 'cat-name', kind: 'text', maxLength: 50, showIf: { question: 'pet', equals: 'cat' }, text: { en: 'Name your cat', cy: 'Enwa dy gath' } },
  {
    id: 'walks',
    kind: 'yes-no',
    showIf: { question: 'pet', anyOf: ['dog', 'goldfish'] },
    text: { en: 'Would you walk it?', cy: 'Fyddet ti’n mynd ag e am dro?' },
  },
  {
    id: 'sad-why',
    kind: 'text',
    maxLength: 50,
    showIf: { question: 'mood', atMost: 1 },
    text: { en: 'What made you sad?', cy: 'Beth wnaeth i ti deimlo’n drist?' },
  },
  {
    id: 'happy-why',
    kind: 'text',
    maxLength: 50,
    showIf: { question: 'mood', atLeast: 3 },
    text: { en: 'What made you happy?', cy: 'Beth wnaeth i ti deimlo’n hapus?' },
  },
  { id: 'kit', kind: 'yes-no', showIf: { question: 'clubs', equals: 'football' }, text: { en: 'Do you have boots?', cy: 'Oes gen ti esgidiau?' } },
  {
    id: 'show',
    kind: 'yes-no',
    showIf: { question: 'clubs', anyOf: ['drama', 'coding'] },
    text: { en: 'Did you put on a show?', cy: 'Wnest ti gynnal sioe?' },
  },
  { id: 'help', kind: 'text', maxLength: 50, showIf: { question: 'safe', equals: 'no' }, text: { en: 'What would help?', cy: 'Beth fyddai’n helpu?' } },
]);

/** The question ids asked, in order, for these answers to the five base questions (extra questions skipped). */
function askedFor(base: [number | null, string | null, string[] | null, string | null]): string[] {
  const replies = [answer(base[0]), answer(base[1]), answer(base[2]), answer(base[3]), skip];
  const results = play(branching, replies);
  let { state, step } = last(results);
  const asked = results.flatMap((r) => (r.step.type === 'question' ? [r.step.questionId] : []));
  while (step.type === 'question') {
    const result = replyToConversation(branching, state, skip);
    if ('error' in result) throw new Error(result.error.message);
    ({ state, step } = result);
    if (step.type === 'question') asked.push(step.questionId);
  }
  expect(checkAnswers(branching, asEnd(step).answers)).toEqual([]);
  return asked;
}

describe('branching', () => {
  const base = ['mood', 'pet', 'clubs', 'safe', 'say'];

  it('equals on a single choice', () => {
    expect(askedFor([2, 'cat', null, 'yes'])).toEqual([...base, 'cat-name']);
  });

  it('anyOf on a single choice', () => {
    expect(askedFor([2, 'goldfish', null, 'yes'])).toEqual([...base, 'walks']);
    expect(askedFor([2, 'dog', null, 'yes'])).toEqual([...base, 'walks']);
  });

  it('atMost and atLeast on a rating', () => {
    expect(askedFor([1, null, null, 'yes'])).toEqual([...base, 'sad-why']);
    expect(askedFor([3, null, null, 'yes'])).toEqual([...base, 'happy-why']);
    expect(askedFor([2, null, null, 'yes'])).toEqual(base);
  });

  it('equals and anyOf on a multiple choice match any chosen option', () => {
    expect(askedFor([2, null, ['drama', 'football'], 'yes'])).toEqual([...base, 'kit', 'show']);
    expect(askedFor([2, null, ['coding'], 'yes'])).toEqual([...base, 'show']);
    expect(askedFor([2, null, ['football'], 'yes'])).toEqual([...base, 'kit']);
  });

  it('equals on yes-no', () => {
    expect(askedFor([2, null, null, 'no'])).toEqual([...base, 'help']);
  });

  it('never shows a branch whose question was answered "I\'d rather not say"', () => {
    expect(askedFor([null, null, null, null])).toEqual(base);
  });

  it('counts progress over the questions shown for the answers so far', () => {
    const results = play(branching, [answer(3), answer('cat'), answer(['football']), answer('no'), say('hi')]);
    expect(results.map((r) => (r.step.type === 'question' ? r.step.progress : null))).toEqual([
      { index: 1, total: 5 },
      { index: 2, total: 6 }, // happy-why now shown
      { index: 3, total: 7 }, // cat-name
      { index: 4, total: 8 }, // kit
      { index: 5, total: 9 }, // help
      { index: 6, total: 9 },
    ]);
  });

  it('follows the demo after-visit branch: "better" only when the visit was rated 3 or lower', () => {
    const low = last(play(afterVisit, [answer(3), answer('yes'), say('Snacks')]));
    expect(asQuestion(low.step).questionId).toBe('better');
    const high = last(play(afterVisit, [answer(4), answer('yes'), say('Snacks')]));
    expect(asEnd(high.step).answers).toEqual({ visit: 4, listened: 'yes', good: 'Snacks' });
  });
});

describe('go back', () => {
  it('returns to the previous question with its answer removed', () => {
    const results = play(makeSurvey(), [answer(2), answer('dog'), back]);
    const { state, step } = last(results);
    const q = asQuestion(step);
    expect(q.questionId).toBe('pet');
    expect(q.messages[0]).toEqual({ kind: 'ack', text: "OK, let's go back." });
    expect(q.messages.at(-1)).toEqual({ kind: 'question', text: 'Which pet would you like?' });
    expect(state.answers).toEqual({ mood: 2 });
    expect(state.history).toEqual(['mood']);
    expect(q.canGoBack).toBe(true);
    const first = asQuestion(last(play(makeSurvey(), [answer(2), back])).step);
    expect(first.questionId).toBe('mood');
    expect(first.canGoBack).toBe(false);
  });

  it('refuses to go back from the first question', () => {
    const { state } = startConversation(makeSurvey());
    expect(replyToConversation(makeSurvey(), state, back)).toEqual({
      error: { code: 'bad_reply', message: 'There is no earlier question to go back to.' },
    });
  });

  it('goes back over a branch question to the question before it', () => {
    // visit 2 → better is asked after good; back from the end of the branch returns to it in order.
    const results = play(afterVisit, [answer(2), answer('no'), say('Nothing'), back]);
    expect(asQuestion(last(results).step).questionId).toBe('good');
    expect(last(results).state.answers).toEqual({ visit: 2, listened: 'no' });
  });

  it('drops a branch answer when going back changes the answer it depended on', () => {
    const def = afterVisit;
    const results = play(def, [answer(2), answer('yes'), say('Chat'), back, back, back, answer(5), answer('yes'), say('Chat')]);
    expect(results.map((r) => (r.step.type === 'question' ? r.step.questionId : 'end'))).toEqual([
      'visit',
      'listened',
      'good',
      'better',
      'good',
      'listened',
      'visit',
      'listened',
      'good',
      'end',
    ]);
    const end = asEnd(last(results).step);
    expect(end.answers).toEqual({ visit: 5, listened: 'yes', good: 'Chat' });
    expect(checkAnswers(def, end.answers)).toEqual([]);
  });

  it('drops answers whose branch no longer holds in a stored state', () => {
    // A state whose branch answer no longer fits (e.g. edited or from an older definition).
    const stale: ConversationState = {
      version: 1,
      lang: 'en',
      ageBand: '8-12',
      retries: 0,
      privacyShown: true,
      finished: false,
      answers: { visit: 5, listened: 'yes', good: 'ok', better: 'stale' },
      history: ['visit', 'listened', 'good', 'better'],
    };
    const end = asEnd(currentStep(afterVisit, stale));
    expect(end.answers).toEqual({ visit: 5, listened: 'yes', good: 'ok' });
    const reply = replyToConversation(afterVisit, { ...stale, answers: { visit: 5, better: 'stale' }, history: ['visit', 'better'] }, answer('no'));
    if ('error' in reply) throw new Error(reply.error.message);
    expect(reply.state.answers).toEqual({ visit: 5, listened: 'no' });
    expect(reply.state.history).toEqual(['visit', 'listened']);
  });
});

describe('start again', () => {
  it('clears every answer and says the intro and privacy again, keeping language and age band', () => {
    const results = play(makeSurvey(), [answer(2), answer('dog'), answer(['drama']), restart], { lang: 'cy', ageBand: '5-7' });
    const { state, step } = last(results);
    expect(state).toMatchObject({ answers: {}, history: [], retries: 0, finished: false, lang: 'cy', ageBand: '5-7' });
    const q = asQuestion(step);
    expect(q.questionId).toBe('mood');
    expect(kinds(q.messages)).toEqual(['ack', 'intro', 'privacy', 'question', 'question']);
    expect(q.messages[0]!.text).toBe('Iawn, dechreuwn ni eto.');
    expect(q.canGoBack).toBe(false);
  });

  it('is understood when typed at a quick-reply question, as is "go back"', () => {
    expect(last(play(makeSurvey(), [answer(2), say('Start again')])).state.answers).toEqual({});
    expect(asQuestion(last(play(makeSurvey(), [answer(2), say('go back')])).step).questionId).toBe('mood');
  });
});

describe('the caps on one conversation', () => {
  it(`allows ${MAX_RESTARTS} restarts, then refuses another (tapped or typed) with restart_limit and the state unchanged`, () => {
    const replies = Array.from({ length: MAX_RESTARTS }, () => [answer(2), restart]).flat();
    const { state } = last(play(afterVisit, [...replies, answer(2)]));
    expect(state.restarts).toBe(MAX_RESTARTS);
    for (const again of [restart, say('start again')]) {
      const refused = replyToConversation(afterVisit, state, again);
      expect(refused).toMatchObject({ error: { code: 'restart_limit', message: expect.stringContaining(`${MAX_RESTARTS} times`) } });
    }
    // Going back and answering still work.
    expect(asQuestion(last(play(afterVisit, [...replies, answer(2), back])).step).questionId).toBe('visit');
  });

  it('ends early with the answers so far, saying why after any support message, and stays ended on resume', () => {
    const { state } = last(play(afterVisit, [answer(4), answer('yes')], { lang: 'cy' }));
    const support: BotMessage = { text: 'support', kind: 'support' };
    const ended = endConversation(afterVisit, state, [support]);
    const end = asEnd(ended.step);
    expect(end.answers).toEqual({ visit: 4, listened: 'yes' });
    expect(end.messages[0]).toEqual(support);
    expect(end.messages[1]!.text).toContain('Dyna');
    expect(ended.state.finished).toBe(true);
    expect(checkAnswers(afterVisit, end.answers)).toEqual([]);
    expect(currentStep(afterVisit, ended.state).type).toBe('end');
    expect(replyToConversation(afterVisit, ended.state, answer('fun'))).toMatchObject({ error: { code: 'bad_reply' } });
  });
});

describe('typed text where quick replies are offered', () => {
  const yesNo = oneQuestion({ id: 'q', kind: 'yes-no', text: { en: 'Did they listen?', cy: 'Wnaethon nhw wrando?' } });
  const typedAnswer = (def: SurveyDefinition, text: string) => {
    const result = replyToConversation(def, startConversation(def).state, say(text));
    if ('error' in result) throw new Error(result.error.message);
    return result.step.type === 'end' ? result.step.answers.q : 'asked again';
  };

  it.each(['yeah', 'yep', 'ye', 'ya', 'sure', 'Yes!', 'ie', 'do', 'ydw', 'Yeah they did'])('yes-no: "%s" is yes', (text) => {
    expect(typedAnswer(yesNo, text)).toBe('yes');
  });

  it.each(['nah', 'nope', 'no way', 'not really', 'No.', 'na', 'nac ydw', 'Nac ydw!'])('yes-no: "%s" is no', (text) => {
    expect(typedAnswer(yesNo, text)).toBe('no');
  });

  const wouldYou = oneQuestion({
    id: 'q',
    kind: 'yes-no',
    text: { en: 'Would you know?', cy: "Fyddech chi'n gwybod?" },
    labels: { cy: { yes: 'Byddwn', no: 'Na fyddwn' } },
  });
  it.each([
    ['Byddwn', 'yes'],
    ['byddwn, wrth gwrs', 'yes'],
    ['Na fyddwn', 'no'],
    ['na fyddwn i ddim', 'no'],
  ])('yes-no: "%s" answers the question’s own Welsh words as %s', (text, value) => {
    expect(typedAnswer(wouldYou, text)).toBe(value);
  });

  it.each(['yes and no', 'not sure', 'dunno', 'no idea', 'maybe', 'banana'])('yes-no: "%s" is not clear, so it is asked again', (text) => {
    expect(typedAnswer(yesNo, text)).toBe('asked again');
  });

  const five = oneQuestion({ ...afterVisit.questions[0]!, id: 'q' });
  it.each([
    ['4', 4],
    ['four', 4],
    ['4/5', 4],
    ['5 out of 5', 5],
    ['it was ok', 3],
    ['really good', 5],
    ['bad', 2],
    ['Really bad', 1],
    ['rubbish', 1],
    ['awful', 1],
    ['amazing', 5],
    ['great', 5],
    ['fine', 3],
    ['alright', 3],
    ['not bad', 3],
    ['good', 4],
    ['Da iawn', 5],
    ['gwael', 2],
  ] as const)('rating (five points): "%s" is %i', (text, point) => {
    expect(typedAnswer(five, text)).toBe(point);
  });

  it.each(['7', '3 or 4', 'good and bad', 'purple'])('rating: "%s" is not clear, so it is asked again', (text) => {
    expect(typedAnswer(five, text)).toBe('asked again');
  });

  const three = oneQuestion({ ...communityVoice.questions[0]!, id: 'q' });
  it.each([
    ['rubbish', 1],
    ['not safe', 1],
    ['fine', 2],
    ['sometimes safe', 2],
    ['amazing', 3],
    ['safe', 3],
    ['2', 2],
  ] as const)('rating (three points): "%s" is %i', (text, point) => {
    expect(typedAnswer(three, text)).toBe(point);
  });

  const choice = oneQuestion({ ...makeSurvey().questions[1]!, id: 'q' });
  it.each([
    ['A dog please', 'dog'],
    ['goldfish', 'goldfish'],
    ['cat', 'cat'],
    ['Cath', 'cat'],
  ] as const)('single choice: "%s" is %s', (text, id) => {
    expect(typedAnswer(choice, text)).toBe(id);
  });

  it('single choice: naming two options is not clear', () => {
    expect(typedAnswer(choice, 'a cat or a dog')).toBe('asked again');
  });

  const multiple = oneQuestion({ ...communityVoice.questions[1]!, id: 'q' });
  it('multiple choice: typed text listing options is those options, in the order offered', () => {
    expect(typedAnswer(multiple, 'help for families and mental health')).toEqual(['mental-health', 'family-support']);
    expect(typedAnswer(multiple, 'Staying safe online')).toEqual(['online']);
    expect(typedAnswer(multiple, 'all of them')).toEqual(['youth-spaces', 'online', 'mental-health', 'family-support']);
    expect(typedAnswer(multiple, 'nothing here')).toBe('asked again');
  });

  it('typed "I\'d rather not say" is null on any quick-reply question', () => {
    expect(typedAnswer(yesNo, "I'd rather not say")).toBeNull();
    expect(typedAnswer(five, 'skip')).toBeNull();
    expect(typedAnswer(choice, "Byddai'n well gen i beidio â dweud")).toBeNull();
  });

  it('says back how the typed text was understood', () => {
    const { step } = last(play(afterVisit, [say('it was ok')]));
    expect(step.messages[0]).toEqual({ kind: 'ack', text: 'Got it: OK.' });
    const { step: cy } = last(play(afterVisit, [answer(3), say('nac ydw')], { lang: 'cy' }));
    expect(cy.messages[0]).toEqual({ kind: 'ack', text: 'Wedi deall: Naddo.' });
  });
});

describe('asking again', () => {
  it(`asks again kindly at most ${MAX_RETRIES} times, then moves on recording null`, () => {
    const results = play(afterVisit, [say('purple'), say('banana'), say('cheese')]);
    const [, first, second, third] = results;
    for (const [i, r] of [first!, second!].entries()) {
      const q = asQuestion(r.step);
      expect(q.questionId).toBe('visit');
      expect(q.messages).toEqual([
        { kind: 'reprompt', text: REPROMPT_EN },
        { kind: 'question', text: 'How did the visit from your social worker go?' },
      ]);
      expect(r.state.retries).toBe(i + 1);
      expect(r.state.answers).toEqual({});
    }
    const moved = asQuestion(third!.step);
    expect(moved.questionId).toBe('listened');
    expect(moved.messages[0]).toEqual({ kind: 'ack', text: "That's OK. Let's move on." });
    expect(third!.state.answers).toEqual({ visit: null });
    expect(third!.state.retries).toBe(0);
  });

  it('starts counting again at each question, and after a clear answer', () => {
    const { state } = last(play(afterVisit, [say('purple'), say('4'), say('hmm'), say('hmm')]));
    expect(state.answers).toEqual({ visit: 4 });
    expect(state.retries).toBe(2);
  });
});

describe('safety: a possible disclosure', () => {
  const isDisclosure = (text: string) => /hurt/i.test(text);

  it('puts the supportive message first, then stops asking: the child chooses what happens next', () => {
    const results = play(afterVisit, [answer(2), answer('no'), say('someone hurt me')], { isDisclosure });
    const q = asQuestion(last(results).step);
    expect(q.messages[0]).toEqual({ kind: 'support', text: SUPPORT_EN });
    expect(q.questionId).toBe(PAUSE_ID);
    expect(q.pause).toBe(true);
    expect(q.input).toBeUndefined();
    expect(q.quickReplies).toEqual([
      { value: 'carry-on', label: 'Carry on with the questions' },
      { value: 'stop', label: 'Stop here' },
      { value: 'talk', label: 'Talk to someone now' },
    ]);
    expect(texts(q.messages).join(' ')).not.toContain('better');
    expect(last(results).state.answers.good).toBe('someone hurt me');
  });

  it('carries on with the next question only when the child chooses to', () => {
    const talk = last(play(afterVisit, [answer(2), answer('no'), say('someone hurt me'), answer('talk')], { isDisclosure }));
    expect(asQuestion(talk.step).questionId).toBe(PAUSE_ID);
    const on = last(play(afterVisit, [answer(2), answer('no'), say('someone hurt me'), answer('carry-on')], { isDisclosure }));
    const q = asQuestion(on.step);
    expect(q.questionId).toBe('better');
    expect(q.messages[0]).toEqual({ kind: 'ack', text: "OK, let's carry on." });
  });

  it('"Stop here" ends calmly with the answers kept and no "you said, we did"', () => {
    const youSaidWeDid = [{ heard: 'x', did: 'y' }];
    const { state, step } = last(play(afterVisit, [answer(2), answer('no'), say('someone hurt me'), answer('stop')], { isDisclosure, youSaidWeDid }));
    const end = asEnd(step);
    expect(end.afterDisclosure).toBe(true);
    expect(end.youSaidWeDid).toEqual([]);
    expect(end.messages).toEqual([
      { kind: 'end', text: 'Thank you for telling us. You did the right thing.' },
      { kind: 'end', text: "We don't know who you are, so we can't come and help you ourselves. These people can, right now." },
    ]);
    expect(state.finished).toBe(true);
    expect(end.answers).toEqual({ visit: 2, listened: 'no', good: 'someone hurt me' });
  });

  it('ends calmly when the disclosure was the last answer', () => {
    const { step } = last(play(afterVisit, [answer(5), answer('no'), answer('they hurt me')], { isDisclosure, youSaidWeDid: [{ heard: 'x', did: 'y' }] }));
    expect(kinds(step.messages)).toEqual(['support', 'end', 'end']);
    expect(asEnd(step).youSaidWeDid).toEqual([]);
    // Through a link with a contact reference the survey can reach the child: no "we can't help".
    const known = last(play(afterVisit, [answer(5), answer('no'), answer('they hurt me')], { isDisclosure, identifiable: true }));
    expect(asEnd(known.step).whatNext).toBe('');
    expect(kinds(known.step.messages)).toEqual(['support', 'end']);
  });

  it('never says "Got it" or asks again after typed words that may be a disclosure', () => {
    const { step, state } = last(play(afterVisit, [say('he hurt me, it was bad')], { isDisclosure }));
    expect(kinds(step.messages)).toEqual(['support', 'question']);
    expect(texts(step.messages).join(' ')).not.toMatch(/Got it|Sorry/);
    expect(asQuestion(step).questionId).toBe(PAUSE_ID);
    expect(state.answers).toEqual({ visit: 2 });
  });

  it('resumes at the pause', () => {
    const { state } = last(play(afterVisit, [answer(2), answer('no'), say('someone hurt me')], { isDisclosure }));
    expect(asQuestion(currentStep(afterVisit, state)).questionId).toBe(PAUSE_ID);
  });

  it('puts it before the end of the conversation, in Welsh for Welsh', () => {
    const { step } = last(play(afterVisit, [answer(5), answer('yes'), say('they hurt me')], { isDisclosure, lang: 'cy' }));
    const end = asEnd(step);
    expect(end.messages[0]!.kind).toBe('support');
    expect(end.messages[0]!.text).toContain('Nid dy fai di');
    expect(end.messages[0]!.text).toContain('999');
    expect(end.messages[0]!.text).toContain('0800 1111');
  });

  it('says nothing extra when the text is not a disclosure, and only checks typed text', () => {
    const seen: string[] = [];
    const check = (text: string) => {
      seen.push(text);
      return false;
    };
    const results = play(afterVisit, [answer(2), say('yeah'), say('the games')], { isDisclosure: check });
    expect(results.flatMap((r) => kinds(r.step.messages))).not.toContain('support');
    expect(seen).toEqual(['yeah', 'the games']);
  });
});

describe('the end', () => {
  const finish = [answer(4), answer('yes'), say('We played football')];

  it('thanks, says what happens next, and hands over answers that pass checkAnswers', () => {
    const { state, step } = last(play(afterVisit, finish));
    const end = asEnd(step);
    expect(end.thankYou).toBe('Thank you for telling us.');
    expect(end.whatNext).toBe(afterVisit.whatNext.en);
    expect(end.youSaidWeDid).toEqual([]);
    expect(end.messages).toEqual([
      { kind: 'end', text: 'Thank you for telling us.' },
      { kind: 'end', text: afterVisit.whatNext.en },
    ]);
    expect(end.answers).toEqual({ visit: 4, listened: 'yes', good: 'We played football' });
    expect(checkAnswers(afterVisit, end.answers)).toEqual([]);
    expect(state.finished).toBe(true);
  });

  it('adds "you said, we did" items when there are any', () => {
    const youSaidWeDid = [{ heard: 'Visits were too short', did: 'Visits are now at least an hour' }];
    const end = asEnd(last(play(afterVisit, finish, { youSaidWeDid })).step);
    expect(end.youSaidWeDid).toEqual(youSaidWeDid);
    expect(texts(end.messages).slice(2)).toEqual([
      'Here is what people told us before, and what we did:',
      'You said: Visits were too short',
      'We did: Visits are now at least an hour',
    ]);
  });

  it('refuses any further reply, even start again', () => {
    const { state } = last(play(afterVisit, finish));
    for (const reply of [answer(1), back, restart, skip]) {
      expect(replyToConversation(afterVisit, state, reply)).toEqual({ error: { code: 'bad_reply', message: 'This conversation has finished.' } });
    }
  });

  it('rebuilds the end step for a finished conversation', () => {
    const { state, step } = last(play(afterVisit, finish));
    expect(currentStep(afterVisit, state)).toEqual(step);
  });
});

describe('language and age band', () => {
  it('speaks Welsh throughout a Welsh conversation', () => {
    const results = play(afterVisit, [say('porffor')], { lang: 'cy' });
    const first = asQuestion(results[0]!.step);
    expect(texts(first.messages)).toEqual([afterVisit.intro.cy, afterVisit.privacy.cy, 'Sut aeth hi pan ddaeth dy weithiwr cymdeithasol i dy weld?']);
    expect(first.quickReplies.at(0)).toEqual({ value: 1, label: 'Gwael iawn' });
    expect(first.quickReplies.at(-1)).toEqual({ value: null, label: "Byddai'n well gen i beidio â dweud" });
    expect(results[1]!.step.messages[0]!.text).toBe("Sori, wnes i ddim deall hynny'n iawn. Galli di dapio un o'r botymau, neu deipio dy ateb eto.");
    const yesNo = asQuestion(last(play(afterVisit, [answer(3)], { lang: 'cy' })).step);
    expect(yesNo.quickReplies.map((r) => r.label)).toEqual(['Do', 'Naddo', "Byddai'n well gen i beidio â dweud"]);
    const end = asEnd(last(play(afterVisit, [answer(5), answer('yes'), say('Popeth')], { lang: 'cy' })).step);
    expect(end.thankYou).toBe('Diolch am ddweud wrthon ni.');
  });

  it('speaks to Welsh-speaking adults with "chi"', () => {
    const { step } = last(play(familyRating, [answer('good')], { lang: 'cy', ageBand: 'adult' }));
    expect(asQuestion(step).input?.label).toBe('Teipiwch eich ateb');
  });

  it("uses the wording written for the respondent's age band", () => {
    expect(startConversation(makeSurvey(), { ageBand: '5-7' }).step.messages[2]!.text).toBe('Was school fun today?');
    expect(startConversation(makeSurvey(), { ageBand: '13-17' }).step.messages[2]!.text).toBe('How was school today?');
    expect(startConversation(makeSurvey(), { ageBand: '5-7', lang: 'cy' }).step.messages[2]!.text).toBe('Oedd yr ysgol yn hwyl heddiw?');
  });
});

describe('resuming from stored state', () => {
  const replies = [say('it was ok'), answer('yes'), say('Chat'), say('More time')];

  it('rebuilds the opening step exactly after a JSON round trip', () => {
    const start = startConversation(afterVisit, { lang: 'cy' });
    const stored = JSON.parse(JSON.stringify(start.state)) as ConversationState;
    expect(stored).toEqual(start.state);
    expect(currentStep(afterVisit, stored)).toEqual(start.step);
  });

  it('continues the same way from a JSON round-tripped state at every point', () => {
    const results = play(afterVisit, replies);
    results.slice(0, -1).forEach((r, i) => {
      const stored = JSON.parse(JSON.stringify(r.state)) as ConversationState;
      const resumed = currentStep(afterVisit, stored);
      expect(resumed.type === 'question' && resumed.questionId).toBe(r.step.type === 'question' && r.step.questionId);
      const fromStored = replyToConversation(afterVisit, stored, replies[i]!);
      expect(fromStored).toEqual(results[i + 1]);
    });
    expect(asEnd(last(results).step).answers).toEqual({ visit: 3, listened: 'yes', good: 'Chat', better: 'More time' });
  });

  it('keeps the quick replies, progress and back button when resumed mid-way', () => {
    const { state, step } = last(play(afterVisit, [answer(2)]));
    const resumed = asQuestion(currentStep(afterVisit, JSON.parse(JSON.stringify(state))));
    const original = asQuestion(step);
    expect({ ...resumed, messages: [] }).toEqual({ ...original, messages: [] });
    expect(resumed.messages).toEqual([{ kind: 'question', text: 'Did your social worker listen to you?' }]);
  });
});

describe('any sequence of replies', () => {
  // A small deterministic generator, so a failure is reproducible.
  function prng(seed: number) {
    return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  }
  const pool = [
    answer(1),
    answer(3),
    answer(5),
    answer('yes'),
    answer('no'),
    answer(null),
    answer(['online', 'mental-health']),
    answer('cat'),
    say('yeah'),
    say('rubbish'),
    say('blah'),
    say('great'),
    say('help for families'),
    say('hello there'),
    skip,
    back,
    back,
    restart,
  ];

  it.each([
    ['after-visit', afterVisit],
    ['family-rating', familyRating],
    ['community-voice', communityVoice],
    ['branching fixture', branching],
  ] as const)('never breaks %s: end answers pass checkAnswers and state survives JSON', (_name, def) => {
    const random = prng(42);
    let ended = 0;
    for (let run = 0; run < 40; run++) {
      let { state, step } = startConversation(def, { lang: run % 2 ? 'cy' : 'en' });
      for (let turn = 0; turn < 60 && step.type === 'question'; turn++) {
        const result = replyToConversation(def, state, pool[Math.floor(random() * pool.length)]!);
        if ('error' in result) continue;
        ({ state, step } = result);
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        expect(checkAnswers(def, state.answers)).toEqual([]);
        expect([...state.history].sort()).toEqual(Object.keys(state.answers).sort());
      }
      if (step.type === 'end') {
        ended += 1;
        expect(checkAnswers(def, step.answers)).toEqual([]);
      }
    }
    expect(ended).toBeGreaterThan(10);
  });
});
