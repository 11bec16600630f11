// Why a connect attempt failed. The reason travels to the page in the redirect; the message, which may name a
// scope or an account, is stored on the integration with the attempt's id for the page to show.

/** Every way connect can fail. */
export type ConnectFailure =
  | 'consent_denied'
  | 'missing_scope'
  | 'wrong_secret'
  | 'not_admin'
  | 'api_disabled'
  | 'other_workspace'
  | 'invalid_state'
  | 'expired_state'
  | 'foreign_browser'
  | 'no_refresh_token'
  | 'plan_required'
  | 'google_error';

/** A connect failure with the message the admin sees. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  readonly reason: ConnectFailure;
  /** Set once the state record was read, so the failure can be recorded on that tenant and attempt. */
  tenantId: string | undefined;
  attempt: string | undefined;

  constructor(
    reason: ConnectFailure,
    message: string,
    options?: { cause?: unknown; tenantId?: string; attempt?: string },
  ) {
    super(message, options);
    this.reason = reason;
    this.tenantId = options?.tenantId;
    this.attempt = options?.attempt;
  }
}
