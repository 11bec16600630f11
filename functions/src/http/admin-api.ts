// The admin API behind the config page: CORS for the Hosting origin only, a verified admin on every private
// route, and errors as JSON with stable codes.
import type { Request, Response } from '@google-cloud/functions-framework';
import { authenticateAdmin } from '../admin/authenticate-admin.ts';
import type { WiredApp } from '../function-adapters.ts';
import { AppError } from '../errors.ts';
import { log, withLogContext } from '../log.ts';
import { adminRoutes } from './admin-routes.ts';
import type { Route } from './route.ts';
import { sendError } from './respond.ts';

// The page is served from the Hosting origin and calls the API there; any other origin is refused outright.
function applyCors(app: WiredApp<'adminApi'>, req: Request, res: Response): boolean {
  const origin = req.headers.origin;
  res.vary('Origin');
  if (origin === undefined) return true;
  if (origin !== app.config.publicBaseUrl) return false;
  res.set('Access-Control-Allow-Origin', origin);
  res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
  res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
  res.set('Access-Control-Allow-Credentials', 'true');
  return true;
}

/** Finds the route of a request and the values of its `:name` segments. */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const [key, route] of Object.entries(adminRoutes)) {
    const [routeMethod, routePath = ''] = key.split(' ');
    const pattern = routePath.split('/');
    if (routeMethod !== method || pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, i) => {
      const segment = segments[i] ?? '';
      if (!part.startsWith(':')) return part === segment;
      params[part.slice(1)] = decodeURIComponent(segment);
      return segment.length > 0;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/** Serves one admin API request. */
export async function handleAdminApi(app: WiredApp<'adminApi'>, req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'no-store');
  try {
    if (!applyCors(app, req, res)) throw new AppError('forbidden', 'This API only answers the Management Console.');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    const match = matchRoute(req.method, req.path);
    if (!match) throw new AppError('not_found', `No API route ${req.method} ${req.path}`);
    const { route, params } = match;
    if (route.public) {
      res.status(200).json(await route.handle(app));
      return;
    }
    const admin = await authenticateAdmin(app.auth, req.headers.authorization);
    // Whatever the route logs (a held removal that failed, a revoked grant) names the admin's tenant.
    const body = await withLogContext({ tenant: admin.tenantId }, () => route.handle({ app, req, res, params, admin }));
    if (!route.streams) res.status(200).json(body);
  } catch (error) {
    // A download that failed once begun cannot turn into an error answer: it is cut short, so it never looks whole.
    if (res.headersSent) {
      log.warn('A download failed', { path: req.path, error });
      res.destroy();
    } else sendError(res, error, { path: req.path });
  }
}
