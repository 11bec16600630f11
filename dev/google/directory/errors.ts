// Errors in the shape Google's API front end returns them:
// {"error": {"code", "message", "errors": [{"message", "domain", "reason", ...}], "status"}}; a few bodies Google
// documents without "status" (the Directory API's 503) are built without it.

/** One entry of `error.errors`. */
export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
  extendedHelp?: string;
}

/** The JSON body of every Google API error. */
export interface GoogleErrorBody {
  error: { code: number; message: string; errors: GoogleErrorItem[]; status?: string; details?: unknown[] };
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** An error a Directory handler answers with; the router turns it into Google's response. */
export class DirectoryError extends Error {
  readonly status: number;
  readonly body: GoogleErrorBody;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, body: GoogleErrorBody, headers: Readonly<Record<string, string>> = {}) {
    super(body.error.message);
    this.name = 'DirectoryError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Options of googleError beyond code, message and reason. */
export interface GoogleErrorOptions {
  domain?: string;
  /** The message of the `errors` entry when it differs from the top-level message. */
  itemMessage?: string;
  location?: string;
  locationType?: string;
  extendedHelp?: string;
  details?: unknown[];
  headers?: Record<string, string>;
  /** Leave out the top-level "status", for the bodies Google documents without it. */
  withoutStatus?: boolean;
}

/** Builds an error with Google's body. */
export function googleError(
  code: number,
  message: string,
  reason: string,
  options: GoogleErrorOptions = {},
): DirectoryError {
  const item: GoogleErrorItem = { message: options.itemMessage ?? message, domain: options.domain ?? 'global', reason };
  if (options.location !== undefined) item.location = options.location;
  if (options.locationType !== undefined) item.locationType = options.locationType;
  if (options.extendedHelp !== undefined) item.extendedHelp = options.extendedHelp;
  const error: GoogleErrorBody['error'] = {
    code,
    message,
    errors: [item],
    ...(!options.withoutStatus && { status: STATUS_NAMES[code] ?? 'UNKNOWN' }),
  };
  if (options.details) error.details = options.details;
  return new DirectoryError(code, { error }, options.headers);
}

/** 400 "Bad Request": e.g. users.list without customer or domain. */
export function badRequest(): DirectoryError {
  return googleError(400, 'Bad Request', 'badRequest');
}

/** 400 "Invalid Input", optionally naming what was invalid ("Invalid Input: query"). */
export function invalidInput(what?: string): DirectoryError {
  return googleError(400, what ? `Invalid Input: ${what}` : 'Invalid Input', 'invalid');
}

/** 400 for a page token older than the three days Google keeps page tokens. Google's exact wording for an expired
 * token is not published; this assumes the "Invalid Input: <what>" form of its other 400s, naming the parameter. */
export function expiredPageToken(): DirectoryError {
  return googleError(400, 'Invalid Input: pageToken', 'invalid');
}

/** 400 for a query parameter the front end rejects (out of range, not an allowed value). */
export function invalidParameter(parameter: string, message: string): DirectoryError {
  return googleError(400, message, 'invalidParameter', { location: parameter, locationType: 'parameter' });
}

const AUTH_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const REALM = 'Bearer realm="https://accounts.google.com/"';

/** 401 for a request without any credential. */
export function loginRequired(): DirectoryError {
  return googleError(401, `Request is missing required authentication credential. ${AUTH_HELP}`, 'required', {
    itemMessage: 'Login Required.',
    location: 'Authorization',
    locationType: 'header',
    headers: { 'WWW-Authenticate': REALM },
  });
}

/** 401 for an access token Google does not know (expired, revoked or made up). */
export function invalidCredentials(): DirectoryError {
  return googleError(401, `Request had invalid authentication credentials. ${AUTH_HELP}`, 'authError', {
    itemMessage: 'Invalid Credentials',
    location: 'Authorization',
    locationType: 'header',
    headers: { 'WWW-Authenticate': REALM },
  });
}

/** 403 for a token granted none of the method's scopes; `rpcMethod` names the method as Google's ErrorInfo does. */
export function insufficientScopes(rpcMethod: string, scopes: readonly string[]): DirectoryError {
  return googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', {
    itemMessage: 'Insufficient Permission',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
        domain: 'googleapis.com',
        metadata: { service: 'admin.googleapis.com', method: rpcMethod },
      },
    ],
    headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope", scope="${scopes.join(' ')}"` },
  });
}

/** 403 for a caller who is not an administrator of the organisation asked about. */
export function notAuthorized(): DirectoryError {
  return googleError(403, 'Not Authorized to access this resource/api', 'forbidden');
}

/** 404 "Resource Not Found: userKey" and the like. */
export function resourceNotFound(what: string): DirectoryError {
  return googleError(404, `Resource Not Found: ${what}`, 'notFound');
}

/** 503 as the Directory API documents it, with no top-level "status" (Directory API "Troubleshoot error codes",
 * developers.google.com/workspace/admin/directory/v1/guides/troubleshoot-error-codes; the same body is quoted in
 * github.com/googleapis/google-api-ruby-client/issues/824). */
export function serviceUnavailable(): DirectoryError {
  return googleError(503, 'Service unavailable. Please try again', 'backendError', { withoutStatus: true });
}

/** 403 for a call from a Google Cloud project in which the Admin SDK API is not enabled. The wording and the
 * errors entry (domain usageLimits, reason accessNotConfigured, extendedHelp) are Google's for every API, e.g.
 * github.com/taylorwilsdon/google_workspace_mcp/issues/126 and, naming admin.googleapis.com,
 * github.com/DeviaVir/terraform-provider-gsuite/issues/127; the ErrorInfo SERVICE_DISABLED detail with its
 * metadata as in github.com/google-gemini/gemini-cli/issues/1343, then the LocalizedMessage and Help link that
 * Google's answers for other disabled APIs carry after it. */
export function accessNotConfigured(projectNumber: string): DirectoryError {
  const activationUrl = `https://console.developers.google.com/apis/api/admin.googleapis.com/overview?project=${projectNumber}`;
  const message = `Admin SDK API has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return googleError(403, message, 'accessNotConfigured', {
    domain: 'usageLimits',
    extendedHelp: 'https://console.developers.google.com',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'SERVICE_DISABLED',
        domain: 'googleapis.com',
        metadata: {
          serviceTitle: 'Admin SDK API',
          containerInfo: projectNumber,
          service: 'admin.googleapis.com',
          activationUrl,
          consumer: `projects/${projectNumber}`,
        },
      },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [{ description: 'Google developers console API activation', url: activationUrl }],
      },
    ],
  });
}
