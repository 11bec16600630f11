// Plans and writes the users of one page, and records the page: the user ids it listed (finalize compares them with
// the links), its proposed deletions and its counters. A preview plans the same way and writes only the record.
import type { PageDependencies } from '../run/dependencies.ts';
import { applyPage, type PageOutcome, type Problem } from './write-plan.ts';
import type { DirectoryUser } from '../../google/directory-user.ts';
import { reserveNumbers } from './number-allocator.ts';
import { withoutOutdatedUpdates } from './fresher-reads.ts';
import { readPageState } from './page-state.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { planPage, type Decision, type PageState } from './plan-page.ts';
import { markProgress } from '../run/run-control.ts';
import { zeroCounts, type SyncRun } from '../run/run.ts';
import { listsRangeUsers } from '../settings/sources.ts';
import type { PageTask } from '../run/tasks.ts';
import { markChainEnd } from '../run/chain-end.ts';
import { runChangeLog } from '../history/change-log.ts';
import { plannedEntries, problemEntry } from '../history/planned-changes.ts';
import { inCommits, type Write } from '../../platform/commits.ts';

/** What a page would do, counted without writing. */
export function previewOutcome(decisions: readonly Decision[]): PageOutcome {
  const counts = zeroCounts();
  const problems: Problem[] = [];
  for (const decision of decisions) {
    if (decision.kind === 'create') counts.created++;
    else if (decision.kind === 'associate') counts.associated++;
    else if (decision.kind === 'update' || decision.kind === 'renumber') counts.updated++;
    else if (decision.kind === 'unchanged') counts.unchanged++;
    else if (decision.kind === 'skip')
      problems.push({ userId: decision.userId, email: decision.email, reason: decision.reason });
  }
  counts.skipped = problems.length;
  return { counts, problems, mails: [] };
}

/** Members of the range who are no users of this Workspace: `skipped` are listed with their reason, and the ids in
 * `seen` (those Google refused to show) count as listed, so that no removal ever rests on a refusal. */
export interface OutsideMembers {
  readonly skipped: readonly Problem[];
  readonly seen: readonly string[];
}

/** Which delivery of the page this is, and when (epoch ms) its listing began. */
export interface PageDelivery {
  readonly attempt: number;
  readonly listedAt: number;
}

// A first delivery into a tenant that was empty when the run started can find nothing but what was written since:
// by another page listing the same user, a push, or an admin. The create() preconditions of its writes refuse
// those, and such a chunk is done again user by user against what is stored. A redelivery reads, since its own
// earlier delivery may have written.
const nothingStored: PageState = { links: new Map(), extensions: new Map(), emailKeys: new Map() };

/** Syncs a page of users; returns the welcome mails to send. */
export async function syncUsersPage(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  task: PageTask,
  users: DirectoryUser[],
  record: { readonly last: boolean } & Record<string, unknown>,
  outside: OutsideMembers,
  delivery: PageDelivery,
): Promise<string[]> {
  const begun = Date.now();
  const storesNothing = run.emptyAtStart === true && delivery.attempt === 1;
  const state = storesNothing ? nothingStored : await readPageState(paths, users, run.settings);
  const planned = planPage(users, run.settings, state);
  const decisions = run.dryRun
    ? planned
    : await withoutOutdatedUpdates(deps.db, paths.tenant.id, planned, delivery.listedAt);
  const stateRead = Date.now();
  const pageRef = paths.page(task.runId, task.chain, task.page);
  let outcome: PageOutcome;
  let reserved = stateRead;
  if (run.dryRun) outcome = previewOutcome(decisions);
  else {
    const needed = decisions.filter((decision) => decision.kind === 'create' && decision.number === undefined).length;
    const numbers =
      run.settings.numbering.mode === 'auto'
        ? await reserveNumbers(deps.caches, paths, pageRef, run.settings.numbering.start, needed, {
            skipTaken: storesNothing,
            runId: task.runId,
          })
        : [];
    reserved = Date.now();
    outcome = await applyPage(deps.db, paths, decisions, numbers, {
      runId: task.runId,
      welcomeEmail: run.settings.welcomeEmail,
      commits: deps.caches.commits,
      log: runChangeLog(paths.changes(task.runId)),
    });
  }
  // Where the page's writing time went, for the benchmark's timeline.
  const writeTiming = {
    stateReadMs: stateRead - begun,
    reserveMs: reserved - stateRead,
    applyMs: Date.now() - reserved,
  };

  const problems = [...outcome.problems, ...outside.skipped];
  const counts = { ...outcome.counts, skipped: outcome.counts.skipped + outside.skipped.length };
  // A made change's entry went with its commit; a skip has no commit of its own, and a preview makes none.
  const byId = new Map(users.map((user) => [user.id, user]));
  const entries = run.dryRun
    ? [...plannedEntries(decisions, state, byId), ...outside.skipped.map((problem) => problemEntry(byId, problem))]
    : problems.map((problem) => problemEntry(byId, problem));
  const changes = paths.changes(task.runId);
  const writes: Write[] = [
    ...problems.map(
      (problem): Write =>
        (writer) =>
          writer.set(paths.problems(task.runId).doc(problem.userId), problem),
    ),
    ...entries.map(
      (entry): Write =>
        (writer) =>
          writer.set(changes.doc(entry.userId), entry),
    ),
  ];
  // The page's record goes in the last commit: a page whose record is written has all its entries.
  await inCommits(deps.db, writes, (batch) => {
    batch.set(
      pageRef,
      {
        ...record,
        listed: users.length,
        userIds: listsRangeUsers(task.chain) ? [...users.map((user) => user.id), ...outside.seen] : [],
        deletions: decisions.flatMap((decision) =>
          decision.kind === 'delete'
            ? [
                {
                  userId: decision.userId,
                  number: decision.number,
                  status: decision.status,
                  action: 'delete',
                  reason: 'status',
                },
              ]
            : [],
        ),
        counts,
        writeTiming,
        // Users of this page linked once it is written: finalize sums them to tell, from one count, whether any
        // linked user was absent from the listing.
        linked: run.dryRun
          ? 0
          : outcome.counts.created +
            outcome.counts.associated +
            outcome.counts.updated +
            outcome.counts.unchanged +
            outcome.counts.failed,
        doneAt: new Date().toISOString(),
      },
      { merge: true },
    );
    if (record.last) markChainEnd(batch, paths, task);
  });
  await markProgress(deps.caches.progressMarks, paths, task.runId);
  return outcome.mails;
}
