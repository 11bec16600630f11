// Removals applied a chunk per task delivery: each is confirmed with Google, re-checked against the current state and
// applied, then the task asks for the next chunk. A tenant of 100,000 users can remove 20,000 within the default
// limit, or approve as many held ones: far more confirmations than one task's time allows at the tenant's query
// budget. Two lists go this way: the removals an admin approved, and a finalize's own when they are many.
import { FieldPath, FieldValue, type CollectionReference, type Firestore } from '@google-cloud/firestore';
import { TOPICS } from '../catalog.ts';
import { LeaseHeld } from '../errors.ts';
import { applyRemovals, isRunStopped, type Removal } from './apply-removals.ts';
import { confirmRemovals } from './confirm-removals.ts';
import type { PageDependencies } from './dependencies.ts';
import { syncPaths, type SyncPaths } from './paths.ts';
import { claimStep, readRun } from './run-control.ts';
import { finishRun } from './run-finish.ts';
import type { RunCounts, SyncRun } from './run.ts';
import type { FinalizeTask, RemovalList } from './tasks.ts';

/** Removals one delivery confirms and applies. */
export const REMOVAL_CHUNK = 200;

/** Writes a list of removals, keyed by extension number; tens of thousands exceed one commit, so a bulk writer
 * sends them in parts. */
export async function writeRemovalList(db: Firestore, list: CollectionReference, removals: readonly Removal[]): Promise<void> {
  const writer = db.bulkWriter();
  const writes = removals.map((removal) => writer.set(list.doc(removal.number), removal));
  await Promise.all([...writes, writer.close()]);
}

/** Hands a finalize's removals, too many for its own delivery, to chunk tasks; the run keeps running until the
 * last chunk ends it. */
export async function handOverRemovals(deps: PageDependencies, task: FinalizeTask, removals: readonly Removal[], counts: RunCounts): Promise<void> {
  const paths = syncPaths(deps.db, task.tenant);
  await writeRemovalList(deps.db, paths.removals(task.runId), removals);
  await paths.run(task.runId).update({ counts, lastProgressAt: new Date().toISOString() });
  await deps.queue.publish(TOPICS.syncFinalize, { tenant: task.tenant, runId: task.runId, apply: 'decided' } satisfies FinalizeTask);
  await paths.finalizeClaim(task.runId).update({ status: 'done' });
}

// Where each list is kept, when its run may apply it, and the claim one delivery at a time holds.
function listOf(paths: SyncPaths, runId: string, kind: RemovalList) {
  return kind === 'approved'
    ? { items: paths.held(runId), claim: paths.approvalClaim(runId), ready: (run: SyncRun) => run.status === 'awaiting_approval' && run.held === 'approving' }
    : { items: paths.removals(runId), claim: paths.removalsClaim(runId), ready: (run: SyncRun) => run.status === 'running' };
}

/** Handles one delivery of a chunk task: confirms and applies the next chunk, then asks for the chunk after it, or
 * ends the run after the last. */
export async function handleRemovalChunk(deps: PageDependencies, task: FinalizeTask & { apply: RemovalList }): Promise<void> {
  const paths = syncPaths(deps.db, task.tenant);
  const list = listOf(paths, task.runId, task.apply);
  const run = await readRun(paths, task.runId);
  if (!run || !list.ready(run)) return;
  const claim = await claimStep(deps.db, list.claim, 120_000);
  if (claim === 'done' || claim === 'stopped') return;
  if (claim === undefined) throw new LeaseHeld('Another delivery is applying these removals');

  // Applied in the order of their extension numbers; the claim keeps the last one done.
  const after = ((await list.claim.get()).get('after') as string | undefined) ?? '';
  let query = list.items.orderBy(FieldPath.documentId()).limit(REMOVAL_CHUNK);
  if (after) query = query.startAfter(after);
  const chunk = (await query.get()).docs;
  let done: { deleted: number; released: number };
  try {
    const confirmed = await confirmRemovals(deps, task.tenant, run.settings, chunk.map((doc) => doc.data() as Removal));
    // A finalize's removals stop when the watchdog fails their run; approved ones belong to a run that has ended.
    done = await applyRemovals(deps.db, paths, confirmed, task.apply === 'decided' ? paths.run(task.runId) : undefined);
  } catch (error) {
    if (isRunStopped(error)) return;
    throw error;
  }
  // Counted once: a delivery that crashed before this update and is redelivered finds its removals already applied.
  await paths.run(task.runId).update({
    'counts.deleted': FieldValue.increment(done.deleted),
    'counts.released': FieldValue.increment(done.released),
    lastProgressAt: new Date().toISOString(),
  });
  if (chunk.length === REMOVAL_CHUNK) {
    await list.claim.update({ after: chunk.at(-1)!.id, leaseUntil: 0 });
    await deps.queue.publish(TOPICS.syncFinalize, task);
    return;
  }
  if (task.apply === 'approved') await closeApprovedRun(deps.db, paths, task.runId);
  else await finishDecided(deps, paths, task, run);
  await list.claim.update({ status: 'done' });
}

async function finishDecided(deps: PageDependencies, paths: SyncPaths, task: FinalizeTask, run: SyncRun): Promise<void> {
  const [current, links] = await Promise.all([paths.run(task.runId).get(), paths.googleLinks.count().get()]);
  await finishRun(deps, paths, task, run, 'succeeded', { counts: current.get('counts') as RunCounts, syncedUsers: links.data().count });
}

async function closeApprovedRun(db: Firestore, paths: SyncPaths, runId: string): Promise<void> {
  const syncedUsers = (await paths.googleLinks.count().get()).data().count;
  await db.runTransaction(async (transaction) => {
    const run = (await transaction.get(paths.run(runId))).data() as SyncRun | undefined;
    if (run?.status !== 'awaiting_approval') return;
    transaction.update(paths.run(runId), { status: 'succeeded', held: 'approved', resolvedAt: new Date().toISOString(), syncedUsers });
  });
}
