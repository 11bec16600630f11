// Fidelity of the stand-in's token endpoint when an admin changes the OAuth client under a live connection, with
// the real google-auth-library refreshing as the product does. Each answer and its source is listed in
// dev/google/oauth/client-states.ts: deleted_client, invalid_client "Unauthorized", unauthorized_client,
// admin_policy_enforced, invalid_grant with error_subtype invalid_rapt, and "Token has been expired or revoked.".
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod, type OAuth2Client } from 'google-auth-library';
import { loadConfig } from '../../functions/src/config.ts';
import { newOAuthClient } from '../../functions/src/google/clients.ts';
import { signInOverHttp } from '../support/google-signin.ts';
import { useStack } from '../support/stack.ts';

interface Connection {
  readonly clientId: string;
  readonly secret: string;
  readonly refreshToken: string;
  readonly redirectUri: string;
}

async function oauthClient(clientId: string, clientSecret: string, redirectUri: string): Promise<OAuth2Client> {
  const stack = await useStack();
  return newOAuthClient(loadConfig(stack.functionsEnv), { clientId, clientSecret, redirectUri });
}

// A client registered as an admin creates one, and an offline grant of the demo's super admin.
async function connection(): Promise<Connection> {
  const stack = await useStack();
  const clientId = `${Date.now()}${Math.floor(Math.random() * 1000)}-${randomBytes(6).toString('hex')}.apps.googleusercontent.com`;
  const secret = `GOCSPX-${randomBytes(12).toString('hex')}`;
  const redirectUri = `${stack.addresses.publicBaseUrl}/oauth/google/callback`;
  stack.google.registerClient({ client_id: clientId, client_secret: secret, redirect_uris: [redirectUri] });
  const oauth = await oauthClient(clientId, secret, redirectUri);
  const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
  const url = oauth.generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: ['openid', 'email'],
    code_challenge: codeChallenge!,
    code_challenge_method: CodeChallengeMethod.S256,
  });
  const result = await signInOverHttp(url, redirectUri, { email: 'admin@acme.example' });
  assert.equal(result.kind, 'redirect');
  const code = (result as { url: URL }).url.searchParams.get('code')!;
  const { tokens } = await oauth.getToken({ code, codeVerifier });
  return { clientId, secret, redirectUri, refreshToken: tokens.refresh_token! };
}

// What google-auth-library's refresh meets: the HTTP status and Google's JSON body.
async function refreshAnswer(clientId: string, secret: string, redirectUri: string, refreshToken: string) {
  const oauth = await oauthClient(clientId, secret, redirectUri);
  oauth.setCredentials({ refresh_token: refreshToken });
  try {
    await oauth.getAccessToken();
    return { status: 200, data: {} as Record<string, unknown> };
  } catch (error) {
    const response = (error as { response?: { status: number; data: Record<string, unknown> } }).response;
    assert.ok(response, `Google answered: ${String(error)}`);
    return { status: response.status, data: response.data };
  }
}

async function control(path: string, body: object = {}): Promise<number> {
  const stack = await useStack();
  const response = await fetch(`${stack.addresses.googleUrl}/__control/oauth${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.status;
}

describe('Google OAuth stand-in: refresh failures after an admin changed the client', function () {
  this.timeout(60_000);

  it('answers 401 deleted_client "The OAuth client was deleted." once the client is deleted', async () => {
    const live = await connection();
    assert.equal((await refreshAnswer(live.clientId, live.secret, live.redirectUri, live.refreshToken)).status, 200);
    assert.equal(await control(`/clients/${live.clientId}/delete`), 204);
    assert.deepEqual(await refreshAnswer(live.clientId, live.secret, live.redirectUri, live.refreshToken), {
      status: 401,
      data: { error: 'deleted_client', error_description: 'The OAuth client was deleted.' },
    });
  });

  it('answers 401 invalid_client "Unauthorized" to the old secret once the secret is reset, and refreshes with the new one', async () => {
    const live = await connection();
    const renewed = `GOCSPX-${randomBytes(12).toString('hex')}`;
    assert.equal(await control(`/clients/${live.clientId}/reset-secret`, { client_secret: renewed }), 204);
    assert.deepEqual(await refreshAnswer(live.clientId, live.secret, live.redirectUri, live.refreshToken), {
      status: 401,
      data: { error: 'invalid_client', error_description: 'Unauthorized' },
    });
    assert.equal((await refreshAnswer(live.clientId, renewed, live.redirectUri, live.refreshToken)).status, 200);
  });

  it('answers 401 unauthorized_client to a refresh token issued to another client', async () => {
    const [first, second] = [await connection(), await connection()];
    assert.deepEqual(await refreshAnswer(second.clientId, second.secret, second.redirectUri, first.refreshToken), {
      status: 401,
      data: { error: 'unauthorized_client', error_description: 'Unauthorized' },
    });
  });

  it('answers admin_policy_enforced while the app is blocked, and invalid_grant with error_subtype invalid_rapt under session control', async () => {
    const live = await connection();
    assert.equal(await control(`/clients/${live.clientId}/block`, { block: 'app_blocked' }), 204);
    const blocked = await refreshAnswer(live.clientId, live.secret, live.redirectUri, live.refreshToken);
    assert.deepEqual([blocked.status, blocked.data['error']], [400, 'admin_policy_enforced']);
    assert.equal(await control(`/clients/${live.clientId}/block`, { block: 'reauth_required' }), 204);
    const reauth = await refreshAnswer(live.clientId, live.secret, live.redirectUri, live.refreshToken);
    assert.deepEqual(
      [reauth.status, reauth.data['error'], reauth.data['error_subtype'], reauth.data['error_description']],
      [400, 'invalid_grant', 'invalid_rapt', 'reauth related error (invalid_rapt)'],
    );
    assert.equal(await control(`/clients/${live.clientId}/unblock`), 204);
    assert.equal((await refreshAnswer(live.clientId, live.secret, live.redirectUri, live.refreshToken)).status, 200);
  });

  it('answers 400 invalid_grant "Token has been expired or revoked." for a revoked refresh token', async () => {
    const live = await connection();
    await (await oauthClient(live.clientId, live.secret, live.redirectUri)).revokeToken(live.refreshToken);
    assert.deepEqual(await refreshAnswer(live.clientId, live.secret, live.redirectUri, live.refreshToken), {
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
  });
});
