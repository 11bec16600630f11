// Group ranges in two steps. First one chain per group lists its members (ids only: members.list does not return
// user resources). Once every group is listed, one user chain fetches the members' accounts with the fewest
// Directory calls (SPEC §5.1): users.get per member when the groups are small, or the domain listing (500 users a
// call) keeping only members when they are large. A user in several groups is fetched and counted once.
import { TOPICS } from '../../catalog.ts';
import { LeaseHeld } from '../../errors.ts';
import type { PageDependencies } from '../run/dependencies.ts';
import type { SyncPaths } from '../../tenants/paths.ts';
import { readFields } from '../../platform/typed-documents.ts';
import { claimStep } from '../run/run-control.ts';
import { syncStateFields } from '../run/sync-state.ts';
import type { SyncRun } from '../run/run.ts';
import { memberIdsOf, type GroupMembers } from './group-member-sets.ts';
import { assignedUserIds } from './specific-range.ts';
import type { PageTask } from '../run/tasks.ts';

/** users.get lookups per 'members' page. */
export const LOOKUPS_PER_PAGE = 50;
/** Users per users.list page. */
const USERS_PER_LIST_PAGE = 500;
/** Without a known domain size, member counts up to this use users.get: at worst as many calls as listing a
 * 50,000-user domain. */
const LOOKUPS_WITHOUT_DOMAIN_SIZE = 100;

const domainSizeFields = syncStateFields.pick({ domainUsers: true });

/** How a group run fetches its members' accounts. */
export type UserChain = 'join' | 'members';

/** Picks the strategy with the fewer calls; the domain size is the last complete listing's, when known. A group
 * with the whole organisation as a member needs the domain listing anyway. */
export function chooseUserChain(
  members: Pick<GroupMembers, 'ids' | 'everyone'>,
  knownDomainUsers: number | undefined,
): UserChain {
  if (members.everyone) return 'join';
  return chooseByCount(members.ids.size, knownDomainUsers);
}

function chooseByCount(members: number, knownDomainUsers: number | undefined): UserChain {
  if (knownDomainUsers === undefined) return members <= LOOKUPS_WITHOUT_DOMAIN_SIZE ? 'members' : 'join';
  return members <= Math.ceil(knownDomainUsers / USERS_PER_LIST_PAGE) ? 'members' : 'join';
}

/** Starts the user chain of a group run, once; a redelivery republishes its first tasks (page claims dedupe them). */
export async function startUserChain(
  deps: PageDependencies,
  paths: SyncPaths,
  tenantId: string,
  runId: string,
  run: SyncRun,
): Promise<void> {
  const claim = await claimStep(deps.db, paths.usersStep(runId), 60_000, paths.run(runId));
  if (claim.kind === 'done' || claim.kind === 'stopped') return;
  if (claim.kind === 'held') throw new LeaseHeld('Another delivery is starting the user chain');
  let members: string[];
  let chain: UserChain;
  if (run.settings.range === 'specific') {
    // Specific Users fetches only the users the admin assigned, whoever the criteria's groups hold.
    members = await assignedUserIds(paths);
    chain = 'members';
  } else {
    const found = await memberIdsOf(deps.caches.memberSets, paths, runId);
    members = [...found.ids].sort();
    const { domainUsers } = readFields(await paths.state.get(), domainSizeFields);
    chain = run.userChain ?? chooseUserChain(found, domainUsers);
  }
  await paths
    .run(runId)
    .update({ userChain: chain, members: members.length, lastProgressAt: new Date().toISOString() });
  if (chain === 'join') {
    const task: PageTask = { tenant: tenantId, runId, chain, page: 0 };
    await deps.queue.publish(TOPICS.syncPage, task);
  } else {
    // Independent lookups, spread over time so that the tenant's queries per minute hold.
    const pages = Math.max(1, Math.ceil(members.length / LOOKUPS_PER_PAGE));
    const now = Date.now();
    for (let page = 0; page < pages; page++) {
      const userIds = members.slice(page * LOOKUPS_PER_PAGE, (page + 1) * LOOKUPS_PER_PAGE);
      const task: PageTask = {
        tenant: tenantId,
        runId,
        chain,
        page,
        userIds,
        last: page === pages - 1,
        notBefore: now + page * LOOKUPS_PER_PAGE * deps.callSpacingMs,
      };
      await deps.queue.publish(TOPICS.syncPage, task);
    }
  }
  await paths.usersStep(runId).update({ status: 'done' });
}
