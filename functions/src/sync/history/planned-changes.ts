// History entries a page writes beside its record: the users it skipped or failed (a change it made is logged in the
// commit that made it), and, for a preview, every change it would make.
import type { DirectoryUser } from '../../google/directory-user.ts';
import type { Decision, PageState } from '../apply/plan-page.ts';
import type { Problem } from '../apply/write-plan.ts';
import { changedFields, changeEntry, type ChangeDetail, type ChangeEntry, type ChangedUser } from './change-entry.ts';

/** The users of a page by id, for the names an entry shows. */
export type PageUsers = ReadonlyMap<string, DirectoryUser>;

function whom(users: PageUsers, userId: string, email: string): ChangedUser {
  const user = users.get(userId);
  return { userId, email, firstName: user?.fields.firstName, lastName: user?.fields.lastName };
}

/** The entry of a user a page skipped, or could not write. */
export function problemEntry(users: PageUsers, problem: Problem): ChangeEntry {
  return changeEntry(whom(users, problem.userId, problem.email), {
    kind: problem.failed === true ? 'failed' : 'skipped',
    number: null,
    reason: problem.reason,
  });
}

/** What a preview's decision would change, or undefined for a user it leaves as is. */
function plannedDetail(decision: Decision, state: PageState): ChangeDetail | undefined {
  switch (decision.kind) {
    case 'create':
      return { kind: 'created', number: decision.number ?? null };
    case 'update':
      return {
        kind: 'updated',
        number: decision.number,
        fields: changedFields(state.extensions.get(decision.number), decision.state),
      };
    case 'renumber':
      return {
        kind: 'renumbered',
        number: decision.to,
        from: decision.from,
        fields: changedFields(state.extensions.get(decision.from), decision.state),
      };
    case 'associate':
      return { kind: 'associated', number: decision.number };
    case 'skip':
      return { kind: 'skipped', number: null, reason: decision.reason };
    case 'delete':
      return { kind: 'deleted', number: decision.number, reason: `user ${decision.status}` };
    default:
      return undefined;
  }
}

/** The entries of what a preview's page would change. */
export function plannedEntries(decisions: readonly Decision[], state: PageState, users: PageUsers): ChangeEntry[] {
  return decisions.flatMap((decision) => {
    const detail = plannedDetail(decision, state);
    if (!detail) return [];
    const user = users.get(decision.userId);
    const email =
      'state' in decision ? decision.state.email : 'email' in decision ? decision.email : (user?.primaryEmail ?? '');
    return [changeEntry(whom(users, decision.userId, email), detail)];
  });
}
