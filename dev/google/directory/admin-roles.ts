// What an admin may read, and where. A super admin reads the whole customer. A delegated admin reads what the
// privileges of their roles allow, for the whole customer or only for the units a role assignment names with its
// sub-units (RoleAssignment.orgUnitId: "If the role is restricted to an organization unit, this contains the ID
// for the organization unit the exercise of this role is restricted to",
// https://developers.google.com/admin-sdk/directory/reference/rest/v1/roleAssignments). Their listings then hold
// only that part of the directory, and a user outside it is refused. Whether Google answers users.get outside the
// role with 403 or 404 is settled by no source found; the stand-in answers 403, and the product treats both alike.
import type { DirectoryUser, Organisation } from '../fixture/types.ts';
import type { Caller } from './auth.ts';
import { notAuthorized } from './errors.ts';

/** The directory privileges the stand-in's read methods need. */
export type Privilege = 'USERS_RETRIEVE' | 'GROUPS_RETRIEVE' | 'ORGANIZATION_UNITS_RETRIEVE';

/** Where a privilege may be exercised: everywhere, or in some units and their sub-units. */
export type Reach = { readonly everywhere: true } | { readonly everywhere: false; readonly units: readonly string[] };

const EVERYWHERE: Reach = { everywhere: true };

function reachOf(org: Organisation, user: DirectoryUser, privilege: Privilege): Reach | undefined {
  if (user.isAdmin) return EVERYWHERE;
  const units: string[] = [];
  for (const assignment of (org.roleAssignments ?? []).filter((candidate) => candidate.assignedTo === user.id)) {
    const role = (org.roles ?? []).find((candidate) => candidate.roleId === assignment.roleId);
    const grants =
      role?.isSuperAdminRole === true ||
      (role?.rolePrivileges ?? []).some((granted) => granted.privilegeName === privilege);
    if (!grants) continue;
    if (assignment.scopeType === 'CUSTOMER') return EVERYWHERE;
    const unit = org.orgUnits.find((candidate) => candidate.orgUnitId === assignment.orgUnitId)?.orgUnitPath;
    if (unit) units.push(unit);
  }
  return units.length > 0 ? { everywhere: false, units } : undefined;
}

/** The caller's reach for `privilege` in `org` (which requireAdminOf admitted); 403 when they have none. */
export function requireReach(caller: Caller, org: Organisation, privilege: Privilege): Reach {
  const reach = caller.user ? reachOf(org, caller.user, privilege) : undefined;
  if (!reach) throw notAuthorized();
  return reach;
}

/** The caller's reach, which must be the whole customer (groups belong to no unit). */
export function requireWholeCustomer(caller: Caller, org: Organisation, privilege: Privilege): void {
  if (!requireReach(caller, org, privilege).everywhere) throw notAuthorized();
}

/** Whether a unit path lies within the reach. */
export function reaches(reach: Reach, orgUnitPath: string | null | undefined): boolean {
  if (reach.everywhere) return true;
  const path = orgUnitPath ?? '/';
  return reach.units.some((unit) => unit === '/' || path === unit || path.startsWith(`${unit}/`));
}
