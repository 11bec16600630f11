// Sign in with Google (SPEC §6) through the gateway, with openid-client against the stand-in: the authorization
// request, a successful sign-in with its server-side session and rotated browser id, the landing page's API, and
// sign-out. Refusals are in sso-refusals.test.ts, forged ID tokens in sso-forged-tokens.test.ts.
import assert from 'node:assert/strict';
import { Timestamp } from '@google-cloud/firestore';
import { getApp } from '../../functions/src/app.ts';
import { sha256 } from '../../functions/src/connect/oauth-state.ts';
import { readIntegration } from '../../functions/src/connect/integration.ts';
import { adminApi } from '../support/connect-flow.ts';
import { editUsers, withDirectory } from '../support/directory.ts';
import {
  extensionOf,
  openSsoCallback,
  sessionsOf,
  signInAtGoogle,
  signInWithGoogle,
  startSso,
  syncedTenant,
  userApi,
} from '../support/sso-flow.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

const OLIVIA = 'olivia.bennett@acme.example';

const browserIdOf = (cookie: string) => cookie.slice('__session='.length);

describe('Sign in with Google', function () {
  this.timeout(90_000);
  let tenant: TestTenant;
  let base: string;

  before(async () => {
    base = (await useStack()).addresses.publicBaseUrl;
    tenant = await syncedTenant();
  });

  it('sends the authorization request to the Client SSO Redirect URI with PKCE S256, a nonce, hd and a state bound to the browser', async () => {
    const attempt = await startSso(tenant.tenantId);
    const params = attempt.authorizationUrl.searchParams;
    assert.equal(
      `${attempt.authorizationUrl.origin}${attempt.authorizationUrl.pathname}`,
      getApp().config.google.authorizationUrl,
    );
    assert.equal(params.get('client_id'), tenant.clientId);
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('scope'), 'openid email');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.match(params.get('code_challenge') ?? '', /^[\w-]{43}$/);
    assert.ok(params.get('nonce') && params.get('state'));
    assert.equal(params.get('hd'), 'acme.example');

    // Exactly the Client SSO Redirect URI the Integrate dialog shows the admin.
    const shown = (await (await adminApi(tenant, 'GET', '/api/integrations/google')).json()) as {
      redirectUris: { sso: string };
    };
    assert.equal(params.get('redirect_uri'), shown.redirectUris.sso);
    assert.equal(shown.redirectUris.sso, `${base}/sso/google/callback`);

    const record = (
      await getApp()
        .db.doc(`oauthStates/${sha256(params.get('state')!)}`)
        .get()
    ).data()!;
    assert.equal(record['purpose'], 'sso');
    assert.equal(record['tenant'], tenant.tenantId);
    assert.equal(record['redirect_uri'], shown.redirectUris.sso);
    assert.equal(record['nonce'], params.get('nonce'));
    assert.equal(record['browserHash'], sha256(browserIdOf(attempt.cookie)));
    assert.ok((record['expiresAt'] as Timestamp).toMillis() - Date.now() <= 10 * 60 * 1000);
    assert.match(attempt.cookie, /^__session=[\w-]{43}$/, 'a browser without an id gets one');
  });

  it('signs a synced user in: a server-side session on a rotated browser id, and the landing page shows name and extension', async () => {
    const olivia = await extensionOf(tenant.tenantId, OLIVIA);
    const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
    assert.equal(outcome.status, 303);
    assert.equal(outcome.location, `/t/${tenant.tenantId}/home`);
    assert.equal(outcome.setCookies.length, 1, 'one cookie');
    assert.match(outcome.setCookies[0]!, /^__session=[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Lax$/);
    assert.ok(outcome.cookie && outcome.cookie !== outcome.attempt.cookie, 'the browser id is rotated at sign-in');

    const session = (
      await getApp()
        .db.doc(`sessions/${sha256(browserIdOf(outcome.cookie))}`)
        .get()
    ).data()!;
    assert.equal(session['tenant'], tenant.tenantId);
    assert.equal(session['extension'], olivia.number);
    assert.equal(session['role'], 'user');
    assert.equal(session['googleUserId'], olivia.google!.userId);
    const expiresIn = (session['expiresAt'] as Timestamp).toMillis() - Date.now();
    assert.ok(expiresIn > 11 * 3600_000 && expiresIn <= 12 * 3600_000, 'the session lasts 12 hours');
    assert.equal(
      (
        await getApp()
          .db.doc(`sessions/${sha256(browserIdOf(outcome.attempt.cookie))}`)
          .get()
      ).exists,
      false,
    );

    const response = await userApi(tenant.tenantId, 'session', outcome.cookie);
    assert.equal(response.status, 200);
    const { user } = (await response.json()) as { user: Record<string, unknown> };
    assert.deepEqual(
      { extension: user['extension'], firstName: user['firstName'], lastName: user['lastName'], email: user['email'] },
      { extension: olivia.number, firstName: 'Olivia', lastName: 'Bennett', email: OLIVIA },
    );
    assert.equal(
      (await userApi(tenant.tenantId, 'session', outcome.attempt.cookie)).status,
      401,
      'the id from before sign-in is no session',
    );
  });

  it('signs in a user of a secondary domain with the stand-in’s default hd, the domain of the linked primary e-mail', async () => {
    const ravi = await extensionOf(tenant.tenantId, 'ravi.patel@acme-labs.example');
    const outcome = await signInWithGoogle(tenant.tenantId, 'ravi.patel@acme-labs.example');
    assert.equal(outcome.status, 303, `${outcome.reason}: ${outcome.message}`);
    const { user } = (await (await userApi(tenant.tenantId, 'session', outcome.cookie)).json()) as {
      user: { extension: string };
    };
    assert.equal(user.extension, ravi.number);
  });

  it('takes the tenant from the state alone: a tenant named in the callback URL changes nothing', async () => {
    const other = await createTestTenant();
    const attempt = await startSso(tenant.tenantId);
    const callback = await signInAtGoogle(attempt, { email: OLIVIA });
    const outcome = await openSsoCallback(
      `${callback}&tenant=${other.tenantId}&tenantId=${other.tenantId}`,
      attempt.cookie,
    );
    assert.equal(outcome.location, `/t/${tenant.tenantId}/home`);
    assert.equal((await sessionsOf(other.tenantId)).length, 0);
  });

  it('a second sign-in in the same browser replaces the first session', async () => {
    const first = await signInWithGoogle(tenant.tenantId, OLIVIA);
    const second = await signInWithGoogle(tenant.tenantId, 'marcus.reed@acme.example', first.cookie);
    assert.equal(second.status, 303);
    assert.equal(
      (
        await getApp()
          .db.doc(`sessions/${sha256(browserIdOf(first.cookie!))}`)
          .get()
      ).exists,
      false,
    );
    assert.equal((await userApi(tenant.tenantId, 'session', first.cookie)).status, 401);
    assert.equal((await userApi(tenant.tenantId, 'session', second.cookie)).status, 200);
  });

  it('signs out: the session document is deleted and the browser gets a new id; only the pages may sign out', async () => {
    const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
    const ref = getApp().db.doc(`sessions/${sha256(browserIdOf(outcome.cookie!))}`);
    const foreign = await userApi(tenant.tenantId, 'sign-out', outcome.cookie, 'POST', {
      origin: 'https://attacker.example',
    });
    assert.equal(foreign.status, 403);
    assert.equal((await ref.get()).exists, true, 'a cross-site request does not sign out');

    const signOut = await userApi(tenant.tenantId, 'sign-out', outcome.cookie, 'POST', { origin: base });
    assert.equal(signOut.status, 200);
    assert.match(signOut.headers.getSetCookie()[0] ?? '', /^__session=[\w-]{43};/);
    assert.equal((await ref.get()).exists, false);
    assert.equal((await userApi(tenant.tenantId, 'session', outcome.cookie)).status, 401);
  });

  it('ends an expired session when it is next used', async () => {
    const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
    const ref = getApp().db.doc(`sessions/${sha256(browserIdOf(outcome.cookie!))}`);
    await ref.update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
    assert.equal((await userApi(tenant.tenantId, 'session', outcome.cookie)).status, 401);
    assert.equal((await ref.get()).exists, false);
  });

  it("reports the callback's own time apart from Google's in Server-Timing", async () => {
    const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
    assert.match(outcome.serverTiming ?? '', /^app;desc="[^"]+";dur=\d+\.\d{2}, google;desc="[^"]+";dur=\d+\.\d{2}$/);
  });

  it('offers the "G" button while connected or waiting for reauthorization, and keeps SSO working then', async () => {
    const stack = await useStack();
    const options = async (tenantId: string) =>
      (await (await userApi(tenantId, 'sign-in', undefined)).json()) as { google: boolean };
    const own = await connectedTenant();
    assert.deepEqual(await options(own.tenantId), { google: true });

    await syncWith(own);
    const integration = await readIntegration(getApp().db, own.tenantId);
    const refreshToken = await getApp().secrets.readVersion(integration.credentials!.refreshTokenVersion);
    await fetch(`${stack.addresses.googleUrl}/revoke?token=${encodeURIComponent(refreshToken!)}`, { method: 'POST' });
    await waitForRun(own, (await syncNow(own)).id);
    assert.equal((await readIntegration(getApp().db, own.tenantId)).status, 'reauthorization_required');

    assert.equal((await options(own.tenantId)).google, true);
    const outcome = await signInWithGoogle(own.tenantId, OLIVIA);
    assert.equal(outcome.status, 303, `${outcome.reason}: ${outcome.message}`);
    assert.equal((await sessionsOf(own.tenantId)).length, 1);
  });

  it('ends a session whose user has since been suspended in Google Workspace', async () => {
    const own = await syncedTenant();
    const outcome = await signInWithGoogle(own.tenantId, 'daniel.okafor@acme.example');
    assert.equal((await userApi(own.tenantId, 'session', outcome.cookie)).status, 200);
    await withDirectory(
      editUsers('acme.example', (users) =>
        users.map((user) => (user.primaryEmail === 'daniel.okafor@acme.example' ? { ...user, suspended: true } : user)),
      ),
      async () => {
        await waitForRun(own, (await syncNow(own)).id);
      },
    );
    assert.equal((await extensionOf(own.tenantId, 'daniel.okafor@acme.example')).google?.status, 'suspended');
    assert.equal((await userApi(own.tenantId, 'session', outcome.cookie)).status, 401);
    assert.equal((await sessionsOf(own.tenantId)).length, 0);
  });
});
