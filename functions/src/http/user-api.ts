// The API of the PBX login and landing pages, under /t/{tenantId}/api/: whether the "G" button is offered, who
// is signed in, and sign-out. Same origin only; the session comes from the `__session` cookie, never from the
// request, and is honoured only on its own tenant's pages.
import type { Request, Response } from '@google-cloud/functions-framework';
import type { WiredApp } from '../function-adapters.ts';
import { AppError } from '../errors.ts';
import { readSignInSetup } from '../sso/sign-in-setup.ts';
import { endSession } from '../sso/sessions.ts';
import { signedInUser } from '../sso/signed-in-user.ts';
import { issueBrowserId, readBrowserId } from './browser-id.ts';
import { sendError } from './respond.ts';
import { tenantOfPath } from './tenant-path.ts';

type UserRoute = (app: WiredApp<'userApi'>, tenantId: string, req: Request, res: Response) => Promise<unknown>;

const routes: Readonly<Record<string, UserRoute>> = {
  // Offered exactly when a sign-in can succeed: a connected (or reauthorizing) integration on an eligible plan.
  'GET sign-in': async (app, tenantId) => ({ google: (await readSignInSetup(app.db, tenantId)) !== undefined }),
  'GET session': async (app, tenantId, req) => {
    const user = await signedInUser(app.db, readBrowserId(req), tenantId);
    if (!user) throw new AppError('unauthenticated', 'You are not signed in.');
    return { user };
  },
  // The session ends and the browser gets a new id, so nothing of the old one is worth keeping.
  'POST sign-out': async (app, _tenantId, req, res) => {
    await endSession(app.db, readBrowserId(req));
    issueBrowserId(res);
    return { signedOut: true };
  },
};

/** Serves one request of the login and landing pages. */
export async function handleUserApi(app: WiredApp<'userApi'>, req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'no-store');
  try {
    const name = /\/api\/([a-z-]+)$/.exec(req.path)?.[1] ?? '';
    const tenantId = tenantOfPath(req.path, `/api/${name}`);
    const route = routes[`${req.method} ${name}`];
    if (!tenantId || !route) throw new AppError('not_found', `No route ${req.method} ${req.path}`);
    // Only the pages themselves may change a session: a browser always names the origin of a POST.
    if (req.method !== 'GET' && req.headers.origin !== app.config.publicBaseUrl) {
      throw new AppError('forbidden', 'This request must come from the PBX pages.');
    }
    res.status(200).json(await route(app, tenantId, req, res));
  } catch (error) {
    sendError(res, error, { path: req.path });
  }
}
