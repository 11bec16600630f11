// Many writes in commits Firestore takes, with the writes that must land last in the final one: a commit holds at
// most 500 writes, so a page's problems and history entries (up to 500 each) do not fit beside its record.
import type { Firestore, WriteBatch } from '@google-cloud/firestore';

/** One write, added to whichever commit it falls in. */
export type Write = (batch: WriteBatch) => void;

/** Writes a commit takes, with room for the final commit's own. */
const WRITES_PER_COMMIT = 450;

/** Commits `writes` in parts, all at once, and then `last` with the rest: once `last` is stored, so is every write. */
export async function inCommits(db: Firestore, writes: readonly Write[], last: Write): Promise<void> {
  const final = writes.length % WRITES_PER_COMMIT;
  const early = writes.slice(0, writes.length - final);
  const parts: Write[][] = [];
  for (let i = 0; i < early.length; i += WRITES_PER_COMMIT) parts.push(early.slice(i, i + WRITES_PER_COMMIT));
  await Promise.all(parts.map((part) => commit(db, part)));
  await commit(db, [...writes.slice(early.length), last]);
}

async function commit(db: Firestore, writes: readonly Write[]): Promise<void> {
  const batch = db.batch();
  for (const write of writes) write(batch);
  await batch.commit();
}
