// Errors become JSON with a stable code in one place; anything unexpected is logged and answered without detail.
import type { Response } from '@google-cloud/functions-framework';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';

/** Sends an error response. */
export function sendError(res: Response, error: unknown, context: Record<string, unknown> = {}): void {
  // Every code but 'internal' carries a message written for the admin; an internal one may name our resources.
  if (error instanceof AppError && error.code !== 'internal') {
    if (error.httpStatus >= 500) log.warn('Request failed on a dependency', { ...context, error });
    res.status(error.httpStatus).json({ error: { code: error.code, message: error.message } });
    return;
  }
  log.error('Request failed unexpectedly', { ...context, error });
  res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side. Try again.' } });
}
