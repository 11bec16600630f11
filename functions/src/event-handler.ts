// The wrapper of every Pub/Sub-triggered function: the ack-or-redeliver decision and the log context of a task.
import type { CloudEvent } from '@google-cloud/functions-framework';
import { isTransient, LeaseHeld } from './errors.ts';
import { formatLine, log, withLogContext } from './log.ts';

// The Functions Framework prints a thrown error's stack to stderr before it answers 500. The error a handler
// throws to be redelivered is therefore given one structured, redacted line as its stack: every line a task
// writes stays JSON, and no client library's message reaches the logs unredacted.
class RedeliveryRequest extends Error {
  constructor(line: string) {
    super('Redelivery requested');
    this.stack = line;
  }
}

/** Wraps an event handler: it runs in the log context of its task; transient failures throw so Pub/Sub redelivers;
 * permanent ones, and messages that cannot be read, are logged and acked. */
export function eventHandler<T extends object>(
  name: string,
  parse: (event: CloudEvent<unknown>) => T,
  handle: (task: T) => Promise<void>,
) {
  return (event: CloudEvent<unknown>): Promise<void> =>
    withLogContext({ task: name, eventId: event.id }, async () => {
      let task: T;
      try {
        task = parse(event);
      } catch (error) {
        log.error(`${name} dropped a message it cannot read`, { error });
        return;
      }
      await withLogContext(taskContext(task), async () => {
        try {
          await handle(task);
        } catch (error) {
          if (!isTransient(error)) {
            log.error(`${name} dropped an event it can never process`, { error });
            return;
          }
          // A lease held by another delivery is routine; anything else is a dependency failing.
          const severity = error instanceof LeaseHeld ? 'INFO' : 'WARNING';
          throw new RedeliveryRequest(formatLine(severity, `${name} asked for redelivery`, { error }));
        }
      });
    });
}

// The fields of a task an operator filters by.
function taskContext(task: object): Record<string, unknown> {
  const { tenant, runId } = task as { tenant?: unknown; runId?: unknown };
  return { ...(typeof tenant === 'string' && { tenant }), ...(typeof runId === 'string' && { runId }) };
}
