// "Specific Users" (SPEC §5.3, issue 7): "Search Users" by groups or units, "Synchronize to PBX", manual assignment of
// pre-created extensions on the synced list, and every later sync keeping those users right, against the stand-in's
// demo organisation (lucas.martin suspended in /Sales, nora.lindqvist archived in /Sales/EMEA).
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { editMembers, editUsers, withDirectory } from '../support/directory.ts';
import { adminApi } from '../support/connect-flow.ts';
import { pickGroups, pickUnits, preview } from '../support/ranges.ts';
import { addLocalExtension, assign, searchUsers, syncedList, synchronizeToPbx } from '../support/specific.ts';
import { connectedTenant, extensionsOf, saveSettings, syncNow, syncWith, waitForRun } from '../support/sync.ts';

const at = (local: string) => `${local}@acme.example`;

describe('sync: Specific Users', function () {
  this.timeout(120_000);

  it('"Search Users" offers the active users of the picked groups and units, paged, with name, e-mail and unit', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, at('sales'));
    const { users, nextPageToken } = await searchUsers(tenant, { groups });
    const emails = users.map((user) => user.primaryEmail);
    assert.ok(
      emails.includes(at('marcus.reed')) && emails.includes(at('sophie.dubois')),
      'nested group members are offered',
    );
    assert.ok(!emails.includes(at('lucas.martin')), 'a suspended user is not offered');
    assert.ok(!emails.includes(at('nora.lindqvist')), 'an archived user is not offered');
    assert.equal(nextPageToken, null);
    const sophie = users.find((user) => user.primaryEmail === at('sophie.dubois'))!;
    assert.equal(sophie.orgUnitPath, '/Sales/EMEA');
    assert.match(sophie.name, /Sophie/);

    const byUnit = await searchUsers(tenant, { orgUnits: await pickUnits(tenant, '/Support') });
    assert.ok(byUnit.users.length > 0 && byUnit.users.every((user) => user.orgUnitPath === '/Support'));

    // all-staff@ has the whole organisation as a member: more than a page of results.
    const everyone = await searchUsers(tenant, { groups: await pickGroups(tenant, at('all-staff')) });
    assert.equal(everyone.users.length, 25);
    assert.ok(everyone.nextPageToken);
    const second = await searchUsers(
      tenant,
      { groups: await pickGroups(tenant, at('all-staff')) },
      everyone.nextPageToken,
    );
    assert.equal(second.users.length, everyone.total - 25);
    assert.ok(
      !second.users.some((user) =>
        ['oscar.johansson', 'lucas.martin', 'nora.lindqvist'].map(at).includes(user.primaryEmail),
      ),
      'no deleted, suspended or archived user',
    );
  });

  it('follows the guide: Synchronize to PBX, assign existing extensions, Save, and later syncs keep them up to date', async () => {
    const tenant = await connectedTenant();
    const specific = { orgUnits: [], groups: await pickGroups(tenant, at('sales')) };
    await addLocalExtension(tenant, '2001', at('priya.sharma'));
    await addLocalExtension(tenant, '2002', 'front.desk@acme.example');
    await addLocalExtension(tenant, '2003', 'spare@acme.example');
    const list = await synchronizeToPbx(
      tenant,
      specific.groups.length ? { groups: specific.groups } : {},
      at('priya.sharma'),
      at('daniel.okafor'),
      at('marcus.reed'),
    );
    assert.deepEqual(
      list.users.map((user) => [user.primaryEmail, user.number, user.suggested]),
      [
        [at('daniel.okafor'), null, null],
        [at('marcus.reed'), null, null],
        [at('priya.sharma'), null, '2001'],
      ],
      'Auto associate pre-assigns the extension with the same e-mail',
    );
    assert.deepEqual(
      list.extensions.map((extension) => extension.number),
      ['2001', '2002', '2003'],
    );

    await syncWith(tenant, { range: 'specific', specific, welcomeEmail: true });
    const saved = await assign(tenant, { [at('priya.sharma')]: '2001', [at('daniel.okafor')]: '2002' });
    assert.deepEqual(saved.errors, []);
    assert.equal(saved.saved, 2);
    assert.deepEqual(
      saved.users.map((user) => user.number),
      ['2002', null, '2001'],
      'marcus stays pending',
    );
    assert.deepEqual(
      saved.extensions.map((extension) => extension.number),
      ['2003'],
      'assigned extensions are no longer offered',
    );

    const run = await waitForRun(tenant, (await syncNow(tenant)).id);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.syncedUsers, 2, '"X users have been synced" counts the linked users');
    const extensions = await extensionsOf(tenant.tenantId);
    assert.deepEqual(
      [...extensions.keys()].sort(),
      ['2001', '2002', '2003'],
      'no extension is created for a pending user',
    );
    const daniel = extensions.get('2002')!;
    assert.equal(daniel.source, 'google');
    assert.equal(daniel.email, at('daniel.okafor'));
    assert.equal(daniel.firstName, 'Daniel');
    assert.equal(extensions.get('2003')?.source, 'local');
    const mails = await syncPaths(getApp().db, tenant.tenantId).welcomeMails.get();
    assert.deepEqual(
      mails.docs.map((mail) => mail.get('number')).sort(),
      ['2001', '2002'],
      'one welcome mail per assignment',
    );

    // Google-managed now: the PBX refuses to delete it.
    assert.equal((await adminApi(tenant, 'DELETE', '/api/extensions/2002')).status, 403);

    await withDirectory(
      editUsers('acme.example', (users) =>
        users.map((user) =>
          user.primaryEmail === at('daniel.okafor') ? { ...user, name: { ...user.name, givenName: 'Dan' } } : user,
        ),
      ),
      async () => {
        const again = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(again.counts.updated, 1);
        assert.equal(again.counts.unchanged, 1);
        assert.equal(again.counts.created, 0);
      },
    );
    assert.equal((await extensionsOf(tenant.tenantId)).get('2002')?.firstName, 'Dan');
  });

  it('gives one extension to one user only: in one Save, and when two admins save at once', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, at('support'));
    await addLocalExtension(tenant, '3001', 'desk1@acme.example');
    await addLocalExtension(tenant, '3002', 'desk2@acme.example');
    const { users } = await synchronizeToPbx(
      tenant,
      { groups },
      ...(await searchUsers(tenant, { groups })).users.slice(0, 4).map((user) => user.primaryEmail),
    );
    const [a, b, c, d] = users;

    const one = await assign(tenant, { [a!.primaryEmail]: '3001', [b!.primaryEmail]: '3001' });
    assert.equal(one.saved, 1);
    assert.equal(one.errors.length, 1);
    assert.match(one.errors[0]!, new RegExp(`Extension 3001 was just assigned to ${a!.primaryEmail} by someone else`));

    const [first, second] = await Promise.all([
      adminApi(tenant, 'PUT', '/api/sync/specific-users/assignments', { assignments: { [c!.userId]: '3002' } }),
      adminApi(tenant, 'PUT', '/api/sync/specific-users/assignments', { assignments: { [d!.userId]: '3002' } }),
    ]);
    const bodies = [
      (await first.json()) as { saved: number; errors: string[] },
      (await second.json()) as { saved: number; errors: string[] },
    ];
    assert.deepEqual(bodies.map((body) => body.saved).sort(), [0, 1], 'one wins');
    assert.match(
      bodies.find((body) => body.saved === 0)!.errors[0]!,
      /Extension 3002 was just assigned to .* by someone else/,
    );
    const links = await syncPaths(getApp().db, tenant.tenantId).googleLinks.get();
    assert.deepEqual(links.docs.map((link) => link.get('number')).sort(), ['3001', '3002']);

    // "No extension" unlinks: the extension stays as an ordinary one, offered again, and the user is pending.
    const unassigned = await assign(tenant, { [a!.primaryEmail]: null });
    assert.equal(unassigned.saved, 1);
    assert.equal(unassigned.users.find((user) => user.userId === a!.userId)?.number, null);
    assert.deepEqual(
      unassigned.extensions.map((extension) => extension.number),
      ['3001'],
    );
    assert.equal((await extensionsOf(tenant.tenantId)).get('3001')?.source, 'local');
  });

  it('refuses an extension deleted after it was offered, and a user suspended since the search', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, at('support'));
    await addLocalExtension(tenant, '4001', 'desk1@acme.example');
    const { users, extensions } = await synchronizeToPbx(tenant, { groups }, at('hannah.fischer'));
    assert.deepEqual(
      extensions.map((extension) => extension.number),
      ['4001'],
    );
    assert.equal((await adminApi(tenant, 'DELETE', '/api/extensions/4001')).status, 200);
    const outcome = await assign(tenant, { [users[0]!.primaryEmail]: '4001' });
    assert.equal(outcome.saved, 0);
    assert.match(outcome.errors[0]!, /Extension 4001 no longer exists; pick another extension/);
    assert.equal(outcome.users[0]?.number, null, 'still pending');

    await addLocalExtension(tenant, '4002', 'desk2@acme.example');
    await saveSettings(tenant, { range: 'specific', specific: { orgUnits: [], groups }, deleteWhen: 'suspended' });
    await withDirectory(
      editUsers('acme.example', (all) =>
        all.map((user) => (user.primaryEmail === at('hannah.fischer') ? { ...user, suspended: true } : user)),
      ),
      async () => {
        const refused = await assign(tenant, { [at('hannah.fischer')]: '4002' });
        assert.match(refused.errors[0]!, /hannah.fischer@acme.example is suspended in Google Workspace/);
      },
    );
  });

  it('deletes the extension of an assigned user suspended later, as "Delete the Extension when ... Suspended" says', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, at('support'));
    await addLocalExtension(tenant, '5001', 'desk1@acme.example');
    await synchronizeToPbx(tenant, { groups }, at('hannah.fischer'));
    await assign(tenant, { [at('hannah.fischer')]: '5001' });
    await syncWith(tenant, { range: 'specific', specific: { orgUnits: [], groups }, deleteWhen: 'suspended' });
    await withDirectory(
      editUsers('acme.example', (all) =>
        all.map((user) => (user.primaryEmail === at('hannah.fischer') ? { ...user, suspended: true } : user)),
      ),
      async () => {
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(run.status, 'succeeded');
        assert.equal(run.counts.deleted, 1);
        assert.equal(run.syncedUsers, 0);
      },
    );
    assert.equal((await extensionsOf(tenant.tenantId)).has('5001'), false);
    assert.equal((await syncedList(tenant)).users[0]?.number, null, 'the user shows as pending again');
  });

  it('deletes the extension of an assigned user Google deleted, even with "Auto delete" off', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, at('support'));
    await addLocalExtension(tenant, '5101', 'desk1@acme.example');
    await synchronizeToPbx(tenant, { groups }, at('hannah.fischer'));
    await assign(tenant, { [at('hannah.fischer')]: '5101' });
    await syncWith(tenant, { range: 'specific', specific: { orgUnits: [], groups }, autoDelete: false });
    await withDirectory(
      editUsers('acme.example', (all) => all.filter((user) => user.primaryEmail !== at('hannah.fischer'))),
      async () => {
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(run.status, 'succeeded');
        assert.equal(run.counts.deleted, 1);
        assert.equal(run.counts.released, 0);
      },
    );
    assert.equal((await extensionsOf(tenant.tenantId)).has('5101'), false);
  });

  for (const autoDelete of [false, true]) {
    it(`${autoDelete ? 'deletes' : 'releases'} the extension of a user who leaves the searched group with "Auto delete" ${autoDelete ? 'on' : 'off'}`, async () => {
      const tenant = await connectedTenant();
      const groups = await pickGroups(tenant, at('engineering'));
      await addLocalExtension(tenant, '6001', 'desk1@acme.example');
      await addLocalExtension(tenant, '6002', 'desk2@acme.example');
      await synchronizeToPbx(tenant, { groups }, at('noah.kim'), at('ethan.walker'));
      await assign(tenant, { [at('noah.kim')]: '6001', [at('ethan.walker')]: '6002' });
      const first = await syncWith(tenant, { range: 'specific', specific: { orgUnits: [], groups }, autoDelete });
      assert.equal(first.syncedUsers, 2);
      await withDirectory(
        editMembers(at('engineering'), (members) => members.filter((member) => member.email !== at('noah.kim'))),
        async () => {
          const run = await waitForRun(tenant, (await syncNow(tenant)).id);
          assert.equal(run.status, 'succeeded');
          assert.equal(autoDelete ? run.counts.deleted : run.counts.released, 1);
          assert.equal(run.syncedUsers, 1);
        },
      );
      const left = (await extensionsOf(tenant.tenantId)).get('6001');
      if (autoDelete) assert.equal(left, undefined);
      else {
        assert.equal(left?.source, 'local', 'released: it stays as an ordinary extension');
        assert.equal(left?.google, undefined);
      }
      assert.equal(
        (await extensionsOf(tenant.tenantId)).get('6002')?.source,
        'google',
        'the user still in the group stays',
      );
    });
  }

  it('switching to another range and back: the preview says what happens, and the selection and criteria are kept', async () => {
    const tenant = await connectedTenant();
    const groups = await pickGroups(tenant, at('support'));
    const specific = { orgUnits: [], groups };
    await addLocalExtension(tenant, '7001', 'desk1@acme.example');
    await synchronizeToPbx(
      tenant,
      { groups },
      at('hannah.fischer'),
      ...(await searchUsers(tenant, { groups })).users
        .filter((user) => user.primaryEmail !== at('hannah.fischer'))
        .slice(0, 1)
        .map((user) => user.primaryEmail),
    );
    await assign(tenant, { [at('hannah.fischer')]: '7001' });
    await syncWith(tenant, { range: 'specific', specific });

    const toUnits = await preview(tenant, {
      range: 'orgUnits',
      orgUnits: await pickUnits(tenant, '/Support'),
      specific,
    });
    assert.equal(toUnits.status, 'succeeded');
    assert.ok(toUnits.counts.created > 0, "the preview says the unit's other users would be created");
    assert.equal(toUnits.counts.unchanged, 1, 'and the assigned user stays');
    const units = await syncWith(tenant, {
      range: 'orgUnits',
      orgUnits: await pickUnits(tenant, '/Support'),
      specific,
    });
    assert.equal(units.status, 'succeeded');
    const stored = (await (await adminApi(tenant, 'GET', '/api/sync')).json()) as {
      settings: { specific: typeof specific };
    };
    assert.deepEqual(
      stored.settings.specific.groups.map((group) => group.email),
      [at('support')],
      'the Search Criteria are kept',
    );

    // The other selected user got an extension from the unit range: back on Specific Users, they keep it.
    const back = await preview(tenant, { range: 'specific', specific });
    assert.equal(
      back.counts.released,
      units.syncedUsers! - 2,
      "going back, the preview says the unit's unselected users would be released",
    );
    const run = await syncWith(tenant, { range: 'specific', specific });
    assert.equal(run.status, 'succeeded');
    assert.equal(run.counts.released, units.syncedUsers! - 2);
    assert.equal(run.syncedUsers, 2);
    const list = await syncedList(tenant);
    assert.equal(list.users.length, 2, 'the synced list is kept');
    assert.ok(
      list.users.every((user) => user.number !== null),
      'both selected users keep their extensions',
    );
    assert.equal(list.users.find((user) => user.primaryEmail === at('hannah.fischer'))?.number, '7001');
    assert.equal((await extensionsOf(tenant.tenantId)).get('7001')?.source, 'google');
  });
});
