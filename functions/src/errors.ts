// Errors with stable codes. Third-party errors are translated into these once, at the adapter that met them,
// and one table maps each code to an HTTP status.

/** Every error code the product can answer with. */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'plan_required'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'internal';

const httpStatusByCode: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  plan_required: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

/** An expected failure with a stable code and a message fit to show the user. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The HTTP status this error answers with. */
  get httpStatus(): number {
    return httpStatusByCode[this.code];
  }
}

/** Another delivery of the same task holds its lease: this one is redelivered later. Routine under Pub/Sub's
 * at-least-once delivery, unlike a dependency failing. */
export class LeaseHeld extends AppError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

/** Whether an error is worth retrying: the platform redelivers a task only when it throws. */
export function isTransient(error: unknown): boolean {
  return error instanceof AppError ? error.code === 'unavailable' : true;
}
