// The admin's answer to held removals (held-answer.ts decides it). Discard drops them at once. Approve hands them to
// chunk tasks (removal-chunks.ts), which confirm each with Google again, re-check it against the current state and
// apply it: a large tenant can hold tens of thousands, far more than one request allows. Either way the run then
// counts as done.
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { TOPICS } from '../../catalog.ts';
import type { TaskQueue } from '../../platform/pubsub.ts';
import { getAllOf, readFields } from '../../platform/typed-documents.ts';
import { syncPaths } from '../../tenants/paths.ts';
import { claimFields } from '../run/page-record.ts';
import { runHoldFields } from '../run/run.ts';
import type { FinalizeTask } from '../run/tasks.ts';
import { checkDiscard, decideApproval } from './held-answer.ts';
import { alertPaths, clearAlert } from '../../alerts/alerts.ts';

/** Discards the removals a run holds: nothing is removed, and the run counts as done. */
export async function discardHeld(db: Firestore, tenantId: string, runId: string): Promise<void> {
  const paths = syncPaths(db, tenantId);
  await db.runTransaction(async (transaction) => {
    const [run, heldAlert] = await getAllOf(
      transaction,
      paths.run(runId),
      alertPaths(db, tenantId).condition('deletions_held'),
    );
    checkDiscard(run.exists ? readFields(run, runHoldFields) : undefined);
    transaction.update(paths.run(runId), {
      status: 'succeeded',
      held: 'discarded',
      resolvedAt: new Date().toISOString(),
    });
    clearAlert(transaction, heldAlert, {
      detail: 'An admin discarded the held deletions; nothing was removed.',
      runId,
    });
  });
}

/** Approves the removals a run holds: they are applied by tasks. */
export async function approveHeld(
  deps: { db: Firestore; queue: TaskQueue },
  tenantId: string,
  runId: string,
): Promise<void> {
  const paths = syncPaths(deps.db, tenantId);
  const approval = await deps.db.runTransaction(async (transaction) => {
    const [run, claim] = await getAllOf(transaction, paths.run(runId), paths.approvalClaim(runId));
    const lease = claim.exists ? (readFields(claim, claimFields).leaseUntil ?? 0) : undefined;
    const approval = decideApproval(run.exists ? readFields(run, runHoldFields) : undefined, lease, Date.now());
    // Those applied before an approval was given back stay applied.
    if (approval.restart) {
      transaction.update(paths.run(runId), {
        held: 'approving',
        approvedAt: new Date().toISOString(),
        approvalFailure: FieldValue.delete(),
        removalsChecked: 0,
      });
    }
    return approval;
  });
  if (!approval.publish) return;
  const task: FinalizeTask = { tenant: tenantId, runId, apply: 'approved' };
  await deps.queue.publish(TOPICS.syncFinalize, task);
}
