// Delivers the product's Pub/Sub messages to the tasks host the way a push subscription on Google Cloud does: the
// push body Eventarc and Pub/Sub send, many messages in flight at once, ack on a 2xx answer, redelivery after a
// backoff otherwise. The Pub/Sub emulator's own push delivery keeps only two messages of a subscription in flight,
// which would serialize a sync's page chain behind its writes, something Cloud Run never does; so the local stack
// pulls and pushes itself.
import type { Message, PubSub, Subscription } from '@google-cloud/pubsub';
import { FUNCTIONS } from '../../functions/src/catalog.ts';
import type { StackAddresses } from './stack-config.ts';

/** Messages of one subscription in flight at once: a Cloud Run service scaled out handles many more. */
const IN_FLIGHT = 64;
/** The redelivery backoff of a refused message, as the deployed subscriptions' minimum backoff. */
const RETRY_AFTER_MS = 1000;

/** The pull subscription the relay delivers from, per event function. */
export function deliverySubscription(functionName: string): string {
  return `${functionName}-delivery`;
}

/** A running relay. */
export interface PushRelay {
  stop(): Promise<void>;
}

async function deliver(endpoint: string, subscription: string, message: Message): Promise<boolean> {
  const body = {
    message: {
      data: message.data.toString('base64'),
      attributes: message.attributes,
      messageId: message.id,
      publishTime: message.publishTime.toISOString(),
    },
    subscription,
    ...(message.deliveryAttempt > 0 && { deliveryAttempt: message.deliveryAttempt }),
  };
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts delivering every event function's messages to its endpoint on the tasks host. */
export function startPushRelay(pubsub: PubSub, addresses: StackAddresses): PushRelay {
  const subscriptions: Subscription[] = [];
  const pending = new Set<Promise<unknown>>();
  let stopping = false;
  for (const fn of FUNCTIONS) {
    if (fn.trigger.kind !== 'topic') continue;
    const endpoint = `${addresses.tasksUrl}/${fn.name}/projects/${addresses.projectId}/topics/${fn.trigger.topic}`;
    const subscription = pubsub.subscription(deliverySubscription(fn.name), {
      flowControl: { maxMessages: IN_FLIGHT, allowExcessMessages: false },
    });
    subscription.on('message', (message: Message) => {
      const delivery = deliver(endpoint, subscription.name, message).then(async (ok) => {
        if (ok) {
          message.ack();
          return;
        }
        if (!stopping) await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
        message.nack();
      });
      pending.add(delivery);
      void delivery.finally(() => pending.delete(delivery));
    });
    subscription.on('error', (error) => {
      if (!stopping) console.error(`Pub/Sub delivery to ${fn.name} failed:`, error);
    });
    subscriptions.push(subscription);
  }
  return {
    async stop() {
      stopping = true;
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await Promise.allSettled([...pending]);
    },
  };
}
