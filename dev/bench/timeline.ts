// Where a run's time went, read back from its page claims and finalize's: how long the first page took to start, the
// step of the longest chain (one claim to the next, which bounds the listing), how long a page was busy, and the
// parts of finalize. The wall is about run created + first claim + chain span + last page + finalize.
// Printed beside the table so a missed target points at its cause without re-running with extra logging.
import type { Firestore, Timestamp } from '@google-cloud/firestore';

/** Milliseconds spent in each part of a run. */
export interface RunTimeline {
  /** The chain the steps are of. */
  readonly chain: string;
  readonly firstClaimMs: number;
  /** Of that: from the run's creation to the first page's task reaching the tasks host (Pub/Sub's delivery). */
  readonly firstReceivedMs: number | undefined;
  /** From the longest chain's first page's claim to its last page's. */
  readonly chainSpanMs: number;
  readonly chainStepMs: Stats;
  readonly pageBusyMs: Stats;
  /** From the longest chain's last page's claim to its writes being done. */
  readonly lastPageMs: number;
  /** From the last page of any chain being done to the run's end. */
  readonly finalizeMs: number;
  /** The parts of the longest chain's steps, each a median over its pages. */
  readonly stepParts: StepParts;
  /** The parts of finalize, from the delivery that ended the run; absent when removals went on in chunks. */
  readonly finalizeParts: FinalizeParts | undefined;
}

/** What finalize's time went to, milliseconds, in order. */
export interface FinalizeParts {
  /** From the last page being done to its finalize task starting. */
  readonly hop: number;
  /** Reading the done pages' records to tell every chain is complete. */
  readonly pagesRead: number;
  readonly claim: number;
  /** Counting the tenant's Google links, which tells whether any linked user went unlisted. */
  readonly linksCount: number;
  /** Reading the listing (when needed) and deciding the removals. */
  readonly decide: number;
  /** Confirming and applying the removals. */
  readonly removals: number;
  /** Looking for welcome mails a crashed page left pending. */
  readonly mailsCheck: number;
  /** The transaction that ends the run. */
  readonly end: number;
}

interface FinalizeTiming {
  readonly receivedAt: number;
  readonly pagesReadAt: number;
  readonly claimedAt: number;
  readonly linksCountedAt: number;
  readonly decidedAt: number;
  readonly removedAt?: number;
  readonly mailsCheckedAt: number;
  readonly endedAt: number;
}

/** What one step of a chain (one page's claim to the next's) is made of, median milliseconds. */
export interface StepParts {
  /** From a page publishing the next page's task to that task starting: Pub/Sub and the relay. */
  readonly hop: number;
  /** The task's claim of its page (a transaction). */
  readonly claim: number;
  /** From the claim to the page in hand: waiting for the fetch ahead, or the whole fetch. */
  readonly waitForPage: number;
  /** In the fetch: reading the tenant's session before the call. */
  readonly sessionRead: number;
  /** In the fetch: the Directory call itself (the page latency and the client). */
  readonly listingCall: number;
  /** Publishing the next page's task (and the repeated-token check beside it). */
  readonly publish: number;
  /** Pages whose fetch the previous page's instance had made ahead. */
  readonly fetchedAhead: number;
  readonly pages: number;
  /** Of a page's writing (all pages of the run): reading the stored state, reserving numbers, the writes. */
  readonly stateRead: number;
  readonly reserve: number;
  readonly apply: number;
}

interface Timing {
  readonly receivedAt: number;
  readonly claimedAt: number;
  readonly fetchedAhead: boolean;
  readonly nextPublished: boolean;
  readonly fetchRequestedAt: number;
  readonly listingStartedAt: number;
  readonly fetchFinishedAt: number;
  readonly publishStartedAt: number;
  readonly publishDoneAt: number;
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
  readonly timing: Timing | undefined;
  readonly writeTiming: { stateReadMs: number; reserveMs: number; applyMs: number } | undefined;
}

