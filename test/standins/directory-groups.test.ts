// Fidelity of groups.list, members.list, members.hasMember and orgunits.list: caps of 200, paging, membership by
// userKey, roles, derived (nested) membership, and the organisational unit listing types.
import assert from 'node:assert/strict';
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

describe('Directory stand-in: groups, members and org units', () => {
  let directory: DirectoryHarness;
  before(async () => {
    directory = await startDirectory([...demoFixture(), globexOrg(), bulkOrg(1200, 450)]);
  });
  after(() => directory.close());

  const sorted = (values: (string | null | undefined)[] | undefined): string[] =>
    (values ?? []).map((value) => value ?? '').sort();

  describe('groups.list', () => {
    it('lists the groups of my_customer with their direct member counts', async () => {
      const { data } = await directory.client().groups.list({ customer: 'my_customer' });
      assert.equal(data.kind, 'admin#directory#groups');
      assert.deepEqual(sorted(data.groups?.map((group) => group.email)), [
        'all-staff@acme.example',
        'engineering@acme.example',
        'sales-emea@acme.example',
        'sales@acme.example',
        'support@acme.example',
      ]);
      const sales = data.groups?.find((group) => group.email === 'sales@acme.example');
      assert.equal(sales?.kind, 'admin#directory#group');
      assert.equal(sales?.directMembersCount, '6');
      assert.match(sales?.id ?? '', /^[0-9a-z]{15}$/);
    });

    it('with domain lists that domain only; without customer, domain or userKey answers 400', async () => {
      const { data } = await directory.client().groups.list({ domain: 'acme-labs.example' });
      assert.equal('groups' in data, false);
      await expectGoogleError(directory.client().groups.list({}), 400, 'badRequest');
    });

    it('with userKey lists the groups the user or address is a direct member of', async () => {
      const byEmail = await directory.client().groups.list({ userKey: 'marcus.reed@acme.example' });
      assert.deepEqual(sorted(byEmail.data.groups?.map((group) => group.email)), [
        'sales-emea@acme.example',
        'sales@acme.example',
      ]);
      const user = await directory.client().users.get({ userKey: 'jonas.becker@acme.example' });
      const byId = await directory.client().groups.list({ userKey: user.data.id ?? '' });
      assert.deepEqual(sorted(byId.data.groups?.map((group) => group.email)), ['sales-emea@acme.example']);
      const external = await directory.client().groups.list({ userKey: 'partner.support@contractor.example' });
      assert.deepEqual(sorted(external.data.groups?.map((group) => group.email)), ['support@acme.example']);
      await expectGoogleError(
        directory.client().groups.list({ userKey: 'marcus.reed@acme.example', customer: 'my_customer' }),
        400,
        'badRequest',
      );
    });

    it('returns at most 200 groups a page, even when asked for more, and pages to the end', async () => {
      const client = directory.client(BULK_ADMIN_TOKEN);
      const { data } = await client.groups.list({ customer: 'my_customer', maxResults: 500 });
      assert.equal(data.groups?.length, 200);
      const pages = await allPages((pageToken) =>
        client.groups.list({ customer: 'my_customer', maxResults: 500, ...(pageToken ? { pageToken } : {}) }),
      );
      assert.deepEqual(
        pages.map((page) => page.groups?.length),
        [200, 200, 51],
      );
      assert.equal(new Set(pages.flatMap((page) => page.groups?.map((group) => group.id))).size, 451);
    });
  });

  describe('members.list', () => {
    it('lists the direct members, a nested group as a GROUP member', async () => {
      const { data } = await directory.client().members.list({ groupKey: 'sales@acme.example' });
      assert.equal(data.kind, 'admin#directory#members');
      assert.equal(data.members?.length, 6);
      const nested = data.members?.find((member) => member.type === 'GROUP');
      assert.equal(nested?.email, 'sales-emea@acme.example');
      const owner = data.members?.find((member) => member.role === 'OWNER');
      assert.equal(owner?.email, 'marcus.reed@acme.example');
      assert.equal(owner?.kind, 'admin#directory#member');
      assert.equal(data.members?.find((member) => member.email === 'lucas.martin@acme.example')?.status, 'SUSPENDED');
    });

    it('finds the group by alias and by id', async () => {
      const byAlias = await directory.client().members.list({ groupKey: 'helpdesk@acme.example' });
      const groups = await directory.client().groups.list({ customer: 'my_customer' });
      const support = groups.data.groups?.find((group) => group.email === 'support@acme.example');
      const byId = await directory.client().members.list({ groupKey: support?.id ?? '' });
      assert.equal(byAlias.data.members?.length, 7);
      assert.deepEqual(byId.data.members, byAlias.data.members);
    });

    it('filters by roles', async () => {
      const owners = await directory.client().members.list({ groupKey: 'sales@acme.example', roles: 'OWNER' });
      assert.deepEqual(
        owners.data.members?.map((member) => member.email),
        ['marcus.reed@acme.example'],
      );
      const managers = await directory
        .client()
        .members.list({ groupKey: 'sales-emea@acme.example', roles: 'OWNER,MANAGER' });
      assert.deepEqual(sorted(managers.data.members?.map((member) => member.email)), [
        'marcus.reed@acme.example',
        'sophie.dubois@acme.example',
      ]);
    });

    it('includeDerivedMembership adds the members of nested groups, each once', async () => {
      const { data } = await directory
        .client()
        .members.list({ groupKey: 'sales@acme.example', includeDerivedMembership: true });
      const addresses = data.members?.map((member) => member.email) ?? [];
      assert.equal(addresses.length, 11);
      assert.equal(new Set(addresses).size, 11);
      for (const email of [
        'sophie.dubois@acme.example',
        'jonas.becker@acme.example',
        'nora.lindqvist@acme.example',
        'sales-emea@acme.example',
      ])
        assert.ok(addresses.includes(email), email);
      // Marcus is a direct OWNER and an inherited MANAGER: listed once, with his direct role.
      assert.deepEqual(
        data.members?.filter((member) => member.email === 'marcus.reed@acme.example').map((member) => member.role),
        ['OWNER'],
      );
    });

    it('lists the customer itself as a CUSTOMER member', async () => {
      const { data } = await directory.client().members.list({ groupKey: 'all-staff@acme.example' });
      const customer = data.members?.find((member) => member.type === 'CUSTOMER');
      assert.equal(customer?.id, 'C03az79cb');
      assert.equal(customer?.email, undefined);
    });

    it('returns at most 200 members a page and pages to the end with each member once', async () => {
      const client = directory.client(BULK_ADMIN_TOKEN);
      const { data } = await client.members.list({ groupKey: 'big@bulk.example', maxResults: 1000 });
      assert.equal(data.members?.length, 200);
      const pages = await allPages((pageToken) =>
        client.members.list({ groupKey: 'big@bulk.example', ...(pageToken ? { pageToken } : {}) }),
      );
      assert.equal(pages.length, 6);
      assert.equal(new Set(pages.flatMap((page) => page.members?.map((member) => member.email))).size, 1199);
    });
  });

  describe('members.hasMember', () => {
    it('says whether a user is a member, directly or through a nested group, by e-mail or id', async () => {
      const client = directory.client();
      const isMember = async (groupKey: string, memberKey: string) =>
        (await client.members.hasMember({ groupKey, memberKey })).data.isMember;
      assert.equal(await isMember('sales@acme.example', 'marcus.reed@acme.example'), true, 'direct');
      const jonas = await client.users.get({ userKey: 'jonas.becker@acme.example' });
      assert.equal(await isMember('sales@acme.example', jonas.data.id ?? ''), true, 'through sales-emea, by id');
      assert.equal(await isMember('engineering@acme.example', 'marcus.reed@acme.example'), false);
      await expectGoogleError(
        client.members.hasMember({ groupKey: 'sales@acme.example', memberKey: 'nobody@acme.example' }),
        404,
        'notFound',
      );
      await expectGoogleError(
        client.members.hasMember({ groupKey: 'villains@globex.example', memberKey: 'root@globex.example' }),
        403,
        'forbidden',
      );
    });

    // "if nested, the memberKey and groupKey must be entities in the same domain or an Invalid input error is
    // returned" (https://developers.google.com/admin-sdk/directory/reference/rest/v1/members/hasMember); the
    // error's text as in https://github.com/googleapis/google-api-java-client/issues/1082.
    it('answers 400 "Invalid Input: memberKey" for a user of another domain unless a direct member', async () => {
      const client = directory.client();
      // ravi.patel@acme-labs.example is in /Engineering: a direct member of engineering@, of all-staff@ only as the
      // customer.
      assert.equal(
        (
          await client.members.hasMember({
            groupKey: 'engineering@acme.example',
            memberKey: 'ravi.patel@acme-labs.example',
          })
        ).data.isMember,
        true,
      );
      const error = await expectGoogleError(
        client.members.hasMember({ groupKey: 'sales@acme.example', memberKey: 'ravi.patel@acme-labs.example' }),
        400,
        'invalid',
      );
      assert.equal(error.message, 'Invalid Input: memberKey');
    });
  });

  describe('orgunits.list', () => {
    const paths = (units: { orgUnitPath?: string | null }[] | undefined): string[] =>
      sorted(units?.map((unit) => unit.orgUnitPath));

    it('lists the immediate children of the root by default', async () => {
      const { data } = await directory.client().orgunits.list({ customerId: 'my_customer' });
      assert.equal(data.kind, 'admin#directory#orgUnits');
      assert.deepEqual(paths(data.organizationUnits), ['/Engineering', '/Sales', '/Support']);
      const sales = data.organizationUnits?.find((unit) => unit.orgUnitPath === '/Sales');
      assert.equal(sales?.kind, 'admin#directory#orgUnit');
      assert.equal(sales?.name, 'Sales');
      assert.equal(sales?.parentOrgUnitPath, '/');
      assert.match(sales?.orgUnitId ?? '', /^id:/);
    });

    it('type=all lists every unit below, allIncludingParent adds the parent', async () => {
      const all = await directory.client().orgunits.list({ customerId: 'C03az79cb', type: 'all' });
      assert.deepEqual(paths(all.data.organizationUnits), ['/Engineering', '/Sales', '/Sales/EMEA', '/Support']);
      const withParent = await directory
        .client()
        .orgunits.list({ customerId: 'my_customer', type: 'allIncludingParent' });
      assert.deepEqual(paths(withParent.data.organizationUnits), [
        '/',
        '/Engineering',
        '/Sales',
        '/Sales/EMEA',
        '/Support',
      ]);
      assert.equal(
        withParent.data.organizationUnits?.find((unit) => unit.orgUnitPath === '/')?.name,
        'Acme Corporation',
      );
    });

    it('orgUnitPath picks the parent, by path (with or without slash) or id', async () => {
      const children = await directory.client().orgunits.list({ customerId: 'my_customer', orgUnitPath: '/Sales' });
      assert.deepEqual(paths(children.data.organizationUnits), ['/Sales/EMEA']);
      const noSlash = await directory
        .client()
        .orgunits.list({ customerId: 'my_customer', orgUnitPath: 'Sales', type: 'ALL_INCLUDING_PARENT' });
      assert.deepEqual(paths(noSlash.data.organizationUnits), ['/Sales', '/Sales/EMEA']);
      const emea = children.data.organizationUnits?.[0];
      const byId = await directory
        .client()
        .orgunits.list({ customerId: 'my_customer', orgUnitPath: emea?.orgUnitId ?? '', type: 'all' });
      assert.equal('organizationUnits' in byId.data, false);
    });

    it('answers 404 for an unknown unit and 400 for an unknown type', async () => {
      await expectGoogleError(
        directory.client().orgunits.list({ customerId: 'my_customer', orgUnitPath: '/Marketing' }),
        404,
        'notFound',
      );
      await expectGoogleError(
        directory.client().orgunits.list({ customerId: 'my_customer', type: 'grandchildren' }),
        400,
        'invalidParameter',
      );
    });

    it('applies a fields mask', async () => {
      const { data } = await directory
        .client()
        .orgunits.list({ customerId: 'my_customer', fields: 'organizationUnits(orgUnitPath)' });
      assert.deepEqual(data, {
        organizationUnits: [{ orgUnitPath: '/Sales' }, { orgUnitPath: '/Engineering' }, { orgUnitPath: '/Support' }],
      });
    });
  });
});
