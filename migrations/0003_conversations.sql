-- Surveys taken as a chat: the conversation so far, kept only until it becomes a response.
-- Like responses, no IP, user agent, cookie or precise time: updated_hour is the last reply's
-- time rounded down to the hour, which is all the 24-hour purge needs. Free text the respondent
-- typed is kept only in redacted form, in both the state and the transcript.
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,              -- also the id of the response it becomes (the idempotency key)
  survey_id TEXT NOT NULL REFERENCES surveys(id),
  token_hash TEXT NOT NULL,         -- SHA-256 of the resume token; the token lives only on the respondent's device
  link_hash TEXT,                   -- SHA-256 of the feedback link token it was started from, if any
  state TEXT NOT NULL,              -- JSON ConversationState (src/domain/conversation), text answers redacted
  transcript TEXT NOT NULL,         -- JSON [{ from: 'bot' | 'you', text, kind? }], typed text redacted
  turn INTEGER NOT NULL DEFAULT 0,  -- replies taken so far: concurrent replies can't overwrite each other
  finished INTEGER NOT NULL DEFAULT 0,
  updated_hour TEXT NOT NULL        -- ISO time rounded down to the hour
);
-- Finished conversations go at the next purge; unfinished ones once a day has passed.
CREATE INDEX conversations_purge ON conversations (finished, updated_hour);
