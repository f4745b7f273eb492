import * as v from 'valibot';
import { DEFAULT_TAXONOMY } from '../domain/analysis';
import { AUDIENCES, AudienceSchema, LanguageSchema, SlugSchema, UuidSchema } from './common';

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

/** Who sees it: some of child, family, community. Absent or null: every audience (as before). */
const Audiences = v.pipe(
  v.array(AudienceSchema, `must be a list of ${AUDIENCES.join(', ')}`),
  v.minLength(1, 'must name at least one audience, or be left out for every audience'),
  v.transform((list) => AUDIENCES.filter((a) => list.includes(a))),
);

/** Where it shows: only these surveys. Absent or null: every survey of the partner (or of the partnership). */
const SurveyIds = v.pipe(
  v.array(SlugSchema, 'must be a list of survey ids'),
  v.minLength(1, 'must name at least one survey, or be left out for every survey'),
  v.maxLength(50, 'must name at most 50 surveys'),
  v.transform((list) => [...new Set(list)]),
);

/** `surveyId` (one survey, the older form) and `surveyIds` (a list) say the same thing: one of them. */
const oneSurveyField = (a: { surveyId?: string | null; surveyIds?: string[] | null }) => a.surveyId == null || a.surveyIds == null;
const ONE_SURVEY_FIELD = 'give surveyId or surveyIds, not both';

/** `POST /api/v1/actions`. No partnerId: partnership-wide (admins only); a practice lead's defaults to their own. */
export const CreateActionSchema = v.pipe(
  v.strictObject({
    partnerId: v.optional(v.nullable(SlugSchema)),
    themeId: Theme,
    /** Only this survey; otherwise every survey of the partner (or of the partnership). */
    surveyId: v.optional(v.nullable(SlugSchema)),
    /** Only these surveys. */
    surveyIds: v.optional(v.nullable(SurveyIds)),
    /** Only surveys for these audiences. */
    audiences: v.optional(v.nullable(Audiences)),
    heard: LocalisedLine,
    did: LocalisedLine,
    when: Day,
    status: v.optional(Status, 'planned'),
    /** Shown to children and families once true. */
    published: v.optional(v.boolean(), false),
  }),
  v.forward(
    v.check((a) => oneSurveyField(a), ONE_SURVEY_FIELD),
    ['surveyIds'],
  ),
);
export type CreateActionInput = v.InferOutput<typeof CreateActionSchema>;

/** Fields left out keep their value; `null` for surveyId, surveyIds or audiences means every survey or audience again. */
export const UpdateActionSchema = v.pipe(
  v.strictObject({
    themeId: v.optional(Theme),
    surveyId: v.optional(v.nullable(SlugSchema)),
    surveyIds: v.optional(v.nullable(SurveyIds)),
    audiences: v.optional(v.nullable(Audiences)),
    heard: v.optional(LocalisedLine),
    did: v.optional(LocalisedLine),
    when: v.optional(Day),
    status: v.optional(Status),
    published: v.optional(v.boolean()),
  }),
  v.forward(
    v.check((a) => oneSurveyField(a), ONE_SURVEY_FIELD),
    ['surveyIds'],
  ),
);
export type UpdateActionInput = v.InferOutput<typeof UpdateActionSchema>;

export const ActionSchema = v.object({
  id: UuidSchema,
  partnerId: v.nullable(v.string()),
  themeId: v.string(),
  /** The survey when the action is for exactly one; see surveyIds. */
  surveyId: v.nullable(v.string()),
  /** null: every survey of the partner (or of the partnership). */
  surveyIds: v.nullable(v.array(v.string())),
  /** null: every audience. */
  audiences: v.nullable(v.array(AudienceSchema)),
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
  items: v.array(
    v.object({
      heard: v.string(),
      did: v.string(),
      /** The language heard and did are in: the one asked for, or `en` where the action has no words in it. */
      lang: v.string(),
      status: Status,
      when: v.string(),
    }),
  ),
});
