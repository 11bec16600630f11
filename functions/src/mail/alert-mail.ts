// Sends one alert mail from the outbox to the tenant's PBX admins, at most once (outbox.ts). The text and the
// addresses are settled when it is sent: an admin added to the list meanwhile gets it.
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Mailer } from '../platform/mailer.ts';
import { alertPaths } from '../alerts/alerts.ts';
import { alertRecipients } from '../alerts/recipients.ts';
import { alertText } from '../alerts/alert-text.ts';
import type { MailTask } from '../sync/run/tasks.ts';
import { sendOnce } from './outbox.ts';

/** Sends one alert mail unless it was sent already. */
export async function handleAlertMail(
  deps: { config: AppConfig; db: Firestore; mailer: Mailer },
  task: MailTask,
): Promise<void> {
  const ref = alertPaths(deps.db, task.tenant).mails.doc(task.mailId);
  await sendOnce(deps.db, ref, async (mail) => {
    const { recipients } = await alertRecipients(deps.db, task.tenant);
    if (recipients.length === 0)
      throw new AppError('invalid_request', 'No PBX admin is named to receive alerts; add one on the page.');
    const { subject, text } = alertText(mail, `${deps.config.publicBaseUrl}/#/integrations/google`);
    await deps.mailer.send({
      to: recipients.join(', '),
      subject,
      text,
      messageId: `<alert-${task.tenant}-${task.mailId}@teliqon-pbx>`,
    });
  });
}
