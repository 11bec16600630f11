// One page of a chain fetched from an in-memory directory, and planned (SPEC §5.1, §5.2, §5.4): what each chain
// asks for and keeps, members outside the Workspace, and the refusals that end a run with the admin's words.
import assert from 'node:assert/strict';
import type { DirectoryUser } from '../../functions/src/google/directory-user.ts';
import { DirectoryError } from '../../functions/src/google/directory-errors.ts';
import { planPage } from '../../functions/src/sync/apply/plan-page.ts';
import { fetchPage, type FetchedPage, type PageSource } from '../../functions/src/sync/fetch/fetch-page.ts';
import type { GroupMembers } from '../../functions/src/sync/fetch/group-member-sets.ts';
import { NO_WORKSPACE_ACCOUNT, OTHER_WORKSPACE } from '../../functions/src/sync/fetch/outside-members.ts';
import type { SyncRun } from '../../functions/src/sync/run/run.ts';
import type { PageTask } from '../../functions/src/sync/run/tasks.ts';
import { DEFAULT_SETTINGS, type SyncSettings } from '../../functions/src/sync/settings/settings.ts';
import { FakeDirectory } from '../support/fake-directory.ts';

const SALES = { id: 'ou-sales', path: '/Sales' };
const SUPPORT = { id: 'g-support', email: 'support@acme.example', name: 'Support' };

const runOf = (overrides: Partial<SyncSettings> = {}): SyncRun => ({
  status: 'running',
  trigger: 'manual',
  settings: { ...DEFAULT_SETTINGS, ...overrides },
  createdAt: '2026-01-01T00:00:00Z',
  lastProgressAt: '2026-01-01T00:00:00Z',
  managedAtStart: 0,
});
const taskOf = (chain: string, extra: Partial<PageTask> = {}): PageTask => ({
  tenant: 'acme',
  runId: 'run-1',
  chain,
  page: 0,
  ...extra,
});
const noMembers: GroupMembers = { ids: new Set(), emails: new Map(), everyone: false };

/** A source on `directory` whose group members are `members`; `asked` counts how often they were needed. */
function sourceOf(directory: FakeDirectory, members: GroupMembers = noMembers): PageSource & { asked: number } {
  const source = {
    directory: directory.forTenant(),
    asked: 0,
    groupMembers: async () => {
      source.asked++;
      return members;
    },
  };
  return source;
}

function usersOf(page: FetchedPage): DirectoryUser[] {
  assert.equal(page.kind, 'users');
  return page.kind === 'users' ? page.users : [];
}
const ids = (page: FetchedPage) => usersOf(page).map((user) => user.id);

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('expected the page to fail');
}

