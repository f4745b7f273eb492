import type { AgeBand } from '../../schemas/common';
import type { Question, SurveyDefinition } from '../../schemas/survey-definition';
import { checkAnswers, chooseAgeBand, chooseLanguage, resolveSurvey, visibleQuestions, type AnswerValue, type Answers, type ResolvedQuestion } from '../survey';
import type { TextAnswerAnalysis } from '../intake';
import { heardWithoutPrefix } from '../you-said';
import { matchTyped, typedCommand } from './match';
import { words, type Words } from './messages';

/**
 * A survey taken as a conversation: pure functions from (definition, state, reply) to the next
 * state and the next thing the bot says. The state is plain JSON so the API can keep it in D1
 * between replies; nothing here reads a clock, a random source or the network.
 */

export interface ConversationState {
  /** The shape of this object; bump it if the shape changes so older stored conversations are recognised. */
  version: 1;
  lang: string;
  ageBand: AgeBand;
  /** Answers so far, only ever to questions that were asked; null is "I'd rather not say". */
  answers: Answers;
  /** Ids of the questions answered, in the order they were asked: "go back" undoes the last one. */
  history: string[];
  /** Typed replies to the current question that could not be understood (0 to {@link MAX_RETRIES}). */
  retries: number;
  /** Whether the survey's privacy line has been said; it must come before any free-text prompt. */
  privacyShown: boolean;
  finished: boolean;
  /** Times "start again" was taken (absent is 0); past {@link MAX_RESTARTS} it is refused. */
  restarts?: number;
  /**
   * Text answers held back as a possible disclosure: the answer itself is stored as the withheld
   * marker and the words live only in the sealed safeguarding alert, so what the response needs
   * (themes, sentiment, the disclosure's category) is kept here as labels. The engine carries it
   * along untouched; the API keeps it in step with the answers.
   */
  withheld?: Record<string, TextAnswerAnalysis>;
  /**
   * Set by a reply that may be a disclosure: the questions stop and the child chooses (carry on,
   * stop here, talk to someone now). Absent is false.
   */
  paused?: boolean;
  /** A reply in this conversation may have been a disclosure: the end is the calm one, without "you said, we did". */
  disclosed?: boolean;
}

export type Reply = { type: 'answer'; value: AnswerValue } | { type: 'text'; text: string } | { type: 'skip' } | { type: 'back' } | { type: 'restart' };

export interface BotMessage {
  text: string;
  kind: 'intro' | 'privacy' | 'question' | 'reprompt' | 'support' | 'ack' | 'end';
}

export interface QuickReply {
  /** What to send back as `{ type: 'answer', value }`; null is "I'd rather not say". */
  value: string | number | null;
  label: string;
}

export interface YouSaidWeDid {
  heard: string;
  did: string;
  /** The language heard and did are in, where it may differ from the chat's (no Welsh yet: English). */
  lang?: string;
}

export type Step =
  | {
      type: 'question';
      questionId: string;
      messages: BotMessage[];
      /** Always present: the question's options (none for text) and, last, "I'd rather not say". */
      quickReplies: QuickReply[];
      /** Choice questions that take several options: send an array of option ids. */
      multiple?: boolean;
      /** Text questions only. */
      input?: { kind: 'text'; maxLength: number; label: string };
      /** `index` counts from 1 ("question 2 of 4"); `total` counts the questions shown for the answers so far. */
      progress: { index: number; total: number };
      canGoBack: boolean;
      /**
       * The pause after a possible disclosure ({@link PAUSE_ID}): no question, only the choices
       * {@link PAUSE_CHOICES} as quick replies. "talk" is for the browser to answer at once with
       * the numbers and links; sent here it keeps the pause.
       */
      pause?: boolean;
    }
  | {
      type: 'end';
      messages: BotMessage[];
      thankYou: string;
      whatNext: string;
      youSaidWeDid: YouSaidWeDid[];
      /** The response to store: passes `checkAnswers(def, answers)`. */
      answers: Answers;
      /** The chat held a possible disclosure: show the signpost and the calm line, no "you said, we did". */
      afterDisclosure?: boolean;
    };

export interface ConversationOptions {
  /** "You said, we did" items for the end step, already in the conversation's language. */
  youSaidWeDid?: YouSaidWeDid[];
  /** True when typed text may be a disclosure of harm; the supportive message then comes first. */
  isDisclosure?: (text: string) => boolean;
  /** Started from a link with a contact reference: the supportive message must not say "we can't see who you are". */
  identifiable?: boolean;
}

