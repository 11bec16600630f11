// The shapes the Specific Users API returns, in a module without imports so that the page can share them.

/** A user "Search Users" offers. */
export interface FoundUser {
  readonly id: string;
  readonly name: string;
  readonly primaryEmail: string;
  readonly orgUnitPath: string;
}

/** A user on the synced list; `number` is null while pending, `suggested` is the auto-associate pre-assignment. */
export interface SyncedListUser {
  readonly userId: string;
  readonly name: string;
  readonly primaryEmail: string;
  readonly orgUnitPath: string;
  readonly number: string | null;
  readonly suggested: string | null;
}

/** An extension the list offers: local, so not linked to anyone. */
export interface OfferedExtension {
  readonly number: string;
  readonly name: string;
  readonly email: string;
}
