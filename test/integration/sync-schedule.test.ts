// Scheduling (SPEC §5.5) and the watchdog (§5.4): the scheduler tick starts each connected tenant's daily sync
// once its local time passes the configured time in its own time zone, once per local day; it skips tenants that
// are off, not connected or on a plan without the integration; it never starts a second run beside a running one;
// and it fails runs with no progress for 15 minutes, deleting nothing.
//
// Most ticks are handled in-process with a crafted CloudEvent, whose `time` is the tick's "now". Those ticks may
// only start runs of this file's tenants: the stack is shared, and other tests' connected tenants must not get runs
// from a tick dated in the past. Crafted times are in the past (or at the real now for the watchdog), so the
// watchdog never fails another test's live run. One test publishes a real tick to the `schedule-tick` topic.
// Every run a tick starts really executes through Pub/Sub; each test waits for its runs to end.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getApp } from '../../functions/src/app.ts';
import { TOPICS } from '../../functions/src/catalog.ts';
import { integrationRef } from '../../functions/src/connect/integration.ts';
import { AppError } from '../../functions/src/errors.ts';
import { readHeartbeat } from '../../functions/src/schedule/heartbeat.ts';
import { handleTick, type TickDependencies } from '../../functions/src/schedule/tick.ts';
import { handleFinalize } from '../../functions/src/sync/removals/finalize.ts';
import { handlePageTask } from '../../functions/src/sync/fetch/page-task.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { failRun } from '../../functions/src/sync/run/run-control.ts';
import type { RunTrigger, SyncRun } from '../../functions/src/sync/run/run.ts';
import type { SyncState } from '../../functions/src/sync/run/sync-state.ts';
import { saveSyncSettings } from '../../functions/src/sync/settings/settings-store.ts';
import { DEFAULT_SETTINGS, type SyncSettings } from '../../functions/src/sync/settings/settings.ts';
import { setTenantPlan } from '../../functions/src/tenants/create-tenant.ts';
import { useStack } from '../support/stack.ts';
import { connectedTenant, extensionsOf, syncNow, syncWith, waitForRun } from '../support/sync.ts';
import { createTestTenant, type TestTenant } from '../support/tenants.ts';

const STALL_FAILURE = 'The sync made no progress for 15 minutes.';
const MINUTE = 60_000;

/** A run document as the tests read it. */
type RunDoc = SyncRun & { readonly id: string; readonly fabricated?: boolean };

/** Every tenant this file made, so that afterEach can wait for (or end) their runs. */
const mine = new Set<string>();
/** The tenants of the running test: the only ones its crafted ticks may start. */
const current = new Set<string>();

async function tenantIn(timeZone: string, connected = true): Promise<TestTenant> {
  const tenant = connected ? await connectedTenant() : await createTestTenant();
  mine.add(tenant.tenantId);
  current.add(tenant.tenantId);
  await getApp().db.doc(`tenants/${tenant.tenantId}`).update({ timeZone });
  return tenant;
}

/** A Pub/Sub CloudEvent of the tick topic, as the Functions Framework hands it over. */
function tickEvent(time: Date | string): CloudEvent<unknown> {
  return {
    specversion: '1.0',
    id: `test-tick-${randomUUID()}`,
    source: `//pubsub.googleapis.com/projects/demo-teliqon/topics/${TOPICS.scheduleTick}`,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    time: typeof time === 'string' ? time : time.toISOString(),
    data: { message: { data: Buffer.from('{"source":"test"}').toString('base64') } },
  };
}

/** One call the tick made to startRun, with what it answered. */
interface StartCall {
  readonly tenantId: string;
  readonly trigger: RunTrigger;
  readonly slot: string | undefined;
  result?: { runId: string; started: boolean };
}

