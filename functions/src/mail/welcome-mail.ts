// The welcome e-mail of a created extension, sent from the outbox record written with the extension, so it exists
// exactly once per created extension. A lease guards the send against a concurrent redelivery, the record is
// marked sent after the server took the message, and a stable Message-ID lets mail servers drop the rare
// duplicate of a crash between the two.
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';
import { AppError, LeaseHeld } from '../errors.ts';
import type { Mailer } from '../platform/mailer.ts';
import type { WelcomeMail } from '../extensions/extension-writes.ts';
import { syncPaths } from '../tenants/paths.ts';
import type { MailTask } from '../sync/run/tasks.ts';

const LEASE_MS = 60_000;

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
  const mail = await deps.db.runTransaction(async (transaction) => {
    const snapshot = await transaction.get(ref);
    const data = snapshot.data();
    if (!data || data.status === 'sent') return undefined;
    if (data.status === 'sending' && (data.leaseUntil ?? 0) > Date.now())
      throw new LeaseHeld('The mail is being sent by another delivery');
    transaction.update(ref, { status: 'sending', leaseUntil: Date.now() + LEASE_MS });
    return data;
  });
  if (!mail) return;
  const loginUrl = `${deps.config.publicBaseUrl}/t/${task.tenant}/login`;
  try {
    await deps.mailer.send({
      to: mail.email,
      subject: `Your Teliqon Cloud PBX extension ${mail.number}`,
      text: welcomeText(mail, loginUrl),
      messageId: `<welcome-${task.tenant}-${task.mailId}@teliqon-pbx>`,
    });
  } catch (error) {
    const final = error instanceof AppError && error.code !== 'unavailable';
    await ref.update(final ? { status: 'failed', failure: error.message } : { status: 'pending', leaseUntil: 0 });
    throw error;
  }
  await ref.update({ status: 'sent', sentAt: new Date().toISOString() });
}
