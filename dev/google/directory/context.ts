// What every Directory method handler receives.
import type { FixtureStore } from '../fixture/store.ts';
import type { Caller } from './auth.ts';
import type { ListingConditions } from './paging.ts';
import type { Query } from './params.ts';
import type { DirectoryPush } from './push/hub.ts';

/** The request as a handler sees it, after authentication. */
export interface HandlerContext {
  fixtures: FixtureStore;
  caller: Caller;
  query: Query;
  /** Decoded path parameters (userKey, groupKey, customerId). */
  params: Readonly<Record<string, string | undefined>>;
  /** The clock and quirks a listing is served under. */
  listing: ListingConditions;
  /** The JSON body of a POST (users.watch, channels.stop). */
  body: unknown;
  /** Push channels and their delivery. */
  push: DirectoryPush;
}
