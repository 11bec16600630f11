// Where Google returns after the admin's consent. It finishes connect and sends the browser back to the config
// page, with the outcome as a reason code the page turns into a message.
import type { Request, Response } from '@google-cloud/functions-framework';
import type { WiredApp } from '../function-adapters.ts';
import { completeConnect } from '../connect/complete-connect.ts';
import { ConnectError } from '../connect/connect-error.ts';
import { readIntegration, recordConnectError } from '../connect/integration.ts';
import { log } from '../log.ts';
import { channelsDueNow, maintainChannels } from '../push/channels.ts';
import { readSyncSettings } from '../sync/settings/settings-store.ts';
import { readBrowserId } from './browser-id.ts';

function queryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

// A tenant that had saved its sync settings (a reconnect or a reauthorization) syncs again at once; a first
// connect waits for the admin's "Save", and a paused tenant stays paused through a reauthorization until "Resume".
async function resumeSync(app: WiredApp<'oauthCallback'>, tenantId: string): Promise<void> {
  try {
    const [{ saved }, { paused }] = await Promise.all([
      readSyncSettings(app.db, tenantId),
      readIntegration(app.db, tenantId),
    ]);
    if (saved && paused !== true) await app.startRun(tenantId, 'connect');
  } catch (error) {
    log.warn('The sync after connect could not start', { tenant: tenantId, error });
  }
}

// Push notifications start with the connection; if Google cannot open the channels now, the next tick tries again.
async function openPushChannels(app: WiredApp<'oauthCallback'>, tenantId: string): Promise<void> {
  try {
    await channelsDueNow(app.db, tenantId);
    await maintainChannels(app, tenantId, Date.now());
  } catch (error) {
    log.warn('Push channels could not be opened after connect; the tick tries again', { tenant: tenantId, error });
  }
}

/** Handles GET /oauth/google/callback. */
export async function handleOAuthCallback(app: WiredApp<'oauthCallback'>, req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'no-store');
  let outcome = 'connected';
  let attempt = '';
  try {
    const query = { state: queryValue(req, 'state'), code: queryValue(req, 'code'), error: queryValue(req, 'error') };
    const tenantId = await completeConnect(app, query, readBrowserId(req));
    log.info('Google Workspace connected', { tenant: tenantId });
    await resumeSync(app, tenantId);
    await openPushChannels(app, tenantId);
  } catch (error) {
    const failure =
      error instanceof ConnectError
        ? error
        : new ConnectError('google_error', 'Google could not complete the connection.', { cause: error });
    outcome = failure.reason;
    attempt = failure.attempt ?? '';
    log.warn('Connect callback refused', {
      tenant: failure.tenantId,
      reason: failure.reason,
      error: failure.cause ?? failure,
    });
    if (failure.tenantId && failure.attempt) {
      const record = { reason: failure.reason, message: failure.message, attempt: failure.attempt };
      await recordConnectError(app.db, failure.tenantId, record).catch((recordError: unknown) =>
        log.error('Could not record the connect failure', { tenant: failure.tenantId, error: recordError }),
      );
    }
  }
  const query = new URLSearchParams({ google: outcome, ...(attempt && { attempt }) });
  res.redirect(303, `/?${query.toString()}#/integrations/google`);
}
