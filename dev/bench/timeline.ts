// Where a run's time went, read back from its page claims: how long the first page took to start, the step of
// the longest chain (one claim to the next, which bounds the listing), how long a page was busy, and finalize.
// Printed beside the table so a missed target points at its cause without re-running with extra logging.
import type { Firestore, Timestamp } from '@google-cloud/firestore';

/** Milliseconds spent in each part of a run. */
export interface RunTimeline {
  /** The chain the steps are of. */
  readonly chain: string;
  readonly firstClaimMs: number;
  readonly chainStepMs: Stats;
  readonly pageBusyMs: Stats;
  /** From the longest chain's last page's claim to its writes being done. */
  readonly lastPageMs: number;
  /** From the last page of any chain being done to the run's end. */
  readonly finalizeMs: number;
}

/** Median, 90th percentile and maximum. */
export interface Stats {
  readonly median: number;
  readonly p90: number;
  readonly max: number;
}

interface PageTimes {
  readonly chain: string;
  readonly page: number;
  readonly claimed: number;
  readonly done: number;
}

/** Reads a finished run's pages and sums up its timeline. */
export async function runTimeline(db: Firestore, tenantId: string, runId: string): Promise<RunTimeline> {
  const run = db.doc(`tenants/${tenantId}/syncRuns/${runId}`);
  const [runSnapshot, pagesSnapshot] = await Promise.all([
    run.get(),
    run.collection('pages').select('chain', 'page', 'claimedAt', 'doneAt').get(),
  ]);
  const createdAt = Date.parse(String(runSnapshot.get('createdAt')));
  const finishedAt = Date.parse(String(runSnapshot.get('finishedAt')));
  const pages: PageTimes[] = pagesSnapshot.docs.map((doc) => ({
    chain: String(doc.get('chain')),
    page: Number(doc.get('page')),
    claimed: (doc.get('claimedAt') as Timestamp).toMillis(),
    done: Date.parse(String(doc.get('doneAt'))),
  }));
  // The longest chain bounds the listing: the domain for All Users, the joined listing for a group.
  const byChain = Map.groupBy(pages, (page) => page.chain);
  const longest = [...byChain.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  const chain = (longest?.[1] ?? []).sort((a, b) => a.page - b.page);
  const steps = chain.slice(1).map((page, i) => page.claimed - chain[i]!.claimed);
  const last = chain.at(-1);
  const first = pages.reduce((earliest, page) => Math.min(earliest, page.claimed), Number.POSITIVE_INFINITY);
  return {
    chain: longest?.[0] ?? '-',
    firstClaimMs: (Number.isFinite(first) ? first : createdAt) - createdAt,
    chainStepMs: stats(steps),
    pageBusyMs: stats(pages.map((page) => page.done - page.claimed)),
    lastPageMs: last ? last.done - last.claimed : 0,
    finalizeMs: finishedAt - Math.max(...pages.map((page) => page.done)),
  };
}

/** One line for the log. */
export function formatTimeline(label: string, t: RunTimeline): string {
  const s = (x: Stats) => `median ${x.median} / p90 ${x.p90} / max ${x.max}`;
  return (
    `${label}: first page claimed after ${t.firstClaimMs} ms; ${t.chain} chain step ${s(t.chainStepMs)} ms; ` +
    `page claim→done ${s(t.pageBusyMs)} ms; last page ${t.lastPageMs} ms; finalize ${t.finalizeMs} ms`
  );
}

function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { median: 0, p90: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { median: at(0.5), p90: at(0.9), max: Math.round(sorted.at(-1)!) };
}
