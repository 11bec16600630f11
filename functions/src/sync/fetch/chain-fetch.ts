// Fetches one page of a chain, whatever the chain lists: a users.list page (the domain, its deleted users, a unit's
// subtree, or the domain joined with the groups' members), a members.list page of a group, or a batch of users.get
// of group members. Every call goes through the tenant's cached Google session and the retry budget.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { OAuth2Client } from 'google-auth-library';
import { readIntegration } from '../../connect/integration.ts';
import { AppError } from '../../errors.ts';
import type { PageDependencies } from '../run/dependencies.ts';
import type { Problem } from '../apply/write-plan.ts';
import { DirectoryRefusal, fetchMembersPage, fetchUsersPage, lookUpMember } from '../../google/directory-api.ts';
import { toDirectoryUser, userFieldsMask, usersFieldsMask, type DirectoryUser } from '../../google/directory-user.ts';
import { forgetSession, googleSession, ReauthorizationRequired } from '../../google/google-session.ts';
import { memberIdsOf } from './group-member-sets.ts';
import { confirmDirectoryAccess, directoryAccessLost } from '../../google/directory-access.ts';
import { NO_WORKSPACE_ACCOUNT, OTHER_WORKSPACE, skippedMember } from './outside-members.ts';
import { refusedPageTokenMessage } from './page-token-refusal.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import type { SyncRun } from '../run/run.ts';
import { propertyRoot } from '../settings/settings.ts';
import { keepInCriteria } from './specific-range.ts';
import { chainKind, rangeGroups, rangeUnits, type ChainKind } from '../settings/sources.ts';
import type { PageTask } from '../run/tasks.ts';

/** A fetched page: users of the range, or (for a group chain) member ids; where the chain goes on; and when its
 * Directory call started, from which the chain's next call is spaced. */
export type FetchedPage = (
  /** `skipped`: members looked up who are no users of this Workspace; `refused`: the ids of those Google refused to
   * show, which count as seen. */
  | { readonly kind: 'users'; readonly users: DirectoryUser[]; readonly scanned: number; readonly skipped: Problem[]; readonly refused: string[] }
  | { readonly kind: 'members'; readonly memberIds: string[]; readonly memberEmails: string[]; readonly everyone: boolean }
) & { readonly next: string | undefined; readonly last: boolean; readonly startedAt: number };

/** How many users.get calls of a 'members' page run at once. */
const LOOKUP_CONCURRENCY = 5;

// A cached access token Google refused (its grant was revoked): a fresh session finds out whether the refresh token
// still works, and marks the integration for reauthorization when it does not.
async function withSession<T>(deps: PageDependencies, tenantId: string, call: (auth: OAuth2Client) => Promise<T>): Promise<T> {
  try {
    return await call(await googleSession(deps, tenantId));
  } catch (error) {
    if (!(error instanceof ReauthorizationRequired)) throw error;
    forgetSession(tenantId);
    return call(await googleSession(deps, tenantId));
  }
}

