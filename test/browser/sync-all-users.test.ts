// The guide's "Synchronizing All Users" in Chromium: Integrations → Collaboration, the User Synchronization
// section, the settings with the guide's labels, Save, the result message, and the G icons on the Extension tab.
import assert from 'node:assert/strict';
import { newBrowserContext } from '../support/browser.ts';
import { signInToConsole } from '../support/console-page.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant } from '../support/sync.ts';

describe('guide: Synchronizing All Users, in Chromium', function () {
  this.timeout(120_000);

  it('saves the settings, shows the result message and counts, and lists the extensions with a G icon', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      await signInToConsole(page, stack.addresses.publicBaseUrl, tenant);
      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Collaboration' }).click();
      await page.getByRole('article', { name: 'Google SSO Integration' }).getByRole('link', { name: 'Open' }).click();

      const section = page.getByRole('region', { name: 'User Synchronization' });
      await section.getByLabel('User Range For Extension Auto Creation').selectOption({ label: 'All Users' });
      await section.getByLabel("User's Extension Number").selectOption({ label: 'Assign Automatically' });
      await section.getByLabel('Start Extension Number from').fill('00');
      await section
        .getByLabel('Delete the Extension when its associated user account is')
        .selectOption({ label: 'Suspended' });
      await section.getByLabel('Auto associate Extensions with the Users that share the same email address').check();
      await section.getByLabel('Send Welcome Email automatically after an extension is created').check();
      await section.getByRole('button', { name: 'Save' }).click();
      await section.getByRole('alert').getByText('"Start Extension Number from" must be 2 to 7 digits').waitFor();

      await section.getByLabel("User's Extension Number").selectOption({ label: 'Read Specific Property Value' });
      await section.getByLabel('Property Name').fill('externalIds.#(type=="organization"');
      await section.getByRole('button', { name: 'Save' }).click();
      await section.getByRole('alert').getByText('"Property Name" is not a valid path').waitFor();

      await section.getByLabel("User's Extension Number").selectOption({ label: 'Assign Automatically' });
      await section.getByLabel('Start Extension Number from').fill('2000');
      await section.getByRole('button', { name: 'Save' }).click();
      const message = section.getByText(/^\d+ users have been synced to the PBX Extension directory\.$/);
      await message.waitFor({ timeout: 60_000 });
      const synced = Number((await message.textContent())!.split(' ')[0]);
      assert.ok(synced >= 25, `synced ${synced}`);
      assert.equal(
        await section.getByRole('definition').first().textContent(),
        String(synced),
        'Created equals the synced users on a first run',
      );

      await page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Extension', exact: true })
        .click();
      const table = page.getByRole('table', { name: 'Extension' });
      await table.getByRole('cell', { name: '2000', exact: true }).waitFor();
      assert.equal(await table.getByRole('img', { name: 'Managed by Google' }).count(), synced);
      assert.equal(
        await table.getByText('lucas.martin@acme.example').count(),
        0,
        'the suspended user has no extension',
      );
    } finally {
      await context.close();
    }
  });
});
