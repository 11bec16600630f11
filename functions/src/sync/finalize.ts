// Finalize: once every page of every chain is done, the run's deletions are decided and applied. A linked user
// is deleted when listed as deleted, when listed at or above the chosen status, or when absent from the complete
// domain listing. Deletions beyond the limit, or a domain listing that came back empty, are held for approval.
import { TOPICS } from '../catalog.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import type { PageDependencies } from './dependencies.ts';
import { syncPaths, CHAINS, type SyncPaths } from './paths.ts';
import { claimStep, endRun, readRun } from './run-control.ts';
import { addCounts, deletionLimit, zeroCounts, type RunCounts, type SyncRun } from './run.ts';
import { confirmDeletions } from './confirm-deletions.ts';
import { deleteManaged, isRunStopped, type Deletion } from './delete-managed.ts';
import type { FinalizeTask } from './tasks.ts';

interface PageRecord {
  readonly chain: string;
  readonly page: number;
  readonly status: string;
  readonly last?: boolean;
  readonly listed?: number;
  readonly userIds?: string[];
  readonly deletions?: Deletion[];
  readonly counts?: RunCounts;
}

/** Whether every chain reached its last page with no page missing; the done pages when so. */
async function completePages(paths: SyncPaths, runId: string): Promise<PageRecord[] | undefined> {
  const pages = (await paths.pages(runId).get()).docs.map((doc) => doc.data() as PageRecord);
  for (const chain of CHAINS) {
    const done = pages.filter((page) => page.chain === chain && page.status === 'done');
    const last = done.find((page) => page.last === true);
    if (!last || done.length !== last.page + 1) return undefined;
  }
  return pages.filter((page) => page.status === 'done');
}

/** Handles one delivery of a finalize task. */
export async function handleFinalize(deps: PageDependencies, task: FinalizeTask): Promise<void> {
  const paths = syncPaths(deps.db, task.tenant);
  const run = await readRun(paths, task.runId);
  if (run?.status !== 'running') return;
  // The other chain's last page publishes finalize again when it is done.
  const pages = await completePages(paths, task.runId);
  if (!pages) return;
  const claim = await claimStep(deps.db, paths.finalizeClaim(task.runId), 120_000, paths.run(task.runId));
  if (claim === 'done' || claim === 'stopped') return;
  if (claim === undefined) throw new AppError('unavailable', 'Another delivery of finalize is in progress');

  const counts = pages.reduce((sum, page) => addCounts(sum, page.counts ?? {}), zeroCounts());
  const deletions = await deletionsOf(paths, pages);
  const domainListed = pages.filter((page) => page.chain === 'domain').reduce((sum, page) => sum + (page.listed ?? 0), 0);
  const held = heldReason(run, deletions.length, domainListed);
  if (held) {
    // Tens of thousands of held items exceed one commit's size; a bulk writer sends them in parts.
    const writer = deps.db.bulkWriter();
    const writes = deletions.map((deletion) => writer.set(paths.held(task.runId).doc(deletion.number), deletion));
    await Promise.all([...writes, writer.close()]);
    await finish(deps, paths, task, 'awaiting_approval', { counts, heldReason: held });
    return;
  }
  try {
    const confirmed = await confirmDeletions(deps, task.tenant, run.settings.deleteWhen, deletions);
    counts.deleted = await deleteManaged(deps.db, paths, confirmed, paths.run(task.runId));
  } catch (error) {
    // The watchdog failed the run meanwhile: it ends as failed, with what it had deleted until then.
    if (isRunStopped(error)) return;
    throw error;
  }
  const syncedUsers = (await paths.googleLinks.count().get()).data().count;
  await finish(deps, paths, task, 'succeeded', { counts, syncedUsers });
}

function heldReason(run: SyncRun, deletions: number, domainListed: number): string | undefined {
  if (domainListed === 0 && run.managedAtStart > 0) return 'The Google Workspace directory listing came back empty.';
  const limit = deletionLimit(run);
  if (deletions > limit) return `This sync would delete ${deletions} extensions, more than the limit of ${limit}.`;
  return undefined;
}

async function deletionsOf(paths: SyncPaths, pages: PageRecord[]): Promise<Deletion[]> {
  const byUser = new Map<string, Deletion>();
  for (const page of pages) for (const deletion of page.deletions ?? []) byUser.set(deletion.userId, deletion);
  const listed = new Set(pages.flatMap((page) => page.userIds ?? []));
  const links = await paths.googleLinks.select('number').get();
  for (const link of links.docs) {
    if (!listed.has(link.id) && !byUser.has(link.id)) byUser.set(link.id, { userId: link.id, number: String(link.get('number')), status: 'deleted' });
  }
  return [...byUser.values()];
}

async function finish(deps: PageDependencies, paths: SyncPaths, task: FinalizeTask, status: 'succeeded' | 'awaiting_approval', fields: Record<string, unknown>): Promise<void> {
  // A page that crashed after its writes and before publishing its mails left them pending; they go out now.
  const pending = await paths.welcomeMails.where('runId', '==', task.runId).where('status', '==', 'pending').get();
  for (const mail of pending.docs) await deps.queue.publish(TOPICS.welcomeMail, { tenant: task.tenant, mailId: mail.id });
  const { ended, rerunRequested } = await endRun(deps.db, paths, task.runId, status, fields);
  await paths.finalizeClaim(task.runId).update({ status: 'done' });
  if (!ended) return;
  await supersedeOlderHeldRuns(paths, task.runId);
  log.info('Sync run finished', { tenant: task.tenant, runId: task.runId, status });
  if (rerunRequested) await deps.startRun(task.tenant, 'rerun');
}

// A newer complete run has looked at the directory again; what an older run held no longer applies.
async function supersedeOlderHeldRuns(paths: SyncPaths, runId: string): Promise<void> {
  const createdAt = String((await paths.run(runId).get()).get('createdAt'));
  const held = await paths.runs.where('status', '==', 'awaiting_approval').get();
  const older = held.docs.filter((doc) => doc.id !== runId && String(doc.get('createdAt')) <= createdAt);
  await Promise.all(older.map((doc) => doc.ref.update({ status: 'superseded', supersededBy: runId })));
}
