// users.list and users.get.
import type { admin_directory_v1 } from '@googleapis/admin';
import { etagOf } from '../fixture/ids.ts';
import type { DirectoryUser } from '../fixture/types.ts';
import { reaches, requireReach, type Reach } from './admin-roles.ts';
import { requireAdminOf, requireMemberOf } from './auth.ts';
import type { HandlerContext } from './context.ts';
import { notAuthorized, resourceNotFound } from './errors.ts';
import { isOnDomain, resolveListScope } from './list-scope.ts';
import { paginate, type SortKey } from './paging.ts';
import { enumParam, intParam, stringParam } from './params.ts';
import { parseUserQuery } from './user-query.ts';
import { isPubliclyListed, presentUser, userViewOf } from './user-view.ts';

type OrderBy = 'email' | 'familyName' | 'givenName';

// Without orderBy Google promises no order; listing by id keeps pages stable without looking alphabetical.
function sortKeyOf(orderBy: OrderBy | undefined): (user: DirectoryUser) => SortKey {
  const id = (user: DirectoryUser): string => user.id ?? '';
  switch (orderBy) {
    case 'email':
      return (user) => [(user.primaryEmail ?? '').toLowerCase(), id(user)];
    case 'familyName':
      return (user) => [
        (user.name?.familyName ?? '').toLowerCase(),
        (user.name?.givenName ?? '').toLowerCase(),
        id(user),
      ];
    case 'givenName':
      return (user) => [
        (user.name?.givenName ?? '').toLowerCase(),
        (user.name?.familyName ?? '').toLowerCase(),
        id(user),
      ];
    default:
      return (user) => [id(user)];
  }
}

/** users.list: the users of a customer or domain, filtered by query, deleted ones only with showDeleted. */
export function listUsers({ fixtures, caller, query, listing }: HandlerContext): admin_directory_v1.Schema$Users {
  const view = userViewOf(query);
  const maxResults = intParam(query, 'maxResults', { fallback: 100, min: 1, max: 500 });
  const orderBy = enumParam(query, 'orderBy', ['email', 'familyName', 'givenName'] as const);
  const descending =
    enumParam(query, 'sortOrder', ['ASCENDING', 'DESCENDING'] as const) === 'DESCENDING' && orderBy !== undefined;
  const showDeleted = stringParam(query, 'showDeleted')?.toLowerCase() === 'true';
  const scope = resolveListScope(fixtures, caller, stringParam(query, 'customer'), stringParam(query, 'domain'));
  const org = view.publicView ? requireMemberOf(caller, scope.org) : requireAdminOf(caller, scope.org);
  // A delegated admin lists only the users of the units their role reaches.
  const reach: Reach = view.publicView ? { everywhere: true } : requireReach(caller, org, 'USERS_RETRIEVE');
  const search = stringParam(query, 'query');
  const matches = parseUserQuery(search, org, view.publicView);
  const candidates = () =>
    org.users.filter(
      (user) =>
        Boolean(user.deletionTime) === showDeleted &&
        isOnDomain(user.primaryEmail, scope.domain) &&
        (!view.publicView || isPubliclyListed(user)) &&
        reaches(reach, user.orgUnitPath) &&
        matches(user),
    );
  const page = paginate({
    source: org,
    items: candidates,
    keyOf: sortKeyOf(orderBy),
    descending,
    maxResults,
    pageToken: stringParam(query, 'pageToken'),
    conditions: listing,
    binding: JSON.stringify([
      'users.list',
      org.customerId,
      scope.domain,
      search ?? '',
      showDeleted,
      orderBy,
      descending,
      view.publicView,
      reach,
    ]),
  });
  const users = page.items.map((user) => presentUser(user, view));
  return {
    kind: 'admin#directory#users',
    etag: etagOf(users.map((user) => user.etag)),
    ...(users.length > 0 ? { users } : {}),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

/** users.get: one user by primary email, alias or id; deleted users are not found. */
export function getUser({ fixtures, caller, query, params }: HandlerContext): DirectoryUser {
  const view = userViewOf(query);
  const key = params['userKey'] ?? '';
  const ownOrg = view.publicView ? requireMemberOf(caller, caller.org) : requireAdminOf(caller, caller.org);
  const found = fixtures.findUserAnywhere(key);
  if (!found) {
    // An address on another customer's domain is refused before its existence is revealed.
    const owner = key.includes('@') ? fixtures.orgOfEmail(key) : undefined;
    if (owner && owner.customerId !== ownOrg.customerId) throw notAuthorized();
    throw resourceNotFound('userKey');
  }
  if (found.org.customerId !== ownOrg.customerId) throw notAuthorized();
  if (!view.publicView && !reaches(requireReach(caller, ownOrg, 'USERS_RETRIEVE'), found.user.orgUnitPath))
    throw notAuthorized();
  if (found.user.deletionTime || (view.publicView && !isPubliclyListed(found.user))) throw resourceNotFound('userKey');
  return presentUser(found.user, view);
}
