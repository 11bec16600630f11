// orgunits.list: the organisational units below a unit (the root by default), immediate children or all.
import type { admin_directory_v1 } from '@googleapis/admin';
import { etagOf } from '../fixture/ids.ts';
import type { DirectoryOrgUnit } from '../fixture/types.ts';
import { reaches, requireReach } from './admin-roles.ts';
import { requireAdminOf } from './auth.ts';
import type { HandlerContext } from './context.ts';
import { badRequest, googleError, invalidParameter } from './errors.ts';
import { stringParam } from './params.ts';

type ListType = 'all' | 'children' | 'allIncludingParent';

// Accepts the discovery spelling (allIncludingParent) and the REST enum spelling (ALL_INCLUDING_PARENT).
function listTypeOf(raw: string | undefined): ListType {
  if (raw === undefined || raw === '') return 'children';
  const normalised = raw.toLowerCase().replace(/_/g, '');
  if (normalised === 'all') return 'all';
  if (normalised === 'children') return 'children';
  if (normalised === 'allincludingparent') return 'allIncludingParent';
  throw invalidParameter('type', `Invalid string value: '${raw}'. Allowed values: [all, allincludingparent, children]`);
}

function findUnit(units: readonly DirectoryOrgUnit[], key: string | undefined): DirectoryOrgUnit | undefined {
  if (key === undefined || key === '' || key === '/') return units.find((unit) => unit.orgUnitPath === '/');
  if (key.startsWith('id:')) return units.find((unit) => unit.orgUnitId === key);
  // The path may be given with or without its leading slash.
  const path = `/${key.replace(/^\/+|\/+$/g, '')}`.toLowerCase();
  return units.find((unit) => (unit.orgUnitPath ?? '').toLowerCase() === path);
}

function isBelow(unit: DirectoryOrgUnit, parentPath: string): boolean {
  const path = unit.orgUnitPath ?? '/';
  return path !== parentPath && (parentPath === '/' || path.startsWith(`${parentPath}/`));
}

/** orgunits.list for `my_customer` or a customer id. */
export function listOrgUnits({ fixtures, caller, query, params }: HandlerContext): admin_directory_v1.Schema$OrgUnits {
  const type = listTypeOf(stringParam(query, 'type'));
  const customerId = params['customerId'] ?? '';
  if (customerId !== 'my_customer' && !/^C[0-9a-z]{8}$/i.test(customerId)) throw badRequest();
  const org = requireAdminOf(caller, customerId === 'my_customer' ? caller.org : fixtures.orgByCustomerId(customerId));
  const reach = requireReach(caller, org, 'ORGANIZATION_UNITS_RETRIEVE');
  const parent = findUnit(org.orgUnits, stringParam(query, 'orgUnitPath'));
  if (!parent) throw googleError(404, 'Org unit not found', 'notFound');
  const parentPath = parent.orgUnitPath ?? '/';
  const below = org.orgUnits.filter((unit) => isBelow(unit, parentPath));
  const listed =
    type === 'children'
      ? below.filter((unit) => unit.parentOrgUnitPath === parentPath)
      : type === 'all'
        ? below
        : [parent, ...below];
  // A delegated admin sees only the units their role reaches.
  const units = listed.filter((unit) => reaches(reach, unit.orgUnitPath));
  return {
    kind: 'admin#directory#orgUnits',
    etag: etagOf(units.map((unit) => unit.etag)),
    ...(units.length > 0 ? { organizationUnits: units } : {}),
  };
}
