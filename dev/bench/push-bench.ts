// The push benchmark: its own stack with push delivery on, a tenant connected to the demo Workspace and synced, then
// N changes of users' job titles in the Google stand-in, one every `paceMs`, with Directory latency injected. Each
// change is timed from the fixture change to the moment its extension, carrying the new title, is seen in Firestore
// (a snapshot listener, so no polling). The Directory calls made meanwhile are counted per notification delivered.
import { getApp } from '../../functions/src/app.ts';
import type { Extension } from '../../functions/src/extensions/extension.ts';
import { startStack, type RunningStack } from '../stack/stack.ts';
import { syncedTenant } from './bench-tenant.ts';

/** What to benchmark. */
export interface PushBenchOptions {
  readonly changes: number;
  readonly latencyMs: number;
  readonly paceMs: number;
  readonly log: (line: string) => void;
  readonly onStack: (stack: RunningStack) => void;
}

/** What was measured. */
export interface PushMeasurement {
  /** From the fixture change to the extension seen written, per change, in milliseconds. */
  readonly latencyMs: readonly number[];
  /** Change notifications delivered to the webhook. */
  readonly notifications: number;
  readonly usersGetCalls: number;
  readonly directoryCalls: number;
  /** Changes whose extension was not seen within the wait. */
  readonly missed: number;
}

const WAIT_AFTER_LAST_MS = 30_000;

/** Runs the benchmark; the stack is stopped however it ends. */
export async function runPushBench(options: PushBenchOptions): Promise<PushMeasurement> {
  const { log } = options;
  log('Starting the stack…');
  const stack = await startStack('test', { tickIntervalMs: 3_600_000, pushDelivery: true });
  options.onStack(stack);
  try {
    log(`Stack ready (${stack.addresses.instance}); logs in ${stack.dirs.logs}`);
    const tenantId = await syncedTenant(stack, 'bench-push', log);
    return await measure(stack, tenantId, options);
  } finally {
    log('Stopping the stack…');
    await stack.stop();
  }
}

async function measure(stack: RunningStack, tenantId: string, options: PushBenchOptions): Promise<PushMeasurement> {
  const { google } = stack;
  const acme = google.fixtures.organisations.find((org) => org.domain === 'acme.example');
  const users = (acme?.users ?? []).filter((user) => !user.deletionTime && !user.suspended && !user.archived);
  if (users.length === 0) throw new Error('The demo Workspace has no active user');
  await google.push.delivery.idle();
  google.faults.setLatency(options.latencyMs);
  google.faults.resetStats();
  google.push.delivery.reset();

  const changedAt = new Map<string, number>();
  const latencyMs: number[] = [];
  let seenAll: () => void = () => undefined;
  const allSeen = new Promise<void>((resolve) => (seenAll = resolve));
  const stopListening = getApp()
    .db.collection(`tenants/${tenantId}/extensions`)
    .onSnapshot((snapshot) => {
      for (const change of snapshot.docChanges()) {
        const title = (change.doc.data() as Extension).jobTitle;
        const at = changedAt.get(title);
        if (at === undefined) continue;
        changedAt.delete(title);
        latencyMs.push(Date.now() - at);
        if (latencyMs.length === options.changes) seenAll();
      }
    });
  options.log(
    `Changing ${options.changes} users' titles, one every ${options.paceMs} ms, with ${options.latencyMs} ms Directory latency…`,
  );
  for (let i = 0; i < options.changes; i++) {
    const target = users[i % users.length]!;
    const title = `Push benchmark ${i}`;
    changedAt.set(title, Date.now());
    google.fixtures.replace(
      google.fixtures.organisations.map((org) =>
        org.domain === 'acme.example'
          ? {
              ...org,
              users: org.users.map((user) =>
                user.id === target.id ? { ...user, organizations: [{ title, primary: true }] } : user,
              ),
            }
          : org,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, options.paceMs));
  }
  await Promise.race([allSeen, new Promise((resolve) => setTimeout(resolve, WAIT_AFTER_LAST_MS))]);
  stopListening();
  await google.push.delivery.idle();
  // Late tasks (a covered notification still waiting out its pause) make no call; the counts are final here.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const stats = google.faults.stats();
  const notifications = google.push.delivery
    .log()
    .filter((record) => record.state !== 'sync' && record.outcome === 'delivered').length;
  return {
    latencyMs,
    notifications,
    usersGetCalls: stats.byMethod['users.get'],
    directoryCalls: stats.total,
    missed: options.changes - latencyMs.length,
  };
}
