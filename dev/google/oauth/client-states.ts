// What an admin can do to an OAuth client under a live connection, and how Google's token endpoint then answers a
// refresh. Each answer is Google's own, with its source:
// - the client deleted in the Google Cloud console: 401 {"error":"deleted_client","error_description":"The OAuth
//   client was deleted."} (https://github.com/xyou365/AutoRclone/issues/98, a RefreshError on refresh);
// - its secret reset, the old one presented: 401 {"error":"invalid_client","error_description":"Unauthorized"}
//   (https://github.com/hrishikeshrt/google_drive_ocr/issues/8);
// - a refresh token presented by another client: 401 {"error":"unauthorized_client","error_description":
//   "Unauthorized"} (https://github.com/baptisteArno/typebot.io/issues/580);
// - the app blocked by the Workspace's API controls: `admin_policy_enforced` ("If an admin set any of the services
//   requested in your app's scopes to Restricted (the error is admin_policy_enforced)",
//   https://developers.google.com/identity/protocols/oauth2#expiration); its description and status are not
//   documented, so 400 and this wording are assumed;
// - the Workspace's session control asking the admin to sign in again: 400 {"error":"invalid_grant",
//   "error_description":"reauth related error (invalid_rapt)","error_subtype":"invalid_rapt"}
//   (https://github.com/anthropics/blobfile/pull/2; error_subtype from the same oauth2 page);
// - a refresh token revoked or expired (as after 7 days for a consent screen left in "Testing"): 400
//   {"error":"invalid_grant","error_description":"Token has been expired or revoked."}
//   (https://github.com/apache/opendal/issues/3901).
import type { default as Provider, KoaContextWithOIDC } from 'oidc-provider';
import type { StandInStore } from './adapter.ts';
import { GOOGLE_PATHS } from './provider.ts';

/** What the admin did to a client's access, beyond deleting it or resetting its secret. */
export type ClientBlock = 'app_blocked' | 'reauth_required';

/** The clients the admin changed: deleted ones, and blocked ones. */
export class ClientStates {
  readonly #store: StandInStore;
  readonly #deleted = new Set<string>();
  readonly #blocks = new Map<string, ClientBlock>();

  constructor(store: StandInStore) {
    this.#store = store;
  }

  /** Deletes the client: every later request of it is refused as deleted_client. */
  delete(clientId: string): boolean {
    if (!this.#store.clients.delete(clientId)) return false;
    this.#deleted.add(clientId);
    return true;
  }

  /** Gives the client a new secret; the old one is refused from now on. */
  resetSecret(clientId: string, clientSecret: string): boolean {
    const client = this.#store.clients.get(clientId);
    if (!client) return false;
    this.#store.registerClient({ ...client, client_secret: clientSecret });
    return true;
  }

  /** Blocks the client's refreshes, as the Workspace's API controls or session control do. */
  block(clientId: string, block: ClientBlock): boolean {
    if (!this.#store.clients.has(clientId)) return false;
    this.#blocks.set(clientId, block);
    return true;
  }

  /** Lifts a block (the admin allowed the app again). */
  unblock(clientId: string): void {
    this.#blocks.delete(clientId);
  }

  /** Forgets every change: deleted clients stay deleted, as they do at Google, but blocks are lifted. */
  reset(): void {
    this.#blocks.clear();
  }

  isDeleted(clientId: string): boolean {
    return this.#deleted.has(clientId);
  }

  blockOf(clientId: string): ClientBlock | undefined {
    return this.#blocks.get(clientId);
  }
}

type Refusal = { readonly status: number; readonly body: Record<string, string> };

const DELETED: Refusal = {
  status: 401,
  body: { error: 'deleted_client', error_description: 'The OAuth client was deleted.' },
};
const UNAUTHORIZED_CLIENT: Refusal = {
  status: 401,
  body: { error: 'invalid_client', error_description: 'Unauthorized' },
};
const OTHER_CLIENT: Refusal = {
  status: 401,
  body: { error: 'unauthorized_client', error_description: 'Unauthorized' },
};
const BLOCKS: Readonly<Record<ClientBlock, Refusal>> = {
  app_blocked: {
    status: 400,
    body: {
      error: 'admin_policy_enforced',
      error_description: "Access to this app is blocked by your organization's admin policy.",
    },
  },
  reauth_required: {
    status: 400,
    body: {
      error: 'invalid_grant',
      error_description: 'reauth related error (invalid_rapt)',
      error_uri: 'https://support.google.com/a/answer/9368756',
      error_subtype: 'invalid_rapt',
    },
  },
};
const EXPIRED_OR_REVOKED: Refusal = {
  status: 400,
  body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
};

function refuse(ctx: KoaContextWithOIDC, refusal: Refusal): void {
  ctx.status = refusal.status;
  ctx.type = 'application/json';
  ctx.body = refusal.body;
}

/** Rewrites token endpoint answers the way Google gives them for deleted, reset and blocked clients. It runs after
 * the provider, which has parsed the request by then; a refresh it answered for a blocked client is undone. */
export function clientStateMiddleware(provider: Provider, states: ClientStates) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.path !== GOOGLE_PATHS.token || ctx.method !== 'POST') return;
    const params = (ctx.oidc.body ?? {}) as Record<string, unknown>;
    const clientId = typeof params['client_id'] === 'string' ? params['client_id'] : '';
    const error = (ctx.body as { error?: unknown } | undefined)?.error;
    if (states.isDeleted(clientId)) {
      refuse(ctx, DELETED);
      return;
    }
    if (error === 'invalid_client') {
      refuse(ctx, UNAUTHORIZED_CLIENT);
      return;
    }
    const refreshToken =
      params['grant_type'] === 'refresh_token' && typeof params['refresh_token'] === 'string'
        ? params['refresh_token']
        : undefined;
    if (refreshToken === undefined) return;
    if (error === 'invalid_grant') {
      const issuedTo = (await provider.RefreshToken.find(refreshToken))?.clientId;
      refuse(ctx, issuedTo !== undefined && issuedTo !== clientId ? OTHER_CLIENT : EXPIRED_OR_REVOKED);
      return;
    }
    const block = states.blockOf(clientId);
    if (ctx.status === 200 && block) {
      const issued = (ctx.body as { access_token?: unknown }).access_token;
      if (typeof issued === 'string') await (await provider.AccessToken.find(issued))?.destroy();
      refuse(ctx, BLOCKS[block]);
    }
  };
}
