// Where the sync's documents live, and what each holds, in one place. Everything is under the tenant, so tenants
// never meet. A reference with a converter parses what it reads (platform/typed-documents.ts); pages and steps are
// read a few fields at a time instead (sync/run/page-record.ts).
import type { Firestore } from '@google-cloud/firestore';
import { extensionDocument, extensionKeyDocument, freeNumberDocument } from '../extensions/extension.ts';
import { welcomeMailDocument } from '../extensions/extension-writes.ts';
import { problemDocument } from '../sync/apply/write-plan.ts';
import { changeEntryDocument } from '../sync/history/change-entry.ts';
import { syncedListDocument } from '../sync/console/synced-list.ts';
import { removalDocument } from '../sync/removals/delete-or-release.ts';
import { syncRunDocument } from '../sync/run/run.ts';
import { numberingDocument, syncStateDocument } from '../sync/run/sync-state.ts';
import { savedSettingsDocument } from '../sync/settings/settings.ts';
import type { Chain } from '../sync/settings/sources.ts';

/** Document and collection references of one tenant's sync. */
export function syncPaths(db: Firestore, tenantId: string) {
  const tenant = db.doc(`tenants/${tenantId}`);
  const runs = tenant.collection('syncRuns').withConverter(syncRunDocument);
  const runStep = (runId: string, step: string) => runs.doc(runId).collection('steps').doc(step);
  const extensions = tenant.collection('extensions').withConverter(extensionDocument);
  const googleLinks = tenant.collection('googleLinks').withConverter(extensionKeyDocument);
  const emailKeys = tenant.collection('extensionEmails').withConverter(extensionKeyDocument);
  const specificUsers = tenant.collection('specificUsers').withConverter(syncedListDocument);
  return {
    tenant,
    settings: tenant.collection('settings').doc('sync').withConverter(savedSettingsDocument),
    state: tenant.collection('syncState').doc('current').withConverter(syncStateDocument),
    runs,
    run: (runId: string) => runs.doc(runId),
    pages: (runId: string) => runs.doc(runId).collection('pages'),
    page: (runId: string, chain: Chain, page: number) => runs.doc(runId).collection('pages').doc(`${chain}:${page}`),
    problems: (runId: string) => runs.doc(runId).collection('problems').withConverter(problemDocument),
    /** A run's history: one entry per change it made (sync/history/). */
    changes: (runId: string) => runs.doc(runId).collection('changes').withConverter(changeEntryDocument),
    /** The pushes of one UTC day (YYYY-MM-DD), in the history beside the runs. */
    pushDays: tenant.collection('pushDays'),
    pushDayChanges: (date: string) =>
      tenant.collection('pushDays').doc(date).collection('changes').withConverter(changeEntryDocument),
    held: (runId: string) => runs.doc(runId).collection('held').withConverter(removalDocument),
    finalizeClaim: (runId: string) => runStep(runId, 'finalize'),
    approvalClaim: (runId: string) => runStep(runId, 'approval'),
    removalsClaim: (runId: string) => runStep(runId, 'removals'),
    /** A finalize's removals, when too many for its own delivery. */
    removals: (runId: string) => runs.doc(runId).collection('removals').withConverter(removalDocument),
    /** Claimed once by the step that starts a group run's user chain, after every membership listing. */
    usersStep: (runId: string) => runStep(runId, 'users'),
    /** Written with a chain's last page's record: pages done after it then know to ask for finalize, by one read
     * instead of a query over every page's record. */
    chainEnd: (runId: string, chain: Chain) => runStep(runId, `${chain}:end`),
    /** One per page token a chain was given, keyed by the token's digest, naming the page it leads to: a token
     * Google gives twice in one listing finds its key taken by another page. */
    pageTokenKey: (runId: string, chain: Chain, tokenDigest: string) =>
      runs.doc(runId).collection('pageTokens').doc(`${chain}:${tokenDigest}`),
    extensions,
    extension: (number: string) => extensions.doc(number),
    googleLinks,
    googleLink: (userId: string) => googleLinks.doc(userId),
    emailKeys,
    emailKey: (email: string) => emailKeys.doc(email.toLowerCase()),
    freeNumbers: tenant.collection('freeNumbers').withConverter(freeNumberDocument),
    numbering: tenant.collection('numbering').doc('auto').withConverter(numberingDocument),
    welcomeMails: tenant.collection('welcomeMails').withConverter(welcomeMailDocument),
    /** The "synced list" of Specific Users: the users the admin took with "Synchronize to PBX", by Google user id. */
    specificUsers,
    specificUser: (userId: string) => specificUsers.doc(userId),
  };
}

/** The references of one tenant's sync. */
export type SyncPaths = ReturnType<typeof syncPaths>;
