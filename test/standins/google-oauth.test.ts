// Fidelity of the Google OAuth/OIDC stand-in, checked with the real google-auth-library against Google's
// documented behaviour: offline access, granular consent, exact redirect URIs, client secrets, PKCE, revocation,
// ID token claims, and the crafted tokens used by forged-input tests.
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { admin_directory_v1 } from '@googleapis/admin';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { loadConfig, type GoogleEndpoints } from '../../functions/src/config.ts';
import { newOAuthClient } from '../../functions/src/google/clients.ts';
import { signInOverHttp, type SignInChoices } from '../support/google-signin.ts';
import { useStack } from '../support/stack.ts';

const USER_READONLY = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
const GROUP_READONLY = 'https://www.googleapis.com/auth/admin.directory.group.readonly';
const SCOPES = ['openid', 'email', USER_READONLY, GROUP_READONLY];
/** `email` as Google reports it granted. */
const USERINFO_EMAIL = 'https://www.googleapis.com/auth/userinfo.email';

interface TestClient {
  readonly oauth: OAuth2Client;
  readonly clientId: string;
  readonly secret: string;
  readonly redirectUri: string;
  readonly google: GoogleEndpoints;
}

async function newClient(secretOverride?: string): Promise<TestClient> {
  const stack = await useStack();
  const google = loadConfig(stack.functionsEnv).google;
  const clientId = `${Date.now()}${Math.floor(Math.random() * 1000)}-${randomBytes(6).toString('hex')}.apps.googleusercontent.com`;
  const secret = `GOCSPX-${randomBytes(12).toString('hex')}`;
  const redirectUri = `${stack.addresses.publicBaseUrl}/oauth/google/callback`;
  stack.google.registerClient({ client_id: clientId, client_secret: secret, redirect_uris: [redirectUri] });
  // The product's own client factory, so the test exercises exactly the endpoints and issuers it uses.
  const oauth = newOAuthClient(loadConfig(stack.functionsEnv), {
    clientId,
    clientSecret: secretOverride ?? secret,
    redirectUri,
  });
  return { oauth, clientId, secret, redirectUri, google };
}

async function authorize(
  client: TestClient,
  choices: SignInChoices,
  options: { offline?: boolean; scopes?: string[] } = {},
) {
  const { codeVerifier, codeChallenge } = await client.oauth.generateCodeVerifierAsync();
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const url = client.oauth.generateAuthUrl({
    access_type: options.offline === false ? 'online' : 'offline',
    prompt: 'consent',
    scope: options.scopes ?? SCOPES,
    state,
    nonce,
    code_challenge: codeChallenge!,
    code_challenge_method: CodeChallengeMethod.S256,
  });
  const result = await signInOverHttp(url, client.redirectUri, choices);
  return { result, codeVerifier, state, nonce };
}

async function signInAndExchange(
  client: TestClient,
  choices: SignInChoices,
  options: { offline?: boolean; scopes?: string[] } = {},
) {
  const flow = await authorize(client, choices, options);
  assert.equal(flow.result.kind, 'redirect', 'the stand-in redirected back to the client');
  const url = (flow.result as { url: URL }).url;
  assert.equal(url.searchParams.get('state'), flow.state);
  const { tokens } = await client.oauth.getToken({
    code: url.searchParams.get('code')!,
    codeVerifier: flow.codeVerifier,
  });
  return { tokens, ...flow, code: url.searchParams.get('code')! };
}

function directory(client: TestClient, accessToken: string) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: accessToken });
  return new admin_directory_v1.Admin({ rootUrl: client.google.directoryRootUrl, auth, retry: false });
}