/** The users.list search query of an organizational unit's subtree. */
export function orgUnitQuery(path: string): string {
  return `orgUnitPath='${path.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

// What Google refusing a picked unit or group means to the admin: it was removed or renamed since it was picked.
function refusalMessage(run: SyncRun, kind: ChainKind, error: DirectoryRefusal): string | undefined {
  if (kind.kind === 'orgUnit' && error.status === 400) {
    return `The organizational unit ${rangeUnits(run.settings)[kind.index]?.path} no longer exists in Google Workspace; pick the units again and click Save.`;
  }
  if (kind.kind === 'group' && error.status === 404) {
    return `The group ${rangeGroups(run.settings)[kind.index]?.email} no longer exists in Google Workspace; pick the groups again and click Save.`;
  }
  return undefined;
}

// users.get of each member, a few at a time. Members who are no users of this Workspace are skipped with a reason;
// a 403 counts as "another Workspace" only once the admin is shown still to read the directory. A member Google
// refused to show (403) counts as seen, so no removal rests on a refusal; one it does not have (404) is absent, as
// a deleted user is: finalize removes it if it was linked, once users.get confirms it gone. An assigned Specific
// User is the Workspace's own, so its 404 means deleted and is not listed as skipped.
async function lookUpUsers(deps: PageDependencies, auth: OAuth2Client, task: PageTask, run: SyncRun, paths: SyncPaths, fields: string, projection: 'basic' | 'full') {
  const ids = task.userIds ?? [];
  const found: admin_directory_v1.Schema$User[] = [];
  const refused: string[] = [];
  const absent: string[] = [];
  for (let at = 0; at < ids.length; at += LOOKUP_CONCURRENCY) {
    const batch = ids.slice(at, at + LOOKUP_CONCURRENCY);
    const lookups = await Promise.all(batch.map((id) => lookUpMember(deps.config, auth, id, { fields, projection }, deps.retry)));
    lookups.forEach((lookup, index) => {
      if (lookup.kind === 'found') found.push(lookup.user);
      else (lookup.kind === 'forbidden' ? refused : absent).push(batch[index]!);
    });
  }
  if (refused.length > 0) await confirmDirectoryAccess(deps, auth, task.tenant);
  const listedAbsent = run.settings.range === 'specific' ? [] : absent;
  const emails = refused.length + listedAbsent.length > 0 ? (await memberIdsOf(paths, task.runId)).emails : new Map<string, string>();
  const skipped = [
    ...refused.map((id) => skippedMember(id, emails.get(id), OTHER_WORKSPACE)),
    ...listedAbsent.map((id) => skippedMember(id, emails.get(id), NO_WORKSPACE_ACCOUNT)),
  ];
  return { found, skipped, refused };
}

function usersOf(resources: admin_directory_v1.Schema$User[], deleted: boolean): DirectoryUser[] {
  return resources
    .map(toDirectoryUser)
    .filter((user): user is DirectoryUser => user !== undefined)
    // Every user of the showDeleted listing is deleted, whatever fields Google filled in.
    .map((user) => (deleted ? { ...user, status: 'deleted' as const } : user));
}

// Pages fetched ahead of their task. Page n knows page n+1's token only once it has its own page, and the task of
// page n+1 then spends a Pub/Sub hop and a claim before it could fetch: this instance fetches page n+1 meanwhile,
// so the chain moves at about one page latency a page. The task still claims its page first and uses the fetched
// page only then; delivered to another instance, it fetches the page itself. Entries left unused expire.
const ahead = new Map<string, { readonly page: Promise<FetchedPage>; readonly at: number }>();
const AHEAD_TTL_MS = 120_000;

function aheadKey(task: PageTask): string {
  return `${task.tenant}/${task.runId}/${task.chain}/${task.page}/${task.pageToken ?? ''}`;
}

/** Starts fetching a chain's next page, no earlier than its task's notBefore, for that task to pick up. */
export function fetchAhead(deps: PageDependencies, paths: SyncPaths, run: SyncRun, next: PageTask): void {
  const now = Date.now();
  for (const [key, entry] of ahead) if (now - entry.at > AHEAD_TTL_MS) ahead.delete(key);
  const wait = Math.max(0, (next.notBefore ?? 0) - now);
  const page = new Promise((resolve) => setTimeout(resolve, wait)).then(() => fetchNow(deps, paths, run, next));
  // A failed fetch ahead is not an error of anything yet: the task fetches again itself.
  page.catch(() => undefined);
  ahead.set(aheadKey(next), { page, at: now });
}

/** The page a task names: fetched ahead by this instance, or now. `fetchedAhead` says which. */
export async function fetchChainPage(
  deps: PageDependencies,
  paths: SyncPaths,
  run: SyncRun,
  task: PageTask,
  waitForTurn: () => Promise<void>,
): Promise<{ page: FetchedPage; fetchedAhead: boolean }> {
  const key = aheadKey(task);
  const early = ahead.get(key);
  ahead.delete(key);
  if (early) {
    try {
      return { page: await early.page, fetchedAhead: true };
    } catch {
      // Fetched again below, with the task's own retries.
    }
  }
  await waitForTurn();
  return { page: await fetchNow(deps, paths, run, task), fetchedAhead: false };
}

async function fetchNow(deps: PageDependencies, paths: SyncPaths, run: SyncRun, task: PageTask): Promise<FetchedPage> {
  const kind = chainKind(task.chain);
  const root = propertyRoot(run.settings);
  const projection = root === 'customSchemas' ? ('full' as const) : ('basic' as const);
  try {
    return await withSession(deps, task.tenant, async (auth): Promise<FetchedPage> => {
      const startedAt = Date.now();
      if (kind.kind === 'group') {
        const groupId = rangeGroups(run.settings)[kind.index]?.id;
        if (!groupId) throw new AppError('internal', 'The run names a group its settings do not have.');
        const page = await fetchMembersPage(deps.config, auth, groupId, task.pageToken, deps.retry);
        const memberEmails = page.users.map((user) => user.email);
        return { kind: 'members', memberIds: page.userIds, memberEmails, everyone: page.everyone, next: page.nextPageToken, last: page.nextPageToken === undefined, startedAt };
      }
      if (kind.kind === 'members') {
        const { found, skipped, refused } = await lookUpUsers(deps, auth, task, run, paths, userFieldsMask(root), projection);
        let users = usersOf(found, false);
        if (run.settings.range === 'specific') users = await keepInCriteria(paths, task.runId, run.settings, users);
        return { kind: 'users', users, scanned: found.length, skipped, refused, next: undefined, last: task.last === true, startedAt };
      }
      const unit = kind.kind === 'orgUnit' ? rangeUnits(run.settings)[kind.index] : undefined;
      const page = await fetchUsersPage(deps.config, auth, {
        showDeleted: kind.kind === 'deleted',
        query: unit ? orgUnitQuery(unit.path) : undefined,
        pageToken: task.pageToken,
        fields: usersFieldsMask(root),
        projection,
      }, deps.retry);
      let users = usersOf(page.users, kind.kind === 'deleted');
      if (kind.kind === 'join') {
        const members = await memberIdsOf(paths, task.runId);
        if (!members.everyone) users = users.filter((user) => members.ids.has(user.id));
      }
      return { kind: 'users', users, scanned: page.users.length, skipped: [], refused: [], next: page.nextPageToken, last: page.nextPageToken === undefined, startedAt };
    });
  } catch (error) {
    // A listing refused as "Not Authorized" means the connecting admin may no longer read the directory.
    if (error instanceof DirectoryRefusal && error.forbidden) throw directoryAccessLost((await readIntegration(deps.db, task.tenant)).connectedBy?.googleEmail);
    const message = error instanceof DirectoryRefusal ? (refusedPageTokenMessage(task, error) ?? refusalMessage(run, kind, error)) : undefined;
    throw message ? new AppError('internal', message, { cause: error }) : error;
  }
}
