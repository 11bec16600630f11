// Guide Step 3, "Save": the admin's Client ID and Secret are checked, the secret goes to Secret Manager, and the
// browser is sent to Google's consent screen with offline access, forced consent, PKCE S256, a nonce and a state.
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
import { readIntegration, secretIds } from './integration.ts';
import { createOAuthState, sha256 } from './oauth-state.ts';

/** What connect needs. */
export interface ConnectDependencies {
  readonly config: AppConfig;
  readonly db: Firestore;
  readonly secrets: SecretStore;
}

/** The form's fields; both are absent on "Reauthorize", which reuses the stored client. */
export interface ConnectInput {
  readonly clientId?: unknown;
  readonly clientSecret?: unknown;
}

/** Google's OAuth client ids: a project number, a dash, an id, and Google's domain. */
export const CLIENT_ID_FORMAT = /^\d+-[a-z0-9]+\.apps\.googleusercontent\.com$/;

function validateCredentials(input: ConnectInput): { clientId: string; clientSecret: string } {
  const clientId = typeof input.clientId === 'string' ? input.clientId.trim() : '';
  const clientSecret = typeof input.clientSecret === 'string' ? input.clientSecret.trim() : '';
  const problems: string[] = [];
  if (!CLIENT_ID_FORMAT.test(clientId)) {
    problems.push('Client ID must look like 123456789012-abc123.apps.googleusercontent.com');
  }
  if (!/^[\x21-\x7e]{10,200}$/.test(clientSecret)) {
    problems.push('Client Secret must be the secret shown with the Client ID (10 or more characters, no spaces)');
  }
  if (problems.length > 0) throw new AppError('invalid_request', `${problems.join('. ')}.`);
  return { clientId, clientSecret };
}

/** Starts connect (new credentials) or reauthorization (stored ones); returns Google's consent URL. */
export async function startConnect(
  deps: ConnectDependencies,
  admin: AdminPrincipal,
  input: ConnectInput,
  browserId: string,
): Promise<{ authorizationUrl: string }> {
  requireIntegrationPlan(await getTenant(deps.db, admin.tenantId));
  const ids = secretIds(admin.tenantId);
  const reauthorize = input.clientId === undefined && input.clientSecret === undefined;
  let clientId: string;
  let clientSecret: string | undefined;
  if (reauthorize) {
    clientId = (await readIntegration(deps.db, admin.tenantId)).clientId ?? '';
    clientSecret = clientId ? await deps.secrets.read(ids.clientSecret) : undefined;
    if (!clientSecret) throw new AppError('invalid_request', 'There is no saved OAuth client to reauthorize; use Integrate.');
  } else {
    ({ clientId, clientSecret } = validateCredentials(input));
    await deps.secrets.write(ids.pendingClientSecret, clientSecret);
  }

  const redirectUri = deps.config.redirectUris.connect;
  const oauth = newOAuthClient(deps.config, { clientId, clientSecret, redirectUri });
  const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
  const nonce = randomBytes(24).toString('base64url');
  const state = await createOAuthState(deps.db, {
    purpose: 'connect',
    tenant: admin.tenantId,
    uid: admin.uid,
    code_verifier: codeVerifier,
    nonce,
    redirect_uri: redirectUri,
    browserHash: sha256(browserId),
    clientId,
    credentials: reauthorize ? 'active' : 'pending',
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
