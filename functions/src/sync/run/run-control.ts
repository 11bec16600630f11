// Changes of a run's state that several steps share: progress marks, failing a run, and ending it.
import { FieldValue, type DocumentReference, type Firestore } from '@google-cloud/firestore';
import type { BoundedMap } from '../../instance-caches.ts';
import { log } from '../../log.ts';
import { getAllOf, readFields } from '../../platform/typed-documents.ts';
import type { PageDependencies } from './dependencies.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { claimFields } from './page-record.ts';
import { runAlertFields, runStatusFields, type RunStatus, type SyncRun } from './run.ts';
import { alertPaths, clearAlert, raiseAlert } from '../../alerts/alerts.ts';
import { syncStateFields } from './sync-state.ts';

/** gRPC's ALREADY_EXISTS, which create() meets when the document exists. */
const ALREADY_EXISTS = 6;

/** Whether a create() failed because the document exists. */
export function alreadyExists(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === ALREADY_EXISTS;
}

/** Reads a run, or undefined. */
export async function readRun(paths: SyncPaths, runId: string): Promise<SyncRun | undefined> {
  return (await paths.run(runId).get()).data();
}

// The watchdog needs a mark within 15 minutes; a mark per page would make the run document hot (dozens of writes a
// second at 100,000 users) and hold up the claims that read it.
const MARK_EVERY_MS = 5_000;

/** Notes that a run made progress, for the watchdog, at most every few seconds per instance: `lastMarks`
 * (InstanceCaches.progressMarks) holds when this instance last marked each run. The page's live view counts done
 * pages instead. */
export async function markProgress(
  lastMarks: BoundedMap<string, number>,
  paths: SyncPaths,
  runId: string,
): Promise<void> {
  const key = paths.run(runId).path;
  const now = Date.now();
  if (now - (lastMarks.get(key) ?? 0) < MARK_EVERY_MS) return;
  lastMarks.set(key, now);
  await paths.run(runId).update({ lastProgressAt: new Date(now).toISOString() });
}

const slotFields = syncStateFields.pick({ activeRunId: true, rerunRequested: true });

/** Ends a running run with a final status; returns false when it was no longer running. Frees the tenant for the next
 * run. In the same commit, a run that failed (unless the admin's pause ended it) or held deletions raises its alert,
 * and one that succeeded clears the failure alert. */
export async function endRun(
  db: Firestore,
  paths: SyncPaths,
  runId: string,
  status: Exclude<RunStatus, 'running'>,
  fields: Record<string, unknown> = {},
): Promise<{ ended: boolean; rerunRequested: boolean }> {
  return db.runTransaction(async (transaction) => {
    const alerts = alertPaths(db, paths.tenant.id);
    const [run, state, failedAlert, heldAlert] = await getAllOf(
      transaction,
      paths.run(runId),
      paths.state,
      alerts.condition('run_failed'),
      alerts.condition('deletions_held'),
    );
    if (readFields(run, runStatusFields).status !== 'running') return { ended: false, rerunRequested: false };
    const now = new Date().toISOString();
    transaction.update(paths.run(runId), { ...fields, status, finishedAt: now, lastProgressAt: now });
    const { trigger, dryRun, createdAt } = readFields(run, runAlertFields);
    if (dryRun !== true && trigger !== 'push') {
      if (status === 'failed' && fields['pausedBy'] === undefined)
        raiseAlert(transaction, failedAlert, { detail: textOf(fields['failure'], 'unknown error'), runId });
      if (status === 'succeeded')
        clearAlert(transaction, failedAlert, { detail: `The synchronization started at ${createdAt} succeeded.` });
      if (status === 'awaiting_approval')
        raiseAlert(transaction, heldAlert, {
          detail: textOf(fields['heldReason'], ''),
          runId,
          count: Number(fields['heldCount'] ?? 0),
        });
    }
    const slot = readFields(state, slotFields);
    const active = slot.activeRunId === runId;
    const rerunRequested = active && slot.rerunRequested === true;
    if (active)
      transaction.set(paths.state, { activeRunId: null, rerunRequested: false, lastRunId: runId }, { merge: true });
    return { ended: true, rerunRequested };
  });
}

