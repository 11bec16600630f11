// The Directory port: everything the product reads from a Google Workspace directory, in one small interface (in
// the spirit of Jackson's IDirectoryProvider). The sync, the range pickers, Specific Users and connect's own-user
// check read the directory through it only. Its Google adapter (google-directory.ts) owns the tenant's session and
// token refresh, the retries and backoff, and the translation of Google's errors into the coded errors of
// directory-errors.ts; unit tests use an in-memory fake (test/support/fake-directory.ts). Spacing calls to the
// tenant's query budget stays with the callers, which spread them over tasks: every answer counts its calls.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { OAuth2Client } from 'google-auth-library';
import type { DirectoryError } from './directory-errors.ts';

/** A Directory API user resource, with the fields its mask asked for. */
export type UserResource = admin_directory_v1.Schema$User;
/** A Directory API organizational unit. */
export type OrgUnitResource = admin_directory_v1.Schema$OrgUnit;
/** A Directory API group. */
export type GroupResource = admin_directory_v1.Schema$Group;

/** How a users.list listing is asked for. */
export interface UsersQuery {
  /** showDeleted=true, which lists only the deleted users. */
  readonly showDeleted: boolean;
  /** Lists this organizational unit with its whole subtree instead of the domain. */
  readonly orgUnitPath?: string;
  /** Lists only users who are neither suspended nor archived. */
  readonly activeOnly?: boolean;
  readonly pageToken: string | undefined;
  readonly fields: string;
  readonly projection: 'basic' | 'full';
}

/** One page of a listing. */
export interface UsersPage {
  readonly users: UserResource[];
  readonly nextPageToken: string | undefined;
  /** Directory calls made, retries included. */
  readonly calls: number;
  /** When the call was first sent, from which a chain spaces its next one. */
  readonly startedAt: number;
}

/** One members.list page: the user members, nested groups' members included. */
export interface MembersPage {
  readonly userIds: string[];
  /** The user members with the e-mail and status members.list gives (ACTIVE, SUSPENDED, ...). */
  readonly users: Array<{ readonly id: string; readonly email: string; readonly status: string }>;
  /** The group has the whole organisation as a member (a CUSTOMER member): every user of the domain is in it. */
  readonly everyone: boolean;
  readonly nextPageToken: string | undefined;
  readonly calls: number;
  readonly startedAt: number;
}

/** One groups.list page. */
export interface GroupsPage {
  readonly groups: GroupResource[];
  readonly nextPageToken: string | undefined;
}

/** Which fields of a user a lookup reads. */
export interface UserView {
  readonly fields: string;
  /** Google's default, basic, when not given. */
  readonly projection?: 'basic' | 'full';
}

/** What users.get says of a user. */
export type UserLookup =
  | { readonly kind: 'found'; readonly user: UserResource }
  /** 404: no account in this Workspace: a consumer (gmail) account or an address outside Google, or deleted. */
  | { readonly kind: 'absent' }
  /** 403 forbidden: an account of another Google Workspace, which this one's admin may not read. The same answer
   * comes when the caller lost its admin rights, so the caller must tell the two apart (directory-access.ts). */
  | { readonly kind: 'forbidden'; readonly refusal: DirectoryError };

/** The admin who connected the integration, as connect recorded them. */
export interface ConnectingAdmin {
  /** Their address, for messages. */
  readonly email: string | undefined;
  /** Their users.get key: the Google user id, which a renamed address keeps, or the address for a connection
   * recorded before ids were; undefined when connect recorded neither. */
  readonly userKey: string | undefined;
}

/** The reads of a directory with one grant. */
export interface DirectoryReader {
  /** users.list: one page. */
  listUsers(query: UsersQuery): Promise<UsersPage>;
  /** members.list of a group with derived membership: one page of its user members. */
  listMembers(groupId: string, pageToken: string | undefined): Promise<MembersPage>;
  /** users.get of a user (or a group member), telling another Workspace's account (403) and none (404) apart. */
  lookUpUser(userKey: string, view: UserView): Promise<UserLookup>;
  /** members.hasMember: whether a user is in a group, directly or through nested groups; false when Google has no
   * such group or user any more, undefined when Google cannot tell (it refuses nested memberships across domains). */
  hasMember(groupId: string, userKey: string): Promise<boolean | undefined>;
  /** orgunits.list of every unit; like Google, without the root. */
  listOrgUnits(): Promise<OrgUnitResource[]>;
  /** groups.list: one page. */
  listGroups(pageToken: string | undefined): Promise<GroupsPage>;
}

/** The users.watch events the product subscribes to. */
export type UserEvent = 'add' | 'update' | 'delete' | 'undelete';

/** A push channel to open: Google posts each change of the customer's users for one event to `address`. */
export interface ChannelRequest {
  /** Ours, at most 64 characters. */
  readonly id: string;
  /** Sent back with every notification, at most 256 characters. */
  readonly token: string;
  /** An HTTPS URL (locally, the stack's own loopback address). */
  readonly address: string;
  /** When we ask the channel to end, in ms since the epoch; Google may grant less. */
  readonly expiration: number;
}

/** A channel Google opened. */
export interface OpenedChannel {
  /** Google's id of the watched resource, needed to stop the channel. */
  readonly resourceId: string;
  /** When Google will end the channel, in ms since the epoch. */
  readonly expiration: number;
}

/** Push channels on a tenant's directory (users.watch and channels.stop). */
export interface DirectoryChannels {
  /** users.watch for one event of the customer's users. */
  watchUsers(event: UserEvent, channel: ChannelRequest): Promise<OpenedChannel>;
  /** channels.stop; a channel Google no longer knows is already stopped. */
  stopChannel(id: string, resourceId: string): Promise<void>;
}

/** A tenant's directory, read with the grant it stored at connect. */
export interface TenantDirectory extends DirectoryReader, DirectoryChannels {
  /** Who connected the integration. */
  connectingAdmin(): Promise<ConnectingAdmin>;
}

/** The Directory port, built once per instance by app.ts. */
export interface DirectoryProvider {
  /** A tenant's directory. Take one per task or request: it reads the tenant's session once, on its first call. */
  forTenant(tenantId: string): TenantDirectory;
  /** The directory as a grant just issued at connect reads it: no stored session, no refresh and no retries, so
   * that connect answers the admin at once. */
  forGrant(oauth: OAuth2Client): DirectoryReader;
}

/** The user a lookup found, or undefined when Google has no such user; a refusal (403) is thrown. */
export function foundUser(lookup: UserLookup): UserResource | undefined {
  if (lookup.kind === 'forbidden') throw lookup.refusal;
  return lookup.kind === 'found' ? lookup.user : undefined;
}
