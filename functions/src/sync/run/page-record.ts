// The fields of a run's step documents: a page, `syncRuns/{r}/pages/{chain}:{n}`, is claimed (run-control.ts) and
// then holds the page's record (page-task.ts, page-users.ts); a step such as finalize, `syncRuns/{r}/steps/{step}`,
// holds its claim (and finalize, once it has ended the run, when it reached each part, for the benchmark's
// timeline). They are read a few fields at a time (readFields), never whole: at 100,000 users the pages' user ids
// are megabytes, read only when finalize needs them.
import { z } from 'zod';
import { removalSchema } from '../removals/delete-or-release.ts';
import { runCountsSchema } from './run.ts';

/** The claim of a page or step: one delivery at a time works on it, under a lease. */
export const claimFields = z.object({
  status: z.enum(['claimed', 'done']).optional(),
  /** Deliveries counted so far; a step that failed too often fails its run. */
  attempts: z.number().int().optional(),
  /** Until when (epoch ms) the delivery at work holds it. */
  leaseUntil: z.number().optional(),
  /** A removal list's cursor: the last extension number applied. */
  after: z.string().optional(),
});

const count = z.number().int().min(0).optional();

/** A page's record, once done. */
export const pageFields = z.object({
  ...claimFields.shape,
  chain: z.string().optional(),
  page: z.number().int().min(0).optional(),
  pageToken: z.string().nullable().optional(),
  last: z.boolean().optional(),
  /** Users (or, on a group's page, members) the page listed. */
  listed: count,
  /** Users the domain listing returned before a join chain kept the groups' members. */
  scanned: count,
  /** Users of this page linked once it was written. */
  linked: count,
  /** The ids of the users the page listed; on a group's page, `memberIds`. */
  userIds: z.array(z.string()).optional(),
  deletions: z.array(removalSchema).optional(),
  counts: runCountsSchema.optional(),
  memberIds: z.array(z.string()).optional(),
  memberEmails: z.array(z.string()).optional(),
  /** A group's page lists the whole organisation as a member. */
  everyone: z.boolean().optional(),
  /** The automatic numbers reserved for the page, so a retried page gets them back. */
  numbers: z.array(z.string()).optional(),
  /** When the page's task reached each step (epoch ms), for the benchmark's timeline. */
  timing: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
  /** How long the page's state read, number reservation and writes took (ms), for the same timeline. */
  writeTiming: z.record(z.string(), z.number()).optional(),
});
