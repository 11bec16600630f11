// Syncs over what Google's paging does besides handing out pages: page tokens that expire three days after they were
// issued, and a listing whose last page is empty although the page before it carried a nextPageToken. Both through
// the real @googleapis/admin client against the Directory stand-in, whose clock and quirks the tests set.
import assert from 'node:assert/strict';
import { PAGE_TOKEN_LIFETIME_MS } from '../../dev/google/directory/index.ts';
import { TOPICS } from '../../functions/src/catalog.ts';
import type { RunView } from '../../functions/src/sync/run/run-view.ts';
import type { PageTask } from '../../functions/src/sync/run/tasks.ts';
import { adminApi, connect } from '../support/connect-flow.ts';
import { editMembers, editUsers, largeOrganisation, withDirectory } from '../support/directory.ts';
import { pickGroups, pickUnits } from '../support/ranges.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import { runWithDelivery } from '../support/task-harness.ts';
import { createTestTenant } from '../support/tenants.ts';

const BIG = 'paging.example';
const withBigDirectory = <T>(use: () => Promise<T>) =>
  withDirectory((orgs) => [...orgs, largeOrganisation(BIG, 'C0pag0001', 1100)], use);
// The last `count` users of the big organisation are gone from Google: a complete run would delete their extensions.
const withoutLastUsers = <T>(count: number, use: () => Promise<T>) =>
  withDirectory(
    editUsers(BIG, (users) => users.slice(0, -count)),
    use,
  );

async function bigTenant() {
  const tenant = await createTestTenant();
  assert.equal(await connect(tenant, { email: `admin@${BIG}` }), 'connected');
  return tenant;
}

async function withTrailingEmptyPages<T>(use: () => Promise<T>): Promise<T> {
  const stack = await useStack();
  stack.google.faults.setTrailingEmptyPage(true);
  try {
    return await use();
  } finally {
    stack.google.faults.setTrailingEmptyPage(false);
  }
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
        assert.match(
          run.failure ?? '',
          /Google no longer accepts the page token of page 2 of the domain listing \(page tokens last 3 days\)/,
        );
        assert.match(run.failure ?? '', /nothing was deleted\. Click Sync now/);
        assert.equal(run.counts.deleted, 0);
        assert.equal((await extensionsOf(tenant.tenantId)).size, 1100, 'nothing deleted');
        // Each chain's first page, then page 2 fetched ahead and by its own task: no retry, no loop.
        assert.ok(
          stack.google.faults.stats().byMethod['users.list'] <= 4,
          `users.list calls: ${stack.google.faults.stats().byMethod['users.list']}`,
        );
      });
    });
  });
});

// Google may end a listing with an empty page that the page before it still pointed to (AIP-158: a page may hold
// fewer items than asked, none included, and only a missing nextPageToken ends a collection). Such an empty last page
// is not an empty source: the source's size is what all its pages listed.
describe('sync: a listing that ends with an empty page', function () {
  this.timeout(180_000);

  it('completes the domain listing, counts every user once and deletes only those gone', async () => {
    const stack = await useStack();
    await withBigDirectory(async () => {
      const tenant = await bigTenant();
      assert.equal((await syncWith(tenant)).counts.created, 1100);
      const { run, listCalls } = await withoutLastUsers(3, () =>
        withTrailingEmptyPages(async () => {
          stack.google.faults.resetStats();
          const finished = await waitForRun(tenant, (await syncNow(tenant)).id, 120_000);
          return { run: finished, listCalls: stack.google.faults.stats().byMethod['users.list'] };
        }),
      );
      assert.equal(run.status, 'succeeded', run.failure ?? run.heldReason ?? '');
      assert.deepEqual([run.counts.unchanged, run.counts.created, run.counts.deleted], [1097, 0, 3]);
      assert.equal(run.syncedUsers, 1097);
      // 500, 500 and 97 users, then the empty page; the deleted users' listing is one empty page without a token.
      assert.equal(run.progress.pagesDone, 5);
      assert.equal(listCalls, 5);
      assert.equal((await extensionsOf(tenant.tenantId)).size, 1097);
    });
  });

  it('does not take a unit whose one page of users is followed by an empty page for a unit that came back empty', async () => {
    const tenant = await connectedTenant();
    const orgUnits = await pickUnits(tenant, '/Support');
    assert.equal((await syncWith(tenant, { range: 'orgUnits', orgUnits, autoDelete: true })).counts.created, 5);
    const moved = editUsers('acme.example', (users) =>
      users.map((user) =>
        user.primaryEmail === 'grace.murphy@acme.example' ? { ...user, orgUnitPath: '/Engineering' } : user,
      ),
    );
    const run = await withDirectory(moved, () =>
      withTrailingEmptyPages(async () => waitForRun(tenant, (await syncNow(tenant)).id)),
    );
    assert.equal(run.status, 'succeeded', run.heldReason ?? run.failure ?? '');
    assert.deepEqual([run.counts.unchanged, run.counts.deleted, run.syncedUsers], [4, 1, 4]);
    assert.equal(run.progress.pagesDone, 2, 'the unit listing: its users, then the empty page');
  });

  it('does not take a group whose one page of members is followed by an empty page for a group that came back empty', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, 'engineering@acme.example');
    const first = await syncWith(tenant, { range: 'groups', groups, autoDelete: true });
    assert.equal(first.counts.created, 8);
    const left = editMembers('engineering@acme.example', (members) =>
      members.filter((member) => member.email !== 'noah.kim@acme.example'),
    );
    const run = await withDirectory(left, () =>
      withTrailingEmptyPages(async () => waitForRun(tenant, (await syncNow(tenant)).id)),
    );
    assert.equal(run.status, 'succeeded', run.heldReason ?? run.failure ?? '');
    assert.deepEqual([run.counts.unchanged, run.counts.deleted, run.syncedUsers], [7, 1, 7]);
    assert.equal((await extensionsOf(tenant.tenantId)).size, 7);
  });
});
