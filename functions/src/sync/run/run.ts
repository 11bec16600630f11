// A sync run, `tenants/{t}/syncRuns/{runId}`: what started it, with which settings, and how it ended.
import { z } from 'zod';
import { documentConverter, documentSchema } from '../../platform/typed-documents.ts';
import { syncSettingsSchema, type SyncSettings } from '../settings/settings.ts';

/** A run's state. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'awaiting_approval' | 'superseded';

/** What started a run. */
export type RunTrigger = 'schedule' | 'manual' | 'save' | 'connect' | 'rerun' | 'preview' | 'push' | 'resume';

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
  /** The tenant held no extension, Google link or e-mail key when the run started. A page's first delivery then
   * skips the reads that could only find what was written since, which the writes' create() preconditions catch. */
  readonly emptyAtStart?: boolean;
  readonly finishedAt?: string;
  readonly counts?: RunCounts;
  /** Users in range linked to an extension after the run: the X of "X users have been synced". */
  readonly syncedUsers?: number;
  readonly failure?: string;
  readonly heldReason?: string;
  /** How many removals the run held for approval. */
  readonly heldCount?: number;
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
  /** How many members the user chain fetches. */
  readonly members?: number;
  /** Set once a finalize handed its removals to chunk tasks, so a redelivered finalize counts them once. */
  readonly removalsHandedOver?: boolean;
  readonly approvedAt?: string;
  /** When the admin's approval or discard settled the held removals. */
  readonly resolvedAt?: string;
  /** The newer complete run that made this held run's removals moot. */
  readonly supersededBy?: string;
  /** The admin paused synchronization while this run was going on, which ended it as failed: no alert is due. */
  readonly pausedBy?: 'admin';
}

const RUN_STATUSES = ['running', 'succeeded', 'failed', 'awaiting_approval', 'superseded'] as const;
// `push` is no run of its own: it holds the deletions push notifications asked for beyond the limit.
const RUN_TRIGGERS = ['schedule', 'manual', 'save', 'connect', 'rerun', 'preview', 'push', 'resume'] as const;
const count = z.number().int().min(0);
const optionalText = z.string().optional();

/** Stored counters: the run's, or a page's. */
export const runCountsSchema = z.object({
  created: count,
  updated: count,
  unchanged: count,
  associated: count,
  released: count,
  deleted: count,
  skipped: count,
  failed: count,
});

const syncRunSchema = documentSchema<SyncRun>()({
  status: z.enum(RUN_STATUSES),
  trigger: z.enum(RUN_TRIGGERS),
  settings: syncSettingsSchema,
  createdAt: z.string(),
  lastProgressAt: z.string(),
  managedAtStart: count,
  emptyAtStart: z.boolean().optional(),
  finishedAt: optionalText,
  counts: runCountsSchema.optional(),
  syncedUsers: count.optional(),
  failure: optionalText,
  heldReason: optionalText,
  heldCount: count.optional(),
  held: z.enum(['approving', 'approved', 'discarded']).optional(),
  approvalFailure: optionalText,
  removalsChecked: count.optional(),
  dryRun: z.boolean().optional(),
  userChain: z.enum(['join', 'members']).optional(),
  members: count.optional(),
  removalsHandedOver: z.boolean().optional(),
  approvedAt: optionalText,
  resolvedAt: optionalText,
  supersededBy: optionalText,
  pausedBy: z.literal('admin').optional(),
});

/** The run document as stored. */
export const syncRunDocument = documentConverter<SyncRun>(syncRunSchema);

/** What tells whether a run's end is the admins' concern: previews and push holds alert nobody by ending. */
export const runAlertFields = syncRunSchema.pick({ trigger: true, dryRun: true, createdAt: true });

/** A run's status alone: what most steps check before they act. */
export const runStatusFields = syncRunSchema.pick({ status: true });

/** A run's last progress mark, for the watchdog; a run without one counts as stalled. */
export const runProgressFields = syncRunSchema.pick({ lastProgressAt: true }).partial();

/** What the admin's answer to held removals checks. */
export const runHoldFields = syncRunSchema.pick({ status: true, held: true });

/** The deletion limit of a run: the configured one, or max(5, ceil(20% of the managed extensions)). */
export function deletionLimit(run: Pick<SyncRun, 'settings' | 'managedAtStart'>): number {
  return run.settings.deletionLimit ?? Math.max(5, Math.ceil(0.2 * run.managedAtStart));
}
