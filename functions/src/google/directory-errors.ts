// Google's Directory API errors, translated once, here, into coded errors: the rest of the product reads these
// codes, never an HTTP status or one of Google's reasons. What is worth retrying (403 rate limits, 429, 5xx, no
// answer) is told here too; directory-api.ts retries it within the budget.
import { AppError } from '../errors.ts';

/** What a refusal of the Directory API means. */
export type DirectoryFailure =
  /** 404: no such user, group or member. */
  | 'not_found'
  /** 400 "Invalid Input" on a request without a page token or a unit: a bad key, a nested membership across
   * domains (members.hasMember). */
  | 'invalid_input'
  /** 400 on a listing asked with a page token: Google keeps them three days ("The page token is only valid for three
   * days", Users.nextPageToken) and refuses an older or otherwise unusable one. The page before succeeded with the
   * same query, so such a 400 is about the token. */
  | 'expired_page_token'
  /** 400 on the first page of an organizational unit's listing: the unit is no more (removed or renamed). */
  | 'unknown_org_unit'
  /** 403 "Not Authorized to access this resource/api": the caller may not read what it asked for. */
  | 'forbidden'
  /** 403 insufficientPermissions, or a 403 naming no reason. */
  | 'insufficient_permissions'
  /** Any other refusal that retrying cannot change. */
  | 'refused';

/** A Directory API call Google refused for good (not retried). */
export class DirectoryError extends AppError {
  readonly failure: DirectoryFailure;
  readonly status: number | undefined;

  constructor(failure: DirectoryFailure, status: number | undefined, what: string, cause: unknown) {
    super('internal', `The Directory API refused ${what} (HTTP ${status})`, { cause });
    this.failure = failure;
    this.status = status;
  }
}

/** The stored grant is gone (or Google refused its access token twice): syncs stop, nothing is deleted, SSO keeps
 * working, and the page says what to do. A page asking Google answers 409 with what to click. */
export class ReauthorizationRequired extends AppError {
  /** What happened, as the integration records it. */
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super('conflict', 'Google Workspace needs reauthorization: click Reauthorize first.', options);
    this.reason = reason;
  }

  /** The failure a run records: what happened and what to do. */
  get runFailure(): string {
    return `Google Workspace needs reauthorization: ${this.reason.replace(/\.$/, '')}.`;
  }
}

/** The Admin SDK API is disabled in the tenant's Google Cloud project (Google answers 403 accessNotConfigured, with
 * ErrorInfo SERVICE_DISABLED in the details). It is no quota and no outage: the admin must enable the API (guide
 * Step 2); nothing retries. */
export class AdminApiDisabled extends AppError {
  constructor(cause: unknown) {
    const activationUrl = googleError(cause)?.details?.find((detail) => detail.metadata?.activationUrl)?.metadata
      ?.activationUrl;
    const where = activationUrl?.startsWith('https://console.developers.google.com/') ? ` (${activationUrl})` : '';
    super(
      'internal',
      `The Admin SDK API is not enabled in the Google Cloud project of your OAuth client. Enable it there${where} as in guide Step 2 ("enable the Admin SDK API"), wait a few minutes, then click Sync now.`,
      { cause },
    );
  }
}

/** What a call asked for: its words for messages, and the page token and unit it carried. */
export interface DirectoryRequest {
  readonly what: string;
  readonly pageToken?: string | undefined;
  readonly orgUnitPath?: string | undefined;
}

interface GoogleErrorBody {
  readonly errors?: ReadonlyArray<{ readonly reason?: string }>;
  readonly details?: ReadonlyArray<{
    readonly reason?: string;
    readonly metadata?: { readonly activationUrl?: string };
  }>;
}

interface GoogleResponse {
  readonly status?: number;
  readonly data?: { readonly error?: GoogleErrorBody };
}

function responseOf(error: unknown): GoogleResponse | undefined {
  return (error as { response?: GoogleResponse } | undefined)?.response;
}

function googleError(error: unknown): GoogleErrorBody | undefined {
  return responseOf(error)?.data?.error;
}

const RETRYABLE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded', 'backendError']);
const DISABLED_REASONS = new Set(['accessNotConfigured', 'SERVICE_DISABLED']);

function isApiDisabled(body: GoogleErrorBody | undefined): boolean {
  return Boolean(
    body?.errors?.some((item) => DISABLED_REASONS.has(item.reason ?? '')) ||
    body?.details?.some((detail) => DISABLED_REASONS.has(detail.reason ?? '')),
  );
}

function failureOf(status: number, reason: string | undefined, request: DirectoryRequest): DirectoryFailure {
  if (status === 404) return 'not_found';
  if (status === 400)
    return request.pageToken !== undefined
      ? 'expired_page_token'
      : request.orgUnitPath !== undefined
        ? 'unknown_org_unit'
        : 'invalid_input';
  if (status === 403 && reason === 'forbidden') return 'forbidden';
  if (status === 403 && (reason === 'insufficientPermissions' || reason === undefined))
    return 'insufficient_permissions';
  return 'refused';
}

/** What a failed Directory call means: a coded error, or undefined when Google asks to be asked again (a rate
 * limit, 429, 5xx, or no answer at all). A 401 is Google refusing the access token. */
export function refusalOf(error: unknown, request: DirectoryRequest): AppError | undefined {
  const response = responseOf(error);
  if (!response) return undefined;
  const status = response.status ?? 0;
  const body = response.data?.error;
  const reason = body?.errors?.[0]?.reason ?? body?.details?.find((detail) => detail.reason)?.reason;
  if (status === 401) return new ReauthorizationRequired('Google refused the access token', { cause: error });
  if (isApiDisabled(body)) return new AdminApiDisabled(error);
  if (status === 429 || status >= 500 || (status === 403 && RETRYABLE_REASONS.has(body?.errors?.[0]?.reason ?? '')))
    return undefined;
  return new DirectoryError(failureOf(status, reason, request), response.status, request.what, error);
}
