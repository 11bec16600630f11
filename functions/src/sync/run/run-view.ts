// A run as the page shows it: status, live progress, counts, the skipped users with their reasons, and the
// deletions held for approval.
import type { Firestore } from '@google-cloud/firestore';
import { fieldPaths, readFields } from '../../platform/typed-documents.ts';
import { syncPaths } from '../../tenants/paths.ts';
import { pageFields } from './page-record.ts';
import { addCounts, zeroCounts, type RunCounts, type SyncRun } from './run.ts';

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
  readonly held: ReadonlyArray<{
    readonly number: string;
    readonly status: string;
    readonly action: 'delete' | 'release';
    readonly reason: 'status' | 'out_of_range';
  }>;
  /** A preview: nothing was written. */
  readonly dryRun: boolean;
}

/** What the live view reads of each done page. */
const pageProgressFields = pageFields.pick({ counts: true, listed: true });

const SHOWN_PROBLEMS = 200;
const SHOWN_HELD = 200;

/** Builds the view of a run, or undefined when there is none. */
export async function runView(db: Firestore, tenantId: string, runId: string): Promise<RunView | undefined> {
  const paths = syncPaths(db, tenantId);
  const run = (await paths.run(runId).get()).data();
  if (!run) return undefined;
  // A running run holds nothing for approval yet (finalize writes the held list as it ends the run): the page asks
  // every second while a run goes on, and each poll is then two queries fewer.
  const mayHold = run.status !== 'running';
  const [pages, held, heldCount] = await Promise.all([
    paths
      .pages(runId)
      .where('status', '==', 'done')
      .select(...fieldPaths(pageProgressFields))
      .get(),
    mayHold ? paths.held(runId).limit(SHOWN_HELD).get() : undefined,
    mayHold ? paths.held(runId).count().get() : undefined,
  ]);
  const progress = pages.docs.map((page) => readFields(page, pageProgressFields));
  const live = progress.reduce((sum, page) => addCounts(sum, page.counts ?? {}), zeroCounts());
  const counts = run.counts ?? live;
  // A page writes its problems in the batch that records it, each one counted as failed or skipped: while the
  // counts show none, there are none to read (a page done since shows at the next poll).
  const problems =
    counts.failed + counts.skipped > 0 ? (await paths.problems(runId).limit(SHOWN_PROBLEMS).get()).docs : [];
  return {
    id: runId,
    status: run.status,
    trigger: run.trigger,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt ?? null,
    progress: { pagesDone: pages.size, usersListed: progress.reduce((sum, page) => sum + (page.listed ?? 0), 0) },
    counts,
    syncedUsers: run.syncedUsers ?? null,
    failure: run.failure ?? null,
    heldReason: run.heldReason ?? null,
    heldDecision: run.held ?? null,
    heldCount: heldCount?.data().count ?? 0,
    removalsChecked: run.removalsChecked ?? 0,
    approvalFailure: run.approvalFailure ?? null,
    problems: problems.map((doc) => {
      const { email, reason } = doc.data();
      return { email, reason };
    }),
    held: (held?.docs ?? []).map((doc) => {
      const { status, action, reason } = doc.data();
      return { number: doc.id, status, action, reason };
    }),
    dryRun: run.dryRun === true,
  };
}

/** The tenant's latest run id, if any. */
export async function latestRunId(db: Firestore, tenantId: string): Promise<string | undefined> {
  const state = (await syncPaths(db, tenantId).state.get()).data();
  return state?.activeRunId ?? state?.lastRunId;
}
