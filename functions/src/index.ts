// Registers every function with the Functions Framework. Handlers stay thin: they build the app, call the
// domain, and decide between ack and retry. Each function's code is imported on its first call: every Cloud Run
// service loads this one entry point, and a page task's instance should not carry the admin API (nor the reverse).
// Each handler is given the app typed down to its own adapters (function-adapters.ts), whose client libraries
// load on their first use.
import * as functions from '@google-cloud/functions-framework';
import { getApp } from './app.ts';
import { eventHandler } from './event-handler.ts';
import { appFor, type FunctionName } from './function-adapters.ts';
import { parsePushTask } from './push/push-task.ts';
import { messageJson, parseFinalizeTask, parseMailTask, parsePageTask } from './sync/run/tasks.ts';

// Validated at load, so a misconfigured revision (in live mode, any emulator variable) fails to start at all.
getApp();

/** Each function's handler module, imported on the function's first call. */
export const handlerModules = {
  adminApi: () => import('./http/admin-api.ts'),
  oauthCallback: () => import('./http/oauth-callback.ts'),
  ssoStart: () => import('./http/sso-start.ts'),
  ssoCallback: () => import('./http/sso-callback.ts'),
  userApi: () => import('./http/user-api.ts'),
  directoryPush: () => import('./http/directory-push.ts'),
  scheduleTick: () => import('./schedule/tick.ts'),
  syncPage: () => import('./sync/fetch/page-task.ts'),
  syncFinalize: () => import('./sync/removals/finalize.ts'),
  pushUser: () => import('./push/push-user.ts'),
  welcomeMail: () => import('./mail/mail-task.ts'),
} as const satisfies Record<FunctionName, () => Promise<object>>;

functions.http('adminApi', async (req, res) =>
  (await handlerModules.adminApi()).handleAdminApi(appFor('adminApi'), req, res),
);
functions.http('oauthCallback', async (req, res) =>
  (await handlerModules.oauthCallback()).handleOAuthCallback(appFor('oauthCallback'), req, res),
);
functions.http('ssoStart', async (req, res) =>
  (await handlerModules.ssoStart()).handleSsoStart(appFor('ssoStart'), req, res),
);
functions.http('ssoCallback', async (req, res) =>
  (await handlerModules.ssoCallback()).handleSsoCallback(appFor('ssoCallback'), req, res),
);
functions.http('userApi', async (req, res) =>
  (await handlerModules.userApi()).handleUserApi(appFor('userApi'), req, res),
);
functions.http('directoryPush', async (req, res) =>
  (await handlerModules.directoryPush()).handleDirectoryPush(appFor('directoryPush'), req, res),
);
functions.cloudEvent(
  'scheduleTick',
  eventHandler(
    'scheduleTick',
    (event) => event,
    async (event) => (await handlerModules.scheduleTick()).handleTick(appFor('scheduleTick'), event),
  ),
);
functions.cloudEvent(
  'syncPage',
  eventHandler(
    'syncPage',
    (event) => parsePageTask(messageJson(event)),
    async (task) => (await handlerModules.syncPage()).handlePageTask(appFor('syncPage'), task),
  ),
);
functions.cloudEvent(
  'syncFinalize',
  eventHandler(
    'syncFinalize',
    (event) => parseFinalizeTask(messageJson(event)),
    async (task) => (await handlerModules.syncFinalize()).handleFinalize(appFor('syncFinalize'), task),
  ),
);
functions.cloudEvent(
  'pushUser',
  eventHandler(
    'pushUser',
    (event) => parsePushTask(messageJson(event)),
    async (task) => (await handlerModules.pushUser()).handlePushTask(appFor('pushUser'), task),
  ),
);
functions.cloudEvent(
  'welcomeMail',
  eventHandler(
    'welcomeMail',
    (event) => parseMailTask(messageJson(event)),
    async (task) => (await handlerModules.welcomeMail()).handleMailTask(appFor('welcomeMail'), task),
  ),
);
