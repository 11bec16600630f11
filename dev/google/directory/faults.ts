// Injected failures and latency for the Directory stand-in, the conditions its listings are served under (its clock,
// which tests move forward to age page tokens, and paging quirks), and per-method call counters that benchmarks read
// to count Directory calls.
import { googleError, serviceUnavailable, type DirectoryError } from './errors.ts';
import type { ListingConditions } from './paging.ts';

/** The Directory methods the stand-in serves, named like Google's method ids. */
export const DIRECTORY_METHODS = [
  'users.list',
  'users.get',
  'groups.list',
  'members.list',
  'members.hasMember',
  'orgunits.list',
  'users.watch',
  'channels.stop',
] as const;

/** One Directory method served by the stand-in. */
export type DirectoryMethod = (typeof DIRECTORY_METHODS)[number];

/** Statuses a fault may answer with. */
export type FaultStatus = 403 | 429 | 500 | 503;

/** A queued failure: the next `times` calls (of `method`, or of any method) fail with `status`. */
export interface FaultSpec {
  method?: DirectoryMethod;
  status: FaultStatus;
  /** Overrides the default reason of the status (userRateLimitExceeded, rateLimitExceeded, backendError);
   * `accessNotConfigured` (with 403) answers as Google does when the caller's project has not enabled the API. */
  reason?: string;
  times: number;
  /** Only calls that carry a pageToken: a failure in the middle of a listing, not at its start. */
  onlyPaged?: boolean;
  /** Instead of an error, answer normally but with nextPageToken set to the request's own pageToken (a loop). */
  effect?: 'error' | 'repeat-page-token';
}

/** What a call meets: an error to answer with, a page token to repeat, or the Admin SDK API disabled in the
 * caller's project (answered once the caller, and so its project, is known). */
export type Fault =
  { readonly error: DirectoryError } | { readonly repeatPageToken: true } | { readonly apiDisabled: true };

/** Call counters since the last reset. */
export interface DirectoryStats {
  total: number;
  byMethod: Record<DirectoryMethod, number>;
  /** Calls answered by an injected fault. */
  faultsServed: number;
}

const DEFAULT_REASON: Readonly<Record<FaultStatus, string>> = {
  403: 'userRateLimitExceeded',
  429: 'rateLimitExceeded',
  500: 'backendError',
  503: 'backendError',
};

// Messages and error domains Google pairs with each reason. The 429's "Rate Limit Exceeded" is assumed: no
// published Directory API 429 body was found, so it takes the wording of Google's other rate-limit reasons.
const REASONS: Readonly<Record<string, { message: string; domain: string }>> = {
  userRateLimitExceeded: { message: 'Rate Limit Exceeded', domain: 'usageLimits' },
  rateLimitExceeded: { message: 'Rate Limit Exceeded', domain: 'usageLimits' },
  quotaExceeded: { message: 'Quota exceeded for quota group and limit.', domain: 'usageLimits' },
  dailyLimitExceeded: { message: 'Daily Limit Exceeded', domain: 'usageLimits' },
  forbidden: { message: 'Not Authorized to access this resource/api', domain: 'global' },
  domainCannotUseApis: { message: 'Domain cannot use apis.', domain: 'global' },
};

function faultError(spec: FaultSpec): DirectoryError {
  const reason = spec.reason ?? DEFAULT_REASON[spec.status];
  const known = REASONS[reason];
  if (known) return googleError(spec.status, known.message, reason, { domain: known.domain });
  if (spec.status === 503 && reason === 'backendError') return serviceUnavailable();
  if (spec.status === 503) return googleError(503, 'Service unavailable. Please try again', reason);
  if (spec.status === 500) return googleError(500, 'Backend Error', reason);
  return googleError(spec.status, 'Rate Limit Exceeded', reason, { domain: 'usageLimits' });
}

function zeroCounts(): Record<DirectoryMethod, number> {
  return Object.fromEntries(DIRECTORY_METHODS.map((method) => [method, 0])) as Record<DirectoryMethod, number>;
}

/** Queue of injected errors, added latency and call counters; shared by the API and its control routes. */
export class DirectoryFaults {
  #queue: { spec: FaultSpec; remaining: number }[] = [];
  #latency: { all: number; byMethod: Map<DirectoryMethod, number> } = { all: 0, byMethod: new Map() };
  #calls = zeroCounts();
  #faultsServed = 0;
  #clockOffsetMs = 0;
  #trailingEmptyPage = false;

  /** Queues a failure for the next `times` matching calls, after any queued before it. */
  inject(spec: FaultSpec): void {
    if (!Number.isInteger(spec.times) || spec.times < 1) throw new RangeError('times must be a positive integer');
    this.#queue.push({ spec: { ...spec }, remaining: spec.times });
  }

  /** Delays every call (or only calls of `method`, which then ignores the all-methods latency) by `ms`. */
  setLatency(ms: number, method?: DirectoryMethod): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('latency must be a non-negative number of milliseconds');
    if (method) this.#latency.byMethod.set(method, ms);
    else this.#latency.all = ms;
  }

  /** The latency a call of `method` gets. */
  latencyFor(method: DirectoryMethod): number {
    return this.#latency.byMethod.get(method) ?? this.#latency.all;
  }

  /** Counts a call of `method`. */
  recordCall(method: DirectoryMethod): void {
    this.#calls[method]++;
  }

  /** Moves the stand-in's clock forward by `ms`: page tokens issued before then age by as much. */
  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError('the clock only moves forward, by a non-negative number of milliseconds');
    this.#clockOffsetMs += ms;
  }

  /** The stand-in's time, in epoch milliseconds. */
  now(): number {
    return Date.now() + this.#clockOffsetMs;
  }

  /** Makes the last page of every listing with items carry a nextPageToken, whose page is then empty and has none. */
  setTrailingEmptyPage(on: boolean): void {
    this.#trailingEmptyPage = on;
  }

  /** What listings are served under now. */
  listingConditions(): ListingConditions {
    return { now: this.now(), trailingEmptyPage: this.#trailingEmptyPage };
  }

  /** The next queued fault matching a call, consuming one of its times. */
  takeFault(method: DirectoryMethod, paged = false): Fault | undefined {
    const entry = this.#queue.find(
      (queued) =>
        (queued.spec.method === undefined || queued.spec.method === method) && (!queued.spec.onlyPaged || paged),
    );
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining === 0) this.#queue.splice(this.#queue.indexOf(entry), 1);
    this.#faultsServed++;
    if (entry.spec.effect === 'repeat-page-token') return { repeatPageToken: true };
    if (entry.spec.status === 403 && entry.spec.reason === 'accessNotConfigured') return { apiDisabled: true };
    return { error: faultError(entry.spec) };
  }

  /** Faults still queued, with how many times each will still fire. */
  pending(): FaultSpec[] {
    return this.#queue.map((entry) => ({ ...entry.spec, times: entry.remaining }));
  }

  /** Clears queued faults, latency, counters, the clock's advance and the quirks. */
  reset(): void {
    this.#queue = [];
    this.#latency = { all: 0, byMethod: new Map() };
    this.#clockOffsetMs = 0;
    this.#trailingEmptyPage = false;
    this.resetStats();
  }

  /** Clears only the counters. */
  resetStats(): void {
    this.#calls = zeroCounts();
    this.#faultsServed = 0;
  }

  /** Call counters since the last reset. */
  stats(): DirectoryStats {
    const byMethod = { ...this.#calls };
    const total = Object.values(byMethod).reduce((sum, count) => sum + count, 0);
    return { total, byMethod, faultsServed: this.#faultsServed };
  }
}
