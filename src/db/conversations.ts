import type { TranscriptLine } from '../schemas/conversation';
import type { ConversationState } from '../domain/conversation';

/** What the respondent typed appears in a line only in redacted form (or withheld). */
export type { TranscriptLine };

/** A survey being taken as a chat. Nothing about the device; the time only to the hour. */
export interface Conversation {
  id: string;
  surveyId: string;
  tokenHash: string;
  linkHash: string | null;
  state: ConversationState;
  transcript: TranscriptLine[];
  turn: number;
  finished: boolean;
  updatedHour: string;
  /** The safeguarding alert a flagged reply raised, holding the original text; null until then. */
  alertId: string | null;
}

interface ConversationRow {
  id: string;
  survey_id: string;
  token_hash: string;
  link_hash: string | null;
  state: string;
  transcript: string;
  turn: number;
  finished: number;
  updated_hour: string;
  alert_id: string | null;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  surveyId: r.survey_id,
  tokenHash: r.token_hash,
  linkHash: r.link_hash,
  state: JSON.parse(r.state),
  transcript: JSON.parse(r.transcript),
  turn: r.turn,
  finished: r.finished === 1,
  updatedHour: r.updated_hour,
  alertId: r.alert_id,
});

/** The time rounded down to the hour, e.g. `2026-07-01T10:00:00.000Z`: all a conversation keeps. */
export const hourOf = (date: Date) => `${date.toISOString().slice(0, 13)}:00:00.000Z`;

export async function findConversation(db: D1Database, id: string): Promise<Conversation | null> {
  const row = await db.prepare('SELECT * FROM conversations WHERE id = ?1').bind(id).first<ConversationRow>();
  return row ? toConversation(row) : null;
}

export async function insertConversation(db: D1Database, c: Omit<Conversation, 'alertId'>): Promise<void> {
  await db
    .prepare(
      `INSERT INTO conversations (id, survey_id, token_hash, link_hash, state, transcript, turn, finished, updated_hour)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
    )
    .bind(c.id, c.surveyId, c.tokenHash, c.linkHash, JSON.stringify(c.state), JSON.stringify(c.transcript), c.turn, c.finished ? 1 : 0, c.updatedHour)
    .run();
}

/**
 * Saves the conversation after one reply, only if no other reply was saved since it was read
 * (`turn` still `expectedTurn`) and it hasn't finished. Returns whether it was saved.
 */
export async function saveConversation(
  db: D1Database,
  c: Pick<Conversation, 'id' | 'state' | 'transcript' | 'finished' | 'updatedHour'>,
  expectedTurn: number,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE conversations SET state = ?2, transcript = ?3, finished = ?4, updated_hour = ?5, turn = turn + 1
       WHERE id = ?1 AND turn = ?6 AND finished = 0`,
    )
    .bind(c.id, JSON.stringify(c.state), JSON.stringify(c.transcript), c.finished ? 1 : 0, c.updatedHour, expectedTurn)
    .run();
  return result.meta.changes === 1;
}

/** How long an unfinished conversation is kept after its last reply. */
export const UNFINISHED_KEEP_HOURS = 24;

/**
 * Deletes every finished conversation (its response is stored) and every unfinished one whose last
 * reply was more than {@link UNFINISHED_KEEP_HOURS} ago. Times are kept only to the hour, so a
 * conversation whose hour is `H` may have had its last reply as late as `H + 59:59`: it goes once
 * `H + 1h + 24h` has passed, never early. Returns how many were deleted.
 */
export async function purgeConversations(db: D1Database, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - (UNFINISHED_KEEP_HOURS + 1) * 3_600_000).toISOString();
  const result = await db.prepare('DELETE FROM conversations WHERE finished = 1 OR updated_hour <= ?1').bind(cutoff).run();
  return result.meta.changes;
}

/** "You said, we did" items for a survey's end step, in the conversation's language (see src/db/actions.ts). */
export { youSaidWeDidFor } from './actions';
