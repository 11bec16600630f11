// Finalize: once every page of every chain is done, the run's removals are decided and applied. A linked user is
// deleted when listed at or above the chosen status, or listed as deleted; with "All Users", a user absent from the
// complete domain listing is deleted too. With units or groups, a linked user absent from every source left the
// range: deleted with "Auto delete", else released. Removals beyond the limit, or a source that came back empty
// after having had users, are held for approval. Removals too many to confirm in this delivery go to chunk tasks
// (removal-chunks.ts). A group (or Specific Users) run's first finalize starts its user chain instead.
import { z } from 'zod';
import { isTransient, LeaseHeld } from '../../errors.ts';
import { applyRemovals, isRunStopped, type Removal } from './delete-or-release.ts';
import { confirmRemovals } from './confirm-removals.ts';
import { extensionKeyFields } from '../../extensions/extension.ts';
import { fieldPaths, readFields } from '../../platform/typed-documents.ts';
import { pageFields } from '../run/page-record.ts';
import { syncStateFields } from '../run/sync-state.ts';
import type { PageDependencies } from '../run/dependencies.ts';
import { startUserChain } from '../fetch/group-members.ts';
import { syncPaths, type SyncPaths } from '../../tenants/paths.ts';
import { fitsOneDelivery, handOverRemovals, handleRemovalChunk, writeRemovalList } from './removal-chunks.ts';
import { ReauthorizationRequired } from '../../google/directory-errors.ts';
import { claimStep, failRunAndRerun, readRun } from '../run/run-control.ts';
import { finishRun } from '../run/run-finish.ts';
import { addCounts, deletionLimit, zeroCounts, type SyncRun } from '../run/run.ts';
import { firstChains, hasUserChain, listsRangeUsers, sourceKey, sourceName, type Chain } from '../settings/sources.ts';
import type { FinalizeTask } from '../run/tasks.ts';

/** What finalize reads of every done page. The user ids are read only when they are needed (see removalsOf): at
 * 100,000 users they are megabytes. */
const pageRecordFields = pageFields
  .pick({ chain: true, page: true, status: true, last: true, listed: true, scanned: true, linked: true, deletions: true, counts: true })
  .required({ chain: true, page: true, status: true });

type PageRecord = z.output<typeof pageRecordFields>;

/** The ids a page listed, read only when some linked user may have been absent. */
const listedIdFields = pageFields.pick({ chain: true, userIds: true });

const sourceSizeFields = syncStateFields.pick({ sourceSizes: true });

/** Whether every chain reached its last page with no page missing; the done pages when so. */
async function completePages(paths: SyncPaths, runId: string, chains: readonly Chain[]): Promise<PageRecord[] | undefined> {
  const done = await paths.pages(runId).where('status', '==', 'done').select(...fieldPaths(pageRecordFields)).get();
  const pages = done.docs.map((doc) => readFields(doc, pageRecordFields));
  for (const chain of chains) {
    const done = pages.filter((page) => page.chain === chain);
    const last = done.find((page) => page.last === true);
    if (!last || done.length !== last.page + 1) return undefined;
  }
  return pages;
}

/** Handles one delivery of a finalize task. */
export async function handleFinalize(deps: PageDependencies, task: FinalizeTask): Promise<void> {
  if (task.apply) return handleRemovalChunk(deps, { ...task, apply: task.apply });
  const paths = syncPaths(deps.db, task.tenant);
  const run = await readRun(paths, task.runId);
  if (run?.status !== 'running') return;
  const first = firstChains(run.settings);
  if (hasUserChain(run.settings) && !run.userChain) {
    // Every group's last page publishes this; the user chain starts once all of them are listed.
    if (await completePages(paths, task.runId, first)) await startUserChain(deps, paths, task.tenant, task.runId, run);
    return;
  }
  // The other chains' last pages publish finalize again when they are done.
  const pages = await completePages(paths, task.runId, run.userChain ? [...first, run.userChain] : first);
  if (!pages) return;
  const claim = await claimStep(deps.db, paths.finalizeClaim(task.runId), 120_000, paths.run(task.runId));
  if (claim.kind === 'done' || claim.kind === 'stopped') return;
  if (claim.kind === 'held') throw new LeaseHeld('Another delivery of finalize is in progress');

  const counts = pages.reduce((sum, page) => addCounts(sum, page.counts ?? {}), zeroCounts());
  const linksAtEnd = (await paths.googleLinks.count().get()).data().count;
  const removals = await removalsOf(paths, task.runId, run, pages, linksAtEnd);
  const sizes = sourceSizes(run, pages);
  if (run.dryRun) {
    counts.deleted = removals.filter((removal) => removal.action === 'delete').length;
    counts.released = removals.length - counts.deleted;
    await finishRun(deps, paths, task, run, 'succeeded', { counts });
    return;
  }
  const held = removals.length > 0 ? heldReason(run, removals, await emptiedSource(paths, run, sizes)) : undefined;
  if (held) {
    await writeRemovalList(deps.db, paths.held(task.runId), removals);
    await finishRun(deps, paths, task, run, 'awaiting_approval', { counts, heldReason: held });
    return;
  }
  await paths.state.set({ sourceSizes: sizes, ...domainSize(run, pages) }, { merge: true });
  if (!fitsOneDelivery(run, removals.length)) {
    await handOverRemovals(deps, task, removals, counts);
    return;
  }
  try {
    const confirmed = await confirmRemovals(deps, task.tenant, run.settings, removals);
    Object.assign(counts, await applyRemovals(deps.db, paths, confirmed, paths.run(task.runId)));
  } catch (error) {
    // The watchdog failed the run meanwhile: it ends as failed, with what it had removed until then.
    if (isRunStopped(error)) return;
    // Google can no longer be asked, or no longer shows the whole directory: the run fails and removes no more.
    if (error instanceof ReauthorizationRequired) return failRunAndRerun(deps, paths, task, error.runFailure);
    if (!isTransient(error)) return failRunAndRerun(deps, paths, task, error instanceof Error ? error.message : 'The removals could not be applied.');
    throw error;
  }
  const syncedUsers = linksAtEnd - counts.deleted - counts.released;
  await finishRun(deps, paths, task, run, 'succeeded', { counts, syncedUsers });
}

