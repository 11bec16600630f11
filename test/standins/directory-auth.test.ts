// Fidelity of the Directory stand-in's authentication and authorisation errors: 401 for missing or unknown
// tokens, 403 insufficientPermissions for missing scopes, 403 forbidden for non-admins and other customers,
// 404 notFound for unknown keys; every body in Google's error shape.
import assert from 'node:assert/strict';
import { expectGoogleError, startDirectory, type DirectoryHarness } from './directory-harness.ts';

describe('Directory stand-in: authentication and authorisation', () => {
  let directory: DirectoryHarness;
  before(async () => {
    directory = await startDirectory();
  });
  after(() => directory.close());

  it('answers 401 Login Required to a request without a token', async () => {
    const response = await fetch(`${directory.baseUrl}/admin/directory/v1/users?customer=my_customer`);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="https:\/\/accounts\.google\.com\/"/);
    const body = (await response.json()) as { error: { code: number; status: string; errors: unknown[] } };
    assert.equal(body.error.code, 401);
    assert.equal(body.error.status, 'UNAUTHENTICATED');
    assert.deepEqual(body.error.errors, [
      {
        message: 'Login Required.',
        domain: 'global',
        reason: 'required',
        location: 'Authorization',
        locationType: 'header',
      },
    ]);
  });

  it('answers 401 Invalid Credentials to an unknown token', async () => {
    const error = await expectGoogleError(
      directory.client('made-up-token').users.list({ customer: 'my_customer' }),
      401,
      'authError',
    );
    assert.match(error.message, /^Request had invalid authentication credentials\./);
    assert.deepEqual(error.errors[0], {
      message: 'Invalid Credentials',
      domain: 'global',
      reason: 'authError',
      location: 'Authorization',
      locationType: 'header',
    });
    assert.equal(error.status, 'UNAUTHENTICATED');
  });

  it('accepts the token as access_token query parameter too', async () => {
    const response = await fetch(
      `${directory.baseUrl}/admin/directory/v1/users?customer=my_customer&maxResults=1&access_token=admin`,
    );
    assert.equal(response.status, 200);
  });

  it('answers 403 insufficientPermissions when the token lacks every scope of the method', async () => {
    const users = await expectGoogleError(
      directory.client('adminGroupsOnly').users.list({ customer: 'my_customer' }),
      403,
      'insufficientPermissions',
    );
    assert.equal(users.message, 'Request had insufficient authentication scopes.');
    assert.equal(users.status, 'PERMISSION_DENIED');
    await expectGoogleError(
      directory.client('adminGroupsOnly').users.get({ userKey: 'admin@acme.example' }),
      403,
      'insufficientPermissions',
    );
    await expectGoogleError(
      directory.client('adminUsersOnly').groups.list({ customer: 'my_customer' }),
      403,
      'insufficientPermissions',
    );
    await expectGoogleError(
      directory.client('adminUsersOnly').members.list({ groupKey: 'sales@acme.example' }),
      403,
      'insufficientPermissions',
    );
    await expectGoogleError(
      directory.client('adminMembersOnly').groups.list({ customer: 'my_customer' }),
      403,
      'insufficientPermissions',
    );
    await expectGoogleError(
      directory.client('adminUsersOnly').orgunits.list({ customerId: 'my_customer' }),
      403,
      'insufficientPermissions',
    );
    await expectGoogleError(
      directory.client('adminOpenIdOnly').users.list({ customer: 'my_customer' }),
      403,
      'insufficientPermissions',
    );
  });

  it('accepts any one of the method’s scopes: members.list with group.member.readonly or group.readonly', async () => {
    const byMemberScope = await directory.client('adminMembersOnly').members.list({ groupKey: 'sales@acme.example' });
    const byGroupScope = await directory.client('adminGroupsOnly').members.list({ groupKey: 'sales@acme.example' });
    assert.equal(byMemberScope.data.members?.length, byGroupScope.data.members?.length);
  });

  it('answers 403 forbidden to callers who are not administrators', async () => {
    for (const token of ['employee', 'suspended', 'stranger']) {
      const error = await expectGoogleError(
        directory.client(token).users.list({ customer: 'my_customer' }),
        403,
        'forbidden',
      );
      assert.deepEqual(error.errors, [
        { message: 'Not Authorized to access this resource/api', domain: 'global', reason: 'forbidden' },
      ]);
    }
    await expectGoogleError(
      directory.client('employee').users.get({ userKey: 'admin@acme.example' }),
      403,
      'forbidden',
    );
    await expectGoogleError(directory.client('employee').groups.list({ customer: 'my_customer' }), 403, 'forbidden');
    await expectGoogleError(
      directory.client('employee').orgunits.list({ customerId: 'my_customer' }),
      403,
      'forbidden',
    );
  });

  it('lets super admins (also through an alias) read everything', async () => {
    for (const token of ['admin', 'adminByAlias']) {
      const { data } = await directory.client(token).users.list({ customer: 'my_customer', maxResults: 5 });
      assert.equal(data.users?.length, 5);
    }
    const globex = await directory.client('globexAdmin').users.list({ customer: 'my_customer' });
    assert.deepEqual(globex.data.users?.map((user) => user.primaryEmail).sort(), [
      'hank.scorpio@globex.example',
      'root@globex.example',
    ]);
  });

  // A delegated admin reads what their roles' privileges allow, where their role assignments reach: the demo's
  // Support Team Admin role (USERS_RETRIEVE, ORGANIZATION_UNITS_RETRIEVE) is assigned for /Support only
  // (RoleAssignment.orgUnitId, https://developers.google.com/admin-sdk/directory/reference/rest/v1/roleAssignments).
  it('gives a delegated admin scoped to a unit part of the directory: the users and units of /Support, no groups', async () => {
    const delegated = directory.client('delegated');
    const { data } = await delegated.users.list({ customer: 'my_customer', maxResults: 500 });
    const units = new Set(data.users?.map((user) => user.orgUnitPath));
    assert.deepEqual([...units], ['/Support']);
    assert.equal(data.users?.length, 5);
    const own = await delegated.users.get({ userKey: 'grace.murphy@acme.example' });
    assert.equal(own.data.orgUnitPath, '/Support');
    // No source settles whether Google answers 403 or 404 outside the role; the stand-in answers 403.
    await expectGoogleError(delegated.users.get({ userKey: 'marcus.reed@acme.example' }), 403, 'forbidden');
    await expectGoogleError(delegated.groups.list({ customer: 'my_customer' }), 403, 'forbidden');
    await expectGoogleError(delegated.members.list({ groupKey: 'support@acme.example' }), 403, 'forbidden');
    const orgUnits = await delegated.orgunits.list({ customerId: 'my_customer', type: 'all' });
    assert.deepEqual(
      orgUnits.data.organizationUnits?.map((unit) => unit.orgUnitPath),
      ['/Support'],
    );
    const full = await directory.client('admin').users.list({ customer: 'my_customer', maxResults: 500 });
    assert.ok((full.data.users?.length ?? 0) > 25, 'a super admin sees the whole directory');
  });

  it("answers 403 forbidden for another customer's resources", async () => {
    const client = directory.client();
    await expectGoogleError(client.users.list({ customer: 'C04gl0b3x' }), 403, 'forbidden');
    await expectGoogleError(client.users.list({ domain: 'globex.example' }), 403, 'forbidden');
    await expectGoogleError(client.users.list({ customer: 'my_customer', domain: 'globex.example' }), 403, 'forbidden');
    await expectGoogleError(client.users.list({ domain: 'unknown.example' }), 403, 'forbidden');
    await expectGoogleError(client.users.get({ userKey: 'root@globex.example' }), 403, 'forbidden');
    await expectGoogleError(client.groups.list({ domain: 'globex.example' }), 403, 'forbidden');
    await expectGoogleError(client.members.list({ groupKey: 'villains@globex.example' }), 403, 'forbidden');
    await expectGoogleError(client.orgunits.list({ customerId: 'C04gl0b3x' }), 403, 'forbidden');
  });

  it('answers 404 notFound for unknown users and groups', async () => {
    const user = await expectGoogleError(
      directory.client().users.get({ userKey: '100000000000000000000' }),
      404,
      'notFound',
    );
    assert.deepEqual(user.errors, [{ message: 'Resource Not Found: userKey', domain: 'global', reason: 'notFound' }]);
    assert.equal(user.status, 'NOT_FOUND');
    const group = await expectGoogleError(
      directory.client().members.list({ groupKey: 'nothing@acme.example' }),
      404,
      'notFound',
    );
    assert.equal(group.message, 'Resource Not Found: groupKey');
  });
});
