// The connect callback. The tenant comes from the state record alone. Verified first (see verify-grant.ts), then
// the new secrets are written as fresh versions, then one transaction switches the integration to them, so a
// failure at any point leaves a working connection as it was, and two attempts at once cannot mix credentials.
import type { Credentials, OAuth2Client } from 'google-auth-library';
import { newOAuthClient } from '../google/clients.ts';
import type { DirectoryProvider } from '../google/directory.ts';
import { CONNECT_SCOPES } from '../google/scopes.ts';
import { getTenant, hasIntegrationPlan } from '../tenants/tenant.ts';
import { ConnectError } from './connect-error.ts';
import { readIntegration, recordConnected, secretIds, type GoogleIntegration } from './integration.ts';
import { checkOAuthState, consumeOAuthState, type ConsumedState } from './oauth-state.ts';
import type { ConnectDependencies } from './start-connect.ts';
import { verifyGrant, type VerifiedGrant } from './verify-grant.ts';

/** The callback's query. */
export interface CallbackQuery {
  readonly state?: string | undefined;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
}

/** What the callback needs beyond connect's own: the directory, to check the new grant's admin. */
export interface CompleteConnectDependencies extends ConnectDependencies {
  readonly directory: DirectoryProvider;
}

/** Completes connect and returns the tenant, or throws a ConnectError naming what went wrong. */
export async function completeConnect(
  deps: CompleteConnectDependencies,
  query: CallbackQuery,
  browserId: string | undefined,
): Promise<string> {
  const record = await consumeOAuthState(deps.db, query.state, 'connect');
  try {
    checkOAuthState(record, browserId);
    await connectWith(deps, record, query);
    return record.tenant;
  } catch (error) {
    // A secret entered for a failed attempt was never proven; it is not kept.
    if (record.pendingSecret && record.clientSecretVersion)
      await deps.secrets.destroyVersion(record.clientSecretVersion).catch(() => undefined);
    const failure =
      error instanceof ConnectError
        ? error
        : new ConnectError('google_error', 'Google could not complete the connection. Try again in a moment.', {
            cause: error,
          });
    failure.tenantId = record.tenant;
    failure.attempt = record.attempt;
    throw failure;
  }
}

async function connectWith(
  deps: CompleteConnectDependencies,
  record: ConsumedState,
  query: CallbackQuery,
): Promise<void> {
  if (query.error) {
    if (query.error === 'access_denied') {
      throw new ConnectError(
        'consent_denied',
        'Access was not granted on the Google consent screen. Click Integrate and choose Allow.',
      );
    }
    throw new ConnectError('google_error', 'Google ended the sign-in with an error. Start again.');
  }
  if (!hasIntegrationPlan(await getTenant(deps.db, record.tenant))) {
    throw new ConnectError('plan_required', 'The Google Workspace integration needs the Business or Ultimate plan.');
  }
  const clientSecret = record.clientSecretVersion
    ? await deps.secrets.readVersion(record.clientSecretVersion)
    : undefined;
  if (!clientSecret || !record.clientId || !query.code)
    throw new ConnectError('invalid_state', 'This sign-in link is not valid. Start again.');
  const oauth = newOAuthClient(deps.config, {
    clientId: record.clientId,
    clientSecret,
    redirectUri: record.redirect_uri,
  });
  const tokens = await exchangeCode(oauth, query.code, record.code_verifier);
  const current = await readIntegration(deps.db, record.tenant);
  let grant: VerifiedGrant;
  try {
    grant = await verifyGrant(deps.directory, oauth, { clientId: record.clientId, nonce: record.nonce }, tokens);
  } catch (error) {
    if (!mayHoldSameGrant(current, record.clientId, subjectIn(tokens))) await revokeQuietly(oauth, tokens);
    throw error;
  }
  const ids = secretIds(record.tenant);
  const refreshTokenVersion = await deps.secrets.write(ids.refreshToken, tokens.refresh_token!);
  const clientSecretVersion = record.pendingSecret
    ? await deps.secrets.write(ids.clientSecret, clientSecret)
    : record.clientSecretVersion!;
  const replaced = await recordConnected(
    deps.db,
    record.tenant,
    {
      clientId: record.clientId,
      customerId: grant.customerId,
      primaryDomain: grant.primaryDomain,
      connectedBy: {
        uid: record.uid ?? '',
        googleEmail: grant.googleEmail,
        googleUserId: grant.sub,
        ...(record.adminEmail !== undefined && { adminEmail: record.adminEmail }),
      },
      scopes: [...CONNECT_SCOPES],
      credentials: { clientSecretVersion, refreshTokenVersion },
    },
    (previous) => admit(previous, grant.customerId),
  ).catch(async (error: unknown) => {
    await deps.secrets.destroyVersion(refreshTokenVersion).catch(() => undefined);
    if (record.pendingSecret) await deps.secrets.destroyVersion(clientSecretVersion).catch(() => undefined);
    if (!mayHoldSameGrant(current, record.clientId!, grant.sub)) await revokeQuietly(oauth, tokens);
    throw error;
  });
  await retireReplaced(deps, replaced, {
    clientSecretVersion,
    refreshTokenVersion,
    clientId: record.clientId,
    googleUserId: grant.sub,
  });
  if (record.pendingSecret && record.clientSecretVersion)
    await deps.secrets.destroyVersion(record.clientSecretVersion).catch(() => undefined);
}

