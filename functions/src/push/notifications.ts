// What the webhook does with a notification Google posts. Only a live channel's own, with its token, counts: the
// channel id and the token's hash are checked (the hash in constant time) and anything else is refused with no
// effect. The `sync` message that opens every channel is acknowledged. A change becomes a task for its user, and the
// answer goes back at once: Google expects a fast answer and retries a 5xx, which a failed enqueue gives.
import { timingSafeEqual } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { TOPICS } from '../catalog.ts';
import type { TaskQueue } from '../platform/pubsub.ts';
import { tokenHash } from './channels.ts';
import { pushChannels, WATCHED_EVENTS } from './push-documents.ts';
import type { PushTask } from './push-task.ts';

/** The parts of a notification the webhook reads. */
export interface Notification {
  readonly channelId: string | undefined;
  readonly token: string | undefined;
  readonly resourceId: string | undefined;
  readonly state: string | undefined;
  readonly messageNumber: string | undefined;
  /** The user resource Google sends: its `id` names the user. */
  readonly body: unknown;
}

/** What the webhook answers. */
export type NotificationOutcome =
  | { readonly status: 200; readonly kind: 'sync' | 'queued' | 'ignored' }
  | { readonly status: 400 | 403; readonly kind: 'refused'; readonly reason: string };

const refused = (status: 400 | 403, reason: string): NotificationOutcome => ({ status, kind: 'refused', reason });

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

function userIdOf(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

/** Checks a notification against its channel and queues its user's task. */
export async function acceptNotification(
  deps: { readonly db: Firestore; readonly queue: TaskQueue },
  notification: Notification,
  now: number,
): Promise<NotificationOutcome> {
  const { channelId, token, resourceId, state, messageNumber } = notification;
  if (!channelId || channelId.length > 64 || !token || !state || !messageNumber) {
    return refused(400, 'not a Directory API notification');
  }
  const channel = (await pushChannels(deps.db).doc(channelId).get()).data();
  // Every refusal below reads as one to the sender: it learns nothing about which check failed.
  if (!channel || channel.expiresAt <= now || !sameHash(tokenHash(token), channel.tokenHash)) {
    return refused(403, 'unknown channel');
  }
  if (resourceId !== undefined && resourceId !== channel.resourceId) return refused(403, 'unknown channel');
  if (state === 'sync') return { status: 200, kind: 'sync' };
  const userId = userIdOf(notification.body);
  if (!WATCHED_EVENTS.includes(state as PushTask['event']) || state !== channel.event || !userId) {
    return { status: 200, kind: 'ignored' };
  }
  const task: PushTask = {
    tenant: channel.tenant,
    userId,
    event: channel.event,
    channelId,
    messageNumber,
    receivedAt: now,
  };
  await deps.queue.publish(TOPICS.directoryPush, task);
  return { status: 200, kind: 'queued' };
}
