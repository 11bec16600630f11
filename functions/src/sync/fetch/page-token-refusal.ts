// A later page of a chain is asked for with the page token its predecessor got. Google keeps page tokens three days
// ("The page token is only valid for three days", the Directory API's Users.nextPageToken), and refuses an older or
// otherwise unusable one with 400 "Invalid Input". The page before it succeeded with the same query, so a 400 on a
// page that carries a token is about the token: typically a task redelivered late or republished from its
// dead-letter topic days after. The listing cannot go on from there, and starting it again inside this run could
// miss or double users: the run fails, deleting nothing, and says why.
import type { DirectoryRefusal } from '../../google/directory-api.ts';
import type { PageTask } from '../run/tasks.ts';

/** Why a refused call of a page task ends its run, when it was the page token that Google refused. */
export function refusedPageTokenMessage(task: PageTask, error: DirectoryRefusal): string | undefined {
  if (error.status !== 400 || task.pageToken === undefined) return undefined;
  return `Google no longer accepts the page token of page ${task.page + 1} of the ${task.chain} listing (page tokens last 3 days), so the listing could not be completed and nothing was deleted. Click Sync now to list again from the start.`;
}
