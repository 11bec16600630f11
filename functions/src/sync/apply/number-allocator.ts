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

// Pages of a tenant served by one instance reserve together: their transactions would otherwise all wait on the
// numbering document's lock at once (a transaction that reads a document locks it until it commits), or, one after
// another, make each page wait for every reservation queued before it. So the reservations asked for while one is
// committing go in the next transaction, all of them: each page's block is recorded on its own claim in it, as
// when it reserves alone. `reservations` (InstanceCaches.reservations) holds each numbering document's queue.

/** One page's request for a block. */
interface BlockRequest {
  readonly pageRef: FirebaseFirestore.DocumentReference;
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
  reservations: Map<string, ReservationQueue>,
  paths: SyncPaths,
  pageRef: FirebaseFirestore.DocumentReference,
  start: number,
  wanted: number,
  resume: boolean,
): Promise<number[]> {
  const key = `${paths.numbering.path}@${start}`;
  const queue = reservations.get(key) ?? { waiting: [], running: false };
  reservations.set(key, queue);
  const block = new Promise<number[]>((resolve, reject) =>
    queue.waiting.push({ pageRef, wanted, resume, resolve, reject }),
  );
  if (!queue.running) void drain(reservations, key, queue, paths, start);
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
  reservations: Map<string, ReservationQueue>,
  key: string,
  queue: ReservationQueue,
  paths: SyncPaths,
  start: number,
): Promise<void> {
  queue.running = true;
  while (queue.waiting.length > 0) {
    const requests = takeOnePerPage(queue.waiting);
    try {
      const blocks = await reserveBlocksNow(paths, start, requests);
      requests.forEach((request, i) => request.resolve(blocks[i]!));
    } catch (error) {
      for (const request of requests) request.reject(error);
    }
  }
  queue.running = false;
  reservations.delete(key);
}

async function reserveBlocksNow(paths: SyncPaths, start: number, requests: readonly BlockRequest[]) {
  const candidates = await freeCandidates(
    paths,
    start,
    requests.reduce((sum, request) => sum + request.wanted, 0),
  );
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

/** Reserves `count` numbers for a page (fewer when the range runs out); a retried page gets its blocks back.
 * `skipTaken` leaves out the look for local extensions at the numbers, where none existed when the run started. */
export async function reserveNumbers(
  reservations: Map<string, ReservationQueue>,
  paths: SyncPaths,
  pageRef: FirebaseFirestore.DocumentReference,
  start: string,
  count: number,
  options: { readonly skipTaken: boolean } = { skipTaken: false },
): Promise<string[]> {
  if (count === 0) return [];
  const available: number[] = [];
  for (let round = 0; round < MAX_BLOCKS && available.length < count; round++) {
    const wanted = count - available.length;
    const block = await reserveBlock(reservations, paths, pageRef, Number(start), wanted, round === 0);
    if (block.length === 0) break;
    // A local extension created meanwhile still makes the create fail on its key, and the user is skipped with why.
    available.push(...(options.skipTaken ? block : await untaken(paths, block)));
  }
  return available
    .sort((a, b) => a - b)
    .slice(0, count)
    .map(String);
}
