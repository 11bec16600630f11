// Push notifications on the "User Synchronization" section, in Chromium: the section says updates arrive within a
// minute, and a new hire added in Google appears under "Recent updates from Google" without a run.
import assert from 'node:assert/strict';
import { newBrowserContext } from '../support/browser.ts';
import { navigateToSync, signInToConsole } from '../support/console-page.ts';
import { editDemoUsers, eventually, extensionOfUser, pushDeliveryOn } from '../support/push.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, syncWith } from '../support/sync.ts';

describe('push notifications on the User Synchronization section, in Chromium', function () {
  this.timeout(120_000);
  pushDeliveryOn();

  it('says updates arrive within a minute and lists the new hire Google announced', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    assert.equal((await syncWith(tenant)).status, 'succeeded');
    const hire = { id: '118000000000000000099', primaryEmail: 'page.hire@acme.example' };
    await editDemoUsers((users) => [...users, { ...hire, name: { givenName: 'Page', familyName: 'Hire' } }]);
    const extension = await eventually(() => extensionOfUser(tenant.tenantId, hire.id), 'the pushed extension');

    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      await signInToConsole(page, stack.addresses.publicBaseUrl, tenant);
      const section = await navigateToSync(page);
      await section.getByRole('status').getByText('Updates from Google arrive within a minute.').waitFor();
      await section.getByText('Recent updates from Google').click();
      const item = section.getByRole('listitem').filter({ hasText: hire.primaryEmail });
      await item.waitFor();
      assert.match((await item.textContent()) ?? '', new RegExp(`created · ${extension.number}`, 'i'));
      await page.screenshot({ path: `${stack.dirs.data}/push-status.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