describe('Google OAuth/OIDC stand-in', function () {
  this.timeout(60_000);

  it('issues a refresh token for access_type=offline with consent, and an ID token that verifies', async () => {
    const client = await newClient();
    const { tokens, nonce } = await signInAndExchange(client, { email: 'admin@acme.example' });
    assert.ok(tokens.refresh_token, 'a refresh token');
    assert.ok(tokens.access_token);
    const ticket = await client.oauth.verifyIdToken({ idToken: tokens.id_token!, audience: client.clientId });
    const payload = ticket.getPayload()!;
    assert.equal(payload.email, 'admin@acme.example');
    assert.equal(payload.email_verified, true);
    assert.equal(payload.hd, 'acme.example');
    assert.equal(payload.nonce, nonce);
    assert.equal(payload.iss, client.google.issuer);
    assert.match(payload.sub, /^\d{21}$/);
  });

  // Google reports `email` by its long name and never offline_access, which it does not know as a scope: asked for
  // "email profile", it reports "https://www.googleapis.com/auth/userinfo.email openid
  // https://www.googleapis.com/auth/userinfo.profile" (github.com/googleapis/google-api-python-client/pull/1088),
  // the same at tokeninfo (github.com/google/oauth2l/issues/88), and it refuses offline_access as an invalid scope
  // (github.com/lukaszraczylo/traefikoidc/issues/44).
  it('reports the granted scope as Google does, at the code exchange, on refresh and at tokeninfo', async () => {
    const client = await newClient();
    const { tokens } = await signInAndExchange(client, { email: 'admin@acme.example' });
    const granted = new Set(['openid', USERINFO_EMAIL, USER_READONLY, GROUP_READONLY]);
    assert.deepEqual(new Set(tokens.scope!.split(' ')), granted);
    client.oauth.setCredentials({ refresh_token: tokens.refresh_token! });
    const refreshed = await client.oauth.getAccessToken();
    const refreshScope = (refreshed.res?.data as { scope?: string } | undefined)?.scope ?? '';
    assert.deepEqual(new Set(refreshScope.split(' ')), granted);
    const info = await client.oauth.getTokenInfo(refreshed.token!);
    assert.deepEqual(new Set(info.scopes), granted);
    assert.equal(info.email, 'admin@acme.example');
  });

  it('gives no refresh token without access_type=offline', async () => {
    const client = await newClient();
    const { tokens } = await signInAndExchange(client, { email: 'admin@acme.example' }, { offline: false });
    assert.ok(tokens.access_token);
    assert.equal(tokens.refresh_token, undefined);
  });

  it("puts the domain of a secondary-domain user's primary e-mail in hd, and sub = the Directory user id", async () => {
    const client = await newClient();
    const { tokens } = await signInAndExchange(client, { email: 'ravi.patel@acme-labs.example' });
    const payload = (
      await client.oauth.verifyIdToken({ idToken: tokens.id_token!, audience: client.clientId })
    ).getPayload()!;
    assert.equal(payload.hd, 'acme-labs.example');
    const stack = await useStack();
    assert.equal(payload.sub, stack.google.fixtures.findUserAnywhere('ravi.patel@acme-labs.example')?.user.id);
  });

  it('signs in a consumer account with no hd claim', async () => {
    const client = await newClient();
    const { tokens } = await signInAndExchange(client, { email: 'someone@gmail.example' });
    const payload = (
      await client.oauth.verifyIdToken({ idToken: tokens.id_token!, audience: client.clientId })
    ).getPayload()!;
    assert.equal(payload.hd, undefined);
    assert.equal(payload.email, 'someone@gmail.example');
  });

  it('lets the user untick a scope, and the token response omits it, as granular consent does', async () => {
    const client = await newClient();
    const { tokens } = await signInAndExchange(client, { email: 'admin@acme.example', untick: [GROUP_READONLY] });
    const granted = tokens.scope!.split(' ');
    assert.ok(granted.includes(USER_READONLY));
    assert.equal(granted.includes(GROUP_READONLY), false);
    await assert.rejects(
      directory(client, tokens.access_token!).groups.list({ customer: 'my_customer' }),
      (error: { status?: number; message?: string }) =>
        error.status === 403 && /insufficient authentication scopes/.test(error.message ?? ''),
    );
  });

  it('redirects with error=access_denied when the user cancels', async () => {
    const client = await newClient();
    const { result } = await authorize(client, { email: 'admin@acme.example', decision: 'cancel' });
    assert.equal(result.kind, 'redirect');
    assert.equal((result as { url: URL }).url.searchParams.get('error'), 'access_denied');
  });

  it('refuses a suspended or archived account at the Email step', async () => {
    const client = await newClient();
    for (const email of ['lucas.martin@acme.example', 'nora.lindqvist@acme.example']) {
      const { result } = await authorize(client, { email });
      assert.equal(result.kind, 'page');
      assert.match((result as { html: string }).html, /Account disabled/);
    }
  });

  it('refuses a redirect_uri that is not registered exactly, without redirecting to it', async () => {
    const client = await newClient();
    const url = client.oauth.generateAuthUrl({ scope: SCOPES, redirect_uri: `${client.redirectUri}/extra` });
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.match(await response.text(), /redirect_uri/);
  });

  it('refuses a wrong client secret at the token endpoint', async () => {
    const client = await newClient('GOCSPX-wrong-secret-000000');
    const flow = await authorize(client, { email: 'admin@acme.example' });
    const code = (flow.result as { url: URL }).url.searchParams.get('code')!;
    await assert.rejects(client.oauth.getToken({ code, codeVerifier: flow.codeVerifier }), /invalid_client/);
  });

  it('refuses a wrong PKCE code_verifier and a reused code', async () => {
    const client = await newClient();
    const flow = await authorize(client, { email: 'admin@acme.example' });
    const code = (flow.result as { url: URL }).url.searchParams.get('code')!;
    await assert.rejects(client.oauth.getToken({ code, codeVerifier: 'x'.repeat(64) }), /invalid_grant/);
    const second = await authorize(client, { email: 'admin@acme.example' });
    const secondCode = (second.result as { url: URL }).url.searchParams.get('code')!;
    await client.oauth.getToken({ code: secondCode, codeVerifier: second.codeVerifier });
    await assert.rejects(
      client.oauth.getToken({ code: secondCode, codeVerifier: second.codeVerifier }),
      /invalid_grant/,
    );
  });

  it('refreshes, then revokes the whole grant: refresh gives invalid_grant and the access token stops working', async () => {
    const client = await newClient();
    const { tokens } = await signInAndExchange(client, { email: 'admin@acme.example' });
    client.oauth.setCredentials({ refresh_token: tokens.refresh_token! });
    const refreshed = await client.oauth.getAccessToken();
    assert.ok(refreshed.token && refreshed.token !== tokens.access_token, 'a new access token');
    const users = directory(client, refreshed.token).users;
    assert.equal((await users.get({ userKey: 'admin@acme.example' })).data.primaryEmail, 'admin@acme.example');

    await client.oauth.revokeToken(tokens.refresh_token!);
    // Same client, no cached access token: getAccessToken must go to the token endpoint with the refresh token.
    client.oauth.setCredentials({ refresh_token: tokens.refresh_token! });
    await assert.rejects(client.oauth.getAccessToken(), /invalid_grant/);
    await assert.rejects(
      users.get({ userKey: 'admin@acme.example' }),
      (error: { status?: number }) => error.status === 401,
    );
  });

  // Google: "The token can be an access token or a refresh token. If the token is an access token and it has a
  // corresponding refresh token, the refresh token will also be revoked", and revoking "removes all OAuth 2.0
  // scopes previously granted to a project, invalidating any issued access or refresh tokens"
  // (https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke).
  it('revokes every token the account holds at the client, whichever one is revoked, and no other account’s or client’s', async () => {
    const client = await newClient();
    const first = await signInAndExchange(client, { email: 'admin@acme.example' });
    const second = await signInAndExchange(client, { email: 'admin@acme.example' });
    const otherAccount = await signInAndExchange(client, { email: 'olivia.bennett@acme.example' });
    const otherClient = await newClient();
    const sameAccountElsewhere = await signInAndExchange(otherClient, { email: 'admin@acme.example' });
    assert.notEqual(first.tokens.refresh_token, second.tokens.refresh_token, 'two consents, two refresh tokens');

    await client.oauth.revokeToken(first.tokens.access_token!);

    // A fresh client each time, so no access token cached by an earlier call answers instead of the token endpoint.
    const refreshWorks = async (owner: TestClient, refreshToken: string) => {
      const oauth = newOAuthClient(loadConfig((await useStack()).functionsEnv), {
        clientId: owner.clientId,
        clientSecret: owner.secret,
        redirectUri: owner.redirectUri,
      });
      oauth.setCredentials({ refresh_token: refreshToken });
      return oauth.refreshAccessToken().then(
        () => true,
        (error: Error) => (/invalid_grant/.test(error.message) ? false : Promise.reject(error)),
      );
    };
    assert.equal(
      await refreshWorks(client, first.tokens.refresh_token!),
      false,
      'the revoked access token’s refresh token',
    );
    assert.equal(
      await refreshWorks(client, second.tokens.refresh_token!),
      false,
      'the refresh token of the other consent',
    );
    const users = (accessToken: string) => directory(client, accessToken).users;
    await assert.rejects(
      users(second.tokens.access_token!).get({ userKey: 'admin@acme.example' }),
      (error: { status?: number }) => error.status === 401,
    );
    assert.equal(
      await refreshWorks(client, otherAccount.tokens.refresh_token!),
      true,
      'another account at the same client',
    );
    assert.equal(
      await refreshWorks(otherClient, sameAccountElsewhere.tokens.refresh_token!),
      true,
      'the same account at another client',
    );
    assert.equal(
      (await users(sameAccountElsewhere.tokens.access_token!).get({ userKey: 'admin@acme.example' })).data.primaryEmail,
      'admin@acme.example',
    );
    await assert.rejects(
      client.oauth.revokeToken(second.tokens.refresh_token!),
      /400|invalid_token/,
      'a revoked token is unknown to revoke',
    );
  });

  // www.googleapis.com/oauth2/v1/certs maps each key id to a self-signed X.509 certificate in PEM, not to a bare
  // public key (github.com/joken-elixir/joken/issues/207, github.com/googleapis/google-auth-library-python/issues/443);
  // google-auth-library's verifyIdToken reads it under Node.
  it('serves its keys as X.509 certificates by key id, as www.googleapis.com/oauth2/v1/certs does, and verifyIdToken verifies with them', async () => {
    const client = await newClient();
    const certs = (await (await fetch(client.google.pemCertsUrl)).json()) as Record<string, string>;
    const jwks = (await (await fetch(client.google.jwksUrl)).json()) as {
      keys: Array<{ kid: string; n: string; e: string }>;
    };
    assert.deepEqual(
      Object.keys(certs),
      jwks.keys.map((key) => key.kid),
    );
    const pem = Object.values(certs)[0]!;
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\r?\n[\s\S]+-----END CERTIFICATE-----\s*$/);
    const certificate = new X509Certificate(pem);
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
    assert.equal(certificate.subject, certificate.issuer);
    assert.ok(
      Date.parse(certificate.validTo) > Date.now() && Date.parse(certificate.validFrom) <= Date.now(),
      'valid now',
    );
    const published = createPublicKey({ key: { kty: 'RSA', n: jwks.keys[0]!.n, e: jwks.keys[0]!.e }, format: 'jwk' });
    assert.ok(certificate.publicKey.equals(published), 'the certificate holds the key the JWKS publishes');

    const { tokens } = await signInAndExchange(client, { email: 'admin@acme.example' });
    const verifier = newOAuthClient(loadConfig((await useStack()).functionsEnv), {
      clientId: client.clientId,
      clientSecret: 'unused-here',
      redirectUri: client.redirectUri,
    });
    const payload = (
      await verifier.verifyIdToken({ idToken: tokens.id_token!, audience: client.clientId })
    ).getPayload();
    assert.equal(payload?.email, 'admin@acme.example');
  });

  describe('crafted ID tokens', () => {
    async function craftedToken(recipe: object, email = 'admin@acme.example') {
      const stack = await useStack();
      const client = await newClient();
      const queued = await fetch(`${stack.addresses.googleUrl}/__control/oauth/next-id-token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(recipe),
      });
      assert.equal(queued.status, 202);
      const { tokens } = await signInAndExchange(client, { email });
      return { client, idToken: tokens.id_token! };
    }

    for (const [preset, refusal] of [
      ['wrong-aud', /Wrong recipient/],
      ['wrong-iss', /Invalid issuer/],
      ['googleapis-iss', /Invalid issuer/],
      ['alg-none', /./],
      ['foreign-key', /Invalid token signature/],
      ['expired', /Token used too late/],
    ] as const) {
      it(`makes verifyIdToken refuse a token crafted as "${preset}"`, async () => {
        const { client, idToken } = await craftedToken({ preset });
        await assert.rejects(client.oauth.verifyIdToken({ idToken, audience: client.clientId }), refusal);
      });
    }

    it('crafts validly signed tokens whose nonce, hd or email_verified are forged, which the product must check', async () => {
      for (const [preset, check] of [
        ['wrong-nonce', (p: Record<string, unknown>) => p['nonce'] === 'forged-nonce'],
        ['wrong-hd', (p: Record<string, unknown>) => p['hd'] === 'attacker.example'],
        ['email-unverified', (p: Record<string, unknown>) => p['email_verified'] === false],
      ] as const) {
        const { client, idToken } = await craftedToken({ preset });
        const payload = (await client.oauth.verifyIdToken({ idToken, audience: client.clientId })).getPayload()!;
        assert.ok(check(payload as unknown as Record<string, unknown>), preset);
      }
    });

    // Google: "Verify that the value of the iss claim in the ID token is equal to https://accounts.google.com or
    // accounts.google.com." (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken)
    it('issues the legacy iss, the issuer without its scheme, in a token otherwise genuine', async () => {
      const { client, idToken } = await craftedToken({ preset: 'legacy-iss' });
      const legacy = new URL(client.google.issuer).host;
      const verifier = (issuers: string[]) =>
        new OAuth2Client({
          clientId: client.clientId,
          issuers,
          endpoints: { oauth2FederatedSignonPemCertsUrl: client.google.pemCertsUrl },
        });
      const payload = (
        await verifier([client.google.issuer, legacy]).verifyIdToken({ idToken, audience: client.clientId })
      ).getPayload()!;
      assert.equal(payload.iss, legacy);
      assert.equal(payload.email, 'admin@acme.example');
      await assert.rejects(
        verifier([client.google.issuer]).verifyIdToken({ idToken, audience: client.clientId }),
        /Invalid issuer/,
        'only the iss changed, and a verifier that knows only the full form sees it',
      );
    });

    // Google documents hd only as "the domain associated with the Google Workspace organization"
    // (https://developers.google.com/identity/openid-connect/openid-connect): no source says whether a user of a
    // secondary domain gets the organisation's primary domain or the domain of their own address, so both are issued.
    it('issues hd as the primary domain or as the own domain of a secondary-domain user, on request', async () => {
      const ravi = 'ravi.patel@acme-labs.example';
      for (const [preset, hd] of [
        ['hd-primary-domain', 'acme.example'],
        ['hd-own-domain', 'acme-labs.example'],
      ] as const) {
        const { client, idToken } = await craftedToken({ preset }, ravi);
        const payload = (await client.oauth.verifyIdToken({ idToken, audience: client.clientId })).getPayload()!;
        assert.equal(payload.hd, hd, preset);
        assert.equal(payload.email, ravi);
      }
      const { client, idToken } = await craftedToken({ preset: 'hd-primary-domain' }, 'someone@gmail.example');
      assert.equal(
        (await client.oauth.verifyIdToken({ idToken, audience: client.clientId })).getPayload()!.hd,
        undefined,
        'a consumer account still has no hd',
      );
    });

    it('applies a recipe that names a client only to that client, leaving other clients’ tokens genuine', async () => {
      const stack = await useStack();
      const crafted = await newClient();
      const bystander = await newClient();
      const queued = await fetch(`${stack.addresses.googleUrl}/__control/oauth/next-id-token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ preset: 'wrong-hd', clientId: crafted.clientId }),
      });
      assert.equal(queued.status, 202);
      const genuine = await signInAndExchange(bystander, { email: 'admin@acme.example' });
      const untouched = (
        await bystander.oauth.verifyIdToken({ idToken: genuine.tokens.id_token!, audience: bystander.clientId })
      ).getPayload()!;
      assert.equal(untouched.hd, 'acme.example');
      const forged = await signInAndExchange(crafted, { email: 'admin@acme.example' });
      const rewritten = (
        await crafted.oauth.verifyIdToken({ idToken: forged.tokens.id_token!, audience: crafted.clientId })
      ).getPayload()!;
      assert.equal(rewritten.hd, 'attacker.example');
    });

    it('refuses an unknown preset with the list of known ones', async () => {
      const stack = await useStack();
      const response = await fetch(`${stack.addresses.googleUrl}/__control/oauth/next-id-token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ preset: 'nope' }),
      });
      assert.equal(response.status, 400);
      assert.match(((await response.json()) as { error: string }).error, /known: wrong-aud/);
    });
  });
});
