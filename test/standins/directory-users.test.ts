// Fidelity of users.list and users.get against Google's documentation (reference/rest/v1/users and
// guides/search-users), called through the real @googleapis/admin client.
import assert from 'node:assert/strict';
import { expectGoogleError, startDirectory, type DirectoryHarness } from './directory-harness.ts';

describe('Directory stand-in: users.list', () => {
  let directory: DirectoryHarness;
  before(async () => {
    directory = await startDirectory();
  });
  after(() => directory.close());

  const emails = (users: { primaryEmail?: string | null }[] | undefined): string[] =>
    (users ?? []).map((u) => u.primaryEmail ?? '').sort();

  it('lists the live users of my_customer with kind and etag, deleted users left out', async () => {
    const { data } = await directory.client().users.list({ customer: 'my_customer' });
    assert.equal(data.kind, 'admin#directory#users');
    assert.match(data.etag ?? '', /^".+"$/);
    assert.equal(data.users?.length, 29);
    assert.ok(data.users?.every((user) => !user.deletionTime));
    assert.equal(data.nextPageToken, undefined);
    const admin = data.users?.find((user) => user.primaryEmail === 'admin@acme.example');
    assert.equal(admin?.kind, 'admin#directory#user');
    assert.match(admin?.id ?? '', /^\d{21}$/);
    assert.equal(admin?.customerId, 'C03az79cb');
    assert.equal(admin?.name?.fullName, 'Alex Admin');
  });

  it('accepts the customer id itself and lists every domain of the customer', async () => {
    const { data } = await directory.client().users.list({ customer: 'C03az79cb' });
    assert.equal(data.users?.length, 29);
    assert.ok(data.users?.some((user) => user.primaryEmail === 'ravi.patel@acme-labs.example'));
  });

  it('with domain lists only that domain, secondary domains included', async () => {
    const primary = await directory.client().users.list({ domain: 'acme.example' });
    assert.equal(primary.data.users?.length, 28);
    const secondary = await directory.client().users.list({ domain: 'acme-labs.example' });
    assert.deepEqual(emails(secondary.data.users), ['ravi.patel@acme-labs.example']);
  });

  it('answers 400 Bad Request without customer or domain, and for a domain given as customer', async () => {
    const missing = await expectGoogleError(directory.client().users.list({}), 400, 'badRequest');
    assert.equal(missing.message, 'Bad Request');
    await expectGoogleError(directory.client().users.list({ customer: 'acme.example' }), 400, 'badRequest');
  });

  it('query orgUnitPath matches the whole subtree, quoted or not', async () => {
    const quoted = await directory.client().users.list({ customer: 'my_customer', query: "orgUnitPath='/Sales'" });
    assert.equal(quoted.data.users?.length, 10);
    assert.ok(quoted.data.users?.some((user) => user.orgUnitPath === '/Sales/EMEA'));
    const unquoted = await directory.client().users.list({ customer: 'my_customer', query: 'orgUnitPath=/Sales/EMEA' });
    assert.equal(unquoted.data.users?.length, 5);
    const root = await directory.client().users.list({ customer: 'my_customer', query: "orgUnitPath='/'" });
    assert.equal(root.data.users?.length, 29);
  });

  it('query isSuspended, isArchived, isAdmin and isDelegatedAdmin select by account state', async () => {
    const list = async (query: string) =>
      emails((await directory.client().users.list({ customer: 'my_customer', query })).data.users);
    assert.deepEqual(await list('isSuspended=true'), ['lucas.martin@acme.example']);
    assert.equal((await list('isSuspended=false')).length, 28);
    assert.deepEqual(await list('isArchived=true'), ['nora.lindqvist@acme.example']);
    assert.deepEqual(await list('isAdmin=true'), ['admin@acme.example']);
    assert.deepEqual(await list('isDelegatedAdmin=true'), ['hannah.fischer@acme.example']);
  });

  it('query email= matches aliases exactly, email: matches word prefixes, terms are ANDed', async () => {
    const list = async (query: string) =>
      emails((await directory.client().users.list({ customer: 'my_customer', query })).data.users);
    assert.deepEqual(await list('email=it@acme.example'), ['admin@acme.example']);
    assert.deepEqual(await list('email:priya*'), ['priya.sharma@acme.example']);
    assert.deepEqual(await list("orgUnitPath='/Sales' isSuspended=false email:jonas*"), ['jonas.becker@acme.example']);
    assert.equal((await list("orgUnitPath='/Sales' isSuspended=false")).length, 9);
    assert.deepEqual(await list('Telephony.extension=2101'), ['marcus.reed@acme.example']);
    assert.deepEqual(await list("givenName:'Mei'"), ['mei.chen@acme.example']);
  });

  it('answers Google’s 400 for an unsupported query and for an unknown org unit', async () => {
    const unsupported = await expectGoogleError(
      directory.client().users.list({ customer: 'my_customer', query: 'shoeSize=42' }),
      400,
      'invalid',
    );
    assert.equal(unsupported.message, 'Invalid Input: query');
    assert.deepEqual(unsupported.errors, [{ message: 'Invalid Input: query', domain: 'global', reason: 'invalid' }]);
    const unknownUnit = await expectGoogleError(
      directory.client().users.list({ customer: 'my_customer', query: "orgUnitPath='/Marketing'" }),
      400,
      'invalid',
    );
    assert.equal(unknownUnit.message, 'Invalid Input: INVALID_OU_ID');
    await expectGoogleError(
      directory.client().users.list({ customer: 'my_customer', query: 'isSuspended=maybe' }),
      400,
      'invalid',
    );
  });

  it('showDeleted=true lists only the deleted users, with deletionTime', async () => {
    const { data } = await directory.client().users.list({ customer: 'my_customer', showDeleted: 'true' });
    assert.deepEqual(emails(data.users), ['oscar.johansson@acme.example']);
    assert.equal(data.users?.[0]?.deletionTime, '2025-06-30T16:20:00.000Z');
  });

  it('omits users when nothing matches, as Google does', async () => {
    const { data } = await directory
      .client()
      .users.list({ customer: 'my_customer', query: 'email=nobody@acme.example' });
    assert.equal(data.kind, 'admin#directory#users');
    assert.equal('users' in data, false);
  });

  it('orderBy and sortOrder sort ignoring case; bad values get the front end’s invalidParameter', async () => {
    const ascending = await directory.client().users.list({ customer: 'my_customer', orderBy: 'familyName' });
    const families = ascending.data.users?.map((user) => user.name?.familyName ?? '') ?? [];
    assert.deepEqual(
      families,
      [...families].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );
    const descending = await directory
      .client()
      .users.list({ customer: 'my_customer', orderBy: 'email', sortOrder: 'DESCENDING' });
    const addresses = descending.data.users?.map((user) => user.primaryEmail ?? '') ?? [];
    assert.deepEqual(addresses, [...addresses].sort().reverse());
    const bad = await expectGoogleError(
      directory.client().users.list({ customer: 'my_customer', orderBy: 'age' }),
      400,
      'invalidParameter',
    );
    assert.equal(bad.message, "Invalid string value: 'age'. Allowed values: [email, familyname, givenname]");
    assert.equal(bad.errors[0]?.location, 'orderBy');
  });

  it('projection basic leaves custom schemas out, custom shows the masked ones, full shows all', async () => {
    const find = (users: { primaryEmail?: string | null; customSchemas?: unknown }[] | undefined) =>
      users?.find((user) => user.primaryEmail === 'marcus.reed@acme.example');
    const basic = await directory.client().users.list({ customer: 'my_customer' });
    assert.equal(find(basic.data.users)?.customSchemas, undefined);
    const custom = await directory
      .client()
      .users.list({ customer: 'my_customer', projection: 'custom', customFieldMask: 'Telephony' });
    assert.deepEqual(find(custom.data.users)?.customSchemas, { Telephony: { extension: '2101' } });
    const otherMask = await directory
      .client()
      .users.list({ customer: 'my_customer', projection: 'custom', customFieldMask: 'Payroll' });
    assert.equal(find(otherMask.data.users)?.customSchemas, undefined);
    const full = await directory.client().users.list({ customer: 'my_customer', projection: 'full' });
    assert.deepEqual(find(full.data.users)?.customSchemas, { Telephony: { extension: '2101' } });
  });

  it('serves phones, organizations and externalIds as the resource carries them', async () => {
    const { data } = await directory
      .client()
      .users.list({ customer: 'my_customer', query: 'email=marcus.reed@acme.example' });
    const marcus = data.users?.[0];
    assert.deepEqual(marcus?.externalIds, [{ type: 'organization', value: '2101' }]);
    assert.deepEqual(
      (marcus?.phones as Array<{ type: string }> | undefined)?.map((phone) => phone.type),
      ['work', 'mobile'],
    );
    assert.equal(marcus?.organizations?.[0]?.title, 'Head of Sales');
    assert.equal(marcus?.organizations?.[0]?.primary, true);
  });

  it('viewType=domain_public lets a non-admin read the public card only', async () => {
    const { data } = await directory
      .client('employee')
      .users.list({ customer: 'my_customer', viewType: 'domain_public', projection: 'full' });
    assert.equal(data.users?.length, 29);
    const marcus = data.users?.find((user) => user.primaryEmail === 'marcus.reed@acme.example');
    assert.equal(marcus?.orgUnitPath, undefined);
    assert.equal(marcus?.isAdmin, undefined);
    assert.equal(marcus?.customSchemas, undefined);
    assert.ok(marcus?.phones);
    await expectGoogleError(
      directory
        .client('employee')
        .users.list({ customer: 'my_customer', viewType: 'domain_public', query: "orgUnitPath='/Sales'" }),
      400,
      'invalid',
    );
  });
});

