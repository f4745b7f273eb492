import { findConversation, hourOf, insertConversation, saveConversation, youSaidWeDidFor, type Conversation, type TranscriptLine } from '../db/conversations';
import { addToOpenAlert, findAlert, insertChatAlertStatements } from '../db/alerts';
import { findLinkByTokenHash, isUsable, type FeedbackLink } from '../db/links';
import type { SurveyWithDefinition } from '../db/surveys';
import { analyseText, type Disclosure, type TextAnalysis } from '../domain/analysis';
import { signpostFor, withIdentifiablePrivacy } from '../domain/privacy';
import {
  currentStep,
  endConversation,
  replyToConversation,
  startConversation,
  type BotMessage,
  type ConversationState,
  type Reply,
  type Step,
} from '../domain/conversation';
import { analysisContext, reviewAnalysis, WITHHELD, withheldAnalysis, type TextAnswerAnalysis, type WithheldAnswers } from '../domain/intake';
import type { Concern } from '../domain/analysis/types';
import { insertLooseReviewStatement } from '../db/reviews';
import { newReview } from './reviews';
import { chooseAgeBand } from '../domain/survey';
import { newId, randomSecret, sameDigest, sha256Hex } from '../lib/crypto';
import { ApiError, closedSurvey, conflict, forbidden, linkUnusable, notFound } from '../lib/errors';
import { seal, unseal } from '../lib/seal';
import { Lru } from '../lib/lru';
import { nowIso } from '../lib/time';
import { parseOrThrow } from '../lib/validate';
import { ResponseSubmissionSchema } from '../schemas/api';
import type { ReplyBody, StartConversationInput } from '../schemas/conversation';
import type { SurveyDefinition } from '../schemas/survey-definition';
import { announceAlert, type AlertRaised } from './alert-webhook';
import { newAlert, placeOf } from './alerts';
import { acceptSubmission, linkFor } from './intake';
import { publishedSurvey } from './published-surveys';
import { taxonomyFor } from './taxonomy';

/**
 * A survey taken as a chat: starting one, resuming it and replying to it. The resume token is the
 * only key: it is created here, shown once, stored only as its SHA-256, and kept by the device in
 * sessionStorage.
 */

/**
 * The most replies one chat takes: the reply that reaches it ends the chat with the answers so
 * far, as the last question would. 60 is several times what the demo surveys need (4 questions,
 * each at most 3 tries); a survey with more than 30 questions gets twice its question count.
 */
export const MAX_TURNS = 60;
export const maxTurns = (def: SurveyDefinition) => Math.max(MAX_TURNS, 2 * def.questions.length);

/**
 * The most a chat's stored state and transcript may take, in bytes of JSON. A reply that would
 * go past it ends the chat (with the answers kept), and the oldest transcript lines are dropped to
 * fit: the transcript is only there to show on a reload. 32 KB is the request body limit too.
 */
export const MAX_STORED_BYTES = 32 * 1024;

export interface ChatOptions {
  /** The text analysis (redaction and disclosure check); the pipeline's own unless a test swaps it. */
  analyse?: (text: string) => Pick<TextAnalysis, 'redacted' | 'disclosure'> & Partial<Pick<TextAnalysis, 'triage' | 'concern'>>;
  /** How the alert webhook is called; `fetch` unless a test swaps it. */
  fetcher?: typeof fetch;
}

/** Work that must outlive the reply (the request's `executionCtx.waitUntil`). */
export type WaitUntil = (work: Promise<unknown>) => void;

/** Starts a chat on a published survey: the first step, and the resume token to give the device once. */
export async function startChat(db: D1Database, surveyId: string, input: StartConversationInput) {
  const survey = await publishedSurvey(db, surveyId);
  if (survey.status === 'closed') throw closedSurvey();
  const link = input.link ? await usableLink(db, input.link, survey) : null;
  const def = link?.link.identifiable ? withIdentifiablePrivacy(survey.definition, chooseAgeBand(survey.definition, input.ageBand)) : survey.definition;

  const { state, step } = startConversation(def, { lang: input.lang, ageBand: input.ageBand });
  const resumeToken = randomSecret('hr_', 32);
  const conversation: Conversation = {
    id: newId(),
    surveyId: survey.id,
    tokenHash: await sha256Hex(resumeToken),
    linkHash: link?.hash ?? null,
    state,
    transcript: botLines(step.messages),
    turn: 0,
    finished: false,
    updatedHour: hourOf(new Date()),
    alertId: null,
  };
  await insertConversation(db, conversation);
  return { conversationId: conversation.id, resumeToken, lang: state.lang, turn: 0, step: publicStep(step) };
}

