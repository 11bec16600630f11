// One users.list page, with Google's limits respected: 403 userRateLimitExceeded, 429 and 5xx are retried with
// exponential backoff and full jitter within a bounded budget. The googleapis client's own retries are off, as
// it would not retry the 403 and would not count attempts against our budget.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { OAuth2Client } from 'google-auth-library';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { newDirectoryClient } from '../google/clients.ts';
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

/** Fetches one page, retrying what Google asks to retry. */
export async function fetchUsersPage(
  config: AppConfig,
  auth: OAuth2Client,
  query: UsersQuery,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<UsersPage> {
  const directory = newDirectoryClient(config, auth);
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await directory.users.list({
        customer: 'my_customer',
        maxResults: 500,
        viewType: 'admin_view',
        projection: query.projection,
        fields: query.fields,
        ...(query.showDeleted && { showDeleted: 'true' }),
        ...(query.pageToken && { pageToken: query.pageToken }),
      });
      return { users: data.users ?? [], nextPageToken: data.nextPageToken ?? undefined, calls: attempt };
    } catch (error) {
      const status = (error as { response?: { status?: number } }).response?.status;
      if (status === 401) throw new ReauthorizationRequired('Google refused the access token');
      if (!isRetryable(error)) throw new AppError('internal', `The Directory API refused the listing (HTTP ${status})`, { cause: error });
      if (attempt >= policy.attempts) {
        throw new AppError('unavailable', `The Directory API kept failing after ${attempt} attempts (HTTP ${status ?? 'no response'})`, { cause: error });
      }
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.random() * ceiling);
    }
  }
}
