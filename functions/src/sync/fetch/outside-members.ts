// Group members who are not users of this Workspace. Google lets a group hold a person of another Google Workspace
// (users.get answers 403 "Not Authorized to access this resource/api") and a consumer or non-Google address (404).
// Neither can have an extension here: each is skipped with a reason on the run's list, never fails the run and
// never counts as a removal. Google answers the same 403 when the connecting admin lost their admin rights, so a
// 403 is taken for "another Workspace" only once the admin is shown still to read the directory
// (directory-access.ts).
import type { Problem } from '../apply/write-plan.ts';

/** The reason shown for a member of another Google Workspace. */
export const OTHER_WORKSPACE = 'member of another Google Workspace';
/** The reason shown for a member with no Google Workspace account. */
export const NO_WORKSPACE_ACCOUNT =
  'no account in this Google Workspace (a personal Google account or an address outside Google)';

/** A skipped member, for the run's list. */
export function skippedMember(userId: string, email: string | undefined, reason: string): Problem {
  return { userId, email: email || `Google user ${userId}`, reason };
}
