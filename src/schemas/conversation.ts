import * as v from 'valibot';
import { AgeBandSchema, LanguageSchema, UuidSchema } from './common';
import { SignpostSchema } from './api';

/** `POST /api/v1/surveys/:id/conversations`: every field optional, and the body may be empty. */
export const StartConversationSchema = v.strictObject({
  /** Falls back to English when the survey doesn't offer it, as `GET /api/v1/surveys/:id` does. */
  lang: v.optional(LanguageSchema),
  ageBand: v.optional(AgeBandSchema),
  link: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,100}$/, 'is not a feedback link token'))),
});
export type StartConversationInput = v.InferInput<typeof StartConversationSchema>;

const ResumeToken = v.pipe(v.string(), v.maxLength(200));
const Typed = v.pipe(v.string(), v.maxLength(4000, 'must be at most 4000 characters'));
const AnswerValue = v.nullable(
  v.union([v.number(), Typed, v.pipe(v.array(v.pipe(v.string(), v.maxLength(40))), v.maxLength(60))], 'must be a number, text, a list of option ids or null'),
);

/** What the respondent did: the engine's `Reply` (src/domain/conversation). */
export const ReplySchema = v.variant(
  'type',
  [
    v.strictObject({ type: v.literal('answer'), value: AnswerValue }),
    v.strictObject({ type: v.literal('text'), text: Typed }),
    v.strictObject({ type: v.literal('skip') }),
    v.strictObject({ type: v.literal('back') }),
    v.strictObject({ type: v.literal('restart') }),
  ],
  'must have a type of answer, text, skip, back or restart',
);

/** `POST /api/v1/conversations/:id/replies`. */
/**
 * `turn`: how many replies the client has seen accepted (from the last `turn` it was given). When
 * sent, a reply for an older turn is refused with 409 instead of being applied to the next
 * question, so resending a reply whose answer was lost can never answer twice.
 */
export const ReplyBodySchema = v.strictObject({
  resumeToken: ResumeToken,
  answer: ReplySchema,
  turn: v.optional(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0))),
});
export type ReplyBody = v.InferOutput<typeof ReplyBodySchema>;

const BotMessage = v.object({ text: v.string(), kind: v.picklist(['intro', 'privacy', 'question', 'reprompt', 'support', 'ack', 'end']) });

/** The engine's step as the API shows it (the end step's stored answers stay on the server). */
export const StepSchema = v.variant('type', [
  v.object({
    type: v.literal('question'),
    questionId: v.string(),
    messages: v.array(BotMessage),
    quickReplies: v.array(v.object({ value: v.nullable(v.union([v.string(), v.number()])), label: v.string() })),
    multiple: v.optional(v.boolean()),
    input: v.optional(v.object({ kind: v.literal('text'), maxLength: v.number(), label: v.string() })),
    progress: v.object({ index: v.number(), total: v.number() }),
    canGoBack: v.boolean(),
    /** The pause after a possible disclosure: quick replies `carry-on`, `stop` and `talk` instead of a question. */
    pause: v.optional(v.boolean()),
  }),
  v.object({
    type: v.literal('end'),
    messages: v.array(BotMessage),
    thankYou: v.string(),
    whatNext: v.string(),
    youSaidWeDid: v.array(v.object({ heard: v.string(), did: v.string(), lang: v.optional(v.string()) })),
    /** The chat held a possible disclosure: the calm end, with the signpost and no "you said, we did". */
    afterDisclosure: v.optional(v.boolean()),
  }),
]);

/** One line of the conversation so far; what the respondent typed appears only redacted. */
export const TranscriptLineSchema = v.object({
  from: v.picklist(['bot', 'you']),
  text: v.string(),
  /** Bot lines only: what the line is for, e.g. `support` for the supportive message. */
  kind: v.optional(BotMessage.entries.kind),
});

export type TranscriptLine = v.InferOutput<typeof TranscriptLineSchema>;

export const StartedConversationSchema = v.object({
  conversationId: UuidSchema,
  /** Keep it on the device only (sessionStorage); it is needed to reply and to resume. */
  resumeToken: v.string(),
  lang: v.string(),
  /** Replies accepted so far: send it back with the next reply. */
  turn: v.number(),
  step: StepSchema,
});
export const ReplyAcceptedSchema = v.object({ step: StepSchema, turn: v.number(), signpost: v.optional(SignpostSchema) });
export const ConversationSchema = v.object({
  conversationId: UuidSchema,
  lang: v.string(),
  finished: v.boolean(),
  turn: v.number(),
  step: StepSchema,
  transcript: v.array(TranscriptLineSchema),
});
export type ConversationOutput = v.InferOutput<typeof ConversationSchema>;
export type ReplyAcceptedOutput = v.InferOutput<typeof ReplyAcceptedSchema>;
