// Which grants reconnect and reauthorize revoke (SPEC §4). Google's revoke ends every token the Google account
// holds at the client ("If the token is an access token and it has a corresponding refresh token, the refresh token
// will also be revoked", https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke), and the
// stand-in does the same, so revoking a token of the live connection's (account, client) pair ends the live
// connection. Connect tells the pair by the admin's Google `sub`, which a renamed address keeps.
import assert from 'node:assert/strict';
import { FieldValue } from '@google-cloud/firestore';
import { getApp } from '../../functions/src/app.ts';
import { integrationRef, readIntegration, secretIds } from '../../functions/src/connect/integration.ts';
import { newOAuthClient } from '../../functions/src/google/clients.ts';
import type { DirectoryUser } from '../../dev/google/fixture/types.ts';
import { registerProductClient } from '../../dev/demo/seed.ts';
import { connect, consentAtGoogle, openCallback, startConnect } from '../support/connect-flow.ts';
import { editUsers, withDirectory } from '../support/directory.ts';
import { useStack } from '../support/stack.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

const ADMIN = 'admin@acme.example';
const RENAMED = 'alex.admin@acme.example';
const GROUP_READONLY = 'https://www.googleapis.com/auth/admin.directory.group.readonly';
const SECOND_ADMIN: DirectoryUser = {
  id: '104521876300088888888',
  primaryEmail: 'sam.super@acme.example',
  name: { givenName: 'Sam', familyName: 'Super', fullName: 'Sam Super' },
  isAdmin: true,
  orgUnitPath: '/',
};

// Google keeps the old address as an alias when a user is renamed; the account, and its `sub`, stay the same.
const adminRenamed = editUsers('acme.example', (users) =>
  users.map((user) =>
    user.primaryEmail === ADMIN ? { ...user, primaryEmail: RENAMED, aliases: [...(user.aliases ?? []), ADMIN] } : user,
  ),
);
const withSecondAdmin = editUsers('acme.example', (users) => [...users, SECOND_ADMIN]);

async function storedRefreshToken(tenantId: string): Promise<string> {
  const token = await getApp().secrets.read(secretIds(tenantId).refreshToken);
  assert.ok(token, 'a stored refresh token');
  return token;
}

/** Whether Google still honours a refresh token of the client: false once it has been revoked. */
async function worksAtGoogle(
  client: { clientId: string; clientSecret: string },
  refreshToken: string,
): Promise<boolean> {
  const stack = await useStack();
  const oauth = newOAuthClient(getApp().config, {
    ...client,
    redirectUri: `${stack.addresses.publicBaseUrl}/oauth/google/callback`,
  });
  oauth.setCredentials({ refresh_token: refreshToken });
  return oauth.refreshAccessToken().then(
    () => true,
    (error: Error) => (/invalid_grant/.test(error.message) ? false : Promise.reject(error)),
  );
}

async function reauthorize(tenant: TestTenant, email: string, untick: string[] = []): Promise<string> {
  const attempt = await startConnect(tenant);
  return openCallback(await consentAtGoogle(attempt, { email, untick }), attempt.cookie);
}

const adminUserId = async () => (await useStack()).google.fixtures.findUserAnywhere(ADMIN)!.user.id!;

describe('Connect revokes only the grants the live connection does not hold', function () {
  this.timeout(60_000);

  it('records the connecting admin’s Google sub, the Directory user id, beside the address', async () => {
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    const { connectedBy } = await readIntegration(getApp().db, tenant.tenantId);
    assert.deepEqual(
      { googleEmail: connectedBy?.googleEmail, googleUserId: connectedBy?.googleUserId },
      { googleEmail: ADMIN, googleUserId: await adminUserId() },
    );
  });

  it('regression: reauthorizing after the admin’s address was renamed at Google no longer revokes the new connection', async () => {
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    await withDirectory(adminRenamed, async () => {
      assert.equal(await reauthorize(tenant, RENAMED), 'connected');
      assert.equal(
        await worksAtGoogle(tenant, await storedRefreshToken(tenant.tenantId)),
        true,
        'the stored refresh token still works at Google',
      );
      const integration = await readIntegration(getApp().db, tenant.tenantId);
      assert.equal(integration.status, 'connected');
      assert.equal(integration.connectedBy?.googleEmail, RENAMED);
      assert.equal(integration.connectedBy?.googleUserId, await adminUserId());
    });
  });

  it('regression: a refused reauthorization (a scope unticked) after the rename leaves the live connection working', async () => {
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    const live = await storedRefreshToken(tenant.tenantId);
    await withDirectory(adminRenamed, async () => {
      assert.equal(await reauthorize(tenant, RENAMED, [GROUP_READONLY]), 'missing_scope');
    });
    assert.equal((await readIntegration(getApp().db, tenant.tenantId)).status, 'connected');
    assert.equal(await storedRefreshToken(tenant.tenantId), live);
    assert.equal(await worksAtGoogle(tenant, live), true, 'the live refresh token still works at Google');
  });

  it('reconnecting as another admin of the Workspace revokes the replaced admin’s grant and keeps the new one', async () => {
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    const replaced = await storedRefreshToken(tenant.tenantId);
    await withDirectory(withSecondAdmin, async () => {
      assert.equal(await reauthorize(tenant, SECOND_ADMIN.primaryEmail!), 'connected');
      const current = await storedRefreshToken(tenant.tenantId);
      assert.equal((await readIntegration(getApp().db, tenant.tenantId)).connectedBy?.googleUserId, SECOND_ADMIN.id);
      assert.equal(await worksAtGoogle(tenant, replaced), false, 'the replaced admin’s grant is revoked at Google');
      assert.equal(await worksAtGoogle(tenant, current), true, 'the new admin’s grant works');
    });
  });

  it('reconnecting with another OAuth client revokes the old client’s grant, even for the same admin', async () => {
    const stack = await useStack();
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    const replaced = await storedRefreshToken(tenant.tenantId);
    const newClient = {
      clientId: `${tenant.clientId.split('-')[0]}-second${Date.now()}.apps.googleusercontent.com`,
      clientSecret: `${tenant.clientSecret}-second`,
    };
    registerProductClient(stack.google, stack.addresses, newClient.clientId, newClient.clientSecret);
    const attempt = await startConnect(tenant, newClient);
    assert.equal(await openCallback(await consentAtGoogle(attempt, { email: ADMIN }), attempt.cookie), 'connected');
    assert.equal(await worksAtGoogle(tenant, replaced), false, 'the old client’s grant is revoked at Google');
    assert.equal(
      await worksAtGoogle(newClient, await storedRefreshToken(tenant.tenantId)),
      true,
      'the new client’s grant works',
    );
  });

  it('an integration connected before the sub was recorded: reauthorizing after a rename revokes nothing, and records the sub', async () => {
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    // The document as the product wrote it before: the admin named by address only.
    await integrationRef(getApp().db, tenant.tenantId).update({ 'connectedBy.googleUserId': FieldValue.delete() });
    assert.equal((await readIntegration(getApp().db, tenant.tenantId)).connectedBy?.googleUserId, undefined);
    await withDirectory(adminRenamed, async () => {
      assert.equal(await reauthorize(tenant, RENAMED), 'connected');
    });
    assert.equal(
      await worksAtGoogle(tenant, await storedRefreshToken(tenant.tenantId)),
      true,
      'the new connection works at Google',
    );
    assert.equal((await readIntegration(getApp().db, tenant.tenantId)).connectedBy?.googleUserId, await adminUserId());
  });
});
