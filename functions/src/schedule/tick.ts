// The Cloud Scheduler tick, delivered through Pub/Sub. "Now" is the event's time, not the clock, so a
// redelivered or delayed tick acts on the moment it was published, and tests need not wait for a real clock.
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { Firestore } from '@google-cloud/firestore';
import { AppError } from '../errors.ts';
import type { RunTrigger } from '../sync/run/run.ts';
import { failStalledRuns, startDueRuns } from './due-runs.ts';
import { recordTick } from './heartbeat.ts';
import { sweepWelcomeMails } from './mail-sweep.ts';
import { renewDueChannels } from './push-upkeep.ts';
import type { ChannelDependencies } from '../push/channels.ts';
import type { TaskQueue } from '../platform/pubsub.ts';

/** What the tick handler needs. */
export interface TickDependencies extends ChannelDependencies {
  readonly db: Firestore;
  readonly queue: TaskQueue;
  readonly startRun: (tenantId: string, trigger: RunTrigger, slot?: string) => Promise<unknown>;
}

/** Handles one tick event. */
export async function handleTick(deps: TickDependencies, event: CloudEvent<unknown>): Promise<void> {
  const time = event.time;
  if (!time || Number.isNaN(Date.parse(time))) {
    // A tick with no time cannot be placed; retrying would not help, so it is acked and dropped.
    throw new AppError('invalid_request', 'Tick event has no valid time');
  }
  const now = new Date(time);
  await recordTick(deps.db, { lastTickAt: now.toISOString(), lastTickId: event.id });
  // In order (a stalled run is failed before its tenant's due run starts), and each step runs even when the
  // other fails: a broken watchdog must not stop the schedule, nor the reverse.
  const failures: unknown[] = [];
  await failStalledRuns(deps, now).catch((error: unknown) => failures.push(error));
  await startDueRuns(deps, now).catch((error: unknown) => failures.push(error));
  await sweepWelcomeMails(deps, now).catch((error: unknown) => failures.push(error));
  await renewDueChannels(deps, now).catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw failures[0];
}
