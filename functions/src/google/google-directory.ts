// The Directory port's Google adapter: the Admin SDK Directory API through Google's client library, with the
// tenant's session. A tenant's directory opens its session on its first call and keeps it; when Google refuses a
// cached access token (its grant was revoked), the call is made once more with a fresh session, which finds out
// whether the refresh token still works and marks the integration for reauthorization when it does not.
import type { OAuth2Client } from 'google-auth-library';
import type { DirectoryProvider, DirectoryReader, TenantDirectory, UsersQuery, UserView } from './directory.ts';
import { ReauthorizationRequired } from './directory-errors.ts';
import {
  fetchGroupsPage,
  fetchMembersPage,
  fetchUsersPage,
  hasMember,
  listOrgUnits,
  lookUpUser,
  type RetryPolicy,
} from './directory-api.ts';
import { stopChannel, watchUsers } from './directory-channels.ts';
import { googleSession, type SessionDependencies, type TenantSession } from './google-session.ts';
import type { AppConfig } from '../config.ts';

/** Runs a call with the grant. */
export type WithAuth = <T>(call: (auth: OAuth2Client) => Promise<T>) => Promise<T>;

// The reads, each through `withAuth`, which hands it the grant.
function readerOf(config: AppConfig, policy: RetryPolicy, withAuth: WithAuth): DirectoryReader {
  return {
    listUsers: (query: UsersQuery) => withAuth((auth) => fetchUsersPage(config, auth, query, policy)),
    listMembers: (groupId: string, pageToken: string | undefined) =>
      withAuth((auth) => fetchMembersPage(config, auth, groupId, pageToken, policy)),
    lookUpUser: (userKey: string, view: UserView) =>
      withAuth((auth) => lookUpUser(config, auth, userKey, view, policy)),
    hasMember: (groupId: string, userKey: string) =>
      withAuth((auth) => hasMember(config, auth, groupId, userKey, policy)),
    listOrgUnits: () => withAuth((auth) => listOrgUnits(config, auth, policy)),
    listGroups: (pageToken: string | undefined) => withAuth((auth) => fetchGroupsPage(config, auth, pageToken, policy)),
  };
}

/** A tenant's session as one view of its directory uses it: opened on the first call and kept. A call whose access
 * token Google refused is made once more with a fresh session (the cached one forgotten first); calls in flight with
 * the same refused token share that fresh session. A session that failed to open is not kept. */
export function sessionScope(
  open: () => Promise<TenantSession>,
  forget: () => void,
): { session: () => Promise<TenantSession>; withAuth: WithAuth } {
  let current: Promise<TenantSession> | undefined;
  const reopen = (): Promise<TenantSession> => {
    const opening = open();
    opening.catch(() => {
      if (current === opening) current = undefined;
    });
    current = opening;
    return opening;
  };
  const session = () => current ?? reopen();
  const withAuth: WithAuth = async (call) => {
    const used = session();
    const { oauth } = await used;
    try {
      return await call(oauth);
    } catch (error) {
      if (!(error instanceof ReauthorizationRequired)) throw error;
      if (current === used) {
        forget();
        void reopen();
      }
      return call((await session()).oauth);
    }
  };
  return { session, withAuth };
}

/** Connect answers the admin at once: one attempt, no backoff. */
const ONE_ATTEMPT: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

/** The Directory port on Google. */
export class GoogleDirectory implements DirectoryProvider {
  readonly #deps: SessionDependencies & { readonly retry: RetryPolicy };

  constructor(deps: SessionDependencies & { readonly retry: RetryPolicy }) {
    this.#deps = deps;
  }

  forTenant(tenantId: string): TenantDirectory {
    const deps = this.#deps;
    const { session, withAuth } = sessionScope(
      () => googleSession(deps, tenantId),
      () => deps.sessions.delete(tenantId),
    );
    return {
      ...readerOf(deps.config, deps.retry, withAuth),
      watchUsers: (event, channel) => withAuth((auth) => watchUsers(deps.config, auth, event, channel, deps.retry)),
      stopChannel: (id, resourceId) => withAuth((auth) => stopChannel(deps.config, auth, id, resourceId, deps.retry)),
      connectingAdmin: async () => {
        const { connectedBy } = await session();
        return { email: connectedBy?.googleEmail, userKey: connectedBy?.googleUserId ?? connectedBy?.googleEmail };
      },
    };
  }

  forGrant(oauth: OAuth2Client): DirectoryReader {
    return readerOf(this.#deps.config, ONE_ATTEMPT, (call) => call(oauth));
  }
}
