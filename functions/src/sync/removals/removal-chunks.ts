// Removals applied in parts across task deliveries: each is confirmed with Google, re-checked against the current
// state and applied, a small batch at a time, and a delivery hands on to the next after a time budget. A tenant of
// 100,000 users can remove 20,000 within the default limit, or approve as many held ones: far more confirmations
// than one task's time allows at the tenant's query budget. Two lists go this way: the removals an admin approved,
// and a finalize's own when they would take too long for its delivery.
import {
  FieldPath,
  FieldValue,
  type CollectionReference,
  type DocumentReference,
  type Firestore,
} from '@google-cloud/firestore';
import { TOPICS } from '../../catalog.ts';
import { isTransient, LeaseHeld } from '../../errors.ts';
import { log } from '../../log.ts';
import { applyRemovals, isRunStopped, type Removal } from './delete-or-release.ts';
import { confirmRemovals, confirmationCalls } from './confirm-removals.ts';
import type { PageDependencies } from '../run/dependencies.ts';
import { ReauthorizationRequired } from '../../google/directory-errors.ts';
import { syncPaths, type SyncPaths } from '../../tenants/paths.ts';
import { getAllOf, readFields } from '../../platform/typed-documents.ts';
import { alertPaths, clearAlert } from '../../alerts/alerts.ts';
import { claimFields } from '../run/page-record.ts';
import { claimStep, failRunAndRerun, readRun } from '../run/run-control.ts';
import { finishRun } from '../run/run-finish.ts';
import { runChangeLog } from '../history/change-log.ts';
import type { RunCounts, SyncRun } from '../run/run.ts';
import type { FinalizeTask, RemovalList } from '../run/tasks.ts';

/** Directory calls one batch may make: at the default budget, about five seconds of confirmations. */
const CALLS_PER_BATCH = 100;
/** A lease well beyond one batch and one delivery's working time (deps.removalDeliveryMs). */
const LEASE_MS = 120_000;
/** Deliveries that may fail in a row before the list is given up. */
const MAX_ATTEMPTS = 5;

/** Removals in one batch: fewer when each needs more calls (a membership check per picked group). */
function removalsPerBatch(run: Pick<SyncRun, 'settings'>): number {
  return Math.max(1, Math.floor(CALLS_PER_BATCH / confirmationCalls(run.settings)));
}

/** Whether a finalize confirms and applies its removals itself: two batches' worth at most. */
export function fitsOneDelivery(run: Pick<SyncRun, 'settings'>, removals: number): boolean {
  return removals * confirmationCalls(run.settings) <= 2 * CALLS_PER_BATCH;
}

/** Writes a list of removals, keyed by extension number; tens of thousands exceed one commit, so a bulk writer
 * sends them in parts. */
export async function writeRemovalList(
  db: Firestore,
  list: CollectionReference,
  removals: readonly Removal[],
): Promise<void> {
  const writer = db.bulkWriter();
  const writes = removals.map((removal) => writer.set(list.doc(removal.number), removal));
  await Promise.all([...writes, writer.close()]);
}

/** Hands a finalize's removals to chunk tasks; the run keeps running until the last chunk ends it. A redelivered
 * finalize finds the hand-over done and only asks for the chunks again, so the counts are written once. */
export async function handOverRemovals(
  deps: PageDependencies,
  task: FinalizeTask,
  removals: readonly Removal[],
  counts: RunCounts,
): Promise<void> {
  const paths = syncPaths(deps.db, task.tenant);
  await writeRemovalList(deps.db, paths.removals(task.runId), removals);
  await deps.db.runTransaction(async (transaction) => {
    const run = (await transaction.get(paths.run(task.runId))).data();
    if (run?.removalsHandedOver === true) return;
    transaction.update(paths.run(task.runId), {
      counts,
      removalsHandedOver: true,
      lastProgressAt: new Date().toISOString(),
    });
  });
  await deps.queue.publish(TOPICS.syncFinalize, {
    tenant: task.tenant,
    runId: task.runId,
    apply: 'decided',
  } satisfies FinalizeTask);
  await paths.finalizeClaim(task.runId).update({ status: 'done' });
}

// Where each list is kept, when its run may apply it, the claim one delivery at a time holds, and the share of the
// tenant's query budget it may use: an approval can overlap a new sync, so it takes half.
function listOf(paths: SyncPaths, runId: string, kind: RemovalList) {
  return kind === 'approved'
    ? {
        items: paths.held(runId),
        claim: paths.approvalClaim(runId),
        budgetShare: 0.5,
        ready: (run: SyncRun) => run.status === 'awaiting_approval' && run.held === 'approving',
      }
    : {
        items: paths.removals(runId),
        claim: paths.removalsClaim(runId),
        budgetShare: 1,
        ready: (run: SyncRun) => run.status === 'running',
      };
}

/** Handles one delivery of a chunk task: confirms and applies batches until the list ends or the delivery's time
 * is up, then ends the run or asks for the next delivery. */
