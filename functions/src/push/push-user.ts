// One pushed change of a user. A notification is a hint, never a source of truth: the task waits a moment, so that
// a burst of notifications about one user costs one read, reads the user again with users.get, and applies the
// sync's own planner to that one user, with the sync's guarded writes. A user enters the PBX only when in range
// (unit from orgUnitPath, group with members.hasMember, Specific Users only when assigned); leaving the range is
// left to the full run. A user at or above the delete status, or one Google no longer has, is deleted under the
// push deletion limit (push-deletions.ts). Duplicate, late and reordered notifications all converge on Google's
// current state, since each acts on a fresh read.
import { Timestamp } from '@google-cloud/firestore';
import { TOPICS } from '../catalog.ts';
import { readIntegration } from '../connect/integration.ts';
import { LeaseHeld } from '../errors.ts';
import type { TenantDirectory, UserResource } from '../google/directory.ts';
import { toDirectoryUser, userFieldsMask, type DirectoryUser } from '../google/directory-user.ts';
import { readPageState } from '../sync/apply/page-state.ts';
import { planPage, type Decision } from '../sync/apply/plan-page.ts';
import { reserveNumbers } from '../sync/apply/number-allocator.ts';
import { applyPage } from '../sync/apply/write-plan.ts';
import type { PageDependencies } from '../sync/run/dependencies.ts';
import { claimStep } from '../sync/run/run-control.ts';
import { readSyncSettings } from '../sync/settings/settings-store.ts';
import { propertyRoot, type SyncSettings } from '../sync/settings/settings.ts';
import { isInUnits, rangeGroups, rangeUnits } from '../sync/settings/sources.ts';
import { getTenant, hasIntegrationPlan } from '../tenants/tenant.ts';
import { syncPaths, type SyncPaths } from '../tenants/paths.ts';
import { pushChangeLog, type ChangeLog } from '../sync/history/change-log.ts';
import { problemEntry } from '../sync/history/planned-changes.ts';
import { pushDeletion } from './push-deletions.ts';
import { pushPaths, type PushChangeKind, type PushPaths } from './push-documents.ts';
import type { PushTask } from './push-task.ts';

/** How long a task waits after its notification before reading: notifications that come within it share a read. */
export const DEBOUNCE_MS = 1500;
const LEASE_MS = 60_000;
/** A notification's claim outlives Google's retries and Pub/Sub's redeliveries by far; then Firestore's TTL takes
 * it. */
const CLAIM_KEPT_MS = 7 * 24 * 3600_000;
/** The page lists recent changes; older ones go by TTL. */
const CHANGE_KEPT_MS = 30 * 24 * 3600_000;

const keptUntil = (ms: number) => Timestamp.fromMillis(Date.now() + ms);

const CHANGE_OF: Partial<Record<Decision['kind'], PushChangeKind>> = {
  create: 'created',
  update: 'updated',
  associate: 'associated',
  renumber: 'renumbered',
  skip: 'skipped',
};

/** Handles one delivery of a push task. */
export async function handlePushTask(deps: PageDependencies, task: PushTask): Promise<void> {
  const push = pushPaths(deps.db, task.tenant);
  const claimRef = push.event(`${task.channelId}:${task.messageNumber}`);
  const claim = await claimStep(deps.db, claimRef, LEASE_MS);
  if (claim.kind === 'done' || claim.kind === 'stopped') return;
  if (claim.kind === 'held') throw new LeaseHeld('Another delivery of this notification is in progress');
  const wait = task.receivedAt + DEBOUNCE_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  if (await readCovers(deps, push, task)) {
    await claimRef.update({ status: 'done', covered: true, expiresAt: keptUntil(CLAIM_KEPT_MS) });
    return;
  }
  await applyPushedUser(deps, push, task, claimRef);
  await claimRef.update({ status: 'done', expiresAt: keptUntil(CLAIM_KEPT_MS) });
}

// A read of the user that started after this notification arrived already saw what it announces; otherwise this
// task's read is recorded for the notifications behind it.
async function readCovers(deps: PageDependencies, push: PushPaths, task: PushTask): Promise<boolean> {
  const ref = push.user(task.userId);
  return deps.db.runTransaction(async (transaction) => {
    const readAt = (await transaction.get(ref)).data()?.readAt ?? 0;
    if (readAt >= task.receivedAt) return true;
    transaction.set(ref, { readAt: Date.now() });
    return false;
  });
}

// Whether the tenant syncs at all: connected and not paused (a notification queued before the pause does nothing), on
// an eligible plan, with settings saved.
async function syncedSettings(deps: PageDependencies, tenantId: string): Promise<SyncSettings | undefined> {
  const [integration, tenant, stored] = await Promise.all([
    readIntegration(deps.db, tenantId),
    getTenant(deps.db, tenantId),
    readSyncSettings(deps.db, tenantId),
  ]);
  const syncs = integration.status === 'connected' && integration.paused !== true && hasIntegrationPlan(tenant);
  return syncs && stored.saved ? stored.settings : undefined;
}

