// Directory push notifications end to end (issue: near-real-time sync): a change in the Google stand-in reaches the
// tenant's extensions through users.watch channels, the directoryPush webhook behind the Hosting rewrite, Pub/Sub
// and the pushUser task, with no run. Forged notifications change nothing; duplicates and reordering converge;
// deletions over the limit are held; channels are renewed by the tick's clock and stopped on disconnect; a lost
// notification is corrected by the next full run.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { DirectoryUser } from '../../dev/google/fixture/types.ts';
import { getApp } from '../../functions/src/app.ts';
import { TOPICS } from '../../functions/src/catalog.ts';
import { CHANNEL_LIFETIME_MS } from '../../functions/src/push/channels.ts';
import { pushPaths } from '../../functions/src/push/push-documents.ts';
import { HEARTBEAT_PATH } from '../../functions/src/schedule/heartbeat.ts';
import { handleTick, type TickDependencies } from '../../functions/src/schedule/tick.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { adminApi } from '../support/connect-flow.ts';
import {
  channelRecordsOf,
  demoUser,
  editDemoUser,
  editDemoUsers,
  eventually,
  extensionOfUser,
  pushChangesOf,
  pushClaimsOf,
  pushDeliveryOn,
} from '../support/push.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import type { TestTenant } from '../support/tenants.ts';

const PRIYA = 'priya.sharma@acme.example';
const HOUR = 3600_000;

/** A tenant connected, with its channels open at the stand-in, and synced once with these settings. */
async function syncedTenant(settings: Parameters<typeof syncWith>[1] = {}): Promise<TestTenant> {
  const tenant = await connectedTenant();
  const channels = await channelRecordsOf(tenant.tenantId);
  assert.deepEqual(channels.map((channel) => channel.event).sort(), ['add', 'delete', 'undelete', 'update']);
  const run = await syncWith(tenant, settings);
  assert.equal(run.status, 'succeeded');
  return tenant;
}

async function runCount(tenantId: string): Promise<number> {
  return (await syncPaths(getApp().db, tenantId).runs.count().get()).data().count;
}

async function usersGetCalls(): Promise<number> {
  return (await useStack()).google.faults.stats().byMethod['users.get'];
}

/** The stand-in's live channel of the tenant watching `event`. */
async function liveChannel(tenantId: string, event: string) {
  const { google } = await useStack();
  const ids = new Set((await channelRecordsOf(tenantId)).map((record) => record.id));
  const channel = google.push.channels
    .all()
    .find((candidate) => ids.has(candidate.id) && candidate.event === event && candidate.stoppedAt === undefined);
  assert.ok(channel, `a live ${event} channel of ${tenantId}`);
  return channel;
}

async function tickAt(time: Date): Promise<void> {
  const app = getApp();
  // Only the channel upkeep matters here: the tick starts no run.
  const deps: TickDependencies = { ...app, startRun: async () => undefined };
  const event: CloudEvent<unknown> = {
    specversion: '1.0',
    id: `test-tick-${randomUUID()}`,
    source: `//pubsub.googleapis.com/projects/demo-teliqon/topics/${TOPICS.scheduleTick}`,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    time: time.toISOString(),
    data: { message: { data: Buffer.from('{"source":"test"}').toString('base64') } },
  };
  // A tick dated hours ahead leaves the heartbeat there, and the scheduler's real ticks after it would be refused
  // as older: the heartbeat is put back as it was.
  const heartbeat = app.db.doc(HEARTBEAT_PATH);
  const before = await heartbeat.get();
  await handleTick(deps, event);
  if (before.exists) await heartbeat.set(before.data()!);
  else await heartbeat.delete();
}

