// Connect (SPEC §4) through the gateway with the real client libraries against the stand-ins. Every refused
// attempt is checked to store nothing: no refresh token, no proven client secret, no connected status.
import assert from 'node:assert/strict';
import { Timestamp } from '@google-cloud/firestore';
import { OAuth2Client } from 'google-auth-library';
import { getApp } from '../../functions/src/app.ts';
import { readIntegration, secretIds } from '../../functions/src/connect/integration.ts';
import { sha256 } from '../../functions/src/connect/oauth-state.ts';
import { newOAuthClient } from '../../functions/src/google/clients.ts';
import { connect, consentAtGoogle, openCallback, startConnect } from '../support/connect-flow.ts';
import { useStack } from '../support/stack.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

const GROUP_READONLY = 'https://www.googleapis.com/auth/admin.directory.group.readonly';

async function storedSecret(tenantId: string, kind: keyof ReturnType<typeof secretIds>): Promise<string | undefined> {
  return getApp().secrets.read(secretIds(tenantId)[kind]);
}

async function assertNothingStored(tenant: TestTenant): Promise<void> {
  assert.equal(await storedSecret(tenant.tenantId, 'refreshToken'), undefined, 'no refresh token');
  assert.equal(await storedSecret(tenant.tenantId, 'clientSecret'), undefined, 'no client secret');
  assert.equal(await storedSecret(tenant.tenantId, 'pendingClientSecret'), undefined, 'no pending client secret');
  assert.notEqual((await readIntegration(getApp().db, tenant.tenantId)).status, 'connected');
}

async function lastError(tenant: TestTenant) {
  return (await readIntegration(getApp().db, tenant.tenantId)).lastError;
}

