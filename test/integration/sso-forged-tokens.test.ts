// Forged ID tokens at the SSO callback (SPEC §6, §7 "Crafted tokens"): the stand-in rewrites the next token
// response's ID token, so the product meets each attack through the real flow. Every one is refused with a page
// that says so, no session document and no cookie.
import assert from 'node:assert/strict';
import { assertRefused, craftNextIdToken, extensionOf, signInWithGoogle, syncedTenant } from '../support/sso-flow.ts';
import { useStack } from '../support/stack.ts';
import type { TestTenant } from '../support/tenants.ts';

const OLIVIA = 'olivia.bennett@acme.example';

describe('Sign in with Google refuses forged ID tokens', function () {
  this.timeout(60_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await syncedTenant();
  });

  // A recipe left queued by a failed test would rewrite another test's token.
  afterEach(async () => {
    const stack = await useStack();
    await fetch(`${stack.addresses.googleUrl}/__control/oauth/reset`, { method: 'POST' });
  });

  for (const [preset, attack] of [
    ['wrong-aud', 'an audience other than the tenant’s client ID'],
    ['wrong-iss', 'another issuer'],
    ['googleapis-iss', 'the issuer googleapis.com, which only google-auth-library tolerates'],
    ['expired', 'an expired token'],
    ['foreign-key', 'a signature by a key that is not the issuer’s'],
    ['alg-none', 'no signature at all (alg: none)'],
    ['wrong-nonce', 'a nonce of another request'],
    ['no-nonce', 'no nonce'],
  ] as const) {
    it(`${preset}: ${attack}`, async () => {
      await craftNextIdToken(tenant.clientId, { preset });
      const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
      await assertRefused(outcome, 'invalid_token', tenant.tenantId);
      assert.equal(outcome.status, 401);
    });
  }

  it('email-unverified: an e-mail Google has not verified', async () => {
    await craftNextIdToken(tenant.clientId, { preset: 'email-unverified' });
    const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
    await assertRefused(outcome, 'email_unverified', tenant.tenantId);
    assert.match(outcome.message ?? '', /has not verified the e-mail address of olivia\.bennett@acme\.example/);
  });

  for (const preset of ['wrong-hd', 'no-hd']) {
    it(`${preset}: an hd that is neither the domain of the linked user's primary e-mail nor the Workspace's primary domain`, async () => {
      await craftNextIdToken(tenant.clientId, { preset });
      await assertRefused(await signInWithGoogle(tenant.tenantId, OLIVIA), 'other_domain', tenant.tenantId);
    });
  }

  it('wrong-sub: a validly signed token for a Google user no extension is linked to', async () => {
    await craftNextIdToken(tenant.clientId, { preset: 'wrong-sub' });
    await assertRefused(await signInWithGoogle(tenant.tenantId, OLIVIA), 'no_extension', tenant.tenantId);
  });

  it("a validly signed token for a suspended user: the extension's status is checked, not only Google's sign-in page", async () => {
    const lucas = await extensionOf(tenant.tenantId, 'lucas.martin@acme.example');
    assert.equal(lucas.google?.status, 'suspended');
    await craftNextIdToken(tenant.clientId, {
      claims: { sub: lucas.google.userId, email: 'lucas.martin@acme.example', hd: 'acme.example' },
    });
    const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
    await assertRefused(outcome, 'inactive_user', tenant.tenantId);
    assert.match(outcome.message ?? '', /lucas\.martin@acme\.example is suspended in Google Workspace/);
  });

  it('still signs the user in with a genuine token, so each refusal above is the forgery’s doing', async () => {
    const outcome = await signInWithGoogle(tenant.tenantId, OLIVIA);
    assert.equal(outcome.status, 303, `${outcome.reason}: ${outcome.message}`);
  });
});
