// What Google granted must be exactly what connect needs: every scope, a verified ID token for this attempt, and
// directory admin rights, proven by reading the admin's own user with the new token.
import type { Credentials, OAuth2Client, TokenPayload } from 'google-auth-library';
import type { DirectoryProvider, DirectoryReader, UserLookup } from '../google/directory.ts';
import { AdminApiDisabled, DirectoryError } from '../google/directory-errors.ts';
import { CONNECT_SCOPES, describeScope, missingScopes } from '../google/scopes.ts';
import { ConnectError } from './connect-error.ts';

/** The verified admin and Workspace. */
export interface VerifiedGrant {
  readonly googleEmail: string;
  readonly sub: string;
  readonly primaryDomain: string;
  readonly customerId: string;
}

/** Checks scopes, the ID token and directory access; throws a ConnectError naming what is wrong. */
export async function verifyGrant(
  directory: DirectoryProvider,
  oauth: OAuth2Client,
  expected: { clientId: string; nonce: string },
  tokens: Credentials,
): Promise<VerifiedGrant> {
  const missing = missingScopes(tokens.scope, CONNECT_SCOPES);
  if (missing.length > 0) {
    throw new ConnectError(
      'missing_scope',
      `Every permission must be allowed on the Google consent screen; missing: ${missing.map(describeScope).join(', ')}. Click Integrate and leave every box ticked.`,
    );
  }
  if (!tokens.id_token || !tokens.refresh_token)
    throw new ConnectError('no_refresh_token', 'Google did not grant offline access. Start again.');
  const payload = await verifiedIdToken(oauth, tokens.id_token, expected);
  if (!payload.hd) {
    throw new ConnectError(
      'not_admin',
      `${payload.email} is not a Google Workspace account. Sign in as a Workspace super administrator.`,
    );
  }
  oauth.setCredentials(tokens);
  const customerId = await readAdminCustomer(directory.forGrant(oauth), payload.sub, payload.email!);
  return { googleEmail: payload.email!, sub: payload.sub, primaryDomain: payload.hd, customerId };
}

// The library's errors quote the token or its payload, so they are replaced, not wrapped.
async function verifiedIdToken(
  oauth: OAuth2Client,
  idToken: string,
  expected: { clientId: string; nonce: string },
): Promise<TokenPayload> {
  let payload: TokenPayload | undefined;
  try {
    payload = (await oauth.verifyIdToken({ idToken, audience: expected.clientId })).getPayload();
  } catch {
    payload = undefined;
  }
  if (!payload || payload.nonce !== expected.nonce || payload.email_verified !== true || !payload.email) {
    throw new ConnectError('google_error', 'Google returned a sign-in that could not be verified. Start again.');
  }
  return payload;
}

// Reading one's own user with admin_view succeeds only for a directory admin, and it yields the customer id. Only
// a super administrator (`isAdmin`) is known to list the whole directory: a delegated admin's role may reach some
// units only, and a sync would take everyone else for deleted.
async function readAdminCustomer(directory: DirectoryReader, sub: string, email: string): Promise<string> {
  const mayNotRead = () =>
    new ConnectError(
      'not_admin',
      `${email} may not read the Workspace directory. Sign in as a Workspace super administrator.`,
    );
  let lookup: UserLookup;
  try {
    lookup = await directory.lookUpUser(sub, { fields: 'id,customerId,isAdmin' });
  } catch (error) {
    if (error instanceof AdminApiDisabled) {
      throw new ConnectError(
        'api_disabled',
        'The Admin SDK API is not enabled in your Google Cloud project. Enable it (guide Step 2) and click Integrate again.',
      );
    }
    if (error instanceof DirectoryError && error.failure === 'insufficient_permissions') throw mayNotRead();
    throw new ConnectError(
      'google_error',
      'Google could not check the directory access right now. Try again in a moment.',
    );
  }
  if (lookup.kind === 'forbidden') throw mayNotRead();
  if (lookup.kind === 'absent')
    throw new ConnectError(
      'google_error',
      'Google could not check the directory access right now. Try again in a moment.',
    );
  const data = lookup.user;
  if (data.id !== sub || !data.customerId)
    throw new ConnectError('google_error', 'The Workspace directory returned another user. Start again.');
  if (data.isAdmin !== true) {
    throw new ConnectError(
      'not_admin',
      `${email} is not a super administrator: its admin role may show only part of the directory, its groups or its units, and a sync would take everyone else for deleted. Sign in as a Workspace super administrator.`,
    );
  }
  return data.customerId;
}
