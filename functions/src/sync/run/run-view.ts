// A run as the page shows it: status, live progress, counts, the skipped users with their reasons, and the
// deletions held for approval.
import { syncPaths } from '../../tenants/paths.ts';
import { addCounts, zeroCounts, type RunCounts, type SyncRun } from './run.ts';
import type { Firestore } from '@google-cloud/firestore';

/** What the page reads about a run. */
export interface RunView {
  readonly id: string;
  readonly status: SyncRun['status'];
  readonly trigger: SyncRun['trigger'];
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly progress: { readonly pagesDone: number; readonly usersListed: number };
  readonly counts: RunCounts;
  readonly syncedUsers: number | null;
  readonly failure: string | null;
  readonly heldReason: string | null;
  /** Held removals: 'approving' while the approved ones are being applied. */
  readonly heldDecision: 'approving' | 'approved' | 'discarded' | null;
  /** How many removals the run holds; `held` lists the first of them. */
  readonly heldCount: number;
  /** Removals checked so far while approved ones are being applied. */
  readonly removalsChecked: number;
  /** Why approved removals could not be applied. */
  readonly approvalFailure: string | null;
  readonly problems: ReadonlyArray<{ readonly email: string; readonly reason: string }>;
  readonly held: ReadonlyArray<{ readonly number: string; readonly status: string; readonly action: 'delete' | 'release'; readonly reason: 'status' | 'out_of_range' }>;
  /** A preview: nothing was written. */
  readonly dryRun: boolean;
}

const SHOWN_PROBLEMS = 200;
const SHOWN_HELD = 200;

/** Builds the view of a run, or undefined when there is none. */
export async function runView(db: Firestore, tenantId: string, runId: string): Promise<RunView | undefined> {
  const paths = syncPaths(db, tenantId);
  const [snapshot, pages, problems, held, heldCount] = await Promise.all([
    paths.run(runId).get(),
    paths.pages(runId).where('status', '==', 'done').select('counts', 'listed').get(),
    paths.problems(runId).limit(SHOWN_PROBLEMS).get(),
    paths.held(runId).limit(SHOWN_HELD).get(),
    paths.held(runId).count().get(),
  ]);
  if (!snapshot.exists) return undefined;
  const run = snapshot.data() as SyncRun;
  const live = pages.docs.reduce((sum, page) => addCounts(sum, (page.get('counts') as RunCounts | undefined) ?? {}), zeroCounts());
  return {
    id: runId,
    status: run.status,
    trigger: run.trigger,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt ?? null,
    progress: { pagesDone: pages.size, usersListed: pages.docs.reduce((sum, page) => sum + ((page.get('listed') as number) ?? 0), 0) },
    counts: run.counts ?? live,
    syncedUsers: run.syncedUsers ?? null,
    failure: run.failure ?? null,
    heldReason: run.heldReason ?? null,
    heldDecision: run.held ?? null,
    heldCount: heldCount.data().count,
    removalsChecked: run.removalsChecked ?? 0,
    approvalFailure: run.approvalFailure ?? null,
    problems: problems.docs.map((doc) => ({ email: String(doc.get('email')), reason: String(doc.get('reason')) })),
    held: held.docs.map((doc) => ({
      number: doc.id,
      status: String(doc.get('status')),
      action: doc.get('action') === 'release' ? 'release' : 'delete',
      reason: doc.get('reason') === 'out_of_range' ? 'out_of_range' : 'status',
    })),
    dryRun: run.dryRun === true,
  };
}

/** The tenant's latest run id, if any. */
export async function latestRunId(db: Firestore, tenantId: string): Promise<string | undefined> {
  const state = (await syncPaths(db, tenantId).state.get()).data();
  return (state?.['activeRunId'] as string | undefined) ?? (state?.['lastRunId'] as string | undefined);
}
