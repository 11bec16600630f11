// Deletes Google-managed extensions, each in a transaction that re-checks it still belongs to the same user, so a
// deletion decided earlier (or held for approval) never removes what has changed since.
import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import { log } from '../log.ts';
import type { UserStatus } from './directory-user.ts';
import { writeDelete } from './extension-writes.ts';
import type { SyncPaths } from './paths.ts';

/** A deletion of a user's extension, with the status that caused it. */
export interface Deletion {
  readonly userId: string;
  readonly number: string;
  readonly status: UserStatus;
}

/** Thrown when the run a deletion belongs to stopped running (the watchdog failed it): it deletes no more. */
class RunStopped extends Error {}

/** Applies deletions; returns how many extensions were deleted. With `runRef`, each deletion happens only while
 * that run is still running, so a run failed meanwhile deletes nothing more. */
export async function deleteManaged(db: Firestore, paths: SyncPaths, deletions: readonly Deletion[], runRef?: DocumentReference): Promise<number> {
  let deleted = 0;
  for (const deletion of deletions) {
    const done = await db.runTransaction(async (transaction) => {
      const refs = [paths.googleLink(deletion.userId), paths.extension(deletion.number), ...(runRef ? [runRef] : [])];
      const [link, extension, run] = await transaction.getAll(...refs);
      if (run && run.get('status') !== 'running') throw new RunStopped();
      const stillLinked = link!.get('number') === deletion.number && extension!.get('source') === 'google' && extension!.get('google.userId') === deletion.userId;
      if (!stillLinked) return false;
      writeDelete(transaction, paths, deletion.number, deletion.userId, extension!.get('email') as string | undefined);
      return true;
    }).catch((error: unknown) => {
      if (error instanceof RunStopped) throw error;
      log.warn('An extension could not be deleted', { number: deletion.number, error });
      return false;
    });
    if (done) deleted++;
    // Long deletion lists keep the run visibly alive for the watchdog.
    if (runRef && deleted > 0 && deleted % 50 === 0) await runRef.update({ lastProgressAt: new Date().toISOString() });
  }
  return deleted;
}

/** Whether an error says the run stopped while deleting. */
export function isRunStopped(error: unknown): boolean {
  return error instanceof RunStopped;
}
