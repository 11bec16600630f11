// oidc-provider configured to behave like accounts.google.com for what the product uses: the authorization code
// flow with PKCE, refresh tokens for access_type=offline, `hd` and `email_verified` in the ID token, exact
// redirect_uri matching, and client_secret checks. Google's paths are kept so only the origin differs.
import { randomBytes } from 'node:crypto';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { findAccount, type WorkspaceUsers } from './accounts.ts';
import type { StandInStore } from './adapter.ts';
import type { SigningKey } from './keys.ts';
import { ALL_SCOPES } from './scopes.ts';

/** Google's paths, served on the stand-in's origin. */
export const GOOGLE_PATHS = {
  authorization: '/o/oauth2/v2/auth',
  token: '/token',
  jwks: '/oauth2/v3/certs',
  pemCerts: '/oauth2/v1/certs',
  userinfo: '/v1/userinfo',
  revoke: '/revoke',
  tokenInfo: '/tokeninfo',
} as const;

/** Where the provider sends the browser for sign-in and consent. */
export const INTERACTION_PREFIX = '/signin/v2';

/** Everything the provider is built from. */
export interface ProviderOptions {
  readonly issuer: string;
  readonly key: SigningKey;
  readonly store: StandInStore;
  readonly users: WorkspaceUsers;
  readonly consumers: Map<string, string>;
}

/** Builds the OpenID provider. */
export function createProvider(options: ProviderOptions): Provider {
  const provider = new Provider(options.issuer, {
    adapter: (model: string) => options.store.adapterFor(model),
    findAccount: findAccount(options.users, options.consumers),
    jwks: { keys: [options.key.privateJwk] },
    // Without this the code flow's ID token carries no email claims, unlike Google's.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub', 'hd'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'locale', 'picture'],
    },
    scopes: ALL_SCOPES,
    extraParams: {
      // Google issues a refresh token for access_type=offline; oidc-provider does for offline_access.
      access_type(ctx: KoaContextWithOIDC, value: string | undefined) {
        if (value !== 'offline') return;
        const params = ctx.oidc.params as { scope?: string };
        const scopes = new Set((params.scope ?? '').split(' ').filter(Boolean));
        scopes.add('offline_access');
        params.scope = [...scopes].join(' ');
      },
      include_granted_scopes: null,
      hd: null,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: false },
      userinfo: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PREFIX}/${interaction.uid}` },
    routes: {
      authorization: GOOGLE_PATHS.authorization,
      token: GOOGLE_PATHS.token,
      jwks: GOOGLE_PATHS.jwks,
      userinfo: GOOGLE_PATHS.userinfo,
    },
    pkce: { required: () => false },
    // google-auth-library keeps using the refresh token it has; Google does not rotate them either.
    rotateRefreshToken: false,
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 600,
      IdToken: 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 365 * 24 * 3600,
      RefreshToken: 180 * 24 * 3600,
    },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><h1>Access blocked: authorization error</h1><p>Error ${escapeHtml(
        out['error'],
      )}</p><p>${escapeHtml(out['error_description'] ?? '')}</p>`;
    },
  });
  return provider;
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
