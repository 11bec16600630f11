// Finalize: once every page of every chain is done, the run's removals are decided (finalize-decision.ts, from the
// reads made here) and applied: held for approval, or confirmed with Google and applied in this delivery, or, when
// too many to confirm in it, by chunk tasks (removal-chunks.ts). A group (or Specific Users) run's first finalize
// starts its user chain instead.
import { isTransient, LeaseHeld } from '../../errors.ts';
import { applyRemovals, isRunStopped } from './delete-or-release.ts';
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
import { runChangeLog } from '../history/change-log.ts';
import { logPlannedRemovals } from '../history/planned-removals.ts';
import {
  chainsComplete,
  decideFinalize,
  donePageFields,
  finalRemovals,
  listingNeeded,
  syncedUsersAfter,
  type DonePage,
  type Listing,
} from './finalize-decision.ts';
import { firstChains, hasUserChain, listsRangeUsers, type Chain } from '../settings/sources.ts';
import type { FinalizeTask } from '../run/tasks.ts';

/** The ids a page listed, read only when some linked user may have been absent. */
const listedIdFields = pageFields.pick({ chain: true, userIds: true });

const sourceSizeFields = syncStateFields.pick({ sourceSizes: true });

/** The done pages, when every chain reached its last page with no page missing. */
async function completePages(
  paths: SyncPaths,
  runId: string,
  chains: readonly Chain[],
): Promise<DonePage[] | undefined> {
  const done = await paths
    .pages(runId)
    .where('status', '==', 'done')
    .select(...fieldPaths(donePageFields))
    .get();
  const pages = done.docs.map((doc) => readFields(doc, donePageFields));
  return chainsComplete(pages, chains) ? pages : undefined;
}

/** The ids the range's listings saw, and the links: megabytes at 100,000 users. */
async function readListing(paths: SyncPaths, runId: string): Promise<Listing> {
  const pages = await paths
    .pages(runId)
    .where('status', '==', 'done')
    .select(...fieldPaths(listedIdFields))
    .get();
  const links = await paths.googleLinks.select(...fieldPaths(extensionKeyFields)).get();
  const listed = pages.docs
    .map((page) => readFields(page, listedIdFields))
    .filter((page) => listsRangeUsers(String(page.chain)));
  return {
    listedIds: new Set(listed.flatMap((page) => page.userIds ?? [])),
    links: links.docs.map((link) => ({ userId: link.id, number: readFields(link, extensionKeyFields).number })),
  };
}

/** Handles one delivery of a finalize task. */
export async function handleFinalize(deps: PageDependencies, task: FinalizeTask): Promise<void> {
  if (task.apply) return handleRemovalChunk(deps, { ...task, apply: task.apply });
  // When this delivery reached each part (epoch ms), recorded on finalize's claim for the benchmark's timeline.
  const timing: Record<string, number> = { receivedAt: Date.now() };
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
  timing.pagesReadAt = Date.now();
  const claim = await claimStep(deps.db, paths.finalizeClaim(task.runId), 120_000, paths.run(task.runId));
  if (claim.kind === 'done' || claim.kind === 'stopped') return;
  if (claim.kind === 'held') throw new LeaseHeld('Another delivery of finalize is in progress');
  timing.claimedAt = Date.now();

  const linksAtEnd = (await paths.googleLinks.count().get()).data().count;
  timing.linksCountedAt = Date.now();
  const listing = listingNeeded(run, pages, linksAtEnd) ? await readListing(paths, task.runId) : undefined;
  const removals = finalRemovals(run, pages, listing);
  // Only removals can be held for a source that came back empty: the sizes it had are read only then.
  const sizesBefore =
    removals.length > 0 && !run.dryRun ? (readFields(await paths.state.get(), sourceSizeFields).sourceSizes ?? {}) : {};
  const decision = decideFinalize({ run, pages, removals, sizesBefore });
  timing.decidedAt = Date.now();
  if (decision.kind === 'preview') {
    await logPlannedRemovals(deps.db, paths, task.runId, removals);
    return finishRun(deps, paths, task, run, 'succeeded', { counts: decision.counts }, timing);
  }
  if (decision.kind === 'hold') {
    await writeRemovalList(deps.db, paths.held(task.runId), decision.removals);
    await finishRun(
      deps,
      paths,
      task,
      run,
      'awaiting_approval',
      { counts: decision.counts, heldReason: decision.reason, heldCount: decision.removals.length },
      timing,
    );
    return;
  }
  await paths.state.set(decision.remember, { merge: true });
  if (!fitsOneDelivery(run, removals.length)) return handOverRemovals(deps, task, removals, decision.counts);
  let applied: { deleted: number; released: number };
  try {
    const confirmed = await confirmRemovals(deps, task.tenant, run.settings, removals);
    applied = await applyRemovals(deps.db, paths, confirmed, {
      runRef: paths.run(task.runId),
      log: runChangeLog(paths.changes(task.runId)),
    });
  } catch (error) {
    // The watchdog failed the run meanwhile: it ends as failed, with what it had removed until then.
    if (isRunStopped(error)) return;
    // Google can no longer be asked, or no longer shows the whole directory: the run fails and removes no more.
    if (error instanceof ReauthorizationRequired) return failRunAndRerun(deps, paths, task, error.runFailure);
    if (!isTransient(error))
      return failRunAndRerun(
        deps,
        paths,
        task,
        error instanceof Error ? error.message : 'The removals could not be applied.',
      );
    throw error;
  }
  timing.removedAt = Date.now();
  await finishRun(
    deps,
    paths,
    task,
    run,
    'succeeded',
    { counts: { ...decision.counts, ...applied }, syncedUsers: syncedUsersAfter(linksAtEnd, applied) },
    timing,
  );
}
