// The local Cloud Scheduler: publishes the tick message to the tick topic every minute, as the scheduler job
// defined in infra/ does in a real project.
import type { PubSub } from '@google-cloud/pubsub';
import { TOPICS } from '../../functions/src/catalog.ts';

/** A running ticker. */
export interface Ticker {
  /** Publishes one tick now; resolves with the message id. */
  tick(): Promise<string>;
  stop(): void;
}

/** Starts ticking every `intervalMs`, beginning with one tick at once; with no interval it ticks only when asked
 * (tests publish their own ticks, so no scheduled run starts behind their back). */
export function startTicker(pubsub: PubSub, intervalMs: number | undefined, onError: (error: unknown) => void): Ticker {
  const topic = pubsub.topic(TOPICS.scheduleTick);
  const tick = () => topic.publishMessage({ json: { source: 'local-scheduler' } });
  if (intervalMs === undefined) return { tick, stop: () => undefined };
  const fire = () => void tick().catch(onError);
  fire();
  const timer = setInterval(fire, intervalMs);
  return { tick, stop: () => clearInterval(timer) };
}
