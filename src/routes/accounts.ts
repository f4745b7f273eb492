import { Hono } from 'hono';
import * as v from 'valibot';
import { listAccounts, type Account } from '../db/accounts';
import { insertAuditStatement } from '../db/audit';
import { insertProviderStatement, listProviders, type OidcProvider } from '../db/oidc-providers';
import type { AppEnv } from '../env';
import { newId } from '../lib/crypto';
import { ApiError } from '../lib/errors';
import { describe } from '../lib/openapi';
import { validate } from '../lib/validate';
import { requireKey } from '../middleware/auth';
import { AccountSchema, ChangeRoleSchema, CreateProviderSchema, InviteAccountSchema } from '../schemas/accounts';
import { UuidParam } from '../schemas/api';
import { changeAccountRole, disableAccount, inviteAccount } from '../services/accounts';

/**
 * Staff accounts (issue 16): admins invite, disable and change the role of people; only a
 * safeguarding lead does so for safeguarding leads and reviewers, as with keys.
 */
export const accounts = new Hono<AppEnv>();

const managers = requireKey({ roles: ['admin', 'safeguarding-lead'] });
const view = (a: Account) => ({
  id: a.id,
  email: a.email,
  displayName: a.displayName,
  role: a.role,
  partnerId: a.partnerId,
  status: a.status,
  createdAt: a.createdAt,
  lastSignInAt: a.lastSignInAt,
});

accounts.get(
  '/',
  describe({
    summary: 'List the partnership’s staff accounts',
    tags: ['accounts'],
    auth: true,
    responses: { 200: { description: 'Accounts', schema: v.object({ accounts: v.array(AccountSchema) }) } },
  }),
  managers,
  async (c) => c.json({ accounts: (await listAccounts(c.env.DB, c.get('key').partnershipId)).map(view) }),
);

accounts.post(
  '/',
  describe({
    summary: 'Invite a person by email: a one-time link, valid 72 hours, is sent through the ALERT_EMAIL binding',
    tags: ['accounts'],
    auth: true,
    responses: {
      201: { description: 'Invited', schema: AccountSchema },
      400: { description: 'Invalid' },
      403: { description: 'Not yours to grant' },
      409: { description: 'Already has an account' },
    },
  }),
  managers,
  validate('json', InviteAccountSchema),
  async (c) => c.json(view(await inviteAccount(c.env, c.get('key'), c.req.valid('json'), new URL(c.req.url).origin)), 201),
);

accounts.patch(
  '/:id',
  describe({
    summary: 'Change a person’s role; their sessions end at once',
    tags: ['accounts'],
    auth: true,
    responses: { 200: { description: 'Changed', schema: AccountSchema } },
  }),
  managers,
  validate('param', UuidParam),
  validate('json', ChangeRoleSchema),
  async (c) => {
    const { role, partnerId } = c.req.valid('json');
    return c.json(view(await changeAccountRole(c.env.DB, c.get('key'), c.req.valid('param').id, role, partnerId)));
  },
);

accounts.post(
  '/:id/disable',
  describe({
    summary: 'Disable a person’s account; their sessions end at once',
    tags: ['accounts'],
    auth: true,
    responses: { 200: { description: 'Disabled', schema: AccountSchema } },
  }),
  managers,
  validate('param', UuidParam),
  async (c) => c.json(view(await disableAccount(c.env.DB, c.get('key'), c.req.valid('param').id))),
);

/** The partnership's OpenID Connect providers: an admin's to set. */
export const oidcProviders = new Hono<AppEnv>();

const providerView = (p: OidcProvider) => ({
  id: p.id,
  label: p.label,
  issuer: p.issuer,
  clientId: p.clientId,
  clientSecretName: p.clientSecretName,
  allowedDomains: p.allowedDomains,
  createdAt: p.createdAt,
});

oidcProviders.get(
  '/',
  describe({ summary: 'List the partnership’s single sign-on providers', tags: ['accounts'], auth: true, responses: { 200: { description: 'Providers' } } }),
  requireKey({ roles: ['admin'] }),
  async (c) => c.json({ providers: (await listProviders(c.env.DB, c.get('key').partnershipId)).map(providerView) }),
);

oidcProviders.post(
  '/',
  describe({
    summary: 'Add a single sign-on provider (issuer, client id, the name of the Worker secret holding the client secret, allowed email domains)',
    tags: ['accounts'],
    auth: true,
    responses: { 201: { description: 'Added' }, 400: { description: 'Invalid' } },
  }),
  requireKey({ roles: ['admin'] }),
  validate('json', CreateProviderSchema),
  async (c) => {
    const key = c.get('key');
    const input = c.req.valid('json');
    const issuer = new URL(input.issuer);
    if (issuer.protocol !== 'https:' && c.env.ENVIRONMENT !== 'local')
      throw new ApiError(400, 'invalid_request', 'Some fields are not valid.', [{ path: 'issuer', message: 'must be https' }]);
    const provider: OidcProvider = { id: `${key.partnershipId}-${newId()}`, partnershipId: key.partnershipId, ...input, createdAt: new Date().toISOString() };
    await c.env.DB.batch([
      insertProviderStatement(c.env.DB, provider),
      insertAuditStatement(c.env.DB, key, 'oidc-providers.create', [provider.id], provider.createdAt, { details: { label: provider.label } }),
    ]);
    return c.json(providerView(provider), 201);
  },
);
