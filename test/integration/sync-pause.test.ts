// "Pause synchronization" and "Resume" (issue 25): while paused, the nightly run does not start, "Sync now" says it is
// paused, "Save" stores without syncing, a run going on ends as failed deleting nothing, the push channels are
// stopped at Google and no tick reopens them, and a notification already queued creates nothing; the extensions and
// links stay as they are. Resume syncs at once, and the next tick opens the channels again. Unlike Disconnect, the
// connection stays.
//
// Ticks are handled in-process with a crafted CloudEvent at the real time (so the channels they open are live at the
// stand-in); they start runs only of this file's tenants. Runs really execute through Pub/Sub.
import assert from 'node:assert/strict';
import type { DirectoryUser } from '../../dev/google/fixture/types.ts';
import { getApp } from '../../functions/src/app.ts';
import { integrationRef } from '../../functions/src/connect/integration.ts';
import { DEBOUNCE_MS, handlePushTask } from '../../functions/src/push/push-user.ts';
import type { SyncRun } from '../../functions/src/sync/run/run.ts';
import type { RunView } from '../../functions/src/sync/run/run-view.ts';
import { DEFAULT_SETTINGS, type SyncSettings } from '../../functions/src/sync/settings/settings.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { adminApi } from '../support/connect-flow.ts';
import {
  channelRecordsOf,
  demoUser,
  editDemoUser,
  editDemoUsers,
  eventually,
  extensionOfUser,
  pushClaimsOf,
  pushDeliveryOn,
} from '../support/push.ts';
import { useStack } from '../support/stack.ts';
import { tickInProcess, type StartCall } from '../support/tick.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

const PAUSED_SYNC_NOW = 'Synchronization is paused. Click Resume to synchronize again.';
const PAUSED_RUN_FAILURE = 'Synchronization was paused while this run was going on; nothing was deleted.';
/** Due at any time of day, so a tick at the real time starts it. */
const DUE_ALL_DAY: SyncSettings = { ...DEFAULT_SETTINGS, schedule: { frequency: 'daily', time: '00:00' } };

/** The tenants of this file: the only ones whose runs its ticks start. */
const mine = new Set<string>();

async function tenantOfMine(): Promise<TestTenant> {
  const tenant = await connectedTenant();
  mine.add(tenant.tenantId);
  return tenant;
}

/** The integration view's fields this file looks at. */
interface View {
  readonly status: string;
  readonly paused: boolean;
  readonly pausedAt: string | null;
  readonly push: { readonly message: string } | null;
}

async function viewOf(tenant: TestTenant): Promise<View> {
  return (await (await adminApi(tenant, 'GET', '/api/integrations/google')).json()) as View;
}

