// A sync run, `tenants/{t}/syncRuns/{runId}`: what started it, with which settings, and how it ended.
import type { SyncSettings } from '../settings/settings.ts';

/** A run's state. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'awaiting_approval' | 'superseded';

/** What started a run. */
export type RunTrigger = 'schedule' | 'manual' | 'save' | 'connect' | 'rerun' | 'preview';

/** The counters of a run. */
export interface RunCounts {
  created: number;
  updated: number;
  unchanged: number;
  associated: number;
  released: number;
  deleted: number;
  skipped: number;
  failed: number;
}

/** Zeroed counters. */
export function zeroCounts(): RunCounts {
  return { created: 0, updated: 0, unchanged: 0, associated: 0, released: 0, deleted: 0, skipped: 0, failed: 0 };
}

/** Adds counters into the first. */
export function addCounts(into: RunCounts, more: Partial<RunCounts>): RunCounts {
  for (const key of Object.keys(into) as Array<keyof RunCounts>) into[key] += more[key] ?? 0;
  return into;
}

/** The run document. */
export interface SyncRun {
  readonly status: RunStatus;
  readonly trigger: RunTrigger;
  readonly settings: SyncSettings;
  readonly createdAt: string;
  readonly lastProgressAt: string;
  /** Google-managed extensions when the run started: the base of the default deletion limit. */
  readonly managedAtStart: number;
  readonly finishedAt?: string;
  readonly counts?: RunCounts;
  /** Users in range linked to an extension after the run: the X of "X users have been synced". */
  readonly syncedUsers?: number;
  readonly failure?: string;
  readonly heldReason?: string;
  /** What the admin did with held removals: approved ones are applied by tasks while 'approving'. */
  readonly held?: 'approving' | 'approved' | 'discarded';
  /** Why approved removals could not be applied; the admin may approve again or discard. */
  readonly approvalFailure?: string;
  /** Removals confirmed so far by the tasks applying a list of them. */
  readonly removalsChecked?: number;
  /** A preview (dry run): it lists and plans like a sync, and writes nothing but its own record. */
  readonly dryRun?: boolean;
  /** A group run's second step, once every group's members are listed. */
  readonly userChain?: 'join' | 'members';
}

/** The deletion limit of a run: the configured one, or max(5, ceil(20% of the managed extensions)). */
export function deletionLimit(run: Pick<SyncRun, 'settings' | 'managedAtStart'>): number {
  return run.settings.deletionLimit ?? Math.max(5, Math.ceil(0.2 * run.managedAtStart));
}