function admit(previous: GoogleIntegration, customerId: string): void {
  if (previous.status === 'disconnecting')
    throw new ConnectError('google_error', 'A disconnect is under way. Try again when it has finished.');
  if (previous.status !== 'not_connected' && previous.customerId && previous.customerId !== customerId) {
    throw new ConnectError(
      'other_workspace',
      'This PBX is connected to another Google Workspace. Disconnect it first, then integrate the new one.',
    );
  }
}

// The replaced connection's secrets are destroyed; its grant is revoked unless the new one may be the same grant.
async function retireReplaced(
  deps: ConnectDependencies,
  replaced: GoogleIntegration,
  now: { clientSecretVersion: string; refreshTokenVersion: string; clientId: string; googleUserId: string },
): Promise<void> {
  const old = replaced.credentials;
  if (!old) return;
  if (old.refreshTokenVersion !== now.refreshTokenVersion) {
    const oldToken = await deps.secrets.readVersion(old.refreshTokenVersion).catch(() => undefined);
    const oldSecret = await deps.secrets.readVersion(old.clientSecretVersion).catch(() => undefined);
    if (oldToken && replaced.clientId && !mayHoldSameGrant(replaced, now.clientId, now.googleUserId)) {
      const oauth = newOAuthClient(deps.config, {
        clientId: replaced.clientId,
        clientSecret: oldSecret ?? '',
        redirectUri: deps.config.redirectUris.connect,
      });
      await revokeQuietly(oauth, { refresh_token: oldToken });
    }
    await deps.secrets.destroyVersion(old.refreshTokenVersion).catch(() => undefined);
  }
  if (old.clientSecretVersion !== now.clientSecretVersion)
    await deps.secrets.destroyVersion(old.clientSecretVersion).catch(() => undefined);
}

// Google's revoke ends every token the Google account holds at the client, so revoking any token of the account
// and client the live connection uses would end the live connection too. The account is known by its `sub`, which
// stays when an admin's address is renamed; the address does not. When either side's `sub` is unknown (an
// integration connected before it was recorded, or tokens without a readable ID token), a renamed admin cannot be
// told from another account, so the grant is taken to be the same and nothing is revoked: at worst a token nobody
// stores stays valid at Google until the admin removes the app's access, where revoking could end the working
// connection and stop every sync.
function mayHoldSameGrant(integration: GoogleIntegration, clientId: string, googleUserId: string | undefined): boolean {
  if (integration.status === 'not_connected' || integration.clientId !== clientId) return false;
  const liveUserId = integration.connectedBy?.googleUserId;
  return liveUserId === undefined || googleUserId === undefined || liveUserId === googleUserId;
}

// Only to decide whether revoking is safe; nothing is trusted from an unverified token.
function subjectIn(tokens: Credentials): string | undefined {
  try {
    const payload = tokens.id_token?.split('.')[1];
    const sub = payload
      ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }).sub
      : undefined;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

async function revokeQuietly(oauth: OAuth2Client, tokens: Credentials): Promise<void> {
  const token = tokens.refresh_token ?? tokens.access_token;
  if (token) await oauth.revokeToken(token).catch(() => undefined);
}

async function exchangeCode(oauth: OAuth2Client, code: string, codeVerifier: string): Promise<Credentials> {
  try {
    return (await oauth.getToken({ code, codeVerifier })).tokens;
  } catch (error) {
    const response = (error as { response?: { data?: { error?: string } } }).response;
    if (response?.data?.error === 'invalid_client' || response?.data?.error === 'unauthorized_client') {
      throw new ConnectError(
        'wrong_secret',
        'Google refused the Client Secret. Copy the Client ID and Client Secret again from the same OAuth client.',
      );
    }
    if (!response)
      throw new ConnectError(
        'google_error',
        'Google could not be reached to finish the sign-in. Try again in a moment.',
      );
    throw new ConnectError('google_error', 'Google refused the authorization code. Start again.');
  }
}
