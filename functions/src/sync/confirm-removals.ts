// Before a user is removed from the sync, they are looked up once more with users.get: a listing is not a snapshot
// (a user renamed or moved mid-listing can be missed), and an approval may come days after the hold. Status rules
// come before range rules: a user Google no longer has, or has at or above the chosen status, is deleted whatever
// the range says; a user back in a picked unit stays.
import type { OAuth2Client } from 'google-auth-library';
import { AppError } from '../errors.ts';
import type { PageDependencies } from './dependencies.ts';
import type { Removal } from './apply-removals.ts';
import { DirectoryRefusal, getUser } from './directory-pages.ts';
import { isAtLeast, statusOf } from './directory-user.ts';
import { googleSession } from './google-session.ts';
import type { SyncSettings } from './settings.ts';
import { isInUnits, rangeUnits } from './sources.ts';

/** Lookups in flight at once; together they keep to the tenant's queries per minute. */
const CONFIRM_CONCURRENCY = 5;

/** The removals that still hold, each with the user's current status. */
export async function confirmRemovals(
  deps: Pick<PageDependencies, 'config' | 'db' | 'secrets' | 'retry' | 'callSpacingMs'>,
  tenantId: string,
  settings: SyncSettings,
  removals: readonly Removal[],
): Promise<Removal[]> {
  if (removals.length === 0) return [];
  const auth = await googleSession(deps, tenantId);
  const confirmed: Removal[] = [];
  for (let at = 0; at < removals.length; at += CONFIRM_CONCURRENCY) {
    const batch = removals.slice(at, at + CONFIRM_CONCURRENCY);
    const startedAt = Date.now();
    const users = await Promise.all(batch.map((removal) => currentUser(deps, auth, removal.userId)));
    batch.forEach((removal, index) => {
      const user = users[index];
      const status = user ? statusOf(user) : 'deleted';
      if (isAtLeast(status, settings.deleteWhen)) confirmed.push({ ...removal, status, action: 'delete', reason: 'status' });
      else if (removal.reason === 'out_of_range' && !(settings.range === 'orgUnits' && isInUnits(user?.orgUnitPath ?? '/', rangeUnits(settings)))) {
        confirmed.push({ ...removal, status });
      }
    });
    const wait = startedAt + batch.length * deps.callSpacingMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return confirmed;
}

async function currentUser(deps: Pick<PageDependencies, 'config' | 'retry'>, auth: OAuth2Client, userId: string) {
  try {
    return await getUser(deps.config, auth, userId, { fields: 'id,suspended,archived,deletionTime,orgUnitPath', projection: 'basic' }, deps.retry);
  } catch (error) {
    const status = error instanceof DirectoryRefusal ? error.status : undefined;
    throw new AppError('unavailable', `The Directory API could not confirm a removal (HTTP ${status ?? 'no response'})`, { cause: error });
  }
}
