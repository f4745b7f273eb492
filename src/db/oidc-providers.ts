/** A partnership's OpenID Connect providers, and the sign-ins started at them. */
export interface OidcProvider {
  id: string;
  partnershipId: string;
  label: string;
  issuer: string;
  clientId: string;
  /** The name of the Worker secret holding the client secret (`wrangler secret put <name>`). */
  clientSecretName: string;
  allowedDomains: string[];
  createdAt: string;
}

interface ProviderRow {
  id: string;
  partnership_id: string;
  label: string;
  issuer: string;
  client_id: string;
  client_secret_name: string;
  allowed_domains: string;
  created_at: string;
}

const COLUMNS = 'id, partnership_id, label, issuer, client_id, client_secret_name, allowed_domains, created_at';

const toProvider = (r: ProviderRow): OidcProvider => ({
  id: r.id,
  partnershipId: r.partnership_id,
  label: r.label,
  issuer: r.issuer,
  clientId: r.client_id,
  clientSecretName: r.client_secret_name,
  allowedDomains: JSON.parse(r.allowed_domains) as string[],
  createdAt: r.created_at,
});

export const insertProviderStatement = (db: D1Database, p: OidcProvider) =>
  db
    .prepare(`INSERT INTO oidc_providers (${COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`)
    .bind(p.id, p.partnershipId, p.label, p.issuer, p.clientId, p.clientSecretName, JSON.stringify(p.allowedDomains), p.createdAt);

export async function findProvider(db: D1Database, id: string): Promise<OidcProvider | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM oidc_providers WHERE id = ?1`).bind(id).first<ProviderRow>();
  return row ? toProvider(row) : null;
}

/** Every provider of every partnership, for the sign-in page's buttons. */
export async function listAllProviders(db: D1Database): Promise<OidcProvider[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM oidc_providers ORDER BY label`).all<ProviderRow>();
  return results.map(toProvider);
}

export async function listProviders(db: D1Database, partnershipId: string): Promise<OidcProvider[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM oidc_providers WHERE partnership_id = ?1 ORDER BY label`).bind(partnershipId).all<ProviderRow>();
  return results.map(toProvider);
}

export const insertAttemptStatement = (
  db: D1Database,
  a: { stateHash: string; providerId: string; nonce: string; codeVerifier: string; browserHash: string; createdAt: string; expiresAt: string },
) =>
  db
    .prepare(
      'INSERT INTO oidc_attempts (state_hash, provider_id, nonce, code_verifier, browser_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)',
    )
    .bind(a.stateHash, a.providerId, a.nonce, a.codeVerifier, a.browserHash, a.createdAt, a.expiresAt);

/** Uses a started sign-in once: unused, unexpired, and from the browser that started it. */
export async function consumeAttempt(
  db: D1Database,
  stateHash: string,
  browserHash: string,
  now: string,
): Promise<{ providerId: string; nonce: string; codeVerifier: string } | null> {
  const row = await db
    .prepare(
      `UPDATE oidc_attempts SET used_at = ?3
       WHERE state_hash = ?1 AND browser_hash = ?2 AND used_at IS NULL AND expires_at > ?3
       RETURNING provider_id, nonce, code_verifier`,
    )
    .bind(stateHash, browserHash, now)
    .first<{ provider_id: string; nonce: string; code_verifier: string }>();
  return row ? { providerId: row.provider_id, nonce: row.nonce, codeVerifier: row.code_verifier } : null;
}
