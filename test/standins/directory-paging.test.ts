// Fidelity of users.list paging, caps and partial responses: maxResults (default 100, at most 500), opaque
// page tokens bound to their query, and `fields` masks, including one that drops nextPageToken.
import assert from 'node:assert/strict';
import type { admin_directory_v1 } from '@googleapis/admin';
import { demoFixture } from '../../dev/google/fixture/index.ts';
import { allPages, BULK_ADMIN_TOKEN, bulkOrg, expectGoogleError, globexOrg, startDirectory, type DirectoryHarness } from './directory-harness.ts';

describe('Directory stand-in: users.list paging and partial responses', () => {
  let directory: DirectoryHarness;
  const list = (params: admin_directory_v1.Params$Resource$Users$List) =>
    directory.client(BULK_ADMIN_TOKEN).users.list({ customer: 'my_customer', ...params });

  before(async () => {
    directory = await startDirectory([...demoFixture(), globexOrg(), bulkOrg(1200)]);
  });
  after(() => directory.close());
  afterEach(() => directory.fixtures.reset());

  it('returns 100 users a page by default', async () => {
    const { data } = await list({});
    assert.equal(data.users?.length, 100);
    assert.equal(typeof data.nextPageToken, 'string');
  });

  it('returns up to 500 a page and refuses more than 500 with invalidParameter', async () => {
    const { data } = await list({ maxResults: 500 });
    assert.equal(data.users?.length, 500);
    const error = await expectGoogleError(list({ maxResults: 501 }), 400, 'invalidParameter');
    assert.equal(error.message, "Invalid value '501'. Values must be within the range: [1, 500]");
    assert.deepEqual(error.errors[0], { message: error.message, domain: 'global', reason: 'invalidParameter', location: 'maxResults', locationType: 'parameter' });
    await expectGoogleError(list({ maxResults: 0 }), 400, 'invalidParameter');
  });

  it('pages to the end with every user exactly once', async () => {
    const pages = await allPages((pageToken) => list({ maxResults: 500, ...(pageToken ? { pageToken } : {}) }));
    assert.deepEqual(pages.map((page) => page.users?.length), [500, 500, 200]);
    const ids = pages.flatMap((page) => page.users?.map((user) => user.id) ?? []);
    assert.equal(new Set(ids).size, 1200);
    assert.equal(pages[pages.length - 1]?.nextPageToken, undefined);
  });

  it('keeps the order across pages when sorting descending', async () => {
    const pages = await allPages((pageToken) => list({ maxResults: 300, orderBy: 'email', sortOrder: 'DESCENDING', ...(pageToken ? { pageToken } : {}) }));
    const addresses = pages.flatMap((page) => page.users?.map((user) => user.primaryEmail ?? '') ?? []);
    assert.equal(addresses.length, 1200);
    assert.deepEqual(addresses, [...addresses].sort().reverse());
  });

  it('pages through a query and accepts another maxResults on the next page', async () => {
    const first = await list({ query: "orgUnitPath='/Odd'", maxResults: 250 });
    const second = await list({ query: "orgUnitPath='/Odd'", maxResults: 400, pageToken: first.data.nextPageToken ?? '' });
    assert.equal(first.data.users?.length, 250);
    assert.equal(second.data.users?.length, 350);
    assert.equal(second.data.nextPageToken, undefined);
  });

  it('a fields mask keeps only the selected fields, and nextPageToken when selected', async () => {
    const pages = await allPages((pageToken) => list({ maxResults: 500, fields: 'nextPageToken,users(primaryEmail,name/fullName)', ...(pageToken ? { pageToken } : {}) }));
    assert.equal(pages.length, 3);
    const first = pages[0]?.users?.[0];
    assert.deepEqual(Object.keys(first ?? {}).sort(), ['name', 'primaryEmail']);
    assert.deepEqual(Object.keys(first?.name ?? {}), ['fullName']);
    assert.equal('kind' in (pages[0] ?? {}), false);
  });

  it('a fields mask without nextPageToken returns no nextPageToken although more users exist', async () => {
    const { data } = await list({ fields: 'users(id,primaryEmail)' });
    assert.equal(data.users?.length, 100);
    assert.equal(data.nextPageToken, undefined);
    assert.deepEqual(Object.keys(data), ['users']);
  });

  it('refuses a selection of a field that does not exist', async () => {
    const error = await expectGoogleError(list({ fields: 'users(shoeSize)' }), 400, 'invalidParameter');
    assert.equal(error.message, 'Invalid field selection shoeSize');
    assert.equal(error.errors[0]?.location, 'fields');
  });

  it('refuses a page token reused with another query, and a made-up one', async () => {
    const { data } = await list({ query: 'isSuspended=false', maxResults: 10 });
    const token = data.nextPageToken ?? '';
    const reused = await expectGoogleError(list({ query: "orgUnitPath='/Odd'", pageToken: token }), 400, 'invalid');
    assert.equal(reused.message, `Invalid Input: ${token}`);
    await expectGoogleError(list({ query: 'isSuspended=false', orderBy: 'email', pageToken: token }), 400, 'invalid');
    await expectGoogleError(list({ pageToken: 'not-a-token' }), 400, 'invalid');
  });

  it('neither repeats nor skips users when the directory changes between pages', async () => {
    const first = await list({ maxResults: 500 });
    const served = new Set(first.data.users?.map((user) => user.primaryEmail));
    // Delete one user already served and one not yet served, then continue paging.
    const bulk = bulkOrg(1200);
    const notYetServed = bulk.users.find((user) => !user.isAdmin && !served.has(user.primaryEmail))?.primaryEmail;
    const gone = [first.data.users?.find((user) => !user.isAdmin)?.primaryEmail, notYetServed];
    bulk.users = bulk.users.map((user) => (gone.includes(user.primaryEmail) ? { ...user, deletionTime: '2026-01-02T03:04:05.000Z' } : user));
    directory.fixtures.replace([...demoFixture(), globexOrg(), bulk]);
    const rest = await allPages((pageToken) => list({ maxResults: 500, pageToken: pageToken ?? first.data.nextPageToken ?? '' }));
    const later = rest.flatMap((page) => page.users?.map((user) => user.primaryEmail) ?? []);
    assert.ok(later.every((email) => !served.has(email)), 'no user served twice');
    assert.equal(served.size + later.length, 1199);
  });
});
