// Before an extension is deleted, its user is looked up once more with users.get: a listing is not a snapshot
// (a user renamed or a page re-read mid-listing can be missed), and an approval may come days after the hold.
// Only users Google no longer has, or has at or above the chosen status, are deleted.
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { newDirectoryClient } from '../google/clients.ts';
import type { SecretStore } from '../platform/secret-store.ts';
import type { Deletion } from './delete-managed.ts';
import { isAtLeast, statusOf } from './directory-user.ts';
import { googleSession } from './google-session.ts';
import type { SyncSettings } from './settings.ts';

/** The deletions that still hold, each with the user's current status. */
export async function confirmDeletions(
  deps: { config: AppConfig; db: Firestore; secrets: SecretStore },
  tenantId: string,
  deleteWhen: SyncSettings['deleteWhen'],
  deletions: readonly Deletion[],
): Promise<Deletion[]> {
  if (deletions.length === 0) return [];
  const directory = newDirectoryClient(deps.config, await googleSession(deps, tenantId));
  const confirmed: Deletion[] = [];
  for (const deletion of deletions) {
    try {
      const { data } = await directory.users.get({ userKey: deletion.userId, viewType: 'admin_view', fields: 'id,suspended,archived,deletionTime' });
      const status = statusOf(data);
      if (isAtLeast(status, deleteWhen)) confirmed.push({ ...deletion, status });
    } catch (error) {
      const status = (error as { response?: { status?: number } }).response?.status;
      if (status === 404) confirmed.push({ ...deletion, status: 'deleted' });
      else throw new AppError('unavailable', `The Directory API could not confirm a deletion (HTTP ${status ?? 'no response'})`, { cause: error });
    }
  }
  return confirmed;
}
