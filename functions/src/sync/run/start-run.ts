// Starts a sync run. Only one run per tenant is active at a time: a request during a run returns that run, and a
// "Save" during a run asks for one more run when it ends. The run's first page of every chain is published last,
// after the run is recorded, so a task never meets a run that does not exist. No run starts while the admin has
// paused synchronization (sync/run/pause.ts); a preview, which writes nothing, still may.
import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { TOPICS } from '../../catalog.ts';
import { integrationRef, readIntegration, type GoogleIntegration } from '../../connect/integration.ts';
import { AppError } from '../../errors.ts';
import type { TaskQueue } from '../../platform/pubsub.ts';
import { getAllOf, readFields } from '../../platform/typed-documents.ts';
import { getTenant, requireIntegrationPlan } from '../../tenants/tenant.ts';
import { syncPaths, type SyncPaths } from '../../tenants/paths.ts';
import { failRun } from './run-control.ts';
import { runStatusFields, type RunTrigger, type SyncRun } from './run.ts';
import type { SyncSettings } from '../settings/settings.ts';
import { readSyncSettings } from '../settings/settings-store.ts';
import { firstChains } from '../settings/sources.ts';
import type { FinalizeTask, PageTask } from './tasks.ts';

/** What starting a run needs. */
export interface StartDependencies {
  readonly db: Firestore;
  readonly queue: TaskQueue;
}

/** Starts a run, or returns the one already running. `slot` names a schedule slot that runs at most once. */
export async function startRun(
  deps: StartDependencies,
  tenantId: string,
  trigger: RunTrigger,
  slot?: string,
): Promise<{ runId: string; started: boolean }> {
  const paths = syncPaths(deps.db, tenantId);
  // Independent reads, made at once: a tenant that cannot sync gets its error all the same.
  const [, { settings }, { managedAtStart, emptyAtStart }] = await Promise.all([
    requireConnected(deps, tenantId),
    readSyncSettings(deps.db, tenantId),
    startFigures(paths),
  ]);
  const runId = newRunId();

  const outcome = await deps.db.runTransaction(async (transaction) => {
    // The integration is read again beside the slot: a pause commits either before this start, which then refuses,
    // or after it, when the pause sees this run as the active one and ends it.
    const [stateSnapshot, integration] = await getAllOf(transaction, paths.state, integrationRef(deps.db, tenantId));
    refuseWhilePaused(integration.data());
    const state = stateSnapshot.data() ?? {};
    const activeId = state.activeRunId;
    if (activeId) {
      const active = readFields(await transaction.get(paths.run(activeId)), runStatusFields);
      if (active.status === 'running') {
        if (trigger === 'save') transaction.set(paths.state, { rerunRequested: true }, { merge: true });
        return { runId: activeId, started: false };
      }
    }
    if (slot !== undefined && state.lastSlot === slot) return { runId: state.lastRunId ?? '', started: false };
    const now = new Date().toISOString();
    const run: SyncRun = {
      status: 'running',
      trigger,
      settings,
      createdAt: now,
      lastProgressAt: now,
      managedAtStart,
      emptyAtStart,
    };
    transaction.create(paths.run(runId), run);
    transaction.set(
      paths.state,
      { activeRunId: runId, rerunRequested: false, lastRunId: runId, ...(slot !== undefined && { lastSlot: slot }) },
      { merge: true },
    );
    return { runId, started: true };
  });
  if (!outcome.started) return outcome;
  await publishFirstPages(deps, paths, tenantId, runId, settings);
  return outcome;
}

/** Starts a preview of `settings`: a dry run that lists and plans like a sync and writes only its own record. It
 * takes no run slot, so a preview never delays a sync, and a sync never blocks a preview. */
export async function startPreview(
  deps: StartDependencies,
  tenantId: string,
  settings: SyncSettings,
): Promise<{ runId: string }> {
  const paths = syncPaths(deps.db, tenantId);
  const runId = newRunId();
  const [, { managedAtStart, emptyAtStart }] = await Promise.all([
    requireConnected(deps, tenantId, { whilePaused: true }),
    startFigures(paths),
  ]);
  const now = new Date().toISOString();
  const run: SyncRun = {
    status: 'running',
    trigger: 'preview',
    settings,
    createdAt: now,
    lastProgressAt: now,
    managedAtStart,
    emptyAtStart,
    dryRun: true,
  };
  await paths.run(runId).create(run);
  await publishFirstPages(deps, paths, tenantId, runId, settings);
  return { runId };
}

async function requireConnected(
  deps: StartDependencies,
  tenantId: string,
  allow: { whilePaused?: boolean } = {},
): Promise<void> {
  requireIntegrationPlan(await getTenant(deps.db, tenantId));
  const integration = await readIntegration(deps.db, tenantId);
  if (integration.status !== 'connected') {
    const fix =
      integration.status !== 'reauthorization_required'
        ? 'Connect Google Workspace first.'
        : (integration.authorizationProblem?.message ?? 'Click Reauthorize first.');
    throw new AppError('conflict', `A sync cannot start now: ${fix}`);
  }
  if (!allow.whilePaused) refuseWhilePaused(integration);
}

/** Refuses to start a run while the admin has paused synchronization. */
function refuseWhilePaused(integration: Pick<GoogleIntegration, 'paused'> | undefined): void {
  if (integration?.paused === true)
    throw new AppError('conflict', 'Synchronization is paused. Click Resume to synchronize again.');
}

async function countManaged(paths: SyncPaths): Promise<number> {
  return (await paths.extensions.where('source', '==', 'google').count().get()).data().count;
}

// A tenant's first sync writes into a tenant with nothing in it: its pages need not look for what is not there.
// Asked only once no Google-managed extension is counted: a tenant with one is not empty, so a re-sync, the nightly
// case, never pays for the three queries.
async function startFigures(paths: SyncPaths): Promise<{ managedAtStart: number; emptyAtStart: boolean }> {
  const managedAtStart = await countManaged(paths);
  return { managedAtStart, emptyAtStart: managedAtStart === 0 && (await holdsNothing(paths)) };
}

async function holdsNothing(paths: SyncPaths): Promise<boolean> {
  const collections = [paths.extensions, paths.googleLinks, paths.emailKeys];
  const firsts = await Promise.all(collections.map((collection) => collection.select().limit(1).get()));
  return firsts.every((first) => first.empty);
}

function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}

async function publishFirstPages(
  deps: StartDependencies,
  paths: SyncPaths,
  tenantId: string,
  runId: string,
  settings: SyncSettings,
): Promise<void> {
  try {
    const chains = firstChains(settings);
    for (const chain of chains) {
      const task: PageTask = { tenant: tenantId, runId, chain, page: 0 };
      await deps.queue.publish(TOPICS.syncPage, task);
    }
    // Specific Users searched by units only has no group to list first: finalize starts its user chain at once.
    if (chains.length === 0) {
      const task: FinalizeTask = { tenant: tenantId, runId };
      await deps.queue.publish(TOPICS.syncFinalize, task);
    }
  } catch (error) {
    await failRun(deps.db, paths, runId, 'The sync could not be queued; try again.');
    throw new AppError('unavailable', 'The sync could not be queued; try again in a moment.', { cause: error });
  }
}
