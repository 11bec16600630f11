// Automatic extension numbers, reserved in blocks: one short transaction per page rather than one per user. A page
// takes freed numbers (of deleted extensions) below the high-water mark first, then moves the mark on. The
// transaction touches only the numbering document, the freed numbers it takes and the page's claim; which numbers of
// the block an admin already gave to a local extension is read after it, so that pages writing their extensions
// never wait on a reservation's locks. A block short of free numbers is topped up with another. The blocks are
// recorded on the page's claim, so a retried page gets the same numbers back.
import { FieldValue, type Transaction } from '@google-cloud/firestore';
import { MAX_EXTENSION_NUMBER } from '../../extensions/extension-number.ts';
import { readFields } from '../../platform/typed-documents.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { pageFields } from '../run/page-record.ts';

/** What a page's claim records of its numbers. */
const reservedFields = pageFields.pick({ numbers: true });

/** Top-ups of a page's block before it gives up. Each asks for exactly the shortfall, so no number is reserved and
 * left unused: even a range where every other number is a local extension converges in about ten. */
const MAX_BLOCKS = 64;

async function freeCandidates(
  transaction: Transaction,
  paths: SyncPaths,
  start: number,
  wanted: number,
): Promise<number[]> {
  const freed = await transaction.get(paths.freeNumbers.where('value', '>=', start).orderBy('value').limit(wanted));
  return freed.docs.map((doc) => doc.data().value);
}

// Pages of a tenant served by one instance reserve one after another: their transactions would otherwise all wait
// on the numbering document's lock at once (a transaction that reads a document locks it until it commits).
// `reservations` (InstanceCaches.reservations) holds the last reservation queued for each numbering document.
function oneAtATime<T>(reservations: Map<string, Promise<unknown>>, key: string, work: () => Promise<T>): Promise<T> {
  const previous = reservations.get(key) ?? Promise.resolve();
  const result = previous.catch(() => undefined).then(work);
  const settled = result.catch(() => undefined);
  reservations.set(key, settled);
  void settled.then(() => {
    if (reservations.get(key) === settled) reservations.delete(key);
  });
  return result;
}

// Reserves a block of `wanted` numbers for the page, or returns what a previous delivery of the page reserved.
function reserveBlock(
  reservations: Map<string, Promise<unknown>>,
  paths: SyncPaths,
  pageRef: FirebaseFirestore.DocumentReference,
  start: number,
  wanted: number,
  resume: boolean,
): Promise<number[]> {
  return oneAtATime(reservations, paths.numbering.path, () => reserveBlockNow(paths, pageRef, start, wanted, resume));
}

async function reserveBlockNow(
  paths: SyncPaths,
  pageRef: FirebaseFirestore.DocumentReference,
  start: number,
  wanted: number,
  resume: boolean,
): Promise<number[]> {
  return paths.tenant.firestore.runTransaction(async (transaction) => {
    const stored = readFields(await transaction.get(pageRef), reservedFields).numbers?.map(Number) ?? [];
    if (resume && stored.length > 0) return stored;
    const state = (await transaction.get(paths.numbering)).data();
    let next = state && state.start === start ? state.next : start;
    // Freed numbers are reused only below the high-water mark: above it the block takes them in order anyway.
    const freed = (await freeCandidates(transaction, paths, start, wanted)).filter((value) => value < next);
    const block = [...freed];
    while (block.length < wanted && next <= MAX_EXTENSION_NUMBER) block.push(next++);
    for (const value of freed) transaction.delete(paths.freeNumbers.doc(String(value)));
    transaction.set(paths.numbering, { start, next });
    transaction.set(
      pageRef,
      { numbers: [...stored, ...block].map(String), numbersReservedAt: FieldValue.serverTimestamp() },
      { merge: true },
    );
    return block;
  });
}

// The numbers of a block that no extension has.
async function untaken(paths: SyncPaths, values: readonly number[]): Promise<number[]> {
  if (values.length === 0) return [];
  const snapshots = await paths.tenant.firestore.getAll(...values.map((value) => paths.extension(String(value))));
  return values.filter((_, i) => !snapshots[i]!.exists);
}

/** Reserves `count` numbers for a page (fewer when the range runs out); a retried page gets its blocks back. */
export async function reserveNumbers(
  reservations: Map<string, Promise<unknown>>,
  paths: SyncPaths,
  pageRef: FirebaseFirestore.DocumentReference,
  start: string,
  count: number,
): Promise<string[]> {
  if (count === 0) return [];
  const available: number[] = [];
  for (let round = 0; round < MAX_BLOCKS && available.length < count; round++) {
    const wanted = count - available.length;
    const block = await reserveBlock(reservations, paths, pageRef, Number(start), wanted, round === 0);
    if (block.length === 0) break;
    // A local extension created meanwhile still makes the create fail on its key, and the user is skipped with why.
    available.push(...(await untaken(paths, block)));
  }
  return available
    .sort((a, b) => a - b)
    .slice(0, count)
    .map(String);
}
