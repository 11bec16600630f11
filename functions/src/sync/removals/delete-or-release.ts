// Removes users from the sync: deletes their Google-managed extensions, or releases them (the extension stays as an
// ordinary local one, unlinked). Each happens in a transaction that re-checks the extension still belongs to the
// same user, so a removal decided earlier (or held for approval) never touches what has changed since.
import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import { log } from '../../log.ts';
import type { UserStatus } from '../../google/directory-user.ts';
import { writeDelete, writeRelease } from '../../extensions/extension-writes.ts';
import type { SyncPaths } from '../../tenants/paths.ts';

/** A user taken out of the sync, and why: their status reached the chosen one, or they left the range. */
export interface Removal {
  readonly userId: string;
  readonly number: string;
  readonly status: UserStatus;
  readonly action: 'delete' | 'release';
  readonly reason: 'status' | 'out_of_range';
}

/** Thrown when the run a removal belongs to stopped running (the watchdog failed it): it removes no more. */
class RunStopped extends Error {}

/** Applies removals. With `runRef`, each happens only while that run is still running, so a run failed meanwhile
 * removes nothing more. */
export async function applyRemovals(db: Firestore, paths: SyncPaths, removals: readonly Removal[], runRef?: DocumentReference): Promise<{ deleted: number; released: number }> {
  const done = { deleted: 0, released: 0 };
  for (const removal of removals) {
    const applied = await db.runTransaction(async (transaction) => {
      const refs = [paths.googleLink(removal.userId), paths.extension(removal.number), ...(runRef ? [runRef] : [])];
      const [link, extension, run] = await transaction.getAll(...refs);
      if (run && run.get('status') !== 'running') throw new RunStopped();
      const stillLinked = link!.get('number') === removal.number && extension!.get('source') === 'google' && extension!.get('google.userId') === removal.userId;
      if (!stillLinked) return false;
      if (removal.action === 'delete') writeDelete(transaction, paths, removal.number, removal.userId, extension!.get('email') as string | undefined);
      else writeRelease(transaction, paths, removal.number, removal.userId);
      return true;
    }).catch((error: unknown) => {
      if (error instanceof RunStopped) throw error;
      log.warn('An extension could not be removed from the sync', { number: removal.number, action: removal.action, error });
      return false;
    });
    if (applied) done[removal.action === 'delete' ? 'deleted' : 'released']++;
    // Long lists keep the run visibly alive for the watchdog.
    const total = done.deleted + done.released;
    if (runRef && applied && total % 50 === 0) await runRef.update({ lastProgressAt: new Date().toISOString() });
  }
  return done;
}

/** Whether an error says the run stopped while removing. */
export function isRunStopped(error: unknown): boolean {
  return error instanceof RunStopped;
}
