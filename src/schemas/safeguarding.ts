import * as v from 'valibot';
import { UuidSchema } from './common';

/**
 * What the safeguarding lead did about an alert, as the lead says it. There is no default: one
 * click must never record a referral that did not happen (issue 13), so the dashboard starts on
 * "Choose…" and the API answers 400 without one. The order is the dashboard's.
 */
export const ALERT_OUTCOMES = [
  { id: 'referred-to-front-door', label: 'Referred to the front door (MASH)' },
  { id: 'contacted-police', label: 'Contacted the police' },
  { id: 'contacted-practitioner', label: 'Contacted the practitioner who holds the contact' },
  { id: 'already-known', label: 'Already known to the service (open case or plan)' },
  { id: 'no-further-action', label: 'A concern, but no further action needed' },
  { id: 'false-alarm', label: 'Not a safeguarding concern (false alarm)' },
  { id: 'other', label: 'Other (say what in the note)' },
] as const;
export const ACTIONS_TAKEN = ALERT_OUTCOMES.map((o) => o.id) as [(typeof ALERT_OUTCOMES)[number]['id'], ...(typeof ALERT_OUTCOMES)[number]['id'][]];
export type ActionTaken = (typeof ALERT_OUTCOMES)[number]['id'];

/** A page size from the query string: digits only, 1 to `max`. */
export const LimitQuery = (fallback: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, `must be a whole number from 1 to ${max}`),
      v.transform(Number),
      v.minValue(1, `must be a whole number from 1 to ${max}`),
      v.maxValue(max, `must be a whole number from 1 to ${max}`),
    ),
    String(fallback),
  );

export const AlertsQuerySchema = v.object({
  /** open: new and overdue (the default); acknowledged; or all. */
  status: v.optional(v.picklist(['open', 'acknowledged', 'all'], 'must be one of open, acknowledged, all'), 'open'),
  limit: LimitQuery(100, 500),
});

export const AcknowledgeSchema = v.pipe(
  v.strictObject({
    /** Required, with no default: say what was done. */
    actionTaken: v.picklist(ACTIONS_TAKEN, `must say what was done: one of ${ACTIONS_TAKEN.join(', ')}`),
    /** Sealed at rest like the alert's text; deleted with the alert. Needed only with `other`. */
    note: v.optional(v.pipe(v.string('must be text'), v.trim(), v.maxLength(2000, 'must be at most 2000 characters')), ''),
  }),
  v.forward(
    v.check((a) => a.actionTaken !== 'other' || a.note !== '', 'must say what was done when actionTaken is other'),
    ['note'],
  ),
);

const Named = v.object({ id: v.string(), name: v.nullable(v.string()) });

export const AlertSchema = v.object({
  id: UuidSchema,
  category: v.string(),
  /** False: the answer describes something past and resolved; reviewed at lower priority. */
  current: v.boolean(),
  /** The words that raised the flag, and the flagged answers as written (unsealed for this key only). */
  evidence: v.nullable(v.string()),
  text: v.nullable(v.string()),
  survey: v.object({ id: v.string() }),
  partner: v.nullable(Named),
  service: v.nullable(Named),
  day: v.string(),
  /** When the alert was raised (UTC, ISO 8601): its one-hour clock starts here. */
  receivedAt: v.string(),
  status: v.picklist(['new', 'overdue', 'acknowledged']),
  dueAt: v.string(),
  /** Past its due time without acknowledgement (true even before the scheduled run marks it). */
  overdue: v.boolean(),
  /**
   * How many submissions this alert stands for: the same text sent again (same survey and place,
   * same day) is counted here rather than raised again.
   */
  receivedCount: v.number(),
  /** One address sent more different flagged texts in an hour than it may raise alerts for: all of them are in `text`. */
  burst: v.boolean(),
  /** The webhook notice to the front door's system, when the partnership has a webhook: pending (retrying), delivered, or failed. */
  webhook: v.nullable(v.object({ status: v.picklist(['pending', 'delivered', 'failed']), attempts: v.number(), lastError: v.nullable(v.string()) })),
  /** The email notices about this alert, one per recipient and kind (created, overdue): sent, pending (retrying) or failed. */
  emails: v.array(
    v.object({
      kind: v.picklist(['alert-created', 'alert-overdue']),
      recipient: v.string(),
      status: v.picklist(['pending', 'sent', 'failed']),
      attempts: v.number(),
      lastError: v.nullable(v.string()),
    }),
  ),
  /** The practitioner's reference from the feedback link, when it had one. */
  contactRef: v.nullable(v.string()),
  acknowledgement: v.nullable(
    v.object({ at: v.string(), by: v.object({ keyId: v.string(), label: v.nullable(v.string()) }), actionTaken: v.string(), note: v.nullable(v.string()) }),
  ),
});
/** An alert as a safeguarding lead reads it, in the API and on the dashboard. */
export type AlertOutput = v.InferOutput<typeof AlertSchema>;
export const AlertListSchema = v.object({ alerts: v.array(AlertSchema) });

