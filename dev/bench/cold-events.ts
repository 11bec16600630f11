// The first CloudEvent of each Pub/Sub-triggered function in the cold-start benchmark: a message that does the
// function's real work, posted in the push body Pub/Sub sends (as the stack's push relay does). A page or finalize
// task comes from a real run of the tenant whose tasks this process keeps back instead of publishing: the cold
// process gets one, and the rest go to Pub/Sub (or, before a finalize, run here), so the run ends as any other.
import { randomUUID } from 'node:crypto';
import { FUNCTIONS, TOPICS, type TopicName } from '../../functions/src/catalog.ts';
import type { WelcomeMail } from '../../functions/src/extensions/extension-writes.ts';
import type { TaskQueue } from '../../functions/src/platform/pubsub.ts';
import { DEBOUNCE_MS } from '../../functions/src/push/push-user.ts';
import { pushPaths } from '../../functions/src/push/push-documents.ts';
import { handlePageTask } from '../../functions/src/sync/fetch/page-task.ts';
import type { PageDependencies } from '../../functions/src/sync/run/dependencies.ts';
import { startRun } from '../../functions/src/sync/run/start-run.ts';
import type { FinalizeTask, MailTask, PageTask } from '../../functions/src/sync/run/tasks.ts';
import type { PushTask } from '../../functions/src/push/push-task.ts';
import { syncPaths } from '../../functions/src/tenants/paths.ts';
import { waitFor, waitForQuietTenant, type ColdWorld, type FirstRequest } from './cold-world.ts';

type EventRequestMaker = (world: ColdWorld) => Promise<FirstRequest>;

/** A queue that keeps what is published, for the benchmark to hand out. */
class KeptTasks implements TaskQueue {
  readonly tasks: Array<{ readonly topic: TopicName; readonly payload: object }> = [];

  async publish(topic: TopicName, payload: object): Promise<string> {
    this.tasks.push({ topic, payload });
    return `kept-${this.tasks.length}`;
  }

  take(topic: TopicName): object | undefined {
    const at = this.tasks.findIndex((task) => task.topic === topic);
    return at < 0 ? undefined : this.tasks.splice(at, 1)[0]?.payload;
  }
}

/** Starts a run of the tenant whose tasks are kept, not published. */
async function keptRun(world: ColdWorld): Promise<{ runId: string; kept: KeptTasks }> {
  const kept = new KeptTasks();
  const { runId, started } = await startRun({ db: world.app.db, queue: kept }, world.tenantId, 'manual');
  if (!started) throw new Error(`Tenant ${world.tenantId} already has a run, ${runId}`);
  return { runId, kept };
}

// Publishes what the benchmark kept back, so the run finishes on the stack, and waits for it to succeed.
async function finishOnStack(world: ColdWorld, kept: KeptTasks): Promise<void> {
  for (const { topic, payload } of kept.tasks.splice(0)) await world.app.queue.publish(topic, payload);
  await waitForQuietTenant(world);
}

// The app's dependencies, publishing to `queue`.
function pageDependencies({ app }: ColdWorld, queue: TaskQueue): PageDependencies {
  return {
    config: app.config,
    db: app.db,
    queue,
    directory: app.directory,
    caches: app.caches,
    callSpacingMs: app.callSpacingMs,
    maxPagesPerChain: app.maxPagesPerChain,
    removalDeliveryMs: app.removalDeliveryMs,
    startRun: app.startRun,
  };
}

/** Posts `payload` to the cold process as Pub/Sub's push subscription of `functionName` would. */
function pushedMessage(world: ColdWorld, functionName: string, payload: object) {
  const trigger = FUNCTIONS.find((fn) => fn.name === functionName)?.trigger;
  if (trigger?.kind !== 'topic') throw new Error(`${functionName} is not triggered by a topic`);
  const { projectId } = world.stack.addresses;
  const body = {
    message: {
      data: Buffer.from(JSON.stringify(payload)).toString('base64'),
      attributes: {},
      messageId: randomUUID(),
      publishTime: new Date().toISOString(),
    },
    subscription: `projects/${projectId}/subscriptions/${functionName}-cold`,
  };
  return (origin: string) =>
    fetch(`${origin}/projects/${projectId}/topics/${trigger.topic}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
}

// Pub/Sub acks on any 2xx; anything else is a redelivery, which no cold start here should ask for.
const acked = (response: Response, body: string) =>
  response.ok ? undefined : `HTTP ${response.status} (a redelivery): ${body.slice(0, 300)}`;

/** The first CloudEvent of each event function. */
export const EVENT_FIRST_REQUESTS: Readonly<Record<string, EventRequestMaker>> = {
  // Cloud Scheduler's tick: the heartbeat, due runs and stalled ones, the mail sweep, the channels' upkeep.
  scheduleTick: async (world) => ({ send: pushedMessage(world, 'scheduleTick', {}), check: acked }),

  // The first page of the domain listing of a real run: claimed, fetched from Google with the stored grant,
  // compared and written (nothing changed since the last sync).
  syncPage: async (world) => {
    const { kept } = await keptRun(world);
    const task = kept.take(TOPICS.syncPage) as PageTask | undefined;
    if (!task) throw new Error('The run published no page task');
    return {
      send: pushedMessage(world, 'syncPage', task),
      check: acked,
      settle: () => finishOnStack(world, kept),
    };
  },

  // The finalize of a run whose pages all ran here: the removals decided (none) and the summary written.
  syncFinalize: async (world) => {
    const { kept } = await keptRun(world);
    const deps = pageDependencies(world, kept);
    for (let page = kept.take(TOPICS.syncPage); page; page = kept.take(TOPICS.syncPage)) {
      await handlePageTask(deps, page as PageTask);
    }
    const task = kept.take(TOPICS.syncFinalize) as FinalizeTask | undefined;
    if (!task) throw new Error('The run published no finalize task');
    return { send: pushedMessage(world, 'syncFinalize', task), check: acked, settle: () => finishOnStack(world, kept) };
  },

  // A pushed change of the synced user, heard long enough ago that the task does not wait: the user read again
  // from Google and planned (unchanged).
  pushUser: async (world) => {
    const task: PushTask = {
      tenant: world.tenantId,
      userId: world.user.userId,
      event: 'update',
      channelId: 'bench-cold',
      messageNumber: String(world.nextSerial()),
      receivedAt: Date.now() - DEBOUNCE_MS,
    };
    const claim = pushPaths(world.app.db, world.tenantId).event(`${task.channelId}:${task.messageNumber}`);
    return {
      send: pushedMessage(world, 'pushUser', task),
      check: acked,
      settle: () => waitFor(async () => (await claim.get()).get('status') === 'done', 'the pushUser task done'),
    };
  },

  // A welcome e-mail from the outbox, sent to the stack's SMTP sink.
  welcomeMail: async (world) => {
    const task: MailTask = { tenant: world.tenantId, mailId: `bench-cold-${world.nextSerial()}` };
    const { user } = world;
    const mail: WelcomeMail = {
      userId: user.userId,
      number: user.number,
      email: user.email,
      firstName: user.firstName,
      runId: 'bench-cold',
      status: 'pending',
      createdAt: new Date().toISOString(),
    };
    const ref = syncPaths(world.app.db, world.tenantId).welcomeMails.doc(task.mailId);
    await ref.create(mail);
    return {
      send: pushedMessage(world, 'welcomeMail', task),
      check: acked,
      settle: () => waitFor(async () => (await ref.get()).data()?.status === 'sent', 'the welcome mail sent'),
    };
  },
};
