// The welcome e-mail of a created extension, sent from the outbox record written with the extension, so it exists
// exactly once per created extension, and sent at most once (outbox.ts).
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import type { Mailer } from '../platform/mailer.ts';
import type { WelcomeMail } from '../extensions/extension-writes.ts';
import { syncPaths } from '../tenants/paths.ts';
import type { MailTask } from '../sync/run/tasks.ts';
import { sendOnce } from './outbox.ts';

/** Builds the message text. */
export function welcomeText(mail: WelcomeMail, loginUrl: string): string {
  return [
    `Hello ${mail.firstName || mail.email},`,
    '',
    `Your Teliqon Cloud PBX extension is ${mail.number}.`,
    `Sign in at ${loginUrl} with the "Sign in with Google" button, using your Google account ${mail.email}.`,
    '',
    'Teliqon Cloud PBX',
  ].join('\n');
}

/** Sends one welcome mail unless it was sent already. */
export async function handleWelcomeMail(
  deps: { config: AppConfig; db: Firestore; mailer: Mailer },
  task: MailTask,
): Promise<void> {
  const ref = syncPaths(deps.db, task.tenant).welcomeMails.doc(task.mailId);
  const loginUrl = `${deps.config.publicBaseUrl}/t/${task.tenant}/login`;
  await sendOnce(deps.db, ref, (mail) =>
    deps.mailer.send({
      to: mail.email,
      subject: `Your Teliqon Cloud PBX extension ${mail.number}`,
      text: welcomeText(mail, loginUrl),
      messageId: `<welcome-${task.tenant}-${task.mailId}@teliqon-pbx>`,
    }),
  );
}