export async function handleRemovalChunk(
  deps: PageDependencies,
  task: FinalizeTask & { apply: RemovalList },
): Promise<void> {
  const paths = syncPaths(deps.db, task.tenant);
  const list = listOf(paths, task.runId, task.apply);
  const run = await readRun(paths, task.runId);
  if (!run || !list.ready(run)) return;
  const claim = await claimStep(deps.db, list.claim, LEASE_MS);
  if (claim.kind === 'done' || claim.kind === 'stopped') return;
  if (claim.kind === 'held') throw new LeaseHeld('Another delivery is applying these removals');
  if (claim.attempt > MAX_ATTEMPTS)
    return giveUp(deps, paths, task, `The removals could not be applied after ${MAX_ATTEMPTS} attempts.`);

  const paced = { ...deps, callSpacingMs: Math.ceil(deps.callSpacingMs / list.budgetShare) };
  const deadline = Date.now() + deps.removalDeliveryMs;
  let after = readFields(await list.claim.get(), claimFields).after ?? '';
  for (;;) {
    let query = list.items.orderBy(FieldPath.documentId()).limit(removalsPerBatch(run));
    if (after) query = query.startAfter(after);
    const batch = (await query.get()).docs;
    let done: { deleted: number; released: number };
    try {
      const confirmed = await confirmRemovals(
        paced,
        task.tenant,
        run.settings,
        batch.map((doc) => doc.data()),
      );
      // A finalize's removals stop when the watchdog fails their run; approved ones belong to a run that has ended.
      // An approval's removals go in the history of the run that held them.
      done = await applyRemovals(deps.db, paths, confirmed, {
        ...(task.apply === 'decided' && { runRef: paths.run(task.runId) }),
        log: runChangeLog(paths.changes(task.runId)),
      });
    } catch (error) {
      if (isRunStopped(error)) return;
      if (error instanceof ReauthorizationRequired) return giveUp(deps, paths, task, error.runFailure);
      if (!isTransient(error))
        return giveUp(deps, paths, task, error instanceof Error ? error.message : 'The removals could not be applied.');
      // Let the redelivery start at once instead of waiting out this delivery's lease.
      await list.claim.update({ leaseUntil: 0 }).catch(() => undefined);
      throw error;
    }
    const last = batch.length < removalsPerBatch(run);
    const handOn = !last && Date.now() >= deadline;
    if (batch.length > 0) {
      after = batch.at(-1)!.id;
      const moved = await advance(deps.db, list.claim, paths.run(task.runId), claim.attempt, {
        after,
        checked: batch.length,
        ...done,
        release: handOn,
      });
      // A delivery whose lease ran out was replaced: the newer one carries on from the cursor.
      if (!moved) return;
    }
    if (handOn) {
      await deps.queue.publish(TOPICS.syncFinalize, task);
      return;
    }
    if (last) break;
  }
  if (task.apply === 'approved') await closeApprovedRun(deps.db, paths, task.runId);
  else await finishDecided(deps, paths, task, run);
  await list.claim.update({ status: 'done' });
}

// Moves the cursor past a batch, counts what it removed and renews the lease, all only while this delivery still
// holds the claim: counts are made once, and a replaced delivery cannot move the cursor back.
async function advance(
  db: Firestore,
  claimRef: DocumentReference,
  runRef: DocumentReference,
  attempt: number,
  step: { after: string; checked: number; deleted: number; released: number; release: boolean },
): Promise<boolean> {
  return db.runTransaction(async (transaction) => {
    const claim = readFields(await transaction.get(claimRef), claimFields);
    if (claim.attempts !== attempt) return false;
    // Handing on is no failed attempt: the next delivery starts counting afresh.
    transaction.update(
      claimRef,
      step.release
        ? { after: step.after, leaseUntil: 0, attempts: 0 }
        : { after: step.after, leaseUntil: Date.now() + LEASE_MS },
    );
    transaction.update(runRef, {
      'counts.deleted': FieldValue.increment(step.deleted),
      'counts.released': FieldValue.increment(step.released),
      removalsChecked: FieldValue.increment(step.checked),
      lastProgressAt: new Date().toISOString(),
    });
    return true;
  });
}

// A list that cannot be applied: an approval goes back to the admin with why (nothing more is removed until they
// approve again or discard); a finalize's run fails, keeping what it removed until then.
async function giveUp(
  deps: PageDependencies,
  paths: SyncPaths,
  task: FinalizeTask & { apply: RemovalList },
  reason: string,
): Promise<void> {
  log.warn('Removals given up', { reason, list: task.apply });
  if (task.apply === 'approved') {
    await paths.run(task.runId).update({ held: FieldValue.delete(), approvalFailure: reason });
    await paths.approvalClaim(task.runId).delete();
    return;
  }
  await failRunAndRerun(deps, paths, task, reason);
}

async function finishDecided(
  deps: PageDependencies,
  paths: SyncPaths,
  task: FinalizeTask,
  run: SyncRun,
): Promise<void> {
  const [current, links] = await Promise.all([paths.run(task.runId).get(), paths.googleLinks.count().get()]);
  await finishRun(deps, paths, task, run, 'succeeded', {
    counts: current.data()?.counts,
    syncedUsers: links.data().count,
  });
}

async function closeApprovedRun(db: Firestore, paths: SyncPaths, runId: string): Promise<void> {
  const syncedUsers = (await paths.googleLinks.count().get()).data().count;
  await db.runTransaction(async (transaction) => {
    const [stored, heldAlert] = await getAllOf(
      transaction,
      paths.run(runId),
      alertPaths(db, paths.tenant.id).condition('deletions_held'),
    );
    const run = stored.data();
    if (run?.status !== 'awaiting_approval') return;
    transaction.update(paths.run(runId), {
      status: 'succeeded',
      held: 'approved',
      resolvedAt: new Date().toISOString(),
      syncedUsers,
    });
    const { deleted, released } = { deleted: 0, released: 0, ...run.counts };
    clearAlert(transaction, heldAlert, {
      detail: `An admin approved the held deletions: ${deleted} extensions deleted and ${released} released, each checked again first.`,
      runId,
    });
  });
}
