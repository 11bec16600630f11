// The SSO callback's work. The tenant comes from the state record alone. The state is consumed once and must come
// back to the browser that started it; openid-client then exchanges the code with the PKCE verifier and checks the
// ID token (signature against the issuer's keys, iss, aud = the tenant's client ID, exp, nonce); admitUser applies
// the rest of SPEC §6. Nothing is written unless every check passes.
import * as client from 'openid-client';
import { ConnectError } from '../connect/connect-error.ts';
import { checkOAuthState, consumeOAuthState, type ConsumedState } from '../connect/oauth-state.ts';
import { AppError } from '../errors.ts';
import { admitUser, findLinkedExtension } from './admit-user.ts';
import { readSignInSetup, type SignInSetup } from './sign-in-setup.ts';
import { notAvailable, SsoError, type SsoFailure } from './sso-error.ts';
import type { SsoDependencies } from './start-sign-in.ts';

/** The callback's query, as Google sent it. */
export interface SignInCallback {
  /** The query string, `?` included, passed to openid-client unchanged. */
  readonly search: string;
  readonly state: string | undefined;
  readonly error: string | undefined;
}

/** Who signed in. */
export interface SignedIn {
  readonly tenantId: string;
  readonly extension: string;
  readonly googleUserId: string;
}

/** Completes a sign-in, or throws an SsoError naming why it was refused. */
export async function completeSignIn(
  deps: SsoDependencies,
  callback: SignInCallback,
  browserId: string | undefined,
): Promise<SignedIn> {
  let record: ConsumedState;
  // The tenant's setup is read while the state's deletion commits, as it needs only the record's tenant; it is
  // used only once the state is consumed and checked.
  const early: { setup?: Promise<SignInSetup | undefined> } = {};
  try {
    record = await consumeOAuthState(deps.db, callback.state, 'sso', (read) => {
      early.setup = mayGoUnused(readSignInSetup(deps.db, read.tenant));
    });
    checkOAuthState(record, browserId);
  } catch (error) {
    throw error instanceof ConnectError ? stateRefusal(error) : error;
  }
  try {
    return await signInWith(deps, record, callback, early.setup ?? readSignInSetup(deps.db, record.tenant));
  } catch (error) {
    if (error instanceof SsoError) error.tenantId = record.tenant;
    throw error;
  }
}

// A read started before it is known to be needed: when the sign-in ends first (a refused state, an error from
// Google), its failure must not surface as an unhandled rejection.
function mayGoUnused<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}

async function signInWith(
  deps: SsoDependencies,
  record: ConsumedState,
  callback: SignInCallback,
  setupRead: Promise<SignInSetup | undefined>,
): Promise<SignedIn> {
  if (callback.error === 'access_denied')
    throw new SsoError('cancelled', 'The sign-in was cancelled at Google. Start again to sign in.');
  if (callback.error)
    throw new SsoError('google_error', 'Google ended the sign-in with an error. Start again in a moment.');
  const setup = await setupRead;
  if (!setup) throw notAvailable(record.tenant);

  let claims: client.IDToken;
  try {
    const secretVersion = setup.clientSecretVersion;
    const readSecret = async () => {
      const secret = await deps.secrets.readVersion(secretVersion);
      if (!secret) throw new AppError('unavailable', 'The OAuth client secret of the integration is gone');
      return secret;
    };
    claims = await deps.oidc.exchangeCode(
      { clientId: setup.clientId, secretVersion, readSecret },
      new URL(`${record.redirect_uri}${callback.search}`),
      { state: callback.state ?? '', nonce: record.nonce, codeVerifier: record.code_verifier },
    );
  } catch (error) {
    throw translate(error);
  }
  const linked = await findLinkedExtension(deps.db, record.tenant, claims.sub);
  const extension = admitUser(claims, linked, setup.primaryDomain);
  return { tenantId: record.tenant, extension, googleUserId: claims.sub };
}

// The state records are shared with connect, whose errors name the same three state failures.
function stateRefusal(error: ConnectError): SsoError {
  const reason: SsoFailure =
    error.reason === 'expired_state' || error.reason === 'foreign_browser' ? error.reason : 'invalid_state';
  return new SsoError(reason, error.message, { cause: error, tenantId: error.tenantId });
}

// openid-client's failures, translated once: Google's own refusals and outages, and every other check that
// failed on the answer (signature, alg, iss, aud, exp, nonce), which is never trusted.
const UNEXPECTED_ANSWER: ReadonlySet<string> = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

function translate(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) {
    return new SsoError('google_error', 'Google did not accept this sign-in. Start again.', { cause: error });
  }
  const unreachable =
    error instanceof TypeError ||
    (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError'));
  if (
    unreachable ||
    (error instanceof client.ClientError && error.code !== undefined && UNEXPECTED_ANSWER.has(error.code))
  ) {
    return new SsoError('google_error', 'Google could not be reached to finish the sign-in. Try again in a moment.', {
      cause: error,
    });
  }
  return new SsoError(
    'invalid_token',
    "Google's answer could not be verified, so you were not signed in. Start again.",
    { cause: error },
  );
}
