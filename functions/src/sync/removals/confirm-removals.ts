// Before a user is removed from the sync, they are looked up once more with users.get: a listing is not a snapshot
// (a user renamed or moved mid-listing can be missed), and an approval may come days after the hold. Status rules
// come before range rules: a user Google no longer has, or has at or above the chosen status, is deleted whatever
// the range says; a user back in a picked unit, or in a picked group again, stays. Membership is asked with
// members.hasMember, which Google refuses (400) for a nested membership across domains: for such a user the
// group's whole membership (members.list with derived members) is listed instead, once per group and batch.
import { AppError } from '../../errors.ts';
import type { PageDependencies } from '../run/dependencies.ts';
import type { Removal } from './delete-or-release.ts';
import { requireSuperAdmin } from '../../google/directory-access.ts';
import { foundUser, type TenantDirectory } from '../../google/directory.ts';
import { DirectoryError, ReauthorizationRequired } from '../../google/directory-errors.ts';
import { isAtLeast, statusOf } from '../../google/directory-user.ts';
import type { SyncSettings } from '../settings/settings.ts';
import { isInUnits, rangeGroups, rangeUnits } from '../settings/sources.ts';

/** Lookups in flight at once; together they keep to the tenant's queries per minute. */
const CONFIRM_CONCURRENCY = 5;

/** The most Directory calls confirming one removal takes: users.get, then a membership check per picked group. */
export function confirmationCalls(settings: SyncSettings): number {
  return 1 + (settings.range === 'groups' ? rangeGroups(settings).length : 0);
}

/** The removals that still hold, each with the user's current status. */
export async function confirmRemovals(
  deps: Pick<PageDependencies, 'directory' | 'callSpacingMs'>,
  tenantId: string,
  settings: SyncSettings,
  removals: readonly Removal[],
): Promise<Removal[]> {
  if (removals.length === 0) return [];
  const directory = deps.directory.forTenant(tenantId);
  // An admin demoted since connect lists part of the directory, and Google may answer users.get outside their role
  // with 404, which would read as "deleted": no removal without a super administrator.
  await requireSuperAdmin(directory);
  const memberships = new GroupMemberships(directory);
  const confirmed: Removal[] = [];
  for (let at = 0; at < removals.length; at += CONFIRM_CONCURRENCY) {
    const batch = removals.slice(at, at + CONFIRM_CONCURRENCY);
    const startedAt = Date.now();
    const checks = await laterOnFailure(
      Promise.all(batch.map((removal) => recheck(directory, settings, removal, memberships))),
    );
    for (const check of checks) if (check.removal) confirmed.push(check.removal);
    // Spaced by the calls made: a group range asks one membership per picked group.
    const calls = checks.reduce((sum, check) => sum + check.calls, 0);
    const wait = startedAt + calls * deps.callSpacingMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return confirmed;
}

// One removal against Google now: the removal that still holds, if any, and the Directory calls it took.
async function recheck(
  directory: TenantDirectory,
  settings: SyncSettings,
  removal: Removal,
  memberships: GroupMemberships,
): Promise<{ removal?: Removal; calls: number }> {
  const user = foundUser(
    await directory.lookUpUser(removal.userId, {
      fields: 'id,suspended,archived,deletionTime,orgUnitPath',
      projection: 'basic',
    }),
  );
  const status = user ? statusOf(user) : 'deleted';
  if (isAtLeast(status, settings.deleteWhen))
    return { removal: { ...removal, status, action: 'delete', reason: 'status' }, calls: 1 };
  if (removal.reason !== 'out_of_range') return { calls: 1 };
  // Settings keep the picks of a range no longer chosen; only the chosen range's count. Specific Users are in range
  // by the admin's selection, which Google cannot confirm: their criteria alone keep nobody.
  const units = settings.range === 'orgUnits' ? rangeUnits(settings) : [];
  const groups = settings.range === 'groups' ? rangeGroups(settings) : [];
  if (user && isInUnits(user.orgUnitPath ?? '/', units)) return { calls: 1 };
  let calls = 1;
  for (const group of user ? groups : []) {
    calls++;
    let member = await directory.hasMember(group.id, removal.userId);
    if (member === undefined) {
      const listed = await memberships.of(group.id);
      calls += listed.calls;
      member = listed.ids.has(removal.userId);
    }
    if (member) return { calls };
  }
  return { removal: { ...removal, status }, calls };
}

// Checks that fail after their retries leave the removals for a later delivery. Reauthorization is no such failure:
// the run, or the approval, ends with it at once.
async function laterOnFailure<T>(checks: Promise<T>): Promise<T> {
  try {
    return await checks;
  } catch (error) {
    if (error instanceof ReauthorizationRequired) throw error;
    const status = error instanceof DirectoryError ? error.status : undefined;
    throw new AppError(
      'unavailable',
      `The Directory API could not confirm a removal (HTTP ${status ?? 'no response'})`,
      { cause: error },
    );
  }
}

// The user members of picked groups, nested ones included, listed when hasMember cannot tell; each group once. The
// first asker of a group counts its calls.
class GroupMemberships {
  readonly #listed = new Map<string, Promise<ReadonlySet<string>>>();
  readonly #directory: TenantDirectory;

  constructor(directory: TenantDirectory) {
    this.#directory = directory;
  }

  async of(groupId: string): Promise<{ ids: ReadonlySet<string>; calls: number }> {
    const known = this.#listed.get(groupId);
    if (known) return { ids: await known, calls: 0 };
    let calls = 0;
    const listing = (async () => {
      const ids = new Set<string>();
      let pageToken: string | undefined;
      do {
        const page = await this.#directory.listMembers(groupId, pageToken);
        calls += page.calls;
        for (const id of page.userIds) ids.add(id);
        pageToken = page.nextPageToken;
      } while (pageToken);
      return ids;
    })();
    this.#listed.set(groupId, listing);
    return { ids: await listing, calls };
  }
}
