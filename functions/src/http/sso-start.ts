// The "G" button's target, GET /t/{tenantId}/sso/google: sends the browser to Google. A browser without an id gets
// one, set only once the state bound to it is stored, so a refusal sets no cookie.
import type { Request, Response } from '@google-cloud/functions-framework';
import type { WiredApp } from '../function-adapters.ts';
import { startSignIn } from '../sso/start-sign-in.ts';
import { notAvailable } from '../sso/sso-error.ts';
import { newBrowserId, readBrowserId, setBrowserIdCookie } from './browser-id.ts';
import { sendSignInRefusal } from './sign-in-page.ts';
import { tenantOfPath } from './tenant-path.ts';

/** Handles GET /t/{tenantId}/sso/google. */
export async function handleSsoStart(app: WiredApp<'ssoStart'>, req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'no-store');
  const tenantId = tenantOfPath(req.path, '/sso/google');
  try {
    if (!tenantId || req.method !== 'GET') throw notAvailable(tenantId);
    const known = readBrowserId(req);
    const browserId = known ?? newBrowserId();
    const authorizationUrl = await startSignIn(app, tenantId, browserId);
    if (!known) setBrowserIdCookie(res, browserId);
    res.redirect(303, authorizationUrl.href);
  } catch (error) {
    sendSignInRefusal(res, error, { path: req.path });
  }
}