const surveyOfConversation = new Lru<string, string>(10_000);

/**
 * The survey a conversation belongs to, for CORS. It never changes, so it is remembered in the
 * isolate: a chat's replies then cost no read beyond the reply's own.
 */
export async function surveyIdOfConversation(db: D1Database, conversationId: string): Promise<string | null> {
  const known = surveyOfConversation.get(conversationId);
  if (known) return known;
  const conversation = await findConversation(db, conversationId);
  if (conversation) surveyOfConversation.set(conversationId, conversation.surveyId);
  return conversation?.surveyId ?? null;
}

/** A conversation opened for resuming or replying: its survey (live or closed), the link it was started from, and the definition to speak from. */
interface OpenConversation {
  conversation: Conversation;
  survey: SurveyWithDefinition;
  def: SurveyDefinition;
  link: FeedbackLink | null;
}

/**
 * The conversation, its survey (live or closed), the link it was started from, and the definition
 * to speak from (with the identifiable privacy line for a link with a contact reference).
 */
async function openConversation(db: D1Database, id: string): Promise<OpenConversation> {
  const conversation = await findConversation(db, id);
  if (!conversation) throw notFound('conversation');
  const survey = await publishedSurvey(db, conversation.surveyId);
  const found = conversation.linkHash ? await findLinkByTokenHash(db, conversation.linkHash) : null;
  const link = found && found.surveyId === survey.id ? found : null;
  const def = link?.identifiable ? withIdentifiablePrivacy(survey.definition, conversation.state.ageBand) : survey.definition;
  return { conversation, survey, def, link };
}

/** The chat so far, for the device holding its resume token: the transcript and the current step. */
export async function resumeChat(db: D1Database, conversationId: string, resumeToken: string | undefined) {
  const { conversation, survey, def } = await openConversation(db, conversationId);
  await checkToken(conversation, resumeToken);
  const { state } = conversation;
  const youSaidWeDid = await youSaidWeDidFor(db, survey.id, state.lang);
  return {
    conversationId: conversation.id,
    lang: state.lang,
    finished: conversation.finished,
    turn: conversation.turn,
    step: publicStep(currentStep(def, state, { youSaidWeDid })),
    transcript: conversation.transcript,
  };
}

/**
 * Takes one reply: screens it, moves the chat on, and stores the response when the chat ends.
 * `readReply` parses the rest of the body; it is called only once the token and the chat's state
 * are checked, so a missing token is 403 rather than 400. Alerts are announced through `waitUntil`.
 */
