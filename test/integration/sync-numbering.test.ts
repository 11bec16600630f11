// "Assign Automatically" (SPEC §5.1): the lowest free numbers at or above the start, around numbers an admin gave to
// local extensions, reusing freed numbers below the mark, with no number handed out twice.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
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
});
