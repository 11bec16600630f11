// Guide Steps 1-3 in Chromium, exactly as an admin does them: sign in, Integrations → Collaboration, Google SSO
// Integration → Integrate, copy the two redirect URIs, enter the Client ID and Secret, Save, sign in at Google
// with Email and Next, Allow, and land back on the page, which shows the integration as connected.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { readIntegration, secretIds } from '../../functions/src/connect/integration.ts';
import { newBrowserContext } from '../support/browser.ts';
import { consentInBrowser } from '../support/console-page.ts';
import { useStack } from '../support/stack.ts';
import { createTestTenant } from '../support/tenants.ts';

describe('guide Steps 1-3 in Chromium', function () {
  this.timeout(90_000);

  it('connects Google Workspace from the config page', async () => {
    const stack = await useStack();
    const tenant = await createTestTenant();
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      await page.goto(`${stack.addresses.publicBaseUrl}/`);
      await page.getByRole('textbox', { name: 'Email', exact: true }).fill(tenant.adminEmail);
      await page.getByLabel('Password', { exact: true }).fill(tenant.adminPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();

      const menu = page.getByRole('navigation', { name: 'Menu' });
      await menu.getByText('Integrations').waitFor();
      await menu.getByRole('link', { name: 'Collaboration' }).click();
      const card = page.getByRole('article', { name: 'Google SSO Integration' });
      await card.getByRole('button', { name: 'Integrate' }).click();

      // Step 1: the two redirect URIs, exactly what the server sends to Google.
      const dialog = page.getByRole('dialog', { name: 'Google SSO Integration' });
      assert.equal(
        await dialog.getByLabel('Redirect URI', { exact: true }).inputValue(),
        `${stack.addresses.publicBaseUrl}/oauth/google/callback`,
      );
      assert.equal(
        await dialog.getByLabel('Client SSO Redirect URI', { exact: true }).inputValue(),
        `${stack.addresses.publicBaseUrl}/sso/google/callback`,
      );
      await dialog.getByRole('button', { name: 'Copy Redirect URI', exact: true }).click();
      await dialog.getByRole('button', { name: 'Copy Redirect URI', exact: true }).getByText('Copied').waitFor();

      // Step 3: Certificates & Secrets, Save, Google's sign-in and consent.
      const secrets = dialog.getByRole('group', { name: 'Certificates & Secrets' });
      await secrets.getByLabel('Client ID').fill('not-a-client-id');
      await secrets.getByLabel('Client Secret').fill(tenant.clientSecret);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('Enter the Client ID, e.g.').waitFor();
      await secrets.getByLabel('Client ID').fill(tenant.clientId);
      await dialog.getByRole('button', { name: 'Save' }).click();

      await consentInBrowser(page, 'admin@acme.example');

      await page.getByRole('alert').getByText('Google Workspace is connected.').waitFor();
      const view = page.getByRole('region', { name: 'Google SSO Integration' });
      assert.equal(await view.getByRole('definition').nth(0).textContent(), 'Connected');
      assert.equal(await view.getByRole('definition').nth(1).textContent(), 'acme.example');
      assert.equal(new URL(page.url()).search, '', 'the outcome is removed from the address bar');
      await view.getByRole('button', { name: 'Reauthorize' }).waitFor();

      const integration = await readIntegration(getApp().db, tenant.tenantId);
      assert.equal(integration.status, 'connected');
      assert.equal(integration.customerId, 'C03az79cb');
      assert.ok(
        stack.secretManager.secrets.has(
          `projects/${stack.addresses.projectId}/secrets/teliqon-${secretIds(tenant.tenantId).refreshToken}`,
        ),
      );
    } finally {
      await context.close();
    }
  });
});
