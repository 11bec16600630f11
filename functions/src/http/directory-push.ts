// The HTTP function `directoryPush`, where Google posts the Directory API's push notifications (the Hosting
// rewrite of /google/directory/push). It only checks and enqueues (push/notifications.ts); a failed enqueue answers
// 503, which Google retries. The token never reaches a log.
import type { Request, Response } from '@google-cloud/functions-framework';
import type { WiredApp } from '../function-adapters.ts';
import { log } from '../log.ts';
import { acceptNotification } from '../push/notifications.ts';

/** Serves one notification. */
export async function handleDirectoryPush(app: WiredApp<'directoryPush'>, req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'no-store');
  if (req.method !== 'POST') {
    res.status(405).set('Allow', 'POST').end();
    return;
  }
  try {
    const outcome = await acceptNotification(
      app,
      {
        channelId: req.get('x-goog-channel-id'),
        token: req.get('x-goog-channel-token'),
        resourceId: req.get('x-goog-resource-id'),
        state: req.get('x-goog-resource-state'),
        messageNumber: req.get('x-goog-message-number'),
        body: req.body as unknown,
      },
      Date.now(),
    );
    if (outcome.kind === 'refused') log.info('A push notification was refused', { reason: outcome.reason });
    res.status(outcome.status).end();
  } catch (error) {
    log.warn('A push notification could not be queued; Google retries it', { error });
    res.status(503).end();
  }
}