export interface ReplyError {
  /** `restart_limit`: "start again" was asked for once more than {@link MAX_RESTARTS} allows. */
  error: { code: 'bad_reply' | 'restart_limit'; message: string };
}

export type ConversationResult = { state: ConversationState; step: Step };

/** The pause step's `questionId`: not a question of the survey. */
export const PAUSE_ID = '_pause';
/** The pause step's quick-reply values, in the order shown. */
export const PAUSE_CHOICES = ['carry-on', 'stop', 'talk'] as const;

/** How many times a typed reply that can't be understood is asked again before moving on. */
export const MAX_RETRIES = 2;

/**
 * How many times one conversation may start again. Enough for a child who changes their mind
 * (or a sibling who takes over the phone); each restart keeps the transcript growing, and cycling
 * it was how one chat reached 179 KB.
 */
export const MAX_RESTARTS = 3;

/**
 * Starts a conversation: intro, privacy line, then the first question.
 *
 * @example
 * const { state, step } = startConversation(afterVisit, { lang: 'cy', ageBand: '8-12' });
 */
export function startConversation(def: SurveyDefinition, opts: { lang?: string; ageBand?: string } = {}): ConversationResult {
  const state = freshState(chooseLanguage(def, opts.lang), chooseAgeBand(def, opts.ageBand));
  return next(def, state, [], { opening: true });
}

/**
 * Takes one reply and returns the new state and the bot's next step, or a `bad_reply` error
 * (the state is then unchanged). Typed text that can't be matched to a quick reply is not an
 * error: the bot asks again, at most {@link MAX_RETRIES} times, then moves on recording null.
 *
 * @example
 * const result = replyToConversation(def, state, { type: 'text', text: 'yeah' }, { isDisclosure });
 * if ('error' in result) return c.json(result, 400);
 */
export function replyToConversation(
  def: SurveyDefinition,
  state: ConversationState,
  reply: Reply,
  opts: ConversationOptions = {},
): ConversationResult | ReplyError {
  if (state.finished) return fail('This conversation has finished.');
  const current = settle(def, state);
  const question = nextQuestion(def, current.answers);
  if (!question) return fail('This conversation has no more questions.');
  if (!isReply(reply)) return fail('A reply must be an answer, text, skip, back or restart.');
  const w = words(current.lang, current.ageBand);

  // Typed text is checked for a disclosure before anything else, so the supportive words come first.
  const typed =
    reply.type === 'text' ? reply.text : reply.type === 'answer' && question.kind === 'text' && typeof reply.value === 'string' ? reply.value : undefined;
  const lead: BotMessage[] =
    typed !== undefined && opts.isDisclosure?.(typed) ? [{ text: opts.identifiable ? w.supportIdentifiable : w.support, kind: 'support' }] : [];

  if (current.paused) return afterPause(def, current, reply, lead, w, opts);

  switch (reply.type) {
    case 'restart':
      return startAgain(def, current, lead, w, opts);
    case 'back':
      return goBack(def, current, lead, w, opts) ?? fail('There is no earlier question to go back to.');
    case 'skip':
      return record(def, current, question, null, lead, opts);
    case 'answer':
      if (question.kind === 'text' && typed !== undefined) return answerText(def, current, question, typed, lead, opts);
      return answerValue(def, current, question, reply.value, lead, opts);
    case 'text':
      if (question.kind === 'text') return answerText(def, current, question, reply.text, lead, opts);
      return answerTyped(def, current, question, reply.text, lead, w, opts);
  }
}

/**
 * The step for the conversation as it stands, for resuming after the tab was closed.
 * Repeats no one-off lines (acknowledgements, asking again, support). Before a free-text question
 * it says the privacy line again, because the person may be reading on a fresh page.
 */
export function currentStep(def: SurveyDefinition, state: ConversationState, opts: ConversationOptions = {}): Step {
  const current = settle(def, state);
  const opening = current.history.length === 0 && !current.finished;
  // privacyShown: false so a resumed free-text question is preceded by the privacy line again.
  return next(def, { ...current, privacyShown: false }, [], { opening }, opts).step;
}

// ---------------------------------------------------------------------------------------------

