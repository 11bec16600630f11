// The sync side of Specific Users: which users a run fetches (those on the "synced list" the admin linked to an
// extension) and which of them are still in the "Search Criteria". Pending users are never fetched nor created.
import { isAtLeast, type DirectoryUser } from '../../google/directory-user.ts';
import type { GroupMembers } from './group-member-sets.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import type { SyncSettings } from '../settings/settings.ts';
import { isInUnits } from '../settings/sources.ts';

/** The selected users that are linked to an extension, sorted. A link of a user not (or no longer) selected is
 * not fetched: finalize finds it absent and releases or deletes it, as for a user who left any range. */
export async function assignedUserIds(paths: SyncPaths): Promise<string[]> {
  const [selected, links] = await Promise.all([paths.specificUsers.select().get(), paths.googleLinks.select().get()]);
  const linked = new Set(links.docs.map((link) => link.id));
  return selected.docs
    .map((user) => user.id)
    .filter((id) => linked.has(id))
    .sort();
}

/** The users still in a unit or group of the criteria, from the members the run's group chains listed. Status rules
 * come first: a user at or above the chosen status is kept, so that the planner deletes the extension whatever the
 * criteria say. */
export async function keepInCriteria(
  settings: SyncSettings,
  users: DirectoryUser[],
  groupMembers: () => Promise<GroupMembers>,
): Promise<DirectoryUser[]> {
  const members =
    settings.specific.groups.length > 0 ? await groupMembers() : { ids: new Set<string>(), everyone: false };
  return users.filter(
    (user) =>
      isAtLeast(user.status, settings.deleteWhen) ||
      members.everyone ||
      members.ids.has(user.id) ||
      isInUnits(user.orgUnitPath, settings.specific.orgUnits),
  );
}
