// One users.list page, with Google's limits respected: 403 userRateLimitExceeded, 429 and 5xx are retried with
// exponential backoff and full jitter within a bounded budget. The googleapis client's own retries are off, as
// it would not retry the 403 and would not count attempts against our budget.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { OAuth2Client } from 'google-auth-library';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { AdminApiDisabled, isApiDisabled } from './api-disabled.ts';
import { newDirectoryClient } from './clients.ts';
import { ReauthorizationRequired } from './google-session.ts';

/** One page of a listing. */
export interface UsersPage {
  readonly users: admin_directory_v1.Schema$User[];
  readonly nextPageToken: string | undefined;
  /** Directory calls made, retries included. */
  readonly calls: number;
}

/** How a listing is asked for. */
export interface UsersQuery {
  readonly showDeleted: boolean;
  /** A users.list search query, e.g. an orgUnitPath subtree. */
  readonly query?: string;
  readonly pageToken: string | undefined;
  readonly fields: string;
  readonly projection: 'basic' | 'full';
}

/** The retry budget. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Six attempts, 0.5 s doubling to 8 s: under a minute in the worst case, well inside a task's deadline. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 8000 };

const RETRYABLE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded', 'backendError']);

function isRetryable(error: unknown): boolean {
  const response = (error as { response?: { status?: number; data?: { error?: { errors?: Array<{ reason?: string }> } } } }).response;
  if (!response) return true;
  const status = response.status ?? 0;
  const reason = response.data?.error?.errors?.[0]?.reason ?? '';
  return status === 429 || status >= 500 || (status === 403 && RETRYABLE_REASONS.has(reason));
}

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Directory API call that Google refused for good (not retried): the HTTP status tells the caller what. */
export class DirectoryRefusal extends AppError {
  readonly status: number | undefined;
  /** Google's reason, e.g. `forbidden` or `notFound`. */
  readonly reason: string | undefined;

  constructor(status: number | undefined, what: string, cause: unknown) {
    super('internal', `The Directory API refused ${what} (HTTP ${status})`, { cause });
    this.status = status;
    this.reason = (cause as { response?: { data?: { error?: { errors?: Array<{ reason?: string }> } } } }).response?.data?.error?.errors?.[0]?.reason;
  }

  /** 403 "Not Authorized to access this resource/api": the caller may not read what it asked for. */
  get forbidden(): boolean {
    return this.status === 403 && this.reason === 'forbidden';
  }
}

/** Runs one Directory call with the retry budget; returns its result and the calls made. */
export async function withDirectoryRetry<T>(what: string, call: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, sleep: Sleep = realSleep): Promise<{ result: T; calls: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await call(), calls: attempt };
    } catch (error) {
      const status = (error as { response?: { status?: number } }).response?.status;
      if (status === 401) throw new ReauthorizationRequired('Google refused the access token');
      if (isApiDisabled(error)) throw new AdminApiDisabled(error);
      if (!isRetryable(error)) throw new DirectoryRefusal(status, what, error);
      if (attempt >= policy.attempts) {
        throw new AppError('unavailable', `The Directory API kept failing after ${attempt} attempts (HTTP ${status ?? 'no response'})`, { cause: error });
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.random() * ceiling);
    }
  }
}

/** Fetches one users.list page, retrying what Google asks to retry. */
export async function fetchUsersPage(config: AppConfig, auth: OAuth2Client, query: UsersQuery, policy: RetryPolicy = DEFAULT_RETRY, sleep: Sleep = realSleep): Promise<UsersPage> {
  const directory = newDirectoryClient(config, auth);
  const { result, calls } = await withDirectoryRetry(
    'the listing',
    () =>
      directory.users.list({
        customer: 'my_customer',
        maxResults: 500,
        viewType: 'admin_view',
        projection: query.projection,
        fields: query.fields,
        ...(query.showDeleted && { showDeleted: 'true' }),
        ...(query.query && { query: query.query }),
        ...(query.pageToken && { pageToken: query.pageToken }),
      }),
    policy,
    sleep,
  );
  return { users: result.data.users ?? [], nextPageToken: result.data.nextPageToken ?? undefined, calls };
}

