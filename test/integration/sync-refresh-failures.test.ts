// Regression test for refresh failures other than a revoked grant being taken for an outage: the run retried and
// failed "Page … failed 5 times" every night, and the admin was never told to fix the client. Each lasting refusal
// of Google's token endpoint (the client deleted, its secret reset, the app blocked by the Workspace's API
// controls or its session control) now makes the integration "reauthorization required" with why and what to do:
// the run fails at once, nothing is deleted, syncs stop, and a new secret or a Reauthorize clears it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { getApp } from '../../functions/src/app.ts';
import { readIntegration } from '../../functions/src/connect/integration.ts';
import type { AuthorizationProblemCode } from '../../functions/src/connect/authorization-problem.ts';
import { registerProductClient } from '../../dev/demo/seed.ts';
import { adminApi, consentAtGoogle, openCallback, startConnect } from '../support/connect-flow.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import type { TestTenant } from '../support/tenants.ts';

async function control(path: string, body: object = {}): Promise<void> {
  const stack = await useStack();
  const response = await fetch(`${stack.addresses.googleUrl}/__control/oauth${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 204, await response.text());
}

// The run after the admin's change: failed at once, with the problem on the integration and on the run.
async function expectProblem(tenant: TestTenant, code: AuthorizationProblemCode, message: RegExp): Promise<void> {
  // An hour later: the access token the functions hold has expired, so the sync must refresh.
  await control(`/clients/${tenant.clientId}/expire-access-tokens`);
  const before = (await extensionsOf(tenant.tenantId)).size;
  const run = await waitForRun(tenant, (await syncNow(tenant)).id);
  assert.equal(run.status, 'failed');
  assert.match(run.failure ?? '', message);
  assert.doesNotMatch(run.failure ?? '', /failed \d+ times/);
  const integration = await readIntegration(getApp().db, tenant.tenantId);
  assert.deepEqual([integration.status, integration.authorizationProblem?.code], ['reauthorization_required', code]);
  assert.equal((await extensionsOf(tenant.tenantId)).size, before, 'nothing deleted');
  const view = (await (await adminApi(tenant, 'GET', '/api/integrations/google')).json()) as {
    authorizationProblem: { message: string } | null;
  };
  assert.match(view.authorizationProblem?.message ?? '', message);
  const refused = await adminApi(tenant, 'POST', '/api/sync/runs', {});
  assert.equal(refused.status, 409);
  assert.match(((await refused.json()) as { error: { message: string } }).error.message, message);
}

// Connect again through Google, with new credentials or (none given) Reauthorize; then a sync works.
async function fixAndSync(tenant: TestTenant, credentials?: { clientId: string; clientSecret: string }): Promise<void> {
  const attempt = await startConnect(tenant, credentials);
  assert.equal(
    await openCallback(await consentAtGoogle(attempt, { email: 'admin@acme.example' }), attempt.cookie),
    'connected',
  );
  const integration = await readIntegration(getApp().db, tenant.tenantId);
  assert.deepEqual([integration.status, integration.authorizationProblem], ['connected', undefined]);
  assert.equal((await waitForRun(tenant, (await syncNow(tenant)).id)).status, 'succeeded');
}

describe('sync: refresh failures that need the admin', function () {
  this.timeout(120_000);

  it('a client secret reset in Google Cloud: "Create a new client secret and enter it under Certificates & Secrets"; the new secret clears it', async () => {
    const tenant = await connectedTenant();
    await syncWith(tenant);
    const secret = `GOCSPX-${randomBytes(14).toString('base64url')}`;
    await control(`/clients/${tenant.clientId}/reset-secret`, { client_secret: secret });
    await expectProblem(
      tenant,
      'client_secret_invalid',
      /Create a new client secret for the OAuth client, then click Integrate, enter it under Certificates & Secrets/,
    );
    await fixAndSync(tenant, { clientId: tenant.clientId, clientSecret: secret });
  });

  it('the OAuth client deleted: create a new client and enter it; the new client clears it', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    await syncWith(tenant);
    await control(`/clients/${tenant.clientId}/delete`);
    await expectProblem(
      tenant,
      'client_deleted',
      /The OAuth client was deleted in the Google Cloud console\. Create a new OAuth client/,
    );
    const replacement = {
      clientId: `${100000000000 + Math.floor(Math.random() * 1e11)}-${randomBytes(8).toString('hex')}.apps.googleusercontent.com`,
      clientSecret: `GOCSPX-${randomBytes(14).toString('base64url')}`,
    };
    registerProductClient(stack.google, stack.addresses, replacement.clientId, replacement.clientSecret);
    await fixAndSync(tenant, replacement);
  });

  it('the app blocked by the Workspace\'s API controls: "Allow the app in your Admin console\'s API controls"; Reauthorize clears it', async () => {
    const tenant = await connectedTenant();
    await syncWith(tenant);
    await control(`/clients/${tenant.clientId}/block`, { block: 'app_blocked' });
    await expectProblem(tenant, 'app_blocked', /Allow the app in your Admin console's API controls/);
    await control(`/clients/${tenant.clientId}/unblock`);
    await fixAndSync(tenant);
  });

  it('the session control asking the admin to sign in again (invalid_rapt): Reauthorize clears it', async () => {
    const tenant = await connectedTenant();
    await syncWith(tenant);
    await control(`/clients/${tenant.clientId}/block`, { block: 'reauth_required' });
    await expectProblem(tenant, 'reauth_required', /asks the administrator to sign in again/);
    await control(`/clients/${tenant.clientId}/unblock`);
    await fixAndSync(tenant);
  });

  it('a revoked or expired grant names the "Testing" consent screen among the causes', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    await syncWith(tenant);
    const integration = await readIntegration(getApp().db, tenant.tenantId);
    const refreshToken = await getApp().secrets.readVersion(integration.credentials!.refreshTokenVersion);
    await fetch(`${stack.addresses.googleUrl}/revoke?token=${encodeURIComponent(refreshToken!)}`, { method: 'POST' });
    await expectProblem(tenant, 'grant_revoked', /"Testing".*Click Reauthorize/);
    await fixAndSync(tenant);
  });
});