export const AuditQuerySchema = v.object({
  limit: LimitQuery(50, 200),
  /** The `next` cursor from the previous page. */
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
});
export const AuditPageSchema = v.object({
  entries: v.array(
    v.object({
      id: v.string(),
      at: v.string(),
      who: v.object({ kind: v.picklist(['key', 'account']), keyId: v.string(), role: v.string(), label: v.string() }),
      action: v.string(),
      subjectIds: v.array(v.string()),
      /** For keys, feed tokens and sessions: the subject's role, label and partner. */
      details: v.optional(v.object({ role: v.optional(v.string()), label: v.optional(v.string()), partnerId: v.optional(v.nullable(v.string())) })),
    }),
  ),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next: v.nullable(v.string()),
});

/** A reviewer's decision on a review item. */
export const REVIEW_DECISIONS = ['not-a-concern', 'escalate', 'worker-conversation'] as const;
const DISCLOSURE_CATEGORIES = ['harm-by-others', 'sexual-harm', 'neglect', 'self-harm-suicide', 'immediate-danger', 'exploitation'] as const;

export const ReviewsQuerySchema = v.object({
  /** open (the default), decided, or all. */
  status: v.optional(v.picklist(['open', 'decided', 'all'], 'must be one of open, decided, all'), 'open'),
  limit: LimitQuery(100, 500),
});

export const DecideReviewSchema = v.strictObject({
  decision: v.picklist(REVIEW_DECISIONS, `must be one of ${REVIEW_DECISIONS.join(', ')}`),
  /** Escalating an item whose concern names no kind of harm: which kind the alert is. */
  category: v.optional(v.picklist(DISCLOSURE_CATEGORIES, `must be one of ${DISCLOSURE_CATEGORIES.join(', ')}`)),
});

export const ReviewSchema = v.object({
  id: UuidSchema,
  /** The concern's kind of harm; null when the signal names none. */
  category: v.nullable(v.string()),
  /** The words that raised it, and the answer as written (unsealed for this key only; null once deleted). */
  evidence: v.nullable(v.string()),
  text: v.nullable(v.string()),
  /** False once the sealed words are deleted, 30 days after the decision. */
  wordsKept: v.boolean(),
  /** Who raised it: rules, model, or ai:<model id>. */
  source: v.string(),
  survey: v.object({ id: v.string() }),
  partner: v.nullable(Named),
  service: v.nullable(Named),
  /** The practitioner's reference from the feedback link, when it had one. */
  contactRef: v.nullable(v.string()),
  day: v.string(),
  receivedAt: v.string(),
  /** One working day (England and Wales: weekends and bank holidays skipped) after it was received. */
  dueAt: v.string(),
  overdue: v.boolean(),
  status: v.picklist(['open', 'decided']),
  decision: v.nullable(
    v.object({
      outcome: v.picklist(REVIEW_DECISIONS),
      at: v.string(),
      by: v.nullable(v.object({ keyId: v.string(), label: v.nullable(v.string()) })),
      /** The alert an escalation raised. */
      alertId: v.nullable(v.string()),
    }),
  ),
});
/** A review item as a reviewer reads it, in the API and on the dashboard. */
export type ReviewOutput = v.InferOutput<typeof ReviewSchema>;
export const ReviewListSchema = v.object({ reviews: v.array(ReviewSchema) });
