// A Google Directory user becomes our DirectoryUser here, in one place: the sync compares our model, never raw
// API JSON, and only the fields it syncs.
import type { admin_directory_v1 } from '@googleapis/admin';

/** A user's status, most severe first: deleted › archived › suspended › active. */
export type UserStatus = 'deleted' | 'archived' | 'suspended' | 'active';

const SEVERITY: Record<UserStatus, number> = { active: 0, suspended: 1, archived: 2, deleted: 3 };

/** Whether `status` is at or above `threshold` in severity. */
export function isAtLeast(status: UserStatus, threshold: Exclude<UserStatus, 'active'>): boolean {
  return SEVERITY[status] >= SEVERITY[threshold];
}

/** The fields of an extension that come from Google. */
export interface SyncedFields {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly mobile: string;
  readonly jobTitle: string;
}

/** The user as the sync sees it. */
export interface DirectoryUser {
  readonly id: string;
  readonly primaryEmail: string;
  readonly orgUnitPath: string;
  readonly status: UserStatus;
  readonly fields: SyncedFields;
  /** The raw resource, kept only for evaluating a property path. */
  readonly resource: admin_directory_v1.Schema$User;
}

/** The most severe status that applies. */
export function statusOf(user: admin_directory_v1.Schema$User): UserStatus {
  if (user.deletionTime) return 'deleted';
  if (user.archived) return 'archived';
  if (user.suspended) return 'suspended';
  return 'active';
}

function mobileOf(user: admin_directory_v1.Schema$User): string {
  const phones = Array.isArray(user.phones) ? (user.phones as admin_directory_v1.Schema$UserPhone[]) : [];
  return phones.find((phone) => phone.type === 'mobile')?.value ?? '';
}

function jobTitleOf(user: admin_directory_v1.Schema$User): string {
  const organizations = Array.isArray(user.organizations)
    ? (user.organizations as admin_directory_v1.Schema$UserOrganization[])
    : [];
  return (organizations.find((organization) => organization.primary) ?? organizations[0])?.title ?? '';
}

/** Converts a Directory API user resource; undefined when it lacks an id or e-mail. */
export function toDirectoryUser(user: admin_directory_v1.Schema$User): DirectoryUser | undefined {
  if (!user.id || !user.primaryEmail) return undefined;
  return {
    id: user.id,
    primaryEmail: user.primaryEmail,
    orgUnitPath: user.orgUnitPath ?? '/',
    status: statusOf(user),
    fields: {
      firstName: user.name?.givenName ?? '',
      lastName: user.name?.familyName ?? '',
      email: user.primaryEmail.toLowerCase(),
      mobile: mobileOf(user),
      jobTitle: jobTitleOf(user),
    },
    resource: user,
  };
}

/** The users.get `fields` mask: what the sync reads, and the root of the property path. */
export function userFieldsMask(propertyRoot: string | undefined): string {
  const fields = [
    'id',
    'primaryEmail',
    'name(givenName,familyName)',
    'phones',
    'organizations',
    'orgUnitPath',
    'suspended',
    'archived',
    'deletionTime',
  ];
  if (propertyRoot && !fields.some((field) => field === propertyRoot || field.startsWith(`${propertyRoot}(`)))
    fields.push(propertyRoot);
  return fields.join(',');
}

/** The users.list `fields` mask: the users.get one for each user, and always nextPageToken. */
export function usersFieldsMask(propertyRoot: string | undefined): string {
  return `nextPageToken,users(${userFieldsMask(propertyRoot)})`;
}