export async function sendReply(
  env: Env,
  conversationId: string,
  resumeToken: unknown,
  readReply: () => Pick<ReplyBody, 'answer' | 'turn'>,
  opts: ChatOptions & { waitUntil: WaitUntil },
) {
  const { conversation, survey, def, link } = await openConversation(env.DB, conversationId);
  await checkToken(conversation, resumeToken);
  if (conversation.finished) throw finishedError();
  if (survey.status === 'closed') throw closedSurvey();
  const { answer: reply, turn } = readReply();

  const before = conversation.state;
  const screen = screener(opts.analyse ?? analyseText);
  const asked = currentStep(def, before);
  const typed = typedText(reply, asked);
  const disclosure = typed === undefined ? null : screen(typed).disclosure;
  const concern = typed === undefined || disclosure ? null : screen(typed).concern;
  // Raised before anything else can fail: whatever happens to this reply (a bad answer, a
  // clash with another reply, a link used up), a possible disclosure reaches the safeguarding
  // lead with the words as typed. Quick-reply questions keep no typed text, so this is the only place.
  let alertId = conversation.alertId;
  if (typed !== undefined && disclosure) {
    const raised = await raiseChatAlert(env, { conversation, survey, link, text: typed, disclosure });
    alertId = raised.alertId;
    if (raised.created) opts.waitUntil(announceAlert(env, raised.created, opts.fetcher));
  }
  // An answer for review is sealed into the review queue as it is typed, for the same reason: a
  // chat left unfinished is never stored as a response, and the words must not be lost with it.
  if (typed !== undefined && concern && asked.type === 'question') {
    await raiseChatReview(env, { conversation, survey, link, questionId: asked.questionId, text: typed, concern });
  }
  // Checked after the screening above, so even a stale resend of a disclosure reaches the lead.
  if (turn !== undefined && turn !== conversation.turn) throw staleReply();

  const youSaidWeDid = await youSaidWeDidFor(env.DB, survey.id, before.lang);
  const identifiable = link?.identifiable ?? false;
  const engine = { youSaidWeDid, identifiable, isDisclosure: (text: string) => screen(text).disclosure !== null };
  const result = replyToConversation(def, before, reply, engine);
  if ('error' in result) throw replyError(result.error);
  const replyFlagged = disclosure !== null || concern !== null;

  // What is kept of this reply: typed text redacted, or, when it may be a disclosure, only the
  // withheld marker (the words are in the sealed alert), as a response row keeps it.
  const flaggedAnswer =
    typed !== undefined && (disclosure || concern) && asked.type === 'question' && asked.input
      ? {
          questionId: asked.questionId,
          analysis: await analysisOfWithheld(env.DB, survey, def, result.state, typed, (r) =>
            disclosure ? withheldAnalysis(r, disclosure) : reviewAnalysis(r, concern!),
          ),
        }
      : undefined;
  const you = yourLine(reply, asked, typed === undefined ? undefined : disclosure || concern ? WITHHELD : screen(typed).redacted);
  const keep = (after: ConversationState) => keptState(def, before, after, (text) => screen(text).redacted, flaggedAnswer);
  const transcriptWith = (messages: BotMessage[]) => [...conversation.transcript, ...(you ? [you] : []), ...botLines(messages)];

  // The caps: the reply that reaches the turn limit, or would take the stored chat past its
  // size, ends the chat here with the answers so far, still stored as a response.
  let { state: after, step } = result;
  let state = keep(after);
  let transcript = transcriptWith(step.messages);
  if (step.type !== 'end' && (conversation.turn + 1 >= maxTurns(def) || storedBytes(state, transcript) > MAX_STORED_BYTES)) {
    ({ state: after, step } = endConversation(
      def,
      after,
      step.messages.filter((m) => m.kind === 'support'),
      engine,
    ));
    state = keep(after);
    transcript = transcriptWith(step.messages);
  }
  transcript = fitted(state, transcript);

  // A finished chat becomes one response through intake, with the conversation's id as the
  // response id: a retry after a failure below finds it stored and stores nothing more.
  // Its answers are the ones kept above (redacted, or withheld with their analysis); intake
  // redacts again, which changes nothing. If the chat raised an alert it holds the original
  // words, so intake raises none of its own.
  let responseFlagged = false;
  if (step.type === 'end') {
    const submission = parseOrThrow(ResponseSubmissionSchema, { id: conversation.id, answers: state.answers, lang: state.lang, ageBand: state.ageBand });
    const outcome = await acceptSubmission(env, survey, submission, {
      ...(conversation.linkHash ? { linkTokenHash: conversation.linkHash } : {}),
      alertAlreadyRaised: alertId !== null,
      waitUntil: opts.waitUntil,
      ...(state.withheld ? { withheld: state.withheld } : {}),
    });
    responseFlagged = outcome.flagged;
    if (outcome.alert) opts.waitUntil(announceAlert(env, outcome.alert, opts.fetcher));
  }

  const saved = await saveConversation(
    env.DB,
    { id: conversation.id, state, transcript, finished: step.type === 'end', updatedHour: hourOf(new Date()) },
    conversation.turn,
  );
  if (!saved) {
    const now = await findConversation(env.DB, conversation.id);
    if (now?.finished) throw finishedError();
    throw conflict('reply_conflict', 'Another reply to this conversation arrived at the same moment. Fetch the conversation and try again.');
  }
  // The signpost comes with every step that follows a disclosure: the pause, and the calm end.
  const afterDisclosure = (step.type === 'question' && step.pause === true) || (step.type === 'end' && step.afterDisclosure === true);
  return {
    step: publicStep(step),
    turn: conversation.turn + 1,
    ...(replyFlagged || responseFlagged || afterDisclosure ? { signpost: signpostFor(identifiable, state.lang, state.ageBand) } : {}),
  };
}

const staleReply = () =>
  conflict(
    'reply_conflict',
    'This reply is for an earlier turn: it was already received, or another reply came first. Fetch the conversation to see where it is.',
  );

const finishedError = () => conflict('conversation_finished', 'This conversation has finished. Fetch it to see the end.');

