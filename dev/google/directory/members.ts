// members.list: the members of a group, optionally with the members of its nested groups (derived membership).
import type { admin_directory_v1 } from '@googleapis/admin';
import { etagOf } from '../fixture/ids.ts';
import type { DirectoryGroup, DirectoryMember, Organisation } from '../fixture/types.ts';
import { requireWholeCustomer } from './admin-roles.ts';
import { requireAdminOf } from './auth.ts';
import type { HandlerContext } from './context.ts';
import { invalidInput, notAuthorized, resourceNotFound } from './errors.ts';
import { paginate } from './paging.ts';
import { boolParam, intParam, stringParam } from './params.ts';

const ROLES = ['OWNER', 'MANAGER', 'MEMBER'] as const;

function rolesFilter(raw: string | undefined): Set<string> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const roles = raw.split(',').map((role) => role.trim().toUpperCase());
  if (!roles.every((role) => (ROLES as readonly string[]).includes(role))) throw invalidInput('roles');
  return new Set(roles);
}

function memberKey(member: DirectoryMember): string {
  return (member.id ?? member.email ?? '').toLowerCase();
}

// Derived membership: the direct members, then, breadth first, the members of every nested group, each
// member listed once (a direct membership wins over an inherited one). Nested groups stay listed themselves.
function expand(org: Organisation, group: DirectoryGroup): DirectoryMember[] {
  const listed = new Map<string, DirectoryMember>();
  const visited = new Set<string>();
  const queue = [(group.email ?? '').toLowerCase()];
  while (queue.length > 0) {
    const email = queue.shift() ?? '';
    if (visited.has(email)) continue;
    visited.add(email);
    const owner = org.groups.find((candidate) => (candidate.email ?? '').toLowerCase() === email);
    for (const member of org.members[owner?.email ?? ''] ?? []) {
      if (!listed.has(memberKey(member))) listed.set(memberKey(member), member);
      if (member.type === 'GROUP' && member.email) queue.push(member.email.toLowerCase());
    }
  }
  return [...listed.values()];
}

function findGroup({ fixtures, caller }: HandlerContext, key: string): { org: Organisation; group: DirectoryGroup } {
  const ownOrg = requireAdminOf(caller, caller.org);
  requireWholeCustomer(caller, ownOrg, 'GROUPS_RETRIEVE');
  const found = fixtures.findGroupAnywhere(key);
  if (!found) {
    const owner = key.includes('@') ? fixtures.orgOfEmail(key) : undefined;
    if (owner && owner.customerId !== ownOrg.customerId) throw notAuthorized();
    throw resourceNotFound('groupKey');
  }
  if (found.org.customerId !== ownOrg.customerId) throw notAuthorized();
  return found;
}

/** members.list of one group, by its email, alias or id. */
export function listMembers(context: HandlerContext): admin_directory_v1.Schema$Members {
  const { query, params } = context;
  // Documented maximum 200; larger values are lowered to 200 rather than refused.
  const maxResults = intParam(query, 'maxResults', { fallback: 200, min: 1, cap: 200 });
  const derived = boolParam(query, 'includeDerivedMembership');
  const roles = rolesFilter(stringParam(query, 'roles'));
  const { org, group } = findGroup(context, params['groupKey'] ?? '');
  const members = () => {
    const all = derived ? expand(org, group) : (org.members[group.email ?? ''] ?? []);
    return roles ? all.filter((member) => roles.has(member.role ?? 'MEMBER')) : all;
  };
  const page = paginate({
    source: org,
    items: members,
    keyOf: (member) => [member.id ?? '', (member.email ?? '').toLowerCase()],
    maxResults,
    pageToken: stringParam(query, 'pageToken'),
    conditions: context.listing,
    binding: JSON.stringify(['members.list', org.customerId, group.id, derived, [...(roles ?? [])].sort()]),
  });
  return {
    kind: 'admin#directory#members',
    etag: etagOf(page.items.map((member) => member.etag)),
    ...(page.items.length > 0 ? { members: page.items } : {}),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  };
}

const domainOf = (email: string | null | undefined) =>
  (email ?? '').slice((email ?? '').lastIndexOf('@') + 1).toLowerCase();

/** members.hasMember: whether a user of the group's organisation is a member of the group, directly or through
 * nested groups. "Membership can be direct or nested, but if nested, the memberKey and groupKey must be entities in
 * the same domain or an Invalid input error is returned"
 * (https://developers.google.com/admin-sdk/directory/reference/rest/v1/members/hasMember): a user of a secondary
 * domain who is not a direct member gets 400 "Invalid Input: memberKey" for a group of the primary domain. */
export function hasMember(context: HandlerContext): admin_directory_v1.Schema$MembersHasMember {
  const { org, group } = findGroup(context, context.params['groupKey'] ?? '');
  const user = context.fixtures.findUser(org, context.params['memberKey'] ?? '');
  if (!user || user.deletionTime) throw resourceNotFound('memberKey');
  const keys = new Set([user.id ?? '', (user.primaryEmail ?? '').toLowerCase()]);
  const isUser = (member: DirectoryMember) => member.type !== 'GROUP' && keys.has(memberKey(member));
  if ((org.members[group.email ?? ''] ?? []).some(isUser)) return { isMember: true };
  if (domainOf(user.primaryEmail) !== domainOf(group.email)) throw invalidInput('memberKey');
  return { isMember: expand(org, group).some(isUser) };
}
