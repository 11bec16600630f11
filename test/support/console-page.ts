// Steps on the config page shared by the browser tests, done as a person does them.
import type { Page } from 'playwright-core';
import type { TestTenant } from './tenants.ts';

/** Opens the config page and signs in with Email and Password. */
export async function signInToConsole(
  page: Page,
  baseUrl: string,
  tenant: Pick<TestTenant, 'adminEmail' | 'adminPassword'>,
): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(tenant.adminEmail);
  await page.getByLabel('Password', { exact: true }).fill(tenant.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Menu' }).waitFor();
}

/** Integrations → Collaboration, then the Google SSO Integration card. */
export async function openGoogleCard(page: Page) {
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Collaboration' }).click();
  return page.getByRole('article', { name: 'Google SSO Integration' });
}

/** From the menu to the "User Synchronization" section of the Google SSO Integration page. */
export async function navigateToSync(page: Page) {
  await (await openGoogleCard(page)).getByRole('link', { name: 'Open' }).click();
  return page.getByRole('region', { name: 'User Synchronization' });
}

/** Signs in to the config page and opens the "User Synchronization" section. */
export async function openSyncSection(
  page: Page,
  baseUrl: string,
  tenant: Pick<TestTenant, 'adminEmail' | 'adminPassword'>,
) {
  await signInToConsole(page, baseUrl, tenant);
  return navigateToSync(page);
}

/** Integrate, fill Certificates & Secrets, Save. */
export async function saveCredentials(page: Page, clientId: string, clientSecret: string): Promise<void> {
  const card = await openGoogleCard(page);
  await card.getByRole('button', { name: 'Integrate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Google SSO Integration' });
  await dialog.getByLabel('Client ID').fill(clientId);
  await dialog.getByLabel('Client Secret').fill(clientSecret);
  await dialog.getByRole('button', { name: 'Save' }).click();
}

/** Google's Email, Next and consent; `untick` names consent checkboxes to clear before Allow. A browser already
 * signed in at Google goes straight to consent, as with Google's own session. */
export async function consentInBrowser(page: Page, email: string, untick: readonly string[] = []): Promise<void> {
  await page.waitForURL(/\/signin\/v2\//);
  const next = page.getByRole('button', { name: 'Next' });
  await next.or(page.getByRole('button', { name: 'Allow' })).waitFor();
  if (await next.isVisible()) {
    await page.getByLabel('Email').fill(email);
    await next.click();
  }
  for (const label of untick) await page.getByRole('checkbox', { name: label }).uncheck();
  await page.getByRole('button', { name: 'Allow' }).click();
}
