// "Pause synchronization" and "Resume" on the Google SSO Integration page. A pause keeps the connection, the
// extensions and their links as they are, and stops everything that would change them: every start of a run
// (start-run.ts; the nightly one is not even tried, due-runs.ts), the run going on (ended as failed, deleting
// nothing), and push updates (the channels are stopped at Google, and a notification already queued does nothing,
// push-user.ts). Unlike Disconnect nothing is revoked, so Resume needs no consent: it lifts the pause, has the next
// tick open the channels again, and syncs at once, since whatever changed at Google meanwhile was missed.
import { FieldValue } from '@google-cloud/firestore';
import { integrationRef, type IntegrationStatus } from '../../connect/integration.ts';
import { AppError } from '../../errors.ts';
import { log } from '../../log.ts';
import { getAllOf } from '../../platform/typed-documents.ts';
import { channelsDueNow, stopChannels, type ChannelDependencies } from '../../push/channels.ts';
import { syncPaths } from '../../tenants/paths.ts';
import { readSyncSettings } from '../settings/settings-store.ts';
import { endRun } from './run-control.ts';
import type { RunTrigger } from './run.ts';

/** Why a run the pause ended failed, as the page shows it. */
export const PAUSED_RUN_FAILURE = 'Synchronization was paused while this run was going on; nothing was deleted.';

/** What Resume needs beyond the channels: starting the run. */
export interface ResumeDependencies extends ChannelDependencies {
  readonly startRun: (tenantId: string, trigger: RunTrigger) => Promise<{ runId: string; started: boolean }>;
}

// A connection waiting for reauthorization may be paused too: the pause then outlasts the Reauthorize.
function requirePausable(status: IntegrationStatus | undefined, action: 'paused' | 'resumed'): IntegrationStatus {
  if (status === 'connected' || status === 'reauthorization_required') return status;
  throw new AppError(
    'conflict',
    `Synchronization can be ${action} only while Google Workspace is connected. Connect it first.`,
  );
}

/** Pauses the tenant's synchronization. Pausing twice is harmless; the first pause's time is kept. */
export async function pauseSync(deps: ChannelDependencies, tenantId: string): Promise<void> {
  const paths = syncPaths(deps.db, tenantId);
  const ref = integrationRef(deps.db, tenantId);
  // The slot is read with the pause: a run that started before it is the active one here, and one that would start
  // after it sees the pause in its own transaction and refuses (start-run.ts).
  const activeRunId = await deps.db.runTransaction(async (transaction) => {
    const [integration, state] = await getAllOf(transaction, ref, paths.state);
    const stored = integration.data();
    requirePausable(stored?.status, 'paused');
    if (stored?.paused !== true) {
      const now = new Date().toISOString();
      transaction.set(ref, { paused: true, pausedAt: now, updatedAt: now }, { merge: true });
    }
    return state.data()?.activeRunId ?? undefined;
  });
  if (activeRunId) {
    // Its tasks find it no longer running and stop; a run that is not running has no removals left to make.
    const { ended } = await endRun(deps.db, paths, activeRunId, 'failed', {
      failure: PAUSED_RUN_FAILURE,
      pausedBy: 'admin',
    });
    if (ended) log.info('Sync run ended by a pause', { tenant: tenantId, runId: activeRunId });
  }
  await stopChannels(deps, tenantId);
  // A renewal that began before the pause may open a channel after the stop above: the next tick looks again and,
  // the tenant keeping none while paused, stops it.
  await channelsDueNow(deps.db, tenantId);
  log.info('Synchronization paused', { tenant: tenantId });
}

/** Resumes the tenant's synchronization and returns the run it started: none while reauthorization is required
 * (Reauthorize syncs at once), nor before the admin ever saved settings (as after a first connect). Resuming a
 * tenant that is not paused is harmless: it returns the run going on, or starts one as "Sync now" would. */
export async function resumeSync(deps: ResumeDependencies, tenantId: string): Promise<{ runId: string | null }> {
  const ref = integrationRef(deps.db, tenantId);
  const status = await deps.db.runTransaction(async (transaction) => {
    const stored = (await transaction.get(ref)).data();
    const current = requirePausable(stored?.status, 'resumed');
    if (stored?.paused !== undefined || stored?.pausedAt !== undefined) {
      transaction.update(ref, {
        paused: FieldValue.delete(),
        pausedAt: FieldValue.delete(),
        updatedAt: new Date().toISOString(),
      });
    }
    return current;
  });
  log.info('Synchronization resumed', { tenant: tenantId });
  if (status !== 'connected') return { runId: null };
  await channelsDueNow(deps.db, tenantId);
  if (!(await readSyncSettings(deps.db, tenantId)).saved) return { runId: null };
  return { runId: (await deps.startRun(tenantId, 'resume')).runId };
}
