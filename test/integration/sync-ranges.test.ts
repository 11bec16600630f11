// "Users in Specific Organizational Unit" and "Users in Specific Group" (SPEC §5.1, §5.4), through real runs
// against the stand-in's demo organisation: /Sales (5 users) with /Sales/EMEA (5) below it, /Engineering (9, one
// of them deleted), /Support (5); sales@ nests sales-emea@, all-staff@ has the whole organisation as a member.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import type { Organisation } from '../../dev/google/fixture/types.ts';
import { adminApi } from '../support/connect-flow.ts';
import { editMembers, editUsers, withDirectory } from '../support/directory.ts';
import { pickGroups, pickUnits, preview } from '../support/ranges.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';

const SALES = ['marcus.reed', 'priya.sharma', 'daniel.okafor', 'emily.carter', 'lucas.martin'].map(
  (local) => `${local}@acme.example`,
);
const EMEA = ['sophie.dubois', 'jonas.becker', 'giulia.rossi', 'liam.obrien', 'nora.lindqvist'].map(
  (local) => `${local}@acme.example`,
);

const emailsOf = async (tenantId: string) =>
  [...(await extensionsOf(tenantId)).values()].map((extension) => extension.email).sort();
const byEmail = async (tenantId: string) =>
  new Map([...(await extensionsOf(tenantId)).values()].map((extension) => [extension.email, extension]));

function moveUser(email: string, unit: string) {
  return editUsers('acme.example', (users) =>
    users.map((user) => (user.primaryEmail === email ? { ...user, orgUnitPath: unit } : user)),
  );
}

describe('sync ranges: organizational units', function () {
  this.timeout(120_000);

  it('offers every unit, the root first, and syncs a unit with its whole subtree', async () => {
    const tenant = await connectedTenant();
    const orgUnits = await pickUnits(tenant, '/Sales');
    const run = await syncWith(tenant, { range: 'orgUnits', orgUnits });
    assert.equal(run.status, 'succeeded');
    assert.deepEqual(await emailsOf(tenant.tenantId), [...SALES, ...EMEA].sort());
    assert.equal(run.syncedUsers, 10);
    const root = await pickUnits(tenant, '/');
    assert.match(root[0]!.id, /\S/);
  });

  it('lists overlapping units once: a parent and its child picked give each user once, with one users.list call', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const orgUnits = await pickUnits(tenant, '/Sales/EMEA', '/Sales');
    stack.google.faults.resetStats();
    const run = await syncWith(tenant, { range: 'orgUnits', orgUnits });
    assert.equal(run.counts.created, 10);
    assert.equal(run.counts.unchanged, 0);
    assert.equal(
      stack.google.faults.stats().byMethod['users.list'],
      1,
      "the child unit is inside the parent's subtree query",
    );
  });

  it('keeps a user who moves between picked units, and releases one who moves out when "Auto delete" is off', async () => {
    const tenant = await connectedTenant();
    const orgUnits = await pickUnits(tenant, '/Sales/EMEA', '/Support');
    await syncWith(tenant, { range: 'orgUnits', orgUnits, autoDelete: false });
    const before = await byEmail(tenant.tenantId);
    const giulia = before.get('giulia.rossi@acme.example')!;
    const liam = before.get('liam.obrien@acme.example')!;
    await withDirectory(moveUser('giulia.rossi@acme.example', '/Support'), async () => {
      await withDirectory(moveUser('liam.obrien@acme.example', '/Engineering'), async () => {
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(run.status, 'succeeded');
        assert.equal(run.counts.released, 1);
        assert.equal(run.counts.deleted, 0);
      });
    });
    const after = await byEmail(tenant.tenantId);
    assert.equal(
      after.get('giulia.rossi@acme.example')?.number,
      giulia.number,
      'moved within the range: same extension',
    );
    assert.equal(after.get('giulia.rossi@acme.example')?.google?.orgUnitPath, '/Support');
    const released = after.get('liam.obrien@acme.example');
    assert.equal(released?.number, liam.number, 'a released extension stays');
    assert.equal(released?.source, 'local');
    assert.equal(released?.google, undefined);
    const link = await syncPaths(getApp().db, tenant.tenantId).googleLink(liam.google!.userId).get();
    assert.equal(link.exists, false, 'and is unlinked');
  });

  it('deletes the extension of a user who moves out when "Auto delete the Extensions no longer in sync" is on', async () => {
    const tenant = await connectedTenant();
    const orgUnits = await pickUnits(tenant, '/Support');
    await syncWith(tenant, { range: 'orgUnits', orgUnits, autoDelete: true });
    await withDirectory(moveUser('grace.murphy@acme.example', '/Engineering'), async () => {
      const run = await waitForRun(tenant, (await syncNow(tenant)).id);
      assert.equal(run.counts.deleted, 1);
      assert.equal(run.counts.released, 0);
    });
    assert.equal((await byEmail(tenant.tenantId)).has('grace.murphy@acme.example'), false);
  });

  it('fails with a clear message, deleting nothing, when a picked unit no longer exists', async () => {
    const tenant = await connectedTenant();
    const run = await syncWith(tenant, { range: 'orgUnits', orgUnits: [{ id: 'id:gone', path: '/Gone' }] });
    assert.equal(run.status, 'failed');
    assert.match(run.failure ?? '', /organizational unit \/Gone no longer exists/);
  });

  it('refuses to save an empty pick, naming the field', async () => {
    const tenant = await connectedTenant();
    const { adminApi } = await import('../support/connect-flow.ts');
    const { DEFAULT_SETTINGS } = await import('../../functions/src/sync/settings/settings.ts');
    const response = await adminApi(tenant, 'PUT', '/api/sync/settings', {
      ...DEFAULT_SETTINGS,
      range: 'orgUnits',
      orgUnits: [],
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /"Organizational Units"/);
  });
});

