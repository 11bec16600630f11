// What the "Organizational Units" and "Group" pickers offer: the Workspace's units (orgunits.list) and groups
// (groups.list), read with the tenant's own grant when the admin opens the section.
import type { App } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { newDirectoryClient } from '../../google/clients.ts';
import { withDirectoryRetry } from '../../google/directory-api.ts';
import { googleSession, ReauthorizationRequired } from '../../google/google-session.ts';
import type { GroupChoice, OrgUnitChoice } from '../settings/settings.ts';

/** At most this many groups pages (200 each) are offered; a larger Workspace is rare and the list would be unusable. */
const MAX_GROUP_PAGES = 50;

async function directoryOf(app: App, tenantId: string) {
  try {
    return newDirectoryClient(app.config, await googleSession(app, tenantId));
  } catch (error) {
    if (error instanceof ReauthorizationRequired) throw new AppError('conflict', 'Google Workspace needs reauthorization: click Reauthorize first.');
    throw error;
  }
}

/** Every organizational unit, the root (the whole domain) first, then by path. */
export async function listOrgUnitChoices(app: App, tenantId: string): Promise<OrgUnitChoice[]> {
  const directory = await directoryOf(app, tenantId);
  const { result } = await withDirectoryRetry('the organizational units listing', () =>
    directory.orgunits.list({ customerId: 'my_customer', type: 'all', fields: 'organizationUnits(orgUnitId,orgUnitPath,name,parentOrgUnitId,parentOrgUnitPath)' }), app.retry);
  const units = result.data.organizationUnits ?? [];
  // orgunits.list leaves out the root; its id is the parent id of the top-level units.
  const rootId = units.find((unit) => unit.parentOrgUnitPath === '/')?.parentOrgUnitId ?? 'root';
  const choices = units.filter((unit) => unit.orgUnitId && unit.orgUnitPath).map((unit) => ({ id: unit.orgUnitId!, path: unit.orgUnitPath!, name: unit.name ?? unit.orgUnitPath! }));
  return [{ id: rootId, path: '/', name: 'All organizational units' }, ...choices.sort((a, b) => a.path.localeCompare(b.path))];
}

/** Every group of the Workspace, by e-mail. */
export async function listGroupChoices(app: App, tenantId: string): Promise<GroupChoice[]> {
  const directory = await directoryOf(app, tenantId);
  const groups: GroupChoice[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_GROUP_PAGES; page++) {
    const { result } = await withDirectoryRetry('the groups listing', () =>
      directory.groups.list({ customer: 'my_customer', maxResults: 200, fields: 'nextPageToken,groups(id,email,name,directMembersCount)', ...(pageToken && { pageToken }) }), app.retry);
    for (const group of result.data.groups ?? []) {
      if (group.id && group.email) groups.push({ id: group.id, email: group.email, name: group.name ?? group.email, directMembersCount: Number(group.directMembersCount ?? 0) });
    }
    pageToken = result.data.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  return groups.sort((a, b) => a.email.localeCompare(b.email));
}
