// Why Google stopped accepting a tenant's stored authorization, told from the token endpoint's answer to a refresh,
// and what the admin must do about it. Each makes the integration "reauthorization required": syncs stop, nothing
// is deleted, and the page shows the message until a Reauthorize or a new client secret succeeds. The answers are
// Google's (see the sources in dev/google/oauth/client-states.ts).

/** What can go wrong with the stored authorization. */
export const AUTHORIZATION_PROBLEM_CODES = [
  'grant_revoked',
  'reauth_required',
  'app_blocked',
  'client_secret_invalid',
  'client_deleted',
  'client_unauthorized',
] as const;

/** What went wrong with the stored authorization. */
export type AuthorizationProblemCode = (typeof AUTHORIZATION_PROBLEM_CODES)[number];

/** The problem recorded on the integration. */
export interface AuthorizationProblem {
  readonly code: AuthorizationProblemCode;
  readonly message: string;
  /** The admin must enter a client (a new secret, or a new client) under Certificates & Secrets, not just
   * Reauthorize. */
  readonly needsNewCredentials: boolean;
  readonly at: string;
}

const CERTIFICATES = 'click Integrate, enter it under Certificates & Secrets and click Save';

const PROBLEMS: Readonly<Record<AuthorizationProblemCode, Omit<AuthorizationProblem, 'code' | 'at'>>> = {
  grant_revoked: {
    message:
      'Google no longer accepts the authorization: it was revoked, the admin\'s password changed, or it expired (Google expires it after 7 days when the OAuth consent screen\'s Audience is left in "Testing"; set it to "Internal", as Step 2 of the guide asks). Click Reauthorize.',
    needsNewCredentials: false,
  },
  reauth_required: {
    message:
      "Your Google Workspace asks the administrator to sign in again before this app may read the directory. Allow the app in your Admin console's API controls (Security → Access and data control → API controls), then click Reauthorize.",
    needsNewCredentials: false,
  },
  app_blocked: {
    message:
      "Your Google Workspace's API controls block this app. Allow the app in your Admin console's API controls (Security → Access and data control → API controls: mark its OAuth client as Trusted), then click Reauthorize.",
    needsNewCredentials: false,
  },
  client_secret_invalid: {
    message: `Google no longer accepts the client secret: it was reset or deleted in the Google Cloud console. Create a new client secret for the OAuth client, then ${CERTIFICATES}.`,
    needsNewCredentials: true,
  },
  client_deleted: {
    message: `The OAuth client was deleted in the Google Cloud console. Create a new OAuth client with the two redirect URIs (Step 2 of the guide), then ${CERTIFICATES} with its Client ID.`,
    needsNewCredentials: true,
  },
  client_unauthorized: {
    message: `Google refused this OAuth client the stored authorization. Check in the Google Cloud console that it is a "Web application" client with the two redirect URIs, then ${CERTIFICATES} with its Client ID and Client Secret.`,
    needsNewCredentials: true,
  },
};

/** The token endpoint's error body, as google-auth-library hands it over. */
export interface TokenErrorBody {
  readonly error?: unknown;
  readonly error_description?: unknown;
  readonly error_subtype?: unknown;
}

/** The problem a refresh refusal means, or undefined when it says nothing lasting (a Google outage, say). */
export function authorizationProblemOf(
  body: TokenErrorBody | undefined,
  at = new Date().toISOString(),
): AuthorizationProblem | undefined {
  const code = codeOf(body);
  return code ? { code, ...PROBLEMS[code], at } : undefined;
}

function codeOf(body: TokenErrorBody | undefined): AuthorizationProblemCode | undefined {
  switch (body?.error) {
    case 'invalid_grant': {
      const rapt =
        body.error_subtype === 'invalid_rapt' ||
        (typeof body.error_description === 'string' && body.error_description.includes('invalid_rapt'));
      return rapt ? 'reauth_required' : 'grant_revoked';
    }
    case 'admin_policy_enforced':
      return 'app_blocked';
    case 'invalid_client':
      return 'client_secret_invalid';
    case 'deleted_client':
      return 'client_deleted';
    case 'unauthorized_client':
      return 'client_unauthorized';
    default:
      return undefined;
  }
}
