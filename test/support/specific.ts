// Specific Users the way the page drives it: "Search Users", "Synchronize to PBX", the synced list and its "Save".
import assert from 'node:assert/strict';
import type { SearchCriteria } from '../../functions/src/sync/settings/settings.ts';
import type { FoundUser, OfferedExtension, SyncedListUser } from '../../functions/src/sync/console/specific-types.ts';
import { adminApi } from './connect-flow.ts';
import type { TestTenant } from './tenants.ts';

/** The synced list and the extensions it offers. */
export interface SyncedList {
  readonly users: SyncedListUser[];
  readonly extensions: OfferedExtension[];
}

async function ok<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T & { error?: { message: string } };
  assert.equal(response.status, 200, body.error?.message);
  return body;
}

/** "Search Users": one page of the result. */
export async function searchUsers(tenant: TestTenant, criteria: Partial<SearchCriteria>, pageToken?: string) {
  return ok<{ users: FoundUser[]; nextPageToken: string | null; total: number }>(
    await adminApi(tenant, 'POST', '/api/google/users/search', {
      orgUnits: [],
      groups: [],
      ...criteria,
      ...(pageToken && { pageToken }),
    }),
  );
}

/** Checks users of a search by e-mail and clicks "Synchronize to PBX". */
export async function synchronizeToPbx(
  tenant: TestTenant,
  criteria: Partial<SearchCriteria>,
  ...emails: string[]
): Promise<SyncedList & { refused: string[] }> {
  const { users } = await searchUsers(tenant, criteria);
  const userIds = emails.map((email) => {
    const user = users.find((found) => found.primaryEmail === email);
    assert.ok(user, `the search offers ${email}`);
    return user.id;
  });
  return ok(await adminApi(tenant, 'POST', '/api/sync/specific-users', { userIds }));
}

/** The synced list. */
export async function syncedList(tenant: TestTenant): Promise<SyncedList> {
  return ok(await adminApi(tenant, 'GET', '/api/sync/specific-users'));
}

/** "Save" of the synced list with extensions by user e-mail; returns the response's status and body. */
export async function assign(tenant: TestTenant, byEmail: Record<string, string | null>) {
  const { users } = await syncedList(tenant);
  const assignments = Object.fromEntries(
    Object.entries(byEmail).map(([email, number]) => [
      users.find((user) => user.primaryEmail === email)?.userId ?? email,
      number,
    ]),
  );
  return ok<SyncedList & { saved: number; errors: string[] }>(
    await adminApi(tenant, 'PUT', '/api/sync/specific-users/assignments', { assignments }),
  );
}

/** Adds a local extension on the "Extension" tab. */
export async function addLocalExtension(tenant: TestTenant, number: string, email: string): Promise<void> {
  await ok(
    await adminApi(tenant, 'POST', '/api/extensions', {
      number,
      firstName: 'Desk',
      lastName: number,
      email,
      mobile: '',
      jobTitle: '',
    }),
  );
}
