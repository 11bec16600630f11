// Automatic extension numbers, reserved in blocks: one short transaction for the pages asking at once rather than
// one per user. A page
// takes freed numbers (of deleted extensions) below the high-water mark first, then moves the mark on. The
// transaction touches only the numbering document, the freed numbers it takes and the page's claim; which numbers of
// the block an admin already gave to a local extension is read after it, so that pages writing their extensions
// never wait on a reservation's locks. A block short of free numbers is topped up with another. The blocks are
// recorded on the page's claim, so a retried page gets the same numbers back.
import { FieldValue } from '@google-cloud/firestore';
import { MAX_EXTENSION_NUMBER } from '../../extensions/extension-number.ts';
import { readFields } from '../../platform/typed-documents.ts';
import type { InstanceCaches } from '../../instance-caches.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { pageFields } from '../run/page-record.ts';

/** What a page's claim records of its numbers. */
const reservedFields = pageFields.pick({ numbers: true });

/** Top-ups of a page's block before it gives up. Each asks for exactly the shortfall, so no number is reserved and
 * left unused: even a range where every other number is a local extension converges in about ten. */
const MAX_BLOCKS = 64;

// The freed numbers from `start` on, read outside the transaction: a query in a transaction locks what it reads
// for the whole transaction, so the transaction reads back only the ones it takes, each by its own document.
async function freeCandidates(paths: SyncPaths, start: number, wanted: number): Promise<number[]> {
  const freed = await paths.freeNumbers.where('value', '>=', start).orderBy('value').limit(wanted).get();
  return freed.docs.map((doc) => doc.data().value);
}

// A run's pages look for freed numbers until one finds fewer than it asked for: there are none left then, and a
// first sync, or any run that frees none, would otherwise query for them once a page. A number freed while the run
// goes on is handed out by the next run. `freedNumbersGone` (InstanceCaches) keeps, per run and numbering, that the
// look found none left.
const goneKey = (paths: SyncPaths, start: number, runId: string) => `${runId}@${paths.numbering.path}@${start}`;

// Pages of a tenant served by one instance reserve together: their transactions would otherwise all wait on the
// numbering document's lock at once (a transaction that reads a document locks it until it commits), or, one after
// another, make each page wait for every reservation queued before it. So the reservations asked for while one is
// committing go in the next transaction, all of them: each page's block is recorded on its own claim in it, as
// when it reserves alone. `reservations` (InstanceCaches.reservations) holds each numbering document's queue.

/** One page's request for a block. */
interface BlockRequest {
  readonly pageRef: FirebaseFirestore.DocumentReference;
  /** The run the page is of; absent for a single change (a push notification's), which always looks. */
  readonly runId: string | undefined;
  readonly wanted: number;
  readonly resume: boolean;
  readonly resolve: (block: number[]) => void;
  readonly reject: (error: unknown) => void;
}

/** The reservations of one numbering document (and start) waiting for the next transaction. */
export interface ReservationQueue {
  readonly waiting: BlockRequest[];
  running: boolean;
}

// Reserves a block of `wanted` numbers for the page, or returns what a previous delivery of the page reserved.
function reserveBlock(
  caches: NumberCaches,
  paths: SyncPaths,
  request: Omit<BlockRequest, 'resolve' | 'reject'>,
  start: number,
): Promise<number[]> {
  const key = `${paths.numbering.path}@${start}`;
  const queue = caches.reservations.get(key) ?? { waiting: [], running: false };
  caches.reservations.set(key, queue);
  const block = new Promise<number[]>((resolve, reject) => queue.waiting.push({ ...request, resolve, reject }));
  if (!queue.running) void drain(caches, key, queue, paths, start);
  return block;
}

// The waiting requests the next transaction takes: a page asks once at a time, so should a redelivery of it ask
// meanwhile, that request stays for the transaction after.
function takeOnePerPage(waiting: BlockRequest[]): BlockRequest[] {
  const taken = new Map<string, BlockRequest>();
  for (const request of waiting) if (!taken.has(request.pageRef.path)) taken.set(request.pageRef.path, request);
  const requests = [...taken.values()];
  const left = waiting.filter((request) => !requests.includes(request));
  waiting.splice(0, waiting.length, ...left);
  return requests;
}

