// The sync's history, alerts and pause in Chromium, as an admin meets them on the Google SSO Integration page: a run
// with creates, an update, a renumber and a skip shows each in its changes; the CSV downloads with the same rows; a
// held deletion sends one e-mail that the Inbox shows; "Pause synchronization" stops the nightly tick and push
// updates; "Resume" syncs.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { getApp } from '../../functions/src/app.ts';
import { DEFAULT_SETTINGS } from '../../functions/src/sync/settings/settings.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { newBrowserContext } from '../support/browser.ts';
import { navigateToSync, signInToConsole } from '../support/console-page.ts';
import { parseCsv } from '../support/csv.ts';
import { editUsers } from '../support/directory.ts';
import { channelRecordsOf, editDemoUsers, extensionOfUser, pushDeliveryOn } from '../support/push.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, syncWith } from '../support/sync.ts';
import { tickInProcess } from '../support/tick.ts';

const PROPERTY = 'externalIds.#(type=="organization").value';

/** The rows of the changes table, as [change, email, extension] per row. */
async function shownRows(changes: Locator): Promise<string[][]> {
  const rows = changes.getByRole('table').getByRole('row');
  const texts: string[][] = [];
  for (const row of (await rows.all()).slice(1)) {
    const cells = await row.getByRole('cell').allTextContents();
    texts.push([cells[0] ?? '', cells[2] ?? '', cells[3] ?? '']);
  }
  return texts;
}

async function openChanges(page: Page, startedBy: string, status: string): Promise<Locator> {
  const history = page.getByRole('region', { name: 'Synchronization history' });
  const row = history.getByRole('row').filter({ hasText: startedBy }).filter({ hasText: status }).first();
  await row.waitFor();
  await row.getByRole('button', { name: /View changes/ }).click();
  return history.getByRole('region', { name: /^Changes of/ });
}

