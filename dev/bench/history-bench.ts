// The history's read side, on a run the benchmark just measured: how long the admin waits for the first page of its
// changes (the list the Collaboration page opens), filtered by kind, searched for one user, and the page after the
// first, each through the admin API as the page calls it. The target is under 1 s at 100k changes.
import type { ChangePage } from '../../functions/src/sync/history/history-query.ts';
import type { AdminClient } from './admin-client.ts';
import { BENCH_DOMAIN } from './organisation.ts';

/** The target for opening a page of a run's changes. */
export const HISTORY_PAGE_TARGET_MS = 1000;

/** One timed read of the change list. */
export interface HistoryRead {
  readonly label: string;
  readonly ms: number;
  readonly entries: number;
}

/** Times the change list of run `runId` as the page reads it; the first read of each is the one timed. */
export async function measureHistoryReads(admin: AdminClient, runId: string, users: number): Promise<HistoryRead[]> {
  const base = `/api/sync/history/${encodeURIComponent(runId)}/changes`;
  const read = async (label: string, query: string): Promise<HistoryRead & { next: string | null }> => {
    const started = performance.now();
    const page = (await (await admin.call('GET', `${base}${query}`)).json()) as ChangePage;
    return { label, ms: performance.now() - started, entries: page.changes.length, next: page.next };
  };
  const first = await read('first page', '');
  const reads: HistoryRead[] = [first];
  if (first.next) reads.push(await read('second page', `?after=${encodeURIComponent(first.next)}`));
  reads.push(await read('kind Created', '?kind=created'));
  // A user near the end of the address order, so the search cannot luck into the first entries.
  const searched = `user${Math.max(0, users - 1)}@${BENCH_DOMAIN}`;
  reads.push(await read(`search ${searched}`, `?q=${encodeURIComponent(searched)}`));
  return reads.map(({ label, ms, entries }) => ({ label, ms, entries }));
}

/** The reads as lines under the table. */
export function formatHistoryReads(changes: number, reads: readonly HistoryRead[]): string {
  const lines = reads.map(
    (r) =>
      `  ${r.label}: ${r.ms.toFixed(0)} ms, ${r.entries} entries ` +
      `(<${HISTORY_PAGE_TARGET_MS} ms: ${r.ms < HISTORY_PAGE_TARGET_MS ? 'yes' : 'NO'})`,
  );
  return [`Change list of the first sync (${changes} changes), read through the admin API:`, ...lines].join('\n');
}
