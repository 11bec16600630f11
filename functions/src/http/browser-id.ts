// The one cookie: Firebase Hosting forwards only `__session` to functions. It carries a random browser id that
// binds an OAuth state to the browser that started it, and from which a signed-in user's server-side session hangs
// (rotated at sign-in). SameSite=Lax lets it ride along on Google's redirect.
import { randomBytes } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';

/** The cookie's name, fixed by Firebase Hosting. */
export const SESSION_COOKIE = '__session';

const MAX_AGE_SECONDS = 30 * 24 * 3600;

/** The browser id from the request's cookie, if it has a well-formed one. */
export function readBrowserId(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value && /^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return undefined;
}

/** A new random browser id, not yet sent: sign-in stores its session first, so a refusal sets no cookie. */
export function newBrowserId(): string {
  return randomBytes(32).toString('base64url');
}

/** Sends `id` as the browser's id. */
export function setBrowserIdCookie(res: Response, id: string): void {
  res.append(
    'Set-Cookie',
    `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; Secure; SameSite=Lax`,
  );
}

/** Sets a new browser id cookie and returns it. */
export function issueBrowserId(res: Response): string {
  const id = newBrowserId();
  setBrowserIdCookie(res, id);
  return id;
}

/** The request's browser id, issuing one when it has none. */
export function ensureBrowserId(req: Request, res: Response): string {
  return readBrowserId(req) ?? issueBrowserId(res);
}
