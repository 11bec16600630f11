// What the cold-start benchmark's first requests work on: its stack, a tenant connected to the demo Workspace and
// synced, one of its synced users, and the product's own code in this process (a local-mode client of the stack,
// as the seed and the tests are). Each function's first request is made ready here, sent to a fresh process, and
// what it left behind is waited for, so every cold start meets a quiet stack.
import { getApp, type App } from '../../functions/src/app.ts';
import type { Extension } from '../../functions/src/extensions/extension.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import type { RunningStack } from '../stack/stack.ts';
import { syncedBenchTenant, type BenchTenant } from './bench-tenant.ts';

/** A synced user of the benchmark's tenant. */
export interface BenchUser {
  readonly email: string;
  readonly userId: string;
  readonly number: string;
  readonly firstName: string;
}

/** Everything a first request may use. */
export interface ColdWorld extends BenchTenant {
  readonly stack: RunningStack;
  readonly app: App;
  readonly user: BenchUser;
  /** Numbers each measurement, so every request's ids (mail ids, message numbers) are its own. */
  readonly nextSerial: () => number;
}

/** One function's first request, made ready before its cold process starts. */
export interface FirstRequest {
  /** Sends the request to the cold process at `origin`, as Hosting or Pub/Sub would reach the function. */
  send(origin: string): Promise<Response>;
  /** Why the answer is not the one a working function gives, or undefined when it is. */
  check(response: Response, body: string): string | undefined;
  /** Waits for what the answer left behind (a run it started, a task it queued) and checks it. */
  settle?(): Promise<void>;
}

/** Connects and syncs the benchmark's tenant and picks the user its requests act for. */
export async function coldWorld(stack: RunningStack, log: (line: string) => void): Promise<ColdWorld> {
  const tenant = await syncedBenchTenant(stack, 'bench-cold', log);
  const app = getApp();
  const snapshot = await syncPaths(app.db, tenant.tenantId)
    .extensions.where('google.status', '==', 'active')
    .limit(1)
    .get();
  const extension = snapshot.docs[0]?.data() as Extension | undefined;
  if (!extension?.google) throw new Error('The sync linked no active user');
  const user = {
    email: extension.google.primaryEmail,
    userId: extension.google.userId,
    number: extension.number,
    firstName: extension.firstName,
  };
  let serial = 0;
  return { ...tenant, stack, app, user, nextSerial: () => ++serial };
}

/** Waits until the tenant has no running sync run; fails if the last one did not succeed. */
export async function waitForQuietTenant(world: ColdWorld, timeoutMs = 60_000): Promise<void> {
  const paths = syncPaths(world.app.db, world.tenantId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const activeRunId = (await paths.state.get()).data()?.activeRunId;
    const run = activeRunId ? (await paths.run(activeRunId).get()).data() : undefined;
    if (run?.status !== 'running') {
      if (run && run.status !== 'succeeded') throw new Error(`Run ${activeRunId} ended ${run.status}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`Run ${activeRunId} still running after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls `probe` until it is true, or fails saying what it waited for. */
export async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
