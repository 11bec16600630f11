// What the scheduler tick does besides the heartbeat: start the runs that are due in each connected tenant's own
// time zone (none of a tenant whose admin paused synchronization), and fail runs that made no progress for 15
// minutes. "Now" is the tick's event time.
import type { Firestore } from '@google-cloud/firestore';
import { log } from '../log.ts';
import { readFields } from '../platform/typed-documents.ts';
import { syncStateFields } from '../sync/run/sync-state.ts';
import { syncPaths } from '../tenants/paths.ts';
import { failRun } from '../sync/run/run-control.ts';
import { runProgressFields, type RunTrigger } from '../sync/run/run.ts';
import { readSyncSettings } from '../sync/settings/settings-store.ts';
import { getTenant, hasIntegrationPlan } from '../tenants/tenant.ts';

const slotFields = syncStateFields.pick({ lastSlot: true });

/** A run is stalled after this long without progress. */
export const STALL_MS = 15 * 60 * 1000;

/** The local date (YYYY-MM-DD) and time (HH:MM) of an instant in a time zone. */
export function localDateTime(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}` };
}

/** Starts every due scheduled run; one tenant's failure does not stop the others. */
export async function startDueRuns(
  deps: { db: Firestore; startRun: (tenantId: string, trigger: RunTrigger, slot?: string) => Promise<unknown> },
  now: Date,
): Promise<number> {
  const connected = await deps.db.collectionGroup('integrations').where('status', '==', 'connected').get();
  let started = 0;
  for (const integration of connected.docs) {
    const tenantId = integration.ref.parent.parent?.id;
    if (!tenantId || integration.id !== 'google') continue;
    // Paused by the admin: nothing is due, and nothing worth a warning. (A query cannot leave these out: `!=`
    // would drop the documents that never had the field.)
    if (integration.get('paused') === true) continue;
    try {
      const tenant = await getTenant(deps.db, tenantId);
      if (!hasIntegrationPlan(tenant)) continue;
      const { settings } = await readSyncSettings(deps.db, tenantId);
      if (settings.schedule.frequency !== 'daily') continue;
      const local = localDateTime(now, tenant.timeZone);
      if (local.time < settings.schedule.time) continue;
      // Most ticks of the day find the slot taken; that is settled with one read, before any costly work.
      const slot = `daily:${local.date}`;
      if (readFields(await syncPaths(deps.db, tenantId).state.get(), slotFields).lastSlot === slot) continue;
      await deps.startRun(tenantId, 'schedule', slot);
      started++;
    } catch (error) {
      log.warn('A scheduled sync could not start', { tenant: tenantId, error });
    }
  }
  return started;
}

/** Fails runs that made no progress for STALL_MS; a failed run deletes nothing. A run that a "Save" asked to rerun
 * starts that rerun once it ends, as it would had it failed any other way. One run's trouble does not stop the
 * others. */
export async function failStalledRuns(
  deps: { db: Firestore; startRun: (tenantId: string, trigger: RunTrigger, slot?: string) => Promise<unknown> },
  now: Date,
): Promise<number> {
  const running = await deps.db.collectionGroup('syncRuns').where('status', '==', 'running').get();
  let failed = 0;
  for (const run of running.docs) {
    const tenantId = run.ref.parent.parent?.id;
    let rerunRequested: boolean;
    try {
      const lastProgress = Date.parse(readFields(run, runProgressFields).lastProgressAt ?? '');
      if (!tenantId || !(now.getTime() - lastProgress > STALL_MS)) continue;
      ({ rerunRequested } = await failRun(
        deps.db,
        syncPaths(deps.db, tenantId),
        run.id,
        'The sync made no progress for 15 minutes.',
      ));
      failed++;
    } catch (error) {
      log.warn('A stalled sync could not be failed', { tenant: tenantId, runId: run.id, error });
      continue;
    }
    if (!rerunRequested) continue;
    try {
      await deps.startRun(tenantId, 'rerun');
    } catch (error) {
      log.warn('The sync asked for after a stalled one could not start', { tenant: tenantId, runId: run.id, error });
    }
  }
  return failed;
}
