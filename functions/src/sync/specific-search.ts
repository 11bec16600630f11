// "Search Users" of Specific Users: the active users of the "Search Criteria" (units, with their sub-units, and
// groups, with nested membership), a page at a time for the list with checkboxes. Suspended, archived and deleted
// users are not offered: they could not be synced.
import type { App } from '../app.ts';
import { AppError } from '../errors.ts';
import { fetchMembersPage, fetchUsersPage } from './directory-pages.ts';
import { statusOf } from './directory-user.ts';
import { googleSession, ReauthorizationRequired } from './google-session.ts';
import type { SearchCriteria } from './settings.ts';
import { isInUnits } from './sources.ts';
import type { FoundUser } from './specific-types.ts';

/** Users per page of the result list. */
export const SEARCH_PAGE_SIZE = 25;
/** Listing pages read at most for one search (500 users each). */
const MAX_LISTING_PAGES = 40;

async function sessionOf(app: App, tenantId: string) {
  try {
    return await googleSession(app, tenantId);
  } catch (error) {
    if (error instanceof ReauthorizationRequired) throw new AppError('conflict', 'Google Workspace needs reauthorization: click Reauthorize first.');
    throw error;
  }
}

/** One page of the users matching the criteria, by e-mail; `pageToken` is the offset of the page. The domain is
 * listed once (500 users a call) and filtered, which for several criteria costs fewer calls than a users.get per
 * group member, and finds every user once. */
export async function searchUsers(app: App, tenantId: string, criteria: SearchCriteria, pageToken: string | undefined): Promise<{ users: FoundUser[]; nextPageToken: string | null; total: number }> {
  if (criteria.orgUnits.length + criteria.groups.length === 0) throw new AppError('invalid_request', 'Pick at least one group or organizational unit in "Search Criteria".');
  const offset = pageToken === undefined ? 0 : Number(pageToken);
  if (!Number.isInteger(offset) || offset < 0) throw new AppError('invalid_request', 'That page of the search is not valid; click "Search Users" again.');
  const auth = await sessionOf(app, tenantId);

  const memberIds = new Set<string>();
  let everyone = false;
  for (const group of criteria.groups) {
    let token: string | undefined;
    do {
      const page = await fetchMembersPage(app.config, auth, group.id, token, app.retry);
      for (const id of page.userIds) memberIds.add(id);
      everyone ||= page.everyone;
      token = page.nextPageToken;
    } while (token);
  }

  const found: FoundUser[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LISTING_PAGES; page++) {
    const listing = await fetchUsersPage(app.config, auth, { showDeleted: false, fields: 'nextPageToken,users(id,primaryEmail,name(fullName),orgUnitPath,suspended,archived,deletionTime)', projection: 'basic', pageToken: token }, app.retry);
    for (const user of listing.users) {
      if (!user.id || !user.primaryEmail || statusOf(user) !== 'active') continue;
      const unit = user.orgUnitPath ?? '/';
      if (everyone || memberIds.has(user.id) || isInUnits(unit, criteria.orgUnits)) {
        found.push({ id: user.id, name: user.name?.fullName ?? user.primaryEmail, primaryEmail: user.primaryEmail.toLowerCase(), orgUnitPath: unit });
      }
    }
    token = listing.nextPageToken;
    if (!token) break;
  }
  found.sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail));
  const next = offset + SEARCH_PAGE_SIZE;
  return { users: found.slice(offset, next), nextPageToken: next < found.length ? String(next) : null, total: found.length };
}
