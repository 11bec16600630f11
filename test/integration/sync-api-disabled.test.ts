// A sync in a Google Cloud project where the Admin SDK API is not enabled (guide Step 2 skipped, or the API disabled
// later): Google answers every Directory call with 403 accessNotConfigured. That is no rate limit and no outage, so
// the run fails at once, telling the admin what to enable, retries nothing and deletes nothing.
import assert from 'node:assert/strict';
import { editUsers, withDirectory } from '../support/directory.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';

describe('sync: the Admin SDK API not enabled', function () {
  this.timeout(120_000);

  it('fails the run with a message telling the admin to enable the Admin SDK API, retrying nothing and deleting nothing', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const first = await syncWith(tenant);
    assert.equal(first.status, 'succeeded');
    // Two users gone: a run that completed would delete their extensions.
    const gone = editUsers('acme.example', (users) =>
      users.filter((user) => !['noah.kim@acme.example', 'grace.murphy@acme.example'].includes(user.primaryEmail ?? '')),
    );
    const run = await withDirectory(gone, async () => {
      stack.google.faults.resetStats();
      stack.google.faults.inject({ status: 403, reason: 'accessNotConfigured', times: 100 });
      const failed = await waitForRun(tenant, (await syncNow(tenant)).id);
      // Redeliveries, had there been any, would come about a second apart.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const calls = stack.google.faults.stats();
      assert.ok(calls.total >= 1 && calls.total <= 2, `one call per chain at most, none retried: ${calls.total}`);
      assert.equal(calls.faultsServed, calls.total);
      return failed;
    });
    assert.equal(run.status, 'failed');
    assert.match(
      run.failure ?? '',
      /The Admin SDK API is not enabled in the Google Cloud project of your OAuth client/,
    );
    assert.match(run.failure ?? '', /guide Step 2 \("enable the Admin SDK API"\)/);
    assert.match(
      run.failure ?? '',
      /https:\/\/console\.developers\.google\.com\/apis\/api\/admin\.googleapis\.com\/overview\?project=\d+/,
    );
    assert.equal(run.counts.deleted, 0);
    assert.equal((await extensionsOf(tenant.tenantId)).size, first.counts.created, 'nothing deleted');
  });
});
