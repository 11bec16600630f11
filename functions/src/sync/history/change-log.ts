// Where a run's (or a push's) history entries go, and how each is written: in the same commit or transaction as the
// change it tells of, so there is an entry exactly when the change was made, and under a key the change decides, so
// a second write of it (a redelivery, a retried transaction) leaves one entry.
import { FieldValue, type CollectionReference, type DocumentReference } from '@google-cloud/firestore';
import type { Writer } from '../../extensions/extension-writes.ts';
import type { ChangeEntry } from './change-entry.ts';

/** A history to write entries into. */
export interface ChangeLog {
  /** Adds the entry's write to `writer`'s commit. */
  write(writer: Writer, entry: ChangeEntry): void;
}

/** A run's history: one entry per user, keyed by the user's id. */
export function runChangeLog(changes: CollectionReference<ChangeEntry>): ChangeLog {
  return { write: (writer, entry) => writer.set(changes.doc(entry.userId), entry) };
}

/** A day's pushes: one entry per notification, keyed by it, with the day's counts beside them (a push day has no
 * pages to sum them from). */
export function pushChangeLog(
  changes: CollectionReference<ChangeEntry>,
  day: DocumentReference,
  notification: string,
): ChangeLog {
  return {
    write: (writer, entry) => {
      writer.set(changes.doc(notification), entry);
      writer.set(
        day,
        { date: day.id, lastAt: entry.at, counts: { [entry.kind]: FieldValue.increment(1) } },
        { merge: true },
      );
    },
  };
}
