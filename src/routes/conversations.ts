import { RESUME_HEADER } from '../schemas/headers';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../lib/errors';
import { describe } from '../lib/openapi';
import { parseOrThrow, readJson, readText } from '../lib/validate';
import { ConversationSchema, ReplyAcceptedSchema, ReplyBodySchema, StartConversationSchema, StartedConversationSchema } from '../schemas/conversation';
import { MAX_STORED_BYTES, MAX_TURNS, resumeChat, sendReply, startChat, type ChatOptions } from '../services/conversations';

/**
 * A survey taken as a chat, for the respondent's browser; the use cases are in services/conversations.
 * CORS (preflights, and the allowed origin on every answer) is surveyCors in index.ts.
 */

/** `POST /api/v1/surveys/:id/conversations`, mounted beside the survey's other public routes. */
export const conversationStarts = new Hono<AppEnv>();

conversationStarts.post(
  '/:id/conversations',
  describe({
    summary: 'Start taking a survey as a chat (the body may be empty)',
    tags: ['public'],
    body: StartConversationSchema,
    responses: {
      201: { description: 'Started: the first step, and the resume token to keep on the device', schema: StartedConversationSchema },
      400: { description: 'Invalid fields, each named' },
      404: { description: 'No such survey' },
      410: { description: 'Survey closed, or the feedback link expired or was used' },
      413: { description: 'Body over 32 KB' },
      415: { description: 'A body that is not JSON' },
      429: {
        description:
          'Too many from this address (`rate_limited`, per survey per minute; `too_many_chats`, new chats per hour): wait for Retry-After seconds, or answer on the one-page survey',
      },
    },
  }),
  async (c) => {
    const input = parseOrThrow(StartConversationSchema, await readOptionalJson(c));
    const started = await startChat(c.env.DB, c.req.param('id'), input);
    c.header('Cache-Control', 'no-store');
    return c.json(started, 201);
  },
);

/** What a test may swap: the text analysis and the alert webhook's fetch. */
export type ConversationRouteOptions = ChatOptions;

/** `/api/v1/conversations/:id…`: resume and reply. */
export function conversationRoutes(opts: ConversationRouteOptions = {}) {
  const routes = new Hono<AppEnv>();

  routes.get(
    '/:id',
    describe({
      summary: `Resume a chat: the transcript so far and the current step (send the resume token in ${RESUME_HEADER})`,
      tags: ['public'],
      responses: {
        200: { description: 'The conversation so far', schema: ConversationSchema },
        403: { description: 'Missing or wrong resume token' },
        404: { description: 'No such conversation (or it was deleted: unfinished chats are kept for 24 hours)' },
      },
    }),
    async (c) => {
      const chat = await resumeChat(c.env.DB, c.req.param('id'), c.req.header(RESUME_HEADER));
      c.header('Cache-Control', 'no-store');
      return c.json(chat);
    },
  );

  routes.post(
    '/:id/replies',
    describe({
      summary: 'Send one reply; answers with the bot’s next step (and the signpost when the reply may be a disclosure)',
      tags: ['public'],
      body: ReplyBodySchema,
      responses: {
        200: {
          description: `The next step; after the last question, the end step (the response is then stored). A chat also ends, with the answers so far stored, at its ${MAX_TURNS}th reply or when it would hold over ${MAX_STORED_BYTES / 1024} KB`,
          schema: ReplyAcceptedSchema,
        },
        400: { description: 'A bad reply, with the reason named' },
        403: { description: 'Missing or wrong resume token' },
        404: { description: 'No such conversation' },
        409: {
          description: 'The conversation has finished, another reply was saved at the same moment, or it has started again too many times (`restart_limit`)',
        },
        410: { description: 'Survey closed, or the feedback link expired or was used' },
        413: { description: 'Body over 32 KB' },
        415: { description: 'Not JSON' },
        429: { description: 'Too many from this address: wait for Retry-After seconds' },
      },
    }),
    async (c) => {
      const body = await readJson(c);
      const resumeToken = body && typeof body === 'object' && 'resumeToken' in body ? body.resumeToken : undefined;
      const replied = await sendReply(c.env, c.req.param('id'), resumeToken, () => parseOrThrow(ReplyBodySchema, body), {
        ...opts,
        waitUntil: (work) => c.executionCtx.waitUntil(work),
      });
      c.header('Cache-Control', 'no-store');
      return c.json(replied);
    },
  );

  return routes;
}

export const conversations = conversationRoutes();

/** The start body is optional: no body at all means every default. */
async function readOptionalJson(c: Context<AppEnv>): Promise<unknown> {
  if (c.req.header('content-type')) return readJson(c);
  const text = await readText(c);
  if (text.trim() === '') return {};
  throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
}
