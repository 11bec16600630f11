// Field names of the Directory resources and list responses, used to reject `fields` selections of fields
// that do not exist. Names below the first level of a resource are not checked.
import type { FieldShape } from './fields.ts';

function leaves(names: readonly string[]): FieldShape {
  return Object.fromEntries(names.map((name) => [name, true as const]));
}

const USER: FieldShape = leaves([
  'addresses',
  'agreedToTerms',
  'aliases',
  'archivalTime',
  'archived',
  'changePasswordAtNextLogin',
  'creationTime',
  'customSchemas',
  'customerId',
  'deletionTime',
  'emails',
  'etag',
  'externalIds',
  'gender',
  'guestAccountInfo',
  'hashFunction',
  'id',
  'ims',
  'includeInGlobalAddressList',
  'ipWhitelisted',
  'isAdmin',
  'isDelegatedAdmin',
  'isEnforcedIn2Sv',
  'isEnrolledIn2Sv',
  'isGuestUser',
  'isMailboxSetup',
  'keywords',
  'kind',
  'languages',
  'lastLoginTime',
  'locations',
  'name',
  'nonEditableAliases',
  'notes',
  'orgUnitPath',
  'organizations',
  'password',
  'phones',
  'posixAccounts',
  'primaryEmail',
  'recoveryEmail',
  'recoveryPhone',
  'relations',
  'sshPublicKeys',
  'suspended',
  'suspensionReason',
  'thumbnailPhotoEtag',
  'thumbnailPhotoUrl',
  'websites',
]);

const GROUP: FieldShape = leaves([
  'adminCreated',
  'aliases',
  'description',
  'directMembersCount',
  'email',
  'etag',
  'externalIds',
  'id',
  'kind',
  'name',
  'nonEditableAliases',
]);

const MEMBER: FieldShape = leaves(['delivery_settings', 'email', 'etag', 'id', 'kind', 'role', 'status', 'type']);

const ORG_UNIT: FieldShape = leaves([
  'blockInheritance',
  'description',
  'etag',
  'kind',
  'name',
  'orgUnitId',
  'orgUnitPath',
  'parentOrgUnitId',
  'parentOrgUnitPath',
]);

/** A users.get response. */
export const USER_SHAPE = USER;
/** A users.list response. */
export const USERS_SHAPE: FieldShape = {
  kind: true,
  etag: true,
  nextPageToken: true,
  trigger_event: true,
  users: USER,
};
/** A groups.list response. */
export const GROUPS_SHAPE: FieldShape = { kind: true, etag: true, nextPageToken: true, groups: GROUP };
/** A members.list response. */
export const MEMBERS_SHAPE: FieldShape = { kind: true, etag: true, nextPageToken: true, members: MEMBER };
/** A members.hasMember response. */
export const HAS_MEMBER_SHAPE: FieldShape = { isMember: true };
/** An orgunits.list response. */
export const ORG_UNITS_SHAPE: FieldShape = { kind: true, etag: true, organizationUnits: ORG_UNIT };

export const CHANNEL_SHAPE: FieldShape = {
  kind: true,
  id: true,
  resourceId: true,
  resourceUri: true,
  token: true,
  expiration: true,
};
