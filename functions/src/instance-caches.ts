// What a warm instance keeps between requests, in one object that app.ts builds once and passes in with the
// dependencies. Each is a cache or a local queue, never coordination: the work is correct on a cold instance, and
// every exactly-once effect goes through a Firestore transaction or precondition. Each is bounded.
import type { SessionCache } from './google/google-session.ts';
import type { FetchedPage } from './sync/fetch/fetch-page.ts';
import type { GroupMembers } from './sync/fetch/group-member-sets.ts';

/** A map that forgets its oldest entry (by first insertion) beyond `limit` entries. */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly #limit: number;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    if (this.size > this.#limit) this.delete(this.keys().next().value!);
    return this;
  }
}

/** A map whose entries are swept once older than `ttlMs`, whenever one is added; taking an entry removes it. */
export class ExpiringMap<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly at: number }>();
  readonly #ttlMs: number;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** Adds an entry, first forgetting the expired ones. */
  put(key: string, value: V, now = Date.now()): void {
    for (const [old, entry] of this.#entries) if (now - entry.at > this.#ttlMs) this.#entries.delete(old);
    this.#entries.set(key, { value, at: now });
  }

  /** Removes an entry and returns its value. */
  take(key: string): V | undefined {
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    return entry?.value;
  }
}

/** The process-wide caches of the functions. */
export interface InstanceCaches {
  /** Each tenant's Google session and access token (google/google-session.ts). */
  readonly sessions: SessionCache;
  /** Per numbering document, the last of this instance's number reservations, which go one after another
   * (sync/apply/number-allocator.ts); an entry goes when its reservation settles with none after it. */
  readonly reservations: Map<string, Promise<unknown>>;
  /** Pages fetched ahead of their task (sync/fetch/chain-fetch.ts); unused ones expire after two minutes. */
  readonly pagesAhead: ExpiringMap<Promise<FetchedPage>>;
  /** The member sets of the last 20 group runs this instance served (sync/fetch/group-member-sets.ts). */
  readonly memberSets: BoundedMap<string, Promise<GroupMembers>>;
  /** When this instance last marked each of the last 100 runs' progress (sync/run/run-control.ts). */
  readonly progressMarks: BoundedMap<string, number>;
}

/** Builds an instance's caches, empty. */
export function createInstanceCaches(): InstanceCaches {
  return {
    sessions: new Map(),
    reservations: new Map(),
    pagesAhead: new ExpiringMap(120_000),
    memberSets: new BoundedMap(20),
    progressMarks: new BoundedMap(100),
  };
}