/**
 * A reply to the pause after a disclosure: carry on with the questions, stop here (the calm end,
 * with the answers so far kept), or anything else, which keeps the pause (typed words are still
 * screened by the caller, and a new disclosure brings the supportive message again).
 */
function afterPause(
  def: SurveyDefinition,
  state: ConversationState,
  reply: Reply,
  lead: BotMessage[],
  w: Words,
  opts: ConversationOptions,
): ConversationResult | ReplyError {
  const resumed = { ...state, paused: false };
  if (reply.type === 'restart') return startAgain(def, resumed, lead, w, opts);
  if (reply.type === 'back') return goBack(def, resumed, lead, w, opts) ?? fail('There is no earlier question to go back to.');
  if (reply.type === 'answer' && reply.value === 'carry-on') return next(def, resumed, [{ text: w.carryingOn, kind: 'ack' }], { opening: false }, opts);
  if (reply.type === 'answer' && reply.value === 'stop') return end(def, resumed, [], opts);
  if (reply.type === 'answer' && !PAUSE_CHOICES.includes(reply.value as never)) return fail(`While paused, answer one of ${PAUSE_CHOICES.join(', ')}.`);
  return next(def, state, lead, { opening: false }, opts);
}

function freshState(lang: string, ageBand: AgeBand, restarts = 0): ConversationState {
  return { version: 1, lang, ageBand, answers: {}, history: [], retries: 0, privacyShown: false, finished: false, ...(restarts ? { restarts } : {}) };
}

function startAgain(def: SurveyDefinition, state: ConversationState, lead: BotMessage[], w: Words, opts: ConversationOptions): ConversationResult | ReplyError {
  const restarts = (state.restarts ?? 0) + 1;
  if (restarts > MAX_RESTARTS) {
    return {
      error: {
        code: 'restart_limit',
        message: `This chat has already started again ${MAX_RESTARTS} times. Carry on from here, or choose "${w.ratherNotSay}" to move on.`,
      },
    };
  }
  return next(def, freshState(state.lang, state.ageBand, restarts), [...lead, { text: w.startAgain, kind: 'ack' }], { opening: true }, opts);
}

const fail = (message: string): ReplyError => ({ error: { code: 'bad_reply', message } });

function isReply(reply: unknown): reply is Reply {
  if (!reply || typeof reply !== 'object') return false;
  const r = reply as { type?: unknown; text?: unknown; value?: unknown };
  switch (r.type) {
    case 'answer':
      return 'value' in r;
    case 'text':
      return typeof r.text === 'string';
    case 'skip':
    case 'back':
    case 'restart':
      return true;
    default:
      return false;
  }
}

/**
 * Keeps only answers the definition accepts in order (branch taken, value valid), and the
 * history to match. A no-op for states this module made; it protects against a definition
 * edited while a conversation was open, and makes the end step's answers pass checkAnswers.
 */
function settle(def: SurveyDefinition, state: ConversationState): ConversationState {
  const rejected = new Set(checkAnswers(def, state.answers).map((p) => p.path));
  const answers: Answers = {};
  for (const q of def.questions) {
    if (q.id in state.answers && !rejected.has(`answers.${q.id}`)) answers[q.id] = state.answers[q.id]!;
  }
  const history = state.history.filter((id, i) => id in answers && state.history.indexOf(id) === i);
  return { ...state, answers, history };
}

/** The first question shown for these answers that has no answer yet. */
function nextQuestion(def: SurveyDefinition, answers: Answers): Question | undefined {
  return visibleQuestions(def.questions, answers).find((q) => !(q.id in answers));
}

function record(
  def: SurveyDefinition,
  state: ConversationState,
  question: Question,
  value: AnswerValue,
  lead: BotMessage[],
  opts: ConversationOptions,
): ConversationResult {
  const answered = settle(def, {
    ...state,
    answers: { ...state.answers, [question.id]: value },
    history: [...state.history, question.id],
    retries: 0,
  });
  return next(def, answered, lead, { opening: false }, opts);
}

function answerValue(
  def: SurveyDefinition,
  state: ConversationState,
  question: Question,
  raw: AnswerValue,
  lead: BotMessage[],
  opts: ConversationOptions,
): ConversationResult | ReplyError {
  // One tapped option of a multiple-choice question is a list of one.
  const value = question.kind === 'choice' && question.multiple && typeof raw === 'string' ? [raw] : raw;
  const problem = checkAnswers(def, { ...state.answers, [question.id]: value }).find((p) => p.path === `answers.${question.id}`);
  if (problem) return fail(`The answer to ${question.id} ${problem.message}.`);
  return record(def, state, question, value, lead, opts);
}

