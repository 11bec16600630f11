// Where the sync's documents live, in one place. Everything is under the tenant, so tenants never meet.
import type { Firestore } from '@google-cloud/firestore';
import type { Chain } from '../sync/settings/sources.ts';

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
    approvalClaim: (runId: string) => tenant.collection('syncRuns').doc(runId).collection('steps').doc('approval'),
    removalsClaim: (runId: string) => tenant.collection('syncRuns').doc(runId).collection('steps').doc('removals'),
    /** A finalize's removals, when too many for its own delivery. */
    removals: (runId: string) => tenant.collection('syncRuns').doc(runId).collection('removals'),
    /** Claimed once by the step that starts a group run's user chain, after every membership listing. */
    usersStep: (runId: string) => tenant.collection('syncRuns').doc(runId).collection('steps').doc('users'),
    extensions: tenant.collection('extensions'),
    extension: (number: string) => tenant.collection('extensions').doc(number),
    googleLinks: tenant.collection('googleLinks'),
    googleLink: (userId: string) => tenant.collection('googleLinks').doc(userId),
    emailKey: (email: string) => tenant.collection('extensionEmails').doc(email.toLowerCase()),
    freeNumbers: tenant.collection('freeNumbers'),
    numbering: tenant.collection('numbering').doc('auto'),
    welcomeMails: tenant.collection('welcomeMails'),
    /** The "synced list" of Specific Users: the users the admin took with "Synchronize to PBX", by Google user id. */
    specificUsers: tenant.collection('specificUsers'),
    specificUser: (userId: string) => tenant.collection('specificUsers').doc(userId),
  };
}

/** The references of one tenant's sync. */
export type SyncPaths = ReturnType<typeof syncPaths>;
