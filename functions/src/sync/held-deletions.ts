// The admin's answer to held removals: approve applies them, each confirmed with Google again and re-checked against
// the current state; discard drops them. Either way the run then counts as done.
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { SecretStore } from '../platform/secret-store.ts';
import { applyRemovals, type Removal } from './apply-removals.ts';
import { confirmRemovals } from './confirm-removals.ts';
import { syncPaths, type SyncPaths } from './paths.ts';
import type { SyncRun } from './run.ts';

function requireHeld(run: SyncRun | undefined): SyncRun {
  if (!run) throw new AppError('not_found', 'There is no such sync run.');
  if (run.status === 'superseded') throw new AppError('conflict', 'A newer sync replaced this one; its held deletions no longer apply.');
  if (run.status !== 'awaiting_approval') throw new AppError('conflict', 'This sync holds no deletions.');
  return run;
}

async function closeRun(db: Firestore, paths: SyncPaths, runId: string, decision: 'approve' | 'discard'): Promise<void> {
  await db.runTransaction(async (transaction) => {
    requireHeld((await transaction.get(paths.run(runId))).data() as SyncRun | undefined);
    transaction.update(paths.run(runId), { status: 'succeeded', held: decision === 'approve' ? 'approved' : 'discarded', resolvedAt: new Date().toISOString() });
  });
}

/** Approves or discards the removals a run holds; returns how many extensions were deleted and released. */
export async function resolveHeld(
  deps: { config: AppConfig; db: Firestore; secrets: SecretStore },
  tenantId: string,
  runId: string,
  decision: 'approve' | 'discard',
): Promise<{ deleted: number; released: number }> {
  const paths = syncPaths(deps.db, tenantId);
  const run = requireHeld((await paths.run(runId).get()).data() as SyncRun | undefined);
  if (decision === 'discard') {
    await closeRun(deps.db, paths, runId, decision);
    return { deleted: 0, released: 0 };
  }
  // Confirmed before the run closes: if Google cannot be asked now, the hold stays for a later approval.
  const held = (await paths.held(runId).get()).docs.map((doc) => doc.data() as Removal);
  const confirmed = await confirmRemovals(deps, tenantId, run.settings, held);
  await closeRun(deps.db, paths, runId, decision);
  const done = await applyRemovals(deps.db, paths, confirmed);
  const syncedUsers = (await paths.googleLinks.count().get()).data().count;
  await paths.run(runId).update({ 'counts.deleted': done.deleted, 'counts.released': done.released, syncedUsers });
  return done;
}
