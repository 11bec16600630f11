// Picking units and groups the way the page does: from the pickers' API, by path or e-mail.
import assert from 'node:assert/strict';
import type { RunView } from '../../functions/src/sync/run/run-view.ts';
import {
  DEFAULT_SETTINGS,
  type GroupChoice,
  type OrgUnitChoice,
  type PickedGroup,
  type PickedOrgUnit,
  type SyncSettings,
} from '../../functions/src/sync/settings/settings.ts';
import { adminApi } from './connect-flow.ts';
import { waitForRun } from './sync.ts';
import type { TestTenant } from './tenants.ts';

/** The units offered in "Organizational Units", picked by path. */
export async function pickUnits(tenant: TestTenant, ...paths: string[]): Promise<PickedOrgUnit[]> {
  const response = await adminApi(tenant, 'GET', '/api/google/org-units');
  assert.equal(response.status, 200);
  const { orgUnits } = (await response.json()) as { orgUnits: OrgUnitChoice[] };
  return paths.map((path) => {
    const unit = orgUnits.find((choice) => choice.path === path);
    assert.ok(unit, `the picker offers ${path}`);
    return { id: unit.id, path: unit.path };
  });
}

/** The groups offered in "Group", picked by e-mail. */
export async function pickGroups(tenant: TestTenant, ...emails: string[]): Promise<PickedGroup[]> {
  const response = await adminApi(tenant, 'GET', '/api/google/groups');
  assert.equal(response.status, 200);
  const { groups } = (await response.json()) as { groups: GroupChoice[] };
  return emails.map((email) => {
    const group = groups.find((choice) => choice.email === email);
    assert.ok(group, `the picker offers ${email}`);
    return { id: group.id, email: group.email, name: group.name };
  });
}

/** Previews settings as the page does before "Save", and waits for the preview's counts. */
export async function preview(tenant: TestTenant, overrides: Partial<SyncSettings>): Promise<RunView> {
  const response = await adminApi(tenant, 'POST', '/api/sync/preview', { ...DEFAULT_SETTINGS, ...overrides });
  const body = (await response.json()) as { run: RunView; error?: { message: string } };
  assert.equal(response.status, 200, body.error?.message);
  return waitForRun(tenant, body.run.id);
}
