import * as v from 'valibot';

export const AGE_BANDS = ['5-7', '8-12', '13-17', 'adult'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const AgeBandSchema = v.picklist(AGE_BANDS, 'must be one of 5-7, 8-12, 13-17, adult');

/**
 * The NHS Friends and Family Test's answers, as option ids, in the order NHS England lists them
 * ("Very good" … "Very poor", then "Don't know"). A choice question marked `fft` offers exactly these.
 */
export const FFT_ANSWERS = ['very-good', 'good', 'neither', 'poor', 'very-poor', 'dont-know'] as const;
export type FftAnswer = (typeof FFT_ANSWERS)[number];

export const AUDIENCES = ['child', 'family', 'community'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AudienceSchema = v.picklist(AUDIENCES, 'must be one of child, family, community');

export const PARTNER_KINDS = ['local-authority', 'police', 'health', 'education', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const ROLES = ['admin', 'practice-lead', 'safeguarding-lead', 'scrutineer', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

/** A BCP 47 language tag such as `en`, `cy` or `ar`. */
export const LanguageSchema = v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or cy'));

/** A lower-case slug used for ids people choose (surveys, partners, services). */
export const SlugSchema = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 characters of a-z, 0-9 and hyphens'));

/**
 * A UUID, lower-cased: ids are compared as text in D1, so `ABC…` and `abc…` would otherwise be two
 * responses (a retry with the id upper-cased stored a second copy). Ids Heard generates are
 * already lower case.
 */
export const UuidSchema = v.pipe(v.string(), v.uuid('must be a UUID'), v.toLowerCase());
