// fetchUsersPage (SPEC §5.4 "Directory API limits are respected") through the real Directory client, against a
// tiny local server that answers in Google's error body shape: what is retried, how long it waits, the budget,
// what is never retried, and the query it sends.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { loadConfig, type AppConfig } from '../../functions/src/config.ts';
import { AppError } from '../../functions/src/errors.ts';
import { fetchUsersPage, type RetryPolicy } from '../../functions/src/google/directory-api.ts';
import type { UsersQuery } from '../../functions/src/google/directory.ts';
import { usersFieldsMask } from '../../functions/src/google/directory-user.ts';
import { ReauthorizationRequired } from '../../functions/src/google/directory-errors.ts';
import { localEnvironment } from '../support/environments.ts';

/** One answer of the fake Directory API. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** What the fake Directory API saw of one request. */
interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

const USERS_PATH = '/admin/directory/v1/users';

/** A Google error body: `{"error":{"code","message","errors":[{"reason"}]}}`. */
function googleError(status: number, reason: string, message = `Error ${status}`): Answer {
  return { status, body: { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } } };
}

const rateLimited = googleError(403, 'userRateLimitExceeded', 'Rate Limit Exceeded');
const tooMany = googleError(429, 'rateLimitExceeded', 'Resource has been exhausted');
const serverError = googleError(500, 'backendError', 'Internal error');
const unavailable = googleError(503, 'backendError', 'Service unavailable. Please try again');
const forbidden = googleError(403, 'forbidden', 'Not Authorized to access this resource/api');
const badRequest = googleError(400, 'invalid', 'Invalid Input');
const unauthorized = googleError(401, 'authError', 'Invalid Credentials');

const page = (ids: string[], nextPageToken?: string): Answer => ({
  status: 200,
  body: {
    kind: 'admin#directory#users',
    users: ids.map((id) => ({ kind: 'admin#directory#user', id, primaryEmail: `${id}@acme.example` })),
    ...(nextPageToken && { nextPageToken }),
  },
});

/** The fake Directory API: answers from a queue, then with an empty page; records every request. */
class FakeDirectory {
  readonly seen: SeenRequest[] = [];
  #answers: Answer[] = [];
  readonly #server: Server;

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** Queues answers, served in order. */
  answer(...answers: Answer[]): void {
    this.#answers.push(...answers);
  }

  reset(): void {
    this.#answers = [];
    this.seen.length = 0;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://directory.test');
    this.seen.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
    });
    req.resume();
    const answer =
      url.pathname === USERS_PATH ? (this.#answers.shift() ?? page([])) : googleError(404, 'notFound', 'Not Found');
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(answer.body));
  }
}

/** A fake sleep that records the delays asked for and returns at once. */
function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

const POLICY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 8000 };

const QUERY: UsersQuery = {
  showDeleted: false,
  pageToken: undefined,
  fields: usersFieldsMask(undefined),
  projection: 'basic',
};

/** The full-jitter ceiling of the wait after failed attempt n (1-based): min(max, base·2^(n-1)). */
const ceiling = (policy: RetryPolicy, attempt: number) =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));

