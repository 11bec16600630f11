// Fidelity of users.list paging, caps and partial responses: maxResults (default 100, at most 500), opaque
// page tokens bound to their query and valid for three days, `fields` masks, including one that drops
// nextPageToken, and a listing that ends with an empty page.
import assert from 'node:assert/strict';
import type { admin_directory_v1 } from '@googleapis/admin';
import { PAGE_TOKEN_LIFETIME_MS } from '../../dev/google/directory/index.ts';
import { demoFixture } from '../../dev/google/fixture/index.ts';
import {
  allPages,
  BULK_ADMIN_TOKEN,
  bulkOrg,
  expectGoogleError,
  globexOrg,
  startDirectory,
  type DirectoryHarness,
} from './directory-harness.ts';

describe('Directory stand-in: users.list paging and partial responses', () => {
  let directory: DirectoryHarness;
  const list = (params: admin_directory_v1.Params$Resource$Users$List) =>
    directory.client(BULK_ADMIN_TOKEN).users.list({ customer: 'my_customer', ...params });

  before(async () => {
    directory = await startDirectory([...demoFixture(), globexOrg(), bulkOrg(1200)]);
  });
  after(() => directory.close());
  afterEach(() => {
    directory.fixtures.reset();
    directory.faults.reset();
  });

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
    assert.deepEqual(error.errors[0], {
      message: error.message,
      domain: 'global',
      reason: 'invalidParameter',
      location: 'maxResults',
      locationType: 'parameter',
    });
    await expectGoogleError(list({ maxResults: 0 }), 400, 'invalidParameter');
  });

  it('pages to the end with every user exactly once', async () => {
    const pages = await allPages((pageToken) => list({ maxResults: 500, ...(pageToken ? { pageToken } : {}) }));
    assert.deepEqual(
      pages.map((page) => page.users?.length),
      [500, 500, 200],
    );
    const ids = pages.flatMap((page) => page.users?.map((user) => user.id) ?? []);
    assert.equal(new Set(ids).size, 1200);
    assert.equal(pages[pages.length - 1]?.nextPageToken, undefined);
  });

  it('keeps the order across pages when sorting descending', async () => {
    const pages = await allPages((pageToken) =>
      list({ maxResults: 300, orderBy: 'email', sortOrder: 'DESCENDING', ...(pageToken ? { pageToken } : {}) }),
    );
    const addresses = pages.flatMap((page) => page.users?.map((user) => user.primaryEmail ?? '') ?? []);
    assert.equal(addresses.length, 1200);
    assert.deepEqual(addresses, [...addresses].sort().reverse());
  });

  it('pages through a query and accepts another maxResults on the next page', async () => {
    const first = await list({ query: "orgUnitPath='/Odd'", maxResults: 250 });
    const second = await list({
      query: "orgUnitPath='/Odd'",
      maxResults: 400,
      pageToken: first.data.nextPageToken ?? '',
    });
    assert.equal(first.data.users?.length, 250);
    assert.equal(second.data.users?.length, 350);
    assert.equal(second.data.nextPageToken, undefined);
  });

  it('a fields mask keeps only the selected fields, and nextPageToken when selected', async () => {
    const pages = await allPages((pageToken) =>
      list({
        maxResults: 500,
        fields: 'nextPageToken,users(primaryEmail,name/fullName)',
        ...(pageToken ? { pageToken } : {}),
      }),
    );
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
    bulk.users = bulk.users.map((user) =>
      gone.includes(user.primaryEmail) ? { ...user, deletionTime: '2026-01-02T03:04:05.000Z' } : user,
    );
    directory.fixtures.replace([...demoFixture(), globexOrg(), bulk]);
    const rest = await allPages((pageToken) =>
      list({ maxResults: 500, pageToken: pageToken ?? first.data.nextPageToken ?? '' }),
    );
    const later = rest.flatMap((page) => page.users?.map((user) => user.primaryEmail) ?? []);
    assert.ok(
      later.every((email) => !served.has(email)),
      'no user served twice',
    );
    assert.equal(served.size + later.length, 1199);
  });
});