async function inRange(directory: TenantDirectory, settings: SyncSettings, user: DirectoryUser): Promise<boolean> {
  if (settings.range === 'all') return true;
  if (settings.range === 'orgUnits') return isInUnits(user.orgUnitPath, rangeUnits(settings));
  if (settings.range === 'groups') {
    for (const group of rangeGroups(settings)) if ((await directory.hasMember(group.id, user.id)) === true) return true;
    return false;
  }
  // Specific Users enter only by the admin's assignment, which the planner already requires.
  return true;
}

async function applyPushedUser(
  deps: PageDependencies,
  push: PushPaths,
  task: PushTask,
  claimRef: FirebaseFirestore.DocumentReference,
): Promise<void> {
  const settings = await syncedSettings(deps, task.tenant);
  if (!settings) return;
  const paths = syncPaths(deps.db, task.tenant);
  const directory = deps.directory.forTenant(task.tenant);
  const root = propertyRoot(settings);
  const lookup = await directory.lookUpUser(task.userId, {
    fields: userFieldsMask(root),
    projection: root === 'customSchemas' ? 'full' : 'basic',
  });
  // An account of another Workspace is none of ours.
  if (lookup.kind === 'forbidden') return;
  const user = lookup.kind === 'found' ? toDirectoryUser(lookup.user) : undefined;
  if (!user) {
    const number = (await paths.googleLink(task.userId).get()).data()?.number;
    if (number === undefined) return;
    // Google no longer has the user (users.get answers 404): a deletion, whatever the range.
    const outcome = await pushDeletion(deps, directory, paths, settings, pushLog(paths, task), {
      userId: task.userId,
      number,
      status: 'deleted',
    });
    await recordChange(push, task.userId, emailOf(lookup.kind === 'found' ? lookup.user : undefined, number), outcome);
    return;
  }
  const changeLog = pushLog(paths, task);
  const state = await readPageState(paths, [user], settings);
  const [decision] = planPage([user], settings, state);
  if (!decision || decision.kind === 'not_synced' || decision.kind === 'unchanged') return;
  if (decision.kind === 'delete') {
    const outcome = await pushDeletion(deps, directory, paths, settings, pushLog(paths, task), {
      userId: user.id,
      number: decision.number,
      status: decision.status,
    });
    await recordChange(push, user.id, user.primaryEmail, outcome);
    return;
  }
  if ((decision.kind === 'create' || decision.kind === 'associate') && !(await inRange(directory, settings, user))) {
    return;
  }
  const numbers =
    decision.kind === 'create' && decision.number === undefined && settings.numbering.mode === 'auto'
      ? await reserveNumbers(deps.caches, paths, claimRef, settings.numbering.start, 1)
      : [];
  // The notification names the welcome e-mail, so a redelivered task sends it once.
  const mailRun = `push-${task.channelId}-${task.messageNumber}`;
  const outcome = await applyPage(deps.db, paths, [decision], numbers, {
    runId: mailRun,
    welcomeEmail: settings.welcomeEmail,
    commits: deps.caches.commits,
    log: changeLog,
  });
  // A skip has no commit of its own: its entry is written alone, under the notification's key all the same.
  const problem = outcome.problems[0];
  if (problem) {
    const batch = deps.db.batch();
    changeLog.write(batch, problemEntry(new Map([[user.id, user]]), problem));
    await batch.commit();
  }
  for (const mailId of outcome.mails) await deps.queue.publish(TOPICS.welcomeMail, { tenant: task.tenant, mailId });
  const change = outcome.problems[0] ? 'skipped' : CHANGE_OF[decision.kind];
  if (!change) return;
  const number = 'number' in decision ? decision.number : 'to' in decision ? decision.to : undefined;
  await recordChange(push, user.id, user.primaryEmail, {
    change,
    number: number ?? numbers[0],
    ...(outcome.problems[0] && { reason: outcome.problems[0].reason }),
  });
}

/** The history of the notification's day: one entry per notification, whatever delivers it again. */
function pushLog(paths: SyncPaths, task: PushTask): ChangeLog {
  const day = new Date(task.receivedAt).toISOString().slice(0, 10);
  return pushChangeLog(paths.pushDayChanges(day), paths.pushDays.doc(day), `${task.channelId}:${task.messageNumber}`);
}

function emailOf(user: UserResource | undefined, number: string): string {
  return user?.primaryEmail ?? `extension ${number}`;
}

async function recordChange(
  push: PushPaths,
  userId: string,
  email: string,
  outcome: { readonly change: PushChangeKind; readonly number?: string | undefined; readonly reason?: string },
): Promise<void> {
  await push.changes.add({
    expiresAt: keptUntil(CHANGE_KEPT_MS),
    at: Date.now(),
    userId,
    email,
    change: outcome.change,
    ...(outcome.number !== undefined && { number: outcome.number }),
    ...(outcome.reason !== undefined && { reason: outcome.reason }),
  });
}
