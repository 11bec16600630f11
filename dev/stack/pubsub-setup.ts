// Creates the product's topics on the Pub/Sub emulator, each with a subscription that delivers to its function on
// the tasks host (see push-relay.ts) and a dead-letter topic, as infra/ does in a real project.
import { PubSub } from '@google-cloud/pubsub';
import { FUNCTIONS } from '../../functions/src/catalog.ts';
import { deliverySubscription } from './push-relay.ts';
import type { StackAddresses } from './stack-config.ts';

/** A Pub/Sub client on the stack's emulator. */
export function emulatorPubSub(addresses: StackAddresses): PubSub {
  return new PubSub({ projectId: addresses.projectId, apiEndpoint: addresses.pubsubHost, emulatorMode: true });
}

/** Creates every event function's topic, dead-letter topic and delivery subscription. */
export async function createTopicsAndSubscriptions(pubsub: PubSub): Promise<void> {
  for (const fn of FUNCTIONS) {
    if (fn.trigger.kind !== 'topic') continue;
    const topicName = fn.trigger.topic;
    const [topic] = await pubsub.topic(topicName).get({ autoCreate: true });
    const [deadLetter] = await pubsub.topic(`${topicName}-dead-letter`).get({ autoCreate: true });
    await topic.createSubscription(deliverySubscription(fn.name), {
      ackDeadlineSeconds: 60,
      deadLetterPolicy: { deadLetterTopic: deadLetter.name, maxDeliveryAttempts: 10 },
      // Short backoff keeps a local stack responsive; the deployed subscriptions set their own.
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 5 } },
    });
  }
}
