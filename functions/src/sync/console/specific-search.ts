// "Search Users" of Specific Users: the active users of the "Search Criteria" (units, with their sub-units, and
// groups, with nested membership), a page at a time for the list with checkboxes. Suspended, archived and deleted
// users are not offered: they could not be synced. Each unit is one users.list query of active users in its subtree
// (500 a call); each group's members come from members.list (200 a call) with their e-mail and status, and only the
// members shown on the page are looked up with users.get for their name and unit. A group with the whole
// organisation as a member lists the domain's active users. Nothing is cut off, whatever the Workspace's size.
import type { App } from '../../app.ts';
import { AppError } from '../../errors.ts';
import type { TenantDirectory, UsersQuery } from '../../google/directory.ts';
import { statusOf } from '../../google/directory-user.ts';
import type { SearchCriteria } from '../settings/settings.ts';
import { coveringUnits } from '../settings/sources.ts';
import type { FoundUser } from './specific-types.ts';

/** Users per page of the result list. */
export const SEARCH_PAGE_SIZE = 25;

const USER_FIELDS = 'id,primaryEmail,name(fullName),orgUnitPath,suspended,archived,deletionTime';

/** A match: found with its details (from a listing), or known only by id and e-mail (a group member). */
type Match = FoundUser | { readonly id: string; readonly primaryEmail: string; readonly memberOnly: true };

function foundUser(user: {
  id?: string | null;
  primaryEmail?: string | null;
  name?: { fullName?: string | null } | null;
  orgUnitPath?: string | null;
}): FoundUser | undefined {
  if (!user.id || !user.primaryEmail) return undefined;
  return {
    id: user.id,
    name: user.name?.fullName ?? user.primaryEmail,
    primaryEmail: user.primaryEmail.toLowerCase(),
    orgUnitPath: user.orgUnitPath ?? '/',
  };
}

// Every active user of a listing, page after page.
async function listActive(directory: TenantDirectory, listing: Pick<UsersQuery, 'orgUnitPath'>): Promise<FoundUser[]> {
  const users: FoundUser[] = [];
  let pageToken: string | undefined;
  do {
    const page = await directory.listUsers({
      showDeleted: false,
      ...listing,
      activeOnly: true,
      fields: `nextPageToken,users(${USER_FIELDS})`,
      projection: 'basic',
      pageToken,
    });
    for (const user of page.users) {
      const found = statusOf(user) === 'active' ? foundUser(user) : undefined;
      if (found) users.push(found);
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return users;
}

// Every match of the criteria, each user once, by e-mail.
async function matches(directory: TenantDirectory, criteria: SearchCriteria): Promise<Match[]> {
  const byId = new Map<string, Match>();
  const members: Array<{ id: string; email: string }> = [];
  let everyone = false;
  for (const group of criteria.groups) {
    let pageToken: string | undefined;
    do {
      const page = await directory.listMembers(group.id, pageToken);
      // A member's status mirrors its account; suspended ones are never offered.
      members.push(...page.users.filter((member) => member.status === 'ACTIVE'));
      everyone ||= page.everyone;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }
  const listings = everyone
    ? [{}]
    : coveringUnits(criteria.orgUnits).map((index) => ({ orgUnitPath: criteria.orgUnits[index]!.path }));
  for (const listing of listings) for (const user of await listActive(directory, listing)) byId.set(user.id, user);
  for (const member of members)
    if (!byId.has(member.id)) byId.set(member.id, { id: member.id, primaryEmail: member.email, memberOnly: true });
  return [...byId.values()].sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail));
}

/** One page of the users matching the criteria, by e-mail; `pageToken` is the offset of the page. */
export async function searchUsers(
  app: Pick<App, 'directory'>,
  tenantId: string,
  criteria: SearchCriteria,
  pageToken: string | undefined,
): Promise<{ users: FoundUser[]; nextPageToken: string | null; total: number }> {
  if (criteria.orgUnits.length + criteria.groups.length === 0)
    throw new AppError('invalid_request', 'Pick at least one group or organizational unit in "Search Criteria".');
  const offset = pageToken === undefined ? 0 : Number(pageToken);
  if (!Number.isInteger(offset) || offset < 0)
    throw new AppError('invalid_request', 'That page of the search is not valid; click "Search Users" again.');
  const directory = app.directory.forTenant(tenantId);
  const all = await matches(directory, criteria);
  const next = offset + SEARCH_PAGE_SIZE;
  const shown = await Promise.all(
    all.slice(offset, next).map(async (match) => {
      if (!('memberOnly' in match)) return match;
      // A member of another Google Workspace (403) or with no Workspace account at all (404) has no account here,
      // and an archived one is not offered.
      const lookup = await directory.lookUpUser(match.id, { fields: USER_FIELDS, projection: 'basic' });
      return lookup.kind === 'found' && statusOf(lookup.user) === 'active' ? foundUser(lookup.user) : undefined;
    }),
  );
  return {
    users: shown.filter((user): user is FoundUser => user !== undefined),
    nextPageToken: next < all.length ? String(next) : null,
    total: all.length,
  };
}