function answerText(
  def: SurveyDefinition,
  state: ConversationState,
  question: Question & { kind: 'text' },
  text: string,
  lead: BotMessage[],
  opts: ConversationOptions,
): ConversationResult | ReplyError {
  const value = text.trim();
  if (value === '') return fail(`Type an answer, or choose "${words(state.lang, state.ageBand).ratherNotSay}".`);
  // Counted in characters as people see them, the same way checkAnswers counts.
  if ([...value].length > question.maxLength) return fail(`The answer to ${question.id} must be at most ${question.maxLength} characters.`);
  return answerValue(def, state, question, value, lead, opts);
}

function answerTyped(
  def: SurveyDefinition,
  state: ConversationState,
  question: Question,
  text: string,
  lead: BotMessage[],
  w: Words,
  opts: ConversationOptions,
): ConversationResult | ReplyError {
  const command = typedCommand(text);
  if (command === 'restart') return startAgain(def, state, lead, w, opts);
  if (command === 'back') {
    const back = goBack(def, state, lead, w, opts);
    if (back) return back;
  }

  const match = matchTyped(question, text);
  if (match && !checkAnswers(def, { ...state.answers, [question.id]: match.value }).some((p) => p.path === `answers.${question.id}`)) {
    const label = labelFor(def, state, question.id, match.value, w);
    // After a possible disclosure, "Got it: Bad." would be the wrong thing to say next.
    return record(def, state, question, match.value, lead.length ? lead : [{ text: w.understood(label), kind: 'ack' }], opts);
  }
  if (state.retries >= MAX_RETRIES || lead.length) {
    return record(def, state, question, null, lead.length ? lead : [{ text: w.moveOn, kind: 'ack' }], opts);
  }
  return next(def, { ...state, retries: state.retries + 1 }, [{ text: w.reprompt, kind: 'reprompt' }], { opening: false }, opts);
}

function goBack(def: SurveyDefinition, state: ConversationState, lead: BotMessage[], w: Words, opts: ConversationOptions): ConversationResult | undefined {
  const previous = state.history.at(-1);
  if (previous === undefined) return undefined;
  const answers = { ...state.answers };
  delete answers[previous];
  const back = settle(def, { ...state, answers, history: state.history.slice(0, -1), retries: 0 });
  return next(def, back, [...lead, { text: w.goBack, kind: 'ack' }], { opening: false }, opts);
}

/** How a matched value reads back to the respondent: its quick-reply label(s). */
function labelFor(def: SurveyDefinition, state: ConversationState, questionId: string, value: AnswerValue, w: Words): string {
  if (value === null) return w.ratherNotSay;
  const q = resolveSurvey(def, state.lang, state.ageBand).questions.find((x) => x.id === questionId);
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => q?.options?.find((o) => o.value === v)?.label ?? String(v)).join(', ');
}

/** Builds the step after `lead`: the next question (with intro and privacy when due) or the end. */
function next(
  def: SurveyDefinition,
  state: ConversationState,
  lead: BotMessage[],
  how: { opening: boolean },
  opts: ConversationOptions = {},
): ConversationResult {
  const survey = resolveSurvey(def, state.lang, state.ageBand);
  const w = words(state.lang, state.ageBand);
  const messages = [...lead];
  let privacyShown = state.privacyShown;
  if (how.opening) {
    messages.push({ text: survey.intro, kind: 'intro' }, { text: survey.privacy, kind: 'privacy' });
    privacyShown = true;
  }

  // A possible disclosure: the child comes first, so the questions stop until they choose.
  const disclosedNow = lead.some((m) => m.kind === 'support');
  const flagged = disclosedNow ? { ...state, disclosed: true } : state;
  const question = nextQuestion(def, flagged.answers);
  // A conversation ended early (a length limit) stays ended, whatever questions are left.
  if (!question || flagged.finished) return end(def, { ...flagged, privacyShown, paused: false }, messages, opts);
  if (disclosedNow || flagged.paused) return pauseStep(def, { ...flagged, privacyShown, paused: true }, messages, question, w);

  const resolved = survey.questions.find((q) => q.id === question.id)!;
  if (resolved.kind === 'text' && !privacyShown) {
    messages.push({ text: survey.privacy, kind: 'privacy' });
    privacyShown = true;
  }
  messages.push({ text: resolved.text, kind: 'question' });
  if (resolved.hint) messages.push({ text: resolved.hint, kind: 'question' });

  const shown = visibleQuestions(survey.questions, state.answers);
  return {
    state: { ...state, privacyShown },
    step: {
      type: 'question',
      questionId: resolved.id,
      messages,
      quickReplies: quickReplies(resolved, w),
      ...(resolved.multiple ? { multiple: true } : {}),
      ...(resolved.kind === 'text' ? { input: { kind: 'text' as const, maxLength: resolved.maxLength ?? 1000, label: w.inputLabel } } : {}),
      progress: { index: shown.findIndex((q) => q.id === resolved.id) + 1, total: shown.length },
      canGoBack: state.history.length > 0,
    },
  };
}