function textOf(value: unknown, otherwise: string): string {
  return typeof value === 'string' ? value : otherwise;
}

/** Fails a run with a reason the admin reads; a failed run deletes nothing. */
export async function failRun(
  db: Firestore,
  paths: SyncPaths,
  runId: string,
  reason: string,
): Promise<{ rerunRequested: boolean }> {
  const { ended, rerunRequested } = await endRun(db, paths, runId, 'failed', { failure: reason });
  if (ended) log.warn('Sync run failed', { tenant: paths.tenant.id, runId, reason });
  return { rerunRequested };
}

/** Fails a run from one of its tasks, and starts the rerun a "Save" asked for meanwhile. */
export async function failRunAndRerun(
  deps: Pick<PageDependencies, 'db' | 'startRun'>,
  paths: SyncPaths,
  task: { tenant: string; runId: string },
  reason: string,
): Promise<void> {
  const { rerunRequested } = await failRun(deps.db, paths, task.runId, reason);
  if (rerunRequested) await deps.startRun(task.tenant, 'rerun').catch(() => undefined);
}

/** A delivery's claim on a step of a run (a page, finalize, a removal list, the start of a user chain). */
export type StepClaim<Run = undefined> =
  /** This delivery works on the step: its attempt number, and the run as read beside the claim. */
  | { readonly kind: 'claimed'; readonly attempt: number; readonly run: Run }
  /** The step is done; a redelivery does nothing more. */
  | { readonly kind: 'done' }
  /** The run no longer runs; the step does nothing. */
  | { readonly kind: 'stopped' }
  /** Another delivery holds the step's lease; this one is redelivered later. */
  | { readonly kind: 'held' };

const DONE = { kind: 'done' } as const;
const STOPPED = { kind: 'stopped' } as const;
const HELD = { kind: 'held' } as const;

/** Counts a delivery of a step of a run, and tells what it may do; with `runRef`, the run is read beside the claim.
 * A first delivery claims with one create(), beside one read of the run; a later one counts its attempt in a
 * transaction. The run is not read inside the transaction: every page of a run reads the run, and a transaction's
 * read would lock it against the run's own updates. A run stopped just after the read at most lets one page write
 * its users; removals re-check the run. */
export function claimStep(
  db: Firestore,
  ref: DocumentReference,
  leaseMs: number,
  runRef: DocumentReference<SyncRun>,
): Promise<StepClaim<SyncRun>>;
export function claimStep(db: Firestore, ref: DocumentReference, leaseMs: number): Promise<StepClaim>;
export async function claimStep(
  db: Firestore,
  ref: DocumentReference,
  leaseMs: number,
  runRef?: DocumentReference<SyncRun>,
): Promise<StepClaim<SyncRun | undefined>> {
  const [runSnapshot, created] = await Promise.all([
    runRef?.get(),
    ref
      .create({
        status: 'claimed',
        attempts: 1,
        leaseUntil: Date.now() + leaseMs,
        claimedAt: FieldValue.serverTimestamp(),
      })
      .then(
        () => true,
        (error: unknown) => {
          if (alreadyExists(error)) return false;
          throw error;
        },
      ),
  ]);
  if (runSnapshot && readFields(runSnapshot, runStatusFields).status !== 'running') return STOPPED;
  const run = runSnapshot?.data();
  if (created) return { kind: 'claimed', attempt: 1, run };
  return db.runTransaction(async (transaction): Promise<StepClaim<SyncRun | undefined>> => {
    const claim = readFields(await transaction.get(ref), claimFields);
    const now = Date.now();
    if (claim.status === 'done') return DONE;
    if ((claim.leaseUntil ?? 0) > now) return HELD;
    const attempts = (claim.attempts ?? 0) + 1;
    transaction.update(ref, { attempts, leaseUntil: now + leaseMs });
    return { kind: 'claimed', attempt: attempts, run };
  });
}
