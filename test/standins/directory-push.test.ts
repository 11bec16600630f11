// Push channels of the Directory stand-in (users.watch, channels.stop) and the notifications it posts, checked with
// the real @googleapis/admin client against Google's documents: the Directory API's push guide
// (developers.google.com/workspace/admin/directory/v1/guides/push: the channel in the watch answer, the `sync`
// message first, the X-Goog-* headers, the user resource in the body, retries on 500/502/503/504 only), the
// users.watch reference (the events) and the Channel resource (expiration as a string of milliseconds).
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_CHANNEL_LIFETIME_MS } from '../../dev/google/directory/push/channels.ts';
import { demoFixture } from '../../dev/google/fixture/index.ts';
import type { DirectoryUser } from '../../dev/google/fixture/types.ts';
import {
  expectGoogleError,
  globexOrg,
  HARNESS_CLIENT_ID,
  startDirectory,
  type DirectoryHarness,
} from './directory-harness.ts';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook that records what it receives and answers the statuses queued for it (200 otherwise). */
class Receiver {
  readonly received: Received[] = [];
  readonly answers: number[] = [];
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.statusCode = this.answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/google/directory/push`;
  }

  states(): string[] {
    return this.received.map((message) => String(message.headers['x-goog-resource-state']));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}

const PRIYA = 'priya.sharma@acme.example';

function editAcme(directory: DirectoryHarness, edit: (users: DirectoryUser[]) => DirectoryUser[]): void {
  directory.fixtures.replace(
    directory.fixtures.organisations.map((org) =>
      org.domain === 'acme.example' ? { ...org, users: edit(structuredClone(org.users)) } : org,
    ),
  );
}

describe('Directory stand-in: users.watch, channels.stop and push notifications', () => {
  let directory: DirectoryHarness;
  let receiver: Receiver;
  let serial = 0;
  const channelId = () => `test-channel-${++serial}`;

  before(async () => {
    directory = await startDirectory([...demoFixture(), globexOrg()]);
  });
  after(() => directory.close());
  beforeEach(async () => {
    receiver = new Receiver();
    await receiver.start();
  });
  afterEach(async () => {
    // Each test watches with its own receiver: the channels of the last one are ended, as its receiver is.
    for (const channel of directory.push.channels.all()) directory.push.channels.stop(channel, directory.push.now());
    await directory.push.delivery.idle();
    await receiver.close();
    directory.faults.reset();
    directory.push.reset();
    directory.push.delivery.setEnabled(true);
    directory.fixtures.reset();
  });

  async function watch(event: string, overrides: Record<string, unknown> = {}, token = 'admin') {
    return directory.client(token).users.watch({
      customer: 'my_customer',
      event,
      requestBody: { id: channelId(), type: 'web_hook', address: receiver.url, token: 'tok-1', ...overrides },
    });
  }

  it('answers a watch with the channel, granting at most six hours, expiration a string of milliseconds', async () => {
    const asked = Date.now() + 24 * 3600_000;
    const { data, status } = await watch('update', { expiration: String(asked) });
    assert.equal(status, 200);
    assert.equal(data.kind, 'api#channel');
    assert.match(data.id ?? '', /^test-channel-/);
    assert.ok(data.resourceId, 'resourceId');
    assert.match(data.resourceUri ?? '', /admin\/directory\/v1\/users\?.*event=update/);
    assert.equal(data.token, 'tok-1');
    assert.equal(typeof data.expiration, 'string');
    const granted = Number(data.expiration);
    assert.ok(
      granted <= Date.now() + MAX_CHANNEL_LIFETIME_MS && granted > Date.now() + MAX_CHANNEL_LIFETIME_MS - 60_000,
    );
    const shorter = Date.now() + 3600_000;
    const { data: short } = await watch('update', { expiration: String(shorter) });
    assert.equal(Number(short.expiration), shorter, 'a shorter lifetime is granted as asked');
  });

  it('refuses a channel Google refuses: not HTTPS, an id over 64 characters or with other characters, a token over 256, a type other than web_hook, an id already open', async () => {
    const notHttps = await expectGoogleError(
      watch('add', { address: 'http://pbx.example/push' }),
      400,
      'push.webhookUrlNotHttps',
    );
    assert.equal(notHttps.message, 'WebHook callback must be HTTPS: http://pbx.example/push');
    await expectGoogleError(watch('add', { id: 'x'.repeat(65) }), 400, 'invalid');
    await expectGoogleError(watch('add', { id: 'has space' }), 400, 'invalid');
    await expectGoogleError(watch('add', { token: 't'.repeat(257) }), 400, 'invalid');
    await expectGoogleError(watch('add', { type: 'email' }), 400, 'invalid');
    await expectGoogleError(
      directory.client().users.watch({
        customer: 'my_customer',
        event: 'sometimes',
        requestBody: { id: channelId(), type: 'web_hook', address: receiver.url },
      }),
      400,
      'invalidParameter',
    );
    const { data } = await watch('add', { token: 't'.repeat(256) });
    await expectGoogleError(
      directory.client().users.watch({
        customer: 'my_customer',
        event: 'add',
        requestBody: { id: data.id!, type: 'web_hook', address: receiver.url },
      }),
      400,
      'channelIdNotUnique',
    );
  });

  it('opens channels only for an administrator of the whole customer, with a user scope', async () => {
    await expectGoogleError(watch('add', {}, 'employee'), 403, 'forbidden');
    await expectGoogleError(watch('add', {}, 'delegated'), 403, 'forbidden');
    await expectGoogleError(watch('add', {}, 'adminGroupsOnly'), 403, 'insufficientPermissions');
    const { status } = await watch('add', {}, 'adminUsersOnly');
    assert.equal(status, 200);
  });

  it('sends sync first, then each change with Google headers, growing message numbers and the user resource', async () => {
    const { data: channel } = await watch('update', { expiration: String(Date.now() + 3600_000) });
    await directory.push.delivery.idle();
    assert.deepEqual(receiver.states(), ['sync']);
    const sync = receiver.received[0]!;
    assert.equal(sync.headers['x-goog-channel-id'], channel.id);
    assert.equal(sync.headers['x-goog-channel-token'], 'tok-1');
    assert.equal(sync.headers['x-goog-resource-id'], channel.resourceId);
    assert.equal(sync.headers['x-goog-resource-uri'], channel.resourceUri);
    assert.equal(sync.headers['x-goog-message-number'], '1');
    assert.equal(sync.headers['x-goog-channel-expiration'], new Date(Number(channel.expiration)).toUTCString());

    editAcme(directory, (users) => users.map((u) => (u.primaryEmail === PRIYA ? { ...u, suspended: true } : u)));
    editAcme(directory, (users) =>
      users.map((u) => (u.primaryEmail === PRIYA ? { ...u, name: { ...u.name, familyName: 'Rao' } } : u)),
    );
    await directory.push.delivery.idle();
    assert.deepEqual(receiver.states(), ['sync', 'update', 'update']);
    const numbers = receiver.received.map((message) => Number(message.headers['x-goog-message-number']));
    assert.ok(numbers[1]! > numbers[0]! && numbers[2]! > numbers[1]!, `message numbers grow: ${numbers.join(', ')}`);
    const body = JSON.parse(receiver.received[2]!.body) as Record<string, unknown>;
    const priya = directory.fixtures.organisations[0]!.users.find((u) => u.primaryEmail === PRIYA)!;
    assert.deepEqual(body, { kind: 'admin#directory#user', id: priya.id, etag: priya.etag, primaryEmail: PRIYA });
  });

  it('announces each change on the channel of its event only: add, delete, undelete, makeAdmin, update', async () => {
    const receivers: Record<string, Receiver> = {};
    for (const event of ['add', 'delete', 'undelete', 'makeAdmin', 'update']) {
      receivers[event] = new Receiver();
      await receivers[event].start();
      await directory.client().users.watch({
        customer: 'my_customer',
        event,
        requestBody: { id: channelId(), type: 'web_hook', address: receivers[event].url },
      });
    }
    const newcomer: DirectoryUser = {
      primaryEmail: 'new.hire@acme.example',
      name: { givenName: 'New', familyName: 'Hire' },
    };
    editAcme(directory, (users) => [...users, newcomer]);
    editAcme(directory, (users) =>
      users.map((u) =>
        u.primaryEmail === newcomer.primaryEmail ? { ...u, deletionTime: new Date().toISOString() } : u,
      ),
    );
    editAcme(directory, (users) =>
      users.map((u) => (u.primaryEmail === newcomer.primaryEmail ? { ...u, deletionTime: undefined } : u)),
    );
    editAcme(directory, (users) =>
      users.map((u) => (u.primaryEmail === newcomer.primaryEmail ? { ...u, isAdmin: true } : u)),
    );
    editAcme(directory, (users) =>
      users.map((u) => (u.primaryEmail === newcomer.primaryEmail ? { ...u, archived: true } : u)),
    );
    // Another customer's change reaches none of Acme's channels.
    directory.fixtures.replace(
      directory.fixtures.organisations.map((org) =>
        org.domain === 'globex.example' ? { ...org, users: org.users.slice(1) } : org,
      ),
    );
    await directory.push.delivery.idle();
    for (const [event, got] of Object.entries(receivers)) {
      assert.deepEqual(got.states(), ['sync', event], `the ${event} channel`);
      await got.close();
    }
  });

  it('retries 500, 502, 503 and 504 with backoff, and gives up at once on any other answer', async () => {
    await watch('update');
    await directory.push.delivery.idle();
    receiver.answers.push(503, 500, 502, 504);
    editAcme(directory, (users) => users.map((u) => (u.primaryEmail === PRIYA ? { ...u, archived: true } : u)));
    await directory.push.delivery.idle();
    assert.deepEqual(receiver.states(), ['sync', 'update', 'update', 'update', 'update', 'update']);
    const retried = directory.push.delivery.log().at(-1)!;
    assert.equal(retried.outcome, 'delivered');
    assert.equal(retried.attempts, 5);
    receiver.answers.push(403);
    editAcme(directory, (users) => users.map((u) => (u.primaryEmail === PRIYA ? { ...u, archived: false } : u)));
    await directory.push.delivery.idle();
    assert.equal(directory.push.delivery.log().at(-1)!.attempts, 1, 'a 403 is not retried');
    assert.equal(directory.push.delivery.log().at(-1)!.outcome, 'failed');
  });

  it('stops a channel given its id and resource id, for the project that opened it only; a stopped channel sends nothing', async () => {
    const { data: channel } = await watch('update');
    await directory.push.delivery.idle();
    const error = await expectGoogleError(
      directory.client().channels.stop({ requestBody: { id: channel.id!, resourceId: 'not-its-resource' } }),
      404,
      'notFound',
    );
    const project = HARNESS_CLIENT_ID.split('-')[0];
    assert.equal(error.message, `Channel '${channel.id}' not found for project '${project}'`);
    const stopped = await directory
      .client()
      .channels.stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } });
    assert.equal(stopped.status, 204);
    await expectGoogleError(
      directory.client().channels.stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } }),
      404,
      'notFound',
    );
    editAcme(directory, (users) => users.map((u) => (u.primaryEmail === PRIYA ? { ...u, archived: true } : u)));
    await directory.push.delivery.idle();
    assert.deepEqual(receiver.states(), ['sync']);
  });

  it('ends a channel at its expiration on its own clock: nothing is sent on it after, and it cannot be stopped', async () => {
    const { data: channel } = await watch('update', { expiration: String(Date.now() + 60_000) });
    await directory.push.delivery.idle();
    directory.faults.advanceClock(61_000);
    editAcme(directory, (users) => users.map((u) => (u.primaryEmail === PRIYA ? { ...u, archived: true } : u)));
    await directory.push.delivery.idle();
    assert.deepEqual(receiver.states(), ['sync']);
    await expectGoogleError(
      directory.client().channels.stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } }),
      404,
      'notFound',
    );
  });

  it('drops, duplicates and reorders notifications when told to, and sends nothing while delivery is off', async () => {
    await watch('update');
    await directory.push.delivery.idle();
    const archive = (archived: boolean) =>
      editAcme(directory, (users) => users.map((u) => (u.primaryEmail === PRIYA ? { ...u, archived } : u)));
    directory.push.delivery.inject({ drop: 1 });
    archive(true);
    directory.push.delivery.inject({ duplicate: 1 });
    archive(false);
    await directory.push.delivery.idle();
    const numbers = () => receiver.received.map((message) => Number(message.headers['x-goog-message-number']));
    assert.deepEqual(numbers(), [1, 3, 3], 'message 2 dropped, message 3 twice');
    directory.push.delivery.inject({ reorder: 3 });
    archive(true);
    archive(false);
    archive(true);
    await directory.push.delivery.idle();
    assert.deepEqual(numbers().slice(3), [6, 5, 4], 'the held three last first');
    directory.push.delivery.setEnabled(false);
    archive(false);
    await directory.push.delivery.idle();
    assert.equal(receiver.received.length, 6);
    assert.equal(directory.push.delivery.log().at(-1)!.outcome, 'paused');
  });

  it('posts forgeries to a channel address: a wrong token, an unknown channel, an expired channel, a replay from a stopped one', async () => {
    const { data: channel } = await watch('update', { expiration: String(Date.now() + 60_000) });
    await directory.push.delivery.idle();
    receiver.answers.push(403);
    assert.equal(await directory.push.forge('wrong-token', channel.id!), 403, 'the receiver answer is returned');
    await directory.push.forge('unknown-channel', channel.id!);
    const [wrongToken, unknown] = receiver.received.slice(1);
    assert.notEqual(wrongToken!.headers['x-goog-channel-token'], 'tok-1');
    assert.equal(wrongToken!.headers['x-goog-channel-id'], channel.id);
    assert.notEqual(unknown!.headers['x-goog-channel-id'], channel.id);
    assert.equal(unknown!.headers['x-goog-channel-token'], 'tok-1');
    await assert.rejects(directory.push.forge('expired', channel.id!), /has not expired/);
    await assert.rejects(directory.push.forge('replay', channel.id!), /still live/);
    await directory.client().channels.stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } });
    await directory.push.forge('replay', channel.id!);
    assert.deepEqual(receiver.received.at(-1)!.headers['x-goog-message-number'], '1', 'the last delivered, again');
    directory.faults.advanceClock(61_000);
    await directory.push.forge('expired', channel.id!);
    assert.equal(receiver.received.at(-1)!.headers['x-goog-channel-token'], 'tok-1');
    assert.equal(receiver.received.length, 5);
  });

  it('is driven through its control API too', async () => {
    const off = await directory.control('POST', '/push/delivery', { enabled: false });
    assert.deepEqual(off.body, { delivery: 'off' });
    const bad = await directory.control('POST', '/push/faults', { drop: -1 });
    assert.equal(bad.status, 400);
    await directory.control('POST', '/push/lifetime', { maxMs: 5000 });
    const { data } = await watch('update');
    assert.ok(Number(data.expiration) <= Date.now() + 5000, 'Google may grant less than asked');
    const state = await directory.control('GET', '/push');
    const listed = (state.body as { channels: { id: string; token?: string; live: boolean }[] }).channels;
    const mine = listed.find((entry) => entry.id === data.id);
    assert.equal(mine?.live, true);
    assert.equal(mine?.token, undefined, 'tokens are not shown');
    const refused = await directory.control('POST', '/push/forge', { as: 'replay', channelId: data.id });
    assert.equal(refused.status, 409);
  });
});