/** The pause after a possible disclosure: the support already said, then the three choices. */
function pauseStep(def: SurveyDefinition, state: ConversationState, messages: BotMessage[], question: Question, w: Words): ConversationResult {
  const shown = visibleQuestions(def.questions, state.answers);
  const labels: Record<(typeof PAUSE_CHOICES)[number], string> = { 'carry-on': w.carryOn, stop: w.stopHere, talk: w.talkNow };
  return {
    state,
    step: {
      type: 'question',
      questionId: PAUSE_ID,
      messages: [...messages, { text: w.pauseAsk, kind: 'question' }],
      quickReplies: PAUSE_CHOICES.map((value) => ({ value, label: labels[value] })),
      progress: { index: shown.findIndex((q) => q.id === question.id) + 1, total: shown.length },
      canGoBack: false,
      pause: true,
    },
  };
}

/**
 * The end step: thank you, what happens next, "you said, we did"; the answers so far are the
 * response. After a possible disclosure only the calm line: no cheerful list of what others said.
 */
function end(def: SurveyDefinition, state: ConversationState, messages: BotMessage[], opts: ConversationOptions): ConversationResult {
  const survey = resolveSurvey(def, state.lang, state.ageBand);
  const w = words(state.lang, state.ageBand);
  if (state.disclosed) {
    // Where the survey can't reach the child, it says so; through a contact reference it can.
    const honest = opts.identifiable ? '' : w.cantReachYou;
    messages.push({ text: w.disclosureThanks, kind: 'end' }, ...(honest ? [{ text: honest, kind: 'end' as const }] : []));
    return {
      state: { ...state, retries: 0, finished: true, paused: false },
      step: { type: 'end', messages, thankYou: w.disclosureThanks, whatNext: honest, youSaidWeDid: [], answers: { ...state.answers }, afterDisclosure: true },
    };
  }
  const youSaidWeDid = opts.youSaidWeDid ?? [];
  messages.push({ text: survey.thankYou, kind: 'end' }, { text: survey.whatNext, kind: 'end' });
  if (youSaidWeDid.length > 0) {
    messages.push({ text: w.youSaidWeDidIntro, kind: 'end' });
    for (const item of youSaidWeDid) messages.push({ text: w.youSaid(heardWithoutPrefix(item.heard)), kind: 'end' }, { text: w.weDid(item.did), kind: 'end' });
  }
  return {
    state: { ...state, retries: 0, finished: true },
    step: { type: 'end', messages, thankYou: survey.thankYou, whatNext: survey.whatNext, youSaidWeDid, answers: { ...state.answers } },
  };
}

/**
 * Ends the conversation now, with the answers given so far, when it has reached a length limit
 * (see the API's caps): the child is thanked and told why, and the answers are kept rather than
 * lost. `lead` is what must still come first (the supportive message after a possible disclosure).
 *
 * @example
 * const ended = endConversation(def, result.state, supportLines, { youSaidWeDid });
 */
export function endConversation(def: SurveyDefinition, state: ConversationState, lead: BotMessage[] = [], opts: ConversationOptions = {}): ConversationResult {
  const current = settle(def, state);
  const w = words(current.lang, current.ageBand);
  return end(def, current, [...lead, { text: w.endedEarly, kind: 'end' }], opts);
}

function quickReplies(q: ResolvedQuestion, w: Words): QuickReply[] {
  return [...(q.options ?? []).map((o) => ({ value: o.value, label: o.label })), { value: null, label: w.ratherNotSay }];
}