async function post(tenant: TestTenant, action: 'pause' | 'resume') {
  const response = await adminApi(tenant, 'POST', `/api/integrations/google/${action}`, {});
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function pause(tenant: TestTenant): Promise<void> {
  const { status, body } = await post(tenant, 'pause');
  assert.equal(status, 200, JSON.stringify(body));
}

/** Resumes and returns the run it started. */
async function resume(tenant: TestTenant): Promise<string | null> {
  const { status, body } = await post(tenant, 'resume');
  assert.equal(status, 200, JSON.stringify(body));
  return body['runId'] as string | null;
}

async function runsOf(tenantId: string): Promise<Array<SyncRun & { id: string }>> {
  const snapshot = await syncPaths(getApp().db, tenantId).runs.get();
  return snapshot.docs
    .map((doc) => ({ ...doc.data(), id: doc.id }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function linksOf(tenantId: string): Promise<Record<string, unknown>> {
  const snapshot = await syncPaths(getApp().db, tenantId).googleLinks.get();
  return Object.fromEntries(snapshot.docs.map((doc) => [doc.id, doc.data()]));
}

/** Handles a tick at the real time; of the runs it asks for, only this file's tenants' are recorded, and only
 * `startFor`'s started. */
async function tick(startFor?: string): Promise<StartCall[]> {
  const calls = await tickInProcess((tenantId) => tenantId === startFor);
  return calls.filter((call) => mine.has(call.tenantId));
}

/** The stand-in's channels among these ids that are still live. */
async function liveAtStandIn(ids: readonly string[]): Promise<string[]> {
  const { google } = await useStack();
  const now = google.push.now();
  return ids.filter((id) => {
    const channel = google.push.channels.get(id);
    return channel !== undefined && channel.stoppedAt === undefined && channel.expiration > now;
  });
}

// Every run this file started ends before the next test.
afterEach(async function () {
  this.timeout(120_000);
  (await useStack()).google.faults.reset();
  for (const tenantId of mine) {
    for (const run of await runsOf(tenantId)) {
      if (run.status !== 'running') continue;
      await eventually(
        async () =>
          (await syncPaths(getApp().db, tenantId).run(run.id).get()).data()?.status !== 'running' || undefined,
        `run ${run.id} to end`,
        90_000,
      );
    }
  }
});

describe('pausing synchronization: push updates', function () {
  this.timeout(180_000);
  pushDeliveryOn();

  it('stops the channels at Google, applies no notification while paused, and reopens the channels on the tick after Resume', async () => {
    const { google } = await useStack();
    const tenant = await tenantOfMine();
    const id = tenant.tenantId;
    assert.equal((await syncWith(tenant)).status, 'succeeded');
    const opened = (await channelRecordsOf(id)).map((record) => record.id);
    assert.equal(opened.length, 4, 'connect opened the four channels');
    assert.deepEqual(await liveAtStandIn(opened), opened);
    await google.push.delivery.idle();

    await pause(tenant);
    assert.deepEqual(await liveAtStandIn(opened), [], 'every channel is stopped at Google');
    assert.deepEqual(await channelRecordsOf(id), [], 'and forgotten');
    const view = await viewOf(tenant);
    assert.equal(view.status, 'connected', 'the connection stays');
    assert.equal(view.push?.message, 'Updates from Google are stopped while synchronization is paused.');

    // A new hire at Google reaches no channel of the tenant.
    const hire: DirectoryUser = {
      id: '118000000000000000525',
      primaryEmail: 'paula.pause@acme.example',
      name: { givenName: 'Paula', familyName: 'Pause' },
      orgUnitPath: '/Sales',
    };
    const extensionsBefore = await extensionsOf(id);
    const linksBefore = await linksOf(id);
    const claimsBefore = await pushClaimsOf(id);
    await editDemoUsers((users) => [...users, hire]);
    await google.push.delivery.idle();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.deepEqual(await pushClaimsOf(id), claimsBefore, 'no notification reached the tenant');

    // A notification queued before the pause (its task delivered after it) creates nothing either.
    await handlePushTask(getApp(), {
      tenant: id,
      userId: hire.id!,
      event: 'add',
      channelId: opened[0]!,
      messageNumber: '900',
      receivedAt: Date.now() - DEBOUNCE_MS,
    });
    assert.equal(await extensionOfUser(id, hire.id!), undefined, 'no extension for the new hire');

    // The tick that upkeeps the channels does not reopen them, and starts no run of the paused tenant.
    const calls = await tick();
    assert.deepEqual(await channelRecordsOf(id), [], 'no channel reopened while paused');
    assert.deepEqual(
      calls.filter((call) => call.tenantId === id),
      [],
      'the paused tenant is not even tried',
    );
    assert.deepEqual(await extensionsOf(id), extensionsBefore, 'extensions as they were');
    assert.deepEqual(await linksOf(id), linksBefore, 'links as they were');

    // Resume syncs at once, which brings in what was missed.
    const runId = await resume(tenant);
    assert.ok(runId, 'Resume started a run');
    const run = await waitForRun(tenant, runId);
    assert.deepEqual([run.trigger, run.status], ['resume', 'succeeded'], run.failure ?? '');
    assert.equal((await extensionOfUser(id, hire.id!))?.email, hire.primaryEmail, 'the run created the new hire');
    assert.equal((await viewOf(tenant)).paused, false);

    // The next tick opens the channels again, and updates from Google arrive once more.
    await tick();
    const reopened = await channelRecordsOf(id);
    assert.deepEqual(reopened.map((record) => record.event).sort(), ['add', 'delete', 'undelete', 'update']);
    assert.equal((await liveAtStandIn(reopened.map((record) => record.id))).length, 4);
    await editDemoUser(hire.primaryEmail!, (user) => ({
      ...user,
      name: { givenName: 'Paulina', familyName: 'Pause' },
    }));
    await eventually(
      async () => (await extensionOfUser(id, hire.id!))?.firstName === 'Paulina' || undefined,
      'the pushed rename',
    );
  });
});

describe('pausing synchronization: runs', function () {
  this.timeout(180_000);

  it('starts no scheduled run, answers Sync now that it is paused, saves without syncing, and Resume syncs at once', async () => {
    const tenant = await tenantOfMine();
    const id = tenant.tenantId;
    assert.equal((await syncWith(tenant, DUE_ALL_DAY)).status, 'succeeded');
    // The first run was a Save, so today's scheduled slot is still open.
    const extensionsBefore = await extensionsOf(id);
    const linksBefore = await linksOf(id);
    assert.ok(Object.keys(linksBefore).length > 5);

    await pause(tenant);
    const { pausedAt } = await viewOf(tenant);
    assert.ok(pausedAt, 'the view says since when');
    await pause(tenant);
    assert.equal((await viewOf(tenant)).pausedAt, pausedAt, 'pausing twice is harmless');
    const runsBefore = (await runsOf(id)).map((run) => run.id);

    const calls = await tick(id);
    assert.deepEqual(
      calls.filter((call) => call.tenantId === id),
      [],
      'the due scheduled run is not started',
    );

    const syncNowAnswer = await adminApi(tenant, 'POST', '/api/sync/runs', {});
    assert.equal(syncNowAnswer.status, 409);
    assert.deepEqual(((await syncNowAnswer.json()) as { error: unknown }).error, {
      code: 'conflict',
      message: PAUSED_SYNC_NOW,
    });

    const saved = await adminApi(tenant, 'PUT', '/api/sync/settings', { ...DUE_ALL_DAY, welcomeEmail: false });
    const savedBody = (await saved.json()) as { settings: SyncSettings; run: RunView; paused?: boolean };
    assert.equal(saved.status, 200);
    assert.equal(savedBody.paused, true);
    assert.equal(savedBody.settings.welcomeEmail, false, 'the settings are stored');
    assert.equal(savedBody.run.id, runsBefore.at(-1), 'the page goes on showing the latest run');
    assert.deepEqual(
      (await runsOf(id)).map((run) => run.id),
      runsBefore,
      'no run started',
    );

    // A preview writes nothing, so it is allowed.
    const preview = await adminApi(tenant, 'POST', '/api/sync/preview', DUE_ALL_DAY);
    assert.equal(preview.status, 200);
    const previewRun = ((await preview.json()) as { run: RunView }).run;
    assert.equal((await waitForRun(tenant, previewRun.id)).status, 'succeeded');

    assert.deepEqual(await extensionsOf(id), extensionsBefore, 'extensions as they were');
    assert.deepEqual(await linksOf(id), linksBefore, 'links as they were');

    const runId = await resume(tenant);
    assert.ok(runId);
    const resumed = await waitForRun(tenant, runId);
    assert.deepEqual([resumed.trigger, resumed.status], ['resume', 'succeeded'], resumed.failure ?? '');
    const view = await viewOf(tenant);
    assert.deepEqual([view.paused, view.pausedAt], [false, null]);

    // Once resumed, the same tick starts the scheduled run that the pause held back.
    const after = await tick(id);
    assert.deepEqual(
      after.filter((call) => call.tenantId === id).map((call) => call.trigger),
      ['schedule'],
    );
    const scheduled = (await runsOf(id)).at(-1)!;
    assert.equal(scheduled.trigger, 'schedule');
    assert.equal((await waitForRun(tenant, scheduled.id)).status, 'succeeded');
  });

  it('ends a run going on as failed, paused by the admin, deleting nothing; Resume then syncs', async () => {
    const { google } = await useStack();
    const tenant = await tenantOfMine();
    const id = tenant.tenantId;
    assert.equal((await syncWith(tenant)).status, 'succeeded');
    // A user leaves Google: a run that finished would delete their extension.
    const leaver = await demoUser('ethan.walker@acme.example');
    try {
      await editDemoUsers((users) => users.filter((user) => user.id !== leaver.id));
      const extensionsBefore = await extensionsOf(id);
      const linksBefore = await linksOf(id);
      assert.ok(await extensionOfUser(id, leaver.id!));

      // A slow listing keeps the run going while the admin pauses.
      google.faults.setLatency(4000, 'users.list');
      const listed = google.faults.stats().byMethod['users.list'];
      const running = await syncNow(tenant);
      assert.equal(running.status, 'running');
      await eventually(
        async () => (google.faults.stats().byMethod['users.list'] > listed ? true : undefined),
        'the listing asked',
      );
      await pause(tenant);

      const ended = (await syncPaths(getApp().db, id).run(running.id).get()).data();
      assert.equal(ended?.status, 'failed');
      assert.equal(ended.failure, PAUSED_RUN_FAILURE);
      assert.equal(ended.pausedBy, 'admin');
      assert.equal((await syncPaths(getApp().db, id).state.get()).data()?.activeRunId, null, 'the slot is free');

      // The listing answers after the pause; the run's remaining tasks stop, and nothing is removed.
      await new Promise((resolve) => setTimeout(resolve, 4000 + 4000));
      assert.equal((await waitForRun(tenant, running.id)).failure, PAUSED_RUN_FAILURE, 'still failed as paused');
      assert.deepEqual(await extensionsOf(id), extensionsBefore, 'no extension deleted or changed');
      assert.deepEqual(await linksOf(id), linksBefore, 'no link removed');

      google.faults.setLatency(0, 'users.list');
      const runId = await resume(tenant);
      assert.ok(runId);
      const resumed = await waitForRun(tenant, runId);
      assert.deepEqual([resumed.trigger, resumed.status], ['resume', 'succeeded'], resumed.failure ?? '');
      assert.equal(resumed.counts.deleted, 1, 'the resumed run removes the leaver');
      assert.equal(await extensionOfUser(id, leaver.id!), undefined);
    } finally {
      google.fixtures.reset();
    }
  });

  it('pauses only a connection on the integration plan, starts no run on Resume before settings are saved, and Disconnect ends the pause', async () => {
    const neverConnected = await createTestTenant();
    for (const action of ['pause', 'resume'] as const) {
      const { status, body } = await post(neverConnected, action);
      assert.equal(status, 409);
      assert.equal(
        (body['error'] as { message: string }).message,
        `Synchronization can be ${action}d only while Google Workspace is connected. Connect it first.`,
      );
    }
    const essentials = await createTestTenant({ plan: 'essentials' });
    assert.equal((await post(essentials, 'pause')).status, 403);

    const tenant = await tenantOfMine();
    await pause(tenant);
    assert.equal(await resume(tenant), null, 'no settings saved yet: nothing to sync');
    assert.deepEqual(await runsOf(tenant.tenantId), []);
    assert.equal((await viewOf(tenant)).paused, false);

    await pause(tenant);
    const disconnected = await adminApi(tenant, 'POST', '/api/integrations/google/disconnect', { extensions: 'keep' });
    assert.equal(disconnected.status, 200);
    const stored = (await integrationRef(getApp().db, tenant.tenantId).get()).data();
    assert.equal(stored?.status, 'not_connected');
    assert.equal(stored.paused, undefined, 'a disconnect forgets the pause');
    assert.equal((await viewOf(tenant)).paused, false);
  });
});
