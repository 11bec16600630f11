// Fetches one page of a chain from the tenant's directory, whatever the chain lists: a users.list page (the domain,
// its deleted users, a unit's subtree, or the domain joined with the groups' members), a members.list page of a
// group, or a batch of users.get of group members. It needs the Directory port and the members the run's group
// chains listed, nothing else, so that unit tests can give it fakes of both.
import type { Problem } from '../apply/write-plan.ts';
import { confirmDirectoryAccess } from '../../google/directory-access.ts';
import type { TenantDirectory, UserResource } from '../../google/directory.ts';
import { toDirectoryUser, userFieldsMask, usersFieldsMask, type DirectoryUser } from '../../google/directory-user.ts';
import { AppError } from '../../errors.ts';
import type { GroupMembers } from './group-member-sets.ts';
import { NO_WORKSPACE_ACCOUNT, OTHER_WORKSPACE, skippedMember } from './outside-members.ts';
import { pageFailure } from './page-failure.ts';
import type { SyncRun } from '../run/run.ts';
import type { PageTask } from '../run/tasks.ts';
import { propertyRoot } from '../settings/settings.ts';
import { keepInCriteria } from './specific-range.ts';
import { chainKind, rangeGroups, rangeUnits } from '../settings/sources.ts';

/** A fetched page: users of the range, or (for a group chain) member ids; where the chain goes on; and when its
 * Directory call started, from which the chain's next call is spaced. */
export type FetchedPage =
  /** `skipped`: members looked up who are no users of this Workspace; `refused`: the ids of those Google refused to
   * show, which count as seen. */
  (
    | {
        readonly kind: 'users';
        readonly users: DirectoryUser[];
        readonly scanned: number;
        readonly skipped: Problem[];
        readonly refused: string[];
      }
    | {
        readonly kind: 'members';
        readonly memberIds: string[];
        readonly memberEmails: string[];
        readonly everyone: boolean;
      }
  ) & { readonly next: string | undefined; readonly last: boolean; readonly startedAt: number };

/** Where a page comes from. */
export interface PageSource {
  readonly directory: TenantDirectory;
  /** The members the run's group chains listed. */
  readonly groupMembers: () => Promise<GroupMembers>;
}

/** How many users.get calls of a 'members' page run at once. */
const LOOKUP_CONCURRENCY = 5;

// users.get of each member, a few at a time. Members who are no users of this Workspace are skipped with a reason;
// a 403 counts as "another Workspace" only once the admin is shown still to read the directory. A member Google
// refused to show (403) counts as seen, so no removal rests on a refusal; one it does not have (404) is absent, as
// a deleted user is: finalize removes it if it was linked, once users.get confirms it gone. An assigned Specific
// User is the Workspace's own, so its 404 means deleted and is not listed as skipped.
async function lookUpUsers(
  source: PageSource,
  task: PageTask,
  run: SyncRun,
  fields: string,
  projection: 'basic' | 'full',
) {
  const ids = task.userIds ?? [];
  const found: UserResource[] = [];
  const refused: string[] = [];
  const absent: string[] = [];
  for (let at = 0; at < ids.length; at += LOOKUP_CONCURRENCY) {
    const batch = ids.slice(at, at + LOOKUP_CONCURRENCY);
    const lookups = await Promise.all(batch.map((id) => source.directory.lookUpUser(id, { fields, projection })));
    lookups.forEach((lookup, index) => {
      if (lookup.kind === 'found') found.push(lookup.user);
      else (lookup.kind === 'forbidden' ? refused : absent).push(batch[index]!);
    });
  }
  if (refused.length > 0) await confirmDirectoryAccess(source.directory);
  const listedAbsent = run.settings.range === 'specific' ? [] : absent;
  const emails =
    refused.length + listedAbsent.length > 0 ? (await source.groupMembers()).emails : new Map<string, string>();
  const skipped = [
    ...refused.map((id) => skippedMember(id, emails.get(id), OTHER_WORKSPACE)),
    ...listedAbsent.map((id) => skippedMember(id, emails.get(id), NO_WORKSPACE_ACCOUNT)),
  ];
  return { found, skipped, refused };
}

function usersOf(resources: UserResource[], deleted: boolean): DirectoryUser[] {
  return (
    resources
      .map(toDirectoryUser)
      .filter((user): user is DirectoryUser => user !== undefined)
      // Every user of the showDeleted listing is deleted, whatever fields Google filled in.
      .map((user) => (deleted ? { ...user, status: 'deleted' as const } : user))
  );
}

async function fetchFrom(source: PageSource, run: SyncRun, task: PageTask): Promise<FetchedPage> {
  const kind = chainKind(task.chain);
  const root = propertyRoot(run.settings);
  const projection = root === 'customSchemas' ? ('full' as const) : ('basic' as const);
  if (kind.kind === 'group') {
    const groupId = rangeGroups(run.settings)[kind.index]?.id;
    if (!groupId) throw new AppError('internal', 'The run names a group its settings do not have.');
    const page = await source.directory.listMembers(groupId, task.pageToken);
    const memberEmails = page.users.map((user) => user.email);
    return {
      kind: 'members',
      memberIds: page.userIds,
      memberEmails,
      everyone: page.everyone,
      next: page.nextPageToken,
      last: page.nextPageToken === undefined,
      startedAt: page.startedAt,
    };
  }
  if (kind.kind === 'members') {
    // Lookups end their chain: nothing is spaced from them.
    const startedAt = Date.now();
    const { found, skipped, refused } = await lookUpUsers(source, task, run, userFieldsMask(root), projection);
    let users = usersOf(found, false);
    if (run.settings.range === 'specific') users = await keepInCriteria(run.settings, users, source.groupMembers);
    return {
      kind: 'users',
      users,
      scanned: found.length,
      skipped,
      refused,
      next: undefined,
      last: task.last === true,
      startedAt,
    };
  }
  const unit = kind.kind === 'orgUnit' ? rangeUnits(run.settings)[kind.index] : undefined;
  const page = await source.directory.listUsers({
    showDeleted: kind.kind === 'deleted',
    ...(unit && { orgUnitPath: unit.path }),
    pageToken: task.pageToken,
    fields: usersFieldsMask(root),
    projection,
  });
  let users = usersOf(page.users, kind.kind === 'deleted');
  if (kind.kind === 'join') {
    const members = await source.groupMembers();
    if (!members.everyone) users = users.filter((user) => members.ids.has(user.id));
  }
  return {
    kind: 'users',
    users,
    scanned: page.users.length,
    skipped: [],
    refused: [],
    next: page.nextPageToken,
    last: page.nextPageToken === undefined,
    startedAt: page.startedAt,
  };
}

/** Fetches the page a task names; a refusal that means something to the admin fails the run with their words. */
export async function fetchPage(source: PageSource, run: SyncRun, task: PageTask): Promise<FetchedPage> {
  try {
    return await fetchFrom(source, run, task);
  } catch (error) {
    throw await pageFailure(error, source.directory, run, task);
  }
}
