// Genuine ID tokens in each form Google may issue them (SPEC §6), through openid-client against the stand-in: a
// user of a secondary domain with `hd` naming either the Workspace's primary domain or their own domain (Google
// documents `hd` only as "the domain associated with the Google Workspace organization",
// https://developers.google.com/identity/openid-connect/openid-connect), and the legacy `iss` without its scheme
// ("Verify that the value of the iss claim in the ID token is equal to https://accounts.google.com or
// accounts.google.com", same page). Each is admitted; what lies outside them is still refused.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import {
  assertRefused,
  craftNextIdToken,
  extensionOf,
  sessionsOf,
  signInWithGoogle,
  syncedTenant,
  userApi,
} from '../support/sso-flow.ts';
import { useStack } from '../support/stack.ts';
import type { TestTenant } from '../support/tenants.ts';

const RAVI = 'ravi.patel@acme-labs.example';
const OLIVIA = 'olivia.bennett@acme.example';

describe('Sign in with Google admits the forms of genuine ID tokens Google documents', function () {
  this.timeout(90_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await syncedTenant();
  });

  // A recipe left queued by a failed test would rewrite another test's token.
  afterEach(async () => {
    const stack = await useStack();
    await fetch(`${stack.addresses.googleUrl}/__control/oauth/reset`, { method: 'POST' });
  });

  async function assertSignedInAs(outcome: Awaited<ReturnType<typeof signInWithGoogle>>, email: string): Promise<void> {
    assert.equal(outcome.status, 303, `${outcome.reason}: ${outcome.message}`);
    const extension = await extensionOf(tenant.tenantId, email);
    const { user } = (await (await userApi(tenant.tenantId, 'session', outcome.cookie)).json()) as {
      user: { extension: string; email: string };
    };
    assert.deepEqual(user && { extension: user.extension, email: user.email }, { extension: extension.number, email });
  }

  it('the synced secondary-domain user is linked under their own address, and the Workspace’s primary domain was recorded at connect', async () => {
    const ravi = await extensionOf(tenant.tenantId, RAVI);
    assert.equal(ravi.google?.status, 'active');
    const integration = (await getApp().db.doc(`tenants/${tenant.tenantId}/integrations/google`).get()).data();
    assert.equal(integration?.['primaryDomain'], 'acme.example');
  });

  for (const [preset, hd] of [
    ['hd-primary-domain', 'acme.example'],
    ['hd-own-domain', 'acme-labs.example'],
  ] as const) {
    it(`signs in a secondary-domain user whose hd is ${preset === 'hd-primary-domain' ? 'the primary domain' : 'their own domain'} (${hd})`, async () => {
      await craftNextIdToken(tenant.clientId, { preset });
      await assertSignedInAs(await signInWithGoogle(tenant.tenantId, RAVI), RAVI);
    });
  }

  it('legacy-iss: signs in with the legacy iss, the issuer without its scheme', async () => {
    await craftNextIdToken(tenant.clientId, { preset: 'legacy-iss' });
    await assertSignedInAs(await signInWithGoogle(tenant.tenantId, OLIVIA), OLIVIA);
  });

  // The legacy form is checked again by openid-client from the recorded token response: each check still runs.
  for (const [forgery, recipe] of [
    ['a nonce of another request', { claims: { nonce: 'forged-nonce' } }],
    ['no nonce', { claims: { nonce: null } }],
    [
      'an audience other than the tenant’s client ID',
      { claims: { aud: '999999999999-attacker.apps.googleusercontent.com' } },
    ],
    [
      'an expired token',
      { claims: { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 } },
    ],
    ['a signature by a key that is not the issuer’s', { signWith: 'foreign-key' }],
    ['no signature at all (alg: none)', { signWith: 'none' }],
  ] as const) {
    it(`refuses a token with the legacy iss and ${forgery}`, async () => {
      const before = (await sessionsOf(tenant.tenantId)).length;
      await craftNextIdToken(tenant.clientId, { legacyIssuer: true, ...recipe });
      const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
      await assertRefused(outcome, 'invalid_token', tenant.tenantId, before);
    });
  }

  it('refuses Google’s own legacy iss locally, where only the stand-in’s two forms are the issuer', async () => {
    const before = (await sessionsOf(tenant.tenantId)).length;
    await craftNextIdToken(tenant.clientId, { claims: { iss: 'accounts.google.com' } });
    await assertRefused(await signInWithGoogle(tenant.tenantId, OLIVIA), 'invalid_token', tenant.tenantId, before);
  });

  it('refuses a secondary-domain user whose hd is a third domain, neither their own nor the primary one', async () => {
    const before = (await sessionsOf(tenant.tenantId)).length;
    await craftNextIdToken(tenant.clientId, { claims: { hd: 'globex.example' } });
    const outcome = await signInWithGoogle(tenant.tenantId, RAVI);
    await assertRefused(outcome, 'other_domain', tenant.tenantId, before);
    assert.match(outcome.message ?? '', /acme-labs\.example or acme\.example/);
  });
});
