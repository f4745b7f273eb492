import * as v from 'valibot';
import { webhookDestinationProblem } from '../domain/webhook';
import { AgeBandSchema, AudienceSchema, LanguageSchema, PARTNER_KINDS, ROLES, SlugSchema, UuidSchema } from './common';
import { SurveyDefinitionSchema } from './survey-definition';
import { OriginPattern } from '../lib/origins';

const Name = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'));

/** A respondent's submission (JSON). The same fields arrive from the no-JavaScript form. */
export const ResponseSubmissionSchema = v.strictObject({
  id: UuidSchema,
  answers: v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(40)), v.unknown()),
    v.check((a) => Object.keys(a).length <= 60, 'has too many answers'),
  ),
  lang: v.optional(LanguageSchema),
  ageBand: v.optional(AgeBandSchema),
  link: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,100}$/, 'is not a feedback link token'))),
});
export type ResponseSubmission = v.InferOutput<typeof ResponseSubmissionSchema>;

export const SignpostSchema = v.object({
  /** The language of the message and every contact's words: the respondent's, where Heard has it. */
  lang: v.string(),
  message: v.string(),
  /** `kind` says whether to call or to text the number (a page links it as tel: or sms:). */
  contacts: v.array(v.object({ name: v.string(), number: v.string(), kind: v.picklist(['call', 'text']), text: v.string() })),
});
export type SignpostOutput = v.InferOutput<typeof SignpostSchema>;
export const ResponseAcceptedSchema = v.object({ id: UuidSchema, signpost: v.optional(SignpostSchema), identifiable: v.optional(v.literal(true)) });

export const LinkTokenSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,100}$/, 'is not a feedback link token'));

export const SurveyQuerySchema = v.object({
  lang: v.optional(LanguageSchema),
  age: v.optional(AgeBandSchema),
  /** The feedback link the survey was opened from: it may change the privacy line. */
  link: v.optional(LinkTokenSchema),
});

const Origins = v.pipe(v.array(v.pipe(v.string(), v.regex(OriginPattern, 'must be an origin such as https://example.org (a port may be *)'))), v.maxLength(20));
const AccentColour = v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #1d70b8'));

export const CreateSurveySchema = v.strictObject({
  id: SlugSchema,
  audience: AudienceSchema,
  partnerId: v.optional(v.nullable(SlugSchema)),
  allowedOrigins: v.optional(Origins, []),
  accentColour: v.optional(v.nullable(AccentColour)),
  definition: SurveyDefinitionSchema,
});
export const UpdateSurveySchema = v.strictObject({
  allowedOrigins: v.optional(Origins),
  accentColour: v.optional(v.nullable(AccentColour)),
  definition: v.optional(SurveyDefinitionSchema),
});

/** The copy's id: like any survey's, it starts with the partnership id and a hyphen. */
export const DuplicateSurveySchema = v.strictObject({ id: SlugSchema });

export const SurveySummarySchema = v.object({
  id: v.string(),
  partnerId: v.nullable(v.string()),
  audience: AudienceSchema,
  status: v.picklist(['draft', 'live', 'closed']),
  version: v.number(),
  liveVersion: v.nullable(v.number()),
  languages: v.array(v.string()),
  ageBands: v.array(v.string()),
  allowedOrigins: v.array(v.string()),
  accentColour: v.nullable(v.string()),
});

export const CreatePartnerSchema = v.strictObject({ id: SlugSchema, name: Name, kind: v.picklist(PARTNER_KINDS) });
export const UpdatePartnerSchema = v.strictObject({ name: v.optional(Name), kind: v.optional(v.picklist(PARTNER_KINDS)) });
export const PartnerSchema = v.object({ id: v.string(), name: v.string(), kind: v.picklist(PARTNER_KINDS) });

export const CreateServiceSchema = v.strictObject({ id: SlugSchema, name: Name });
export const UpdateServiceSchema = v.strictObject({ name: Name });
export const ServiceSchema = v.object({ id: v.string(), partnerId: v.string(), name: v.string() });

export const CreateLinkSchema = v.strictObject({
  surveyId: SlugSchema,
  partnerId: SlugSchema,
  serviceId: v.optional(v.nullable(SlugSchema)),
  contactType: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a short slug such as home-visit')),
  expiresInDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(90, 'must be at most 90')), 14),
  singleUse: v.optional(v.boolean(), true),
  /**
   * The practitioner's own case or contact reference. Sealed at rest, never listed, shown only on
   * a safeguarding alert raised through this link; the survey then tells the child so.
   */
  contactRef: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(100, 'must be at most 100 characters'))),
});
export type CreateLinkOutput = v.InferOutput<typeof CreateLinkSchema>;
export const LinkSchema = v.object({
  id: v.string(),
  surveyId: v.string(),
  partnerId: v.string(),
  serviceId: v.nullable(v.string()),
  contactType: v.string(),
  singleUse: v.boolean(),
  /** Whether its date has passed; never whether, or how often, it was used. */
  status: v.picklist(['active', 'expired']),
  expiresAt: v.string(),
  /** A contact reference was given: surveys through this link say who may be told. */
  identifiable: v.boolean(),
});
/** `shortUrl` (`/l/TOKEN`) redirects to `url`: shorter for a printed card, a QR code or a text message. */
export const CreatedLinkSchema = v.object({ ...LinkSchema.entries, token: v.string(), url: v.string(), shortUrl: v.string() });

