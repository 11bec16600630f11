// The shape of an admin API route, apart from the route tables, which all use it.
import type { Request, Response } from '@google-cloud/functions-framework';
import type { AdminPrincipal } from '../admin/authenticate-admin.ts';
import type { WiredApp } from '../function-adapters.ts';

/** What a route handler gets; `params` holds the `:name` segments of the route's path. */
export interface RouteContext {
  readonly app: WiredApp<'adminApi'>;
  readonly req: Request;
  readonly res: Response;
  readonly admin: AdminPrincipal;
  readonly params: Readonly<Record<string, string>>;
}

/** One route. A `streams` route writes its own response (a download), the others answer with JSON. */
export type Route =
  | { readonly public: true; readonly handle: (app: WiredApp<'adminApi'>) => Promise<unknown> }
  | { readonly public?: false; readonly streams?: false; readonly handle: (context: RouteContext) => Promise<unknown> }
  | { readonly public?: false; readonly streams: true; readonly handle: (context: RouteContext) => Promise<void> };
