// A tenant's first sync into a tenant with nothing in it skips the page reads that could only find what was written
// since the run started; the uniqueness keys' create() preconditions still refuse anything written meanwhile.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { DEFAULT_SETTINGS } from '../../functions/src/sync/settings/settings.ts';
import { addLocalExtension } from '../support/specific.ts';
import { runWithDelivery } from '../support/task-harness.ts';
import { connectedTenant, extensionsOf, syncWith } from '../support/sync.ts';

const GRACE = 'grace.murphy@acme.example';

describe('a first sync into an empty tenant', function () {
  this.timeout(120_000);

  it("refuses what was written after the run started, reading nothing first: a local extension's number and e-mail stay its own, and the next sync links them", async () => {
    const clean = await connectedTenant();
    await syncWith(clean);
    const tenant = await connectedTenant();
    const paths = syncPaths(getApp().db, tenant.tenantId);
    await paths.settings.set({ ...DEFAULT_SETTINGS, numbering: { mode: 'auto', start: '1000' } });

    const runId = await runWithDelivery(tenant.tenantId, {
      // After the run found the tenant empty, an admin takes the first automatic number and a user's address.
      afterStart: async () => {
        await addLocalExtension(tenant, '1000', 'desk@pbx.example');
        await addLocalExtension(tenant, '1500', GRACE);
      },
    });
    const run = (await paths.run(runId).get()).data()!;
    assert.equal(run.emptyAtStart, true);
    assert.equal(run.status, 'succeeded', run.failure ?? '');

    const afterFirst = await extensionsOf(tenant.tenantId);
    assert.equal(afterFirst.get('1000')?.email, 'desk@pbx.example', 'the local number 1000 is untouched');
    assert.equal(afterFirst.get('1000')?.source, 'local');
    const withGraceEmail = [...afterFirst.values()].filter((extension) => extension.email === GRACE);
    assert.deepEqual(
      withGraceEmail.map((extension) => [extension.number, extension.source]),
      [['1500', 'local']],
      'one extension holds the address',
    );
    const problems = (await paths.problems(runId).get()).docs.map((doc) => doc.data().reason).sort();
    assert.deepEqual(problems, [
      'email already used by extension 1500',
      'extension 1000 was taken meanwhile; the next sync assigns another',
    ]);

    // The next run reads (the tenant is no longer empty) and takes both users in.
    const next = await syncWith(tenant, { numbering: { mode: 'auto', start: '1000' } });
    assert.equal(next.status, 'succeeded');
    assert.equal((await paths.run(next.id).get()).data()!.emptyAtStart, false);
    const finalState = await extensionsOf(tenant.tenantId);
    const googleEmails = (extensions: typeof finalState) =>
      [...extensions.values()]
        .filter((extension) => extension.source === 'google')
        .map((extension) => extension.email)
        .sort();
    assert.deepEqual(googleEmails(finalState), googleEmails(await extensionsOf(clean.tenantId)));
    assert.equal(finalState.get('1500')?.source, 'google', "Grace's local extension is linked by e-mail");
    assert.equal(finalState.get('1000')?.source, 'local');
  });
});
