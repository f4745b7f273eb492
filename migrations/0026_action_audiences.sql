-- "You said, we did" for chosen people: an action can be shown only to some audiences (children,
-- families, communities) and only on a list of surveys. Both NULL: as before (every survey of the
-- action's partner, or of the partnership; community surveys only their own actions).
-- Per-language words need no column: heard and did are already JSON { en, cy?, ... }.
ALTER TABLE actions ADD COLUMN audiences TEXT;   -- JSON array of 'child' | 'family' | 'community'; NULL: every audience
ALTER TABLE actions ADD COLUMN survey_ids TEXT;  -- JSON array of survey ids; NULL: every survey of the partner

-- An action for one survey keeps working: its survey becomes a list of one. survey_id stays, kept in
-- step (the single survey, else NULL) for anything that still reads it.
UPDATE actions SET survey_ids = json_array(survey_id) WHERE survey_id IS NOT NULL;
