// The admin's answer to the removals a run holds, decided from the run and its approval's claim alone: whether the
// answer stands, and what an approval starts. Pure, so every refusal is tested without I/O; held-deletions.ts
// applies the answers.
import { AppError } from '../../errors.ts';
import type { SyncRun } from '../run/run.ts';

/** What the answers read of the run. */
export type HeldRun = Pick<SyncRun, 'status' | 'held'>;

/** What an approval does. */
export interface Approval {
  /** The approval starts, or starts again after one given back to the admin, from the first held removal. */
  readonly restart: boolean;
  /** A task is asked for: none is at work (this is the first approval, or a task was lost or gave up). */
  readonly publish: boolean;
}

function requireHeld(run: HeldRun | undefined): HeldRun {
  if (!run) throw new AppError('not_found', 'There is no such sync run.');
  if (run.status === 'superseded')
    throw new AppError('conflict', 'A newer sync replaced this one; its held deletions no longer apply.');
  if (run.status !== 'awaiting_approval') throw new AppError('conflict', 'This sync holds no deletions.');
  return run;
}

/** Refuses a discard the run cannot take: only held removals not being applied can be discarded. */
export function checkDiscard(run: HeldRun | undefined): void {
  if (requireHeld(run).held === 'approving')
    throw new AppError('conflict', 'These deletions are already being applied.');
}

/** Decides an approval, or refuses it. `approvalLeaseUntil` is the lease (epoch ms) of the delivery that last claimed
 * the approved list, if one did. */
export function decideApproval(
  run: HeldRun | undefined,
  approvalLeaseUntil: number | undefined,
  now: number,
): Approval {
  const approving = requireHeld(run).held === 'approving';
  const working = approving && (approvalLeaseUntil ?? 0) > now;
  return { restart: !approving, publish: !working };
}
