// The emulator's own ceiling for a first sync's writes, measured on the benchmark's stack in the same run: the
// documents a first sync creates for each user (the extension and its two uniqueness keys, written by the sync's
// own writeCreate), as fast as the Firestore client can write them, once with a BulkWriter whose throttling is off
// and once as batched commits many at a time. The faster is the floor; a first sync cannot beat it, however it is
// scheduled. The scratch tenants are deleted afterwards (not timed), so the runs measured next meet the same store.
import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { writeCreate } from '../../functions/src/extensions/extension-writes.ts';
import type { DirectoryUser } from '../../functions/src/google/directory-user.ts';
import { managedState } from '../../functions/src/sync/apply/plan-page.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { cpuUse, readCpu, type CpuUse } from './cpu.ts';

/** What the floor measurement found. */
export interface WriteFloor {
  readonly users: number;
  readonly documents: number;
  readonly bulkWriterMs: number;
  readonly batchedMs: number;
  /** What the batched commits cost the stack's processes: the emulator's CPU for the writes alone. */
  readonly batchedCpu: CpuUse;
  /** The faster of the two, per user: a run's write floor is its created users times this. */
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
  const perBatch = Math.floor(BATCH_WRITES / 3);
  const chunks: (typeof states)[] = [];
  for (let i = 0; i < states.length; i += perBatch) chunks.push(states.slice(i, i + perBatch));
  const cpuBefore = readCpu();
  const batchStart = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      const batch = db.batch();
      for (const { number, state } of chunk) writeCreate(batch, batchPaths, number, state, undefined);
      await batch.commit();
    }
  };
  await Promise.all(Array.from({ length: BATCHES_IN_FLIGHT }, worker));
  const batchedMs = performance.now() - batchStart;
  const batchedCpu = cpuUse(cpuBefore, readCpu());

  // Unthrottled too: recursiveDelete's own BulkWriter starts at 500 operations a second and ramps up slowly.
  const deleter = db.bulkWriter({ throttling: false });
  await Promise.all([db.recursiveDelete(bulkPaths.tenant, deleter), db.recursiveDelete(batchPaths.tenant, deleter)]);
  await deleter.close();
  return {
    users: users.length,
    documents: states.length * 3,
    bulkWriterMs,
    batchedMs,
    batchedCpu,
    msPerUser: Math.min(bulkWriterMs, batchedMs) / Math.max(1, users.length),
  };
}