function assertFullJitter(delays: number[], policy: RetryPolicy): void {
  delays.forEach((delay, index) => {
    const bound = ceiling(policy, index + 1);
    assert.ok(
      Number.isFinite(delay) && delay >= 0 && delay < bound,
      `delay ${index + 1} is ${delay}, outside [0, ${bound})`,
    );
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('fetchUsersPage (Directory users.list with retries)', () => {
  const directory = new FakeDirectory();
  let config: AppConfig;
  let auth: OAuth2Client;

  before(async () => {
    const base = await directory.listen();
    config = loadConfig({ ...localEnvironment(), GOOGLE_STANDIN_URL: base });
    assert.equal(config.google.directoryRootUrl, `${base}/`);
  });

  beforeEach(() => {
    directory.reset();
    auth = new OAuth2Client();
    auth.setCredentials({ access_token: 'x', expiry_date: Date.now() + 3600e3 });
  });

  after(() => directory.close());

  it('returns the users, the next page token and one call when the first answer is good', async () => {
    directory.answer(page(['u1', 'u2'], 'token-2'));
    const { sleep, delays } = recordingSleep();
    const result = await fetchUsersPage(config, auth, QUERY, POLICY, sleep);
    assert.deepEqual(
      result.users.map((user) => user.id),
      ['u1', 'u2'],
    );
    assert.equal(result.nextPageToken, 'token-2');
    assert.equal(result.calls, 1);
    assert.deepEqual(delays, []);
    assert.equal(directory.seen.length, 1);
    assert.equal(directory.seen[0]!.authorization, 'Bearer x', 'the access token is sent');
  });

  it('gives an undefined next page token and no users for an empty last page', async () => {
    directory.answer({ status: 200, body: { kind: 'admin#directory#users' } });
    const result = await fetchUsersPage(config, auth, QUERY, POLICY, recordingSleep().sleep);
    assert.deepEqual(result.users, []);
    assert.equal(result.nextPageToken, undefined);
  });

  for (const [name, failure] of [
    ['403 userRateLimitExceeded', rateLimited],
    ['429', tooMany],
    ['500', serverError],
    ['503', unavailable],
  ] as const) {
    it(`retries ${name} and then succeeds, counting every call`, async () => {
      directory.answer(failure, failure, page(['u1']));
      const { sleep, delays } = recordingSleep();
      const result = await fetchUsersPage(config, auth, QUERY, POLICY, sleep);
      assert.deepEqual(
        result.users.map((user) => user.id),
        ['u1'],
      );
      assert.equal(result.calls, 3);
      assert.equal(directory.seen.length, 3, 'the client library adds no retries of its own');
      assert.equal(delays.length, 2, 'one wait before each retry');
      assertFullJitter(delays, POLICY);
    });
  }

  it('retries the other 403 rate-limit reasons Google sends (rateLimitExceeded, quotaExceeded)', async () => {
    directory.answer(googleError(403, 'rateLimitExceeded'), googleError(403, 'quotaExceeded'), page(['u1']));
    const result = await fetchUsersPage(config, auth, QUERY, POLICY, recordingSleep().sleep);
    assert.equal(result.calls, 3);
  });

  it('waits with full jitter: every delay lies in [0, min(max, base·2^(n-1))), spread over the whole capped range', async () => {
    const policy: RetryPolicy = { attempts: 8, baseDelayMs: 100, maxDelayMs: 1000 };
    const all: number[][] = [];
    for (let round = 0; round < 25; round++) {
      directory.reset();
      directory.answer(...Array.from({ length: policy.attempts - 1 }, () => unavailable), page(['u1']));
      const { sleep, delays } = recordingSleep();
      const result = await fetchUsersPage(config, auth, QUERY, policy, sleep);
      assert.equal(result.calls, policy.attempts);
      assert.equal(delays.length, policy.attempts - 1);
      assertFullJitter(delays, policy);
      all.push(delays);
    }
    // Ceilings 100, 200, 400, 800, then capped at 1000. Full jitter spreads each wait over its whole range, so over
    // 25 rounds some wait after the cap exceeds the uncapped ceilings of the early attempts, and some is below half.
    const late = all.flatMap((delays) => delays.slice(4));
    assert.ok(
      late.some((delay) => delay > 800),
      'the capped waits use the range above 800 ms',
    );
    assert.ok(
      late.some((delay) => delay < 500),
      'the waits are jittered from 0, not only backed off',
    );
    const first = all.map((delays) => delays[0]!);
    assert.ok(new Set(first).size > 1, 'the waits are random');
  });

  it('respects the budget: after `attempts` calls the error is an AppError "unavailable"', async () => {
    const policy: RetryPolicy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 400 };
    directory.answer(...Array.from({ length: 10 }, () => unavailable));
    const { sleep, delays } = recordingSleep();
    const error = await rejection(fetchUsersPage(config, auth, QUERY, policy, sleep));
    assert.ok(error instanceof AppError, `got ${String(error)}`);
    assert.equal(error.code, 'unavailable');
    assert.match(error.message, /4 attempts/);
    assert.match(error.message, /HTTP 503/);
    assert.equal(directory.seen.length, 4, 'no call beyond the budget');
    assert.equal(delays.length, 3, 'no wait after the last attempt');
    assertFullJitter(delays, policy);
  });

  it('respects the budget for rate limits too (a mix of 403 userRateLimitExceeded and 429)', async () => {
    const policy: RetryPolicy = { attempts: 3, baseDelayMs: 10, maxDelayMs: 40 };
    directory.answer(rateLimited, tooMany, rateLimited, page(['never']));
    const error = await rejection(fetchUsersPage(config, auth, QUERY, policy, recordingSleep().sleep));
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'unavailable');
    assert.equal(directory.seen.length, 3);
  });

  it('retries when the server cannot be reached, within the same budget', async () => {
    const closed = new FakeDirectory();
    const base = await closed.listen();
    await closed.close();
    const unreachable = loadConfig({ ...localEnvironment(), GOOGLE_STANDIN_URL: base });
    const { sleep, delays } = recordingSleep();
    const error = await rejection(
      fetchUsersPage(unreachable, auth, QUERY, { attempts: 3, baseDelayMs: 10, maxDelayMs: 40 }, sleep),
    );
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'unavailable');
    assert.match(error.message, /no response/);
    assert.equal(delays.length, 2);
  });

  for (const [name, failure] of [
    ['403 forbidden', forbidden],
    ['400', badRequest],
    ['404', googleError(404, 'notFound', 'Domain not found.')],
  ] as const) {
    it(`does not retry ${name}: one call, no wait, an AppError "internal"`, async () => {
      directory.answer(failure, page(['never']));
      const { sleep, delays } = recordingSleep();
      const error = await rejection(fetchUsersPage(config, auth, QUERY, POLICY, sleep));
      assert.ok(error instanceof AppError, `got ${String(error)}`);
      assert.equal(error.code, 'internal');
      assert.match(error.message, new RegExp(`HTTP ${failure.status}`));
      assert.equal(directory.seen.length, 1);
      assert.deepEqual(delays, []);
    });
  }

  it('throws ReauthorizationRequired on 401, without retrying', async () => {
    directory.answer(unauthorized, page(['never']));
    const { sleep, delays } = recordingSleep();
    const error = await rejection(fetchUsersPage(config, auth, QUERY, POLICY, sleep));
    assert.ok(error instanceof ReauthorizationRequired, `got ${String(error)}`);
    assert.equal(directory.seen.length, 1);
    assert.deepEqual(delays, []);
  });

  it('throws ReauthorizationRequired on a 401 that follows retried failures', async () => {
    directory.answer(unavailable, unauthorized, page(['never']));
    const error = await rejection(fetchUsersPage(config, auth, QUERY, POLICY, recordingSleep().sleep));
    assert.ok(error instanceof ReauthorizationRequired);
    assert.equal(directory.seen.length, 2);
  });

  it('asks for users.list of the whole customer with maxResults=500, the fields mask and the projection', async () => {
    const fields = usersFieldsMask('externalIds');
    await fetchUsersPage(
      config,
      auth,
      { showDeleted: false, pageToken: undefined, fields, projection: 'basic' },
      POLICY,
      recordingSleep().sleep,
    );
    const [request] = directory.seen;
    assert.equal(request!.method, 'GET');
    assert.equal(request!.path, USERS_PATH);
    const query = request!.query;
    assert.equal(query.get('customer'), 'my_customer');
    assert.equal(query.get('maxResults'), '500');
    assert.equal(query.get('fields'), fields);
    assert.match(query.get('fields')!, /^nextPageToken,users\(.*\bexternalIds\b.*\)$/);
    assert.equal(query.get('projection'), 'basic');
    assert.equal(query.get('viewType'), 'admin_view');
    assert.equal(query.has('showDeleted'), false, 'showDeleted is only sent when asked');
    assert.equal(query.has('pageToken'), false, 'the first page has no token');
  });

  it('sends showDeleted=true only when asked, the page token, and projection=full', async () => {
    directory.answer(page(['d1']));
    const result = await fetchUsersPage(
      config,
      auth,
      { showDeleted: true, pageToken: 'tok/en+2==', fields: usersFieldsMask('customSchemas'), projection: 'full' },
      POLICY,
      recordingSleep().sleep,
    );
    assert.deepEqual(
      result.users.map((user) => user.id),
      ['d1'],
    );
    const query = directory.seen[0]!.query;
    assert.equal(query.get('showDeleted'), 'true');
    assert.equal(query.get('pageToken'), 'tok/en+2==', 'the token arrives intact');
    assert.equal(query.get('projection'), 'full');
    assert.equal(query.get('maxResults'), '500');
  });

  it('sends the same query again on every retry, page token included', async () => {
    directory.answer(unavailable, rateLimited, page(['u1']));
    await fetchUsersPage(config, auth, { ...QUERY, pageToken: 'page-7' }, POLICY, recordingSleep().sleep);
    assert.equal(directory.seen.length, 3);
    for (const request of directory.seen) {
      assert.equal(request.query.get('pageToken'), 'page-7');
      assert.equal(request.query.get('maxResults'), '500');
      assert.equal(request.query.get('fields'), QUERY.fields);
    }
  });
});