/** The app's tick dependencies, with startRun limited to the running test's tenants and every call recorded. */
function ownTick(): { deps: TickDependencies; calls: StartCall[] } {
  const app = getApp();
  const calls: StartCall[] = [];
  const deps: TickDependencies = {
    config: app.config,
    db: app.db,
    directory: app.directory,
    queue: app.queue,
    startRun: async (tenantId, trigger, slot) => {
      if (!current.has(tenantId)) return undefined;
      const call: StartCall = { tenantId, trigger, slot };
      calls.push(call);
      call.result = await app.startRun(tenantId, trigger, slot);
      return call.result;
    },
  };
  return { deps, calls };
}

/** Handles a crafted tick at `time` in-process; returns the startRun calls it made for the test's tenants. */
async function tickAt(time: Date | string): Promise<StartCall[]> {
  const { deps, calls } = ownTick();
  await handleTick(deps, tickEvent(time));
  return calls;
}

async function stateOf(tenantId: string): Promise<SyncState> {
  return (await syncPaths(getApp().db, tenantId).state.get()).data() ?? {};
}

async function runsOf(tenantId: string): Promise<RunDoc[]> {
  const snapshot = await syncPaths(getApp().db, tenantId).runs.get();
  const runs = snapshot.docs.map((doc) => ({ ...doc.data(), id: doc.id }));
  return runs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function runOf(tenantId: string, runId: string): Promise<RunDoc> {
  const snapshot = await syncPaths(getApp().db, tenantId).run(runId).get();
  assert.ok(snapshot.exists, `run ${runId} of ${tenantId} exists`);
  return { ...(snapshot.data() as SyncRun), id: runId };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls a run document until it is no longer running. */
async function settled(tenantId: string, runId: string): Promise<RunDoc> {
  return until(async () => {
    const run = await runOf(tenantId, runId);
    return run.status === 'running' ? undefined : run;
  }, `run ${runId} of ${tenantId} to end`);
}

/** Asserts that a tick started exactly one scheduled run of the tenant, waits for it to end, and returns it. */
async function assertStartedOnce(
  tenant: TestTenant,
  before: RunDoc[],
  calls: StartCall[],
  slot: string,
): Promise<RunDoc> {
  const after = await runsOf(tenant.tenantId);
  assert.equal(after.length, before.length + 1, `one new run of ${tenant.tenantId}`);
  const run = after.find((candidate) => !before.some((old) => old.id === candidate.id))!;
  assert.equal(run.trigger, 'schedule');
  const state = await stateOf(tenant.tenantId);
  assert.equal(state['lastRunId'], run.id);
  assert.ok(
    state['activeRunId'] === run.id || state['activeRunId'] === null,
    'the new run is the active one until it ends',
  );
  assert.deepEqual(
    calls
      .filter((call) => call.tenantId === tenant.tenantId)
      .map((call) => [call.trigger, call.slot, call.result?.started]),
    [['schedule', slot, true]],
  );
  const ended = await settled(tenant.tenantId, run.id);
  assert.equal(ended.status, 'succeeded', ended.failure);
  return ended;
}

/** Asserts that a tick left the tenant's runs and sync state as they were. */
async function assertUntouched(tenant: TestTenant, before: RunDoc[], stateBefore: SyncState): Promise<void> {
  const after = await runsOf(tenant.tenantId);
  assert.deepEqual(
    after.map((run) => run.id),
    before.map((run) => run.id),
    `no new run of ${tenant.tenantId}`,
  );
  assert.deepEqual(await stateOf(tenant.tenantId), stateBefore, `the sync state of ${tenant.tenantId} is unchanged`);
}

/** A snapshot of what a tick could change for a tenant. */
async function snapshot(tenant: TestTenant): Promise<{ runs: RunDoc[]; state: SyncState }> {
  return { runs: await runsOf(tenant.tenantId), state: await stateOf(tenant.tenantId) };
}

/** Writes a run that looks like it is in progress, last marked at `lastProgressAt`; optionally the active one. */
async function fabricateRun(
  tenantId: string,
  lastProgressAt: Date,
  options: { active?: boolean; rerunRequested?: boolean; settings?: SyncSettings; managedAtStart?: number } = {},
): Promise<string> {
  const paths = syncPaths(getApp().db, tenantId);
  const runId = `20250101T000000-${randomUUID().slice(0, 8)}`;
  // Raw, since `fabricated` is no field of a run.
  await paths
    .run(runId)
    .withConverter(null)
    .create({
      status: 'running',
      trigger: 'manual',
      settings: options.settings ?? DEFAULT_SETTINGS,
      createdAt: new Date(lastProgressAt.getTime() - 10 * MINUTE).toISOString(),
      lastProgressAt: lastProgressAt.toISOString(),
      managedAtStart: options.managedAtStart ?? 0,
      fabricated: true,
    });
  if (options.active) {
    await paths.state.set(
      { activeRunId: runId, lastRunId: runId, rerunRequested: options.rerunRequested ?? false },
      { merge: true },
    );
  }
  return runId;
}

async function linkedUserIds(tenantId: string): Promise<string[]> {
  return (await syncPaths(getApp().db, tenantId).googleLinks.get()).docs.map((doc) => doc.id).sort();
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
function localDate(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}

/** Minutes since local midnight of an instant in a time zone. */
function localMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return value('hour') * 60 + value('minute');
}

const OFF: SyncSettings = { ...DEFAULT_SETTINGS, schedule: { frequency: 'off', time: '00:30' } };

describe('scheduled syncs and the watchdog (SPEC §5.5, §5.4)', function () {
  this.timeout(240_000);

  before(async () => {
    await useStack();
  });

  beforeEach(() => current.clear());

  // Whatever a test started ends before the next test: real runs are waited for, fabricated ones are failed.
  afterEach(async function () {
    this.timeout(120_000);
    const stack = await useStack();
    stack.google.faults.reset();
    const db = getApp().db;
    for (const tenantId of mine) {
      const running = await syncPaths(db, tenantId).runs.where('status', '==', 'running').get();
      for (const run of running.docs) {
        if (run.get('fabricated') === true) await failRun(db, syncPaths(db, tenantId), run.id, 'Ended by the test.');
        else await settled(tenantId, run.id);
      }
    }
  });

  it('starts a default tenant once per local day when 00:30 passes in its own time zone (Asia/Tokyo vs America/Los_Angeles)', async () => {
    const tokyo = await tenantIn('Asia/Tokyo');
    const la = await tenantIn('America/Los_Angeles');

    // 2025-02-10 00:29 in Tokyo is 2025-02-09 07:29 in Los Angeles, already past 00:30 there.
    let [t, l] = [await snapshot(tokyo), await snapshot(la)];
    let calls = await tickAt('2025-02-10T00:29:00+09:00');
    await assertUntouched(tokyo, t.runs, t.state);
    await assertStartedOnce(la, l.runs, calls, 'daily:2025-02-09');

    // 00:31 in Tokyo: its run starts. Los Angeles (07:31 on the 9th) already had its run that day.
    [t, l] = [await snapshot(tokyo), await snapshot(la)];
    calls = await tickAt('2025-02-10T00:31:00+09:00');
    const first = await assertStartedOnce(tokyo, t.runs, calls, 'daily:2025-02-10');
    await assertUntouched(la, l.runs, l.state);
    assert.ok(first.counts && first.counts.created > 0, 'the scheduled run really synced the directory');

    // Later the same local day in both: nothing more. (16:59 in Tokyo is 23:59 on the 9th in Los Angeles.)
    for (const time of ['2025-02-10T00:32:00+09:00', '2025-02-10T12:00:00+09:00', '2025-02-10T16:59:00+09:00']) {
      [t, l] = [await snapshot(tokyo), await snapshot(la)];
      calls = await tickAt(time);
      await assertUntouched(tokyo, t.runs, t.state);
      await assertUntouched(la, l.runs, l.state);
      assert.deepEqual(
        calls.filter((call) => call.result?.started),
        [],
        `nothing started at ${time}`,
      );
    }

    // Los Angeles' own 00:29 and 00:31 on the 10th (17:29 and 17:31 in Tokyo).
    [t, l] = [await snapshot(tokyo), await snapshot(la)];
    await tickAt('2025-02-10T00:29:00-08:00');
    await assertUntouched(tokyo, t.runs, t.state);
    await assertUntouched(la, l.runs, l.state);
    calls = await tickAt('2025-02-10T00:31:00-08:00');
    await assertStartedOnce(la, l.runs, calls, 'daily:2025-02-10');
    await assertUntouched(tokyo, t.runs, t.state);

    // The next local day in Tokyo starts again; Los Angeles is still on the 10th.
    [t, l] = [await snapshot(tokyo), await snapshot(la)];
    await tickAt('2025-02-11T00:10:00+09:00');
    await assertUntouched(tokyo, t.runs, t.state);
    calls = await tickAt('2025-02-11T00:31:00+09:00');
    await assertStartedOnce(tokyo, t.runs, calls, 'daily:2025-02-11');
    await assertUntouched(la, l.runs, l.state);

    assert.deepEqual(
      (await runsOf(tokyo.tenantId)).map((run) => [run.trigger, run.status]),
      [
        ['schedule', 'succeeded'],
        ['schedule', 'succeeded'],
      ],
    );
    assert.deepEqual(
      (await runsOf(la.tenantId)).map((run) => [run.trigger, run.status]),
      [
        ['schedule', 'succeeded'],
        ['schedule', 'succeeded'],
      ],
    );
  });

  it('never starts a tenant whose frequency is off, and follows a changed time of day', async () => {
    const tenant = await tenantIn('Asia/Tokyo');
    await saveSyncSettings(getApp().db, tenant.tenantId, OFF);
    let before = await snapshot(tenant);
    for (const time of [
      '2025-02-10T00:31:00+09:00',
      '2025-02-10T12:00:00+09:00',
      '2025-02-10T23:59:00+09:00',
      '2025-02-11T00:31:00+09:00',
    ]) {
      await tickAt(time);
      await assertUntouched(tenant, before.runs, before.state);
    }
    await assertUntouched(tenant, before.runs, before.state);

    await saveSyncSettings(getApp().db, tenant.tenantId, {
      ...DEFAULT_SETTINGS,
      schedule: { frequency: 'daily', time: '18:45' },
    });
    await tickAt('2025-02-11T18:44:00+09:00');
    await assertUntouched(tenant, before.runs, before.state);
    before = await snapshot(tenant);
    const calls = await tickAt('2025-02-11T18:46:00+09:00');
    await assertStartedOnce(tenant, before.runs, calls, 'daily:2025-02-11');
  });

  it('skips a tenant on the Essentials plan, one never connected and one waiting for reauthorization', async () => {
    const downgraded = await tenantIn('Asia/Tokyo');
    await setTenantPlan(getApp().db, downgraded.tenantId, 'essentials');
    const neverConnected = await tenantIn('Asia/Tokyo', false);
    const reauthorize = await tenantIn('Asia/Tokyo');
    await integrationRef(getApp().db, reauthorize.tenantId).set(
      { status: 'reauthorization_required' },
      { merge: true },
    );
    const control = await tenantIn('Asia/Tokyo');

    const skipped = [downgraded, neverConnected, reauthorize];
    const before = await Promise.all(skipped.map(snapshot));
    const controlBefore = await snapshot(control);
    const calls = await tickAt('2025-02-10T12:00:00+09:00');
    for (const [index, tenant] of skipped.entries()) {
      await assertUntouched(tenant, before[index]!.runs, before[index]!.state);
      assert.deepEqual(await runsOf(tenant.tenantId), []);
    }
    await assertStartedOnce(control, controlBefore.runs, calls, 'daily:2025-02-10');
  });

  it('keeps one run active at a time: a tick during a running run returns that run, and Sync now during a scheduled run returns it', async () => {
    const tenant = await tenantIn('Asia/Tokyo');
    const stack = await useStack();
    // Slow listings keep each run running for several seconds.
    stack.google.faults.setLatency(6_000, 'users.list');

    const manual = await syncNow(tenant);
    assert.equal(manual.status, 'running');
    let calls = await tickAt('2025-02-10T00:31:00+09:00');
    assert.equal(
      (await runOf(tenant.tenantId, manual.id)).status,
      'running',
      'the tick came while the manual run was running',
    );
    assert.deepEqual(
      calls.map((call) => [call.tenantId, call.result]),
      [[tenant.tenantId, { runId: manual.id, started: false }]],
    );
    assert.deepEqual(
      (await runsOf(tenant.tenantId)).map((run) => run.id),
      [manual.id],
      'no second run',
    );
    assert.equal((await stateOf(tenant.tenantId))['activeRunId'], manual.id);
    assert.equal((await settled(tenant.tenantId, manual.id)).status, 'succeeded');

    // The schedule's run did not happen while the manual one ran, so it is still due that day.
    const before = await runsOf(tenant.tenantId);
    calls = await tickAt('2025-02-10T00:32:00+09:00');
    const scheduled = calls.find((call) => call.tenantId === tenant.tenantId)?.result;
    assert.ok(scheduled?.started, 'the scheduled run starts once the manual one ended');
    assert.equal((await runsOf(tenant.tenantId)).length, before.length + 1);

    const duringScheduled = await syncNow(tenant);
    assert.equal(duringScheduled.id, scheduled.runId, '"Sync now" during the scheduled run returns it');
    assert.equal(duringScheduled.trigger, 'schedule');
    calls = await tickAt('2025-02-11T00:31:00+09:00');
    assert.deepEqual(
      calls.map((call) => call.result),
      [{ runId: scheduled.runId, started: false }],
      "the next day's tick returns the running run",
    );
    assert.equal((await runsOf(tenant.tenantId)).length, before.length + 1, 'still one run more, not two');

    stack.google.faults.setLatency(0, 'users.list');
    assert.equal((await settled(tenant.tenantId, scheduled.runId)).status, 'succeeded');
    assert.equal((await stateOf(tenant.tenantId))['activeRunId'], null);
  });

  it('refuses a tick without a valid time', async () => {
    const { deps } = ownTick();
    for (const time of ['', 'not a time']) {
      await assert.rejects(
        handleTick(deps, { ...tickEvent(new Date()), time }),
        (error: unknown) => error instanceof AppError && error.code === 'invalid_request',
      );
    }
  });

  it('fails a run with no progress for more than 15 minutes, deletes nothing, and frees the tenant', async () => {
    const tenant = await tenantIn('Europe/Berlin');
    const synced = await syncWith(tenant, OFF);
    assert.equal(synced.status, 'succeeded');
    const extensionsBefore = await extensionsOf(tenant.tenantId);
    const linksBefore = await linkedUserIds(tenant.tenantId);
    assert.ok(linksBefore.length > 5);

    const now = new Date();
    const stalled = await fabricateRun(tenant.tenantId, new Date(now.getTime() - 15 * MINUTE - 1_000), {
      active: true,
      settings: OFF,
      managedAtStart: linksBefore.length,
    });
    const atLimit = await fabricateRun(tenant.tenantId, new Date(now.getTime() - 15 * MINUTE), { settings: OFF });
    const fresh = await fabricateRun(tenant.tenantId, new Date(now.getTime() - 14 * MINUTE), { settings: OFF });
    // The stalled run's listing looks complete and misses two linked users: finalized, it would delete them.
    const paths = syncPaths(getApp().db, tenant.tenantId);
    const page = {
      status: 'done',
      page: 0,
      last: true,
      deletions: [],
      counts: { created: 0, updated: 0, unchanged: 0, associated: 0, released: 0, deleted: 0, skipped: 0, failed: 0 },
    };
    await paths
      .page(stalled, 'domain', 0)
      .set({ ...page, chain: 'domain', listed: linksBefore.length - 2, userIds: linksBefore.slice(2) });
    await paths.page(stalled, 'deleted', 0).set({ ...page, chain: 'deleted', listed: 0, userIds: [] });

    await tickAt(now);
    const failed = await runOf(tenant.tenantId, stalled);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failure, STALL_FAILURE);
    assert.ok(failed.finishedAt);
    assert.equal(
      (await runOf(tenant.tenantId, atLimit)).status,
      'running',
      'exactly 15 minutes is not more than 15 minutes',
    );
    assert.equal((await runOf(tenant.tenantId, fresh)).status, 'running');
    const state = await stateOf(tenant.tenantId);
    assert.equal(state['activeRunId'], null, 'the tenant is free for the next run');
    assert.equal(state['lastRunId'], stalled);

    // Late tasks of the failed run change nothing.
    await handleFinalize(getApp(), { tenant: tenant.tenantId, runId: stalled });
    await handlePageTask(getApp(), {
      tenant: tenant.tenantId,
      runId: stalled,
      chain: 'domain',
      page: 1,
      pageToken: 'late',
    });
    assert.deepEqual(await runOf(tenant.tenantId, stalled), failed);
    assert.deepEqual(await linkedUserIds(tenant.tenantId), linksBefore, 'no link removed');
    assert.deepEqual(await extensionsOf(tenant.tenantId), extensionsBefore, 'no extension deleted or changed');
    assert.equal((await paths.held(stalled).get()).size, 0, 'nothing held either');

    // A second tick a second later: the run at the limit is now past it; the failed run stays as it was.
    await tickAt(new Date(now.getTime() + 1_000));
    assert.equal((await runOf(tenant.tenantId, atLimit)).status, 'failed');
    assert.equal((await runOf(tenant.tenantId, atLimit)).failure, STALL_FAILURE);
    assert.equal((await runOf(tenant.tenantId, fresh)).status, 'running');
    assert.deepEqual(await runOf(tenant.tenantId, stalled), failed);

    // "Sync now" starts a new run rather than returning the stalled one, and it deletes nothing.
    const next = await syncNow(tenant);
    assert.notEqual(next.id, stalled);
    const ended = await waitForRun(tenant, next.id);
    assert.equal(ended.status, 'succeeded');
    assert.equal(ended.counts.deleted, 0);
    assert.deepEqual(await linkedUserIds(tenant.tenantId), linksBefore);
  });

  it('starts the rerun a Save asked for when the watchdog fails the run it was waiting on', async () => {
    const tenant = await tenantIn('Europe/Berlin');
    await saveSyncSettings(getApp().db, tenant.tenantId, OFF);
    const now = new Date();
    const stalled = await fabricateRun(tenant.tenantId, new Date(now.getTime() - 20 * MINUTE), {
      active: true,
      rerunRequested: true,
      settings: OFF,
    });

    const calls = await tickAt(now);
    assert.equal((await runOf(tenant.tenantId, stalled)).status, 'failed');
    const rerun = calls.find((call) => call.tenantId === tenant.tenantId && call.trigger === 'rerun');
    assert.ok(rerun?.result?.started, 'one more run starts when the stalled one ends');
    const state = await stateOf(tenant.tenantId);
    assert.equal(state['lastRunId'], rerun.result.runId);
    assert.equal(state['rerunRequested'], false);
    const run = await settled(tenant.tenantId, rerun.result.runId);
    assert.deepEqual([run.trigger, run.status], ['rerun', 'succeeded']);
  });

  it('does not let a stalled run block the schedule: the same tick fails it and starts the due run', async () => {
    const tenant = await tenantIn('Europe/Berlin');
    // Due at any time of day, so the tick can carry the real time (which keeps other tests' live runs safe).
    await saveSyncSettings(getApp().db, tenant.tenantId, {
      ...DEFAULT_SETTINGS,
      schedule: { frequency: 'daily', time: '00:00' },
    });
    const now = new Date();
    const stalled = await fabricateRun(tenant.tenantId, new Date(now.getTime() - 16 * MINUTE), { active: true });
    const before = await runsOf(tenant.tenantId);

    const calls = await tickAt(now);
    assert.equal((await runOf(tenant.tenantId, stalled)).failure, STALL_FAILURE);
    await assertStartedOnce(tenant, before, calls, `daily:${localDate(now.getTime(), 'Europe/Berlin')}`);
  });

  it('through the schedule-tick topic: the publish time is "now", a due tenant starts and a stalled run fails', async () => {
    // A zone whose local time is well inside the day, so that default settings (00:30) are due and the local date
    // cannot change between publishing and handling.
    const zones = ['Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney'];
    const zone = zones.find(
      (candidate) => localMinutes(Date.now(), candidate) >= 40 && localMinutes(Date.now(), candidate) <= 23 * 60 + 50,
    );
    assert.ok(zone, 'some zone is inside its day');
    const due = await tenantIn(zone);
    const watched = await tenantIn('Europe/Berlin', false);
    const stalled = await fabricateRun(watched.tenantId, new Date(Date.now() - 20 * MINUTE), { active: true });
    const fresh = await fabricateRun(watched.tenantId, new Date(Date.now() - 5 * MINUTE));

    const stack = await useStack();
    const publishedAt = Date.now();
    const messageId = await stack.pubsub
      .topic(TOPICS.scheduleTick)
      .publishMessage({ json: { source: 'sync-schedule test' } });
    try {
      const heartbeat = await until(
        async () => {
          const current = await readHeartbeat(getApp().db);
          return current?.lastTickId === messageId ? current : undefined;
        },
        'the tick to be recorded',
        30_000,
      );
      const tickAtMs = Date.parse(heartbeat.lastTickAt);
      assert.ok(
        Math.abs(tickAtMs - publishedAt) < 30_000,
        `the tick's time is its publish time (${heartbeat.lastTickAt})`,
      );

      const runId = await until(
        async () => (await stateOf(due.tenantId)).lastRunId,
        'the scheduled run to start',
        30_000,
      );
      const state = await stateOf(due.tenantId);
      assert.equal(
        state['lastSlot'],
        `daily:${localDate(tickAtMs, zone)}`,
        'the slot is the local date in the tenant time zone',
      );
      const run = await settled(due.tenantId, runId);
      assert.deepEqual([run.trigger, run.status], ['schedule', 'succeeded']);
      assert.equal((await runsOf(due.tenantId)).length, 1);

      const failed = await until(
        async () => {
          const current = await runOf(watched.tenantId, stalled);
          return current.status === 'failed' ? current : undefined;
        },
        'the stalled run to fail',
        30_000,
      );
      assert.equal(failed.failure, STALL_FAILURE);
      assert.equal((await runOf(watched.tenantId, fresh)).status, 'running');
    } finally {
      await quietScheduledRuns(publishedAt);
    }
  });
});

// A published tick starts every due tenant of the shared stack, other tests' included. Wait until the scheduled
// runs it started have ended, so they do not run on into later tests.
async function quietScheduledRuns(since: number): Promise<void> {
  const db = getApp().db;
  let quietSince = Date.now();
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const running = await db.collectionGroup('syncRuns').where('status', '==', 'running').get();
    const started = running.docs.filter(
      (doc) => doc.get('trigger') === 'schedule' && Date.parse(String(doc.get('createdAt'))) >= since - 5_000,
    );
    if (started.length > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 5_000) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
