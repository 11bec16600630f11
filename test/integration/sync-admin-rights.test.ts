// Regression test for a sync trusting a listing whose rights shrank after connect: an admin demoted to a delegated
// admin whose role reaches one unit lists that unit only, and "absent from the complete domain listing" then reads
// as "deleted" for everyone else. Before any removal the connecting admin must still be a super administrator
// (users.get of themselves, `isAdmin`): otherwise the run fails, or the approval goes back to the admin, and
// nothing is removed. The check does not depend on whether Google answers users.get outside the role with 403 or
// 404 (no source settles it): it runs before any removal is confirmed.
import assert from 'node:assert/strict';
import type { Organisation } from '../../dev/google/fixture/types.ts';
import { adminApi } from '../support/connect-flow.ts';
import { withDirectory } from '../support/directory.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import type { RunView } from '../../functions/src/sync/run/run-view.ts';

const ADMIN = 'admin@acme.example';

// The demo admin made a delegated admin holding the demo's Support Team Admin role, for /Support only.
function demoteAdminToSupport(orgs: Organisation[]): Organisation[] {
  return orgs.map((org) => {
    if (org.domain !== 'acme.example') return org;
    const admin = org.users.find((user) => user.primaryEmail === ADMIN)!;
    const support = org.roleAssignments![0]!;
    return {
      ...org,
      users: org.users.map((user) => (user === admin ? { ...user, isAdmin: false, isDelegatedAdmin: true } : user)),
      roleAssignments: [
        ...org.roleAssignments!,
        { ...support, roleAssignmentId: '91447453409035799', assignedTo: admin.id! },
      ],
    };
  });
}

describe('sync: listing rights that shrank after connect', function () {
  this.timeout(120_000);

  it('fails the run, deleting nothing, when the connecting admin is no longer a super administrator', async () => {
    const tenant = await connectedTenant();
    const first = await syncWith(tenant, { deletionLimit: 1000 });
    assert.equal(first.status, 'succeeded');
    const before = (await extensionsOf(tenant.tenantId)).size;
    assert.ok(before > 20);
    await withDirectory(demoteAdminToSupport, async () => {
      const run = await waitForRun(tenant, (await syncNow(tenant)).id);
      assert.equal(run.status, 'failed');
      assert.match(run.failure ?? '', /admin@acme\.example .*Reconnect with a super administrator/);
      assert.deepEqual([run.counts.deleted, run.counts.released], [0, 0]);
    });
    assert.equal((await extensionsOf(tenant.tenantId)).size, before, 'nothing deleted');
  });

  it("gives an approval back to the admin, removing nothing, when the approver's Google admin has been demoted since", async () => {
    const tenant = await connectedTenant();
    await syncWith(tenant);
    const before = (await extensionsOf(tenant.tenantId)).size;
    await withDirectory(demoteAdminToSupport, async () => {
      // With the default limit the partial listing's "deletions" are held: approving them must still remove nothing.
      const held = await waitForRun(tenant, (await syncNow(tenant)).id);
      assert.equal(held.status, 'awaiting_approval', held.failure ?? '');
      await adminApi(tenant, 'POST', `/api/sync/runs/${held.id}/approve`, {});
      const deadline = Date.now() + 30_000;
      let run: RunView = await waitForRun(tenant, held.id);
      while (!run.approvalFailure && Date.now() < deadline) run = await waitForRun(tenant, held.id);
      assert.match(run.approvalFailure ?? '', /Reconnect with a super administrator/);
      assert.equal(run.counts.deleted, 0);
    });
    assert.equal((await extensionsOf(tenant.tenantId)).size, before, 'nothing deleted');
  });
});