/** Reads a finished run's pages and sums up its timeline. */
export async function runTimeline(db: Firestore, tenantId: string, runId: string): Promise<RunTimeline> {
  const run = db.doc(`tenants/${tenantId}/syncRuns/${runId}`);
  const [runSnapshot, pagesSnapshot, finalizeSnapshot] = await Promise.all([
    run.get(),
    run.collection('pages').select('chain', 'page', 'claimedAt', 'doneAt', 'timing', 'writeTiming').get(),
    run.collection('steps').doc('finalize').get(),
  ]);
  const createdAt = Date.parse(String(runSnapshot.get('createdAt')));
  const finishedAt = Date.parse(String(runSnapshot.get('finishedAt')));
  const pages: PageTimes[] = pagesSnapshot.docs.map((doc) => ({
    chain: String(doc.get('chain')),
    page: Number(doc.get('page')),
    claimed: (doc.get('claimedAt') as Timestamp).toMillis(),
    done: Date.parse(String(doc.get('doneAt'))),
    timing: doc.get('timing') as Timing | undefined,
    writeTiming: doc.get('writeTiming') as PageTimes['writeTiming'],
  }));
  // The longest chain bounds the listing: the domain for All Users, the joined listing for a group.
  const byChain = Map.groupBy(pages, (page) => page.chain);
  const longest = [...byChain.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  const chain = (longest?.[1] ?? []).sort((a, b) => a.page - b.page);
  const steps = chain.slice(1).map((page, i) => page.claimed - chain[i]!.claimed);
  const last = chain.at(-1);
  const firstPage = pages.reduce<PageTimes | undefined>(
    (earliest, page) => (earliest && earliest.claimed <= page.claimed ? earliest : page),
    undefined,
  );
  const lastDone = Math.max(...pages.map((page) => page.done));
  const finalizeTiming = finalizeSnapshot.get('timing') as FinalizeTiming | undefined;
  return {
    chain: longest?.[0] ?? '-',
    firstClaimMs: (firstPage?.claimed ?? createdAt) - createdAt,
    firstReceivedMs: firstPage?.timing ? firstPage.timing.receivedAt - createdAt : undefined,
    chainSpanMs: last && chain[0] ? last.claimed - chain[0].claimed : 0,
    chainStepMs: stats(steps),
    pageBusyMs: stats(pages.map((page) => page.done - page.claimed)),
    lastPageMs: last ? last.done - last.claimed : 0,
    finalizeMs: finishedAt - lastDone,
    stepParts: stepParts(chain, pages),
    finalizeParts: finalizeTiming && finalizeParts(finalizeTiming, lastDone),
  };
}

function finalizeParts(t: FinalizeTiming, lastDone: number): FinalizeParts {
  const removedAt = t.removedAt ?? t.decidedAt;
  return {
    hop: t.receivedAt - lastDone,
    pagesRead: t.pagesReadAt - t.receivedAt,
    claim: t.claimedAt - t.pagesReadAt,
    linksCount: t.linksCountedAt - t.claimedAt,
    decide: t.decidedAt - t.linksCountedAt,
    removals: removedAt - t.decidedAt,
    mailsCheck: t.mailsCheckedAt - removedAt,
    end: t.endedAt - t.mailsCheckedAt,
  };
}

function stepParts(chain: readonly PageTimes[], pages: readonly PageTimes[]): StepParts {
  const timed = chain.map((page) => page.timing);
  const median = (values: readonly number[]) => stats(values).median;
  const each = (part: (t: Timing) => number) => median(timed.flatMap((t) => (t ? [part(t)] : [])));
  // A page's task was published by the fetch ahead once the page before it was fetched, or else by that page's task.
  const hops = timed.slice(1).flatMap((t, i) => {
    const before = timed[i];
    if (!t || !before) return [];
    return [t.receivedAt - (before.nextPublished ? before.fetchFinishedAt : before.publishStartedAt)];
  });
  const written = (part: 'stateReadMs' | 'reserveMs' | 'applyMs') =>
    median(pages.flatMap((page) => (page.writeTiming ? [page.writeTiming[part]] : [])));
  return {
    hop: median(hops),
    claim: each((t) => t.claimedAt - t.receivedAt),
    waitForPage: each((t) => t.publishStartedAt - t.claimedAt),
    sessionRead: each((t) => t.listingStartedAt - t.fetchRequestedAt),
    listingCall: each((t) => t.fetchFinishedAt - t.listingStartedAt),
    publish: each((t) => t.publishDoneAt - t.publishStartedAt),
    fetchedAhead: timed.filter((t) => t?.fetchedAhead).length,
    pages: chain.length,
    stateRead: written('stateReadMs'),
    reserve: written('reserveMs'),
    apply: written('applyMs'),
  };
}

/** One line for the log. */
export function formatTimeline(label: string, startMs: number, t: RunTimeline): string {
  const s = (x: Stats) => `median ${x.median} / p90 ${x.p90} / max ${x.max}`;
  return (
    `${label}: run created ${startMs} ms after the start was asked for, first page claimed ${t.firstClaimMs} ms ` +
    `after that (its task delivered after ${t.firstReceivedMs ?? '?'} ms); ${t.chain} chain ${t.chainSpanMs} ms from its first ` +
    `claim to its last, step ${s(t.chainStepMs)} ms; ` +
    `page claim→done ${s(t.pageBusyMs)} ms; last page ${t.lastPageMs} ms; finalize ${t.finalizeMs} ms\n` +
    `  step parts (medians): Pub/Sub hop ${t.stepParts.hop} ms, claim ${t.stepParts.claim} ms, ` +
    `wait for the page ${t.stepParts.waitForPage} ms (session read ${t.stepParts.sessionRead} ms, ` +
    `Directory call ${t.stepParts.listingCall} ms), publish ${t.stepParts.publish} ms; ` +
    `${t.stepParts.fetchedAhead} of ${t.stepParts.pages} pages fetched ahead\n` +
    `  page writing (medians): state read ${t.stepParts.stateRead} ms, number reservation ${t.stepParts.reserve} ms, ` +
    `writes ${t.stepParts.apply} ms` +
    (t.finalizeParts ? `\n  finalize: ${formatFinalizeParts(t.finalizeParts)}` : '')
  );
}

function formatFinalizeParts(f: FinalizeParts): string {
  return (
    `task hop ${f.hop} ms, pages read ${f.pagesRead} ms, claim ${f.claim} ms, links counted ${f.linksCount} ms, ` +
    `removals decided ${f.decide} ms, applied ${f.removals} ms, pending mails checked ${f.mailsCheck} ms, ` +
    `run ended ${f.end} ms`
  );
}

function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { median: 0, p90: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { median: at(0.5), p90: at(0.9), max: Math.round(sorted.at(-1)!) };
}
