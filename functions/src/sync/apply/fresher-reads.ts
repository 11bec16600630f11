// A page's listing is Google's state when the listing began. A push task that read a user from Google after that
// holds a fresher state, and may have written it already: the page must not put the older one back. So an update
// (or renumber) of a user a push read since the listing began is left as it is; the push applied Google's later
// state, and any change after that push's read brings its own notification. Only pages with updates pay the read.
import type { Firestore } from '@google-cloud/firestore';
import { pushPaths } from '../../push/push-documents.ts';
import type { Decision } from './plan-page.ts';

/** The decisions, with updates of users read by a push at or after `listedAt` (ms) made `unchanged`. */
export async function withoutOutdatedUpdates(
  db: Firestore,
  tenantId: string,
  decisions: readonly Decision[],
  listedAt: number,
): Promise<Decision[]> {
  const updates = decisions.filter((decision) => decision.kind === 'update' || decision.kind === 'renumber');
  if (updates.length === 0) return [...decisions];
  const push = pushPaths(db, tenantId);
  const reads = await db.getAll(...updates.map((decision) => push.user(decision.userId)));
  const fresher = new Set(reads.filter((read) => (read.data()?.readAt ?? 0) >= listedAt).map((read) => read.id));
  return decisions.map((decision) => {
    if (!fresher.has(decision.userId)) return decision;
    if (decision.kind === 'update') return { kind: 'unchanged', userId: decision.userId, number: decision.number };
    if (decision.kind === 'renumber') return { kind: 'unchanged', userId: decision.userId, number: decision.from };
    return decision;
  });
}
