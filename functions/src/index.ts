// Registers every function with the Functions Framework. Handlers stay thin: they build the app, call the
// domain, and decide between ack and retry. Each function's code is imported on its first call: every Cloud Run
// service loads this one entry point, and a page task's instance should not carry the admin API (nor the reverse).
import * as functions from '@google-cloud/functions-framework';
import { getApp } from './app.ts';
import { eventHandler } from './event-handler.ts';
import { parsePushTask } from './push/push-task.ts';
import { messageJson, parseFinalizeTask, parseMailTask, parsePageTask } from './sync/run/tasks.ts';

// Validated at load, so a misconfigured revision (in live mode, any emulator variable) fails to start at all.
getApp();

functions.http('adminApi', async (req, res) =>
  (await import('./http/admin-api.ts')).handleAdminApi(getApp(), req, res),
);
functions.http('oauthCallback', async (req, res) =>
  (await import('./http/oauth-callback.ts')).handleOAuthCallback(getApp(), req, res),
);
functions.http('ssoStart', async (req, res) =>
  (await import('./http/sso-start.ts')).handleSsoStart(getApp(), req, res),
);
functions.http('ssoCallback', async (req, res) =>
  (await import('./http/sso-callback.ts')).handleSsoCallback(getApp(), req, res),
);
functions.http('userApi', async (req, res) => (await import('./http/user-api.ts')).handleUserApi(getApp(), req, res));
functions.http('directoryPush', async (req, res) =>
  (await import('./http/directory-push.ts')).handleDirectoryPush(getApp(), req, res),
);
functions.cloudEvent(
  'scheduleTick',
  eventHandler(
    'scheduleTick',
    (event) => event,
    async (event) => (await import('./schedule/tick.ts')).handleTick(getApp(), event),
  ),
);
functions.cloudEvent(
  'syncPage',
  eventHandler(
    'syncPage',
    (event) => parsePageTask(messageJson(event)),
    async (task) => (await import('./sync/fetch/page-task.ts')).handlePageTask(getApp(), task),
  ),
);
functions.cloudEvent(
  'syncFinalize',
  eventHandler(
    'syncFinalize',
    (event) => parseFinalizeTask(messageJson(event)),
    async (task) => (await import('./sync/removals/finalize.ts')).handleFinalize(getApp(), task),
  ),
);
functions.cloudEvent(
  'pushUser',
  eventHandler(
    'pushUser',
    (event) => parsePushTask(messageJson(event)),
    async (task) => (await import('./push/push-user.ts')).handlePushTask(getApp(), task),
  ),
);
functions.cloudEvent(
  'welcomeMail',
  eventHandler(
    'welcomeMail',
    (event) => parseMailTask(messageJson(event)),
    async (task) => (await import('./mail/welcome-mail.ts')).handleWelcomeMail(getApp(), task),
  ),
);
