// Publishing tasks to the product's Pub/Sub topics.
import { createRequire } from 'node:module';
import type { PubSub } from '@google-cloud/pubsub';
import type { AppConfig } from '../config.ts';
import type { TopicName } from '../catalog.ts';

/** Publishes JSON task messages. */
export interface TaskQueue {
  /** Publishes one message and resolves with its id once Pub/Sub has accepted it. */
  publish(topic: TopicName, payload: object): Promise<string>;
}

/** A TaskQueue on Pub/Sub (or its emulator). */
export class PubSubTaskQueue implements TaskQueue {
  readonly #pubsub: PubSub;

  constructor(config: AppConfig) {
    const emulator = config.emulators.pubsub;
    // Loaded with the first publish's queue: a function that never publishes (the login pages, Sign in with
    // Google, welcome e-mails) does not carry it.
    const library = createRequire(import.meta.url)('@google-cloud/pubsub') as typeof import('@google-cloud/pubsub');
    this.#pubsub = new library.PubSub({
      projectId: config.projectId,
      ...(emulator && { apiEndpoint: `${emulator.host}:${emulator.port}`, emulatorMode: true }),
    });
  }

  async publish(topic: TopicName, payload: object): Promise<string> {
    return this.#pubsub.topic(topic).publishMessage({ json: payload });
  }
}
