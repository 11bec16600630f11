// Page tokens: opaque, bound to the listing they came from (a token reused with another query is rejected
// like a garbled one, with Google's 400 "Invalid Input: <token>"),
// and keyed on the last item served rather than an offset, so a directory that changes between pages neither
// repeats nor skips the items that stayed. Each carries its issue time and is refused three days later: "The page
// token is only valid for three days" (the Directory API's description of Users.nextPageToken, in its discovery
// document and so in @googleapis/admin's Schema$Users); members and groups do not say, and get the same here.
import { createHash } from 'node:crypto';
import { expiredPageToken, invalidInput } from './errors.ts';

/** How long Google accepts a page token. */
export const PAGE_TOKEN_LIFETIME_MS = 3 * 24 * 3600 * 1000;

/** What a listing is served under: the stand-in's clock, and its paging quirks. */
export interface ListingConditions {
  /** Epoch milliseconds, by the stand-in's clock. */
  readonly now: number;
  /** The last page of a listing with items still carries a nextPageToken, to an empty page without one. Google's
   * pagination guidance lets a service return fewer items than asked, none included, before the end of a
   * collection, whose end only a missing token marks (AIP-158, google.aip.dev/158). */
  readonly trailingEmptyPage: boolean;
}

/** The sort key of an item: compared element by element. */
export type SortKey = readonly string[];

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const left = a[i] ?? '';
    const right = b[i] ?? '';
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

function fingerprint(binding: string): string {
  return createHash('sha256').update(binding).digest('base64url').slice(0, 22);
}

function encodeToken(binding: string, key: SortKey, issuedAt: number): string {
  return Buffer.from(JSON.stringify({ b: fingerprint(binding), k: key, t: issuedAt })).toString('base64url');
}

function decodeToken(token: string, binding: string, now: number): SortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidInput(token);
  }
  const candidate = parsed as { b?: unknown; k?: unknown; t?: unknown } | null;
  const key = candidate?.k;
  const issuedAt = candidate?.t;
  if (
    candidate?.b !== fingerprint(binding) ||
    !Array.isArray(key) ||
    !key.every((part) => typeof part === 'string') ||
    typeof issuedAt !== 'number'
  ) {
    throw invalidInput(token);
  }
  if (now - issuedAt > PAGE_TOKEN_LIFETIME_MS) throw expiredPageToken();
  return key;
}

/** What to list and how. */
export interface PageRequest<T> {
  /** The items, or how to find them: called only when the listing is not cached. */
  items: readonly T[] | (() => readonly T[]);
  keyOf: (item: T) => SortKey;
  descending?: boolean;
  maxResults: number;
  pageToken: string | undefined;
  /** Every parameter that defines the listing; a token is only valid for the same binding. */
  binding: string;
  /** The data the items come from: while it is the same object, the sorted listing of a binding is reused, so a
   * 100,000-user directory is not filtered and sorted again for each of its 200 pages. Served data is replaced,
   * never changed in place (FixtureStore.replace). */
  source?: object;
  conditions: ListingConditions;
}

const sortedListings = new WeakMap<object, Map<string, Array<{ item: unknown; key: SortKey }>>>();

function sortedListing<T>(request: PageRequest<T>, sign: number): Array<{ item: T; key: SortKey }> {
  const cached = request.source ? sortedListings.get(request.source)?.get(request.binding) : undefined;
  if (cached) return cached as Array<{ item: T; key: SortKey }>;
  const items = typeof request.items === 'function' ? request.items() : request.items;
  const keyed = items.map((item) => ({ item, key: request.keyOf(item) }));
  keyed.sort((a, b) => sign * compareKeys(a.key, b.key));
  if (request.source) {
    const bySource = sortedListings.get(request.source) ?? new Map<string, Array<{ item: unknown; key: SortKey }>>();
    bySource.set(request.binding, keyed);
    sortedListings.set(request.source, bySource);
  }
  return keyed;
}

// The index of the first entry after `key` in a sorted listing.
function firstAfter(keyed: ReadonlyArray<{ key: SortKey }>, key: SortKey, sign: number): number {
  let low = 0;
  let high = keyed.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sign * compareKeys(keyed[middle]!.key, key) > 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** One page of a listing and the token of the next, if any. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/** Sorts the items, skips to the token's position and cuts one page. */
export function paginate<T>(request: PageRequest<T>): Page<T> {
  const sign = request.descending ? -1 : 1;
  const keyed = sortedListing(request, sign);
  const { now, trailingEmptyPage } = request.conditions;
  const after = request.pageToken ? decodeToken(request.pageToken, request.binding, now) : undefined;
  const from = after ? firstAfter(keyed, after, sign) : 0;
  const page = keyed.slice(from, from + request.maxResults);
  const last = page[page.length - 1];
  const more = last !== undefined && (keyed.length > from + page.length || trailingEmptyPage);
  return {
    items: page.map((entry) => entry.item),
    ...(more ? { nextPageToken: encodeToken(request.binding, last.key, now) } : {}),
  };
}
