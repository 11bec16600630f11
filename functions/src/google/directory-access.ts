// Whether the admin who connected still reads the whole directory. Google answers a listing of an admin who lost
// their role with 403, and a delegated admin's listings with only the part their role covers: a sync must then
// remove nothing. The admin's own users.get tells: `isAdmin` is true only for a super administrator
// (https://developers.google.com/admin-sdk/directory/reference/rest/v1/users: "Indicates a user with super
// administrator privileges"), the only kind of admin whose listings are known to be complete.
import { AppError } from '../errors.ts';
import type { TenantDirectory } from './directory.ts';

const RECONNECT = 'Reconnect with a super administrator: click Reauthorize and sign in as one.';

/** The failure of a run whose connecting admin can no longer read the directory. */
export function directoryAccessLost(admin: string | undefined): AppError {
  const who = admin ?? 'the account that connected';
  return new AppError(
    'internal',
    `Google Workspace no longer lets ${who} read the directory (403 Not Authorized to access this resource/api): it may no longer be a super administrator. ${RECONNECT}`,
  );
}

function superAdminLost(admin: string | undefined): AppError {
  const who = admin ?? 'The account that connected';
  return new AppError(
    'internal',
    `${who} is no longer a super administrator of Google Workspace, so its listings may show only part of the directory; nothing was removed. ${RECONNECT}`,
  );
}

// The admin is looked up by their Google user id where connect recorded it: an address may have been renamed since.
async function lookUpAdmin(directory: TenantDirectory) {
  const { email, userKey } = await directory.connectingAdmin();
  const self = userKey ? await directory.lookUpUser(userKey, { fields: 'id,isAdmin', projection: 'basic' }) : undefined;
  return { admin: email, self };
}

/** Proves the connecting admin still reads the directory, by looking themselves up; fails the run otherwise. */
export async function confirmDirectoryAccess(directory: TenantDirectory): Promise<void> {
  const { admin, self } = await lookUpAdmin(directory);
  if (self?.kind !== 'found') throw directoryAccessLost(admin);
}

/** Proves the connecting admin is still a super administrator, whose listings are complete; before any removal. */
export async function requireSuperAdmin(directory: TenantDirectory): Promise<void> {
  const { admin, self } = await lookUpAdmin(directory);
  if (self?.kind !== 'found') throw directoryAccessLost(admin);
  if (self.user.isAdmin !== true) throw superAdminLost(admin);
}
