// confirm-removals' decisions against an in-memory directory (SPEC §5.1 "Status rules apply before scope rules",
// §5.4): which removal still holds and which is kept, and what stops the removals altogether.
import assert from 'node:assert/strict';
import { AppError } from '../../functions/src/errors.ts';
import { DirectoryError, ReauthorizationRequired } from '../../functions/src/google/directory-errors.ts';
import type { Removal } from '../../functions/src/sync/removals/delete-or-release.ts';
import { confirmRemovals } from '../../functions/src/sync/removals/confirm-removals.ts';
import { DEFAULT_SETTINGS, type SyncSettings } from '../../functions/src/sync/settings/settings.ts';
import { FakeDirectory } from '../support/fake-directory.ts';

const settings = (overrides: Partial<SyncSettings> = {}): SyncSettings => ({ ...DEFAULT_SETTINGS, ...overrides });
const SALES = { id: 'ou-sales', path: '/Sales' };
const SUPPORT = { id: 'g-support', email: 'support@acme.example', name: 'Support' };
const SALES_TEAM = { id: 'g-sales', email: 'sales@acme.example', name: 'Sales' };

/** A user who left the range, as finalize proposes them. */
const leftRange = (userId: string): Removal => ({
  userId,
  number: `1${userId.replace(/\D/g, '')}`,
  status: 'active',
  action: 'release',
  reason: 'out_of_range',
});

function confirm(
  directory: FakeDirectory,
  chosen: SyncSettings,
  removals: readonly Removal[],
  callSpacingMs = 0,
): Promise<Removal[]> {
  return confirmRemovals({ directory, callSpacingMs }, 'acme', chosen, removals);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the confirmation to fail');
}

describe('confirmRemovals (which removal holds, which is kept)', () => {
  it('applies status rules first: a user now suspended is deleted under "Suspended", even back in a picked unit', async () => {
    const directory = new FakeDirectory().addUser({
      id: 'u1',
      primaryEmail: 'u1@acme.example',
      orgUnitPath: '/Sales',
      suspended: true,
    });
    const confirmed = await confirm(
      directory,
      settings({ range: 'orgUnits', orgUnits: [SALES], deleteWhen: 'suspended' }),
      [leftRange('u1')],
    );
    assert.deepEqual(confirmed, [{ ...leftRange('u1'), status: 'suspended', action: 'delete', reason: 'status' }]);
  });

  it('deletes a user Google no longer has as deleted, whatever the range and "Auto delete" say', async () => {
    const directory = new FakeDirectory().addUser({
      id: 'u2',
      primaryEmail: 'u2@acme.example',
      deletionTime: '2026-01-01T00:00:00Z',
    });
    const confirmed = await confirm(directory, settings({ range: 'orgUnits', orgUnits: [SALES] }), [
      leftRange('u1'),
      leftRange('u2'),
    ]);
    assert.deepEqual(
      confirmed.map((removal) => [removal.userId, removal.status, removal.action, removal.reason]),
      [
        ['u1', 'deleted', 'delete', 'status'],
        ['u2', 'deleted', 'delete', 'status'],
      ],
    );
  });

  it('drops a status removal whose user is below the chosen status again (reactivated)', async () => {
    const directory = new FakeDirectory().addUser({ id: 'u1', primaryEmail: 'u1@acme.example' });
    const proposed: Removal = { userId: 'u1', number: '11', status: 'suspended', action: 'delete', reason: 'status' };
    assert.deepEqual(await confirm(directory, settings({ deleteWhen: 'suspended' }), [proposed]), []);
    assert.equal(directory.count('hasMember'), 0);
  });

  it('keeps a user back in a picked unit or below it, asking no membership', async () => {
    const directory = new FakeDirectory().addUser({
      id: 'u1',
      primaryEmail: 'u1@acme.example',
      orgUnitPath: '/Sales/EMEA',
    });
    assert.deepEqual(
      await confirm(directory, settings({ range: 'orgUnits', orgUnits: [SALES] }), [leftRange('u1')]),
      [],
    );
    assert.equal(directory.count('hasMember'), 0);
  });

  it('keeps a user in a picked group again, and releases one in none of them with their current status', async () => {
    const directory = new FakeDirectory()
      .addUser({ id: 'u1', primaryEmail: 'u1@acme.example' })
      .addUser({ id: 'u2', primaryEmail: 'u2@acme.example', suspended: true })
      .addGroup(SUPPORT.id, { email: SUPPORT.email, members: [] })
      .addGroup(SALES_TEAM.id, { email: SALES_TEAM.email, members: ['u1'] });
    const confirmed = await confirm(directory, settings({ range: 'groups', groups: [SUPPORT, SALES_TEAM] }), [
      leftRange('u1'),
      leftRange('u2'),
    ]);
    assert.deepEqual(
      confirmed,
      [{ ...leftRange('u2'), status: 'suspended' }],
      'suspended is below the default "Deleted": released, not deleted',
    );
    assert.equal(directory.count('hasMember'), 4, 'each picked group asked for each user until one holds them');
  });

  it("falls back to the group's listing when hasMember cannot tell, listing each group once for the whole batch", async () => {
    const directory = new FakeDirectory().addGroup(SUPPORT.id, {
      email: SUPPORT.email,
      members: ['u1', 'u2', 'x1', 'x2'],
      untellable: ['u1', 'u2', 'u3'],
    });
    for (const id of ['u1', 'u2', 'u3']) directory.addUser({ id, primaryEmail: `${id}@northwind.example` });
    directory.membersPerPage = 2;
    const confirmed = await confirm(
      directory,
      settings({ range: 'groups', groups: [SUPPORT] }),
      ['u1', 'u2', 'u3'].map(leftRange),
    );
    assert.deepEqual(
      confirmed.map((removal) => removal.userId),
      ['u3'],
      'only the user the listing does not hold leaves',
    );
    assert.equal(directory.count('listMembers'), 2, "the group's two pages, listed once");
  });

  it("counts only the chosen range's picks: units kept from another range, or Specific Users' criteria, keep nobody", async () => {
    const directory = new FakeDirectory()
      .addUser({ id: 'u1', primaryEmail: 'u1@acme.example', orgUnitPath: '/Sales' })
      .addGroup(SUPPORT.id, { email: SUPPORT.email, members: [] });
    assert.equal(
      (await confirm(directory, settings({ range: 'groups', groups: [SUPPORT], orgUnits: [SALES] }), [leftRange('u1')]))
        .length,
      1,
    );
    const specific = settings({ range: 'specific', specific: { orgUnits: [SALES], groups: [] } });
    assert.equal(
      (await confirm(directory, specific, [leftRange('u1')])).length,
      1,
      'the admin selected them; Google cannot confirm that',
    );
  });

  it('asks Google nothing when there is nothing to confirm', async () => {
    const directory = new FakeDirectory();
    assert.deepEqual(await confirm(directory, settings(), []), []);
    assert.deepEqual(directory.calls, []);
  });
});

