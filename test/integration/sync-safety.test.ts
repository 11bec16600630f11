// The safety rules of SPEC §5.4, each against the emulators and the stand-in: nothing is deleted after a failed
// or looping listing, deletions over the limit are held, Google's limits are met with backoff, a revoked grant
// stops syncs without deleting, and redelivered, shuffled or crashed tasks end in the same state.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { TOPICS } from '../../functions/src/catalog.ts';
import { integrationRef, readIntegration } from '../../functions/src/connect/integration.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { adminApi, connect } from '../support/connect-flow.ts';
import { editUsers, largeOrganisation, withDirectory } from '../support/directory.ts';
import { useStack } from '../support/stack.ts';
import { runWithDelivery } from '../support/task-harness.ts';
import { createTestTenant } from '../support/tenants.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import type { RunView } from '../../functions/src/sync/run/run-view.ts';
import { DEFAULT_SETTINGS } from '../../functions/src/sync/settings/settings.ts';

// Everything but the number (which may differ by delivery order) and the timestamps.
async function extensionSummary(tenantId: string): Promise<string[]> {
  const extensions = [...(await extensionsOf(tenantId)).values()];
  return extensions
    .map(({ number: _number, createdAt: _created, updatedAt: _updated, ...rest }) => JSON.stringify(rest))
    .sort();
}

const BIG = 'big.example';
const withBigDirectory = <T>(use: () => Promise<T>) =>
  withDirectory((orgs) => [...orgs, largeOrganisation(BIG, 'C0big0001', 1100)], use);

async function bigTenant() {
  const tenant = await createTestTenant();
  assert.equal(await connect(tenant, { email: `admin@${BIG}` }), 'connected');
  return tenant;
}

// Removes the last `count` active, non-admin users: their extensions are what a sync would then delete.
async function dropUsers(domain: string, count: number): Promise<void> {
  const stack = await useStack();
  const removable = (
    users: Array<{
      suspended?: boolean | null;
      archived?: boolean | null;
      deletionTime?: string | null;
      isAdmin?: boolean | null;
      id?: string | null;
    }>,
  ) =>
    users
      .filter((user) => !user.suspended && !user.archived && !user.deletionTime && !user.isAdmin)
      .slice(-count)
      .map((user) => user.id);
  stack.google.fixtures.replace(
    editUsers(domain, (users) => {
      const gone = new Set(removable(users));
      return users.filter((user) => !gone.has(user.id));
    })([...stack.google.fixtures.organisations]),
  );
}

