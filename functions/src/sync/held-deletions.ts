// The admin's answer to held deletions: approve applies them, each re-checked against the current state; discard
// drops them. Either way the run then counts as done.
import type { Firestore } from '@google-cloud/firestore';
import { AppError } from '../errors.ts';
import { deleteManaged, type Deletion } from './delete-managed.ts';
import { syncPaths } from './paths.ts';

/** Approves or discards the deletions a run holds. */
export async function resolveHeld(db: Firestore, tenantId: string, runId: string, decision: 'approve' | 'discard'): Promise<number> {
  const paths = syncPaths(db, tenantId);
  const claimed = await db.runTransaction(async (transaction) => {
    const run = await transaction.get(paths.run(runId));
    if (!run.exists) throw new AppError('not_found', 'There is no such sync run.');
    if (run.get('status') !== 'awaiting_approval') {
      throw new AppError('conflict', run.get('status') === 'superseded' ? 'A newer sync replaced this one; its held deletions no longer apply.' : 'This sync holds no deletions.');
    }
    transaction.update(paths.run(runId), { status: 'succeeded', held: decision === 'approve' ? 'approved' : 'discarded', resolvedAt: new Date().toISOString() });
    return true;
  });
  if (!claimed || decision === 'discard') return 0;
  const held = await paths.held(runId).get();
  const deleted = await deleteManaged(db, paths, held.docs.map((doc) => doc.data() as Deletion));
  const syncedUsers = (await paths.googleLinks.count().get()).data().count;
  await paths.run(runId).update({ 'counts.deleted': deleted, syncedUsers });
  return deleted;
}