async function checkToken(conversation: Conversation, token: unknown): Promise<void> {
  if (typeof token !== 'string' || token === '') throw forbidden('Send the resume token this conversation was started with.');
  if (!sameDigest(await sha256Hex(token), conversation.tokenHash)) throw forbidden('Send the resume token this conversation was started with.');
}

/** Checked at the start so nobody answers a whole chat only to be told the link can't be used. */
async function usableLink(db: D1Database, token: string, survey: SurveyWithDefinition): Promise<{ hash: string; link: FeedbackLink }> {
  const hash = await sha256Hex(token);
  const link = await linkFor(db, hash, survey);
  if (!isUsable(link, nowIso())) throw linkUnusable();
  return { hash, link };
}

/**
 * Puts a flagged reply's original words in the conversation's safeguarding alert: a new alert the
 * first time; added to the same alert while it waits; a new one if the last was already
 * acknowledged. Returns the conversation's alert id and, when one was queued, what to announce.
 */
async function raiseChatAlert(
  env: Env,
  input: { conversation: Conversation; survey: SurveyWithDefinition; link: FeedbackLink | null; text: string; disclosure: Disclosure },
): Promise<{ alertId: string; created?: AlertRaised }> {
  const { conversation, survey, link, text, disclosure } = input;
  const db = env.DB;
  const secret = env.ALERT_KEY;
  let previous = conversation.alertId;
  // Two tries: a reply sent at the same moment may claim the conversation first; then add to its alert.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (previous) {
      const open = await findAlert(db, { partnershipId: survey.partnershipId, partnerId: null }, previous);
      if (open && open.status !== 'acknowledged') {
        const [earlierText, earlierEvidence] = await Promise.all([unseal(secret, open.textSealed), unseal(secret, open.evidenceSealed)]);
        // A retried reply adds nothing new.
        if (earlierText.split('\n\n').includes(text)) return { alertId: previous };
        const added = await addToOpenAlert(db, previous, {
          textSealed: await seal(secret, `${earlierText}\n\n${text}`),
          evidenceSealed: await seal(secret, `${earlierEvidence}\n${disclosure.evidence}`),
          current: disclosure.current,
        });
        if (added) return { alertId: previous };
      }
    }
    const now = new Date();
    const place = placeOf(survey, link);
    const alert = await newAlert(secret, place, disclosure, { text, evidence: disclosure.evidence }, now, newId());
    const [, inserted] = await db.batch(insertChatAlertStatements(db, alert, conversation.id, previous));
    if (inserted!.meta.changes === 1) {
      return { alertId: alert.id, created: { id: alert.id, partnershipId: alert.partnershipId, category: alert.category, current: alert.current } };
    }
    previous = (await findConversation(db, conversation.id))?.alertId ?? null;
  }
  // Unreachable in practice (it would take three replies racing); fail loudly rather than lose the words.
  throw new Error('could not queue the safeguarding alert for a conversation');
}

/**
 * Seals a reply for review into the queue, keyed to the conversation (whose id becomes the
 * response's) and the question: one statement, and a resend of the same words is a no-op.
 */
async function raiseChatReview(
  env: Env,
  input: { conversation: Conversation; survey: SurveyWithDefinition; link: FeedbackLink | null; questionId: string; text: string; concern: Concern },
): Promise<void> {
  const { conversation, survey, link } = input;
  const place = placeOf(survey, link);
  const review = await newReview(
    env.ALERT_KEY,
    place,
    { responseId: conversation.id, questionId: input.questionId, text: input.text, concern: input.concern },
    new Date(),
    'rules',
  );
  await insertLooseReviewStatement(env.DB, review).run();
}

/** Runs the analysis at most once per text in a request: the possible disclosure or concern for review, if any, and the redacted form. */
function screener(analyse: NonNullable<ChatOptions['analyse']>) {
  const seen = new Map<string, { disclosure: Disclosure | null; concern: Concern | null; redacted: string }>();
  return (text: string) => {
    let found = seen.get(text);
    if (!found) {
      const analysis = analyse(text);
      found = { disclosure: analysis.disclosure, concern: analysis.triage === 'review' ? (analysis.concern ?? null) : null, redacted: analysis.redacted };
      seen.set(text, found);
    }
    return found;
  };
}

