// A preview's removals in its history: what its finalize would delete or release, with the names of the extensions
// as they are now. Written with a bulk writer, since a preview of a narrowed range can remove thousands.
import type { Firestore } from '@google-cloud/firestore';
import { getAllOf } from '../../platform/typed-documents.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { removalDetail, type Removal } from '../removals/delete-or-release.ts';
import { changeEntry } from './change-entry.ts';

/** Extensions read at once. */
const READ_AT_ONCE = 300;

/** Writes the entries of a preview's removals. */
export async function logPlannedRemovals(
  db: Firestore,
  paths: SyncPaths,
  runId: string,
  removals: readonly Removal[],
): Promise<void> {
  const writer = db.bulkWriter();
  const writes: Array<Promise<unknown>> = [];
  for (let i = 0; i < removals.length; i += READ_AT_ONCE) {
    const part = removals.slice(i, i + READ_AT_ONCE);
    const extensions = await getAllOf(db, ...part.map((removal) => paths.extension(removal.number)));
    part.forEach((removal, index) => {
      const extension = extensions[index]?.data();
      const entry = changeEntry(
        {
          userId: removal.userId,
          email: extension?.email ?? '',
          firstName: extension?.firstName,
          lastName: extension?.lastName,
        },
        removalDetail(removal),
      );
      writes.push(writer.set(paths.changes(runId).doc(removal.userId), entry));
    });
  }
  await Promise.all([...writes, writer.close()]);
}
