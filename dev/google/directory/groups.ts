// groups.list: the groups of a customer or domain, or the groups a user (or any address) is a direct member of.
import type { admin_directory_v1 } from '@googleapis/admin';
import { etagOf } from '../fixture/ids.ts';
import type { DirectoryGroup, Organisation } from '../fixture/types.ts';
import { requireWholeCustomer } from './admin-roles.ts';
import { requireAdminOf } from './auth.ts';
import type { HandlerContext } from './context.ts';
import { badRequest, invalidInput } from './errors.ts';
import { isOnDomain, resolveListScope } from './list-scope.ts';
import { paginate } from './paging.ts';
import { enumParam, intParam, stringParam } from './params.ts';

// The search-groups subset served: email and name, with = (equal) or : (prefix when ending in *).
function groupPredicate(search: string | undefined): (group: DirectoryGroup) => boolean {
  if (search === undefined || search.trim() === '') return () => true;
  const clauses = search
    .trim()
    .split(/\s+/)
    .map((clause) => {
      const match = /^(email|name)(=|:)'?([^']*)'?$/.exec(clause);
      if (!match) throw invalidInput('query');
      const [, field = 'email', op, value = ''] = match;
      const wanted = value.toLowerCase();
      return (group: DirectoryGroup): boolean => {
        const text = (field === 'email' ? group.email : group.name)?.toLowerCase() ?? '';
        if (op === '=') return text === wanted;
        return wanted.endsWith('*') ? text.startsWith(wanted.slice(0, -1)) : text.split(/\W+/).includes(wanted);
      };
    });
  return (group) => clauses.every((clause) => clause(group));
}

// The addresses and id by which a userKey may appear in member lists.
function memberKeysOf(fixtures: HandlerContext['fixtures'], org: Organisation, userKey: string): Set<string> {
  const user = fixtures.findUser(org, userKey);
  if (!user) return new Set([userKey.toLowerCase()]);
  return new Set([user.id ?? '', user.primaryEmail ?? '', ...(user.aliases ?? [])].map((key) => key.toLowerCase()));
}

function isDirectMember(org: Organisation, group: DirectoryGroup, keys: Set<string>): boolean {
  const members = org.members[group.email ?? ''] ?? [];
  return members.some(
    (member) => keys.has((member.email ?? '').toLowerCase()) || keys.has((member.id ?? '').toLowerCase()),
  );
}

/** groups.list with customer, domain or userKey. */
export function listGroups({ fixtures, caller, query, listing }: HandlerContext): admin_directory_v1.Schema$Groups {
  // Documented maximum 200; Google returns at most 200 for larger values rather than failing.
  const maxResults = intParam(query, 'maxResults', { fallback: 200, min: 1, cap: 200 });
  const orderBy = enumParam(query, 'orderBy', ['email'] as const);
  const descending =
    enumParam(query, 'sortOrder', ['ASCENDING', 'DESCENDING'] as const) === 'DESCENDING' && orderBy !== undefined;
  const userKey = stringParam(query, 'userKey');
  const customer = stringParam(query, 'customer');
  const domain = stringParam(query, 'domain');
  if (userKey && customer) throw badRequest();
  const scope = userKey && !domain ? { org: caller.org } : resolveListScope(fixtures, caller, customer, domain);
  const org = requireAdminOf(caller, scope.org);
  requireWholeCustomer(caller, org, 'GROUPS_RETRIEVE');
  const search = stringParam(query, 'query');
  const matches = groupPredicate(search);
  const keys = userKey ? memberKeysOf(fixtures, org, userKey) : undefined;
  const groups = org.groups.filter(
    (group) => isOnDomain(group.email, scope.domain) && matches(group) && (!keys || isDirectMember(org, group, keys)),
  );
  const page = paginate({
    items: groups,
    keyOf: (group) => (orderBy ? [(group.email ?? '').toLowerCase(), group.id ?? ''] : [group.id ?? '']),
    descending,
    maxResults,
    pageToken: stringParam(query, 'pageToken'),
    conditions: listing,
    binding: JSON.stringify([
      'groups.list',
      org.customerId,
      scope.domain,
      userKey?.toLowerCase(),
      search ?? '',
      orderBy,
      descending,
    ]),
  });
  return {
    kind: 'admin#directory#groups',
    etag: etagOf(page.items.map((group) => group.etag)),
    ...(page.items.length > 0 ? { groups: page.items } : {}),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}
