// "Assign Automatically" (SPEC §5.1): the lowest free numbers at or above the start, around numbers an admin gave to
// local extensions, reusing freed numbers below the mark, with no number handed out twice.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { createInstanceCaches } from '../../functions/src/instance-caches.ts';
import { reserveNumbers } from '../../functions/src/sync/apply/number-allocator.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { adminApi, connect } from '../support/connect-flow.ts';
import { editUsers, largeOrganisation, withDirectory } from '../support/directory.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

async function addLocal(tenant: TestTenant, number: string): Promise<void> {
  const response = await adminApi(tenant, 'POST', '/api/extensions', {
    number,
    firstName: 'Desk',
    lastName: number,
    email: `desk-${number}@pbx.example`,
  });
  assert.equal(response.status, 200, await response.text());
}

const googleNumbers = async (tenantId: string) =>
  [...(await extensionsOf(tenantId)).values()]
    .filter((extension) => extension.source === 'google')
    .map((extension) => Number(extension.number))
    .sort((a, b) => a - b);

describe('automatic extension numbers', function () {
  this.timeout(120_000);

  it('skips numbers local extensions hold and leaves no gap otherwise, across pages written at once', async () => {
    const big = largeOrganisation('numbering.example', 'C0numb001', 1100);
    await withDirectory(
      (orgs) => [...orgs, big],
      async () => {
        const tenant = await createTestTenant();
        assert.equal(await connect(tenant, { email: 'admin@numbering.example' }), 'connected');
        // Locals scattered through the first block and a run of them across a page boundary.
        const locals = ['2000', '2002', '2003', '2499', '2500', '2501', '2999'];
        for (const number of locals) await addLocal(tenant, number);
        const run = await syncWith(tenant, { numbering: { mode: 'auto', start: '2000' } });
        assert.equal(run.status, 'succeeded', run.failure ?? '');
        const numbers = await googleNumbers(tenant.tenantId);
        assert.equal(numbers.length, 1100);
        assert.equal(new Set(numbers).size, 1100, 'no number twice');
        const expected: number[] = [];
        for (let value = 2000; expected.length < 1100; value++)
          if (!locals.includes(String(value))) expected.push(value);
        assert.deepEqual(numbers, expected, 'exactly the lowest free numbers from the start');
      },
    );
  });

  it('gives a freed number (below the mark) to the next new user', async () => {
    const tenant = await connectedTenant();
    await syncWith(tenant, { deleteWhen: 'suspended', numbering: { mode: 'auto', start: '3000' } });
    const before = await extensionsOf(tenant.tenantId);
    const grace = [...before.values()].find((extension) => extension.email === 'grace.murphy@acme.example')!;
    await withDirectory(
      editUsers('acme.example', (users) =>
        users.map((user) => (user.primaryEmail === 'grace.murphy@acme.example' ? { ...user, suspended: true } : user)),
      ),
      async () => {
        assert.equal((await waitForRun(tenant, (await syncNow(tenant)).id)).counts.deleted, 1);
      },
    );
    assert.deepEqual((await syncPaths(getApp().db, tenant.tenantId).freeNumbers.doc(grace.number).get()).data(), {
      value: Number(grace.number),
    });
    const back = await waitForRun(tenant, (await syncNow(tenant)).id);
    assert.equal(back.counts.created, 1);
    const after = [...(await extensionsOf(tenant.tenantId)).values()].find(
      (extension) => extension.email === 'grace.murphy@acme.example',
    );
    assert.equal(after?.number, grace.number, 'the reactivated user gets the freed number back, the lowest free one');
  });

  it('stops looking for freed numbers in a run once there are none, and hands one freed meanwhile to the next run', async () => {
    const tenant = await createTestTenant();
    const paths = syncPaths(getApp().db, tenant.tenantId);
    const caches = createInstanceCaches();
    const page = (runId: string, n: number) => paths.page(runId, 'domain', n);
    const reserve = (runId: string | undefined, n: number, count: number) =>
      reserveNumbers(caches, paths, runId ? page(runId, n) : paths.page('push', 'domain', n), '5000', count, {
        skipTaken: true,
        ...(runId && { runId }),
      });
    const free = (value: number) => paths.freeNumbers.doc(String(value)).set({ value });
    const isFree = async (value: number) => (await paths.freeNumbers.doc(String(value)).get()).exists;

    await free(5000);
    assert.deepEqual(await reserve('run-a', 0, 2), ['5000', '5001'], 'the freed number first, then the mark');
    // Found fewer freed numbers than it asked for: none are left, and the run's next page does not look again.
    await free(5000);
    assert.deepEqual(await reserve('run-a', 1, 2), ['5002', '5003']);
    assert.equal(await isFree(5000), true, 'a number freed while the run goes on stays free for the next run');
    assert.deepEqual(await reserve('run-b', 0, 2), ['5000', '5004'], 'the next run hands it out, once');
    assert.equal(await isFree(5000), false);
    // A single change (a push notification's) is of no run: it always looks.
    await free(5001);
    assert.deepEqual(await reserve(undefined, 0, 1), ['5001']);
  });
});
