// The emulator's own ceiling for a first sync's writes, measured on the benchmark's stack in the same run: the
// documents a first sync creates for each user (the extension and its two uniqueness keys, written by the sync's
// own writeCreate), as fast as the Firestore client can write them, once with a BulkWriter whose throttling is off
// and once as batched commits many at a time. The faster is the floor; a first sync cannot beat it, however it is
// scheduled. The batched commits run a second time with each user's history entry in the same commit, as the sync
// writes it: the two side by side are what the history costs at the store's fastest. The scratch tenants are deleted
// afterwards (not timed), so the runs measured next meet the same store.
import { randomBytes } from 'node:crypto';
import type { Firestore, WriteBatch } from '@google-cloud/firestore';
import { writeCreate } from '../../functions/src/extensions/extension-writes.ts';
import type { DirectoryUser } from '../../functions/src/google/directory-user.ts';
import type { ManagedState } from '../../functions/src/extensions/extension.ts';
import { managedState } from '../../functions/src/sync/apply/plan-page.ts';
import { changedUser } from '../../functions/src/sync/apply/write-plan.ts';
import { changeEntry } from '../../functions/src/sync/history/change-entry.ts';
import { runChangeLog } from '../../functions/src/sync/history/change-log.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { cpuUse, readCpu, type CpuUse } from './cpu.ts';

/** What the floor measurement found. */
export interface WriteFloor {
  readonly users: number;
  readonly documents: number;
  readonly bulkWriterMs: number;
  readonly batchedMs: number;
  /** The same batched commits with each user's history entry written beside its documents. */
  readonly batchedWithHistoryMs: number;
  /** What the batched commits cost the stack's processes: the emulator's CPU for the writes alone. */
  readonly batchedCpu: CpuUse;
  /** The faster of the two without history, per user: a run's write floor is its created users times this. */
  readonly msPerUser: number;
}

/** Writes per batch: Firestore's limit is 500 writes a commit. */
const BATCH_WRITES = 498;
/** Batches in flight at once. */
const BATCHES_IN_FLIGHT = 16;

/** Measures both ways of writing `users`' first-sync documents into fresh scratch tenants. */
export async function measureWriteFloor(db: Firestore, users: readonly DirectoryUser[]): Promise<WriteFloor> {
  const states = users.map((user, i) => ({ number: String(1_000_000 + i), state: managedState(user) }));
  const scratch = () => syncPaths(db, `bench-floor-${randomBytes(4).toString('hex')}`);

  const bulkPaths = scratch();
  const bulkStart = performance.now();
  const bulk = db.bulkWriter({ throttling: false });
  for (const { number, state } of states) writeCreate(bulk, bulkPaths, number, state, undefined);
  await bulk.close();
  const bulkWriterMs = performance.now() - bulkStart;

  const batchPaths = scratch();
  const cpuBefore = readCpu();
  const batchedMs = await writeBatched(db, states, 3, (batch, { number, state }) =>
    writeCreate(batch, batchPaths, number, state, undefined),
  );
  const batchedCpu = cpuUse(cpuBefore, readCpu());

  const historyPaths = scratch();
  const log = runChangeLog(historyPaths.changes('bench-floor-run'));
  const batchedWithHistoryMs = await writeBatched(db, states, 4, (batch, { number, state }) => {
    writeCreate(batch, historyPaths, number, state, undefined);
    log.write(batch, changeEntry(changedUser(state), { kind: 'created', number }));
  });

  // Unthrottled too: recursiveDelete's own BulkWriter starts at 500 operations a second and ramps up slowly.
  const deleter = db.bulkWriter({ throttling: false });
  await Promise.all([bulkPaths, batchPaths, historyPaths].map((paths) => db.recursiveDelete(paths.tenant, deleter)));
  await deleter.close();
  return {
    users: users.length,
    documents: states.length * 3,
    bulkWriterMs,
    batchedMs,
    batchedWithHistoryMs,
    batchedCpu,
    msPerUser: Math.min(bulkWriterMs, batchedMs) / Math.max(1, users.length),
  };
}

interface FloorState {
  readonly number: string;
  readonly state: ManagedState;
}

/** Writes every state with `write` (`documentsPerUser` writes each), in batches of at most 500 writes, several
 * batches in flight; returns the ms. */
async function writeBatched(
  db: Firestore,
  states: readonly FloorState[],
  documentsPerUser: number,
  write: (batch: WriteBatch, state: FloorState) => void,
): Promise<number> {
  const perBatch = Math.floor(BATCH_WRITES / documentsPerUser);
  const chunks: FloorState[][] = [];
  for (let i = 0; i < states.length; i += perBatch) chunks.push(states.slice(i, i + perBatch));
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      const batch = db.batch();
      for (const state of chunk) write(batch, state);
      await batch.commit();
    }
  };
  await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, worker));
  return performance.now() - started;
}
