import { expect } from 'vitest';
import {
  replyToConversation,
  startConversation,
  type ConversationOptions,
  type ConversationResult,
  type Reply,
  type Step,
} from '../../../src/domain/conversation';
import type { AnswerValue } from '../../../src/domain/survey';
import type { SurveyDefinition } from '../../../src/schemas/survey-definition';

/** A definition with one question of each kind; `extra` questions are appended (for branches). */
export function makeSurvey(extra: SurveyDefinition['questions'] = [], overrides: Partial<SurveyDefinition> = {}): SurveyDefinition {
  return {
    title: { en: 'About you', cy: 'Amdanat ti' },
    languages: ['en', 'cy'],
    ageBands: ['13-17', '5-7'],
    intro: { en: 'Hello! A few questions.', cy: 'Helo! Ychydig o gwestiynau.' },
    privacy: { en: "We won't know it's you.", cy: 'Fyddwn ni ddim yn gwybod mai ti sydd yma.' },
    thankYou: { en: 'Thanks!', cy: 'Diolch!' },
    whatNext: { en: 'We read every answer.', cy: 'Rydyn ni’n darllen pob ateb.' },
    questions: [
      {
        id: 'mood',
        kind: 'rating',
        points: 3,
        text: { en: 'How was school today?', cy: 'Sut oedd yr ysgol heddiw?' },
        textByAge: { '5-7': { en: 'Was school fun today?', cy: 'Oedd yr ysgol yn hwyl heddiw?' } },
        hint: { en: 'Pick one.', cy: 'Dewisa un.' },
        labels: [
          { en: 'Sad', cy: 'Trist' },
          { en: 'In between', cy: 'Canol' },
          { en: 'Happy', cy: 'Hapus' },
        ],
      },
      {
        id: 'pet',
        kind: 'choice',
        multiple: false,
        text: { en: 'Which pet would you like?', cy: 'Pa anifail anwes hoffet ti?' },
        options: [
          { id: 'cat', label: { en: 'A cat', cy: 'Cath' } },
          { id: 'dog', label: { en: 'A dog', cy: 'Ci' } },
          { id: 'goldfish', label: { en: 'A goldfish', cy: 'Pysgodyn aur' } },
        ],
      },
      {
        id: 'clubs',
        kind: 'choice',
        multiple: true,
        text: { en: 'Which clubs do you go to?', cy: "I ba glybiau wyt ti'n mynd?" },
        options: [
          { id: 'football', label: { en: 'Football club', cy: 'Clwb pêl-droed' } },
          { id: 'drama', label: { en: 'Drama club', cy: 'Clwb drama' } },
          { id: 'coding', label: { en: 'Coding club', cy: 'Clwb codio' } },
        ],
      },
      { id: 'safe', kind: 'yes-no', text: { en: 'Do you feel safe at school?', cy: "Wyt ti'n teimlo'n ddiogel yn yr ysgol?" } },
      { id: 'say', kind: 'text', maxLength: 20, text: { en: 'Anything else?', cy: 'Unrhyw beth arall?' } },
      ...extra,
    ],
    ...overrides,
  };
}

/** A one-question survey, for testing typed replies to a single question kind. */
export function oneQuestion(question: SurveyDefinition['questions'][number]): SurveyDefinition {
  const base = makeSurvey();
  return { ...base, questions: [question] };
}

/** Applies replies in order, failing the test on any error; returns every result. */
export function play(def: SurveyDefinition, replies: Reply[], opts: ConversationOptions & { lang?: string; ageBand?: string } = {}): ConversationResult[] {
  const results: ConversationResult[] = [startConversation(def, opts)];
  for (const reply of replies) {
    const result = replyToConversation(def, results.at(-1)!.state, reply, opts);
    if ('error' in result) throw new Error(`reply ${JSON.stringify(reply)} failed: ${result.error.message}`);
    results.push(result);
  }
  return results;
}

export const last = (results: ConversationResult[]) => results.at(-1)!;

export function asQuestion(step: Step): Extract<Step, { type: 'question' }> {
  expect(step.type).toBe('question');
  return step as Extract<Step, { type: 'question' }>;
}

export function asEnd(step: Step): Extract<Step, { type: 'end' }> {
  expect(step.type).toBe('end');
  return step as Extract<Step, { type: 'end' }>;
}

export const answer = (value: AnswerValue): Reply => ({ type: 'answer', value });
export const say = (text: string): Reply => ({ type: 'text', text });
export const skip: Reply = { type: 'skip' };
export const back: Reply = { type: 'back' };
export const restart: Reply = { type: 'restart' };
