// The admin API's gate: a verified Firebase ID token with revocation checked, the tenant from the claims only,
// the plan, and CORS for the Hosting origin alone. Each forged or stale credential is refused with a clear message.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { readIntegration } from '../../functions/src/connect/integration.ts';
import { setTenantPlan } from '../../functions/src/tenants/create-tenant.ts';
import { adminApi, connect } from '../support/connect-flow.ts';
import { useStack } from '../support/stack.ts';
import { createTestTenant, signInAdmin } from '../support/tenants.ts';

async function call(path: string, init: RequestInit = {}) {
  const stack = await useStack();
  const response = await fetch(`${stack.addresses.publicBaseUrl}${path}`, init);
  const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  return { status: response.status, body, headers: response.headers };
}

// The Auth emulator's ID tokens are unsigned JWTs; the Admin SDK still checks their times.
function withClaims(idToken: string, claims: Record<string, unknown>): string {
  const [header, payload] = idToken.split('.');
  const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  return `${header}.${Buffer.from(JSON.stringify({ ...decoded, ...claims })).toString('base64url')}.`;
}

describe('admin API', function () {
  this.timeout(60_000);

  it('refuses a request without an ID token', async () => {
    const { status, body } = await call('/api/me');
    assert.equal(status, 401);
    assert.deepEqual(body.error, { code: 'unauthenticated', message: 'Sign in to the Management Console.' });
  });

  it('refuses an expired ID token', async () => {
    const tenant = await createTestTenant();
    const now = Math.floor(Date.now() / 1000);
    const expired = withClaims(await signInAdmin(tenant.adminEmail, tenant.adminPassword), {
      iat: now - 7200,
      exp: now - 3600,
    });
    const { status, body } = await call('/api/me', { headers: { Authorization: `Bearer ${expired}` } });
    assert.equal(status, 401);
    assert.equal(body.error?.message, 'Your session has expired. Sign in again.');
  });

  it('refuses a revoked ID token', async () => {
    const tenant = await createTestTenant();
    const token = await signInAdmin(tenant.adminEmail, tenant.adminPassword);
    // Revocation compares whole seconds: the token must predate it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const user = await getApp().auth.getUserByEmail(tenant.adminEmail);
    await getApp().auth.revokeRefreshTokens(user.uid);
    const { status, body } = await call('/api/me', { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(status, 401);
    assert.equal(body.error?.message, 'Your session was ended. Sign in again.');
  });

  it('refuses a signed-in user whose role is not admin', async () => {
    const user = await getApp().auth.createUser({ email: `user-${Date.now()}@example.test`, password: 'password-123' });
    await getApp().auth.setCustomUserClaims(user.uid, { tenant: 'acme', role: 'user' });
    const userToken = await signInAdmin(user.email!, 'password-123');
    const asUser = await call('/api/me', { headers: { Authorization: `Bearer ${userToken}` } });
    assert.equal(asUser.status, 403);
    assert.equal(asUser.body.error?.code, 'forbidden');
  });

  it('takes the tenant from the token only: an admin of one tenant cannot reach another', async () => {
    const victim = await createTestTenant();
    assert.equal(await connect(victim), 'connected');
    const attacker = await createTestTenant();
    const response = await adminApi(attacker, 'GET', `/api/integrations/google?tenant=${victim.tenantId}`, undefined, {
      'X-Tenant': victim.tenantId,
    });
    const view = (await response.json()) as { status: string; customerId: string | null };
    assert.deepEqual([view.status, view.customerId], ['not_connected', null]);
    const disconnect = await adminApi(attacker, 'POST', '/api/integrations/google/disconnect', {
      extensions: 'delete',
      tenant: victim.tenantId,
    });
    assert.equal(disconnect.status, 200);
    assert.equal(
      (await readIntegration(getApp().db, victim.tenantId)).status,
      'connected',
      "the victim's integration is untouched",
    );
  });

  it('refuses every integration action on the Essentials plan, naming the plans that have it', async () => {
    const tenant = await createTestTenant({ plan: 'essentials' });
    const me = (await (await adminApi(tenant, 'GET', '/api/me')).json()) as { integrationAvailable: boolean };
    assert.equal(me.integrationAvailable, false);
    for (const [method, path, body] of [
      ['GET', '/api/integrations/google', undefined],
      ['POST', '/api/integrations/google/connect', { clientId: tenant.clientId, clientSecret: tenant.clientSecret }],
      ['POST', '/api/integrations/google/reauthorize', {}],
      ['POST', '/api/integrations/google/disconnect', { extensions: 'keep' }],
    ] as const) {
      const response = await adminApi(tenant, method, path, body);
      assert.equal(response.status, 403, path);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'plan_required');
      assert.match(error.message, /needs the Teliqon Business or Ultimate plan; this account is on Essentials/);
    }
  });

  it('keeps the data of a downgraded tenant but stops its integration actions', async () => {
    const tenant = await createTestTenant();
    assert.equal(await connect(tenant), 'connected');
    await setTenantPlan(getApp().db, tenant.tenantId, 'essentials');
    assert.equal((await adminApi(tenant, 'GET', '/api/integrations/google')).status, 403);
    assert.equal((await readIntegration(getApp().db, tenant.tenantId)).status, 'connected', 'nothing was deleted');
  });

  it('answers CORS only for the Hosting origin and refuses any other origin', async () => {
    const stack = await useStack();
    const preflight = await call('/api/me', {
      method: 'OPTIONS',
      headers: { Origin: stack.addresses.publicBaseUrl, 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), stack.addresses.publicBaseUrl);
    const foreign = await call('/api/me', { method: 'OPTIONS', headers: { Origin: 'https://attacker.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });
});
