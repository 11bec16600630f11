// Every option of "User Synchronization" (SPEC §5.1) through real runs against the stand-in.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { editUsers, withDirectory } from '../support/directory.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';

const byEmail = async (tenantId: string) =>
  new Map([...(await extensionsOf(tenantId)).values()].map((extension) => [extension.email, extension]));

async function welcomeMailsTo(tenantId: string): Promise<string[]> {
  const stack = await useStack();
  const mails = (await (await fetch(`${stack.addresses.inboxUrl}/api/email`)).json()) as Array<{
    headers: Record<string, string>;
    to: Array<{ address: string }>;
  }>;
  return mails
    .filter((mail) => (mail.headers['message-id'] ?? '').includes(`welcome-${tenantId}-`))
    .map((mail) => mail.to[0]?.address ?? '');
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('sync options', function () {
  this.timeout(120_000);

  it('"Delete the Extension when … is": Suspended keeps suspended and archived users out; Archived syncs the suspended one', async () => {
    const suspendedOnes = await connectedTenant();
    await syncWith(suspendedOnes, { deleteWhen: 'suspended' });
    const strict = await byEmail(suspendedOnes.tenantId);
    assert.equal(strict.has('lucas.martin@acme.example'), false);
    assert.equal(strict.has('nora.lindqvist@acme.example'), false);

    const archivedOnes = await connectedTenant();
    await syncWith(archivedOnes, { deleteWhen: 'archived' });
    const lenient = await byEmail(archivedOnes.tenantId);
    assert.equal(
      lenient.get('lucas.martin@acme.example')?.google?.status,
      'suspended',
      'a lesser status stays, and is shown',
    );
    assert.equal(lenient.has('nora.lindqvist@acme.example'), false);
    assert.equal(lenient.has('oscar.johansson@acme.example'), false, 'a deleted user is never created');
  });

  it('deletes the extension of a user who is suspended later, and gives a new one with a welcome e-mail on reactivation', async () => {
    const tenant = await connectedTenant();
    await syncWith(tenant, { deleteWhen: 'suspended', welcomeEmail: true });
    const before = await byEmail(tenant.tenantId);
    assert.ok(before.has('grace.murphy@acme.example'));
    await withDirectory(
      editUsers('acme.example', (users) =>
        users.map((user) => (user.primaryEmail === 'grace.murphy@acme.example' ? { ...user, suspended: true } : user)),
      ),
      async () => {
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(run.counts.deleted, 1, JSON.stringify(run));
        assert.equal((await byEmail(tenant.tenantId)).has('grace.murphy@acme.example'), false);
      },
    );
    const reactivated = await waitForRun(tenant, (await syncNow(tenant)).id);
    assert.equal(reactivated.counts.created, 1);
    assert.ok((await byEmail(tenant.tenantId)).has('grace.murphy@acme.example'));
    const mails = await eventually(
      () => welcomeMailsTo(tenant.tenantId),
      (list) => list.filter((to) => to === 'grace.murphy@acme.example').length >= 2,
    );
    assert.equal(
      mails.filter((to) => to === 'grace.murphy@acme.example').length,
      2,
      'one at first creation, one at reactivation',
    );
  });

  it('deletes the extension of a user listed as deleted (showDeleted) and of one absent from the complete listing', async () => {
    const tenant = await connectedTenant();
    await syncWith(tenant);
    await withDirectory(
      editUsers('acme.example', (users) =>
        users
          .filter((user) => user.primaryEmail !== 'zoe.williams@acme.example')
          .map((user) =>
            user.primaryEmail === 'yusuf.demir@acme.example'
              ? { ...user, deletionTime: '2026-11-20T10:00:00.000Z' }
              : user,
          ),
      ),
      async () => {
        const run = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(run.status, 'succeeded');
        assert.equal(run.counts.deleted, 2);
        const left = await byEmail(tenant.tenantId);
        assert.equal(left.has('zoe.williams@acme.example') || left.has('yusuf.demir@acme.example'), false);
        const keys = await getApp().db.collection(`tenants/${tenant.tenantId}/extensionEmails`).get();
        assert.equal(
          keys.docs.some((doc) => doc.id === 'zoe.williams@acme.example'),
          false,
          'the e-mail key went with it',
        );
      },
    );
  });

  it('"Read Specific Property Value" numbers by the property, skips users without it with the reason, and renumbers on change', async () => {
    const tenant = await connectedTenant();
    const path = 'externalIds.#(type=="organization").value';
    const run = await syncWith(tenant, { numbering: { mode: 'property', path } });
    const extensions = await byEmail(tenant.tenantId);
    assert.equal(extensions.get('marcus.reed@acme.example')?.number, '2101');
    assert.equal(extensions.has('laura.schmidt@acme.example'), false);
    assert.ok(
      run.problems.some(
        (problem) => problem.email === 'laura.schmidt@acme.example' && problem.reason === `property ${path} is missing`,
      ),
    );
    await withDirectory(
      editUsers('acme.example', (users) =>
        users.map((user) =>
          user.primaryEmail === 'marcus.reed@acme.example'
            ? { ...user, externalIds: [{ type: 'organization', value: '2199' }] }
            : user,
        ),
      ),
      async () => {
        const renumbered = await waitForRun(tenant, (await syncNow(tenant)).id);
        assert.equal(renumbered.counts.deleted, 0, 'renumbering is not a deletion');
        const after = await byEmail(tenant.tenantId);
        assert.equal(after.get('marcus.reed@acme.example')?.number, '2199');
        const link = await syncPaths(getApp().db, tenant.tenantId)
          .googleLink(after.get('marcus.reed@acme.example')!.google!.userId)
          .get();
        assert.equal(link.get('number'), '2199');
      },
    );
  });

  it('associates a local extension with the same e-mail when "Auto associate" is on, and skips the user when it is off', async () => {
    for (const autoAssociate of [true, false]) {
      const tenant = await connectedTenant();
      const paths = syncPaths(getApp().db, tenant.tenantId);
      await paths.extension('555').set({
        number: '555',
        firstName: 'Front',
        lastName: 'Desk',
        email: 'mei.chen@acme.example',
        mobile: '',
        jobTitle: '',
        source: 'local',
      });
      await paths.emailKey('mei.chen@acme.example').set({ number: '555' });
      const run = await syncWith(tenant, { autoAssociate, welcomeEmail: true });
      const extension = (await paths.extension('555').get()).data();
      if (autoAssociate) {
        assert.equal(run.counts.associated, 1);
        assert.deepEqual([extension?.['source'], extension?.['firstName']], ['google', 'Mei']);
      } else {
        assert.equal(extension?.['source'], 'local');
        assert.ok(
          run.problems.some(
            (problem) =>
              problem.email === 'mei.chen@acme.example' && problem.reason === 'email already used by extension 555',
          ),
        );
      }
      const mails = await eventually(
        () => welcomeMailsTo(tenant.tenantId),
        (list) => list.length >= run.counts.created,
      );
      assert.equal(
        mails.includes('mei.chen@acme.example'),
        false,
        'no welcome e-mail for an associated or skipped user',
      );
      assert.equal(mails.length, run.counts.created, 'one welcome e-mail per created extension');
    }
  });
});
