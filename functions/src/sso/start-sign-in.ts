// The "G" button: an OpenID Connect authorization request with the tenant's own client, to the Client SSO Redirect
// URI, with PKCE S256, a nonce, and a single-use state (purpose "sso") bound to this browser. The Workspace's
// primary domain goes along as `hd`, a hint for Google's account chooser; the callback checks the real thing.
import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import * as client from 'openid-client';
import type { AppConfig } from '../config.ts';
import { createOAuthState, sha256 } from '../connect/oauth-state.ts';
import type { SecretStore } from '../platform/secret-store.ts';
import type { GoogleOidc } from './google-oidc.ts';
import { readSignInSetup } from './sign-in-setup.ts';
import { notAvailable } from './sso-error.ts';

/** What sign-in needs. */
export interface SsoDependencies {
  readonly config: AppConfig;
  readonly db: Firestore;
  readonly secrets: SecretStore;
  readonly oidc: GoogleOidc;
}

// The sign-in scopes: the subject and the e-mail claims (with hd) are all the callback uses.
const SIGN_IN_SCOPES = 'openid email';

/** Starts a sign-in at `tenantId` for the browser `browserId`; returns Google's authorization URL. The client
 * secret is not needed until the callback. */
export async function startSignIn(
  deps: Omit<SsoDependencies, 'secrets'>,
  tenantId: string,
  browserId: string,
): Promise<URL> {
  const setup = await readSignInSetup(deps.db, tenantId);
  if (!setup) throw notAvailable(tenantId);
  const redirectUri = deps.config.redirectUris.sso;
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = await createOAuthState(deps.db, {
    purpose: 'sso',
    tenant: tenantId,
    code_verifier: codeVerifier,
    nonce,
    redirect_uri: redirectUri,
    browserHash: sha256(browserId),
    attempt: randomBytes(6).toString('base64url'),
  });
  return deps.oidc.authorizationUrl(setup.clientId, {
    redirect_uri: redirectUri,
    scope: SIGN_IN_SCOPES,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...(setup.primaryDomain && { hd: setup.primaryDomain }),
  });
}
