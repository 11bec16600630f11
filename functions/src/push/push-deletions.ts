// A deletion a push notification asks for, under the same safety rules as a run's. The user was read from Google
// just before (users.get confirms them gone, or at the delete status), and the connecting admin must still be a
// super administrator. The deletion limit counts push deletions over a rolling hour per tenant: above it a deletion
// is held, in one open run of trigger "push", for the admin to approve or discard exactly as a run's held
// deletions; a newer complete run supersedes it.
import { randomUUID } from 'node:crypto';
import { requireSuperAdmin } from '../google/directory-access.ts';
import type { TenantDirectory } from '../google/directory.ts';
import type { UserStatus } from '../google/directory-user.ts';
import { log } from '../log.ts';
import { applyRemovals, type Removal } from '../sync/removals/delete-or-release.ts';
import type { PageDependencies } from '../sync/run/dependencies.ts';
import { zeroCounts, type SyncRun } from '../sync/run/run.ts';
import type { SyncSettings } from '../sync/settings/settings.ts';
import type { SyncPaths } from '../tenants/paths.ts';
import { pushPaths, type PushChangeKind } from './push-documents.ts';
import type { ChangeLog } from '../sync/history/change-log.ts';
import { alertPaths, raiseAlert } from '../alerts/alerts.ts';
import { getAllOf } from '../platform/typed-documents.ts';

/** The window over which push deletions count against the limit. */
export const PUSH_DELETION_WINDOW_MS = 3600_000;

/** What became of a pushed deletion. */
export interface PushDeletionOutcome {
  readonly change: PushChangeKind;
  readonly number: string;
  readonly reason?: string;
}

/** The limit, as a run's: the configured one, else max(5, 20% of the Google-managed extensions). */
export function pushDeletionLimit(settings: Pick<SyncSettings, 'deletionLimit'>, managed: number): number {
  return settings.deletionLimit ?? Math.max(5, Math.ceil(0.2 * managed));
}

/** Deletes the extension of a user Google confirmed gone or at the delete status, or holds it over the limit. */
export async function pushDeletion(
  deps: PageDependencies,
  directory: TenantDirectory,
  paths: SyncPaths,
  settings: SyncSettings,
  changeLog: ChangeLog,
  removed: { readonly userId: string; readonly number: string; readonly status: UserStatus },
): Promise<PushDeletionOutcome> {
  await requireSuperAdmin(directory);
  const removal: Removal = { ...removed, action: 'delete', reason: 'status' };
  const managed = (await paths.extensions.where('source', '==', 'google').count().get()).data().count;
  const limit = pushDeletionLimit(settings, managed);
  const held = await countOrHold(deps, paths, settings, removal, limit, managed);
  if (held) {
    log.warn('Push deletions held for approval', { tenant: paths.tenant.id, runId: held, limit });
    return { change: 'held', number: removal.number, reason: `more than ${limit} push deletions within an hour` };
  }
  const { deleted } = await applyRemovals(deps.db, paths, [removal], { log: changeLog });
  return { change: deleted > 0 ? 'deleted' : 'skipped', number: removal.number };
}

// Counts the deletion in the rolling window, or, above the limit, adds it to the tenant's open push hold; returns
// the hold's run id when it was held.
async function countOrHold(
  deps: PageDependencies,
  paths: SyncPaths,
  settings: SyncSettings,
  removal: Removal,
  limit: number,
  managed: number,
): Promise<string | undefined> {
  const window = pushPaths(deps.db, paths.tenant.id).deletions;
  const alert = alertPaths(deps.db, paths.tenant.id).condition('deletions_held');
  return deps.db.runTransaction(async (transaction) => {
    const now = Date.now();
    const [windowSnapshot, heldAlert] = await getAllOf(transaction, window, alert);
    const stored = windowSnapshot.data();
    const times = (stored?.times ?? []).filter((time) => time > now - PUSH_DELETION_WINDOW_MS);
    if (times.length < limit) {
      transaction.set(window, { times: [...times, now], holdRunId: stored?.holdRunId ?? null });
      return undefined;
    }
    const openHold = stored?.holdRunId ? (await transaction.get(paths.run(stored.holdRunId))).data() : undefined;
    const holdRunId = openHold?.status === 'awaiting_approval' && !openHold.held ? stored!.holdRunId! : newHoldId();
    if (holdRunId !== stored?.holdRunId || !openHold) {
      const at = new Date(now).toISOString();
      const run: SyncRun = {
        status: 'awaiting_approval',
        trigger: 'push',
        settings,
        createdAt: at,
        lastProgressAt: at,
        finishedAt: at,
        managedAtStart: managed,
        counts: zeroCounts(),
        heldReason: `Push notifications would delete more than the limit of ${limit} extensions within an hour.`,
      };
      transaction.set(paths.run(holdRunId), run);
    }
    transaction.set(paths.held(holdRunId).doc(removal.number), removal);
    transaction.set(window, { times, holdRunId });
    // The admins hear of the hold once; its count follows the deletions it gathers.
    const raised = heldAlert.data();
    const count = raised?.active && raised.runId === holdRunId ? (raised.count ?? 0) + 1 : 1;
    raiseAlert(transaction, heldAlert, {
      detail: `Push notifications would delete more than the limit of ${limit} extensions within an hour.`,
      runId: holdRunId,
      count,
    });
    return holdRunId;
  });
}

function newHoldId(): string {
  return `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-push-${randomUUID().slice(0, 8)}`;
}
