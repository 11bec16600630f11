// The admin's answer to held removals. Discard drops them at once. Approve hands them to chunk tasks
// (removal-chunks.ts), which confirm each with Google again, re-check it against the current state and apply it: a
// large tenant can hold tens of thousands, far more than one request allows. Either way the run then counts as done.
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { TOPICS } from '../../catalog.ts';
import { AppError } from '../../errors.ts';
import type { TaskQueue } from '../../platform/pubsub.ts';
import { getAllOf, readFields } from '../../platform/typed-documents.ts';
import { syncPaths } from '../../tenants/paths.ts';
import { claimFields } from '../run/page-record.ts';
import type { SyncRun } from '../run/run.ts';
import type { FinalizeTask } from '../run/tasks.ts';

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
    const run = requireHeld((await transaction.get(paths.run(runId))).data());
    if (run.held === 'approving') throw new AppError('conflict', 'These deletions are already being applied.');
    transaction.update(paths.run(runId), { status: 'succeeded', held: 'discarded', resolvedAt: new Date().toISOString() });
  });
}

/** Approves the removals a run holds: they are applied by tasks. Approving again asks for a task only when none is
 * at work (one was lost, or gave up and told the admin why). */
export async function approveHeld(deps: { db: Firestore; queue: TaskQueue }, tenantId: string, runId: string): Promise<void> {
  const paths = syncPaths(deps.db, tenantId);
  const working = await deps.db.runTransaction(async (transaction) => {
    const [runDoc, claim] = await getAllOf(transaction, paths.run(runId), paths.approvalClaim(runId));
    const run = requireHeld(runDoc.data());
    // An approval given back to the admin starts again from the first held removal; those applied stay applied.
    if (run.held !== 'approving') {
      transaction.update(paths.run(runId), { held: 'approving', approvedAt: new Date().toISOString(), approvalFailure: FieldValue.delete(), removalsChecked: 0 });
    }
    return run.held === 'approving' && claim.exists && (readFields(claim, claimFields).leaseUntil ?? 0) > Date.now();
  });
  if (working) return;
  const task: FinalizeTask = { tenant: tenantId, runId, apply: 'approved' };
  await deps.queue.publish(TOPICS.syncFinalize, task);
}