describe('sync history, alerts and pause, in Chromium', function () {
  this.timeout(240_000);
  pushDeliveryOn();

  it('shows each change of a run, downloads them, mails a held deletion once, and pauses and resumes', async () => {
    const stack = await useStack();
    // Push stays off while the runs are made, so that the edits below reach the extensions by the runs alone.
    stack.google.push.delivery.setEnabled(false);
    const tenant = await connectedTenant();
    const schedule = { frequency: 'off', time: '00:00' } as const;
    const first = await syncWith(tenant, {
      numbering: { mode: 'property', path: PROPERTY },
      deleteWhen: 'suspended',
      deletionLimit: 1,
      schedule,
    });
    assert.equal(first.status, 'succeeded');
    // An update, a renumber, and two suspensions: more deletions than the limit of 1, so they are held.
    stack.google.fixtures.replace(
      editUsers('acme.example', (users) =>
        users.map((user) => {
          if (user.primaryEmail === 'olivia.bennett@acme.example')
            return { ...user, organizations: [{ title: 'Chair of the Board', primary: true }] };
          if (user.primaryEmail === 'marcus.reed@acme.example')
            return { ...user, externalIds: [{ type: 'organization', value: '2199' }] };
          if (['priya.sharma@acme.example', 'daniel.okafor@acme.example'].includes(user.primaryEmail ?? ''))
            return { ...user, suspended: true };
          return user;
        }),
      )([...stack.google.fixtures.organisations]),
    );

    const context = await newBrowserContext();
    try {
      const page = await context.newPage();
      await signInToConsole(page, stack.addresses.publicBaseUrl, tenant);
      const section = await navigateToSync(page);
      await section.getByRole('button', { name: 'Sync now' }).click();
      await section.getByText('The last synchronization is waiting for your approval of its deletions.').waitFor({
        timeout: 60_000,
      });

      // The first run: one "created" row per extension, and the skipped users with their reason.
      let changes = await openChanges(page, 'Save', 'Succeeded');
      await changes
        .getByRole('status')
        .getByText(/^Showing \d+ changes\.$/)
        .waitFor();
      const created = (await shownRows(changes)).filter(([kind]) => kind === 'created');
      assert.equal(created.length, first.counts.created);
      assert.ok(created.some(([, email, number]) => email === 'marcus.reed@acme.example' && number === '2101'));
      await changes
        .getByRole('row')
        .filter({ hasText: 'laura.schmidt@acme.example' })
        .getByText(`property ${PROPERTY} is missing`)
        .waitFor();

      // The held run: the update with its fields, the renumber with both numbers, the skips.
      changes = await openChanges(page, 'Sync now', 'Waiting for approval');
      await changes
        .getByRole('status')
        .getByText(/^Showing \d+ changes?\.$/)
        .waitFor();
      await changes
        .getByRole('row')
        .filter({ hasText: 'olivia.bennett@acme.example' })
        .getByText('Job Title: Chief Executive Officer → Chair of the Board')
        .waitFor();
      const marcus = changes.getByRole('row').filter({ hasText: 'marcus.reed@acme.example' });
      assert.deepEqual((await marcus.getByRole('cell').allTextContents()).slice(0, 5), [
        'renumbered',
        'Marcus Reed',
        'marcus.reed@acme.example',
        '2199',
        '2101 → 2199',
      ]);
      const all = await shownRows(changes);
      assert.deepEqual(
        all
          .map(([kind]) => kind)
          .filter((kind) => kind !== 'skipped')
          .sort(),
        ['renumbered', 'updated'],
        'no other change: the held deletions are not made',
      );

      await changes.getByRole('combobox', { name: 'Change' }).selectOption({ label: 'Skipped' });
      await changes
        .getByRole('status')
        .getByText(/^Showing \d+ changes?\.$/)
        .waitFor();
      assert.ok((await shownRows(changes)).every(([kind]) => kind === 'skipped'));
      await changes.getByRole('combobox', { name: 'Change' }).selectOption({ label: 'All changes' });
      await changes.getByLabel('Search by name or email address').fill('Olivia');
      await changes.getByRole('button', { name: 'Search' }).click();
      await changes.getByRole('status').getByText('Showing 1 change.').waitFor();
      await changes.getByLabel('Search by name or email address').fill('');
      await changes.getByRole('button', { name: 'Search' }).click();
      await changes.getByRole('status').getByText(`Showing ${all.length} changes.`).waitFor();

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        changes.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^sync-changes-.+\.csv$/);
      const csv = parseCsv(await readFile(await download.path(), 'utf8'));
      assert.equal(csv[0]?.[0], 'Change');
      assert.deepEqual(
        csv.slice(1).map((row) => [row[0], row[2], row[3]]),
        all,
        'the download holds the rows the page shows',
      );
      await page.screenshot({ path: `${stack.dirs.data}/sync-history.png`, fullPage: true });

      // The held deletions mail the admin once, however often the sweep runs.
      await tickInProcess();
      await tickInProcess();
      const inbox = await context.newPage();
      await inbox.goto(stack.addresses.inboxUrl);
      const subject = 'Teliqon Cloud PBX: 2 deletions waiting for your approval';
      await inbox.getByText(subject).first().waitFor({ timeout: 20_000 });
      await tickInProcess();
      await inbox.reload();
      await inbox.getByText(subject).first().waitFor();
      assert.equal(await inbox.getByText(subject).count(), 1);
      await inbox.screenshot({ path: `${stack.dirs.data}/alert-inbox.png`, fullPage: true });
      await inbox.close();

      stack.google.push.delivery.setEnabled(true);
      // Pause: Google's push channels are stopped, a due tick starts nothing, and a new hire is not pushed in.
      await section.getByRole('button', { name: 'Discard' }).click();
      await page.getByRole('button', { name: 'Pause synchronization' }).click();
      await page.getByText('Synchronization is paused').first().waitFor();
      assert.equal((await channelRecordsOf(tenant.tenantId)).length, 0, 'no push channel kept');
      await syncPaths(getApp().db, tenant.tenantId).settings.set({
        ...DEFAULT_SETTINGS,
        numbering: { mode: 'property', path: PROPERTY },
        schedule: { frequency: 'daily', time: '00:00' },
      });
      const calls = await tickInProcess();
      assert.equal(
        calls.filter((call) => call.tenantId === tenant.tenantId).length,
        0,
        'a due tick starts no run while paused',
      );
      const hire = { id: '118000000000000000077', primaryEmail: 'paused.hire@acme.example' };
      await editDemoUsers((users) => [
        ...users,
        {
          ...hire,
          name: { givenName: 'Paused', familyName: 'Hire' },
          externalIds: [{ type: 'organization', value: '2777' }],
        },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 4000));
      assert.equal(await extensionOfUser(tenant.tenantId, hire.id), undefined, 'no push while paused');
      await section.getByRole('button', { name: 'Sync now' }).click();
      await section
        .getByRole('alert')
        .getByText('Synchronization is paused. Click Resume to synchronize again.')
        .waitFor();

      // Resume syncs at once: the hire arrives.
      await page.getByRole('button', { name: 'Resume' }).click();
      // The earlier run's result message is still on the page, so the run's own row in the history tells its end.
      await page
        .getByRole('region', { name: 'Synchronization history' })
        .getByRole('row')
        .filter({ hasText: 'Resume' })
        .filter({ hasText: /Succeeded|Waiting for approval/ })
        .first()
        .waitFor({ timeout: 60_000 });
      assert.equal((await extensionOfUser(tenant.tenantId, hire.id))?.number, '2777');
      assert.equal(await section.getByText('Synchronization is paused').count(), 0, 'no stale paused message');
      await page.screenshot({ path: `${stack.dirs.data}/sync-resumed.png`, fullPage: true });
    } finally {
      await context.close();
      // No nightly run of this tenant behind a later test's tick.
      await syncPaths(getApp().db, tenant.tenantId).settings.set({ ...DEFAULT_SETTINGS, schedule });
    }
  });
});
