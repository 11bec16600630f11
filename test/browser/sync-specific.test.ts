// The guide's "Synchronize specific users" in Chromium: "Specific Users", "Search Criteria", "Search Users", the
// list with checkboxes, "Synchronize to PBX", the "synced list" tab with an extension for each user, "Save", the
// result message and the G icons on the Extension tab.
import assert from 'node:assert/strict';
import { newBrowserContext } from '../support/browser.ts';
import { openSyncSection } from '../support/console-page.ts';
import { addLocalExtension } from '../support/specific.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant } from '../support/sync.ts';

describe('guide: Synchronize specific users, in Chromium', function () {
  this.timeout(180_000);

  it('searches a group, synchronizes three users to the PBX, assigns two pre-created extensions and saves', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    // Extensions are created in advance: one with Priya's address, which "Auto associate" pre-assigns.
    await addLocalExtension(tenant, '2001', 'priya.sharma@acme.example');
    await addLocalExtension(tenant, '2002', 'front.desk@acme.example');
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      const section = await openSyncSection(page, stack.addresses.publicBaseUrl, tenant);

      await section.getByLabel('User Range For Extension Auto Creation').selectOption({ label: 'Specific Users' });
      assert.equal(
        await section.getByLabel("User's Extension Number").isVisible(),
        false,
        'numbering is not shown for Specific Users',
      );
      const criteria = section.getByLabel('Search Criteria');
      await criteria.getByRole('option', { name: 'Sales (sales@acme.example)' }).waitFor({ state: 'attached' });
      await criteria.selectOption([{ label: 'Sales (sales@acme.example)' }]);
      await section.getByRole('button', { name: 'Search Users' }).click();

      const found = section.getByRole('table', { name: 'Users found' });
      await found.getByRole('row', { name: /priya\.sharma@acme\.example/ }).waitFor();
      assert.equal(await found.getByText('lucas.martin@acme.example').count(), 0, 'a suspended user is not offered');
      assert.match(
        await found.getByRole('row', { name: /sophie\.dubois@acme\.example/ }).innerText(),
        /Sophie.*sophie\.dubois@acme\.example.*\/Sales\/EMEA/s,
      );

      await section.getByLabel('Auto delete the Extensions no longer in sync').check();
      await section
        .getByLabel('Delete the Extension when its associated user account is')
        .selectOption({ label: 'Deleted' });
      await section.getByLabel('Auto associate Extensions with the Users that share the same email address').check();
      await section.getByLabel('Send Welcome Email automatically after an extension is created').check();
      for (const email of ['priya.sharma', 'daniel.okafor', 'marcus.reed'])
        await found.getByLabel(`Select ${email}@acme.example`).check();
      await section.getByRole('button', { name: 'Synchronize to PBX' }).click();

      const synced = section.getByRole('tabpanel', { name: 'synced list' });
      await synced.getByRole('row', { name: /daniel\.okafor@acme\.example/ }).waitFor();
      assert.equal(await section.getByRole('tab', { name: 'synced list' }).getAttribute('aria-selected'), 'true');
      assert.equal(
        await synced.getByLabel('Extension for priya.sharma@acme.example').inputValue(),
        '2001',
        'Auto associate pre-assigns the matching extension',
      );
      await synced.getByLabel('Extension for daniel.okafor@acme.example').selectOption('2002');
      await section.getByRole('button', { name: 'Save', exact: true }).click();

      await section.getByText('2 users have been synced to the PBX Extension directory.').waitFor({ timeout: 60_000 });
      assert.match(await synced.getByRole('row', { name: /marcus\.reed@acme\.example/ }).innerText(), /Pending/);
      assert.match(await synced.getByRole('row', { name: /daniel\.okafor@acme\.example/ }).innerText(), /Synced/);

      // Switching to another range says what will happen before "Save"; Cancel keeps everything as it was.
      await section.getByLabel('User Range For Extension Auto Creation').selectOption({ label: 'All Users' });
      await section.getByRole('button', { name: 'Save', exact: true }).click();
      const preview = page.getByRole('dialog', { name: 'Before saving' });
      await preview
        .getByText(/This change will create \d+ extensions, delete 0 and release 0\./)
        .waitFor({ timeout: 60_000 });
      await preview.getByRole('button', { name: 'Cancel' }).click();
      await section.getByLabel('User Range For Extension Auto Creation').selectOption({ label: 'Specific Users' });
      assert.equal(await synced.getByRole('row').count(), 4, 'the synced list is still there (header and three users)');

      await page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Extension', exact: true })
        .click();
      const table = page.getByRole('table', { name: 'Extension' });
      await table.getByText('daniel.okafor@acme.example').waitFor();
      assert.equal(await table.getByRole('img', { name: 'Managed by Google' }).count(), 2);
      assert.equal(
        await table.getByText('front.desk@acme.example').count(),
        0,
        'the extension took its fields from Google',
      );
    } finally {
      await context.close();
    }
  });

  it('pages the search result and keeps users checked on another page', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      const section = await openSyncSection(page, stack.addresses.publicBaseUrl, tenant);
      await section.getByLabel('User Range For Extension Auto Creation').selectOption({ label: 'Specific Users' });
      const criteria = section.getByLabel('Search Criteria');
      await criteria.getByRole('option', { name: 'All Staff (all-staff@acme.example)' }).waitFor({ state: 'attached' });
      await criteria.selectOption([{ label: 'All Staff (all-staff@acme.example)' }]);
      await section.getByRole('button', { name: 'Search Users' }).click();
      const found = section.getByRole('table', { name: 'Users found' });
      await found.getByLabel('Select admin@acme.example').check();
      assert.equal(await found.getByRole('checkbox').count(), 25);
      await section.getByRole('button', { name: 'Next page' }).click();
      await found.getByLabel('Select admin@acme.example').waitFor({ state: 'detached' });
      const secondPage = await found.getByRole('checkbox').count();
      assert.ok(secondPage > 0 && secondPage < 25);
      const last = found.getByRole('checkbox').last();
      const lastEmail = String(await last.getAttribute('aria-label')).replace('Select ', '');
      await last.check();
      await section.getByRole('button', { name: 'Previous page' }).click();
      assert.equal(await found.getByLabel('Select admin@acme.example').isChecked(), true, 'still checked');
      await section.getByRole('button', { name: 'Synchronize to PBX' }).click();
      const synced = section.getByRole('tabpanel', { name: 'synced list' });
      await synced.getByRole('row', { name: new RegExp(lastEmail.replace(/[.]/g, '\\.')) }).waitFor();
      assert.equal(await synced.getByRole('row', { name: /admin@acme\.example/ }).count(), 1);
      await synced.getByText('2 users on the synced list, 0 with an extension, 2 pending.').waitFor();
    } finally {
      await context.close();
    }
  });
});