describe('fetchPage (a chain page from the directory)', () => {
  it('lists the domain a page at a time: our users, the next page token, and "last" only on the final page', async () => {
    const directory = new FakeDirectory()
      .addUser({ id: 'u1', primaryEmail: 'U1@acme.example', name: { givenName: 'Ann' } })
      .addUser({ id: 'u2', primaryEmail: 'u2@acme.example' });
    directory.usersPerPage = 2;
    const first = await fetchPage(sourceOf(directory), runOf(), taskOf('domain'));
    assert.deepEqual([ids(first), first.next, first.last], [['admin', 'u1'], '2', false]);
    assert.deepEqual(usersOf(first)[1]!.fields, {
      firstName: 'Ann',
      lastName: '',
      email: 'u1@acme.example',
      mobile: '',
      jobTitle: '',
    });
    const second = await fetchPage(sourceOf(directory), runOf(), taskOf('domain', { page: 1, pageToken: '2' }));
    assert.deepEqual([ids(second), second.next, second.last], [['u2'], undefined, true]);
  });

  it('takes every user of the deleted listing for deleted, whatever else Google says of them', async () => {
    const directory = new FakeDirectory().addUser({
      id: 'u1',
      primaryEmail: 'u1@acme.example',
      suspended: true,
      deletionTime: '2026-01-01T00:00:00Z',
    });
    const page = await fetchPage(sourceOf(directory), runOf(), taskOf('deleted'));
    assert.deepEqual(
      usersOf(page).map((user) => [user.id, user.status]),
      [['u1', 'deleted']],
    );
  });

  it("lists a picked unit's whole subtree", async () => {
    const directory = new FakeDirectory()
      .addUser({ id: 'u1', primaryEmail: 'u1@acme.example', orgUnitPath: '/Sales' })
      .addUser({ id: 'u2', primaryEmail: 'u2@acme.example', orgUnitPath: '/Sales/EMEA' })
      .addUser({ id: 'u3', primaryEmail: 'u3@acme.example', orgUnitPath: '/Support' });
    const page = await fetchPage(sourceOf(directory), runOf({ range: 'orgUnits', orgUnits: [SALES] }), taskOf('ou0'));
    assert.deepEqual(ids(page), ['u1', 'u2']);
    assert.deepEqual(directory.calls, ['listUsers:/Sales']);
  });

  it("keeps the domain listing's group members only, or everyone when a group holds the whole organisation", async () => {
    const directory = new FakeDirectory()
      .addUser({ id: 'u1', primaryEmail: 'u1@acme.example' })
      .addUser({ id: 'u2', primaryEmail: 'u2@acme.example' });
    const run = runOf({ range: 'groups', groups: [SUPPORT] });
    const members: GroupMembers = { ids: new Set(['u2']), emails: new Map(), everyone: false };
    assert.deepEqual(ids(await fetchPage(sourceOf(directory, members), run, taskOf('join'))), ['u2']);
    assert.deepEqual(ids(await fetchPage(sourceOf(directory, { ...members, everyone: true }), run, taskOf('join'))), [
      'admin',
      'u1',
      'u2',
    ]);
  });

  it("records a group's member ids and e-mails, and whether the whole organisation is a member", async () => {
    const directory = new FakeDirectory()
      .addUser({ id: 'u1', primaryEmail: 'u1@acme.example' })
      .addGroup(SUPPORT.id, { email: SUPPORT.email, members: ['u1', 'n1'], everyone: true });
    const page = await fetchPage(sourceOf(directory), runOf({ range: 'groups', groups: [SUPPORT] }), taskOf('group0'));
    assert.deepEqual(page, {
      kind: 'members',
      memberIds: ['u1', 'n1'],
      memberEmails: ['u1@acme.example', 'n1@elsewhere.example'],
      everyone: true,
      next: undefined,
      last: true,
      startedAt: page.startedAt,
    });
  });

  it('looks up members: one without an account here is skipped, one of another Workspace is skipped and counted as seen', async () => {
    const directory = new FakeDirectory().addUser({ id: 'u1', primaryEmail: 'u1@acme.example' });
    directory.foreign.add('n1');
    const members: GroupMembers = {
      ids: new Set(['u1', 'n1', 'g1']),
      emails: new Map([
        ['n1', 'nora@northwind.example'],
        ['g1', ''],
      ]),
      everyone: false,
    };
    const page = await fetchPage(
      sourceOf(directory, members),
      runOf({ range: 'groups', groups: [SUPPORT] }),
      taskOf('members', { userIds: ['u1', 'n1', 'g1'], last: true }),
    );
    assert.ok(page.kind === 'users');
    assert.deepEqual([ids(page), page.refused, page.last], [['u1'], ['n1'], true]);
    assert.deepEqual(page.skipped, [
      { userId: 'n1', email: 'nora@northwind.example', reason: OTHER_WORKSPACE },
      { userId: 'g1', email: 'Google user g1', reason: NO_WORKSPACE_ACCOUNT },
    ]);
    assert.ok(
      directory.calls.includes('lookUpUser:admin'),
      'a 403 counts as another Workspace only once the admin is shown to read the directory',
    );
  });

  it('fails, rather than skip, a member Google refuses when the connecting admin may no longer read the directory', async () => {
    const directory = new FakeDirectory();
    directory.foreign.add('n1').add('admin');
    const error = await failure(
      fetchPage(
        sourceOf(directory),
        runOf({ range: 'groups', groups: [SUPPORT] }),
        taskOf('members', { userIds: ['n1'] }),
      ),
    );
    assert.match(
      error.message,
      /^Google Workspace no longer lets admin@acme\.example read the directory .* Reconnect with a super administrator/,
    );
  });

  it('Specific Users: keeps the assigned users still in the criteria or at the delete status, and skips no deleted one', async () => {
    const directory = new FakeDirectory()
      .addUser({ id: 'a', primaryEmail: 'a@acme.example', orgUnitPath: '/Sales/EMEA' })
      .addUser({ id: 'b', primaryEmail: 'b@acme.example', orgUnitPath: '/Support' })
      .addUser({ id: 'c', primaryEmail: 'c@acme.example', orgUnitPath: '/Support' })
      .addUser({ id: 'd', primaryEmail: 'd@acme.example', orgUnitPath: '/Support', suspended: true });
    const run = runOf({
      range: 'specific',
      deleteWhen: 'suspended',
      specific: { orgUnits: [SALES], groups: [SUPPORT] },
    });
    const source = sourceOf(directory, { ids: new Set(['b']), emails: new Map(), everyone: false });
    const page = await fetchPage(source, run, taskOf('members', { userIds: ['a', 'b', 'c', 'd', 'gone'], last: true }));
    assert.ok(page.kind === 'users');
    assert.deepEqual([ids(page), page.skipped, page.scanned], [['a', 'b', 'd'], [], 4]);
  });

  it('plans a fetched page as the options say: a user at the delete status is never created', async () => {
    const directory = new FakeDirectory()
      .addUser({ id: 'u1', primaryEmail: 'u1@acme.example' })
      .addUser({ id: 'u2', primaryEmail: 'u2@acme.example', suspended: true });
    const run = runOf({ deleteWhen: 'suspended' });
    const users = usersOf(await fetchPage(sourceOf(directory), run, taskOf('domain')));
    const decisions = planPage(users, run.settings, { links: new Map(), extensions: new Map(), emailKeys: new Map() });
    assert.deepEqual(
      decisions.map((decision) => [decision.userId, decision.kind]),
      [
        ['admin', 'create'],
        ['u1', 'create'],
        ['u2', 'not_synced'],
      ],
    );
  });
});

