// "Synchronizing All Users" on the real serverless shape: Save → run → chained page tasks over Pub/Sub → finalize.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, saveSettings, syncNow, syncWith, waitForRun } from '../support/sync.ts';

describe('sync: All Users', function () {
  this.timeout(120_000);

  it('creates a Google-managed extension for every active user, numbered from the start without gaps', async () => {
    const tenant = await connectedTenant();
    const run = await syncWith(tenant, { numbering: { mode: 'auto', start: '1000' } });
    assert.equal(run.status, 'succeeded', run.failure ?? '');
    const extensions = await extensionsOf(tenant.tenantId);
    const numbers = [...extensions.keys()].map(Number).sort((a, b) => a - b);
    // The demo Workspace has 29 live users: one is suspended and one archived, which the default option (Deleted)
    // keeps.
    assert.equal(run.counts.created, numbers.length);
    assert.deepEqual(
      numbers,
      Array.from({ length: numbers.length }, (_, i) => 1000 + i),
    );
    assert.equal(run.syncedUsers, numbers.length);
    const alex = [...extensions.values()].find((extension) => extension.email === 'admin@acme.example');
    assert.deepEqual(
      {
        first: alex?.firstName,
        last: alex?.lastName,
        title: alex?.jobTitle,
        source: alex?.source,
        status: alex?.google?.status,
      },
      { first: 'Alex', last: 'Admin', title: 'IT Administrator', source: 'google', status: 'active' },
    );
    const links = await getApp().db.collection(`tenants/${tenant.tenantId}/googleLinks`).count().get();
    assert.equal(links.data().count, numbers.length);
  });

  it('writes nothing to extensions or keys on a re-sync with nothing changed', async () => {
    const tenant = await connectedTenant();
    assert.equal((await syncWith(tenant)).status, 'succeeded');
    const db = getApp().db;
    const times = async () => {
      const collections = ['extensions', 'googleLinks', 'extensionEmails'];
      const snapshots = await Promise.all(
        collections.map((name) => db.collection(`tenants/${tenant.tenantId}/${name}`).get()),
      );
      return snapshots
        .flatMap((snapshot) => snapshot.docs.map((doc) => `${doc.ref.path}@${doc.updateTime.toMillis()}`))
        .sort();
    };
    const before = await times();
    const again = await waitForRun(tenant, (await syncNow(tenant)).id);
    assert.equal(again.status, 'succeeded');
    assert.equal(again.counts.created + again.counts.updated + again.counts.deleted, 0);
    assert.ok(again.counts.unchanged > 0);
    assert.deepEqual(await times(), before);
  });
});

describe('sync: one run at a time', function () {
  this.timeout(120_000);

  it('returns the running run to "Sync now", and runs once more after a "Save" made during a run', async () => {
    const tenant = await connectedTenant();
    // Slow pages keep the run going while the test acts during it.
    const stack = await useStack();
    stack.google.faults.setLatency(1500, 'users.list');
    let first: Awaited<ReturnType<typeof saveSettings>>;
    try {
      first = await saveSettings(tenant);
      const during = await syncNow(tenant);
      assert.equal(during.id, first.id, 'Sync now during a run returns that run');
      const saved = await saveSettings(tenant, { welcomeEmail: false });
      assert.equal(saved.id, first.id);
    } finally {
      stack.google.faults.setLatency(0, 'users.list');
    }
    assert.equal((await waitForRun(tenant, first.id)).status, 'succeeded');
    const state = async () =>
      (await getApp().db.doc(`tenants/${tenant.tenantId}/syncState/current`).get()).data() ?? {};
    const deadline = Date.now() + 30_000;
    while ((await state())['lastRunId'] === first.id && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const rerunId = String((await state())['lastRunId']);
    assert.notEqual(rerunId, first.id, 'a rerun started');
    const rerun = await waitForRun(tenant, rerunId);
    assert.equal(rerun.trigger, 'rerun');
    assert.equal(rerun.status, 'succeeded');
  });
});
