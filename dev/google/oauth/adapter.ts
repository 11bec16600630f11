// An in-memory storage adapter for oidc-provider. Unlike the provider's built-in one it never evicts, it can
// revoke everything an account holds at a client (as Google's revoke endpoint does), and it serves OAuth clients
// registered at run time, the way an admin creates a client in their own Google Cloud project.
import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

// Opaque tokens and codes are their own ids: these models' ids are credentials.
const CREDENTIAL_MODELS = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode']);

/** The storage behind every model of one provider. */
export class StandInStore {
  readonly clients = new Map<string, ClientMetadata>();
  /** Every access token, refresh token and authorization code ever issued, revoked or not: what no log may show. */
  readonly everIssued = new Set<string>();
  readonly #entries = new Map<string, Entry>();
  readonly #grantMembers = new Map<string, Set<string>>();
  readonly #sessionUids = new Map<string, string>();

  /** Registers or replaces an OAuth client. */
  registerClient(client: ClientMetadata): void {
    this.clients.set(client.client_id, client);
  }

  /** Builds the adapter of one model, as oidc-provider asks for it. */
  adapterFor(model: string): Adapter {
    // oidc-provider calls these methods on the adapter object, so the store is named, not `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const store = this;
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        if (CREDENTIAL_MODELS.has(model)) store.everIssued.add(id);
        store.#entries.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
        if (payload.grantId) {
          const members = store.#grantMembers.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          store.#grantMembers.set(payload.grantId, members);
        }
        if (model === 'Session' && payload.uid) store.#sessionUids.set(payload.uid, id);
      },
      async find(id) {
        if (model === 'Client') return store.clients.get(id);
        return store.#read(key(id));
      },
      async findByUid(uid) {
        const id = store.#sessionUids.get(uid);
        return id === undefined ? undefined : store.#read(key(id));
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const entry = store.#entries.get(key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.#entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        store.revokeGrant(grantId);
      },
    };
  }

  /** Expires every access token issued to a client, as an hour passing does; refresh tokens stay. */
  expireAccessTokens(clientId: string): number {
    let expired = 0;
    for (const [fullKey, entry] of this.#entries) {
      if (fullKey.startsWith('AccessToken:') && entry.payload.clientId === clientId) {
        entry.expiresAt = 0;
        expired++;
      }
    }
    return expired;
  }

  /** Deletes every grant of the account at the client, and every token and code issued to the pair. Each consent
   * makes a grant of its own here, while Google keeps one authorization per account and client: revoking any one
   * token "removes all OAuth 2.0 scopes previously granted to a project, invalidating any issued access or refresh
   * tokens" (https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke). */
  revokeAccountAtClient(accountId: string, clientId: string): void {
    for (const [fullKey, { payload }] of this.#entries) {
      if (payload.accountId !== accountId || payload.clientId !== clientId) continue;
      const [model, id] = [fullKey.slice(0, fullKey.indexOf(':')), fullKey.slice(fullKey.indexOf(':') + 1)];
      if (model === 'Grant') this.revokeGrant(id);
      else if (CREDENTIAL_MODELS.has(model)) this.#entries.delete(fullKey);
    }
  }

  /** Deletes a grant and every token issued under it. */
  revokeGrant(grantId: string): void {
    for (const member of this.#grantMembers.get(grantId) ?? []) this.#entries.delete(member);
    this.#grantMembers.delete(grantId);
    this.#entries.delete(`Grant:${grantId}`);
  }

  #read(fullKey: string): AdapterPayload | undefined {
    const entry = this.#entries.get(fullKey);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(fullKey);
      return undefined;
    }
    return entry.payload;
  }
}
