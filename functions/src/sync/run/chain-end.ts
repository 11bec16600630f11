// A chain's pages finish in any order, and finalize is due once every one of them is done. The last page says the
// chain has ended with a marker, `steps/{chain}:end`, written in the same batch as its record: a page done later
// reads that one document instead of going through the run's page records.
import type { WriteBatch } from '@google-cloud/firestore';
import type { SyncPaths } from '../../tenants/paths.ts';
import type { PageTask } from './tasks.ts';

/** Adds the chain's end marker to the batch that records its last page. */
export function markChainEnd(batch: WriteBatch, paths: SyncPaths, task: PageTask): void {
  batch.set(paths.chainEnd(task.runId, task.chain), { page: task.page });
}

/** Whether the chain's last page has been recorded. */
export async function chainEnded(paths: SyncPaths, task: PageTask): Promise<boolean> {
  return (await paths.chainEnd(task.runId, task.chain).get()).exists;
}
