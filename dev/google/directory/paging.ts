// Page tokens: opaque, bound to the listing they came from (a token reused with another query is rejected
// like a garbled one, with Google's 400 "Invalid Input: <token>"),
// and keyed on the last item served rather than an offset, so a directory that changes between pages neither
// repeats nor skips the items that stayed.
import { createHash } from 'node:crypto';
import { invalidInput } from './errors.ts';

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

function encodeToken(binding: string, key: SortKey): string {
  return Buffer.from(JSON.stringify({ b: fingerprint(binding), k: key })).toString('base64url');
}

function decodeToken(token: string, binding: string): SortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidInput(token);
  }
  const candidate = parsed as { b?: unknown; k?: unknown } | null;
  const key = candidate?.k;
  if (candidate?.b !== fingerprint(binding) || !Array.isArray(key) || !key.every((part) => typeof part === 'string')) throw invalidInput(token);
  return key as string[];
}

/** What to list and how. */
export interface PageRequest<T> {
  items: readonly T[];
  keyOf: (item: T) => SortKey;
  descending?: boolean;
  maxResults: number;
  pageToken: string | undefined;
  /** Every parameter that defines the listing; a token is only valid for the same binding. */
  binding: string;
}

/** One page of a listing and the token of the next, if any. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/** Sorts the items, skips to the token's position and cuts one page. */
export function paginate<T>(request: PageRequest<T>): Page<T> {
  const sign = request.descending ? -1 : 1;
  const keyed = request.items.map((item) => ({ item, key: request.keyOf(item) }));
  keyed.sort((a, b) => sign * compareKeys(a.key, b.key));
  const after = request.pageToken ? decodeToken(request.pageToken, request.binding) : undefined;
  const rest = after ? keyed.filter((entry) => sign * compareKeys(entry.key, after) > 0) : keyed;
  const page = rest.slice(0, request.maxResults);
  const last = page[page.length - 1];
  const more = rest.length > page.length && last !== undefined;
  return { items: page.map((entry) => entry.item), ...(more ? { nextPageToken: encodeToken(request.binding, last.key) } : {}) };
}
