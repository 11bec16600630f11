// The signed-in user as the landing page shows them: name and extension, read from the extension itself so the
// page never shows stale data. A session whose extension is gone, now linked to another Google user, or whose
// user is no longer active ends here, as sign-in would refuse it.
import type { Firestore } from '@google-cloud/firestore';
import { syncPaths } from '../tenants/paths.ts';
import { getTenant } from '../tenants/tenant.ts';
import { endSession, readSession } from './sessions.ts';

/** What the landing page shows. */
export interface SignedInUserView {
  readonly tenant: { readonly id: string; readonly name: string };
  readonly extension: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly expiresAt: string;
}

/** The browser's signed-in user on `tenantId`, or undefined when it has no valid session there. */
export async function signedInUser(
  db: Firestore,
  browserId: string | undefined,
  tenantId: string,
): Promise<SignedInUserView | undefined> {
  const session = await readSession(db, browserId, tenantId);
  if (!session) return undefined;
  const [snapshot, tenant] = await Promise.all([
    syncPaths(db, tenantId).extension(session.extension).get(),
    getTenant(db, tenantId),
  ]);
  const extension = snapshot.data();
  if (
    extension?.source !== 'google' ||
    extension.google?.userId !== session.googleUserId ||
    extension.google.status !== 'active'
  ) {
    await endSession(db, browserId);
    return undefined;
  }
  return {
    tenant: { id: tenant.id, name: tenant.name },
    extension: extension.number,
    // The sync writes all three on a Google-managed extension.
    firstName: extension.firstName ?? '',
    lastName: extension.lastName ?? '',
    email: extension.email ?? '',
    expiresAt: session.expiresAt.toDate().toISOString(),
  };
}