/** One members.list page: the ids of the user members, nested groups' members included. */
export interface MembersPage {
  readonly userIds: string[];
  /** The user members with the e-mail and status members.list gives (ACTIVE, SUSPENDED, ...). */
  readonly users: Array<{ readonly id: string; readonly email: string; readonly status: string }>;
  /** The group has the whole organisation as a member (a CUSTOMER member): every user of the domain is in it. */
  readonly everyone: boolean;
  readonly nextPageToken: string | undefined;
  readonly calls: number;
}

/** Fetches one members.list page of a group with derived membership (200 is Google's cap). */
export async function fetchMembersPage(config: AppConfig, auth: OAuth2Client, groupId: string, pageToken: string | undefined, policy: RetryPolicy = DEFAULT_RETRY): Promise<MembersPage> {
  const directory = newDirectoryClient(config, auth);
  const { result, calls } = await withDirectoryRetry(
    'the group membership listing',
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
  const users = members.filter((member) => member.type === 'USER' && member.id).map((member) => ({ id: member.id!, email: (member.email ?? '').toLowerCase(), status: member.status ?? 'ACTIVE' }));
  return { userIds: users.map((user) => user.id), users, everyone: members.some((member) => member.type === 'CUSTOMER'), nextPageToken: result.data.nextPageToken ?? undefined, calls };
}

/** users.get of one user; undefined when Google has no such user in this Workspace (an outside member, or deleted). */
export async function getUser(config: AppConfig, auth: OAuth2Client, userId: string, query: Pick<UsersQuery, 'fields' | 'projection'>, policy: RetryPolicy = DEFAULT_RETRY): Promise<admin_directory_v1.Schema$User | undefined> {
  const found = await lookUpMember(config, auth, userId, query, policy);
  if (found.kind === 'forbidden') throw found.refusal;
  return found.kind === 'found' ? found.user : undefined;
}

/** What users.get says of a group member. */
export type MemberLookup =
  | { readonly kind: 'found'; readonly user: admin_directory_v1.Schema$User }
  /** 404: no account in this Workspace: a consumer (gmail) account or an address outside Google, or deleted. */
  | { readonly kind: 'absent' }
  /** 403 forbidden: an account of another Google Workspace, which this one's admin may not read. The same answer
   * comes when the caller lost its admin rights, so the caller must tell the two apart. */
  | { readonly kind: 'forbidden'; readonly refusal: DirectoryRefusal };

/** users.get of a group member, telling an account of another Workspace (403) and none at all (404) apart. */
export async function lookUpMember(config: AppConfig, auth: OAuth2Client, userId: string, query: Pick<UsersQuery, 'fields' | 'projection'>, policy: RetryPolicy = DEFAULT_RETRY): Promise<MemberLookup> {
  const directory = newDirectoryClient(config, auth);
  try {
    const { result } = await withDirectoryRetry('a user lookup', () => directory.users.get({ userKey: userId, viewType: 'admin_view', projection: query.projection, fields: query.fields }), policy);
    return { kind: 'found', user: result.data };
  } catch (error) {
    if (error instanceof DirectoryRefusal && error.status === 404) return { kind: 'absent' };
    if (error instanceof DirectoryRefusal && error.forbidden) return { kind: 'forbidden', refusal: error };
    throw error;
  }
}

/** members.hasMember: whether a user is in a group, directly or through nested groups; false when Google has no
 * such group or user any more, undefined when Google cannot tell (it refuses nested memberships across domains). */
export async function isGroupMember(config: AppConfig, auth: OAuth2Client, groupId: string, userId: string, policy: RetryPolicy = DEFAULT_RETRY): Promise<boolean | undefined> {
  const directory = newDirectoryClient(config, auth);
  try {
    const { result } = await withDirectoryRetry('a group membership check', () => directory.members.hasMember({ groupKey: groupId, memberKey: userId }), policy);
    return result.data.isMember === true;
  } catch (error) {
    if (error instanceof DirectoryRefusal && error.status === 404) return false;
    if (error instanceof DirectoryRefusal && error.status === 400) return undefined;
    throw error;
  }
}
