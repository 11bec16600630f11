// Why a "Sign in with Google" attempt ended without a session. Each reason has one message, written for the
// employee, and one HTTP status; the refusal page shows the message and nothing else of the failure.

/** Every way a sign-in can be refused. */
export type SsoFailure =
  | 'not_available'
  | 'invalid_state'
  | 'expired_state'
  | 'foreign_browser'
  | 'cancelled'
  | 'google_error'
  | 'invalid_token'
  | 'email_unverified'
  | 'other_domain'
  | 'unknown_user'
  | 'no_extension'
  | 'inactive_user';

const statusByFailure: Record<SsoFailure, number> = {
  not_available: 403,
  invalid_state: 400,
  expired_state: 400,
  foreign_browser: 400,
  cancelled: 400,
  google_error: 502,
  invalid_token: 401,
  email_unverified: 403,
  other_domain: 403,
  unknown_user: 403,
  no_extension: 403,
  inactive_user: 403,
};

/** A refused sign-in with the message the employee sees. */
export class SsoError extends Error {
  override readonly name = 'SsoError';
  readonly reason: SsoFailure;
  /** Set once the tenant is known (from the path at start, from the state record at the callback). */
  tenantId: string | undefined;

  constructor(reason: SsoFailure, message: string, options?: { cause?: unknown; tenantId?: string | undefined }) {
    super(message, options);
    this.reason = reason;
    this.tenantId = options?.tenantId;
  }

  /** The HTTP status of the refusal page. */
  get httpStatus(): number {
    return statusByFailure[this.reason];
  }
}

/** The refusal for a tenant whose integration is not connected, or whose plan does not include it. */
export function notAvailable(tenantId: string | undefined): SsoError {
  return new SsoError(
    'not_available',
    'Sign in with Google is not available for this PBX account. Sign in another way, or ask your PBX administrator.',
    {
      tenantId,
    },
  );
}