export const CreateKeySchema = v.pipe(
  v.strictObject({
    role: v.picklist(ROLES),
    partnerId: v.optional(v.nullable(SlugSchema)),
    label: Name,
  }),
  v.forward(
    v.check((k) => k.role !== 'practice-lead' || !!k.partnerId, 'a practice lead key needs a partnerId'),
    ['partnerId'],
  ),
);
export const KeySchema = v.object({
  id: v.string(),
  role: v.picklist(ROLES),
  partnerId: v.nullable(v.string()),
  label: v.string(),
  createdAt: v.string(),
  revokedAt: v.nullable(v.string()),
  /** The day (UTC) the key was last used for the API or a dashboard sign-in; null if never. */
  lastUsedOn: v.optional(v.nullable(v.string())),
});
export const CreatedKeySchema = v.object({ ...KeySchema.entries, key: v.string() });

export const PartnershipSettingsSchema = v.strictObject({
  name: v.optional(Name),
  suppressionRule: v.optional(v.picklist(['dfe', 'nhs'])),
  minBase: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10, 'must be at least 10'), v.maxValue(1000))),
  /** Whether staff may still sign in to the dashboard by pasting an API key (off for new partnerships). */
  keySignIn: v.optional(v.boolean('must be true or false')),
  /** Where to POST "new alert" notices (ids and category only); null removes it. */
  alertWebhookUrl: v.optional(
    v.nullable(
      v.pipe(
        v.string(),
        v.maxLength(500, 'must be at most 500 characters'),
        v.url('must be a URL'),
        // https, and not loopback, private, link-local, metadata or other internal destinations (domain/webhook.ts).
        v.rawCheck(({ dataset, addIssue }) => {
          const problem = dataset.typed && !dataset.issues ? webhookDestinationProblem(dataset.value) : null;
          if (problem) addIssue({ message: problem });
        }),
      ),
    ),
  ),
  /**
   * Who is emailed when an alert is raised or overdue, and the daily digest of reviews due: the
   * safeguarding lead's own or team inbox. [] emails nobody. The emails carry a link, never words.
   */
  alertEmailRecipients: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string('must be an email address'),
          v.trim(),
          v.toLowerCase(),
          v.maxLength(254, 'must be at most 254 characters'),
          v.email('must be an email address'),
        ),
        'must be a list of email addresses',
      ),
      v.maxLength(10, 'must list at most 10 addresses'),
      v.transform((list) => [...new Set(list)]),
    ),
  ),
});

export type PartnershipSettings = v.InferOutput<typeof PartnershipSettingsSchema>;

export const IdParam = v.object({ id: SlugSchema });
export const UuidParam = v.object({ id: UuidSchema });
export { UuidSchema, LanguageSchema };

const Day = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'),
  v.check((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real date'),
);
export const InsightQuerySchema = v.strictObject({
  from: v.optional(Day),
  to: v.optional(Day),
  interval: v.optional(v.picklist(['week', 'month'], 'must be week or month'), 'month'),
  partner: v.optional(SlugSchema),
  service: v.optional(SlugSchema),
  survey: v.optional(SlugSchema),
  respondent: v.optional(AudienceSchema),
  ageBand: v.optional(AgeBandSchema),
});

/** Feed and export URLs take the insight filters, plus a feed token for readers that cannot send headers. */
export const FeedQuerySchema = v.strictObject({
  ...InsightQuerySchema.entries,
  token: v.optional(v.string()),
});

/** The NHS Friends and Family Test monthly return: months only, no other filter (one line per service). */
export const FftQuerySchema = v.strictObject({
  from: v.optional(Day),
  to: v.optional(Day),
  interval: v.optional(v.picklist(['month'], 'must be month: the FFT return is monthly'), 'month'),
  token: v.optional(v.string()),
});

export const CreateFeedTokenSchema = v.strictObject({ label: Name });
export const FeedTokenSchema = v.object({
  id: v.string(),
  label: v.string(),
  partnerId: v.nullable(v.string()),
  createdAt: v.string(),
  revokedAt: v.nullable(v.string()),
});
export const CreatedFeedTokenSchema = v.object({
  ...FeedTokenSchema.entries,
  token: v.string(),
  urls: v.object({ atom: v.string(), json: v.string(), csv: v.string() }),
});
