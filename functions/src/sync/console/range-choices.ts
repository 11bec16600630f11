// What the "Organizational Units" and "Group" pickers offer: the Workspace's units (orgunits.list) and groups
// (groups.list), read with the tenant's own grant when the admin opens the section.
import type { App } from '../../app.ts';
import type { GroupChoice, OrgUnitChoice } from '../settings/settings.ts';

/** At most this many groups pages (200 each) are offered; a larger Workspace is rare and the list would be unusable. */
const MAX_GROUP_PAGES = 50;

/** Every organizational unit, the root (the whole domain) first, then by path. */
export async function listOrgUnitChoices(app: Pick<App, 'directory'>, tenantId: string): Promise<OrgUnitChoice[]> {
  const units = await app.directory.forTenant(tenantId).listOrgUnits();
  // orgunits.list leaves out the root; its id is the parent id of the top-level units.
  const rootId = units.find((unit) => unit.parentOrgUnitPath === '/')?.parentOrgUnitId ?? 'root';
  const choices = units
    .filter((unit) => unit.orgUnitId && unit.orgUnitPath)
    .map((unit) => ({ id: unit.orgUnitId!, path: unit.orgUnitPath!, name: unit.name ?? unit.orgUnitPath! }));
  return [
    { id: rootId, path: '/', name: 'All organizational units' },
    ...choices.sort((a, b) => a.path.localeCompare(b.path)),
  ];
}

/** Every group of the Workspace, by e-mail. */
export async function listGroupChoices(app: Pick<App, 'directory'>, tenantId: string): Promise<GroupChoice[]> {
  const directory = app.directory.forTenant(tenantId);
  const groups: GroupChoice[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_GROUP_PAGES; page++) {
    const result = await directory.listGroups(pageToken);
    for (const group of result.groups) {
      if (group.id && group.email)
        groups.push({
          id: group.id,
          email: group.email,
          name: group.name ?? group.email,
          directMembersCount: Number(group.directMembersCount ?? 0),
        });
    }
    pageToken = result.nextPageToken;
    if (!pageToken) break;
  }
  return groups.sort((a, b) => a.email.localeCompare(b.email));
}
