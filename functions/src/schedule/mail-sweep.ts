// The outboxes' sweep, at every tick. Welcome mails whose task was lost (a page that crashed after its writes, in a
// run that then failed before its finalize) are published again once pending for a few minutes. Alert mails have
// no task of their own: the sweep sends each as soon as it is pending. Either kind stuck in an expired lease is
// published again too. The mail handler sends each at most once, so a sweep delivered twice doubles nothing.
import type { Firestore, Query } from '@google-cloud/firestore';
import { ALERT_MAILS_GROUP } from '../alerts/alerts.ts';
import { TOPICS } from '../catalog.ts';
import type { TaskQueue } from '../platform/pubsub.ts';
import type { MailTask } from '../sync/run/tasks.ts';

/** A mail younger than this may still have its own task on the way. */
export const MAIL_GRACE_MS = 5 * 60 * 1000;

function leftBehind(db: Firestore, group: string, pendingBefore: string | undefined, now: Date): Query[] {
  let pending = db.collectionGroup(group).where('status', '==', 'pending');
  if (pendingBefore) pending = pending.where('createdAt', '<', pendingBefore);
  const stuck = db.collectionGroup(group).where('status', '==', 'sending').where('leaseUntil', '<', now.getTime());
  return [pending, stuck];
}

/** Publishes a task for every mail left to send; returns how many. */
export async function sweepWelcomeMails(deps: { db: Firestore; queue: TaskQueue }, now: Date): Promise<number> {
  const before = new Date(now.getTime() - MAIL_GRACE_MS).toISOString();
  const kinds = [
    { kind: 'welcome' as const, queries: leftBehind(deps.db, 'welcomeMails', before, now) },
    { kind: 'alert' as const, queries: leftBehind(deps.db, ALERT_MAILS_GROUP, undefined, now) },
  ];
  const found = await Promise.all(
    kinds.flatMap(({ kind, queries }) => queries.map(async (query) => ({ kind, docs: (await query.get()).docs }))),
  );
  let published = 0;
  for (const { kind, docs } of found) {
    for (const mail of docs) {
      const tenant = mail.ref.parent.parent?.id;
      if (!tenant) continue;
      const task: MailTask = { tenant, mailId: mail.id, ...(kind === 'alert' && { kind }) };
      await deps.queue.publish(TOPICS.welcomeMail, task);
      published++;
    }
  }
  return published;
}
