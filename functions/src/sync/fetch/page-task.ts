// One page task: claim the page, fetch it, publish the next page's task, and only then write this page's users.
// Deletions are only recorded here; finalize applies them once every page of every chain is known. A group's
// membership page records member ids only; its users are written by the run's user chain.
import { TOPICS } from '../../catalog.ts';
import { isTransient, LeaseHeld } from '../../errors.ts';
import type { PageDependencies } from '../run/dependencies.ts';
import { fetchChainPage, publishNext } from './chain-fetch.ts';
import { ReauthorizationRequired } from '../../google/directory-errors.ts';
import { syncPaths, type SyncPaths } from '../../tenants/paths.ts';
import { readFields } from '../../platform/typed-documents.ts';
import { pageFields } from '../run/page-record.ts';
import { claimStep, failRunAndRerun, markProgress } from '../run/run-control.ts';
import type { SyncRun } from '../run/run.ts';
import { syncUsersPage } from '../apply/page-users.ts';
import type { FinalizeTask, MailTask, PageTask } from '../run/tasks.ts';
import { chainEnded, markChainEnd } from '../run/chain-end.ts';

const lastPageFields = pageFields.pick({ last: true });

/** A page's claim outlives a slow page; after it a redelivery may take over. */
const LEASE_MS = 120_000;
/** A page that failed this many times fails its run. */
export const MAX_PAGE_ATTEMPTS = 5;

/** Handles one delivery of a page task. */
export async function handlePageTask(deps: PageDependencies, task: PageTask): Promise<void> {
  const receivedAt = Date.now();
  const paths = syncPaths(deps.db, task.tenant);
  const pageRef = paths.page(task.runId, task.chain, task.page);
  const claim = await claimStep(deps.db, pageRef, LEASE_MS, paths.run(task.runId));
  if (claim.kind === 'stopped') return;
  if (claim.kind === 'done') {
    // The page may have crashed between its writes and publishing finalize; finalize is safe to repeat.
    const last = readFields(await pageRef.get(), lastPageFields).last === true;
    if (last || (await chainEnded(paths, task))) {
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
    await processPage(deps, paths, claim.run, task, claim.attempt, { receivedAt, claimedAt: Date.now() });
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

/** When a page task reached each step (epoch ms), kept on the page's record for the benchmark's timeline. */
interface StepTimes {
  readonly receivedAt: number;
  readonly claimedAt: number;
}

async function processPage(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  task: PageTask,
  attempt: number,
  steps: StepTimes,
): Promise<void> {
  // A page fetched ahead waited for notBefore already.
  const {
    page: fetched,
    fetchedAhead,
    nextPublished,
  } = await fetchChainPage(deps, paths, run, task, () => waitUntil(task.notBefore));
  // The next page is published before this one is written (unless the fetch ahead did): it is on the critical path.
  const publishStartedAt = Date.now();
  if (fetched.next && !nextPublished) await publishNext(deps, paths, run, task, fetched.next, fetched.startedAt);
  const timing = {
    ...steps,
    fetchedAhead,
    nextPublished,
    fetchRequestedAt: fetched.requestedAt,
    listingStartedAt: fetched.startedAt,
    fetchFinishedAt: fetched.finishedAt,
    publishStartedAt,
    publishDoneAt: Date.now(),
  };

  const pageRef = paths.page(task.runId, task.chain, task.page);
  const record = {
    status: 'done',
    chain: task.chain,
    page: task.page,
    pageToken: task.pageToken ?? null,
    last: fetched.last,
    timing,
  };
  if (fetched.kind === 'members') {
    const members = {
      kind: 'members',
      listed: fetched.memberIds.length,
      memberIds: fetched.memberIds,
      memberEmails: fetched.memberEmails,
      everyone: fetched.everyone,
    };
    const batch = deps.db.batch();
    batch.set(pageRef, { ...record, ...members, doneAt: new Date().toISOString() }, { merge: true });
    if (fetched.last) markChainEnd(batch, paths, task);
    await batch.commit();
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
      { listedAt: fetched.startedAt, attempt },
    );
    for (const mailId of mails) {
      const mail: MailTask = { tenant: task.tenant, mailId };
      await deps.queue.publish(TOPICS.welcomeMail, mail);
    }
  }
  // Pages of a chain finish in any order: finalize is asked for by the last page, and by any page finishing after it.
  if (fetched.last || (await chainEnded(paths, task))) {
    const finalize: FinalizeTask = { tenant: task.tenant, runId: task.runId };
    await deps.queue.publish(TOPICS.syncFinalize, finalize);
  }
}

async function waitUntil(time: number | undefined): Promise<void> {
  if (time && time > Date.now()) await new Promise((resolve) => setTimeout(resolve, time - Date.now()));
}