describe('fetchPage (refusals that end a run)', () => {
  it('says a page token expired, naming the page and its listing, and that nothing was deleted', async () => {
    const directory = new FakeDirectory().failNext(
      'listUsers',
      new DirectoryError('expired_page_token', 400, 'the listing', undefined),
    );
    const error = await failure(
      fetchPage(sourceOf(directory), runOf(), taskOf('domain', { page: 1, pageToken: 'old' })),
    );
    assert.match(
      error.message,
      /^Google no longer accepts the page token of page 2 of the domain listing \(page tokens last 3 days\).*nothing was deleted/,
    );
  });

  it('names a picked unit that no longer exists, and a picked group', async () => {
    const directory = new FakeDirectory();
    const unit = await failure(
      fetchPage(
        sourceOf(directory),
        runOf({ range: 'orgUnits', orgUnits: [{ id: 'x', path: '/Gone' }] }),
        taskOf('ou0'),
      ),
    );
    assert.equal(
      unit.message,
      'The organizational unit /Gone no longer exists in Google Workspace; pick the units again and click Save.',
    );
    const group = await failure(
      fetchPage(sourceOf(directory), runOf({ range: 'groups', groups: [SUPPORT] }), taskOf('group0')),
    );
    assert.equal(
      group.message,
      'The group support@acme.example no longer exists in Google Workspace; pick the groups again and click Save.',
    );
  });

  it('takes a listing refused as "Not Authorized" for the connecting admin no longer reading the directory', async () => {
    const directory = new FakeDirectory().failNext(
      'listUsers',
      new DirectoryError('forbidden', 403, 'the listing', undefined),
    );
    const error = await failure(fetchPage(sourceOf(directory), runOf(), taskOf('domain')));
    assert.match(error.message, /^Google Workspace no longer lets admin@acme\.example read the directory/);
  });

  it("keeps the port's own message for a refusal that means nothing more", async () => {
    const directory = new FakeDirectory().failNext(
      'listUsers',
      new DirectoryError('not_found', 404, 'the listing', undefined),
    );
    const error = await failure(fetchPage(sourceOf(directory), runOf(), taskOf('domain')));
    assert.ok(error instanceof DirectoryError);
    assert.equal(error.message, 'The Directory API refused the listing (HTTP 404)');
  });
});
