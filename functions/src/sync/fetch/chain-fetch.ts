// A chain's pages, fetched through the tenant's directory (fetch-page.ts), and fetched ahead. Page n knows page
// n+1's token only once it has its own page, and the task of page n+1 then spends a Pub/Sub hop and a claim before
// it could fetch: this instance fetches page n+1 meanwhile, so the chain moves at about one page latency a page.
// The task still claims its page first and uses the fetched page only then; delivered to another instance, it
// fetches the page itself. Entries left unused expire (InstanceCaches.pagesAhead).
import type { PageDependencies } from '../run/dependencies.ts';
import { fetchPage, type FetchedPage } from './fetch-page.ts';
import { memberIdsOf } from './group-member-sets.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import type { SyncRun } from '../run/run.ts';
import type { PageTask } from '../run/tasks.ts';

function aheadKey(task: PageTask): string {
  return `${task.tenant}/${task.runId}/${task.chain}/${task.page}/${task.pageToken ?? ''}`;
}

// Each fetch takes its own view of the tenant's directory, which reads the tenant's session once for it.
function fetchNow(deps: PageDependencies, paths: SyncPaths, run: SyncRun, task: PageTask): Promise<FetchedPage> {
  const source = {
    directory: deps.directory.forTenant(task.tenant),
    groupMembers: () => memberIdsOf(deps.caches.memberSets, paths, task.runId),
  };
  return fetchPage(source, run, task);
}

/** Starts fetching a chain's next page, no earlier than its task's notBefore, for that task to pick up. */
export function fetchAhead(deps: PageDependencies, paths: SyncPaths, run: SyncRun, next: PageTask): void {
  const now = Date.now();
  const wait = Math.max(0, (next.notBefore ?? 0) - now);
  const page = new Promise((resolve) => setTimeout(resolve, wait)).then(() => fetchNow(deps, paths, run, next));
  // A failed fetch ahead is not an error of anything yet: the task fetches again itself.
  page.catch(() => undefined);
  deps.caches.pagesAhead.put(aheadKey(next), page, now);
}

/** The page a task names: fetched ahead by this instance, or now. `fetchedAhead` says which. */
export async function fetchChainPage(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  task: PageTask,
  waitForTurn: () => Promise<void>,
): Promise<{ page: FetchedPage; fetchedAhead: boolean }> {
  const early = deps.caches.pagesAhead.take(aheadKey(task));
  if (early) {
    try {
      return { page: await early, fetchedAhead: true };
    } catch {
      // Fetched again below, with the task's own retries.
    }
  }
  await waitForTurn();
  return { page: await fetchNow(deps, paths, run, task), fetchedAhead: false };
}