/** What the respondent typed in this reply, if anything (free text, or text typed for a quick reply). */
function typedText(reply: Reply, asked: Step): string | undefined {
  if (reply.type === 'text') return reply.text;
  if (reply.type === 'answer' && asked.type === 'question' && asked.input && typeof reply.value === 'string') return reply.value;
  return undefined;
}

/**
 * The respondent's line in the transcript: the chosen quick reply's label, or the typed text
 * redacted. "Go back" and "start again" add no line of their own; the bot's reply says it.
 */
function yourLine(reply: Reply, asked: Step, redactedTyped: string | undefined): TranscriptLine | undefined {
  if (redactedTyped !== undefined) return { from: 'you', text: redactedTyped };
  if (asked.type !== 'question') return undefined;
  const label = (value: unknown) => asked.quickReplies.find((q) => q.value === value)?.label ?? String(value);
  switch (reply.type) {
    case 'skip':
      return { from: 'you', text: label(null) };
    case 'answer':
      return { from: 'you', text: Array.isArray(reply.value) ? reply.value.map(label).join(', ') : label(reply.value) };
    default:
      return undefined;
  }
}

/**
 * The state as stored: text answers are only ever redacted, and an answer that may be a
 * disclosure only the withheld marker, with its analysis in `withheld`. Anything new since
 * `before` is redacted (or withheld) now; `withheld` keeps entries only for answers still withheld.
 */
function keptState(
  def: SurveyDefinition,
  before: ConversationState,
  after: ConversationState,
  redact: (text: string) => string,
  flagged: { questionId: string; analysis: TextAnswerAnalysis } | undefined,
): ConversationState {
  const { withheld: _earlier, ...rest } = after;
  const answers = { ...after.answers };
  const withheld: WithheldAnswers = {};
  for (const q of def.questions) {
    const value = answers[q.id];
    if (q.kind !== 'text' || typeof value !== 'string') continue;
    if (flagged && flagged.questionId === q.id && value !== before.answers[q.id]) {
      answers[q.id] = WITHHELD;
      withheld[q.id] = flagged.analysis;
    } else if (value !== before.answers[q.id]) {
      answers[q.id] = redact(value);
    } else {
      const kept = value === WITHHELD ? before.withheld?.[q.id] : undefined;
      if (kept) withheld[q.id] = kept;
    }
  }
  return { ...rest, answers, ...(Object.keys(withheld).length > 0 ? { withheld } : {}) };
}

/**
 * What the response needs of a withheld answer, analysed now while the words are at hand (with
 * the partnership's themes and the rating given so far, as intake would), kept as labels only.
 */
async function analysisOfWithheld(
  db: D1Database,
  survey: SurveyWithDefinition,
  def: SurveyDefinition,
  state: ConversationState,
  text: string,
  kept: (analysis: TextAnalysis) => TextAnswerAnalysis,
): Promise<TextAnswerAnalysis> {
  const { taxonomy } = await taxonomyFor(db, survey.partnershipId);
  return kept(analyseText(text, analysisContext(def, state.answers, taxonomy)));
}

const encoder = new TextEncoder();
const storedBytes = (state: ConversationState, transcript: TranscriptLine[]) =>
  encoder.encode(JSON.stringify(state)).length + encoder.encode(JSON.stringify(transcript)).length;

/** The transcript with its oldest lines dropped until the stored chat fits {@link MAX_STORED_BYTES}. */
function fitted(state: ConversationState, transcript: TranscriptLine[]): TranscriptLine[] {
  let size = storedBytes(state, transcript);
  let drop = 0;
  // Each line costs its JSON and a comma: counted once, so a long transcript is not re-serialised per line.
  while (drop < transcript.length && size > MAX_STORED_BYTES) size -= encoder.encode(JSON.stringify(transcript[drop++])).length + 1;
  return transcript.slice(drop);
}

/** The engine's refusal as an API error: a reply it can't take (400), or one restart too many (409). */
function replyError(error: { code: 'bad_reply' | 'restart_limit'; message: string }): ApiError {
  if (error.code === 'restart_limit') return conflict('restart_limit', error.message);
  return new ApiError(400, 'bad_reply', error.message, [{ path: 'answer', message: error.message }]);
}

const botLines = (messages: BotMessage[]): TranscriptLine[] => messages.map((m) => ({ from: 'bot', text: m.text, kind: m.kind }));

/** The step as the browser sees it: the end step's answers are for storing, not for sending back. */
function publicStep(step: Step) {
  if (step.type !== 'end') return step;
  const { answers: _answers, ...shown } = step;
  return shown;
}
