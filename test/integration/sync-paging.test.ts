// Syncs over what Google's paging does besides handing out pages: page tokens that expire three days after they were
// issued. Through the real @googleapis/admin client against the Directory stand-in, whose clock the tests set.
import assert from 'node:assert/strict';
import { PAGE_TOKEN_LIFETIME_MS } from '../../dev/google/directory/index.ts';
import { TOPICS } from '../../functions/src/catalog.ts';
import type { RunView } from '../../functions/src/sync/run-view.ts';
import type { PageTask } from '../../functions/src/sync/tasks.ts';
import { adminApi, connect } from '../support/connect-flow.ts';
import { editUsers, largeOrganisation, withDirectory } from '../support/directory.ts';
import { useStack } from '../support/stack.ts';
import { extensionsOf, syncWith } from '../support/sync.ts';
import { runWithDelivery } from '../support/task-harness.ts';
import { createTestTenant } from '../support/tenants.ts';

const BIG = 'paging.example';
const withBigDirectory = <T>(use: () => Promise<T>) => withDirectory((orgs) => [...orgs, largeOrganisation(BIG, 'C0pag0001', 1100)], use);
// The last `count` users of the big organisation are gone from Google: a complete run would delete their extensions.
const withoutLastUsers = <T>(count: number, use: () => Promise<T>) => withDirectory(editUsers(BIG, (users) => users.slice(0, -count)), use);

async function bigTenant() {
  const tenant = await createTestTenant();
  assert.equal(await connect(tenant, { email: `admin@${BIG}` }), 'connected');
  return tenant;
}

describe('sync: page tokens that expired', function () {
  this.timeout(180_000);

  // A chain that resumes days later (a task redelivered late, or republished from its dead-letter topic) meets
  // Google's refusal of the old token: the run must end there, failed and saying why, not delete, not loop.
  it('fails a run whose next page token expired between two pages, deleting nothing and asking Google nothing more', async () => {
    const stack = await useStack();
    await withBigDirectory(async () => {
      const tenant = await bigTenant();
      assert.equal((await syncWith(tenant)).counts.created, 1100);
      await withoutLastUsers(30, async () => {
        stack.google.faults.resetStats();
        let aged = false;
        const runId = await runWithDelivery(tenant.tenantId, {
          // Three days pass once the first page of the domain listing has handed on its token.
          onPublish: (topic, payload) => {
            const task = payload as PageTask;
            if (aged || topic !== TOPICS.syncPage || task.chain !== 'domain' || task.page !== 1) return;
            aged = true;
            stack.google.faults.advanceClock(PAGE_TOKEN_LIFETIME_MS + 60_000);
          },
        });
        assert.ok(aged, 'the listing reached its second page');
        const { run } = (await (await adminApi(tenant, 'GET', `/api/sync/runs/${runId}`)).json()) as { run: RunView };
        assert.equal(run.status, 'failed');
        assert.match(run.failure ?? '', /Google no longer accepts the page token of page 2 of the domain listing \(page tokens last 3 days\)/);
        assert.match(run.failure ?? '', /nothing was deleted\. Click Sync now/);
        assert.equal(run.counts.deleted, 0);
        assert.equal((await extensionsOf(tenant.tenantId)).size, 1100, 'nothing deleted');
        // Each chain's first page, then page 2 fetched ahead and by its own task: no retry, no loop.
        assert.ok(stack.google.faults.stats().byMethod['users.list'] <= 4, `users.list calls: ${stack.google.faults.stats().byMethod['users.list']}`);
      });
    });
  });
});
