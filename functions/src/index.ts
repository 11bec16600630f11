// Registers every function with the Functions Framework. Handlers stay thin: they build the app, call the
// domain, and decide between ack and retry.
import * as functions from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getApp } from './app.ts';
import { isTransient } from './errors.ts';
import { handleAdminApi } from './http/admin-api.ts';
import { handleOAuthCallback } from './http/oauth-callback.ts';
import { handleSsoCallback } from './http/sso-callback.ts';
import { handleSsoStart } from './http/sso-start.ts';
import { handleUserApi } from './http/user-api.ts';
import { log } from './log.ts';
import { handleWelcomeMail } from './mail/welcome-mail.ts';
import { handleTick } from './schedule/tick.ts';
import { handleFinalize } from './sync/finalize.ts';
import { handlePageTask } from './sync/page-task.ts';
import { messageJson, parseFinalizeTask, parseMailTask, parsePageTask } from './sync/tasks.ts';

/** Wraps an event handler: transient failures throw so Pub/Sub redelivers; permanent ones are logged and acked. */
export function eventHandler(name: string, handle: (event: CloudEvent<unknown>) => Promise<void>) {
  return async (event: CloudEvent<unknown>): Promise<void> => {
    try {
      await handle(event);
    } catch (error) {
      if (isTransient(error)) throw error;
      log.error(`${name} dropped an event it can never process`, { error, eventId: event.id });
    }
  };
}

// Validated at load, so a misconfigured revision (in live mode, any emulator variable) fails to start at all.
getApp();

functions.http('adminApi', (req, res) => handleAdminApi(getApp(), req, res));
functions.http('oauthCallback', (req, res) => handleOAuthCallback(getApp(), req, res));
functions.http('ssoStart', (req, res) => handleSsoStart(getApp(), req, res));
functions.http('ssoCallback', (req, res) => handleSsoCallback(getApp(), req, res));
functions.http('userApi', (req, res) => handleUserApi(getApp(), req, res));
functions.cloudEvent('scheduleTick', eventHandler('scheduleTick', (event) => handleTick(getApp(), event)));
functions.cloudEvent('syncPage', eventHandler('syncPage', (event) => handlePageTask(getApp(), parsePageTask(messageJson(event)))));
functions.cloudEvent('syncFinalize', eventHandler('syncFinalize', (event) => handleFinalize(getApp(), parseFinalizeTask(messageJson(event)))));
functions.cloudEvent('welcomeMail', eventHandler('welcomeMail', (event) => handleWelcomeMail(getApp(), parseMailTask(messageJson(event)))));