describe('sync safety', function () {
  this.timeout(180_000);

  it('deletes nothing when a page fails in the middle of the listing after its retries, and says why', async () => {
    await withBigDirectory(async () => {
      const tenant = await bigTenant();
      assert.equal((await syncWith(tenant)).counts.created, 1100);
      await dropUsers(BIG, 30);
      (await useStack()).google.faults.inject({ method: 'users.list', status: 503, times: 500, onlyPaged: true });
      const run = await waitForRun(tenant, (await syncNow(tenant)).id, 120_000);
      assert.equal(run.status, 'failed');
      assert.match(run.failure ?? '', /failed 5 times/);
      assert.equal(run.counts.deleted, 0);
      assert.equal((await extensionsOf(tenant.tenantId)).size, 1100, 'nothing deleted');
    });
  });

  it('fails a run whose listing repeats a page token, deleting nothing', async () => {
    await withBigDirectory(async () => {
      const tenant = await bigTenant();
      await syncWith(tenant);
      await dropUsers(BIG, 30);
      (await useStack()).google.faults.inject({
        method: 'users.list',
        status: 503,
        effect: 'repeat-page-token',
        onlyPaged: true,
        times: 1,
      });
      const run = await waitForRun(tenant, (await syncNow(tenant)).id);
      assert.equal(run.status, 'failed');
      assert.match(run.failure ?? '', /repeated a page token/);
      assert.equal((await extensionsOf(tenant.tenantId)).size, 1100);
    });
  });

  it('stops a listing that runs past the page-loop cap, deleting nothing', async () => {
    await withBigDirectory(async () => {
      const tenant = await bigTenant();
      await syncWith(tenant);
      await dropUsers(BIG, 30);
      const runId = await runWithDelivery(tenant.tenantId, { maxPagesPerChain: 2 });
      const run = (await (await adminApi(tenant, 'GET', `/api/sync/runs/${runId}`)).json()) as { run: RunView };
      assert.equal(run.run.status, 'failed', JSON.stringify({ ...run.run, problems: undefined }));
      assert.match(run.run.failure ?? '', /more than 2 pages; stopped as a loop/);
      assert.equal((await extensionsOf(tenant.tenantId)).size, 1100);
    });
  });

  it("keeps to the tenant's query budget: pages of a chain are fetched no faster than the spacing it implies", async () => {
    await withBigDirectory(async () => {
      const tenant = await bigTenant();
      const started = Date.now();
      await runWithDelivery(tenant.tenantId, { callSpacingMs: 200 });
      // Three domain pages: with two chains listing at once, the second and third wait 2 × 200 ms after their
      // predecessor was fetched.
      assert.ok(Date.now() - started >= 800, `took ${Date.now() - started} ms`);
      assert.equal((await extensionsOf(tenant.tenantId)).size, 1100);
    });
  });

  it('rides out 403 userRateLimitExceeded, 429 and 503 with backoff, counting every call', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    stack.google.faults.resetStats();
    for (const status of [403, 403, 429, 503] as const)
      stack.google.faults.inject({ method: 'users.list', status, times: 1 });
    const run = await syncWith(tenant);
    assert.equal(run.status, 'succeeded');
    assert.ok(run.counts.created > 20);
    assert.equal(
      stack.google.faults.stats().byMethod['users.list'],
      2 + 4,
      'one call per page of both chains, plus the four refused',
    );
  });

  describe('deletion limit', () => {
    async function heldRun() {
      const tenant = await connectedTenant();
      const first = await syncWith(tenant);
      const managed = first.counts.created;
      await dropUsers('acme.example', 8);
      const run = await waitForRun(tenant, (await syncNow(tenant)).id);
      return { tenant, run, managed };
    }

    it('holds every deletion when they exceed max(5, 20%), and approval applies them re-checked', async () => {
      await withDirectory(
        (orgs) => orgs,
        async () => {
          const { tenant, run, managed } = await heldRun();
          assert.equal(run.status, 'awaiting_approval');
          assert.match(run.heldReason ?? '', /would delete 8 extensions, more than the limit of 6/);
          assert.equal(run.held.length, 8);
          assert.equal((await extensionsOf(tenant.tenantId)).size, managed, 'nothing deleted while held');
          const approved = (await (await adminApi(tenant, 'POST', `/api/sync/runs/${run.id}/approve`, {})).json()) as {
            run: RunView;
          };
          assert.ok(
            approved.run.heldDecision === 'approving' || approved.run.heldDecision === 'approved',
            'the approval is being applied',
          );
          const applied = await waitForRun(tenant, run.id);
          assert.deepEqual(
            [applied.status, applied.heldDecision, applied.counts.deleted],
            ['succeeded', 'approved', 8],
          );
          assert.equal(applied.syncedUsers, managed - 8);
          assert.equal((await extensionsOf(tenant.tenantId)).size, managed - 8);
        },
      );
    });

    it('deletes on approval only the users Google still confirms gone: users back in the directory keep their extensions', async () => {
      await withDirectory(
        (orgs) => orgs,
        async () => {
          const { tenant, run, managed } = await heldRun();
          assert.equal(run.status, 'awaiting_approval');
          (await useStack()).google.fixtures.reset();
          await adminApi(tenant, 'POST', `/api/sync/runs/${run.id}/approve`, {});
          const applied = await waitForRun(tenant, run.id);
          assert.deepEqual([applied.status, applied.counts.deleted], ['succeeded', 0]);
          assert.equal((await extensionsOf(tenant.tenantId)).size, managed);
        },
      );
    });

    it('applies an approval of hundreds in chunks of tasks, once each, however often it is approved', async () => {
      await withBigDirectory(async () => {
        const tenant = await bigTenant();
        // Each removal is confirmed with users.get, spaced to the tenant's query budget: a low limit holds few.
        const first = await syncWith(tenant, { deletionLimit: 5 });
        await dropUsers(BIG, 210);
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(run.status, 'awaiting_approval');
        assert.deepEqual(
          [run.heldCount, run.held.length],
          [210, 200],
          'the page lists the first 200 and counts them all',
        );

        // A second click, or a lost task replaced, asks again; one delivery at a time applies them.
        await Promise.all([1, 2].map(() => adminApi(tenant, 'POST', `/api/sync/runs/${run.id}/approve`, {})));
        const discardLate = await adminApi(tenant, 'POST', `/api/sync/runs/${run.id}/discard`, {});
        assert.equal(discardLate.status, 409, 'approved removals cannot be discarded any more');
        const applied = await waitForRun(tenant, run.id);
        assert.deepEqual(
          [applied.status, applied.heldDecision, applied.counts.deleted],
          ['succeeded', 'approved', 210],
        );
        assert.equal((await extensionsOf(tenant.tenantId)).size, first.counts.created - 210);
        assert.equal(applied.syncedUsers, first.counts.created - 210);
      });
    });

    it("applies a run's own removals within the limit in chunks of tasks too, when one delivery could not confirm them all", async () => {
      await withBigDirectory(async () => {
        const tenant = await bigTenant();
        const first = await syncWith(tenant);
        await dropUsers(BIG, 210);
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.deepEqual([run.status, run.counts.deleted, run.heldCount], ['succeeded', 210, 0]);
        assert.equal(run.syncedUsers, first.counts.created - 210);
        assert.equal((await extensionsOf(tenant.tenantId)).size, first.counts.created - 210);
      });
    });

    it('gives an approval back to the admin, with why, when Google can no longer be asked; the admin may then discard', async () => {
      await withDirectory(
        (orgs) => orgs,
        async () => {
          const { tenant, run, managed } = await heldRun();
          await integrationRef(getApp().db, tenant.tenantId).set(
            { status: 'reauthorization_required' },
            { merge: true },
          );
          await adminApi(tenant, 'POST', `/api/sync/runs/${run.id}/approve`, {});
          const returned = await waitForRun(tenant, run.id);
          assert.deepEqual([returned.status, returned.heldDecision], ['awaiting_approval', null]);
          assert.match(returned.approvalFailure ?? '', /Google Workspace needs reauthorization/);
          assert.equal((await extensionsOf(tenant.tenantId)).size, managed, 'nothing removed');
          const discarded = await adminApi(tenant, 'POST', `/api/sync/runs/${run.id}/discard`, {});
          assert.equal(((await discarded.json()) as { run: RunView }).run.status, 'succeeded');
        },
      );
    });

    it('discards held deletions, and a newer complete run supersedes an older held one', async () => {
      await withDirectory(
        (orgs) => orgs,
        async () => {
          const { tenant, run, managed } = await heldRun();
          const discarded = (await (await adminApi(tenant, 'POST', `/api/sync/runs/${run.id}/discard`, {})).json()) as {
            run: RunView;
          };
          assert.equal(discarded.run.status, 'succeeded');
          assert.equal((await extensionsOf(tenant.tenantId)).size, managed);

          const heldAgain = await waitForRun(tenant, (await syncNow(tenant)).id);
          assert.equal(heldAgain.status, 'awaiting_approval');
          (await useStack()).google.fixtures.reset();
          const complete = await waitForRun(tenant, (await syncNow(tenant)).id);
          assert.equal(complete.status, 'succeeded');
          const older = (await (await adminApi(tenant, 'GET', `/api/sync/runs/${heldAgain.id}`)).json()) as {
            run: RunView;
          };
          assert.equal(older.run.status, 'superseded');
          const approveLate = await adminApi(tenant, 'POST', `/api/sync/runs/${heldAgain.id}/approve`, {});
          assert.equal(approveLate.status, 409);
        },
      );
    });
  });

  it('turns invalid_grant into "reauthorization required": the run fails, nothing is deleted, syncs stop until Reauthorize', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const first = await syncWith(tenant);
    const integration = await readIntegration(getApp().db, tenant.tenantId);
    const refreshToken = await getApp().secrets.readVersion(integration.credentials!.refreshTokenVersion);
    await fetch(`${stack.addresses.googleUrl}/revoke?token=${encodeURIComponent(refreshToken!)}`, { method: 'POST' });
    const run = await waitForRun(tenant, (await syncNow(tenant)).id);
    assert.equal(run.status, 'failed');
    assert.match(run.failure ?? '', /reauthorization/i);
    assert.equal((await readIntegration(getApp().db, tenant.tenantId)).status, 'reauthorization_required');
    assert.equal((await extensionsOf(tenant.tenantId)).size, first.counts.created);
    const refused = await adminApi(tenant, 'POST', '/api/sync/runs', {});
    assert.equal(refused.status, 409);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /Reauthorize/);
  });

  it('ends in the same state when every task is delivered twice, in shuffled order, with a crash after a publish', async () => {
    await withBigDirectory(async () => {
      const clean = await bigTenant();
      const messy = await bigTenant();
      await syncWith(clean);
      for (const tenant of [clean, messy]) await syncPaths(getApp().db, tenant.tenantId).settings.set(DEFAULT_SETTINGS);
      await runWithDelivery(messy.tenantId, { duplicate: true, shuffle: true, crashAfterPublish: true });
      assert.deepEqual(await extensionSummary(messy.tenantId), await extensionSummary(clean.tenantId));
      assert.equal(new Set((await extensionsOf(messy.tenantId)).keys()).size, 1100, 'unique numbers');
    });
  });

  it('removes hundreds exactly once when every task is delivered twice and shuffled, and each delivery hands on after one batch', async () => {
    await withBigDirectory(async () => {
      const tenant = await bigTenant();
      const first = await syncWith(tenant);
      await dropUsers(BIG, 210);
      const runId = await runWithDelivery(tenant.tenantId, { duplicate: true, shuffle: true, removalDeliveryMs: 0 });
      const { run } = (await (await adminApi(tenant, 'GET', `/api/sync/runs/${runId}`)).json()) as { run: RunView };
      assert.deepEqual([run.status, run.counts.deleted, run.removalsChecked], ['succeeded', 210, 210]);
      assert.equal(run.syncedUsers, first.counts.created - 210);
      assert.equal((await extensionsOf(tenant.tenantId)).size, first.counts.created - 210);
    });
  });

  it('sends each welcome e-mail once when tasks are delivered twice and shuffled', async () => {
    const tenant = await connectedTenant();
    await syncPaths(getApp().db, tenant.tenantId).settings.set({ ...DEFAULT_SETTINGS, welcomeEmail: true });
    const runId = await runWithDelivery(tenant.tenantId, { duplicate: true, shuffle: true });
    const created = (await extensionsOf(tenant.tenantId)).size;
    const mails = await syncPaths(getApp().db, tenant.tenantId).welcomeMails.where('runId', '==', runId).get();
    assert.equal(mails.size, created, 'one welcome mail per created extension');
    assert.ok(mails.docs.every((mail) => mail.get('status') === 'sent'));
    const stack = await useStack();
    const inbox = (await (await fetch(`${stack.addresses.inboxUrl}/api/email`)).json()) as Array<{
      headers: Record<string, string>;
    }>;
    assert.equal(
      inbox.filter((mail) => (mail.headers['message-id'] ?? '').includes(`welcome-${tenant.tenantId}-`)).length,
      created,
    );
  });

  it('sends the welcome e-mails of a page that crashed after its writes, from finalize', async () => {
    const tenant = await connectedTenant();
    const paths = syncPaths(getApp().db, tenant.tenantId);
    await paths.settings.set({ ...DEFAULT_SETTINGS, welcomeEmail: true });
    let crashed = false;
    const runId = await runWithDelivery(tenant.tenantId, {
      onPublish: (topic) => {
        if (topic !== TOPICS.welcomeMail || crashed) return;
        crashed = true;
        throw new Error('crash after the page was written, before its mails were published');
      },
    });
    assert.equal(crashed, true);
    // The redelivered page finds itself done and publishes nothing; finalize finds its mails pending.
    const mails = await paths.welcomeMails.where('runId', '==', runId).get();
    assert.equal(mails.size, (await extensionsOf(tenant.tenantId)).size);
    assert.deepEqual(new Set(mails.docs.map((mail) => mail.get('status'))), new Set(['sent']));
  });
});
