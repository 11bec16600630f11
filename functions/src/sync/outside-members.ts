// Group members who are not users of this Workspace. Google lets a group hold a person of another Google Workspace
// (users.get answers 403 "Not Authorized to access this resource/api") and a consumer or non-Google address (404).
// Neither can have an extension here: each is skipped with a reason on the run's list, never fails the run and
// never counts as a removal. Google answers the same 403 when the connecting admin lost their admin rights, so a
// 403 is taken for "another Workspace" only once the admin is shown still to read the directory.
import type { OAuth2Client } from 'google-auth-library';
import { readIntegration } from '../connect/integration.ts';
import { AppError } from '../errors.ts';
import type { Problem } from './apply-page.ts';
import type { PageDependencies } from './dependencies.ts';
import { lookUpMember } from './directory-pages.ts';

/** The reason shown for a member of another Google Workspace. */
export const OTHER_WORKSPACE = 'member of another Google Workspace';
/** The reason shown for a member with no Google Workspace account. */
export const NO_WORKSPACE_ACCOUNT = 'no account in this Google Workspace (a personal Google account or an address outside Google)';

/** The failure of a run whose connecting admin can no longer read the directory. */
export function directoryAccessLost(admin: string | undefined): AppError {
  const who = admin ?? 'the account that connected';
  return new AppError(
    'internal',
    `Google Workspace no longer lets ${who} read the directory (403 Not Authorized to access this resource/api): it may no longer be a super administrator. Reconnect with a super administrator: click Reauthorize and sign in as one.`,
  );
}

/** Proves the connecting admin still reads the directory, by looking themselves up; fails the run otherwise. */
export async function confirmDirectoryAccess(deps: PageDependencies, auth: OAuth2Client, tenantId: string): Promise<void> {
  const admin = (await readIntegration(deps.db, tenantId)).connectedBy?.googleEmail;
  const self = admin ? await lookUpMember(deps.config, auth, admin, { fields: 'id', projection: 'basic' }, deps.retry) : undefined;
  if (self?.kind !== 'found') throw directoryAccessLost(admin);
}

/** A skipped member, for the run's list. */
export function skippedMember(userId: string, email: string | undefined, reason: string): Problem {
  return { userId, email: email ?? `Google user ${userId}`, reason };
}
