// Fetches one page of a chain, whatever the chain lists: a users.list page (the domain, its deleted users, a unit's
// subtree, or the domain joined with the groups' members), a members.list page of a group, or a batch of users.get
// of group members. Every call goes through the tenant's cached Google session and the retry budget.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { OAuth2Client } from 'google-auth-library';
import { AppError } from '../errors.ts';
import type { PageDependencies } from './dependencies.ts';
import { DirectoryRefusal, fetchMembersPage, fetchUsersPage, getUser } from './directory-pages.ts';
import { toDirectoryUser, userFieldsMask, usersFieldsMask, type DirectoryUser } from './directory-user.ts';
import { forgetSession, googleSession, ReauthorizationRequired } from './google-session.ts';
import { memberIdsOf } from './group-members.ts';
import type { SyncPaths } from './paths.ts';
import type { SyncRun } from './run.ts';
import { propertyRoot } from './settings.ts';
import { chainKind, type ChainKind } from './sources.ts';
import type { PageTask } from './tasks.ts';

/** A fetched page: users of the range, or (for a group chain) member ids; and where the chain goes on. */
export type FetchedPage =
  | { readonly kind: 'users'; readonly users: DirectoryUser[]; readonly scanned: number; readonly next: string | undefined; readonly last: boolean }
  | { readonly kind: 'members'; readonly memberIds: string[]; readonly everyone: boolean; readonly next: string | undefined; readonly last: boolean };

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
    return `The organizational unit ${run.settings.orgUnits[kind.index]?.path} no longer exists in Google Workspace; pick the units again and click Save.`;
  }
  if (kind.kind === 'group' && error.status === 404) {
    return `The group ${run.settings.groups[kind.index]?.email} no longer exists in Google Workspace; pick the groups again and click Save.`;
  }
  return undefined;
}

async function lookUpUsers(deps: PageDependencies, auth: OAuth2Client, ids: readonly string[], fields: string, projection: 'basic' | 'full') {
  const found: admin_directory_v1.Schema$User[] = [];
  for (let at = 0; at < ids.length; at += LOOKUP_CONCURRENCY) {
    const batch = ids.slice(at, at + LOOKUP_CONCURRENCY);
    const users = await Promise.all(batch.map((id) => getUser(deps.config, auth, id, { fields, projection }, deps.retry)));
    found.push(...users.filter((user): user is admin_directory_v1.Schema$User => user !== undefined));
  }
  return found;
}

function usersOf(resources: admin_directory_v1.Schema$User[], deleted: boolean): DirectoryUser[] {
  return resources
    .map(toDirectoryUser)
    .filter((user): user is DirectoryUser => user !== undefined)
    // Every user of the showDeleted listing is deleted, whatever fields Google filled in.
    .map((user) => (deleted ? { ...user, status: 'deleted' as const } : user));
}

/** Fetches the page a task names. */
export async function fetchChainPage(deps: PageDependencies, paths: SyncPaths, run: SyncRun, task: PageTask): Promise<FetchedPage> {
  const kind = chainKind(task.chain);
  const root = propertyRoot(run.settings);
  const projection = root === 'customSchemas' ? ('full' as const) : ('basic' as const);
  try {
    return await withSession(deps, task.tenant, async (auth): Promise<FetchedPage> => {
      if (kind.kind === 'group') {
        const groupId = run.settings.groups[kind.index]?.id;
        if (!groupId) throw new AppError('internal', 'The run names a group its settings do not have.');
        const page = await fetchMembersPage(deps.config, auth, groupId, task.pageToken, deps.retry);
        return { kind: 'members', memberIds: page.userIds, everyone: page.everyone, next: page.nextPageToken, last: page.nextPageToken === undefined };
      }
      if (kind.kind === 'members') {
        const users = await lookUpUsers(deps, auth, task.userIds ?? [], userFieldsMask(root), projection);
        return { kind: 'users', users: usersOf(users, false), scanned: users.length, next: undefined, last: task.last === true };
      }
      const unit = kind.kind === 'orgUnit' ? run.settings.orgUnits[kind.index] : undefined;
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
      return { kind: 'users', users, scanned: page.users.length, next: page.nextPageToken, last: page.nextPageToken === undefined };
    });
  } catch (error) {
    const message = error instanceof DirectoryRefusal ? refusalMessage(run, kind, error) : undefined;
    throw message ? new AppError('internal', message, { cause: error }) : error;
  }
}
