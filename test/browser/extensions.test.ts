// "Extension and Trunk" → "Extension" in Chromium, as an admin uses it: the list with the "G" icon on a
// Google-managed extension, Add Extension, Edit and Delete of a local one, and the locks on a Google-managed one.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { newBrowserContext } from '../support/browser.ts';
import { signInToConsole } from '../support/console-page.ts';
import { useStack } from '../support/stack.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

// What the sync writes for a linked Google user; the job title carries markup that must stay text.
async function seedGoogleManaged(tenant: TestTenant): Promise<void> {
  const db = getApp().db;
  const at = (path: string) => db.doc(`tenants/${tenant.tenantId}/${path}`);
  const batch = db.batch();
  batch.create(at('extensions/300'), {
    number: '300',
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@acme.example',
    mobile: '+1 555 0100',
    jobTitle: '<img src=x onerror="window.injected=true">',
    source: 'google',
    google: { userId: '1001', primaryEmail: 'grace@acme.example', orgUnitPath: '/', status: 'active' },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  });
  batch.create(at('extensionEmails/grace@acme.example'), { number: '300' });
  batch.create(at('googleLinks/1001'), { number: '300' });
  await batch.commit();
}

const LABELS = ['First Name', 'Last Name', 'Email Address', 'Mobile Number', 'Job Title'];

describe('the Extension tab in Chromium', function () {
  this.timeout(90_000);

  it('lists, adds, edits and deletes extensions, and keeps a Google-managed one locked', async () => {
    const stack = await useStack();
    const tenant = await createTestTenant();
    await seedGoogleManaged(tenant);
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      await signInToConsole(page, stack.addresses.publicBaseUrl, tenant);
      await page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Extension', exact: true })
        .click();
      const view = page.getByRole('region', { name: 'Extension' });
      const table = view.getByRole('table', { name: 'Extension' });
      const row = (text: string) => table.getByRole('row').filter({ hasText: text });

      // The list, with the "G" icon next to the Google-managed extension's e-mail only.
      const grace = row('grace@acme.example');
      await grace.getByRole('img', { name: 'Managed by Google' }).waitFor();
      assert.equal(await table.getByRole('img', { name: 'Managed by Google' }).count(), 1);
      assert.equal(await grace.getByRole('cell').nth(5).textContent(), '<img src=x onerror="window.injected=true">');
      assert.equal(await page.evaluate(() => 'injected' in globalThis), false, 'server text is never markup');

      // Add Extension; a taken e-mail is refused in the dialog and the admin corrects it.
      await view.getByRole('button', { name: 'Add Extension' }).click();
      const add = page.getByRole('dialog', { name: 'Add Extension' });
      await add.getByLabel('Extension', { exact: true }).fill('101');
      await add.getByLabel('First Name').fill('Ada');
      await add.getByLabel('Last Name').fill('Lovelace');
      await add.getByLabel('Email Address').fill('GRACE@acme.example');
      await add.getByLabel('Mobile Number').fill('+44 20 7946 0001');
      await add.getByLabel('Job Title').fill('Analyst');
      await add.getByRole('button', { name: 'Save' }).click();
      await add
        .getByRole('alert')
        .getByText('The e-mail address GRACE@acme.example is already used by extension 300.')
        .waitFor();
      await add.getByLabel('Email Address').fill('ada@example.com');
      await add.getByRole('button', { name: 'Save' }).click();
      await add.waitFor({ state: 'hidden' });
      const ada = row('ada@example.com');
      await ada.waitFor();
      assert.deepEqual(
        await ada
          .getByRole('cell')
          .allTextContents()
          .then((cells) => cells.slice(0, 6)),
        ['101', 'Ada', 'Lovelace', 'ada@example.com', '+44 20 7946 0001', 'Analyst'],
      );
      assert.equal(await ada.getByRole('img', { name: 'Managed by Google' }).count(), 0);
      // Numeric order: 101 before 300.
      assert.deepEqual(await table.locator('tbody tr td:first-child').allTextContents(), ['101', '300']);

      // Edit the local extension.
      await ada.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit Extension 101' });
      for (const label of LABELS) assert.equal(await edit.getByLabel(label).isEnabled(), true, label);
      assert.equal(await edit.getByText('Managed by Google Workspace').isVisible(), false);
      await edit.getByLabel('Job Title').fill('Chief Analyst');
      await edit.getByRole('button', { name: 'Save' }).click();
      await row('Chief Analyst').waitFor();
      const stored = await getApp().db.doc(`tenants/${tenant.tenantId}/extensions/101`).get();
      assert.equal(stored.get('jobTitle'), 'Chief Analyst');

      // The Google-managed one: no Delete, and Edit shows its five fields read-only.
      assert.equal(await grace.getByRole('button', { name: 'Delete' }).isDisabled(), true);
      await grace.getByRole('button', { name: 'Edit' }).click();
      const locked = page.getByRole('dialog', { name: 'Edit Extension 300' });
      await locked.getByText('Managed by Google Workspace').waitFor();
      for (const label of LABELS) assert.equal(await locked.getByLabel(label).isDisabled(), true, label);
      assert.equal(await locked.getByLabel('Email Address').inputValue(), 'grace@acme.example');
      assert.equal(await locked.getByRole('button', { name: 'Save' }).count(), 0);
      await locked.getByRole('button', { name: 'Cancel' }).click();

      // Delete the local extension.
      await ada.getByRole('button', { name: 'Delete' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete Extension' });
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await ada.waitFor({ state: 'detached' });
      assert.deepEqual(await table.locator('tbody tr td:first-child').allTextContents(), ['300']);
      assert.equal((await getApp().db.doc(`tenants/${tenant.tenantId}/extensions/300`).get()).get('source'), 'google');
    } finally {
      await context.close();
    }
  });
});
