import * as v from 'valibot';
import { ROLES } from './common';

/** An email address as staff type it; stored lowercased. */
export const EmailSchema = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(254, 'must be at most 254 characters'),
  v.email('must be an email address'),
  v.toLowerCase(),
);

export const InviteAccountSchema = v.strictObject({
  email: EmailSchema,
  displayName: v.pipe(v.string(), v.trim(), v.minLength(1, 'is required'), v.maxLength(100, 'must be at most 100 characters')),
  role: v.picklist(ROLES, `must be one of ${ROLES.join(', ')}`),
  partnerId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(100))), null),
});

export const ChangeRoleSchema = v.strictObject({
  role: v.picklist(ROLES, `must be one of ${ROLES.join(', ')}`),
  partnerId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(100))), null),
});

const Domain = v.pipe(v.string(), v.toLowerCase(), v.regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain like example.gov.uk'));

export const CreateProviderSchema = v.strictObject({
  label: v.pipe(v.string(), v.trim(), v.minLength(1, 'is required'), v.maxLength(100, 'must be at most 100 characters')),
  issuer: v.pipe(v.string(), v.url('must be a URL'), v.maxLength(300)),
  clientId: v.pipe(v.string(), v.minLength(1, 'is required'), v.maxLength(300)),
  clientSecretName: v.pipe(v.string(), v.regex(/^OIDC_[A-Z0-9_]{1,60}$/, 'must be a Worker secret name starting OIDC_, e.g. OIDC_ENTRA_SECRET')),
  allowedDomains: v.pipe(v.array(Domain), v.minLength(1, 'must name at least one domain'), v.maxLength(20)),
});

export const AccountSchema = v.object({
  id: v.string(),
  email: v.string(),
  displayName: v.string(),
  role: v.picklist(ROLES),
  partnerId: v.nullable(v.string()),
  status: v.picklist(['invited', 'active', 'disabled']),
  createdAt: v.string(),
  lastSignInAt: v.nullable(v.string()),
});
