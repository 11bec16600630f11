// The tenant's Google session: its OAuth client with the stored refresh token, from the pinned secret versions.
// When Google refuses the refresh for a lasting reason (the grant revoked or expired, the client deleted or its
// secret reset, the app blocked by the Workspace's API controls) the integration becomes "reauthorization
// required" with that reason and what to do: syncs stop, nothing is deleted, SSO keeps working.
import type { OAuth2Client } from 'google-auth-library';
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import { authorizationProblemOf, type TokenErrorBody } from '../connect/authorization-problem.ts';
import {
  markReauthorizationRequired,
  readIntegration,
  type ConnectedBy,
  type CredentialVersions,
} from '../connect/integration.ts';
import { AppError } from '../errors.ts';
import { newOAuthClient } from './clients.ts';
import { ReauthorizationRequired } from './directory-errors.ts';
import { log } from '../log.ts';
import type { SecretStore } from '../platform/secret-store.ts';

/** A tenant's client as a warm instance keeps it, with the credentials it was built from. */
export interface CachedSession {
  readonly key: string;
  readonly oauth: OAuth2Client;
}

/** The sessions of an instance, by tenant (InstanceCaches.sessions). A warm instance keeps each tenant's client, and
 * with it the access token (valid an hour), for as long as the integration's pinned credentials stay the same: a
 * page then costs one document read instead of two secret reads and a token refresh. This is a cache, never
 * coordination: every session still reads the integration's status. */
export type SessionCache = Map<string, CachedSession>;

/** What a session needs. */
export interface SessionDependencies {
  readonly config: AppConfig;
  readonly db: Firestore;
  readonly secrets: SecretStore;
  readonly sessions: SessionCache;
}

/** A tenant's session: an OAuth client with a fresh access token, and who connected. */
export interface TenantSession {
  readonly oauth: OAuth2Client;
  readonly connectedBy: ConnectedBy | undefined;
}

/** Opens the tenant's session, from this instance's cache while the pinned credentials stay the same. */
export async function googleSession(deps: SessionDependencies, tenantId: string): Promise<TenantSession> {
  const integration = await readIntegration(deps.db, tenantId);
  const versions = integration.credentials;
  if (integration.status !== 'connected' || !versions || !integration.clientId) {
    deps.sessions.delete(tenantId);
    // Another task of the run may have met the refusal first: its reason is the run's, whoever fails it.
    throw new ReauthorizationRequired(
      integration.authorizationProblem?.message ?? `The integration is ${integration.status.replaceAll('_', ' ')}`,
    );
  }
  const { connectedBy } = integration;
  const key = `${integration.clientId} ${versions.clientSecretVersion} ${versions.refreshTokenVersion}`;
  const cached = deps.sessions.get(tenantId);
  if (cached?.key === key) {
    await refresh(deps, tenantId, versions, cached.oauth);
    return { oauth: cached.oauth, connectedBy };
  }
  const [clientSecret, refreshToken] = await Promise.all([
    deps.secrets.readVersion(versions.clientSecretVersion),
    deps.secrets.readVersion(versions.refreshTokenVersion),
  ]);
  if (!clientSecret || !refreshToken) throw new ReauthorizationRequired('The stored Google credentials are gone');
  const oauth = newOAuthClient(deps.config, {
    clientId: integration.clientId,
    clientSecret,
    redirectUri: deps.config.redirectUris.connect,
  });
  oauth.setCredentials({ refresh_token: refreshToken });
  await refresh(deps, tenantId, versions, oauth);
  deps.sessions.set(tenantId, { key, oauth });
  return { oauth, connectedBy };
}

// Refreshes the access token when it is missing or about to expire; a lasting refusal becomes reauthorization.
async function refresh(
  deps: Pick<SessionDependencies, 'db' | 'sessions'>,
  tenantId: string,
  versions: CredentialVersions,
  oauth: OAuth2Client,
): Promise<void> {
  try {
    await oauth.getAccessToken();
  } catch (error) {
    deps.sessions.delete(tenantId);
    const problem = authorizationProblemOf((error as { response?: { data?: TokenErrorBody } }).response?.data);
    if (problem) {
      await markReauthorizationRequired(deps.db, tenantId, versions, problem);
      // Operators alert on this line: the tenant's admin must act before any sync can run.
      log.warn('Google authorization revoked: reauthorization required', { tenant: tenantId, problem: problem.code });
      throw new ReauthorizationRequired(problem.message);
    }
    throw new AppError('unavailable', 'Google could not issue an access token', { cause: error });
  }
}