describe('confirmRemovals (what stops the removals)', () => {
  it('removes nothing without a super administrator: a demoted admin, or one who may no longer read the directory', async () => {
    const demoted = new FakeDirectory().addUser({ id: 'admin', primaryEmail: 'admin@acme.example', isAdmin: false });
    const error = await rejection(confirm(demoted, settings(), [leftRange('u1')]));
    assert.match(
      (error as Error).message,
      /^admin@acme\.example is no longer a super administrator of Google Workspace/,
    );
    assert.equal(demoted.count('lookUpUser'), 1, "only the admin's own lookup");

    const refused = new FakeDirectory();
    refused.foreign.add('admin');
    assert.match(
      ((await rejection(confirm(refused, settings(), [leftRange('u1')]))) as Error).message,
      /no longer lets admin@acme\.example read the directory/,
    );
  });

  it('leaves the removals for a later delivery when Google fails after its retries, naming the HTTP status', async () => {
    const refused = new FakeDirectory().failNext(
      'lookUpUser',
      new DirectoryError('refused', 412, 'a user lookup', undefined),
      'u1',
    );
    const error = await rejection(confirm(refused, settings(), [leftRange('u1')]));
    assert.ok(error instanceof AppError && error.code === 'unavailable', String(error));
    assert.equal(error.message, 'The Directory API could not confirm a removal (HTTP 412)');

    const down = new FakeDirectory()
      .addUser({ id: 'u1', primaryEmail: 'u1@acme.example' })
      .addGroup(SUPPORT.id, { email: SUPPORT.email, members: [] })
      .failNext('hasMember', new AppError('unavailable', 'The Directory API kept failing after 6 attempts (HTTP 503)'));
    const outage = await rejection(confirm(down, settings({ range: 'groups', groups: [SUPPORT] }), [leftRange('u1')]));
    assert.equal((outage as AppError).message, 'The Directory API could not confirm a removal (HTTP no response)');
  });

  it('regression: a grant lost while confirming is "reauthorization required", not an outage retried five times', async () => {
    const directory = new FakeDirectory().failNext(
      'lookUpUser',
      new ReauthorizationRequired('Google no longer accepts the authorization.'),
      'u1',
    );
    const error = await rejection(confirm(directory, settings(), [leftRange('u1')]));
    assert.ok(error instanceof ReauthorizationRequired, String(error));
    assert.equal(
      error.runFailure,
      'Google Workspace needs reauthorization: Google no longer accepts the authorization.',
    );
  });

  it("keeps to the tenant's query budget: each batch of five waits out the calls it made", async () => {
    const directory = new FakeDirectory();
    const started = Date.now();
    await confirm(directory, settings(), ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map(leftRange), 20);
    // Five calls' worth after the first batch, one after the second (less a little for the clocks' rounding).
    assert.ok(Date.now() - started >= 5 * 20 + 20 - 5, `took ${Date.now() - started} ms for six lookups 20 ms apart`);
  });
});
