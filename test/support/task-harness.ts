// Delivers a run's Pub/Sub tasks in this process, the way Pub/Sub may: each task more than once, in shuffled
// order, with a crash between publishing the next page and writing this one. The handlers are the product's own.
import { getApp, type App } from '../../functions/src/app.ts';
import { TOPICS, type TopicName } from '../../functions/src/catalog.ts';
import { handleMailTask } from '../../functions/src/mail/mail-task.ts';
import type { TaskQueue } from '../../functions/src/platform/pubsub.ts';
import { handleFinalize } from '../../functions/src/sync/removals/finalize.ts';
import { handlePageTask } from '../../functions/src/sync/fetch/page-task.ts';
import { startRun } from '../../functions/src/sync/run/start-run.ts';
import type { FinalizeTask, MailTask, PageTask } from '../../functions/src/sync/run/tasks.ts';

/** How the harness misbehaves. */
export interface Delivery {
  /** Deliver every task twice. */
  readonly duplicate?: boolean;
  /** Pick the next task at random rather than in publish order. */
  readonly shuffle?: boolean;
  /** The first page task that publishes a next page crashes right after publishing it. */
  readonly crashAfterPublish?: boolean;
  /** Overrides of the dependencies, e.g. a small page cap or a query budget. */
  readonly callSpacingMs?: number;
  readonly maxPagesPerChain?: number;
  readonly removalDeliveryMs?: number;
  /** Called as each task is published, before it is queued: to change the world between two pages. */
  readonly onPublish?: (topic: TopicName, payload: object) => void;
  /** Called once the run is started, before its first task is delivered: to change the world in between. */
  readonly afterStart?: () => Promise<void>;
}

interface Message {
  readonly topic: TopicName;
  readonly payload: object;
}

/** Runs one sync of `tenantId` to its end with tasks delivered as `delivery` says; returns the run id. */
export async function runWithDelivery(tenantId: string, delivery: Delivery): Promise<string> {
  const pending: Message[] = [];
  let crashArmed = delivery.crashAfterPublish === true;
  let delivering: TopicName | undefined;
  const queue: TaskQueue = {
    async publish(topic, payload) {
      delivery.onPublish?.(topic, payload);
      pending.push({ topic, payload });
      if (crashArmed && delivering === TOPICS.syncPage && topic === TOPICS.syncPage) {
        crashArmed = false;
        throw new Error('crash after publishing the next page');
      }
      return String(pending.length);
    },
  };
  const app = getApp();
  const deps: App = {
    config: app.config,
    db: app.db,
    auth: app.auth,
    secrets: app.secrets,
    mailer: app.mailer,
    oidc: app.oidc,
    directory: app.directory,
    caches: app.caches,
    callSpacingMs: delivery.callSpacingMs ?? 0,
    maxPagesPerChain: delivery.maxPagesPerChain ?? app.maxPagesPerChain,
    removalDeliveryMs: delivery.removalDeliveryMs ?? app.removalDeliveryMs,
    queue,
    startRun: (tenant, trigger, slot) => startRun({ db: app.db, queue }, tenant, trigger, slot),
  };
  const { runId } = await startRun({ db: app.db, queue }, tenantId, 'manual');
  await delivery.afterStart?.();
  if (delivery.duplicate) pending.push(...pending.map((message) => ({ ...message })));

  for (let deliveries = 0; pending.length > 0; deliveries++) {
    if (deliveries > 10_000) throw new Error('The run did not settle');
    const index = delivery.shuffle ? Math.floor(Math.random() * pending.length) : 0;
    const [message] = pending.splice(index, 1);
    const before = pending.length;
    delivering = message!.topic;
    try {
      await deliver(deps, message!);
      // A duplicate of what was just published, as at-least-once delivery may do.
      if (delivery.duplicate) pending.push(...pending.slice(before).map((published) => ({ ...published })));
    } catch {
      // Pub/Sub redelivers a task whose handler failed.
      pending.push(message!);
    } finally {
      delivering = undefined;
    }
  }
  return runId;
}

async function deliver(deps: App, message: Message): Promise<void> {
  if (message.topic === TOPICS.syncPage) return handlePageTask(deps, message.payload as PageTask);
  if (message.topic === TOPICS.syncFinalize) return handleFinalize(deps, message.payload as FinalizeTask);
  if (message.topic === TOPICS.welcomeMail) return handleMailTask(deps, message.payload as MailTask);
}
