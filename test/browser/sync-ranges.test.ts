// The guide's "Synchronize users within a specific organizational unit" and "... within a specific group" in
// Chromium: the range, its picker, "Auto delete the Extensions no longer in sync", the preview before "Save", the
// result message, held removals approved on the page, and the G icons on the Extension tab.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { newBrowserContext } from '../support/browser.ts';
import { navigateToSync, openSyncSection } from '../support/console-page.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, syncWith } from '../support/sync.ts';

/** Opens the Extension tab, waits for a text, and counts the G icons. */
async function googleManagedCount(page: Page, text: string): Promise<number> {
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Extension', exact: true }).click();
  const table = page.getByRole('table', { name: 'Extension' });
  await table.getByText(text).first().waitFor();
  return table.getByRole('img', { name: 'Managed by Google' }).count();
}

describe('guide: Synchronize users within a specific organizational unit or group, in Chromium', function () {
  this.timeout(180_000);

  it('switches an All Users tenant to /Sales in "Organizational Units" with Auto delete: the preview says what it deletes', async () => {
    const tenant = await connectedTenant();
    const all = await syncWith(tenant, {});
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      const section = await openSyncSection(page, (await useStack()).addresses.publicBaseUrl, tenant);
      await section
        .getByLabel('User Range For Extension Auto Creation')
        .selectOption({ label: 'Users in Specific Organizational Unit' });
      const units = section.getByLabel('Organizational Units');
      await units.getByRole('option', { name: '/Sales/EMEA' }).waitFor({ state: 'attached' });
      await units.selectOption([{ label: '/Sales' }]);
      await section.getByLabel('Auto delete the Extensions no longer in sync').check();
      await section.getByLabel("User's Extension Number").selectOption({ label: 'Assign Automatically' });
      await section
        .getByLabel('Delete the Extension when its associated user account is')
        .selectOption({ label: 'Deleted' });
      await section.getByLabel('Deletion limit').fill('50');
      await section.getByRole('button', { name: 'Save' }).click();

      const preview = page.getByRole('dialog', { name: 'Before saving' });
      await preview
        .getByText(`This change will create 0 extensions, delete ${all.syncedUsers! - 10} and release 0.`)
        .waitFor({ timeout: 60_000 });
      await preview.getByRole('button', { name: 'Confirm and save' }).click();
      await section.getByText('10 users have been synced to the PBX Extension directory.').waitFor({ timeout: 60_000 });
      assert.equal(await googleManagedCount(page, 'marcus.reed@acme.example'), 10);
      assert.equal(
        await page.getByRole('table', { name: 'Extension' }).getByText('laura.schmidt@acme.example').count(),
        0,
        'users outside /Sales were deleted',
      );

      // The saved picks come back when the page is opened again.
      await page.reload();
      const again = await navigateToSync(page);
      await again
        .getByLabel('Organizational Units')
        .getByRole('option', { name: '/Sales/EMEA' })
        .waitFor({ state: 'attached' });
      assert.deepEqual(
        await again.getByLabel('Organizational Units').getByRole('option', { selected: true }).allTextContents(),
        ['/Sales'],
      );
      assert.equal(await again.getByLabel('Auto delete the Extensions no longer in sync').isChecked(), true);
    } finally {
      await context.close();
    }
  });

  it('switches an All Users tenant to one group: the preview says what it releases, and the held releases are approved on the page', async () => {
    const tenant = await connectedTenant();
    const all = await syncWith(tenant, {});
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      const section = await openSyncSection(page, (await useStack()).addresses.publicBaseUrl, tenant);
      await section
        .getByLabel('User Range For Extension Auto Creation')
        .selectOption({ label: 'Users in Specific Group' });
      const groups = section.getByLabel('Group', { exact: true });
      await groups
        .getByRole('option', { name: 'Engineering (engineering@acme.example)' })
        .waitFor({ state: 'attached' });
      await groups.selectOption([{ label: 'Engineering (engineering@acme.example)' }]);
      assert.equal(await section.getByLabel('Auto delete the Extensions no longer in sync').isChecked(), false);
      await section.getByRole('button', { name: 'Save' }).click();

      const released = all.syncedUsers! - 8;
      const preview = page.getByRole('dialog', { name: 'Before saving' });
      await preview
        .getByText(`This change will create 0 extensions, delete 0 and release ${released}.`)
        .waitFor({ timeout: 60_000 });
      await preview.getByRole('button', { name: 'Cancel' }).click();
      assert.equal(
        await section.getByText(`${all.syncedUsers} users have been synced`).count(),
        1,
        'cancel saves nothing',
      );

      await section.getByRole('button', { name: 'Save' }).click();
      await preview.getByRole('button', { name: 'Confirm and save' }).click({ timeout: 60_000 });
      await section
        .getByText('The last synchronization is waiting for your approval of its deletions.')
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await section.getByRole('list').filter({ hasText: 'user left the range' }).getByRole('listitem').count(),
        released,
      );
      await section.getByRole('button', { name: 'Approve deletions' }).click();
      await section.getByText('8 users have been synced to the PBX Extension directory.').waitFor({ timeout: 60_000 });
      assert.equal(
        await googleManagedCount(page, 'marcus.reed@acme.example'),
        8,
        'a released extension stays, as a local one',
      );
    } finally {
      await context.close();
    }
  });
});
