// Why a page's refused Directory call ends its run, in the admin's words. The Directory port has told what Google's
// refusal means; here it is said with the run's own names: the unit or group picked, the page and its chain.
import { AppError } from '../../errors.ts';
import { directoryAccessLost } from '../../google/directory-access.ts';
import type { TenantDirectory } from '../../google/directory.ts';
import { DirectoryError } from '../../google/directory-errors.ts';
import type { SyncRun } from '../run/run.ts';
import type { PageTask } from '../run/tasks.ts';
import { chainKind, rangeGroups, rangeUnits } from '../settings/sources.ts';

// The listing cannot go on from an expired token (typically a task redelivered late, or republished from its
// dead-letter topic days after), and starting it again inside this run could miss or double users: the run fails,
// deleting nothing, and says why.
function expiredTokenMessage(task: PageTask): string {
  return `Google no longer accepts the page token of page ${task.page + 1} of the ${task.chain} listing (page tokens last 3 days), so the listing could not be completed and nothing was deleted. Click Sync now to list again from the start.`;
}

/** The error a page's failure ends its run with, when Google's refusal has a meaning for the admin; else the error. */
export async function pageFailure(
  error: unknown,
  directory: TenantDirectory,
  run: SyncRun,
  task: PageTask,
): Promise<unknown> {
  if (!(error instanceof DirectoryError)) return error;
  const kind = chainKind(task.chain);
  const because = (message: string) => new AppError('internal', message, { cause: error });
  switch (error.failure) {
    // A listing refused as "Not Authorized" means the connecting admin may no longer read the directory.
    case 'forbidden':
      return directoryAccessLost((await directory.connectingAdmin()).email);
    case 'expired_page_token':
      return because(expiredTokenMessage(task));
    // A picked unit or group Google no longer has was removed or renamed since it was picked.
    case 'unknown_org_unit':
      if (kind.kind !== 'orgUnit') return error;
      return because(
        `The organizational unit ${rangeUnits(run.settings)[kind.index]?.path} no longer exists in Google Workspace; pick the units again and click Save.`,
      );
    case 'not_found':
      if (kind.kind !== 'group') return error;
      return because(
        `The group ${rangeGroups(run.settings)[kind.index]?.email} no longer exists in Google Workspace; pick the groups again and click Save.`,
      );
    default:
      return error;
  }
}
