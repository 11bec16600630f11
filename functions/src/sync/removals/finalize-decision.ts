// What finalize decides, from what it read and nothing else, so every rule of SPEC §5.4 is tested without I/O. A
// linked user is deleted when listed at or above the chosen status, or listed as deleted; with "All Users", a user
// absent from the complete domain listing is deleted too. With units or groups, a linked user absent from every
// source left the range: deleted with "Auto delete", else released. All removals are held for approval when there
// are more than the deletion limit, or when a source that had users came back empty. A preview only counts them.
import { z } from 'zod';
import { pageFields } from '../run/page-record.ts';
import { addCounts, deletionLimit, zeroCounts, type RunCounts, type SyncRun } from '../run/run.ts';
import { firstChains, listsRangeUsers, sourceKey, sourceName, type Chain } from '../settings/sources.ts';
import type { Removal } from './delete-or-release.ts';

/** What finalize reads of every done page; the user ids are read only when listingNeeded() says so. */
export const donePageFields = pageFields
  .pick({
    chain: true,
    page: true,
    status: true,
    last: true,
    listed: true,
    scanned: true,
    linked: true,
    deletions: true,
    counts: true,
  })
  .required({ chain: true, page: true, status: true });

/** A done page, as finalize reads it. */
export type DonePage = z.output<typeof donePageFields>;

/** What finalize needs of its run. */
export type FinalizedRun = Pick<SyncRun, 'settings' | 'managedAtStart' | 'dryRun' | 'userChain'>;

/** The ids the range's listings saw, and every Google link when the pages were done. */
export interface Listing {
  readonly listedIds: ReadonlySet<string>;
  readonly links: ReadonlyArray<{ readonly userId: string; readonly number: string }>;
}

/** Where the sync stands once finalize decided. */
export type FinalizeDecision =
  /** A preview: the run succeeds with what it would have done counted. */
  | { readonly kind: 'preview'; readonly counts: RunCounts }
  /** Every removal waits for the admin's approval, for `reason`; the run awaits approval. */
  | {
      readonly kind: 'hold';
      readonly counts: RunCounts;
      readonly removals: readonly Removal[];
      readonly reason: string;
    }
  /** The removals are confirmed with Google and applied; the sizes listed are remembered for the next run. */
  | {
      readonly kind: 'remove';
      readonly counts: RunCounts;
      readonly removals: readonly Removal[];
      readonly remember: RememberedSizes;
    };

/** What a complete run remembers of its listing, in `syncState/current`. */
export interface RememberedSizes {
  readonly sourceSizes: Record<string, number>;
  readonly domainUsers?: number;
}

/** Whether every chain reached its last page with no page missing. */
export function chainsComplete(pages: readonly DonePage[], chains: readonly Chain[]): boolean {
  return chains.every((chain) => {
    const done = pages.filter((page) => page.chain === chain);
    const last = done.find((page) => page.last === true);
    return last !== undefined && done.length === last.page + 1;
  });
}

/** Whether the listed ids and the links must be read to tell the removals. Every link belongs to a user the
 * listing saw linked or proposed to remove: when the counts say so, none was absent and nothing more is read (at
 * 100,000 users the ids are megabytes). A user listed twice (a listing is not a snapshot) can hide an absent one
 * until the next run; the error is always towards removing nothing. A preview reads them always. */
export function listingNeeded(run: FinalizedRun, pages: readonly DonePage[], linksAtEnd: number): boolean {
  const linkedListed = pages
    .filter((page) => listsRangeUsers(page.chain))
    .reduce((sum, page) => sum + (page.linked ?? 0), 0);
  return run.dryRun === true || linksAtEnd !== linkedListed + proposedRemovals(pages).size;
}

/** The run's removals: those the pages proposed (by status), and, given the listing, the linked users it missed. */
export function finalRemovals(run: FinalizedRun, pages: readonly DonePage[], listing: Listing | undefined): Removal[] {
  const byUser = proposedRemovals(pages);
  // Absent from the whole domain means deleted; absent from the picked units or groups means out of the range.
  const absent: Pick<Removal, 'status' | 'action' | 'reason'> =
    run.settings.range === 'all'
      ? { status: 'deleted', action: 'delete', reason: 'status' }
      : { status: 'active', action: run.settings.autoDelete ? 'delete' : 'release', reason: 'out_of_range' };
  if (listing) {
    for (const link of listing.links)
      if (!listing.listedIds.has(link.userId) && !byUser.has(link.userId))
        byUser.set(link.userId, { ...link, ...absent });
  }
  return [...byUser.values()];
}

