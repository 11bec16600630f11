// The message of the `directory-push` topic: one notification, turned into a task for one user. The webhook
// answers Google at once and this task does the work.
import { z } from 'zod';
import { AppError } from '../errors.ts';

const pushTask = z.object({
  tenant: z.string().regex(/^[a-z0-9-]{1,40}$/),
  userId: z.string().min(1).max(64),
  event: z.enum(['add', 'update', 'delete', 'undelete']),
  channelId: z.string().min(1).max(64),
  messageNumber: z.string().regex(/^\d{1,20}$/),
  /** When the webhook heard it, ms since the epoch. */
  receivedAt: z.number(),
});

/** One notification of a change to a user. */
export type PushTask = z.infer<typeof pushTask>;

/** Parses a Pub/Sub push task; a malformed one is dropped, not retried. */
export function parsePushTask(data: unknown): PushTask {
  const parsed = pushTask.safeParse(data);
  if (!parsed.success) throw new AppError('invalid_request', 'Malformed push task');
  return parsed.data;
}
