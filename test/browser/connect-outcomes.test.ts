// What the admin sees when connect fails, on another plan, and when reauthorizing or disconnecting, in Chromium.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { getApp } from '../../functions/src/app.ts';
import { readIntegration } from '../../functions/src/connect/integration.ts';
import { newBrowserContext } from '../support/browser.ts';
import { consentInBrowser, openGoogleCard, saveCredentials, signInToConsole } from '../support/console-page.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, syncNow, waitForRun } from '../support/sync.ts';
import { createTestTenant } from '../support/tenants.ts';

describe('connect outcomes in Chromium', function () {
  this.timeout(90_000);

  async function withPage<T>(use: (page: import('playwright-core').Page, baseUrl: string) => Promise<T>): Promise<T> {
    const stack = await useStack();
    const context = await newBrowserContext();
    try {
      return await use(await context.newPage(), stack.addresses.publicBaseUrl);
    } finally {
      await context.close();
    }
  }

  it('explains the plan to an Essentials admin and offers no Integrate', async () => {
    const tenant = await createTestTenant({ plan: 'essentials' });
    await withPage(async (page, baseUrl) => {
      await signInToConsole(page, baseUrl, tenant);
      const card = await openGoogleCard(page);
      await card
        .getByText('Available on the Teliqon Business and Ultimate plans. This account is on Essentials.')
        .waitFor();
      assert.equal(await card.getByRole('button', { name: 'Integrate' }).isDisabled(), true);
    });
  });

  it('names the unticked permission and stays not connected', async () => {
    const tenant = await createTestTenant();
    await withPage(async (page, baseUrl) => {
      await signInToConsole(page, baseUrl, tenant);
      await saveCredentials(page, tenant.clientId, tenant.clientSecret);
      await consentInBrowser(page, 'admin@acme.example', ['View organization units on your domain']);
      const alert = page.getByRole('alert');
      await alert.getByText('missing: admin.directory.orgunit.readonly').waitFor();
      const view = page.getByRole('region', { name: 'Google SSO Integration' });
      assert.equal(await view.getByRole('definition').nth(0).textContent(), 'Not connected');
      await view.getByRole('button', { name: 'Integrate' }).waitFor();
    });
  });

  it('tells a non-admin Google account to sign in as a super administrator', async () => {
    const tenant = await createTestTenant();
    await withPage(async (page, baseUrl) => {
      await signInToConsole(page, baseUrl, tenant);
      await saveCredentials(page, tenant.clientId, tenant.clientSecret);
      await consentInBrowser(page, 'mei.chen@acme.example');
      await page.getByRole('alert').getByText('mei.chen@acme.example may not read the Workspace directory').waitFor();
    });
  });

  it('shows why Google refuses the stored authorization after the client secret was reset, and takes the new secret', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const secret = `GOCSPX-${randomBytes(14).toString('base64url')}`;
    for (const [path, body] of [
      [`/clients/${tenant.clientId}/reset-secret`, { client_secret: secret }],
      [`/clients/${tenant.clientId}/expire-access-tokens`, {}],
    ] as const) {
      await fetch(`${stack.addresses.googleUrl}/__control/oauth${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    }
    assert.equal((await waitForRun(tenant, (await syncNow(tenant)).id)).status, 'failed');
    await withPage(async (page, baseUrl) => {
      await signInToConsole(page, baseUrl, tenant);
      await (await openGoogleCard(page)).getByRole('link', { name: 'Open' }).click();
      const view = page.getByRole('region', { name: 'Google SSO Integration' });
      await view
        .getByRole('alert')
        .getByText(/Google no longer accepts the client secret: it was reset or deleted/)
        .waitFor();
      assert.equal(await view.getByRole('definition').nth(0).textContent(), 'Reauthorization required');
      await view.getByRole('button', { name: 'Integrate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Google SSO Integration' });
      await dialog.getByLabel('Client ID').fill(tenant.clientId);
      await dialog.getByLabel('Client Secret').fill(secret);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await consentInBrowser(page, 'admin@acme.example');
      await page.getByText('Google Workspace is connected.').waitFor();
      assert.equal(await view.getByRole('definition').nth(0).textContent(), 'Connected');
      // The problem is gone from the status; the sync section may still show the failed run's reason.
      assert.equal(await page.locator('#google-problem').isHidden(), true);
    });
  });

  it('reauthorizes, then disconnects keeping the extensions', async () => {
    const tenant = await createTestTenant();
    await withPage(async (page, baseUrl) => {
      await signInToConsole(page, baseUrl, tenant);
      await saveCredentials(page, tenant.clientId, tenant.clientSecret);
      await consentInBrowser(page, 'admin@acme.example');
      const view = page.getByRole('region', { name: 'Google SSO Integration' });
      await page.getByRole('alert').getByText('Google Workspace is connected.').waitFor();

      await view.getByRole('button', { name: 'Reauthorize' }).click();
      await consentInBrowser(page, 'admin@acme.example');
      await page.getByRole('alert').getByText('Google Workspace is connected.').waitFor();

      await view.getByRole('button', { name: 'Disconnect' }).click();
      const dialog = page.getByRole('dialog', { name: 'Disconnect Google Workspace' });
      await dialog.getByRole('radio', { name: 'Keep them as ordinary extensions' }).check();
      await dialog.getByRole('button', { name: 'Disconnect' }).click();
      await page.getByRole('status').getByText('Google Workspace is disconnected.').waitFor();
      assert.equal(await view.getByRole('definition').nth(0).textContent(), 'Not connected');
      assert.equal((await readIntegration(getApp().db, tenant.tenantId)).status, 'not_connected');
    });
  });
});
