// Where the sync's documents live, in one place. Everything is under the tenant, so tenants never meet.
import type { Firestore } from '@google-cloud/firestore';

/** The chains of page tasks of a run: the domain listing, and the listing of deleted users (showDeleted). */
export type Chain = 'domain' | 'deleted';

/** Every chain a run of the "All Users" range has. */
export const CHAINS: readonly Chain[] = ['domain', 'deleted'];

/** Document and collection references of one tenant's sync. */
export function syncPaths(db: Firestore, tenantId: string) {
  const tenant = db.doc(`tenants/${tenantId}`);
  return {
    tenant,
    settings: tenant.collection('settings').doc('sync'),
    state: tenant.collection('syncState').doc('current'),
    runs: tenant.collection('syncRuns'),
    run: (runId: string) => tenant.collection('syncRuns').doc(runId),
    pages: (runId: string) => tenant.collection('syncRuns').doc(runId).collection('pages'),
    page: (runId: string, chain: Chain, page: number) => tenant.collection('syncRuns').doc(runId).collection('pages').doc(`${chain}:${page}`),
    problems: (runId: string) => tenant.collection('syncRuns').doc(runId).collection('problems'),
    held: (runId: string) => tenant.collection('syncRuns').doc(runId).collection('held'),
    finalizeClaim: (runId: string) => tenant.collection('syncRuns').doc(runId).collection('steps').doc('finalize'),
    extensions: tenant.collection('extensions'),
    extension: (number: string) => tenant.collection('extensions').doc(number),
    googleLinks: tenant.collection('googleLinks'),
    googleLink: (userId: string) => tenant.collection('googleLinks').doc(userId),
    emailKey: (email: string) => tenant.collection('extensionEmails').doc(email.toLowerCase()),
    freeNumbers: tenant.collection('freeNumbers'),
    numbering: tenant.collection('numbering').doc('auto'),
    welcomeMails: tenant.collection('welcomeMails'),
  };
}

/** The references of one tenant's sync. */
export type SyncPaths = ReturnType<typeof syncPaths>;
