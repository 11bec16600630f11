// The extension document, `tenants/{t}/extensions/{number}`. Other services read it, so its shape is kept.
import type { SyncedFields, UserStatus } from '../google/directory-user.ts';

/** The Google side of a Google-managed extension. */
export interface GoogleLink {
  readonly userId: string;
  readonly primaryEmail: string;
  readonly orgUnitPath: string;
  readonly status: UserStatus;
}

/** An extension as stored. */
export interface Extension extends SyncedFields {
  readonly number: string;
  readonly source: 'google' | 'local';
  readonly google?: GoogleLink;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

/** The fields the sync owns on a Google-managed extension; only these are compared and written. */
export interface ManagedState extends SyncedFields {
  readonly google: GoogleLink;
}

/** Whether the stored extension already holds exactly the managed state, so it need not be written. */
export function holdsManagedState(extension: Extension, state: ManagedState): boolean {
  const { google } = extension;
  return (
    extension.source === 'google' &&
    extension.firstName === state.firstName &&
    extension.lastName === state.lastName &&
    extension.email === state.email &&
    extension.mobile === state.mobile &&
    extension.jobTitle === state.jobTitle &&
    google?.userId === state.google.userId &&
    google.primaryEmail === state.google.primaryEmail &&
    google.orgUnitPath === state.google.orgUnitPath &&
    google.status === state.google.status
  );
}
