// Welcome mails whose task was lost (a page that crashed after its writes, in a run that then failed before its
// finalize) are sent by the next tick: every mail still pending after a few minutes, or stuck in an expired lease,
// is published again. The mail handler sends each at most once.
import type { Firestore } from '@google-cloud/firestore';
import { TOPICS } from '../catalog.ts';
import type { TaskQueue } from '../platform/pubsub.ts';
import type { MailTask } from '../sync/run/tasks.ts';

/** A mail younger than this may still have its own task on the way. */
export const MAIL_GRACE_MS = 5 * 60 * 1000;

/** Publishes a task for every welcome mail left behind; returns how many. */
export async function sweepWelcomeMails(deps: { db: Firestore; queue: TaskQueue }, now: Date): Promise<number> {
  const before = new Date(now.getTime() - MAIL_GRACE_MS).toISOString();
  const [pending, sending] = await Promise.all([
    deps.db.collectionGroup('welcomeMails').where('status', '==', 'pending').where('createdAt', '<', before).get(),
    deps.db
      .collectionGroup('welcomeMails')
      .where('status', '==', 'sending')
      .where('leaseUntil', '<', now.getTime())
      .get(),
  ]);
  let published = 0;
  for (const mail of [...pending.docs, ...sending.docs]) {
    const tenant = mail.ref.parent.parent?.id;
    if (!tenant) continue;
    const task: MailTask = { tenant, mailId: mail.id };
    await deps.queue.publish(TOPICS.welcomeMail, task);
    published++;
  }
  return published;
}
