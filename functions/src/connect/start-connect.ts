// Guide Step 3, "Save": the admin's Client ID and Secret are checked, the secret goes to Secret Manager, and the
// browser is sent to Google's consent screen with offline access, forced consent, PKCE S256, a nonce and a state.
// "Reauthorize" does the same with the stored client.
import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod } from 'google-auth-library';
import type { Firestore } from '@google-cloud/firestore';
import type { AdminPrincipal } from '../admin/authenticate-admin.ts';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { newOAuthClient } from '../google/clients.ts';
import { CONNECT_SCOPES } from '../google/scopes.ts';
import type { SecretStore } from '../platform/secret-store.ts';
import { getTenant, requireIntegrationPlan } from '../tenants/tenant.ts';
import { CLIENT_ID_FORMAT } from './client-id.ts';
import { readIntegration, secretIds } from './integration.ts';
import { createOAuthState, sha256 } from './oauth-state.ts';

/** What connect needs. */
export interface ConnectDependencies {
  readonly config: AppConfig;
  readonly db: Firestore;
  readonly secrets: SecretStore;
}

/** Integrate with new credentials, or reauthorize with the stored ones. */
export type ConnectRequest =
  | { readonly mode: 'connect'; readonly clientId: unknown; readonly clientSecret: unknown }
  | { readonly mode: 'reauthorize' };

function validateCredentials(
  clientIdInput: unknown,
  clientSecretInput: unknown,
): { clientId: string; clientSecret: string } {
  const clientId = typeof clientIdInput === 'string' ? clientIdInput.trim() : '';
  const clientSecret = typeof clientSecretInput === 'string' ? clientSecretInput.trim() : '';
  const problems: string[] = [];
  if (!CLIENT_ID_FORMAT.test(clientId))
    problems.push('Client ID must look like 123456789012-abc123.apps.googleusercontent.com');
  if (!/^[\x21-\x7e]{10,200}$/.test(clientSecret)) {
    problems.push('Client Secret must be the secret shown with the Client ID (10 or more characters, no spaces)');
  }
  if (problems.length > 0) throw new AppError('invalid_request', `${problems.join('. ')}.`);
  return { clientId, clientSecret };
}

/** Starts connect or reauthorization; returns Google's consent URL. */
export async function startConnect(
  deps: ConnectDependencies,
  admin: AdminPrincipal,
  request: ConnectRequest,
  browserId: string,
): Promise<{ authorizationUrl: string }> {
  requireIntegrationPlan(await getTenant(deps.db, admin.tenantId));
  let clientId: string;
  let clientSecret: string | undefined;
  let clientSecretVersion: string;
  if (request.mode === 'reauthorize') {
    const integration = await readIntegration(deps.db, admin.tenantId);
    const version = integration.credentials?.clientSecretVersion;
    clientSecret = version ? await deps.secrets.readVersion(version) : undefined;
    if (!integration.clientId || !version || !clientSecret) {
      throw new AppError('invalid_request', 'There is no saved OAuth client to reauthorize; use Integrate.');
    }
    clientId = integration.clientId;
    clientSecretVersion = version;
  } else {
    ({ clientId, clientSecret } = validateCredentials(request.clientId, request.clientSecret));
    clientSecretVersion = await deps.secrets.write(secretIds(admin.tenantId).pendingClientSecret, clientSecret);
  }

  const redirectUri = deps.config.redirectUris.connect;
  const oauth = newOAuthClient(deps.config, { clientId, clientSecret, redirectUri });
  const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
  const nonce = randomBytes(24).toString('base64url');
  const state = await createOAuthState(deps.db, {
    purpose: 'connect',
    tenant: admin.tenantId,
    uid: admin.uid,
    ...(admin.email && { adminEmail: admin.email }),
    code_verifier: codeVerifier,
    nonce,
    redirect_uri: redirectUri,
    browserHash: sha256(browserId),
    attempt: randomBytes(6).toString('base64url'),
    clientId,
    clientSecretVersion,
    pendingSecret: request.mode === 'connect',
  });
  const authorizationUrl = oauth.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: [...CONNECT_SCOPES],
    state,
    nonce,
    code_challenge: codeChallenge!,
    code_challenge_method: CodeChallengeMethod.S256,
    redirect_uri: redirectUri,
  });
  return { authorizationUrl };
}