describe('Connect', function () {
  this.timeout(60_000);

  it('connects: stores a working refresh token and the client secret in Secret Manager, and records the customer', async () => {
    const stack = await useStack();
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');

    const integration = await readIntegration(getApp().db, tenant.tenantId);
    assert.equal(integration.status, 'connected');
    assert.equal(integration.customerId, 'C03az79cb');
    assert.equal(integration.primaryDomain, 'acme.example');
    assert.equal(integration.connectedBy?.googleEmail, 'admin@acme.example');
    assert.equal(integration.clientId, tenant.clientId);
    assert.equal(await storedSecret(tenant.tenantId, 'clientSecret'), tenant.clientSecret);
    assert.equal(
      await storedSecret(tenant.tenantId, 'pendingClientSecret'),
      undefined,
      'the pending secret was promoted',
    );

    const oauth = newOAuthClient(getApp().config, {
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
      redirectUri: `${stack.addresses.publicBaseUrl}/oauth/google/callback`,
    });
    oauth.setCredentials({ refresh_token: (await storedSecret(tenant.tenantId, 'refreshToken'))! });
    assert.ok((await oauth.getAccessToken()).token, 'the stored refresh token works at Google');
  });

  it('sends offline access, forced consent, PKCE S256, a nonce and a state, and keeps only the state hash', async () => {
    const tenant = await createTestTenant();
    const attempt = await startConnect(tenant, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
    const url = new URL(attempt.authorizationUrl);
    const params = url.searchParams;
    assert.equal(params.get('access_type'), 'offline');
    assert.equal(params.get('prompt'), 'consent');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.ok(params.get('nonce') && params.get('state') && params.get('code_challenge'));
    assert.equal(params.get('redirect_uri'), `${(await useStack()).addresses.publicBaseUrl}/oauth/google/callback`);
    assert.deepEqual(params.get('scope')?.split(' ').sort(), [
      'email',
      'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
      'https://www.googleapis.com/auth/admin.directory.group.readonly',
      'https://www.googleapis.com/auth/admin.directory.orgunit.readonly',
      'https://www.googleapis.com/auth/admin.directory.user.readonly',
      'openid',
    ]);
    const record = (
      await getApp()
        .db.doc(`oauthStates/${sha256(params.get('state')!)}`)
        .get()
    ).data()!;
    assert.equal(record['tenant'], tenant.tenantId);
    assert.equal(record['purpose'], 'connect');
    assert.equal(record['browserHash'], sha256(attempt.cookie.slice('__session='.length)));
    assert.ok((record['expiresAt'] as Timestamp).toMillis() - Date.now() <= 10 * 60 * 1000);
    assert.match(attempt.cookie, /^__session=[A-Za-z0-9_-]{43}$/);
  });

  it('sets one cookie, __session, HttpOnly, Secure and SameSite=Lax', async () => {
    const tenant = await createTestTenant();
    const { adminApi } = await import('../support/connect-flow.ts');
    const response = await adminApi(tenant, 'POST', '/api/integrations/google/connect', {
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
    });
    const cookies = response.headers.getSetCookie();
    assert.equal(cookies.length, 1);
    assert.match(cookies[0]!, /^__session=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Lax$/);
  });

  describe('refuses, with a clear outcome, and stores nothing', () => {
    it('a forged state', async () => {
      const stack = await useStack();
      const tenant = await createTestTenant();
      const outcome = await openCallback(
        `${stack.addresses.publicBaseUrl}/oauth/google/callback?state=forged&code=abc`,
        '',
      );
      assert.equal(outcome, 'invalid_state');
      await assertNothingStored(tenant);
    });

    it('a replayed state', async () => {
      const tenant = await createTestTenant();
      const attempt = await startConnect(tenant, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
      const callback = await consentAtGoogle(attempt, { email: 'admin@acme.example' });
      assert.equal(await openCallback(callback, attempt.cookie), 'connected');
      assert.equal(await openCallback(callback, attempt.cookie), 'invalid_state');
    });

    it('an expired state', async () => {
      const tenant = await createTestTenant();
      const attempt = await startConnect(tenant, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
      const callback = await consentAtGoogle(attempt, { email: 'admin@acme.example' });
      const state = new URL(callback).searchParams.get('state')!;
      await getApp()
        .db.doc(`oauthStates/${sha256(state)}`)
        .update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
      assert.equal(await openCallback(callback, attempt.cookie), 'expired_state');
      await assertNothingStored(tenant);
      assert.equal((await lastError(tenant))?.reason, 'expired_state');
    });

    it('a state finished in another browser', async () => {
      const tenant = await createTestTenant();
      const attempt = await startConnect(tenant, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
      const callback = await consentAtGoogle(attempt, { email: 'admin@acme.example' });
      assert.equal(await openCallback(callback, `__session=${'A'.repeat(43)}`), 'foreign_browser');
      await assertNothingStored(tenant);
    });

    it('a wrong client secret', async () => {
      const tenant = await createTestTenant();
      const attempt = await startConnect(tenant, {
        clientId: tenant.clientId,
        clientSecret: 'GOCSPX-not-the-right-secret',
      });
      assert.equal(
        await openCallback(await consentAtGoogle(attempt, { email: 'admin@acme.example' }), attempt.cookie),
        'wrong_secret',
      );
      await assertNothingStored(tenant);
      assert.match((await lastError(tenant))?.message ?? '', /refused the Client Secret/);
    });

    it('consent denied', async () => {
      const tenant = await createTestTenant();
      assert.equal(await connect(tenant, { email: 'admin@acme.example', decision: 'cancel' }), 'consent_denied');
      await assertNothingStored(tenant);
    });

    it('an unticked scope, naming it', async () => {
      const tenant = await createTestTenant();
      assert.equal(await connect(tenant, { email: 'admin@acme.example', untick: [GROUP_READONLY] }), 'missing_scope');
      await assertNothingStored(tenant);
      assert.match((await lastError(tenant))?.message ?? '', /missing: admin\.directory\.group\.readonly\./);
    });

    it('a Google account that is not a directory admin', async () => {
      const tenant = await createTestTenant();
      assert.equal(await connect(tenant, { email: 'olivia.bennett@acme.example' }), 'not_admin');
      await assertNothingStored(tenant);
      assert.match(
        (await lastError(tenant))?.message ?? '',
        /olivia\.bennett@acme\.example may not read the Workspace directory/,
      );
    });

    // Regression test for Connect proving only that the admin reads their own user: a delegated admin whose role
    // reaches one unit passes that, then lists part of the directory, and a sync takes everyone else for deleted.
    it('a delegated admin whose role covers only some units, saying why', async () => {
      const tenant = await createTestTenant();
      assert.equal(await connect(tenant, { email: 'hannah.fischer@acme.example' }), 'not_admin');
      await assertNothingStored(tenant);
      assert.match(
        (await lastError(tenant))?.message ?? '',
        /hannah\.fischer@acme\.example is not a super administrator: its admin role may show only part of the directory/,
      );
    });

    it('a consumer Google account', async () => {
      const tenant = await createTestTenant();
      assert.equal(await connect(tenant, { email: 'someone@gmail.example' }), 'not_admin');
      await assertNothingStored(tenant);
    });

    it('a Client ID that is not one, before anything is stored', async () => {
      const tenant = await createTestTenant();
      const { adminApi } = await import('../support/connect-flow.ts');
      const response = await adminApi(tenant, 'POST', '/api/integrations/google/connect', {
        clientId: 'my-client',
        clientSecret: 'x',
      });
      assert.equal(response.status, 400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'invalid_request');
      assert.match(error.message, /Client ID must look like .*Client Secret must be/);
      await assertNothingStored(tenant);
    });
  });

  it('keeps two attempts at once apart: each callback uses the secret entered for it', async () => {
    const tenant = await createTestTenant();
    const right = await startConnect(tenant, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
    const wrong = await startConnect(tenant, {
      clientId: tenant.clientId,
      clientSecret: 'GOCSPX-entered-by-someone-else',
    });
    const rightCallback = await consentAtGoogle(right, { email: 'admin@acme.example' });
    const wrongCallback = await consentAtGoogle(wrong, { email: 'admin@acme.example' });
    assert.equal(await openCallback(wrongCallback, wrong.cookie), 'wrong_secret');
    assert.equal(await openCallback(rightCallback, right.cookie), 'connected');
    assert.equal(await storedSecret(tenant.tenantId, 'clientSecret'), tenant.clientSecret);
  });

  it('tells the admin to enable the Admin SDK API when Google says it is not enabled', async () => {
    const stack = await useStack();
    const tenant = await createTestTenant();
    const attempt = await startConnect(tenant, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
    const callback = await consentAtGoogle(attempt, { email: 'admin@acme.example' });
    stack.google.faults.inject({ method: 'users.get', status: 403, reason: 'accessNotConfigured', times: 1 });
    assert.equal(await openCallback(callback, attempt.cookie), 'api_disabled');
    await assertNothingStored(tenant);
    assert.match((await lastError(tenant))?.message ?? '', /Admin SDK API is not enabled/);
  });

  it('refuses to switch a connected PBX to another Google Workspace', async () => {
    const stack = await useStack();
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    const original = stack.google.fixtures.organisations;
    stack.google.fixtures.replace([
      ...original,
      {
        domain: 'globex.example',
        customerId: 'C01globex',
        users: [
          {
            id: '200000000000000000001',
            primaryEmail: 'admin@globex.example',
            name: { givenName: 'Gia', familyName: 'Admin' },
            isAdmin: true,
            orgUnitPath: '/',
          },
        ],
        groups: [],
        members: {},
        orgUnits: [],
      },
    ]);
    try {
      assert.equal(await connect(tenant, { email: 'admin@globex.example' }), 'other_workspace');
      assert.equal((await readIntegration(getApp().db, tenant.tenantId)).customerId, 'C03az79cb');
    } finally {
      stack.google.fixtures.replace(original);
    }
  });

  it('reauthorizes with the stored client and replaces the refresh token', async () => {
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    const before = await storedSecret(tenant.tenantId, 'refreshToken');
    const attempt = await startConnect(tenant);
    assert.equal(
      await openCallback(await consentAtGoogle(attempt, { email: 'admin@acme.example' }), attempt.cookie),
      'connected',
    );
    const after = await storedSecret(tenant.tenantId, 'refreshToken');
    assert.ok(after && after !== before);
    assert.equal(await storedSecret(tenant.tenantId, 'clientSecret'), tenant.clientSecret);
  });

  it('a failed reconnect with new credentials leaves the working connection as it was', async () => {
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    const token = await storedSecret(tenant.tenantId, 'refreshToken');
    const attempt = await startConnect(tenant, { clientId: tenant.clientId, clientSecret: 'GOCSPX-a-mistyped-secret' });
    assert.equal(
      await openCallback(await consentAtGoogle(attempt, { email: 'admin@acme.example' }), attempt.cookie),
      'wrong_secret',
    );
    assert.equal((await readIntegration(getApp().db, tenant.tenantId)).status, 'connected');
    assert.equal(await storedSecret(tenant.tenantId, 'clientSecret'), tenant.clientSecret);
    assert.equal(await storedSecret(tenant.tenantId, 'refreshToken'), token);
  });

  for (const choice of ['keep', 'delete'] as const) {
    it(`disconnects: revokes the token at Google, destroys the secrets, and ${choice}s the synced extensions`, async () => {
      const tenant = await createTestTenant();
      assert.equal(await connect(tenant), 'connected');
      const refreshToken = (await storedSecret(tenant.tenantId, 'refreshToken'))!;
      const db = getApp().db;
      const base = db.doc(`tenants/${tenant.tenantId}`);
      await base
        .collection('extensions')
        .doc('2001')
        .set({
          number: '2001',
          firstName: 'Alex',
          lastName: 'Admin',
          email: 'admin@acme.example',
          source: 'google',
          google: {
            userId: '104521876300000007920',
            primaryEmail: 'admin@acme.example',
            orgUnitPath: '/',
            status: 'active',
          },
        });
      await base.collection('googleLinks').doc('104521876300000007920').set({ number: '2001' });
      await base.collection('extensionEmails').doc('admin@acme.example').set({ number: '2001' });
      await base
        .collection('extensions')
        .doc('3001')
        .set({ number: '3001', email: 'reception@acme.example', source: 'local' });

      const { adminApi } = await import('../support/connect-flow.ts');
      const response = await adminApi(tenant, 'POST', '/api/integrations/google/disconnect', { extensions: choice });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { extensions: 1 });

      assert.equal((await readIntegration(db, tenant.tenantId)).status, 'not_connected');
      for (const kind of ['refreshToken', 'clientSecret', 'pendingClientSecret'] as const) {
        assert.equal(await storedSecret(tenant.tenantId, kind), undefined, kind);
      }
      const oauth = new OAuth2Client({
        clientId: tenant.clientId,
        clientSecret: tenant.clientSecret,
        endpoints: { oauth2TokenUrl: getApp().config.google.tokenUrl },
      });
      oauth.setCredentials({ refresh_token: refreshToken });
      await assert.rejects(oauth.getAccessToken(), /invalid_grant/, 'the grant is revoked at Google');

      const extension = await base.collection('extensions').doc('2001').get();
      if (choice === 'keep') {
        assert.equal(extension.get('source'), 'local');
        assert.equal(extension.get('google'), undefined);
        assert.equal((await base.collection('extensionEmails').doc('admin@acme.example').get()).exists, true);
      } else {
        assert.equal(extension.exists, false);
        assert.equal((await base.collection('extensionEmails').doc('admin@acme.example').get()).exists, false);
      }
      assert.equal((await base.collection('googleLinks').doc('104521876300000007920').get()).exists, false);
      assert.equal(
        (await base.collection('extensions').doc('3001').get()).exists,
        true,
        'local extensions are untouched',
      );
    });
  }
});
