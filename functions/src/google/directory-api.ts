// The Directory API calls of the Google adapter, each with Google's limits respected: what Google asks to retry
// (403 rate limits, 429, 5xx, no answer) is retried with exponential backoff and full jitter within a bounded
// budget. The googleapis client's own retries are off, as it would not retry the 403 and would not count attempts
// against our budget. Whatever is not retried leaves here as a coded error (directory-errors.ts).
import { admin_directory_v1 } from '@googleapis/admin';
import type { OAuth2Client } from 'google-auth-library';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type {
  GroupsPage,
  MembersPage,
  OrgUnitResource,
  UserLookup,
  UsersPage,
  UsersQuery,
  UserView,
} from './directory.ts';
import { DirectoryError, refusalOf, type DirectoryRequest } from './directory-errors.ts';

/** The retry budget. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Six attempts, 0.5 s doubling to 8 s: under a minute in the worst case, well inside a task's deadline. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 8000 };

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Directory API client acting with `auth`. Retries are ours to own (403 rate limits are not retried by the
 * library). */
export function newDirectoryClient(config: AppConfig, auth: OAuth2Client): admin_directory_v1.Admin {
  return new admin_directory_v1.Admin({ rootUrl: config.google.directoryRootUrl, auth, retry: false });
}

/** Runs one Directory call with the retry budget; returns its result and the calls made. */
export async function withDirectoryRetry<T>(
  request: DirectoryRequest,
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: Sleep = realSleep,
): Promise<{ result: T; calls: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await call(), calls: attempt };
    } catch (error) {
      const refusal = refusalOf(error, request);
      if (refusal) throw refusal;
      if (attempt >= policy.attempts) {
        const status = (error as { response?: { status?: number } }).response?.status;
        throw new AppError(
          'unavailable',
          `The Directory API kept failing after ${attempt} attempts (HTTP ${status ?? 'no response'})`,
          { cause: error },
        );
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.random() * ceiling);
    }
  }
}

/** The users.list search query of an organizational unit's subtree. */
export function orgUnitQuery(path: string): string {
  return `orgUnitPath='${path.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

// users.list's search query: a unit's subtree, active users only, both, or none.
function searchQuery(query: UsersQuery): string {
  return [
    query.orgUnitPath !== undefined ? orgUnitQuery(query.orgUnitPath) : '',
    query.activeOnly ? 'isSuspended=false isArchived=false' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Fetches one users.list page, retrying what Google asks to retry. */
export async function fetchUsersPage(
  config: AppConfig,
  auth: OAuth2Client,
  query: UsersQuery,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: Sleep = realSleep,
): Promise<UsersPage> {
  const directory = newDirectoryClient(config, auth);
  const search = searchQuery(query);
  const startedAt = Date.now();
  const { result, calls } = await withDirectoryRetry(
    { what: 'the listing', pageToken: query.pageToken, orgUnitPath: query.orgUnitPath },
    () =>
      directory.users.list({
        customer: 'my_customer',
        maxResults: 500,
        viewType: 'admin_view',
        projection: query.projection,
        fields: query.fields,
        ...(query.showDeleted && { showDeleted: 'true' }),
        ...(search && { query: search }),
        ...(query.pageToken && { pageToken: query.pageToken }),
      }),
    policy,
    sleep,
  );
  return { users: result.data.users ?? [], nextPageToken: result.data.nextPageToken ?? undefined, calls, startedAt };
}

/** Fetches one members.list page of a group with derived membership (200 is Google's cap). */
export async function fetchMembersPage(
  config: AppConfig,
  auth: OAuth2Client,
  groupId: string,
  pageToken: string | undefined,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<MembersPage> {
  const directory = newDirectoryClient(config, auth);
  const startedAt = Date.now();
  const { result, calls } = await withDirectoryRetry(
    { what: 'the group membership listing', pageToken },
    () =>
      directory.members.list({
        groupKey: groupId,
        includeDerivedMembership: true,
        maxResults: 200,
        fields: 'nextPageToken,members(id,type,email,status)',
        ...(pageToken && { pageToken }),
      }),
    policy,
  );
  // Nested groups are listed too, and their members with them; only users become extensions.
  const members = result.data.members ?? [];
  const users = members
    .filter((member) => member.type === 'USER' && member.id)
    .map((member) => ({
      id: member.id!,
      email: (member.email ?? '').toLowerCase(),
      status: member.status ?? 'ACTIVE',
    }));
  return {
    userIds: users.map((user) => user.id),
    users,
    everyone: members.some((member) => member.type === 'CUSTOMER'),
    nextPageToken: result.data.nextPageToken ?? undefined,
    calls,
    startedAt,
  };
}

/** users.get, telling an account of another Workspace (403) and none at all (404) apart. */
export async function lookUpUser(
  config: AppConfig,
  auth: OAuth2Client,
  userKey: string,
  view: UserView,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<UserLookup> {
  const directory = newDirectoryClient(config, auth);
  try {
    const { result } = await withDirectoryRetry(
      { what: 'a user lookup' },
      () =>
        directory.users.get({
          userKey,
          viewType: 'admin_view',
          fields: view.fields,
          ...(view.projection && { projection: view.projection }),
        }),
      policy,
    );
    return { kind: 'found', user: result.data };
  } catch (error) {
    if (error instanceof DirectoryError && error.failure === 'not_found') return { kind: 'absent' };
    if (error instanceof DirectoryError && error.failure === 'forbidden') return { kind: 'forbidden', refusal: error };
    throw error;
  }
}

/** members.hasMember; see DirectoryReader.hasMember. */
export async function hasMember(
  config: AppConfig,
  auth: OAuth2Client,
  groupId: string,
  userKey: string,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<boolean | undefined> {
  const directory = newDirectoryClient(config, auth);
  try {
    const { result } = await withDirectoryRetry(
      { what: 'a group membership check' },
      () => directory.members.hasMember({ groupKey: groupId, memberKey: userKey }),
      policy,
    );
    return result.data.isMember === true;
  } catch (error) {
    if (error instanceof DirectoryError && error.failure === 'not_found') return false;
    if (error instanceof DirectoryError && error.failure === 'invalid_input') return undefined;
    throw error;
  }
}

/** orgunits.list of every unit. */
export async function listOrgUnits(
  config: AppConfig,
  auth: OAuth2Client,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<OrgUnitResource[]> {
  const directory = newDirectoryClient(config, auth);
  const { result } = await withDirectoryRetry(
    { what: 'the organizational units listing' },
    () =>
      directory.orgunits.list({
        customerId: 'my_customer',
        type: 'all',
        fields: 'organizationUnits(orgUnitId,orgUnitPath,name,parentOrgUnitId,parentOrgUnitPath)',
      }),
    policy,
  );
  return result.data.organizationUnits ?? [];
}

/** One groups.list page (200 is Google's cap). */
export async function fetchGroupsPage(
  config: AppConfig,
  auth: OAuth2Client,
  pageToken: string | undefined,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<GroupsPage> {
  const directory = newDirectoryClient(config, auth);
  const { result } = await withDirectoryRetry(
    { what: 'the groups listing', pageToken },
    () =>
      directory.groups.list({
        customer: 'my_customer',
        maxResults: 200,
        fields: 'nextPageToken,groups(id,email,name,directMembersCount)',
        ...(pageToken && { pageToken }),
      }),
    policy,
  );
  return { groups: result.data.groups ?? [], nextPageToken: result.data.nextPageToken ?? undefined };
}
