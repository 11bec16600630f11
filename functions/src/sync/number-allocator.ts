// Automatic extension numbers, reserved in one transaction per page rather than one per user: a page takes the
// lowest free numbers at or above the start. Freed numbers (deleted extensions) are reused first, then the
// high-water mark moves on, skipping numbers an admin already gave to a local extension. The block is recorded
// on the page's claim, so a retried page gets the same numbers back.
import { FieldValue, type Transaction } from '@google-cloud/firestore';
import { MAX_EXTENSION_NUMBER } from './extension-number.ts';
import type { SyncPaths } from './paths.ts';

interface NumberingState {
  readonly start: number;
  readonly next: number;
}

async function freeCandidates(transaction: Transaction, paths: SyncPaths, start: number, wanted: number): Promise<number[]> {
  const freed = await transaction.get(paths.freeNumbers.where('value', '>=', start).orderBy('value').limit(wanted));
  return freed.docs.map((doc) => Number(doc.get('value')));
}

/** Reserves `count` numbers for a page (fewer when the range runs out); a retried page gets its block back. */
export async function reserveNumbers(
  paths: SyncPaths,
  pageRef: FirebaseFirestore.DocumentReference,
  start: string,
  count: number,
): Promise<string[]> {
  if (count === 0) return [];
  const db = paths.tenant.firestore;
  return db.runTransaction(async (transaction) => {
    const page = await transaction.get(pageRef);
    const reserved = page.get('numbers') as string[] | undefined;
    if (reserved) return reserved;
    const startValue = Number(start);
    const stored = (await transaction.get(paths.numbering)).data() as NumberingState | undefined;
    let next = stored && stored.start === startValue ? stored.next : startValue;
    const chosen: number[] = [];
    const usedFreed: number[] = [];
    // Freed numbers are reused only below the high-water mark: above it the scan finds them in order anyway.
    const freed = (await freeCandidates(transaction, paths, startValue, count)).filter((value) => value < next);
    const candidates = async (values: number[]) => {
      if (values.length === 0) return;
      const snapshots = await transaction.getAll(...values.map((value) => paths.extension(String(value))));
      snapshots.forEach((snapshot, i) => {
        if (!snapshot.exists && chosen.length < count) chosen.push(values[i]!);
      });
    };
    await candidates(freed);
    usedFreed.push(...freed);
    while (chosen.length < count && next <= MAX_EXTENSION_NUMBER) {
      // Wide windows: a tenant with long runs of taken numbers must not need thousands of round trips.
      const window = Array.from({ length: Math.min(Math.max(count - chosen.length + 16, 500), MAX_EXTENSION_NUMBER - next + 1) }, (_, i) => next + i);
      const before = chosen.length;
      await candidates(window);
      const lastFromWindow = chosen.length > before ? chosen[chosen.length - 1]! : undefined;
      next = (chosen.length >= count && lastFromWindow !== undefined ? lastFromWindow : window[window.length - 1]!) + 1;
    }
    chosen.sort((a, b) => a - b);
    const numbers = chosen.map(String);
    for (const value of usedFreed) transaction.delete(paths.freeNumbers.doc(String(value)));
    transaction.set(paths.numbering, { start: startValue, next });
    transaction.set(pageRef, { numbers, numbersReservedAt: FieldValue.serverTimestamp() }, { merge: true });
    return numbers;
  });
}