describe('push notifications: Google changes reach the PBX without a run', function () {
  this.timeout(120_000);
  pushDeliveryOn();

  it('creates, renames, suspends, archives, deletes and undeletes, each reflected without a run', async () => {
    const tenant = await syncedTenant({ deleteWhen: 'archived' });
    const runs = await runCount(tenant.tenantId);
    const id = tenant.tenantId;

    const hire: DirectoryUser = {
      id: '118000000000000000042',
      primaryEmail: 'nina.hire@acme.example',
      name: { givenName: 'Nina', familyName: 'Hire' },
      orgUnitPath: '/Sales',
    };
    await editDemoUsers((users) => [...users, hire]);
    const created = await eventually(() => extensionOfUser(id, hire.id!), 'the new hire extension');
    assert.equal(created.email, hire.primaryEmail);

    await editDemoUser(hire.primaryEmail!, (user) => ({ ...user, primaryEmail: 'nina.new@acme.example' }));
    await eventually(
      async () => ((await extensionOfUser(id, hire.id!))?.email === 'nina.new@acme.example' ? true : undefined),
      'the rename',
    );
    await editDemoUser('nina.new@acme.example', (user) => ({ ...user, suspended: true }));
    const suspended = await eventually(
      async () => ((await extensionOfUser(id, hire.id!))?.google?.status === 'suspended' ? true : undefined),
      'the suspension (below the delete status: kept, marked)',
    );
    assert.ok(suspended);
    await editDemoUser('nina.new@acme.example', (user) => ({ ...user, suspended: false, archived: true }));
    await eventually(async () => ((await extensionOfUser(id, hire.id!)) ? undefined : true), 'the archive (deleted)');

    await editDemoUser('nina.new@acme.example', (user) => ({ ...user, archived: false }));
    await eventually(() => extensionOfUser(id, hire.id!), 'the unarchived user back');
    await editDemoUser('nina.new@acme.example', (user) => ({ ...user, deletionTime: new Date().toISOString() }));
    await eventually(async () => ((await extensionOfUser(id, hire.id!)) ? undefined : true), 'the deletion');
    await editDemoUser('nina.new@acme.example', (user) => ({ ...user, deletionTime: undefined }));
    const undeleted = await eventually(() => extensionOfUser(id, hire.id!), 'the undeleted user back');
    assert.equal(undeleted.email, 'nina.new@acme.example');

    assert.equal(await runCount(id), runs, 'no run was started');
    const changes = (await pushChangesOf(id)).map((change) => change.change).reverse();
    assert.deepEqual(changes, ['created', 'updated', 'updated', 'deleted', 'created', 'deleted', 'created']);
    const view = (await (await adminApi(tenant, 'GET', '/api/integrations/google')).json()) as {
      push: { state: string; message: string; changes: { email: string; change: string }[] };
    };
    assert.equal(view.push.state, 'live');
    assert.equal(view.push.message, 'Updates from Google arrive within a minute.');
    assert.equal(view.push.changes[0]?.email, 'nina.new@acme.example');
  });

  it('refuses forged notifications with no effect: a wrong token, an unknown channel, an expired channel, a replay from a stopped one', async () => {
    const { google } = await useStack();
    // Google may grant less than asked: this tenant's channels end after a few seconds.
    google.push.grantAtMost(4000);
    const tenant = await syncedTenant();
    google.push.grantAtMost(undefined);
    const id = tenant.tenantId;
    const update = await liveChannel(id, 'update');
    await google.push.delivery.idle();
    const priya = await demoUser(PRIYA);
    const before = await extensionOfUser(id, priya.id!);
    const claims = await pushClaimsOf(id);

    assert.equal(await google.push.forge('wrong-token', update.id, priya.id!), 403);
    assert.equal(await google.push.forge('unknown-channel', update.id, priya.id!), 403);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, update.expiration - Date.now() + 100)));
    assert.equal(await google.push.forge('expired', update.id, priya.id!), 403);

    // A live channel's real notification, then the channel is stopped by a disconnect and the message replayed.
    const tenant2 = await syncedTenant();
    const channel2 = await liveChannel(tenant2.tenantId, 'update');
    await editDemoUser(PRIYA, (user) => ({ ...user, name: { ...user.name, familyName: 'Sharma-Rao' } }));
    await eventually(
      async () => ((await extensionOfUser(tenant2.tenantId, priya.id!))?.lastName === 'Sharma-Rao' ? true : undefined),
      'the genuine update',
    );
    const disconnected = await adminApi(tenant2, 'POST', '/api/integrations/google/disconnect', { extensions: 'keep' });
    assert.equal(disconnected.status, 200);
    assert.equal(await google.push.forge('replay', channel2.id), 403);

    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.deepEqual(await extensionOfUser(id, priya.id!), before, 'the forgeries changed nothing');
    assert.deepEqual(await pushClaimsOf(id), claims, 'no task ran for a forgery');
    const view = (await (await adminApi(tenant, 'GET', '/api/integrations/google')).json()) as {
      push: { state: string };
    };
    assert.equal(view.push.state, 'expired', 'the page says the channels have expired');
  });

  it('converges under duplicated and reordered delivery, with one users.get for a burst about one user', async () => {
    const { google } = await useStack();
    const tenant = await syncedTenant();
    await google.push.delivery.idle();
    const priya = await demoUser(PRIYA);
    const getsBefore = await usersGetCalls();
    google.push.delivery.inject({ duplicate: 3, reorder: 3 });
    for (const title of ['Lead', 'Principal', 'Head of Support']) {
      await editDemoUser(PRIYA, (user) => ({ ...user, organizations: [{ title, primary: true }] }));
    }
    await google.push.delivery.idle();
    const settled = await eventually(
      async () =>
        (await extensionOfUser(tenant.tenantId, priya.id!))?.jobTitle === 'Head of Support' ? true : undefined,
      'the latest title',
    );
    assert.ok(settled);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal((await extensionOfUser(tenant.tenantId, priya.id!))?.jobTitle, 'Head of Support', 'still the latest');
    assert.equal((await usersGetCalls()) - getsBefore, 1, 'three notifications, each twice, cost one users.get');
  });

  it('holds push deletions over the limit for approval, as a run holds them', async () => {
    const tenant = await syncedTenant({ deletionLimit: 2 });
    const gone = ['ethan.walker', 'mei.chen', 'noah.kim', 'ava.thompson'].map((local) => `${local}@acme.example`);
    const ids = await Promise.all(gone.map(async (email) => (await demoUser(email)).id!));
    for (const email of gone) await editDemoUsers((users) => users.filter((user) => user.primaryEmail !== email));
    const held = await eventually(async () => {
      const runs = await syncPaths(getApp().db, tenant.tenantId).runs.where('trigger', '==', 'push').get();
      const run = runs.docs[0];
      if (!run) return undefined;
      const count = (await syncPaths(getApp().db, tenant.tenantId).held(run.id).count().get()).data().count;
      return count === 2 ? run : undefined;
    }, 'two deletions held');
    assert.equal(held.data().status, 'awaiting_approval');
    const remaining = await Promise.all(ids.map((userId) => extensionOfUser(tenant.tenantId, userId)));
    assert.equal(remaining.filter(Boolean).length, 2, 'two deleted at once, two kept until approved');
    const approved = await adminApi(tenant, 'POST', `/api/sync/runs/${held.id}/approve`, {});
    assert.equal(approved.status, 200);
    await waitForRun(tenant, held.id);
    await eventually(async () => {
      const left = await Promise.all(ids.map((userId) => extensionOfUser(tenant.tenantId, userId)));
      return left.every((extension) => extension === undefined) ? true : undefined;
    }, 'the held deletions applied on approval');
  });

  it('renews channels before they end by the tick clock, hears old and new until the old end, then stops the old', async () => {
    const { google } = await useStack();
    const tenant = await syncedTenant();
    const id = tenant.tenantId;
    const first = await channelRecordsOf(id);
    const firstUpdate = await liveChannel(id, 'update');
    const start = Date.now();
    // Five hours on: within the hour before the first channels end, both clocks moved together.
    google.faults.advanceClock(5 * HOUR);
    await tickAt(new Date(start + 5 * HOUR));
    const renewed = await channelRecordsOf(id);
    assert.equal(renewed.length, 8, 'four new channels beside the four old');
    assert.deepEqual(
      renewed
        .filter((record) => record.status === 'live')
        .map((record) => record.event)
        .sort(),
      ['add', 'delete', 'undelete', 'update'],
    );
    for (const record of renewed.filter((candidate) => candidate.status === 'live')) {
      assert.ok(record.expiresAt > start + 5 * HOUR + CHANNEL_LIFETIME_MS - 60_000, 'a new six hours');
    }
    const state = (await pushPaths(getApp().db, id).channelsState.get()).data();
    assert.ok(
      state?.renewAt && state.renewAt <= Math.min(...first.map((record) => record.expiresAt)),
      'due again when the old end',
    );

    // Both are heard: a change goes out on the old and the new channel, and is applied once.
    const priya = await demoUser(PRIYA);
    await editDemoUser(PRIYA, (user) => ({ ...user, name: { ...user.name, givenName: 'Priyanka' } }));
    await google.push.delivery.idle();
    const delivered = google.push.delivery
      .log()
      .filter((record) => record.userId === priya.id && record.outcome === 'delivered');
    assert.ok(
      delivered.some((record) => record.channelId === firstUpdate.id),
      'the old channel was heard',
    );
    assert.ok(
      delivered.some((record) => record.channelId !== firstUpdate.id),
      'the new channel was heard',
    );
    await eventually(
      async () => ((await extensionOfUser(id, priya.id!))?.firstName === 'Priyanka' ? true : undefined),
      'the change',
    );

    google.faults.advanceClock(HOUR + 60_000);
    await tickAt(new Date(start + 6 * HOUR + 60_000));
    const after = await channelRecordsOf(id);
    assert.deepEqual(
      after.map((record) => record.status),
      ['live', 'live', 'live', 'live'],
      'the old are gone',
    );
    assert.ok(after.every((record) => !first.some((old) => old.id === record.id)));
    const view = (await (await adminApi(tenant, 'GET', '/api/integrations/google')).json()) as {
      push: { message: string };
    };
    assert.equal(view.push.message, 'Updates from Google arrive within a minute.');
  });

  it('stops the channels at Google on disconnect', async () => {
    const { google } = await useStack();
    const tenant = await syncedTenant();
    const ids = (await channelRecordsOf(tenant.tenantId)).map((record) => record.id);
    const response = await adminApi(tenant, 'POST', '/api/integrations/google/disconnect', { extensions: 'keep' });
    assert.equal(response.status, 200);
    for (const channelId of ids) assert.ok(google.push.channels.get(channelId)?.stoppedAt, `${channelId} stopped`);
    assert.deepEqual(await channelRecordsOf(tenant.tenantId), []);
  });

  it('leaves the same final state when a push races a running full sync, in either order', async () => {
    const { google } = await useStack();
    const tenant = await syncedTenant();
    await google.push.delivery.idle();
    const priya = await demoUser(PRIYA);
    const titleOf = async () => (await extensionOfUser(tenant.tenantId, priya.id!))?.jobTitle;
    const retitle = (title: string) =>
      editDemoUser(PRIYA, (user) => ({ ...user, organizations: [{ title, primary: true }] }));

    // The run lists before the change and answers after the push applied it: the run must not put the old back.
    google.faults.setLatency(4000, 'users.list');
    const listed = google.faults.stats().byMethod['users.list'];
    const slowRun = await syncNow(tenant);
    await eventually(
      async () => (google.faults.stats().byMethod['users.list'] > listed ? true : undefined),
      'the listing asked',
    );
    await retitle('Pushed during the listing');
    await eventually(async () => ((await titleOf()) === 'Pushed during the listing' ? true : undefined), 'the push');
    assert.equal((await waitForRun(tenant, slowRun.id)).status, 'succeeded');
    assert.equal(await titleOf(), 'Pushed during the listing', 'the older listing left the pushed state');

    // The run lists after the change, the push applies it after the run: the same state.
    google.faults.setLatency(0, 'users.list');
    await retitle('Listed, then pushed');
    const run = await syncNow(tenant);
    assert.equal((await waitForRun(tenant, run.id)).status, 'succeeded');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(await titleOf(), 'Listed, then pushed');
    const extensions = [...(await extensionsOf(tenant.tenantId)).values()];
    assert.equal(extensions.filter((extension) => extension.google?.userId === priya.id).length, 1, 'one extension');
    assert.equal(new Set(extensions.map((extension) => extension.email)).size, extensions.length, 'unique e-mails');
  });

  it('leaves a lost notification to the next full run, which corrects it', async () => {
    const { google } = await useStack();
    const tenant = await syncedTenant();
    await google.push.delivery.idle();
    google.push.delivery.inject({ drop: 1 });
    const hire: DirectoryUser = {
      id: '118000000000000000077',
      primaryEmail: 'lost.hire@acme.example',
      name: { givenName: 'Lost', familyName: 'Hire' },
    };
    await editDemoUsers((users) => [...users, hire]);
    await google.push.delivery.idle();
    assert.equal(google.push.delivery.log().at(-1)?.outcome, 'dropped');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(await extensionOfUser(tenant.tenantId, hire.id!), undefined, 'the lost notification did nothing');
    const run = await waitForRun(tenant, (await syncNow(tenant)).id);
    assert.equal(run.status, 'succeeded');
    assert.ok(await extensionOfUser(tenant.tenantId, hire.id!), 'the run created it');
  });
});
