// The end of a run: mails a crashed page left pending go out, the run ends, older held runs are superseded, and a
// sync asked for meanwhile starts.
import type { Firestore } from '@google-cloud/firestore';
import { TOPICS } from '../../catalog.ts';
import { log } from '../../log.ts';
import type { PageDependencies } from './dependencies.ts';
import { getAllOf, readFields } from '../../platform/typed-documents.ts';
import { alertPaths, clearAlert } from '../../alerts/alerts.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { endRun } from './run-control.ts';
import { runHoldFields, type SyncRun } from './run.ts';
import type { FinalizeTask } from './tasks.ts';

/** Ends a run that listed everything, as succeeded or awaiting approval; finalize's `timing` goes on its claim. */
export async function finishRun(
  deps: PageDependencies,
  paths: SyncPaths,
  task: FinalizeTask,
  run: SyncRun,
  status: 'succeeded' | 'awaiting_approval',
  fields: Record<string, unknown>,
  timing?: Record<string, number>,
): Promise<void> {
  // A page that crashed after its writes and before publishing its mails left them pending; they go out now. A run
  // that sends no welcome e-mail wrote none (its settings are fixed when it starts).
  if (run.settings.welcomeEmail && !run.dryRun) {
    const pending = await paths.welcomeMails.where('runId', '==', task.runId).where('status', '==', 'pending').get();
    for (const mail of pending.docs)
      await deps.queue.publish(TOPICS.welcomeMail, { tenant: task.tenant, mailId: mail.id });
  }
  if (timing) timing.mailsCheckedAt = Date.now();
  const { ended, rerunRequested } = await endRun(deps.db, paths, task.runId, status, fields);
  if (timing) timing.endedAt = Date.now();
  await paths.finalizeClaim(task.runId).update({ status: 'done', ...(timing && { timing }) });
  if (!ended || run.dryRun) return;
  await supersedeOlderHeldRuns(deps.db, paths, task.runId);
  log.info('Sync run finished', { tenant: task.tenant, runId: task.runId, status });
  if (rerunRequested) await deps.startRun(task.tenant, 'rerun');
}

// A newer complete run has looked at the directory again; what an older run held no longer applies. Each is
// superseded in a transaction, so an approval the admin gives meanwhile is kept: approved removals run to the end,
// each re-checked.
async function supersedeOlderHeldRuns(db: Firestore, paths: SyncPaths, runId: string): Promise<void> {
  const createdAt = String((await paths.run(runId).get()).data()?.createdAt);
  const held = await paths.runs.where('status', '==', 'awaiting_approval').get();
  const older = held.docs.filter((doc) => doc.id !== runId && doc.data().createdAt <= createdAt);
  for (const doc of older) {
    await db.runTransaction(async (transaction) => {
      const [stored, heldAlert] = await getAllOf(
        transaction,
        doc.ref,
        alertPaths(db, paths.tenant.id).condition('deletions_held'),
      );
      const current = readFields(stored, runHoldFields);
      if (current.status !== 'awaiting_approval' || current.held === 'approving') return;
      transaction.update(doc.ref, { status: 'superseded', supersededBy: runId });
      clearAlert(transaction, heldAlert, {
        detail: 'A newer synchronization looked at the directory again; the deletions it held no longer apply.',
        runId: doc.id,
      });
    });
  }
}
