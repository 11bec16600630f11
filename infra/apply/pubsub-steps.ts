// Pub/Sub API steps through @google-cloud/pubsub: topics, the hold subscriptions of dead letters, and dead-letter
// policies on the triggers' subscriptions. Each reads first and writes only what differs.
import type { PubSub } from '@google-cloud/pubsub';
import type { ApiOutcome } from './api-steps.ts';

/** A subscription's dead-letter and retry settings, as the plan states them. */
export interface DeadLetterRequest {
  readonly subscription: string;
  readonly deadLetterTopic: string;
  readonly maxDeliveryAttempts: number;
  readonly minimumBackoffSeconds: number;
  readonly maximumBackoffSeconds: number;
}

/** Creates the topic unless it exists. */
export async function ensureTopic(pubsub: PubSub, request: { name: string }): Promise<ApiOutcome> {
  const topic = pubsub.topic(request.name);
  const [exists] = await topic.exists();
  if (exists) return 'unchanged';
  await topic.create();
  return 'created';
}

/** Creates a pull subscription that keeps messages for `retentionSeconds` and never expires, unless it exists. */
export async function ensureSubscription(
  pubsub: PubSub,
  request: { name: string; topic: string; retentionSeconds: number },
): Promise<ApiOutcome> {
  const subscription = pubsub.subscription(request.name);
  const [exists] = await subscription.exists();
  if (exists) return 'unchanged';
  await pubsub.topic(request.topic).createSubscription(request.name, {
    messageRetentionDuration: { seconds: request.retentionSeconds },
    expirationPolicy: {},
  });
  return 'created';
}

const seconds = (duration: { seconds?: number | string | Long | null } | null | undefined): number =>
  Number(duration?.seconds ?? 0);
type Long = { toString(): string };

/** Sets the dead-letter topic, attempts and backoff of a subscription when they differ. */
export async function setDeadLetterPolicy(pubsub: PubSub, request: DeadLetterRequest): Promise<ApiOutcome> {
  const subscription = pubsub.subscription(request.subscription);
  const [current] = await subscription.getMetadata();
  const deadLetterTopic = pubsub.topic(request.deadLetterTopic).name;
  const same =
    current.deadLetterPolicy?.deadLetterTopic === deadLetterTopic &&
    current.deadLetterPolicy.maxDeliveryAttempts === request.maxDeliveryAttempts &&
    seconds(current.retryPolicy?.minimumBackoff) === request.minimumBackoffSeconds &&
    seconds(current.retryPolicy?.maximumBackoff) === request.maximumBackoffSeconds;
  if (same) return 'unchanged';
  await subscription.setMetadata({
    deadLetterPolicy: { deadLetterTopic, maxDeliveryAttempts: request.maxDeliveryAttempts },
    retryPolicy: {
      minimumBackoff: { seconds: request.minimumBackoffSeconds },
      maximumBackoff: { seconds: request.maximumBackoffSeconds },
    },
  });
  return 'updated';
}
