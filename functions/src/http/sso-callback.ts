// The Client SSO Redirect URI, GET /sso/google/callback: where Google returns after an employee signs in. On
// success the browser id is rotated, the new id's session is stored, and the browser goes to the landing page;
// a refusal ends on a page that says what happened, with no session and no cookie. The response's Server-Timing
// header tells the callback's own time apart from the time spent waiting for Google.
import { performance } from 'node:perf_hooks';
import type { Request, Response } from '@google-cloud/functions-framework';
import type { WiredApp } from '../function-adapters.ts';
import { log } from '../log.ts';
import { completeSignIn } from '../sso/complete-sign-in.ts';
import { measureGoogleWait, type GoogleWait } from '../sso/google-oidc.ts';
import { createSession } from '../sso/sessions.ts';
import { newBrowserId, readBrowserId, setBrowserIdCookie } from './browser-id.ts';
import { sendSignInRefusal } from './sign-in-page.ts';

function queryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

function setServerTiming(res: Response, started: number, wait: GoogleWait): void {
  const total = performance.now() - started;
  res.set(
    'Server-Timing',
    `app;desc="callback without Google";dur=${(total - wait.ms).toFixed(2)}, google;desc="Google token endpoint and keys";dur=${wait.ms.toFixed(2)}`,
  );
}

/** Handles GET /sso/google/callback. */
export async function handleSsoCallback(app: WiredApp<'ssoCallback'>, req: Request, res: Response): Promise<void> {
  const started = performance.now();
  const wait: GoogleWait = { ms: 0 };
  res.set('Cache-Control', 'no-store');
  try {
    const previous = readBrowserId(req);
    const callback = {
      search: new URL(req.originalUrl, app.config.publicBaseUrl).search,
      state: queryValue(req, 'state'),
      error: queryValue(req, 'error'),
    };
    const signedIn = await measureGoogleWait(wait, () => completeSignIn(app, callback, previous));
    const browserId = newBrowserId();
    await createSession(app.db, browserId, signedIn, previous);
    setBrowserIdCookie(res, browserId);
    log.info('Signed in with Google', { tenant: signedIn.tenantId, extension: signedIn.extension });
    setServerTiming(res, started, wait);
    res.redirect(303, `/t/${encodeURIComponent(signedIn.tenantId)}/home`);
  } catch (error) {
    setServerTiming(res, started, wait);
    sendSignInRefusal(res, error, { path: req.path });
  }
}
