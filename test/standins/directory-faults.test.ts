// Fault injection, latency and call counters of the Directory stand-in, and its control API at
// /__control/directory: the failures a sync must survive, in the bodies Google sends.
import assert from 'node:assert/strict';
import {
  expectGoogleError,
  globexOrg,
  HARNESS_CLIENT_ID,
  startDirectory,
  type DirectoryHarness,
} from './directory-harness.ts';

describe('Directory stand-in: faults, latency and counters', () => {
  let directory: DirectoryHarness;
  before(async () => {
    directory = await startDirectory();
  });
  after(() => directory.close());
  afterEach(() => {
    directory.faults.reset();
    directory.fixtures.reset();
  });

  // The body the Directory API documents for a 503 ("Troubleshoot error codes",
  // developers.google.com/workspace/admin/directory/v1/guides/troubleshoot-error-codes), which
  // github.com/googleapis/google-api-ruby-client/issues/824 quotes as received: no top-level "status".
  it('answers injected 503s with the body Google documents, the given number of times, then recovers', async () => {
    directory.faults.inject({ method: 'users.list', status: 503, times: 2 });
    for (let i = 0; i < 2; i++) {
      const error = await expectGoogleError(
        directory.client().users.list({ customer: 'my_customer' }),
        503,
        'backendError',
      );
      assert.deepEqual(error, {
        code: 503,
        message: 'Service unavailable. Please try again',
        errors: [{ message: 'Service unavailable. Please try again', domain: 'global', reason: 'backendError' }],
      });
    }
    const { data } = await directory.client().users.list({ customer: 'my_customer' });
    assert.equal(data.users?.length, 29);
  });

  // No Directory API 429 body is published: "Rate Limit Exceeded" in domain usageLimits is assumed from Google's
  // other rate-limit reasons.
  it('shapes rate-limit faults like Google: 403 userRateLimitExceeded, 429 rateLimitExceeded', async () => {
    directory.faults.inject({ status: 403, times: 1 });
    directory.faults.inject({ status: 429, times: 1 });
    directory.faults.inject({ status: 403, reason: 'quotaExceeded', times: 1 });
    const userLimit = await expectGoogleError(
      directory.client().groups.list({ customer: 'my_customer' }),
      403,
      'userRateLimitExceeded',
    );
    assert.deepEqual(userLimit.errors, [
      { message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'userRateLimitExceeded' },
    ]);
    const rateLimit = await expectGoogleError(
      directory.client().members.list({ groupKey: 'sales@acme.example' }),
      429,
      'rateLimitExceeded',
    );
    assert.equal(rateLimit.status, 'RESOURCE_EXHAUSTED');
    assert.deepEqual(rateLimit.errors, [
      { message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' },
    ]);
    await expectGoogleError(directory.client().orgunits.list({ customerId: 'my_customer' }), 403, 'quotaExceeded');
  });

  // Google's answer to a call from a project that has not enabled the API: the message, and the errors entry with
  // domain usageLimits, reason accessNotConfigured and extendedHelp, as for every Google API
  // (github.com/taylorwilsdon/google_workspace_mcp/issues/126; for admin.googleapis.com,
  // github.com/DeviaVir/terraform-provider-gsuite/issues/127), and the ErrorInfo SERVICE_DISABLED detail naming the
  // service and the consumer project (github.com/google-gemini/gemini-cli/issues/1343). The project is that of the
  // token's OAuth client, whose id starts with the project number.
  it("answers accessNotConfigured as Google does when the Admin SDK API is not enabled in the caller's project", async () => {
    directory.faults.inject({ method: 'users.list', status: 403, reason: 'accessNotConfigured', times: 2 });
    // The project is known from the credential only: a bad token is refused as such first.
    await expectGoogleError(
      directory.client('no-such-token').users.list({ customer: 'my_customer' }),
      401,
      'authError',
    );
    const project = HARNESS_CLIENT_ID.split('-')[0]!;
    const error = await expectGoogleError(
      directory.client().users.list({ customer: 'my_customer' }),
      403,
      'accessNotConfigured',
    );
    const url = `https://console.developers.google.com/apis/api/admin.googleapis.com/overview?project=${project}`;
    const message = `Admin SDK API has not been used in project ${project} before or it is disabled. Enable it by visiting ${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
    assert.equal(error.message, message);
    assert.equal(error.status, 'PERMISSION_DENIED');
    assert.deepEqual(error.errors, [
      {
        message,
        domain: 'usageLimits',
        reason: 'accessNotConfigured',
        extendedHelp: 'https://console.developers.google.com',
      },
    ]);
    const info = error.details?.[0] as { reason: string; domain: string; metadata: Record<string, string> };
    assert.deepEqual([info.reason, info.domain], ['SERVICE_DISABLED', 'googleapis.com']);
    assert.deepEqual(info.metadata, {
      serviceTitle: 'Admin SDK API',
      containerInfo: project,
      service: 'admin.googleapis.com',
      activationUrl: url,
      consumer: `projects/${project}`,
    });
  });

  it('fires a method-scoped fault only for that method', async () => {
    directory.faults.inject({ method: 'members.list', status: 500, times: 1 });
    await directory.client().users.list({ customer: 'my_customer', maxResults: 1 });
    await expectGoogleError(directory.client().members.list({ groupKey: 'sales@acme.example' }), 500, 'backendError');
    assert.deepEqual(directory.faults.pending(), []);
  });

  it('is retried by the client library when retries are on, and every attempt is counted', async () => {
    directory.faults.inject({ method: 'users.list', status: 503, times: 2 });
    const { data } = await directory.client('admin', { retry: true }).users.list({ customer: 'my_customer' });
    assert.equal(data.users?.length, 29);
    const stats = directory.faults.stats();
    assert.equal(stats.byMethod['users.list'], 3);
    assert.equal(stats.faultsServed, 2);
  });

  it('delays every call by the latency set, or only calls of one method', async () => {
    directory.faults.setLatency(150);
    let started = performance.now();
    await directory.client().orgunits.list({ customerId: 'my_customer' });
    assert.ok(performance.now() - started >= 145);
    directory.faults.setLatency(0);
    directory.faults.setLatency(200, 'users.get');
    started = performance.now();
    await directory.client().users.list({ customer: 'my_customer', maxResults: 1 });
    assert.ok(performance.now() - started < 150);
    started = performance.now();
    await directory.client().users.get({ userKey: 'admin@acme.example' });
    assert.ok(performance.now() - started >= 195);
  });

  it('counts calls per method, failed ones included, until reset', async () => {
    directory.faults.reset();
    await directory.client().users.list({ customer: 'my_customer' });
    await directory.client().users.get({ userKey: 'admin@acme.example' });
    await expectGoogleError(directory.client('employee').groups.list({ customer: 'my_customer' }), 403, 'forbidden');
    await directory.client().members.list({ groupKey: 'sales@acme.example' });
    assert.deepEqual(directory.faults.stats(), {
      total: 4,
      byMethod: {
        'users.list': 1,
        'users.get': 1,
        'groups.list': 1,
        'members.list': 1,
        'members.hasMember': 0,
        'orgunits.list': 0,
        'users.watch': 0,
        'channels.stop': 0,
      },
      faultsServed: 0,
    });
    directory.faults.reset();
    assert.equal(directory.faults.stats().total, 0);
  });
});

describe('Directory stand-in: control API', () => {
  let directory: DirectoryHarness;
  before(async () => {
    directory = await startDirectory();
  });
  after(() => directory.close());

  it('POST /faults queues faults, GET /stats reports counters and pending faults, POST /reset clears them', async () => {
    const queued = await directory.control('POST', '/faults', { method: 'users.list', status: 429, times: 2 });
    assert.equal(queued.status, 200);
    await expectGoogleError(directory.client().users.list({ customer: 'my_customer' }), 429, 'rateLimitExceeded');
    const stats = await directory.control('GET', '/stats');
    assert.deepEqual(stats.body, {
      total: 1,
      byMethod: {
        'users.list': 1,
        'users.get': 0,
        'groups.list': 0,
        'members.list': 0,
        'members.hasMember': 0,
        'orgunits.list': 0,
        'users.watch': 0,
        'channels.stop': 0,
      },
      faultsServed: 1,
      pending: [{ method: 'users.list', status: 429, times: 1 }],
    });
    assert.equal((await directory.control('POST', '/reset')).status, 200);
    const cleared = await directory.control('GET', '/stats');
    assert.deepEqual((cleared.body as { pending: unknown[] }).pending, []);
    await directory.client().users.list({ customer: 'my_customer', maxResults: 1 });
  });

  it('POST /faults and /latency refuse bodies they cannot use', async () => {
    const fault = await directory.control('POST', '/faults', { status: 418, times: 1 });
    assert.equal(fault.status, 400);
    assert.match((fault.body as { error: string }).error, /status/);
    const latency = await directory.control('POST', '/latency', { ms: -5 });
    assert.equal(latency.status, 400);
  });

  it('POST /latency delays the next calls', async () => {
    assert.equal((await directory.control('POST', '/latency', { ms: 120, method: 'users.list' })).status, 200);
    const started = performance.now();
    await directory.client().users.list({ customer: 'my_customer', maxResults: 1 });
    assert.ok(performance.now() - started >= 115);
    await directory.control('POST', '/reset');
  });

  it('PUT /fixture replaces the organisations served, GET /fixture returns them completed', async () => {
    const put = await directory.control('PUT', '/fixture', globexOrg());
    assert.equal(put.status, 200);
    assert.deepEqual((put.body as { organisations: number; users: number }).users, 2);
    await expectGoogleError(directory.client().users.list({ customer: 'my_customer' }), 403, 'forbidden');
    const { data } = await directory.client('globexAdmin').users.list({ customer: 'my_customer' });
    assert.equal(data.users?.length, 2);
    const current = await directory.control('GET', '/fixture');
    const [org] = current.body as { customerId: string; users: { kind: string; id: string }[] }[];
    assert.equal(org?.customerId, 'C04gl0b3x');
    assert.equal(org?.users[0]?.kind, 'admin#directory#user');
    assert.match(org?.users[0]?.id ?? '', /^\d{21}$/);
    await directory.control('POST', '/reset', { fixture: true });
    const restored = await directory.client().users.list({ customer: 'my_customer' });
    assert.equal(restored.data.users?.length, 29);
  });

  it('accepts what GET /fixture returned, and serves it with the same etags', async () => {
    const before = await directory.control('GET', '/fixture');
    assert.equal((await directory.control('PUT', '/fixture', before.body)).status, 200);
    const after = await directory.control('GET', '/fixture');
    const etags = (body: unknown) =>
      (body as { users: { etag: string }[] }[]).flatMap((org) => org.users.map((user) => user.etag));
    assert.deepEqual(etags(after.body), etags(before.body));
    await directory.control('POST', '/reset', { fixture: true });
  });

  it('PUT /fixture answers 400 naming the bad fields, and keeps serving the old fixture', async () => {
    const bad = {
      ...globexOrg(),
      users: [{ primaryEmail: 'x@globex.example', name: { givenName: 'X' }, orgUnitPath: 'Sales', suspendid: true }],
    };
    const put = await directory.control('PUT', '/fixture', bad);
    assert.equal(put.status, 400);
    const message = (put.body as { error: string }).error;
    assert.match(message, /users\[0\]\.name\.familyName/);
    assert.match(message, /users\[0\]\.orgUnitPath: must be an absolute path/);
    assert.match(message, /users\[0\]: Unrecognized key: "suspendid"/);
    const notJson = await fetch(`${directory.baseUrl}/__control/directory/fixture`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"domain":',
    });
    assert.equal(notJson.status, 400);
    const { data } = await directory.client().users.list({ customer: 'my_customer' });
    assert.equal(data.users?.length, 29);
  });
});
