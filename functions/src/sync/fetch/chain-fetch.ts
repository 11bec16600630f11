// A chain's pages, fetched through the tenant's directory (fetch-page.ts), ahead of their tasks. Page n knows page
// n+1's token only once it has its own page. Were page n+1 fetched by its own task, every step of the chain would
// add a Pub/Sub hop, a claim and a publish to the listing. So the instance that has page n in hand publishes page
// n+1's task and fetches page n+1 at once, and once it has that page, goes on to page n+2: the chain lists at about
// one page latency a page. It runs at most MAX_PAGES_AHEAD pages ahead of the tasks that take them, which bounds the
// memory they hold; the task that takes the page it stopped at goes on. A task claims its page first and uses the
// fetched page only then; delivered to another instance, it fetches the page and goes on itself. A task of a run
// failed meanwhile does nothing, so the chain stops within those few pages. Unused entries expire
// (InstanceCaches.pagesAhead).
import { createHash } from 'node:crypto';
import { TOPICS } from '../../catalog.ts';
import { AppError } from '../../errors.ts';
import type { TenantDirectory } from '../../google/directory.ts';
import type { PageDependencies } from '../run/dependencies.ts';
import { fetchPage, type FetchedPage } from './fetch-page.ts';
import { memberIdsOf } from './group-member-sets.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import type { SyncRun } from '../run/run.ts';
import { firstChains } from '../settings/sources.ts';
import type { PageTask } from '../run/tasks.ts';
import { alreadyExists } from '../run/run-control.ts';

/** How many fetched pages of a chain an instance holds, at most, before their tasks take them. */
export const MAX_PAGES_AHEAD = 3;

/** A fetched page with when its fetch was asked for and when it ended (epoch ms): before the page's own call
 * (its `startedAt`) the tenant's session is read; the call ends at `finishedAt`. */
export type TimedPage = FetchedPage & { readonly requestedAt: number; readonly finishedAt: number };

/** A page fetched ahead of its task, and whether the next page's task was published from here. */
export interface PageAhead {
  readonly page: Promise<TimedPage>;
  readonly nextPublished: Promise<boolean>;
}

const chainKey = (task: PageTask) => `${task.tenant}/${task.runId}/${task.chain}/`;
const aheadKey = (task: PageTask) => `${chainKey(task)}${task.page}/${task.pageToken ?? ''}`;

// A view of the tenant's directory reads the tenant's session on its first call and keeps it: a task's fetch takes
// a view of its own, and the fetches ahead of one chain on one instance share one, so each page costs no session
// read (a refused access token still gets a fresh session, as in any view).
async function fetchNow(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  task: PageTask,
  directory: TenantDirectory = deps.directory.forTenant(task.tenant),
): Promise<TimedPage> {
  const source = {
    directory,
    groupMembers: () => memberIdsOf(deps.caches.memberSets, paths, task.runId),
  };
  const requestedAt = Date.now();
  const page = await fetchPage(source, run, task);
  return { ...page, requestedAt, finishedAt: Date.now() };
}

/** Starts fetching a chain's next page, no earlier than its task's notBefore, for that task to pick up; once
 * fetched, the chain goes on from here unless it is MAX_PAGES_AHEAD pages ahead. */
function fetchAhead(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  next: PageTask,
  directory: TenantDirectory,
): void {
  const key = aheadKey(next);
  if (deps.caches.pagesAhead.has(key)) return;
  const now = Date.now();
  const wait = Math.max(0, (next.notBefore ?? 0) - now);
  const page = new Promise((resolve) => setTimeout(resolve, wait)).then(() =>
    fetchNow(deps, paths, run, next, directory),
  );
  // A failed fetch ahead is not an error of anything yet: the task fetches again itself, and goes on.
  const nextPublished = page
    .then(async (fetched) => {
      if (!fetched.next || deps.caches.pagesAhead.countStartingWith(chainKey(next)) > MAX_PAGES_AHEAD) return false;
      await publishNext(deps, paths, run, next, fetched.next, fetched.startedAt, directory);
      return true;
    })
    .catch(() => false);
  deps.caches.pagesAhead.put(key, { page, nextPublished }, now);
}

/** The page a task names, fetched ahead by this instance or now, and whether its next page's task is published
 * already (`fetchedAhead` says where the page came from). */
export async function fetchChainPage(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  task: PageTask,
  waitForTurn: () => Promise<void>,
): Promise<{ page: TimedPage; fetchedAhead: boolean; nextPublished: boolean }> {
  const early = deps.caches.pagesAhead.take(aheadKey(task));
  if (early) {
    try {
      const page = await early.page;
      return { page, fetchedAhead: true, nextPublished: await early.nextPublished };
    } catch {
      // Fetched again below, with the task's own retries.
    }
  }
  await waitForTurn();
  return { page: await fetchNow(deps, paths, run, task), fetchedAhead: false, nextPublished: false };
}

/** Publishes the task of the page after `task`'s, whose token is `next`, and starts fetching that page. Calls of a
 * chain start at least k spacings apart when k chains list at once: together, one spacing apart. */
export async function publishNext(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  task: PageTask,
  next: string,
  fetchStartedAt: number,
  directory: TenantDirectory = deps.directory.forTenant(task.tenant),
): Promise<void> {
  if (task.page + 1 >= deps.maxPagesPerChain)
    throw new AppError(
      'internal',
      `The ${task.chain} listing has more than ${deps.maxPagesPerChain} pages; stopped as a loop.`,
    );
  if (next === task.pageToken)
    throw new AppError('internal', `Google repeated a page token in the ${task.chain} listing.`);
  const parallel = ['join', 'members'].includes(task.chain) ? 1 : firstChains(run.settings).length;
  const nextTask: PageTask = {
    tenant: task.tenant,
    runId: task.runId,
    chain: task.chain,
    page: task.page + 1,
    pageToken: next,
    notBefore: fetchStartedAt + deps.callSpacingMs * parallel,
  };
  fetchAhead(deps, paths, run, nextTask, directory);
  await Promise.all([keepToken(paths, nextTask, next), deps.queue.publish(TOPICS.syncPage, nextTask)]);
}

// Records that `token` leads to the task's page. A key taken by another page means Google gave the token twice in
// one listing, which would loop; the same page's key is a redelivery's. A create and, only then, a read: a query
// for the token over the run's page records would read every one of them, each page.
async function keepToken(paths: SyncPaths, task: PageTask, token: string): Promise<void> {
  const digest = createHash('sha256').update(token).digest('base64url');
  const key = paths.pageTokenKey(task.runId, task.chain, digest);
  try {
    await key.create({ page: task.page });
  } catch (error) {
    if (!alreadyExists(error)) throw error;
    if ((await key.get()).get('page') !== task.page)
      throw new AppError('internal', `Google repeated a page token in the ${task.chain} listing.`);
  }
}
