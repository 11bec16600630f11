// The Directory API stand-in: an express router serving, at the root of a server, the paths the
// @googleapis/admin client requests. Every call is counted, delayed, possibly failed by an injected fault,
// authenticated, handled, and trimmed to the `fields` mask.
import { setTimeout as delay } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { FixtureStore } from '../fixture/store.ts';
import { authenticate, type InspectToken } from './auth.ts';
import type { HandlerContext } from './context.ts';
import { accessNotConfigured, DirectoryError, googleError } from './errors.ts';
import type { DirectoryFaults, DirectoryMethod } from './faults.ts';
import { applyFields, parseFields, type FieldShape } from './fields.ts';
import { listGroups } from './groups.ts';
import { hasMember, listMembers } from './members.ts';
import { listOrgUnits } from './orgunits.ts';
import { stringParam } from './params.ts';
import type { DirectoryPush } from './push/hub.ts';
import { stopChannel, watchUsers } from './push/watch.ts';
import {
  CHANNEL_SHAPE,
  GROUPS_SHAPE,
  HAS_MEMBER_SHAPE,
  MEMBERS_SHAPE,
  ORG_UNITS_SHAPE,
  USER_SHAPE,
  USERS_SHAPE,
} from './shapes.ts';
import { getUser, listUsers } from './users.ts';

/** What the Directory API stand-in needs. */
export interface DirectoryApiOptions {
  fixtures: FixtureStore;
  inspectToken: InspectToken;
  faults: DirectoryFaults;
  push: DirectoryPush;
}

interface Route {
  method: DirectoryMethod;
  /** GET unless said. */
  verb?: 'post';
  path: string;
  shape: FieldShape;
  handle: (context: HandlerContext) => unknown;
}

const BASE = '/admin/directory/v1';

const ROUTES: readonly Route[] = [
  { method: 'users.list', path: `${BASE}/users`, shape: USERS_SHAPE, handle: listUsers },
  { method: 'users.get', path: `${BASE}/users/:userKey`, shape: USER_SHAPE, handle: getUser },
  { method: 'groups.list', path: `${BASE}/groups`, shape: GROUPS_SHAPE, handle: listGroups },
  { method: 'members.list', path: `${BASE}/groups/:groupKey/members`, shape: MEMBERS_SHAPE, handle: listMembers },
  {
    method: 'members.hasMember',
    path: `${BASE}/groups/:groupKey/hasMember/:memberKey`,
    shape: HAS_MEMBER_SHAPE,
    handle: hasMember,
  },
  {
    method: 'orgunits.list',
    path: `${BASE}/customer/:customerId/orgunits`,
    shape: ORG_UNITS_SHAPE,
    handle: listOrgUnits,
  },
  { method: 'users.watch', verb: 'post', path: `${BASE}/users/watch`, shape: CHANNEL_SHAPE, handle: watchUsers },
  // The Directory API's discovery document puts channels.stop under directory_v1, not directory/v1.
  {
    method: 'channels.stop',
    verb: 'post',
    path: '/admin/directory_v1/channels/stop',
    shape: CHANNEL_SHAPE,
    handle: stopChannel,
  },
];

/** Sends a Google-shaped error. */
export function sendDirectoryError(res: Response, error: DirectoryError): void {
  res.status(error.status).set(error.headers).json(error.body);
}

/** Creates the router serving users.list/get/watch, groups.list, members.list/hasMember, orgunits.list and
 * channels.stop. */
export function createDirectoryApi(options: DirectoryApiOptions): express.Router {
  const { fixtures, inspectToken, faults, push } = options;
  const router = express.Router();

  for (const route of ROUTES) {
    const serve = async (req: Request, res: Response) => {
      faults.recordCall(route.method);
      // The injected latency is the time Google takes to answer: the stand-in's own work counts within it, so a
      // benchmark's "page latency" is what the client waits, however large the served directory.
      const answerAt = Date.now() + faults.latencyFor(route.method);
      const waitForAnswerTime = () => delay(Math.max(0, answerAt - Date.now()));
      let text: string | undefined;
      try {
        const pageToken = stringParam(req.query, 'pageToken');
        const fault = faults.takeFault(route.method, pageToken !== undefined);
        if (fault && 'error' in fault) throw fault.error;
        const caller = await authenticate(req, route.method, inspectToken, fixtures);
        // Google finds the project from the credential, so a disabled API is reported after authentication.
        if (fault && 'apiDisabled' in fault) throw accessNotConfigured(caller.projectNumber);
        const mask = parseFields(stringParam(req.query, 'fields'), route.shape);
        const params = Object.fromEntries(
          Object.entries(req.params).map(([name, value]) => [name, Array.isArray(value) ? value.join('/') : value]),
        );
        const handled = route.handle({
          fixtures,
          caller,
          query: req.query,
          params,
          listing: faults.listingConditions(),
          body: req.body as unknown,
          push,
        });
        const body =
          fault && 'repeatPageToken' in fault && pageToken && handled && typeof handled === 'object'
            ? { ...handled, nextPageToken: pageToken }
            : handled;
        text = body === undefined ? undefined : JSON.stringify(applyFields(body, mask) ?? {});
      } finally {
        await waitForAnswerTime();
      }
      // Google's own Vary header; clients ignore it, but it keeps responses byte-for-byte familiar.
      res.set('Vary', 'Origin, X-Origin, Referer');
      if (text === undefined) res.status(204).end();
      else res.type('application/json; charset=utf-8').send(text);
    };
    if (route.verb === 'post') router.post(route.path, express.json(), serve);
    else router.get(route.path, serve);
  }

  router.use([BASE, '/admin/directory_v1'], (_req: Request, _res: Response, next: NextFunction) => {
    next(googleError(404, 'Not Found', 'notFound'));
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof DirectoryError) {
      sendDirectoryError(res, error);
      return;
    }
    // A POST body that is not JSON: the classic front end's answer.
    if (error instanceof SyntaxError) {
      sendDirectoryError(res, googleError(400, 'Parse Error', 'parseError'));
      return;
    }
    console.error('Directory stand-in failed:', error);
    sendDirectoryError(res, googleError(500, 'Backend Error', 'backendError'));
  });

  return router;
}
