// The admin's answer to held removals. Discard drops them at once. Approve hands them to finalize tasks, which
// confirm each with Google again, re-check it against the current state and apply it, a chunk per delivery: a
// large tenant can hold tens of thousands, far more than one request or one task's time allows. Either way the
// run then counts as done.
import { FieldPath, FieldValue, type Firestore } from '@google-cloud/firestore';
import { TOPICS } from '../catalog.ts';
import { AppError } from '../errors.ts';
import type { TaskQueue } from '../platform/pubsub.ts';
import { applyRemovals, type Removal } from './apply-removals.ts';
import { confirmRemovals } from './confirm-removals.ts';
import type { PageDependencies } from './dependencies.ts';
import { syncPaths, type SyncPaths } from './paths.ts';
import { claimStep } from './run-control.ts';
import type { SyncRun } from './run.ts';
import type { FinalizeTask } from './tasks.ts';

/** Held removals one approval delivery confirms and applies. */
export const APPROVAL_CHUNK = 200;

function requireHeld(run: SyncRun | undefined): SyncRun {
  if (!run) throw new AppError('not_found', 'There is no such sync run.');
  if (run.status === 'superseded') throw new AppError('conflict', 'A newer sync replaced this one; its held deletions no longer apply.');
  if (run.status !== 'awaiting_approval') throw new AppError('conflict', 'This sync holds no deletions.');
  return run;
}

/** Discards the removals a run holds: nothing is removed, and the run counts as done. */
export async function discardHeld(db: Firestore, tenantId: string, runId: string): Promise<void> {
  const paths = syncPaths(db, tenantId);
  await db.runTransaction(async (transaction) => {
    const run = requireHeld((await transaction.get(paths.run(runId))).data() as SyncRun | undefined);
    if (run.held === 'approving') throw new AppError('conflict', 'These deletions are already being applied.');
    transaction.update(paths.run(runId), { status: 'succeeded', held: 'discarded', resolvedAt: new Date().toISOString() });
  });
}

/** Approves the removals a run holds: they are applied by tasks. Approving again while they are being applied
 * only asks again (a lost task is replaced; the tasks' claim keeps one at work). */
export async function approveHeld(deps: { db: Firestore; queue: TaskQueue }, tenantId: string, runId: string): Promise<void> {
  const paths = syncPaths(deps.db, tenantId);
  await deps.db.runTransaction(async (transaction) => {
    const run = requireHeld((await transaction.get(paths.run(runId))).data() as SyncRun | undefined);
    if (run.held !== 'approving') transaction.update(paths.run(runId), { held: 'approving', approvedAt: new Date().toISOString() });
  });
  const task: FinalizeTask = { tenant: tenantId, runId, approval: true };
  await deps.queue.publish(TOPICS.syncFinalize, task);
}

/** Handles one delivery of an approval task: confirms and applies the next chunk of held removals, then asks for
 * the chunk after it, or closes the run after the last. */
export async function handleApproval(deps: PageDependencies, task: FinalizeTask): Promise<void> {
  const paths = syncPaths(deps.db, task.tenant);
  const run = (await paths.run(task.runId).get()).data() as SyncRun | undefined;
  if (run?.status !== 'awaiting_approval' || run.held !== 'approving') return;
  const claimRef = paths.approvalClaim(task.runId);
  const claim = await claimStep(deps.db, claimRef, 120_000);
  if (claim === 'done' || claim === 'stopped') return;
  if (claim === undefined) throw new AppError('unavailable', 'Another delivery is applying the approved removals');

  // Held removals are applied in the order of their extension numbers; the claim keeps the last one done.
  const after = ((await claimRef.get()).get('after') as string | undefined) ?? '';
  let query = paths.held(task.runId).orderBy(FieldPath.documentId()).limit(APPROVAL_CHUNK);
  if (after) query = query.startAfter(after);
  const chunk = (await query.get()).docs;
  const confirmed = await confirmRemovals(deps, task.tenant, run.settings, chunk.map((doc) => doc.data() as Removal));
  const done = await applyRemovals(deps.db, paths, confirmed);
  // Counted once: a delivery that crashed before this update and is redelivered finds its removals already applied.
  await paths.run(task.runId).update({
    'counts.deleted': FieldValue.increment(done.deleted),
    'counts.released': FieldValue.increment(done.released),
    lastProgressAt: new Date().toISOString(),
  });
  if (chunk.length === APPROVAL_CHUNK) {
    await claimRef.update({ after: chunk.at(-1)!.id, leaseUntil: 0 });
    await deps.queue.publish(TOPICS.syncFinalize, task);
    return;
  }
  await closeApprovedRun(deps.db, paths, task.runId);
  await claimRef.update({ status: 'done' });
}

async function closeApprovedRun(db: Firestore, paths: SyncPaths, runId: string): Promise<void> {
  const syncedUsers = (await paths.googleLinks.count().get()).data().count;
  await db.runTransaction(async (transaction) => {
    const run = (await transaction.get(paths.run(runId))).data() as SyncRun | undefined;
    if (run?.status !== 'awaiting_approval') return;
    transaction.update(paths.run(runId), { status: 'succeeded', held: 'approved', resolvedAt: new Date().toISOString(), syncedUsers });
  });
}
