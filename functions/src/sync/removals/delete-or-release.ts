// Removes users from the sync: deletes their Google-managed extensions, or releases them (the extension stays as an
// ordinary local one, unlinked). Each happens in a transaction that re-checks the extension still belongs to the
// same user, so a removal decided earlier (or held for approval) never touches what has changed since.
import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { log } from '../../log.ts';
import type { UserStatus } from '../../google/directory-user.ts';
import { extensionOwnerFields, userStatusSchema } from '../../extensions/extension.ts';
import { writeDelete, writeRelease } from '../../extensions/extension-writes.ts';
import { documentConverter, documentSchema, getAllOf, readFields } from '../../platform/typed-documents.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { runStatusFields, type SyncRun } from '../run/run.ts';
import { changeEntry, type ChangeDetail } from '../history/change-entry.ts';
import type { ChangeLog } from '../history/change-log.ts';

/** A user taken out of the sync, and why: their status reached the chosen one, or they left the range. */
export interface Removal {
  readonly userId: string;
  readonly number: string;
  readonly status: UserStatus;
  readonly action: 'delete' | 'release';
  readonly reason: 'status' | 'out_of_range';
}

/** A removal as stored: on a page's record, and in a run's lists of held or handed-over removals. */
export const removalSchema: z.ZodType<Removal> = documentSchema<Removal>()({
  userId: z.string(),
  number: z.string(),
  status: userStatusSchema,
  action: z.enum(['delete', 'release']),
  reason: z.enum(['status', 'out_of_range']),
});

/** The document of a removal in a run's list, `held/{number}` or `removals/{number}`. */
export const removalDocument = documentConverter<Removal>(removalSchema);

/** Thrown when the run a removal belongs to stopped running (the watchdog failed it): it removes no more. */
class RunStopped extends Error {}

/** A removal as its history entry tells it. */
export function removalDetail(removal: Removal): ChangeDetail {
  return {
    kind: removal.action === 'delete' ? 'deleted' : 'released',
    number: removal.number,
    reason: removal.reason === 'out_of_range' ? 'user left the range' : `user ${removal.status}`,
  };
}

/** Where removals are applied from: with `runRef`, each happens only while that run is still running, so a run
 * failed meanwhile removes nothing more; `log` takes each removal's history entry, in its transaction. */
export interface RemovalContext {
  readonly runRef?: DocumentReference<SyncRun>;
  readonly log: ChangeLog;
}

/** Applies removals. */
export async function applyRemovals(
  db: Firestore,
  paths: SyncPaths,
  removals: readonly Removal[],
  { runRef, log: changeLog }: RemovalContext,
): Promise<{ deleted: number; released: number }> {
  const done = { deleted: 0, released: 0 };
  for (const removal of removals) {
    const applied = await db
      .runTransaction(async (transaction) => {
        const [link, extension, run] = await getAllOf(
          transaction,
          paths.googleLink(removal.userId),
          paths.extension(removal.number),
          ...(runRef ? [runRef] : []),
        );
        if (run && readFields(run, runStatusFields).status !== 'running') throw new RunStopped();
        const owner = readFields(extension, extensionOwnerFields);
        const stillLinked =
          link.data()?.number === removal.number &&
          owner.source === 'google' &&
          owner['google.userId'] === removal.userId;
        if (!stillLinked) return false;
        if (removal.action === 'delete') writeDelete(transaction, paths, removal.number, removal.userId, owner.email);
        else writeRelease(transaction, paths, removal.number, removal.userId);
        const name = (field: string) => String(extension.get(field) ?? '');
        const user = {
          userId: removal.userId,
          email: owner.email ?? '',
          firstName: name('firstName'),
          lastName: name('lastName'),
        };
        changeLog.write(transaction, changeEntry(user, removalDetail(removal)));
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof RunStopped) throw error;
        log.warn('An extension could not be removed from the sync', {
          number: removal.number,
          action: removal.action,
          error,
        });
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
