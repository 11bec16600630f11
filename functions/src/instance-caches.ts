// What a warm instance keeps between requests, in one object that app.ts builds once and passes in with the
// dependencies. Each is a cache or a local queue, never coordination: the work is correct on a cold instance, and
// every exactly-once effect goes through a Firestore transaction or precondition. Each is bounded.
import type { SessionCache } from './google/google-session.ts';
import type { ReservationQueue } from './sync/apply/number-allocator.ts';
import type { PageAhead } from './sync/fetch/chain-fetch.ts';
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

/** Runs at most `size` pieces of work at once; the others wait their turn, in order. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
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

  /** Whether an entry is there (expired or not). */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** How many unexpired entries have keys starting with `prefix`. */
  countStartingWith(prefix: string, now = Date.now()): number {
    let count = 0;
    for (const [key, entry] of this.#entries) if (key.startsWith(prefix) && now - entry.at <= this.#ttlMs) count++;
    return count;
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
  /** Per numbering document, this instance's number reservations waiting for the next transaction, which takes
   * them all (sync/apply/number-allocator.ts); an entry goes when its queue is empty. */
  readonly reservations: Map<string, ReservationQueue>;
  /** The last 100 runs' numberings that had no freed number left to hand out (sync/apply/number-allocator.ts). */
  readonly freedNumbersGone: BoundedMap<string, true>;
  /** Pages fetched ahead of their task (sync/fetch/chain-fetch.ts); unused ones expire after two minutes. */
  readonly pagesAhead: ExpiringMap<PageAhead>;
  /** The member sets of the last 20 group runs this instance served (sync/fetch/group-member-sets.ts). */
  readonly memberSets: BoundedMap<string, Promise<GroupMembers>>;
  /** When this instance last marked each of the last 100 runs' progress (sync/run/run-control.ts). */
  readonly progressMarks: BoundedMap<string, number>;
  /** The extension commits this instance has in flight (sync/apply/write-plan.ts): a few at a time keep the store
   * at its best rate and leave room for the short transactions every page waits on (its number reservation). */
  readonly commits: Slots;
}

/** Extension commits in flight per instance: the best of bench:sync's write floor on the emulator, and never
 * reached by a deployed page task, which runs one page (a few commits) per instance. */
const COMMITS_IN_FLIGHT = 16;

/** Builds an instance's caches, empty. */
export function createInstanceCaches(): InstanceCaches {
  return {
    sessions: new Map(),
    reservations: new Map(),
    freedNumbersGone: new BoundedMap(100),
    pagesAhead: new ExpiringMap(120_000),
    commits: new Slots(COMMITS_IN_FLIGHT),
    memberSets: new BoundedMap(20),
    progressMarks: new BoundedMap(100),
  };
}
