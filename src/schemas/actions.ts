import * as v from 'valibot';
import { DEFAULT_TAXONOMY } from '../domain/analysis';
import { LanguageSchema, SlugSchema, UuidSchema } from './common';

const THEME_IDS = DEFAULT_TAXONOMY.themes.map((t) => t.id);

const Line = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(500, 'must be at most 500 characters'));

/**
 * Words children and families will read: plain text (English), or `{ en, cy, … }` like a survey
 * definition. Stored as the object.
 */
const LocalisedLine = v.union(
  [
    v.pipe(
      Line,
      v.transform((en): Record<string, string> => ({ en })),
    ),
    v.pipe(
      v.record(LanguageSchema, Line),
      v.check((t) => typeof t.en === 'string', 'must include English (en)'),
    ),
  ],
  'must be text, or an object of language tag to text including en',
);

const Day = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day such as 2026-07-01'),
  v.check((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real day'),
);

const Theme = v.picklist(THEME_IDS, `must be one of ${THEME_IDS.join(', ')}`);
const Status = v.picklist(['planned', 'done'], 'must be planned or done');

/** `POST /api/v1/actions`. No partnerId: partnership-wide (admins only); a practice lead's defaults to their own. */
export const CreateActionSchema = v.strictObject({
  partnerId: v.optional(v.nullable(SlugSchema)),
  themeId: Theme,
  /** Only this survey; otherwise every survey of the partner (or of the partnership). */
  surveyId: v.optional(v.nullable(SlugSchema)),
  heard: LocalisedLine,
  did: LocalisedLine,
  when: Day,
  status: v.optional(Status, 'planned'),
  /** Shown to children and families once true. */
  published: v.optional(v.boolean(), false),
});
export type CreateActionInput = v.InferOutput<typeof CreateActionSchema>;

export const UpdateActionSchema = v.strictObject({
  themeId: v.optional(Theme),
  surveyId: v.optional(v.nullable(SlugSchema)),
  heard: v.optional(LocalisedLine),
  did: v.optional(LocalisedLine),
  when: v.optional(Day),
  status: v.optional(Status),
  published: v.optional(v.boolean()),
});
export type UpdateActionInput = v.InferOutput<typeof UpdateActionSchema>;

export const ActionSchema = v.object({
  id: UuidSchema,
  partnerId: v.nullable(v.string()),
  themeId: v.string(),
  surveyId: v.nullable(v.string()),
  heard: v.record(v.string(), v.string()),
  did: v.record(v.string(), v.string()),
  when: v.string(),
  status: Status,
  published: v.boolean(),
  createdAt: v.string(),
  updatedAt: v.string(),
});
/** An action as the API and the dashboard show it. */
export type ActionOutput = v.InferOutput<typeof ActionSchema>;
export const ActionListSchema = v.object({ actions: v.array(ActionSchema) });

export const ActionsQuerySchema = v.object({
  partner: v.optional(SlugSchema),
  survey: v.optional(SlugSchema),
});

export const YouSaidWeDidQuerySchema = v.object({ lang: v.optional(LanguageSchema) });
export const YouSaidWeDidSchema = v.object({
  items: v.array(v.object({ heard: v.string(), did: v.string(), status: Status, when: v.string() })),
});