/** How many users each source listed (members, for a group). */
function sourceSizes(run: SyncRun, pages: readonly PageRecord[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const page of pages) {
    const key = sourceKey(run.settings, page.chain);
    if (key) sizes[key] = (sizes[key] ?? 0) + (page.listed ?? 0);
  }
  return sizes;
}

/** The domain's size, when this run listed all of it: it tells a later group run which strategy costs less. */
function domainSize(run: SyncRun, pages: readonly PageRecord[]): { domainUsers?: number } {
  const whole = run.settings.range === 'all' ? 'domain' : run.userChain === 'join' ? 'join' : undefined;
  if (!whole) return {};
  return { domainUsers: pages.filter((page) => page.chain === whole).reduce((sum, page) => sum + (page.scanned ?? page.listed ?? 0), 0) };
}

/** The first source that came back empty after having had users, if any. */
async function emptiedSource(paths: SyncPaths, run: SyncRun, sizes: Record<string, number>): Promise<string | undefined> {
  const before = readFields(await paths.state.get(), sourceSizeFields).sourceSizes ?? {};
  for (const chain of firstChains(run.settings)) {
    const key = sourceKey(run.settings, chain);
    if (!key || (sizes[key] ?? 0) > 0) continue;
    // The domain had users when it had synced extensions, even before sizes were remembered.
    const had = (before[key] ?? 0) > 0 || (key === 'domain' && run.managedAtStart > 0);
    if (had) return sourceName(run.settings, chain);
  }
  return undefined;
}

function heldReason(run: SyncRun, removals: readonly Removal[], emptied: string | undefined): string | undefined {
  if (emptied) return `${emptied[0]!.toUpperCase()}${emptied.slice(1)} came back empty.`;
  const limit = deletionLimit(run);
  if (removals.length <= limit) return undefined;
  const deletions = removals.filter((removal) => removal.action === 'delete').length;
  const releases = removals.length - deletions;
  const what = [deletions > 0 ? `delete ${deletions}` : '', releases > 0 ? `release ${releases}` : ''].filter(Boolean).join(' and ');
  return `This sync would ${what} extensions, more than the limit of ${limit}.`;
}

async function removalsOf(paths: SyncPaths, runId: string, run: SyncRun, pages: readonly PageRecord[], linksAtEnd: number): Promise<Removal[]> {
  const byUser = new Map<string, Removal>();
  for (const page of pages) for (const removal of page.deletions ?? []) byUser.set(removal.userId, removal);
  // Every link belongs to a user the listing saw linked or to be removed: none was absent, and the links need not be
  // read. A user listed twice (a listing is not a snapshot) can hide an absent one until the next run; the error
  // is always towards removing nothing.
  const linkedListed = pages.filter((page) => listsRangeUsers(page.chain)).reduce((sum, page) => sum + (page.linked ?? 0), 0);
  if (!run.dryRun && linksAtEnd === linkedListed + byUser.size) return [...byUser.values()];

  const idPages = (await paths.pages(runId).where('status', '==', 'done').select(...fieldPaths(listedIdFields)).get()).docs.map((page) => readFields(page, listedIdFields));
  const listed = new Set(idPages.filter((page) => listsRangeUsers(String(page.chain))).flatMap((page) => page.userIds ?? []));
  const links = await paths.googleLinks.select(...fieldPaths(extensionKeyFields)).get();
  // Absent from the whole domain means deleted; absent from the picked units or groups means out of the range.
  const absent: Pick<Removal, 'status' | 'action' | 'reason'> =
    run.settings.range === 'all' ? { status: 'deleted', action: 'delete', reason: 'status' } : { status: 'active', action: run.settings.autoDelete ? 'delete' : 'release', reason: 'out_of_range' };
  for (const link of links.docs) {
    if (!listed.has(link.id) && !byUser.has(link.id)) byUser.set(link.id, { userId: link.id, number: readFields(link, extensionKeyFields).number, ...absent });
  }
  return [...byUser.values()];
}
