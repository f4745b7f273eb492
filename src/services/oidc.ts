import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { findAccountByEmail, type Account } from '../db/accounts';
import { consumeAttempt, findProvider, insertAttemptStatement, type OidcProvider } from '../db/oidc-providers';
import { randomSecret, sha256Hex } from '../lib/crypto';

/**
 * Single sign-on by OpenID Connect (issue 16): the authorization code flow with PKCE (S256),
 * `state` and `nonce`. The ID token is checked by `jose` (issuer, audience, expiry, signature
 * against the provider's JWKS, which jose fetches once and caches per isolate); no JWT code here.
 */

/** How long a started sign-in may take at the provider. */
export const ATTEMPT_MINUTES = 10;

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

// Per isolate: discovery documents and JWKS change rarely; jose refetches a JWKS on an unknown key id.
const discoveries = new Map<string, { doc: Discovery; until: number }>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

const unavailable = () => new OidcRefusal('provider_unavailable', 'The sign-in service did not answer. Try again in a few minutes.');

/** A provider that is down, unreachable or answers nonsense is a refusal page, never an error of Heard's. */
async function fetchJson(url: string, init: RequestInit): Promise<{ ok: boolean; body: unknown }> {
  try {
    const res = await fetch(url, init);
    return { ok: res.ok, body: await res.json().catch(() => null) };
  } catch {
    throw unavailable();
  }
}

async function discover(issuer: string): Promise<Discovery> {
  const cached = discoveries.get(issuer);
  if (cached && cached.until > Date.now()) return cached.doc;
  const res = await fetchJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok || typeof res.body !== 'object' || res.body === null) throw unavailable();
  const doc = res.body as Discovery;
  // The discovery document must be the issuer's own (OpenID Connect Discovery §4.3).
  if (doc.issuer !== issuer) throw new OidcRefusal('provider_misconfigured', 'The sign-in service is set up wrongly: its issuer does not match.');
  discoveries.set(issuer, { doc, until: Date.now() + 3600_000 });
  return doc;
}

const keySetFor = (jwksUri: string) => {
  let set = keySets.get(jwksUri);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri), { cacheMaxAge: 3600_000, timeoutDuration: 5_000 });
    keySets.set(jwksUri, set);
  }
  return set;
};

/** Why a single sign-on was refused, in words for the person (`code` for the audit trail and tests). */
export class OidcRefusal extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(code);
  }
}

const base64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

/** Starts a sign-in: stores state, nonce and PKCE verifier bound to this browser, and answers where to send it. */
export async function startOidc(db: D1Database, providerId: string, browserNonce: string, redirectUri: string): Promise<string> {
  const provider = await findProvider(db, providerId);
  if (!provider) throw new OidcRefusal('no_provider', 'That sign-in service is not set up for any partnership.');
  const doc = await discover(provider.issuer);
  const state = randomSecret('', 32);
  const nonce = randomSecret('', 32);
  const codeVerifier = randomSecret('', 48);
  const now = new Date();
  await insertAttemptStatement(db, {
    stateHash: await sha256Hex(state),
    providerId,
    nonce,
    codeVerifier,
    browserHash: await sha256Hex(browserNonce),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ATTEMPT_MINUTES * 60_000).toISOString(),
  }).run();
  const url = new URL(doc.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/**
 * Finishes a sign-in: the state must be unused, unexpired and this browser's; the code is
 * exchanged (with the PKCE verifier and the client secret); the ID token is verified and its
 * nonce matched; its email must be verified, in an allowed domain, and belong to an invited or
 * active account of the provider's partnership. Nobody is created here.
 */
export async function finishOidc(
  env: { DB: D1Database } & Record<string, unknown>,
  params: { state: string; code: string },
  browserNonce: string,
  redirectUri: string,
): Promise<Account> {
  const attempt = await consumeAttempt(env.DB, await sha256Hex(params.state), await sha256Hex(browserNonce), new Date().toISOString());
  if (!attempt) throw new OidcRefusal('state_invalid', 'This sign-in has expired or was already used. Start again from the sign-in page.');
  const provider = await findProvider(env.DB, attempt.providerId);
  if (!provider) throw new OidcRefusal('no_provider', 'That sign-in service is no longer set up.');
  const doc = await discover(provider.issuer);
  const idToken = await exchangeCode(env, provider, doc, params.code, attempt.codeVerifier, redirectUri);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keySetFor(doc.jwks_uri), {
      issuer: provider.issuer,
      audience: provider.clientId,
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch {
    throw new OidcRefusal('id_token_invalid', 'The sign-in service sent an identity Heard could not verify.');
  }
  if (payload.nonce !== attempt.nonce) throw new OidcRefusal('nonce_mismatch', 'The sign-in did not match the one this browser started. Start again.');
  const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : '';
  if (!email || payload.email_verified === false) throw new OidcRefusal('no_email', 'The sign-in service did not confirm an email address for you.');
  const domain = email.split('@')[1] ?? '';
  if (!provider.allowedDomains.includes(domain)) throw new OidcRefusal('domain_not_allowed', `Addresses at ${domain} cannot sign in through this service.`);
  const account = await findAccountByEmail(env.DB, email);
  if (!account || account.partnershipId !== provider.partnershipId || account.status === 'disabled') {
    throw new OidcRefusal(
      account?.status === 'disabled' ? 'account_disabled' : 'not_invited',
      account?.status === 'disabled'
        ? 'Your Heard account has been disabled. Ask your partnership’s admin if you think this is wrong.'
        : `There is no Heard account for ${email}. Ask your partnership’s admin to invite you.`,
    );
  }
  return account;
}

async function exchangeCode(env: Record<string, unknown>, provider: OidcProvider, doc: Discovery, code: string, codeVerifier: string, redirectUri: string) {
  const secret = env[provider.clientSecretName];
  if (typeof secret !== 'string') throw new OidcRefusal('provider_misconfigured', 'The sign-in service is set up wrongly: its client secret is missing.');
  const res = await fetchJson(doc.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`${encodeURIComponent(provider.clientId)}:${encodeURIComponent(secret)}`)}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (res.body ?? {}) as { id_token?: unknown };
  if (!res.ok || typeof body.id_token !== 'string') throw new OidcRefusal('code_refused', 'The sign-in service refused to complete the sign-in. Start again.');
  return body.id_token;
}