// "The page token is only valid for three days": the Directory API's own description of Users.nextPageToken (its
// discovery document, as @googleapis/admin's Schema$Users carries it). What Google answers for an older token is not
// published; the stand-in assumes 400 `invalid` "Invalid Input: pageToken", the form of its other Invalid Input errors.
describe('Directory stand-in: page tokens last three days', () => {
  let directory: DirectoryHarness;
  const MINUTE = 60_000;
  const list = (params: admin_directory_v1.Params$Resource$Users$List) =>
    directory.client(BULK_ADMIN_TOKEN).users.list({ customer: 'my_customer', maxResults: 500, ...params });

  before(async () => {
    directory = await startDirectory([...demoFixture(), bulkOrg(1200)]);
  });
  after(() => directory.close());
  afterEach(() => directory.faults.reset());

  it('accepts a page token until three days after it was issued', async () => {
    const token = (await list({})).data.nextPageToken ?? '';
    directory.faults.advanceClock(PAGE_TOKEN_LIFETIME_MS - MINUTE);
    const { data } = await list({ pageToken: token });
    assert.equal(data.users?.length, 500);
  });

  it('refuses a page token older than three days with 400 invalid "Invalid Input: pageToken"', async () => {
    const token = (await list({})).data.nextPageToken ?? '';
    directory.faults.advanceClock(PAGE_TOKEN_LIFETIME_MS + MINUTE);
    const error = await expectGoogleError(list({ pageToken: token }), 400, 'invalid');
    assert.equal(error.message, 'Invalid Input: pageToken');
    // A listing started now gets tokens that are good again.
    const fresh = (await list({})).data.nextPageToken ?? '';
    assert.equal((await list({ pageToken: fresh })).data.users?.length, 500);
  });

  it('ages the tokens of members.list too, and moves its clock through POST /__control/directory/clock', async () => {
    const members = (pageToken?: string) =>
      directory
        .client(BULK_ADMIN_TOKEN)
        .members.list({ groupKey: 'big@bulk.example', maxResults: 200, ...(pageToken ? { pageToken } : {}) });
    const token = (await members()).data.nextPageToken ?? '';
    const moved = await directory.control('POST', '/clock', { advanceMs: PAGE_TOKEN_LIFETIME_MS + MINUTE });
    assert.equal(moved.status, 200);
    assert.ok(
      Date.parse((moved.body as { now: string }).now) > Date.now() + PAGE_TOKEN_LIFETIME_MS,
      'the clock is three days ahead',
    );
    await expectGoogleError(members(token), 400, 'invalid');
    assert.equal(
      (await directory.control('POST', '/clock', { advanceMs: -1 })).status,
      400,
      'the clock never goes back',
    );
    await directory.control('POST', '/reset');
    assert.ok(Math.abs(directory.faults.now() - Date.now()) < 1000, 'reset puts the clock back to real time');
  });
});

// Google's pagination guidance lets a page hold fewer items than asked, none included, before the end of a
// collection, whose end only a missing nextPageToken marks (AIP-158, google.aip.dev/158). The trailingEmptyPage
// quirk makes the stand-in end every listing that way: its last page with items still carries a token, and the page
// that token gives is empty and has none.
describe('Directory stand-in: a listing that ends with an empty page', () => {
  let directory: DirectoryHarness;
  before(async () => {
    directory = await startDirectory([...demoFixture(), bulkOrg(1000)]);
  });
  after(() => directory.close());
  afterEach(() => directory.faults.reset());

  it('gives users.list a last page without users and without a token, after a full page that had one', async () => {
    assert.equal((await directory.control('POST', '/quirks', { trailingEmptyPage: true })).status, 200);
    const pages = await allPages((pageToken) =>
      directory
        .client(BULK_ADMIN_TOKEN)
        .users.list({ customer: 'my_customer', maxResults: 500, ...(pageToken ? { pageToken } : {}) }),
    );
    assert.deepEqual(
      pages.map((page) => [page.users?.length ?? 0, typeof page.nextPageToken]),
      [
        [500, 'string'],
        [500, 'string'],
        [0, 'undefined'],
      ],
    );
    assert.equal('users' in pages[2]!, false, 'an empty page has no users field, as Google leaves out empty lists');
    assert.equal(pages[2]?.kind, 'admin#directory#users');
  });

  it('ends a one-page listing the same way, for members.list too, and only while the quirk is on', async () => {
    directory.faults.setTrailingEmptyPage(true);
    const small = await allPages((pageToken) =>
      directory.client().members.list({ groupKey: 'sales@acme.example', ...(pageToken ? { pageToken } : {}) }),
    );
    assert.deepEqual(
      small.map((page) => (page.members ?? []).length > 0),
      [true, false],
    );
    assert.equal(small[1]?.nextPageToken, undefined);
    assert.equal((await directory.control('POST', '/quirks', { trailingEmptyPage: false })).status, 200);
    const plain = await allPages((pageToken) =>
      directory.client().members.list({ groupKey: 'sales@acme.example', ...(pageToken ? { pageToken } : {}) }),
    );
    assert.equal(plain.length, 1);
    assert.equal((await directory.control('POST', '/quirks', { trailingEmptyPage: 'yes' })).status, 400);
  });

  it('gives an empty listing one empty page without a token, quirk or not', async () => {
    directory.faults.setTrailingEmptyPage(true);
    const { data } = await directory
      .client()
      .users.list({ customer: 'my_customer', showDeleted: 'true', query: "orgUnitPath='/Support'" });
    assert.equal(data.users, undefined);
    assert.equal(data.nextPageToken, undefined);
  });
});
