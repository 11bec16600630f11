// The Directory port with its adapter loaded on first use. The Google adapter brings the Directory API's client
// library, which a function that never reads the directory (Sign in with Google, the login pages, welcome e-mails,
// the tick) should not load at its cold start.
import type { OAuth2Client } from 'google-auth-library';
import type { DirectoryProvider, DirectoryReader, TenantDirectory } from './directory.ts';

// Each read waits for the target, which is asked for on the first read only.
function forwardReads<T extends DirectoryReader>(target: () => Promise<T>): DirectoryReader {
  return {
    listUsers: async (query) => (await target()).listUsers(query),
    listMembers: async (groupId, pageToken) => (await target()).listMembers(groupId, pageToken),
    lookUpUser: async (userKey, view) => (await target()).lookUpUser(userKey, view),
    hasMember: async (groupId, userKey) => (await target()).hasMember(groupId, userKey),
    listOrgUnits: async () => (await target()).listOrgUnits(),
    listGroups: async (pageToken) => (await target()).listGroups(pageToken),
  };
}

function once<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= build());
}

/** A Directory port that loads its adapter with `load` when it is first read. */
export function directoryOnFirstUse(load: () => Promise<DirectoryProvider>): DirectoryProvider {
  const provider = once(load);
  return {
    forTenant(tenantId: string): TenantDirectory {
      const target = once(async () => (await provider()).forTenant(tenantId));
      return {
        ...forwardReads(target),
        watchUsers: async (event, channel) => (await target()).watchUsers(event, channel),
        stopChannel: async (id, resourceId) => (await target()).stopChannel(id, resourceId),
        connectingAdmin: async () => (await target()).connectingAdmin(),
      };
    },
    forGrant(oauth: OAuth2Client): DirectoryReader {
      return forwardReads(once(async () => (await provider()).forGrant(oauth)));
    },
  };
}
