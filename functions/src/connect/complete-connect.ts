// The connect callback. The tenant comes from the state record alone. The code is exchanged with PKCE; every
// required scope must have been granted; the ID token is verified with its nonce; a users.get of the admin with
// the new token proves directory access and yields the customer id. Only then is the refresh token stored and
// the integration marked connected. Any failure stores nothing and revokes what Google issued.
import type { Credentials, OAuth2Client } from 'google-auth-library';
import { newDirectoryClient, newOAuthClient } from '../google/clients.ts';
import { CONNECT_SCOPES, describeScope, missingScopes } from '../google/scopes.ts';
import { log } from '../log.ts';
import { getTenant, hasIntegrationPlan } from '../tenants/tenant.ts';
import { ConnectError } from './connect-error.ts';
import { recordConnected, secretIds } from './integration.ts';
import { consumeOAuthState, type OAuthStateRecord } from './oauth-state.ts';
import type { ConnectDependencies } from './start-connect.ts';

/** The callback's query. */
export interface CallbackQuery {
  readonly state?: string | undefined;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
}

/** Completes connect and returns the tenant, or throws a ConnectError naming what went wrong. */
export async function completeConnect(deps: ConnectDependencies, query: CallbackQuery, browserId: string | undefined): Promise<string> {
  let tenantId: string | undefined;
  try {
    const record = await consumeOAuthState(deps.db, query.state, 'connect', browserId);
    tenantId = record.tenant;
    await finishConnect(deps, record, query);
    return tenantId;
  } catch (error) {
    tenantId ??= error instanceof ConnectError ? error.tenantId : undefined;
    // A secret entered for a failed attempt was never proven; it is not kept.
    if (tenantId) await deps.secrets.destroy(secretIds(tenantId).pendingClientSecret).catch(() => undefined);
    if (error instanceof ConnectError) {
      error.tenantId = tenantId;
      throw error;
    }
    throw new ConnectError('google_error', 'Google could not complete the connection. Try again in a moment.', { cause: error, tenantId });
  }
}

async function finishConnect(deps: ConnectDependencies, record: OAuthStateRecord, query: CallbackQuery): Promise<void> {
  if (query.error) {
    const denied = query.error === 'access_denied';
    throw new ConnectError(
      denied ? 'consent_denied' : 'google_error',
      denied ? 'Access was not granted on the Google consent screen. Click Integrate and choose Allow.' : `Google answered "${query.error}".`,
    );
  }
  if (!hasIntegrationPlan(await getTenant(deps.db, record.tenant))) {
    throw new ConnectError('plan_required', 'The Google Workspace integration needs the Business or Ultimate plan.');
  }
  const ids = secretIds(record.tenant);
  const secretId = record.credentials === 'pending' ? ids.pendingClientSecret : ids.clientSecret;
  const clientSecret = await deps.secrets.read(secretId);
  if (!clientSecret || !record.clientId || !query.code) {
    throw new ConnectError('invalid_state', 'This sign-in link is not valid. Start again.');
  }
  const oauth = newOAuthClient(deps.config, { clientId: record.clientId, clientSecret, redirectUri: record.redirect_uri });
  const tokens = await exchangeCode(oauth, query.code, record.code_verifier);
  try {
    const connection = await verifyGrant(deps, oauth, record, tokens);
    await deps.secrets.write(ids.refreshToken, tokens.refresh_token!);
    if (record.credentials === 'pending') {
      await deps.secrets.write(ids.clientSecret, clientSecret);
      await deps.secrets.destroy(ids.pendingClientSecret);
    }
    await recordConnected(deps.db, record.tenant, connection);
    log.info('Google Workspace connected', { tenant: record.tenant, customerId: connection.customerId });
  } catch (error) {
    await oauth.revokeToken(tokens.refresh_token ?? tokens.access_token ?? '').catch(() => undefined);
    throw error;
  }
}

async function exchangeCode(oauth: OAuth2Client, code: string, codeVerifier: string): Promise<Credentials> {
  try {
    return (await oauth.getToken({ code, codeVerifier })).tokens;
  } catch (error) {
    const oauthError = (error as { response?: { data?: { error?: string } } }).response?.data?.error;
    if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client') {
      throw new ConnectError('wrong_secret', 'Google refused the Client Secret. Copy the Client ID and Client Secret again from the same OAuth client.', {
        cause: error,
      });
    }
    throw new ConnectError('google_error', 'Google refused the authorization code. Start again.', { cause: error });
  }
}

async function verifyGrant(deps: ConnectDependencies, oauth: OAuth2Client, record: OAuthStateRecord, tokens: Credentials) {
  const missing = missingScopes(tokens.scope, CONNECT_SCOPES);
  if (missing.length > 0) {
    throw new ConnectError(
      'missing_scope',
      `Every permission must be allowed on the Google consent screen; missing: ${missing.map(describeScope).join(', ')}. Click Integrate and leave every box ticked.`,
    );
  }
  if (!tokens.id_token || !tokens.refresh_token) {
    throw new ConnectError('no_refresh_token', 'Google did not grant offline access. Start again.');
  }
  const payload = (await oauth.verifyIdToken({ idToken: tokens.id_token, audience: record.clientId! })).getPayload();
  if (!payload || payload.nonce !== record.nonce || payload.email_verified !== true || !payload.email) {
    throw new ConnectError('google_error', 'Google returned a sign-in that could not be verified. Start again.');
  }
  if (!payload.hd) {
    throw new ConnectError('not_admin', `${payload.email} is not a Google Workspace account. Sign in as a Workspace super administrator.`);
  }
  oauth.setCredentials(tokens);
  const admin = await readAdminUser(deps, oauth, payload.sub, payload.email);
  return {
    clientId: record.clientId!,
    customerId: admin.customerId,
    primaryDomain: payload.hd,
    connectedBy: { uid: record.uid ?? '', googleEmail: payload.email },
    scopes: [...CONNECT_SCOPES],
  };
}

// Reading one's own user with admin_view succeeds only for a directory admin, and it yields the customer id.
async function readAdminUser(deps: ConnectDependencies, oauth: OAuth2Client, sub: string, email: string) {
  try {
    const { data } = await newDirectoryClient(deps.config, oauth).users.get({
      userKey: sub,
      viewType: 'admin_view',
      fields: 'id,primaryEmail,customerId',
    });
    if (data.id !== sub || !data.customerId) throw new Error('The Directory returned another user');
    return { customerId: data.customerId };
  } catch (error) {
    const status = (error as { status?: number; response?: { status?: number } }).response?.status;
    if (status === 403) {
      throw new ConnectError('not_admin', `${email} may not read the Workspace directory. Sign in as a Workspace super administrator.`, {
        cause: error,
      });
    }
    throw error;
  }
}
