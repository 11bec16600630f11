// One page task: claim the page, fetch it, publish the next page's task, and only then write this page's users.
// Deletions are only recorded here; finalize applies them once every page of every chain is known. A group's
// membership page records member ids only; its users are written by the run's user chain.
import { TOPICS } from '../../catalog.ts';
import { AppError, isTransient, LeaseHeld } from '../../errors.ts';
import type { PageDependencies } from '../run/dependencies.ts';
import { fetchAhead, fetchChainPage } from './chain-fetch.ts';
import { ReauthorizationRequired } from '../../google/directory-errors.ts';
import { syncPaths, type SyncPaths } from '../../tenants/paths.ts';
import { readFields } from '../../platform/typed-documents.ts';
import { pageFields } from '../run/page-record.ts';
import { claimStep, failRunAndRerun, markProgress } from '../run/run-control.ts';
import type { SyncRun } from '../run/run.ts';
import { firstChains } from '../settings/sources.ts';
import { syncUsersPage } from '../apply/page-users.ts';
import type { FinalizeTask, MailTask, PageTask } from '../run/tasks.ts';

const lastPageFields = pageFields.pick({ last: true });

/** A page's claim outlives a slow page; after it a redelivery may take over. */
const LEASE_MS = 120_000;
/** A page that failed this many times fails its run. */
export const MAX_PAGE_ATTEMPTS = 5;

/** Handles one delivery of a page task. */
export async function handlePageTask(deps: PageDependencies, task: PageTask): Promise<void> {
  const paths = syncPaths(deps.db, task.tenant);
  const pageRef = paths.page(task.runId, task.chain, task.page);
  const claim = await claimStep(deps.db, pageRef, LEASE_MS, paths.run(task.runId));
  if (claim.kind === 'stopped') return;
  if (claim.kind === 'done') {
    // The page may have crashed between its writes and publishing finalize; finalize is safe to repeat.
    const last = readFields(await pageRef.get(), lastPageFields).last === true;
    if (last || (await lastPageDone(paths, task))) {
      await deps.queue.publish(TOPICS.syncFinalize, { tenant: task.tenant, runId: task.runId });
    }
    return;
  }
  if (claim.kind === 'held') throw new LeaseHeld('Another delivery of this page is in progress');
  if (claim.attempt > MAX_PAGE_ATTEMPTS) {
    await failRunAndRerun(
      deps,
      paths,
      task,
      `Page ${task.page + 1} of the ${task.chain} listing failed ${MAX_PAGE_ATTEMPTS} times.`,
    );
    return;
  }
  try {
    await processPage(deps, paths, claim.run, task);
  } catch (error) {
    if (error instanceof ReauthorizationRequired) return failRunAndRerun(deps, paths, task, error.runFailure);
    if (!isTransient(error))
      return failRunAndRerun(
        deps,
        paths,
        task,
        error instanceof Error ? error.message : 'The page could not be processed.',
      );
    // Let the redelivery start at once instead of waiting out this delivery's lease.
    await pageRef.update({ leaseUntil: 0 }).catch(() => undefined);
    throw error;
  }
}

async function processPage(deps: PageDependencies, paths: SyncPaths, run: SyncRun, task: PageTask): Promise<void> {
  // A page fetched ahead waited for notBefore already.
  const { page: fetched } = await fetchChainPage(deps, paths, run, task, () => waitUntil(task.notBefore));
  if (fetched.next) await publishNext(deps, paths, run, task, fetched.next, fetched.startedAt);

  const pageRef = paths.page(task.runId, task.chain, task.page);
  const record = {
    status: 'done',
    chain: task.chain,
    page: task.page,
    pageToken: task.pageToken ?? null,
    last: fetched.last,
  };
  if (fetched.kind === 'members') {
    const members = {
      kind: 'members',
      listed: fetched.memberIds.length,
      memberIds: fetched.memberIds,
      memberEmails: fetched.memberEmails,
      everyone: fetched.everyone,
    };
    await pageRef.set({ ...record, ...members, doneAt: new Date().toISOString() }, { merge: true });
    await markProgress(deps.caches.progressMarks, paths, task.runId);
  } else {
    const mails = await syncUsersPage(
      deps,
      paths,
      run,
      task,
      fetched.users,
      { ...record, scanned: fetched.scanned },
      { skipped: fetched.skipped, seen: fetched.refused },
      fetched.startedAt,
    );
    for (const mailId of mails) {
      const mail: MailTask = { tenant: task.tenant, mailId };
      await deps.queue.publish(TOPICS.welcomeMail, mail);
    }
  }
  // Pages of a chain finish in any order: finalize is asked for by the last page, and by any page finishing after it.
  if (fetched.last || (await lastPageDone(paths, task))) {
    const finalize: FinalizeTask = { tenant: task.tenant, runId: task.runId };
    await deps.queue.publish(TOPICS.syncFinalize, finalize);
  }
}

async function lastPageDone(paths: SyncPaths, task: PageTask): Promise<boolean> {
  const last = await paths
    .pages(task.runId)
    .where('chain', '==', task.chain)
    .where('last', '==', true)
    .where('status', '==', 'done')
    .limit(1)
    .get();
  return !last.empty;
}

async function waitUntil(time: number | undefined): Promise<void> {
  if (time && time > Date.now()) await new Promise((resolve) => setTimeout(resolve, time - Date.now()));
}

// The next page is published before this one is written: it is on the critical path of the chain, and a task of a
// run failed meanwhile does nothing. Chains listing at once share the tenant's query budget.
async function publishNext(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  task: PageTask,
  next: string,
  fetchStartedAt: number,
): Promise<void> {
  if (task.page + 1 >= deps.maxPagesPerChain)
    throw new AppError(
      'internal',
      `The ${task.chain} listing has more than ${deps.maxPagesPerChain} pages; stopped as a loop.`,
    );
  if (next === task.pageToken)
    throw new AppError('internal', `Google repeated a page token in the ${task.chain} listing.`);
  // Calls of a chain start at least k spacings apart when k chains list at once: together, one spacing apart.
  const parallel = ['join', 'members'].includes(task.chain) ? 1 : firstChains(run.settings).length;
  const notBefore = fetchStartedAt + deps.callSpacingMs * parallel;
  const nextTask: PageTask = {
    tenant: task.tenant,
    runId: task.runId,
    chain: task.chain,
    page: task.page + 1,
    pageToken: next,
    notBefore,
  };
  fetchAhead(deps, paths, run, nextTask);
  const [seen] = await Promise.all([
    paths.pages(task.runId).where('chain', '==', task.chain).where('pageToken', '==', next).get(),
    deps.queue.publish(TOPICS.syncPage, nextTask),
  ]);
  // The next page's own record carries this token once done; a redelivery of this page must not mistake it.
  if (seen.docs.some((doc) => doc.id !== `${task.chain}:${task.page + 1}`)) {
    throw new AppError('internal', `Google repeated a page token in the ${task.chain} listing.`);
  }
}
