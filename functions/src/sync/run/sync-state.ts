// The sync's own state documents of a tenant: `syncState/current`, which run holds the tenant's slot and what the
// last complete runs listed, and `numbering/auto`, the automatic numbers' high-water mark.
import { z } from 'zod';
import { documentConverter, documentSchema } from '../../platform/typed-documents.ts';

/** `syncState/current`. */
export interface SyncState {
  /** The run that holds the tenant's one run slot, or null between runs. */
  readonly activeRunId?: string | null;
  /** A "Save" during that run asked for one more run when it ends. */
  readonly rerunRequested?: boolean;
  readonly lastRunId?: string;
  /** The schedule slot (`daily:YYYY-MM-DD`) a run last started for: each starts at most once. */
  readonly lastSlot?: string;
  /** How many users each source listed in the last complete run, by source key: a source that had users and comes
   * back empty holds the run's removals. */
  readonly sourceSizes?: Readonly<Record<string, number>>;
  /** The domain's size, from the last run that listed all of it: a group run picks its user chain by it. */
  readonly domainUsers?: number;
}

/** The fields of the sync state, for reads of one of them. */
export const syncStateFields = z.object({
  activeRunId: z.string().nullable().optional(),
  rerunRequested: z.boolean().optional(),
  lastRunId: z.string().optional(),
  lastSlot: z.string().optional(),
  sourceSizes: z.record(z.string(), z.number()).optional(),
  domainUsers: z.number().optional(),
});

/** The sync state document. */
export const syncStateDocument = documentConverter<SyncState>(documentSchema<SyncState>()(syncStateFields.shape));

/** `numbering/auto`: automatic numbers from `start` are handed out up to `next`. */
export interface NumberingState {
  readonly start: number;
  readonly next: number;
}

/** The automatic numbering document. */
export const numberingDocument = documentConverter<NumberingState>(
  documentSchema<NumberingState>()({ start: z.number().int(), next: z.number().int() }),
);
