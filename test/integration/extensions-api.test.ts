// The "Extension" tab's API through the gateway, as the console calls it: local extensions are added, edited and
// deleted with their e-mail keys in step; Google-managed ones cannot be deleted and their five fields are
// read-only; a refused request writes nothing; and an admin only ever sees its own tenant's extensions.
import assert from 'node:assert/strict';
import { getApp } from '../../functions/src/app.ts';
import { useStack } from '../support/stack.ts';
import { createTestTenant, signInAdmin, type TestTenant } from '../support/tenants.ts';

interface Answer {
  readonly status: number;
  readonly body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

interface Row {
  readonly number: string;
  readonly email: string;
  readonly source: string;
}

type Api = (method: string, path: string, body?: object) => Promise<Answer>;

async function apiAs(tenant: TestTenant): Promise<Api> {
  const { addresses } = await useStack();
  const token = await signInAdmin(tenant.adminEmail, tenant.adminPassword);
  return async (method, path, body) => {
    const response = await fetch(`${addresses.publicBaseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body && { 'Content-Type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
}

async function numbers(api: Api): Promise<string[]> {
  const { status, body } = await api('GET', '/api/extensions');
  assert.equal(status, 200);
  return (body['extensions'] as Row[]).map((row) => row.number);
}

const tenantDoc = (tenant: TestTenant, path: string) => getApp().db.doc(`tenants/${tenant.tenantId}/${path}`);
const read = async (tenant: TestTenant, path: string) => (await tenantDoc(tenant, path).get()).data();
const keyIds = async (tenant: TestTenant) =>
  (await getApp().db.collection(`tenants/${tenant.tenantId}/extensionEmails`).listDocuments())
    .map((doc) => doc.id)
    .sort();

const fields = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  mobile: '+44 20 7946 0001',
  jobTitle: 'Analyst',
};

// What the sync writes for a linked Google user, with both of its uniqueness keys.
async function seedGoogleManaged(tenant: TestTenant): Promise<Record<string, unknown>> {
  const extension = {
    number: '300',
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@acme.example',
    mobile: '+1 555 0100',
    jobTitle: 'Rear Admiral',
    source: 'google',
    google: { userId: '1001', primaryEmail: 'grace@acme.example', orgUnitPath: '/Navy', status: 'active' },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
  const batch = getApp().db.batch();
  batch.create(tenantDoc(tenant, 'extensions/300'), extension);
  batch.create(tenantDoc(tenant, 'extensionEmails/grace@acme.example'), { number: '300' });
  batch.create(tenantDoc(tenant, 'googleLinks/1001'), { number: '300' });
  await batch.commit();
  return extension;
}

describe('extensions API', function () {
  this.timeout(60_000);

  it('adds, lists, edits and deletes a local extension, keeping its e-mail key in step', async () => {
    const tenant = await createTestTenant();
    const api = await apiAs(tenant);
    const created = await api('POST', '/api/extensions', { number: '101', ...fields });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual(created.body['extension'], { number: '101', ...fields, source: 'local' });
    assert.deepEqual((await api('GET', '/api/extensions')).body['extensions'], [
      { number: '101', ...fields, source: 'local' },
    ]);
    assert.deepEqual(await read(tenant, 'extensionEmails/ada@example.com'), { number: '101' });

    const edited = await api('PATCH', '/api/extensions/101', { firstName: ' Augusta ', email: 'Augusta@Example.com' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const stored = await read(tenant, 'extensions/101');
    assert.equal(stored?.['firstName'], 'Augusta');
    assert.equal(stored?.['email'], 'Augusta@Example.com');
    assert.equal(stored?.['lastName'], 'Lovelace');
    assert.ok(String(stored?.['updatedAt']) > String(stored?.['createdAt']));
    assert.deepEqual(await keyIds(tenant), ['augusta@example.com'], 'the e-mail key moved in the same write');

    const deleted = await api('DELETE', '/api/extensions/101');
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal(await read(tenant, 'extensions/101'), undefined);
    assert.deepEqual(await keyIds(tenant), []);
    assert.deepEqual(await read(tenant, 'freeNumbers/101'), { value: 101 });
    assert.equal((await api('DELETE', '/api/extensions/101')).status, 404);

    // Taking a freed number again takes it off the allocator's list.
    assert.equal((await api('POST', '/api/extensions', { number: '101', email: 'new@example.com' })).status, 200);
    assert.equal(await read(tenant, 'freeNumbers/101'), undefined);
  });

  it('lists extensions in numeric order, "99" before "100"', async () => {
    const tenant = await createTestTenant();
    const api = await apiAs(tenant);
    for (const number of ['100', '99', '1000', '20', '1001']) {
      assert.equal((await api('POST', '/api/extensions', { number, email: `x${number}@example.com` })).status, 200);
    }
    assert.deepEqual(await numbers(api), ['20', '99', '100', '1000', '1001']);
  });

  it('refuses a taken number or e-mail with 409 and writes nothing', async () => {
    const tenant = await createTestTenant();
    const api = await apiAs(tenant);
    await api('POST', '/api/extensions', { number: '201', ...fields });
    await api('POST', '/api/extensions', { number: '202', email: 'bob@example.com' });

    const sameNumber = await api('POST', '/api/extensions', { number: '201', email: 'other@example.com' });
    assert.equal(sameNumber.status, 409);
    assert.equal(sameNumber.body.error?.message, 'Extension 201 already exists.');
    const sameEmail = await api('POST', '/api/extensions', { number: '203', email: 'ADA@example.com' });
    assert.equal(sameEmail.status, 409);
    assert.equal(sameEmail.body.error?.message, 'The e-mail address ADA@example.com is already used by extension 201.');
    const takenByEdit = await api('PATCH', '/api/extensions/202', { firstName: 'Bob', email: 'Ada@Example.com' });
    assert.equal(takenByEdit.status, 409);

    assert.deepEqual(await numbers(api), ['201', '202']);
    assert.deepEqual(await keyIds(tenant), ['ada@example.com', 'bob@example.com']);
    assert.deepEqual(await read(tenant, 'extensionEmails/ada@example.com'), { number: '201' });
    const bob = await read(tenant, 'extensions/202');
    assert.equal(bob?.['email'], 'bob@example.com');
    assert.equal(bob?.['firstName'], '', 'a refused edit changes no field');
    assert.equal(await read(tenant, 'extensions/201').then((ada) => ada?.['email']), 'ada@example.com');
  });

  it('lets exactly one of two simultaneous adds take a number or an e-mail', async () => {
    const tenant = await createTestTenant();
    const api = await apiAs(tenant);
    const sameNumber = await Promise.all(
      ['p@example.com', 'q@example.com'].map((email) => api('POST', '/api/extensions', { number: '210', email })),
    );
    assert.deepEqual(sameNumber.map((answer) => answer.status).sort(), [200, 409]);
    const sameEmail = await Promise.all(
      ['211', '212'].map((number) => api('POST', '/api/extensions', { number, email: 'r@example.com' })),
    );
    assert.deepEqual(sameEmail.map((answer) => answer.status).sort(), [200, 409]);
    assert.equal((await numbers(api)).length, 2);
    assert.equal((await keyIds(tenant)).length, 2, 'no key without its extension');
  });

  it('validates input, and never lets a client set the number, source or Google link', async () => {
    const tenant = await createTestTenant();
    const api = await apiAs(tenant);
    const refusals: Array<[string, string, object, number, RegExp]> = [
      ['POST', '/api/extensions', { number: '0123', email: 'a@example.com' }, 400, /"Extension" must be 2 to 7 digits/],
      [
        'POST',
        '/api/extensions',
        { number: '12345678', email: 'a@example.com' },
        400,
        /"Extension" must be 2 to 7 digits/,
      ],
      ['POST', '/api/extensions', { number: '401' }, 400, /"Email Address" is required/],
      [
        'POST',
        '/api/extensions',
        { number: '401', email: 'not-an-email' },
        400,
        /"Email Address" must be a valid e-mail address/,
      ],
      [
        'POST',
        '/api/extensions',
        { number: '401', email: 'a@example.com', mobile: 'call me' },
        400,
        /"Mobile Number" may hold only/,
      ],
      [
        'POST',
        '/api/extensions',
        { number: '401', email: 'a@example.com', nickname: 'A' },
        400,
        /Unknown field\(s\): nickname/,
      ],
      [
        'POST',
        '/api/extensions',
        { number: '401', email: 'a@example.com', source: 'google' },
        403,
        /cannot be set: source/,
      ],
      [
        'POST',
        '/api/extensions',
        { number: '401', email: 'a@example.com', google: { userId: '1' } },
        403,
        /cannot be set: google/,
      ],
      ['PATCH', '/api/extensions/402', { number: '403' }, 403, /cannot be set: number/],
      ['PATCH', '/api/extensions/402', { source: 'google' }, 403, /cannot be set: source/],
      ['PATCH', '/api/extensions/402', {}, 400, /Send at least one of First Name/],
      ['PATCH', '/api/extensions/402', { email: '' }, 400, /"Email Address" is required/],
      ['PATCH', '/api/extensions/abc', { firstName: 'A' }, 404, /no such extension/],
      ['PATCH', '/api/extensions/402%2Fx', { firstName: 'A' }, 404, /no such extension/],
      ['DELETE', '/api/extensions/..%2F..%2Fintegration', {}, 404, /no such extension/],
    ];
    await api('POST', '/api/extensions', { number: '402', email: 'c@example.com' });
    for (const [method, path, body, status, message] of refusals) {
      const answer = await api(method, path, body);
      assert.equal(answer.status, status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.error?.message ?? '', message);
    }
    assert.deepEqual(await numbers(api), ['402']);
    assert.deepEqual(await keyIds(tenant), ['c@example.com']);
    assert.equal((await read(tenant, 'extensions/402'))?.['source'], 'local');
  });

  it('refuses to delete a Google-managed extension or change any of its five fields, and changes nothing', async () => {
    const tenant = await createTestTenant();
    const api = await apiAs(tenant);
    const seeded = await seedGoogleManaged(tenant);
    const listed = (await api('GET', '/api/extensions')).body['extensions'] as Row[];
    assert.deepEqual(
      listed.map((row) => [row.number, row.source]),
      [['300', 'google']],
    );
    assert.equal('google' in (listed[0] ?? {}), false, "the Google user's id stays on the server");

    const deleted = await api('DELETE', '/api/extensions/300');
    assert.equal(deleted.status, 403);
    assert.equal(deleted.body.error?.message, 'This extension is managed by Google Workspace and cannot be deleted.');
    const labels = {
      firstName: 'First Name',
      lastName: 'Last Name',
      email: 'Email Address',
      mobile: 'Mobile Number',
      jobTitle: 'Job Title',
    };
    for (const [field, label] of Object.entries(labels)) {
      const edited = await api('PATCH', '/api/extensions/300', {
        [field]: field === 'email' ? 'other@acme.example' : '+1 555 0199',
      });
      assert.equal(edited.status, 403, field);
      assert.match(
        edited.body.error?.message ?? '',
        new RegExp(`managed by Google Workspace, so its ${label} cannot be changed`),
      );
    }
    const both = await api('PATCH', '/api/extensions/300', { firstName: 'G', jobTitle: 'Admiral' });
    assert.match(both.body.error?.message ?? '', /its First Name and Job Title cannot be changed/);
    // Sending the fields as they are changes nothing, so it is not refused (and not written).
    const unchanged = await api('PATCH', '/api/extensions/300', { firstName: 'Grace', email: 'grace@acme.example' });
    assert.equal(unchanged.status, 200);

    assert.deepEqual(await read(tenant, 'extensions/300'), seeded);
    assert.deepEqual(await keyIds(tenant), ['grace@acme.example']);
    assert.deepEqual(await read(tenant, 'googleLinks/1001'), { number: '300' });
    assert.equal(await read(tenant, 'freeNumbers/300'), undefined);
  });

  it("keeps each tenant's extensions to its own admins, on every plan", async () => {
    const acme = await createTestTenant();
    const other = await createTestTenant({ plan: 'essentials' });
    const acmeApi = await apiAs(acme);
    const otherApi = await apiAs(other);
    await acmeApi('POST', '/api/extensions', { number: '500', ...fields });
    assert.equal(
      (await otherApi('POST', '/api/extensions', { number: '501', ...fields })).status,
      200,
      'e-mails are unique per tenant',
    );

    assert.deepEqual(await numbers(otherApi), ['501']);
    assert.equal((await otherApi('PATCH', '/api/extensions/500', { firstName: 'Mallory' })).status, 404);
    assert.equal((await otherApi('DELETE', '/api/extensions/500')).status, 404);
    assert.equal((await read(acme, 'extensions/500'))?.['firstName'], 'Ada');
    assert.deepEqual(await numbers(acmeApi), ['500']);
    assert.equal(await read(other, 'freeNumbers/500'), undefined);
  });
});