/** Decides what finalize does with the run's removals. `sizesBefore` (the last complete run's source sizes) is
 * consulted only when there are removals, so it need only be read then. */
export function decideFinalize(facts: {
  readonly run: FinalizedRun;
  readonly pages: readonly DonePage[];
  readonly removals: readonly Removal[];
  readonly sizesBefore: Readonly<Record<string, number>>;
}): FinalizeDecision {
  const { run, pages, removals } = facts;
  const counts = pages.reduce((sum, page) => addCounts(sum, page.counts ?? {}), zeroCounts());
  if (run.dryRun) {
    const deleted = removals.filter((removal) => removal.action === 'delete').length;
    return { kind: 'preview', counts: { ...counts, deleted, released: removals.length - deleted } };
  }
  const sourceSizes = sizesOf(run, pages);
  const reason =
    removals.length > 0 ? heldReason(run, removals, emptiedSource(run, sourceSizes, facts.sizesBefore)) : undefined;
  if (reason) return { kind: 'hold', counts, removals, reason };
  return { kind: 'remove', counts, removals, remember: { sourceSizes, ...domainSize(run, pages) } };
}

/** Users in range linked to an extension once the removals are applied: the X of "X users have been synced". */
export function syncedUsersAfter(linksAtEnd: number, applied: Pick<RunCounts, 'deleted' | 'released'>): number {
  return linksAtEnd - applied.deleted - applied.released;
}

function proposedRemovals(pages: readonly DonePage[]): Map<string, Removal> {
  const byUser = new Map<string, Removal>();
  for (const page of pages) for (const removal of page.deletions ?? []) byUser.set(removal.userId, removal);
  return byUser;
}

/** How many users each source listed (members, for a group). */
function sizesOf(run: FinalizedRun, pages: readonly DonePage[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const page of pages) {
    const key = sourceKey(run.settings, page.chain);
    if (key) sizes[key] = (sizes[key] ?? 0) + (page.listed ?? 0);
  }
  return sizes;
}

/** The domain's size, when this run listed all of it: it tells a later group run which strategy costs less. */
function domainSize(run: FinalizedRun, pages: readonly DonePage[]): { domainUsers?: number } {
  const whole = run.settings.range === 'all' ? 'domain' : run.userChain === 'join' ? 'join' : undefined;
  if (!whole) return {};
  return {
    domainUsers: pages
      .filter((page) => page.chain === whole)
      .reduce((sum, page) => sum + (page.scanned ?? page.listed ?? 0), 0),
  };
}

/** The first source that came back empty after having had users, if any. */
function emptiedSource(
  run: FinalizedRun,
  sizes: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>,
): string | undefined {
  for (const chain of firstChains(run.settings)) {
    const key = sourceKey(run.settings, chain);
    if (!key || (sizes[key] ?? 0) > 0) continue;
    // The domain had users when it had synced extensions, even before sizes were remembered.
    const had = (before[key] ?? 0) > 0 || (key === 'domain' && run.managedAtStart > 0);
    if (had) return sourceName(run.settings, chain);
  }
  return undefined;
}

function heldReason(run: FinalizedRun, removals: readonly Removal[], emptied: string | undefined): string | undefined {
  if (emptied) return `${emptied[0]!.toUpperCase()}${emptied.slice(1)} came back empty.`;
  const limit = deletionLimit(run);
  if (removals.length <= limit) return undefined;
  const deletions = removals.filter((removal) => removal.action === 'delete').length;
  const releases = removals.length - deletions;
  const what = [deletions > 0 ? `delete ${deletions}` : '', releases > 0 ? `release ${releases}` : '']
    .filter(Boolean)
    .join(' and ');
  return `This sync would ${what} extensions, more than the limit of ${limit}.`;
}
