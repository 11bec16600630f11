// The mail function's task: a welcome mail or an alert, each sent from its own outbox.
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import type { Mailer } from '../platform/mailer.ts';
import type { MailTask } from '../sync/run/tasks.ts';
import { handleAlertMail } from './alert-mail.ts';
import { handleWelcomeMail } from './welcome-mail.ts';

/** Sends the mail a task names. */
export function handleMailTask(
  deps: { config: AppConfig; db: Firestore; mailer: Mailer },
  task: MailTask,
): Promise<void> {
  return task.kind === 'alert' ? handleAlertMail(deps, task) : handleWelcomeMail(deps, task);
}
