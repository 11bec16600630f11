// Changes of a run's state that several steps share: progress marks, failing a run, and ending it.
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { log } from '../log.ts';
import type { SyncPaths } from './paths.ts';
import type { RunStatus, SyncRun } from './run.ts';

/** Reads a run, or undefined. */
export async function readRun(paths: SyncPaths, runId: string): Promise<SyncRun | undefined> {
  return (await paths.run(runId).get()).data() as SyncRun | undefined;
}

/** Notes that a run made progress, for the watchdog and the page's live view. */
export async function markProgress(paths: SyncPaths, runId: string): Promise<void> {
  await paths.run(runId).update({ lastProgressAt: new Date().toISOString() });
}

/** Ends a running run with a final status; returns false when it was no longer running. Frees the tenant for the next run. */
export async function endRun(
  db: Firestore,
  paths: SyncPaths,
  runId: string,
  status: Exclude<RunStatus, 'running'>,
  fields: Record<string, unknown> = {},
): Promise<{ ended: boolean; rerunRequested: boolean }> {
  return db.runTransaction(async (transaction) => {
    const [run, state] = await transaction.getAll(paths.run(runId), paths.state);
    if (run!.get('status') !== 'running') return { ended: false, rerunRequested: false };
    const now = new Date().toISOString();
    transaction.update(paths.run(runId), { ...fields, status, finishedAt: now, lastProgressAt: now });
    const active = state!.get('activeRunId') === runId;
    const rerunRequested = active && state!.get('rerunRequested') === true;
    if (active) transaction.set(paths.state, { activeRunId: null, rerunRequested: false, lastRunId: runId }, { merge: true });
    return { ended: true, rerunRequested };
  });
}

/** Fails a run with a reason the admin reads; a failed run deletes nothing. */
export async function failRun(db: Firestore, paths: SyncPaths, runId: string, reason: string): Promise<{ rerunRequested: boolean }> {
  const { ended, rerunRequested } = await endRun(db, paths, runId, 'failed', { failure: reason });
  if (ended) log.warn('Sync run failed', { runId, reason });
  return { rerunRequested };
}

/** Counts a delivery of a step of a run: 'stopped' when the run no longer runs, 'done' when the step is, undefined
 * while another delivery holds its lease, else the attempt number. One transaction reads both. */
export async function claimStep(
  db: Firestore,
  ref: FirebaseFirestore.DocumentReference,
  leaseMs: number,
  runRef?: FirebaseFirestore.DocumentReference,
): Promise<{ readonly attempt: number; readonly run: SyncRun | undefined } | 'done' | 'stopped' | undefined> {
  return db.runTransaction(async (transaction) => {
    const [snapshot, run] = await transaction.getAll(ref, ...(runRef ? [runRef] : []));
    if (run && run.get('status') !== 'running') return 'stopped';
    if (!snapshot) throw new Error('The step could not be read');
    const now = Date.now();
    const runData = run?.data() as SyncRun | undefined;
    if (!snapshot.exists) {
      transaction.create(ref, { status: 'claimed', attempts: 1, leaseUntil: now + leaseMs, claimedAt: FieldValue.serverTimestamp() });
      return { attempt: 1, run: runData };
    }
    if (snapshot.get('status') === 'done') return 'done';
    if ((snapshot.get('leaseUntil') as number) > now) return undefined;
    const attempts = ((snapshot.get('attempts') as number) ?? 0) + 1;
    transaction.update(ref, { attempts, leaseUntil: now + leaseMs });
    return { attempt: attempts, run: runData };
  });
}
