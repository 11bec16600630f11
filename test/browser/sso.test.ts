// The guide's "How to Enable Google SSO" in real Chromium: on /t/{tenantId}/login the "G" button lets a synced
// user sign in with Google and see their extension, and nobody else; it is there only while the integration is.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { editUsers, withDirectory } from '../support/directory.ts';
import { newBrowserContext } from '../support/browser.ts';
import { extensionOf, sessionsOf, syncedTenant } from '../support/sso-flow.ts';
import { useStack } from '../support/stack.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

/** Opens the tenant's login page and waits until it knows whether to offer the "G" button. */
async function openLogin(page: Page, tenantId: string): Promise<void> {
  const stack = await useStack();
  const options = page.waitForResponse((response) => response.url().endsWith(`/t/${tenantId}/api/sign-in`));
  await page.goto(`${stack.addresses.publicBaseUrl}/t/${tenantId}/login`);
  await options;
}

/** The "G" button, then Google's Email, Next and Allow. */
async function signInWithGoogle(page: Page, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in with Google', exact: true }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
}

describe('guide: How to Enable Google SSO, in Chromium', function () {
  this.timeout(120_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await syncedTenant();
  });

  it('a synced user signs in with the "G" button and sees their name and extension; Sign out ends the session', async () => {
    const olivia = await extensionOf(tenant.tenantId, 'olivia.bennett@acme.example');
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      await openLogin(page, tenant.tenantId);
      await signInWithGoogle(page, 'olivia.bennett@acme.example');
      await page.waitForURL((url) => url.pathname === `/t/${tenant.tenantId}/home`);
      await page.getByRole('heading', { name: 'Welcome, Olivia Bennett' }).waitFor();
      const signedIn = page.getByRole('region', { name: 'Welcome, Olivia Bennett' });
      assert.equal(await signedIn.getByRole('definition').first().textContent(), olivia.number);
      assert.equal(await page.locator('#account').textContent(), `Test ${tenant.tenantId}`);
      const cookies = await context.cookies((await useStack()).addresses.publicBaseUrl);
      assert.deepEqual(
        cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite]),
        [['__session', true, 'Lax']],
      );
      assert.equal((await sessionsOf(tenant.tenantId)).length, 1);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL((url) => url.pathname === `/t/${tenant.tenantId}/login`);
      assert.equal((await sessionsOf(tenant.tenantId)).length, 0);
      await page.goto(page.url().replace(/\/login$/, '/home'));
      await page.waitForURL((url) => url.pathname === `/t/${tenant.tenantId}/login`);
    } finally {
      await context.close();
    }
  });

  it('a suspended user is refused with a page that says so, and gets no session', async () => {
    const email = 'lucas.martin@acme.example';
    assert.equal((await extensionOf(tenant.tenantId, email)).google?.status, 'suspended');
    // Google refuses suspended accounts itself; lifting that at the stand-in shows the PBX's own refusal.
    const atGoogle = editUsers('acme.example', (users) =>
      users.map((user) => (user.primaryEmail === email ? { ...user, suspended: false } : user)),
    );
    await withDirectory(atGoogle, async () => {
      const context = await newBrowserContext();
      try {
        const page = await context.newPage();
        const before = (await sessionsOf(tenant.tenantId)).length;
        await openLogin(page, tenant.tenantId);
        await signInWithGoogle(page, email);
        await page.getByRole('heading', { name: 'You are not signed in' }).waitFor();
        assert.equal(
          await page.getByRole('alert').textContent(),
          `${email} is suspended in Google Workspace, so it cannot be used to sign in to the PBX.`,
        );
        assert.equal((await sessionsOf(tenant.tenantId)).length, before);
        await page.getByRole('link', { name: 'Back to the sign-in page' }).click();
        await page.getByRole('button', { name: 'Sign in with Google' }).waitFor();
      } finally {
        await context.close();
      }
    });
  });

  it('shows no "G" button when the integration is not connected or the plan does not include it', async () => {
    const notConnected = await createTestTenant();
    const essentials = await createTestTenant({ plan: 'essentials' });
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      for (const tenantId of [notConnected.tenantId, essentials.tenantId]) {
        await openLogin(page, tenantId);
        await page.getByRole('heading', { name: 'Sign in to Teliqon Cloud PBX' }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Sign in with Google' }).count(), 0, tenantId);
      }
      await openLogin(page, tenant.tenantId);
      await page.getByRole('button', { name: 'Sign in with Google' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
