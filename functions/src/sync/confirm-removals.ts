// Before a user is removed from the sync, they are looked up once more with users.get: a listing is not a snapshot
// (a user renamed or moved mid-listing can be missed), and an approval may come days after the hold. Status rules
// come before range rules: a user Google no longer has, or has at or above the chosen status, is deleted whatever
// the range says; a user back in a picked unit stays.
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { SecretStore } from '../platform/secret-store.ts';
import type { Removal } from './apply-removals.ts';
import { DirectoryRefusal, getUser } from './directory-pages.ts';
import { isAtLeast, statusOf } from './directory-user.ts';
import { googleSession } from './google-session.ts';
import type { SyncSettings } from './settings.ts';
import { isInUnits, rangeUnits } from './sources.ts';

/** The removals that still hold, each with the user's current status. */
export async function confirmRemovals(
  deps: { config: AppConfig; db: Firestore; secrets: SecretStore },
  tenantId: string,
  settings: SyncSettings,
  removals: readonly Removal[],
): Promise<Removal[]> {
  if (removals.length === 0) return [];
  const auth = await googleSession(deps, tenantId);
  const confirmed: Removal[] = [];
  for (const removal of removals) {
    let user;
    try {
      user = await getUser(deps.config, auth, removal.userId, { fields: 'id,suspended,archived,deletionTime,orgUnitPath', projection: 'basic' });
    } catch (error) {
      const status = error instanceof DirectoryRefusal ? error.status : undefined;
      throw new AppError('unavailable', `The Directory API could not confirm a removal (HTTP ${status ?? 'no response'})`, { cause: error });
    }
    const status = user ? statusOf(user) : 'deleted';
    if (isAtLeast(status, settings.deleteWhen)) confirmed.push({ ...removal, status, action: 'delete', reason: 'status' });
    else if (removal.reason === 'out_of_range' && !(settings.range === 'orgUnits' && isInUnits(user?.orgUnitPath ?? '/', rangeUnits(settings)))) {
      confirmed.push({ ...removal, status });
    }
  }
  return confirmed;
}
