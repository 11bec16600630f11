// The members a run's group chains listed, as one set: read from their page records once per run and instance.
import type { BoundedMap } from '../../instance-caches.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { fieldPaths, readFields } from '../../platform/typed-documents.ts';
import { pageFields } from '../run/page-record.ts';

/** The users of a run's groups. */
export interface GroupMembers {
  readonly ids: ReadonlySet<string>;
  /** Each member's address as members.list gave it, to name the members that are skipped. */
  readonly emails: ReadonlyMap<string, string>;
  /** Some group has the whole organisation as a member. */
  readonly everyone: boolean;
}

/** The union of the user ids the group chains of a run listed. Each warm instance keeps the member set of the runs
 * it serves in `memberSets` (InstanceCaches): the join chain's pages then cost no read for it. */
export function memberIdsOf(
  memberSets: BoundedMap<string, Promise<GroupMembers>>,
  paths: SyncPaths,
  runId: string,
): Promise<GroupMembers> {
  const key = paths.run(runId).path;
  let members = memberSets.get(key);
  if (!members) {
    // What a group's page records of its members.
    const memberFields = pageFields.pick({ memberIds: true, memberEmails: true, everyone: true });
    members = paths
      .pages(runId)
      .where('kind', '==', 'members')
      .select(...fieldPaths(memberFields))
      .get()
      .then((snapshot) => {
        const pages = snapshot.docs.map((page) => readFields(page, memberFields));
        const emails = new Map<string, string>();
        for (const page of pages) {
          const addresses = page.memberEmails ?? [];
          (page.memberIds ?? []).forEach((id, at) => emails.set(id, addresses[at] ?? ''));
        }
        return { ids: new Set(emails.keys()), emails, everyone: pages.some((page) => page.everyone === true) };
      });
    members.catch(() => memberSets.delete(key));
    memberSets.set(key, members);
  }
  return members;
}