describe('Directory stand-in: users.get', () => {
  let directory: DirectoryHarness;
  before(async () => {
    directory = await startDirectory();
  });
  after(() => directory.close());

  it('finds a user by primary email, alias and id alike', async () => {
    const byEmail = await directory.client().users.get({ userKey: 'priya.sharma@acme.example' });
    const byAlias = await directory.client().users.get({ userKey: 'priya@acme.example' });
    const byId = await directory.client().users.get({ userKey: byEmail.data.id ?? '' });
    assert.equal(byEmail.data.kind, 'admin#directory#user');
    assert.equal(byAlias.data.id, byEmail.data.id);
    assert.equal(byId.data.primaryEmail, 'priya.sharma@acme.example');
    assert.deepEqual(byEmail.data.aliases, ['priya@acme.example']);
  });

  it('applies projection and fields', async () => {
    const { data } = await directory.client().users.get({
      userKey: 'marcus.reed@acme.example',
      projection: 'full',
      fields: 'primaryEmail,name/fullName,customSchemas',
    });
    assert.deepEqual(data, {
      primaryEmail: 'marcus.reed@acme.example',
      name: { fullName: 'Marcus Reed' },
      customSchemas: { Telephony: { extension: '2101' } },
    });
  });

  it('answers 404 Resource Not Found: userKey for unknown and deleted users', async () => {
    const unknown = await expectGoogleError(
      directory.client().users.get({ userKey: 'nobody@acme.example' }),
      404,
      'notFound',
    );
    assert.equal(unknown.message, 'Resource Not Found: userKey');
    await expectGoogleError(directory.client().users.get({ userKey: 'oscar.johansson@acme.example' }), 404, 'notFound');
  });

  it('answers 403 for a user of another customer', async () => {
    const error = await expectGoogleError(
      directory.client().users.get({ userKey: 'hank.scorpio@globex.example' }),
      403,
      'forbidden',
    );
    assert.equal(error.message, 'Not Authorized to access this resource/api');
  });

  // Google answers users.get of a group member who belongs to another Workspace with 403 forbidden, by address or
  // by the id members.list gives (https://github.com/slashdevops/idp-scim-sync/issues/49, "googleapi: Error 403:
  // Not Authorized to access this resource/api, forbidden" for a guest of another organisation); a member with no
  // Workspace account at all is not found.
  it('answers 403 for a group member of another Workspace, by the id members.list gives, and 404 for one with no Workspace account', async () => {
    const { data } = await directory.client().members.list({ groupKey: 'support@acme.example' });
    const idOf = (email: string) => data.members?.find((member) => member.email === email)?.id ?? '';
    const partner = await expectGoogleError(
      directory.client().users.get({ userKey: idOf('sam.lee@northwind.example') }),
      403,
      'forbidden',
    );
    assert.equal(partner.message, 'Not Authorized to access this resource/api');
    await expectGoogleError(directory.client().users.get({ userKey: 'sam.lee@northwind.example' }), 403, 'forbidden');
    const consumer = await expectGoogleError(
      directory.client().users.get({ userKey: idOf('partner.support@contractor.example') }),
      404,
      'notFound',
    );
    assert.equal(consumer.message, 'Resource Not Found: userKey');
  });
});