describe('sync ranges: groups', function () {
  this.timeout(120_000);

  it('syncs nested members once, fetching few members with users.get and no listing', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, 'sales@acme.example', 'sales-emea@acme.example');
    stack.google.faults.resetStats();
    const run = await syncWith(tenant, { range: 'groups', groups });
    assert.equal(run.status, 'succeeded', run.failure ?? '');
    assert.deepEqual(
      await emailsOf(tenant.tenantId),
      [...SALES, ...EMEA].sort(),
      'sales-emea@ is nested in sales@; each member once',
    );
    assert.equal(run.counts.created, 10);
    const calls = stack.google.faults.stats().byMethod;
    assert.equal(calls['members.list'], 2);
    assert.equal(calls['users.get'], 10, 'one lookup per distinct member');
    assert.equal(calls['users.list'], 0);
  });

  it('joins with the domain listing when a group has the whole organisation as a member', async () => {
    const stack = await useStack();
    const tenant = await connectedTenant();
    const all = await syncWith(tenant, {});
    const groups = await pickGroups(tenant, 'all-staff@acme.example');
    stack.google.faults.resetStats();
    const run = await syncWith(tenant, { range: 'groups', groups });
    assert.equal(run.status, 'succeeded', run.failure ?? '');
    assert.equal(run.syncedUsers, all.syncedUsers);
    assert.equal(run.counts.released + run.counts.deleted, 0);
    assert.equal(stack.google.faults.stats().byMethod['users.get'], 0);
    assert.equal(stack.google.faults.stats().byMethod['users.list'], 1);
  });

  it('releases a user removed from the group with "Auto delete" off, and deletes one with it on', async () => {
    for (const autoDelete of [false, true]) {
      const tenant = await connectedTenant();
      const groups = await pickGroups(tenant, 'engineering@acme.example');
      await syncWith(tenant, { range: 'groups', groups, autoDelete });
      const noah = (await byEmail(tenant.tenantId)).get('noah.kim@acme.example');
      assert.ok(noah);
      await withDirectory(
        editMembers('engineering@acme.example', (members) =>
          members.filter((member) => member.email !== 'noah.kim@acme.example'),
        ),
        async () => {
          const run = await waitForRun(tenant, (await syncNow(tenant)).id);
          assert.equal(run.status, 'succeeded');
          assert.deepEqual([run.counts.deleted, run.counts.released], autoDelete ? [1, 0] : [0, 1]);
        },
      );
      const after = (await byEmail(tenant.tenantId)).get('noah.kim@acme.example');
      if (autoDelete) assert.equal(after, undefined);
      else assert.deepEqual([after?.number, after?.source], [noah.number, 'local']);
    }
  });

  // Regression test for a secondary-domain user who left a picked group through nesting never being removed:
  // members.hasMember refuses a nested membership across domains with 400, and the user stayed, with a warning on
  // every run. The group's membership is now listed instead.
  it('releases a secondary-domain user who left a nested group, which hasMember cannot tell, by listing the group', async () => {
    const stack = await useStack();
    const ravi = 'ravi.patel@acme-labs.example';
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, 'sales@acme.example');
    const withRavi = editMembers('sales-emea@acme.example', (members) => [
      ...members,
      { email: ravi, role: 'MEMBER', type: 'USER' },
    ]);
    await withDirectory(withRavi, async () => {
      const run = await syncWith(tenant, { range: 'groups', groups, autoDelete: false });
      assert.equal(run.status, 'succeeded', run.failure ?? '');
    });
    const linked = (await byEmail(tenant.tenantId)).get(ravi);
    assert.equal(linked?.source, 'google');
    stack.google.faults.resetStats();
    const run = await waitForRun(tenant, (await syncNow(tenant)).id);
    assert.equal(run.status, 'succeeded', run.failure ?? '');
    assert.equal(run.counts.released, 1);
    assert.ok(stack.google.faults.stats().byMethod['members.hasMember'] >= 1, 'hasMember was asked first');
    assert.deepEqual(
      [(await byEmail(tenant.tenantId)).get(ravi)?.source, (await byEmail(tenant.tenantId)).get(ravi)?.number],
      ['local', linked.number],
    );
  });

  it('holds the run for approval when a group that had members comes back empty', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, 'support@acme.example');
    await syncWith(tenant, { range: 'groups', groups, autoDelete: true, deletionLimit: 100 });
    const before = await emailsOf(tenant.tenantId);
    await withDirectory(
      editMembers('support@acme.example', () => []),
      async () => {
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(run.status, 'awaiting_approval');
        assert.match(run.heldReason ?? '', /The group support@acme.example came back empty/);
        assert.equal(run.held.length, before.length);
      },
    );
    assert.deepEqual(await emailsOf(tenant.tenantId), before, 'nothing removed while held');
  });

  it('holds removals beyond the deletion limit; approval releases only the users still out of every picked group', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, 'sales@acme.example');
    await syncWith(tenant, { range: 'groups', groups, autoDelete: false, deletionLimit: 2 });
    const onlyMembers = (emails: readonly string[]) => {
      const keep = new Set(emails);
      return (orgs: Organisation[]) =>
        editMembers('sales-emea@acme.example', (members) => members.filter((member) => keep.has(member.email ?? '')))(
          editMembers('sales@acme.example', (members) =>
            members.filter((member) => keep.has(member.email ?? '') || member.type === 'GROUP'),
          )(orgs),
        );
    };
    const run = await withDirectory(onlyMembers(['marcus.reed@acme.example', 'sophie.dubois@acme.example']), async () =>
      waitForRun(tenant, (await syncNow(tenant)).id),
    );
    assert.equal(run.status, 'awaiting_approval');
    assert.match(run.heldReason ?? '', /would release 8 extensions, more than the limit of 2/);
    assert.equal((await emailsOf(tenant.tenantId)).length, 10);

    // Before the admin approves, three of the eight are back in the group: they stay.
    const back = run.held.slice(0, 3).map((item) => item.number);
    const extensions = await extensionsOf(tenant.tenantId);
    const backEmails = back.map((number) => extensions.get(number)?.email ?? '');
    const applied = await withDirectory(
      onlyMembers(['marcus.reed@acme.example', 'sophie.dubois@acme.example', ...backEmails]),
      async () => {
        await adminApi(tenant, 'POST', `/api/sync/runs/${run.id}/approve`, {});
        return waitForRun(tenant, run.id);
      },
    );
    assert.deepEqual([applied.status, applied.counts.released, applied.counts.deleted], ['succeeded', 5, 0]);
    const after = await extensionsOf(tenant.tenantId);
    assert.deepEqual(
      back.map((number) => after.get(number)?.source),
      ['google', 'google', 'google'],
      'those back in the group stay synced',
    );
    assert.equal([...after.values()].filter((extension) => extension.source === 'google').length, 5);
  });
});

describe('sync ranges: preview before "Save"', function () {
  this.timeout(120_000);

  it('says how many extensions a range change would create, delete or release, and changes nothing', async () => {
    const tenant = await connectedTenant();
    const all = await syncWith(tenant, {});
    const before = await extensionsOf(tenant.tenantId);
    const orgUnits = await pickUnits(tenant, '/Support');
    const released = await preview(tenant, { range: 'orgUnits', orgUnits });
    assert.equal(released.status, 'succeeded');
    assert.deepEqual(
      [released.counts.created, released.counts.released, released.counts.deleted],
      [0, all.syncedUsers! - 5, 0],
    );
    const deleted = await preview(tenant, { range: 'orgUnits', orgUnits, autoDelete: true });
    assert.deepEqual([deleted.counts.released, deleted.counts.deleted], [0, all.syncedUsers! - 5]);

    const fresh = await connectedTenant();
    const created = await preview(fresh, {
      range: 'groups',
      groups: await pickGroups(fresh, 'engineering@acme.example'),
    });
    assert.equal(created.counts.created, 8);
    assert.deepEqual(await extensionsOf(tenant.tenantId), before);
    assert.equal((await extensionsOf(fresh.tenantId)).size, 0);
  });
});
