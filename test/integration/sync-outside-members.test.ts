// Regression test for group ranges failing every night on Google when a group holds a member of another Google
// Workspace: users.get of such a member answers 403 "Not Authorized to access this resource/api", which the sync
// took for a failure (https://github.com/slashdevops/idp-scim-sync/issues/49). The demo's support@ group holds
// sam.lee@northwind.example (another Workspace: 403) and partner.support@contractor.example (no Workspace account:
// 404). Both are skipped with a reason; the others sync; nothing is removed. A 403 on the Workspace's own users,
// when the connecting admin lost their rights, still fails the run and says what to do.
import assert from 'node:assert/strict';
import { NO_WORKSPACE_ACCOUNT, OTHER_WORKSPACE } from '../../functions/src/sync/fetch/outside-members.ts';
import { editUsers, withDirectory } from '../support/directory.ts';
import { pickGroups } from '../support/ranges.ts';
import { searchUsers } from '../support/specific.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';

const SUPPORT = ['hannah.fischer', 'grace.murphy', 'yusuf.demir', 'zoe.williams', 'mateo.alvarez']
  .map((local) => `${local}@acme.example`)
  .sort();
const emailsOf = async (tenantId: string) =>
  [...(await extensionsOf(tenantId)).values()].map((extension) => extension.email).sort();

describe('sync: group members outside the Workspace', function () {
  this.timeout(120_000);

  it('skips a member of another Google Workspace (403) and one with no Workspace account (404), syncs the others and removes nothing', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, 'support@acme.example');
    stack.google.faults.resetStats();
    const run = await syncWith(tenant, { range: 'groups', groups, autoDelete: true });
    assert.equal(run.status, 'succeeded', run.failure ?? '');
    assert.ok(stack.google.faults.stats().byMethod['users.get'] >= 7, 'the members were looked up with users.get');
    assert.deepEqual(await emailsOf(tenant.tenantId), SUPPORT);
    assert.deepEqual(run.problems.map((problem) => [problem.email, problem.reason]).sort(), [
      ['partner.support@contractor.example', NO_WORKSPACE_ACCOUNT],
      ['sam.lee@northwind.example', OTHER_WORKSPACE],
    ]);
    assert.deepEqual([run.counts.skipped, run.counts.deleted, run.counts.released], [2, 0, 0]);

    const again = await waitForRun(tenant, (await syncNow(tenant)).id);
    assert.equal(again.status, 'succeeded', again.failure ?? '');
    assert.deepEqual(
      [again.counts.skipped, again.counts.unchanged, again.counts.deleted, again.counts.released],
      [2, SUPPORT.length, 0, 0],
    );
  });

  it('Search Users offers the active members of the Workspace and leaves out those of another Workspace, without failing', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, 'support@acme.example');
    const { users } = await searchUsers(tenant, { groups });
    assert.deepEqual(users.map((user) => user.primaryEmail).sort(), SUPPORT);
  });

  it('fails the run, removing nothing, with "reconnect with a super administrator" when the connecting admin lost their rights', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, 'support@acme.example');
    await syncWith(tenant, { range: 'groups', groups, autoDelete: true });
    const before = await emailsOf(tenant.tenantId);
    // Every lookup, the admin's own included, answers as Google does for an admin who lost their role.
    stack.google.faults.inject({ method: 'users.get', status: 403, reason: 'forbidden', times: 1000 });
    try {
      const run = await waitForRun(tenant, (await syncNow(tenant)).id);
      assert.equal(run.status, 'failed');
      assert.match(
        run.failure ?? '',
        /no longer lets admin@acme\.example read the directory .*Reconnect with a super administrator/,
      );
    } finally {
      stack.google.faults.reset();
    }
    assert.deepEqual(await emailsOf(tenant.tenantId), before);

    // Demoted in Google Workspace: members.list itself is refused.
    const demoted = editUsers('acme.example', (users) =>
      users.map((user) => (user.primaryEmail === 'admin@acme.example' ? { ...user, isAdmin: false } : user)),
    );
    await withDirectory(demoted, async () => {
      const run = await waitForRun(tenant, (await syncNow(tenant)).id);
      assert.equal(run.status, 'failed');
      assert.match(run.failure ?? '', /Reconnect with a super administrator/);
    });
    assert.deepEqual(await emailsOf(tenant.tenantId), before);
  });
});
