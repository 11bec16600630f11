// One page task: claim the page, fetch it, publish the next page's task, and only then write this page's users.
// Deletions are only recorded here; finalize applies them once every page of every chain is known.
import { TOPICS } from '../catalog.ts';
import { AppError, isTransient } from '../errors.ts';
import type { PageDependencies } from './dependencies.ts';
import { applyPage } from './apply-page.ts';
import { fetchUsersPage, type UsersPage } from './directory-pages.ts';
import { toDirectoryUser, usersFieldsMask, type DirectoryUser } from './directory-user.ts';
import { forgetSession, googleSession, ReauthorizationRequired } from './google-session.ts';
import { reserveNumbers } from './number-allocator.ts';
import { readPageState } from './page-state.ts';
import { syncPaths, type SyncPaths } from './paths.ts';
import { planPage } from './plan-page.ts';
import { claimStep, failRun, markProgress } from './run-control.ts';
import type { SyncRun } from './run.ts';
import { propertyRoot } from './settings.ts';
import type { FinalizeTask, MailTask, PageTask } from './tasks.ts';

/** A page's claim outlives a slow page; after it a redelivery may take over. */
const LEASE_MS = 120_000;
/** A page that failed this many times fails its run. */
export const MAX_PAGE_ATTEMPTS = 5;
/** More pages than this in one chain (500 users each: half a million users) means the listing is looping. */
export const MAX_PAGES_PER_CHAIN = 1000;

/** Handles one delivery of a page task. */
export async function handlePageTask(deps: PageDependencies, task: PageTask): Promise<void> {
  const paths = syncPaths(deps.db, task.tenant);
  const pageRef = paths.page(task.runId, task.chain, task.page);
  const claim = await claimStep(deps.db, pageRef, LEASE_MS, paths.run(task.runId));
  if (claim === 'stopped') return;
  if (claim === 'done') {
    // The last page may have crashed between its writes and publishing finalize; finalize is safe to repeat.
    if ((await pageRef.get()).get('last') === true) await deps.queue.publish(TOPICS.syncFinalize, { tenant: task.tenant, runId: task.runId });
    return;
  }
  if (claim === undefined) throw new AppError('unavailable', 'Another delivery of this page is in progress');
  if (claim.attempt > MAX_PAGE_ATTEMPTS) {
    await endWithFailure(deps, paths, task, `Page ${task.page + 1} of the ${task.chain} listing failed ${MAX_PAGE_ATTEMPTS} times.`);
    return;
  }
  try {
    if (!claim.run) return;
    await processPage(deps, paths, claim.run, task);
  } catch (error) {
    if (error instanceof ReauthorizationRequired) return endWithFailure(deps, paths, task, `Google Workspace needs reauthorization: ${error.message}.`);
    if (!isTransient(error)) return endWithFailure(deps, paths, task, error instanceof Error ? error.message : 'The page could not be processed.');
    // Let the redelivery start at once instead of waiting out this delivery's lease.
    await pageRef.update({ leaseUntil: 0 }).catch(() => undefined);
    throw error;
  }
}

async function endWithFailure(deps: PageDependencies, paths: SyncPaths, task: PageTask, reason: string): Promise<void> {
  const { rerunRequested } = await failRun(deps.db, paths, task.runId, reason);
  if (rerunRequested) await deps.startRun(task.tenant, 'rerun').catch(() => undefined);
}

async function processPage(deps: PageDependencies, paths: SyncPaths, run: SyncRun, task: PageTask): Promise<void> {
  if (task.notBefore && task.notBefore > Date.now()) await new Promise((resolve) => setTimeout(resolve, task.notBefore! - Date.now()));
  const root = propertyRoot(run.settings);
  const query = {
    showDeleted: task.chain === 'deleted',
    pageToken: task.pageToken,
    fields: usersFieldsMask(root),
    projection: root === 'customSchemas' ? ('full' as const) : ('basic' as const),
  };
  let page: UsersPage;
  try {
    page = await fetchUsersPage(deps.config, await googleSession(deps, task.tenant), query, deps.retry);
  } catch (error) {
    if (!(error instanceof ReauthorizationRequired)) throw error;
    // A cached access token Google refused (its grant was revoked): a fresh session finds out whether the refresh
    // token still works, and marks the integration for reauthorization when it does not.
    forgetSession(task.tenant);
    page = await fetchUsersPage(deps.config, await googleSession(deps, task.tenant), query, deps.retry);
  }

  const next = page.nextPageToken;
  if (next) {
    if (task.page + 1 >= deps.maxPagesPerChain) throw new AppError('internal', `The ${task.chain} listing has more than ${deps.maxPagesPerChain} pages; stopped as a loop.`);
    if (next === task.pageToken) throw new AppError('internal', `Google repeated a page token in the ${task.chain} listing.`);
    const nextTask: PageTask = { tenant: task.tenant, runId: task.runId, chain: task.chain, page: task.page + 1, pageToken: next, notBefore: Date.now() + deps.pageSpacingMs };
    // The next page is published while this one checks for a loop: it is on the critical path of the chain, and a
    // task of a run failed meanwhile does nothing.
    const [seen] = await Promise.all([
      paths.pages(task.runId).where('chain', '==', task.chain).where('pageToken', '==', next).get(),
      deps.queue.publish(TOPICS.syncPage, nextTask),
    ]);
    // The next page's own record carries this token once done; a redelivery of this page must not mistake it.
    if (seen.docs.some((doc) => doc.id !== `${task.chain}:${task.page + 1}`)) {
      throw new AppError('internal', `Google repeated a page token in the ${task.chain} listing.`);
    }
  }

  // Every user of the showDeleted listing is deleted, whatever fields Google filled in.
  const users = page.users
    .map(toDirectoryUser)
    .filter((user): user is DirectoryUser => user !== undefined)
    .map((user) => (task.chain === 'deleted' ? { ...user, status: 'deleted' as const } : user));
  const state = await readPageState(paths, users, run.settings);
  const decisions = planPage(users, run.settings, state);
  const pageRef = paths.page(task.runId, task.chain, task.page);
  const needed = decisions.filter((decision) => decision.kind === 'create' && decision.number === undefined).length;
  const numbers = run.settings.numbering.mode === 'auto' ? await reserveNumbers(paths, pageRef, run.settings.numbering.start, needed) : [];
  const outcome = await applyPage(deps.db, paths, decisions, numbers, { runId: task.runId, welcomeEmail: run.settings.welcomeEmail });

  const batch = deps.db.batch();
  for (const problem of outcome.problems) batch.set(paths.problems(task.runId).doc(problem.userId), problem);
  batch.set(pageRef, {
    status: 'done',
    chain: task.chain,
    page: task.page,
    pageToken: task.pageToken ?? null,
    last: next === undefined,
    listed: users.length,
    userIds: task.chain === 'domain' ? users.map((user) => user.id) : [],
    deletions: decisions.flatMap((decision) => (decision.kind === 'delete' ? [{ userId: decision.userId, number: decision.number, status: decision.status }] : [])),
    counts: outcome.counts,
    doneAt: new Date().toISOString(),
  }, { merge: true });
  await batch.commit();
  await markProgress(paths, task.runId);

  for (const mailId of outcome.mails) {
    const mail: MailTask = { tenant: task.tenant, mailId };
    await deps.queue.publish(TOPICS.welcomeMail, mail);
  }
  if (next === undefined) {
    const finalize: FinalizeTask = { tenant: task.tenant, runId: task.runId };
    await deps.queue.publish(TOPICS.syncFinalize, finalize);
  }
}