async function drain(
  caches: NumberCaches,
  key: string,
  queue: ReservationQueue,
  paths: SyncPaths,
  start: number,
): Promise<void> {
  queue.running = true;
  while (queue.waiting.length > 0) {
    const requests = takeOnePerPage(queue.waiting);
    try {
      const blocks = await reserveBlocksNow(caches, paths, start, requests);
      requests.forEach((request, i) => request.resolve(blocks[i]!));
    } catch (error) {
      for (const request of requests) request.reject(error);
    }
  }
  queue.running = false;
  caches.reservations.delete(key);
}

async function reserveBlocksNow(
  caches: NumberCaches,
  paths: SyncPaths,
  start: number,
  requests: readonly BlockRequest[],
): Promise<number[][]> {
  const gone = (runId: string | undefined) =>
    runId !== undefined && caches.freedNumbersGone.has(goneKey(paths, start, runId));
  const look = !requests.every((request) => gone(request.runId));
  const wanted = requests.reduce((sum, request) => sum + request.wanted, 0);
  const candidates = look ? await freeCandidates(paths, start, wanted) : [];
  if (look && candidates.length < wanted)
    for (const { runId } of requests) if (runId) caches.freedNumbersGone.set(goneKey(paths, start, runId), true);
  return paths.tenant.firestore.runTransaction(async (transaction) => {
    const [numbering, ...rest] = await transaction.getAll(
      paths.numbering,
      ...requests.map((request) => request.pageRef),
      ...candidates.map((value) => paths.freeNumbers.doc(String(value))),
    );
    const pages = rest.slice(0, requests.length);
    const freedDocs = rest.slice(requests.length);
    const state = numbering!.exists ? (numbering!.data() as { start: number; next: number }) : undefined;
    let next = state && state.start === start ? state.next : start;
    // Freed numbers are reused only below the high-water mark: above it the blocks take them in order anyway. One
    // another reservation took meanwhile is gone: its document no longer exists.
    const freed = candidates.filter((value, i) => freedDocs[i]!.exists && value < next);
    const blocks = requests.map((request, i) => {
      const stored = readFields(pages[i]!, reservedFields).numbers?.map(Number) ?? [];
      if (request.resume && stored.length > 0) return stored;
      const block = freed.splice(0, request.wanted);
      for (const value of block) transaction.delete(paths.freeNumbers.doc(String(value)));
      while (block.length < request.wanted && next <= MAX_EXTENSION_NUMBER) block.push(next++);
      transaction.set(
        request.pageRef,
        { numbers: [...stored, ...block].map(String), numbersReservedAt: FieldValue.serverTimestamp() },
        { merge: true },
      );
      return block;
    });
    transaction.set(paths.numbering, { start, next });
    return blocks;
  });
}

// The numbers of a block that no extension has.
async function untaken(paths: SyncPaths, values: readonly number[]): Promise<number[]> {
  if (values.length === 0) return [];
  const snapshots = await paths.tenant.firestore.getAll(...values.map((value) => paths.extension(String(value))));
  return values.filter((_, i) => !snapshots[i]!.exists);
}

/** What the reservations keep on an instance (InstanceCaches). */
export type NumberCaches = Pick<InstanceCaches, 'reservations' | 'freedNumbersGone'>;

/** Reserves `count` numbers for a page (fewer when the range runs out); a retried page gets its blocks back.
 * `skipTaken` leaves out the look for local extensions at the numbers, where none existed when the run started;
 * `runId` names the run a page is of, whose later pages stop looking for freed numbers once there are none. */
export async function reserveNumbers(
  caches: NumberCaches,
  paths: SyncPaths,
  pageRef: FirebaseFirestore.DocumentReference,
  start: string,
  count: number,
  options: { readonly skipTaken: boolean; readonly runId?: string } = { skipTaken: false },
): Promise<string[]> {
  if (count === 0) return [];
  const available: number[] = [];
  for (let round = 0; round < MAX_BLOCKS && available.length < count; round++) {
    const wanted = count - available.length;
    const request = { pageRef, runId: options.runId, wanted, resume: round === 0 };
    const block = await reserveBlock(caches, paths, request, Number(start));
    if (block.length === 0) break;
    // A local extension created meanwhile still makes the create fail on its key, and the user is skipped with why.
    available.push(...(options.skipTaken ? block : await untaken(paths, block)));
  }
  return available
    .sort((a, b) => a - b)
    .slice(0, count)
    .map(String);
}
