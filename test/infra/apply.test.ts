// The plan's API steps through the real client libraries: Pub/Sub against its emulator, Secret Manager and Cloud
// Scheduler against local REST stand-ins. A first apply creates, a second changes nothing.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PubSub } from '@google-cloud/pubsub';
import { CloudSchedulerClient } from '@google-cloud/scheduler';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { PassThroughClient } from 'google-auth-library';
import { TOPICS } from '../../functions/src/catalog.ts';
import { SchedulerStandIn } from '../../dev/scheduler/server.ts';
import { applyApiStep } from '../../infra/apply/apply-plan.ts';
import type { ApplyClients } from '../../infra/apply/apply-plan.ts';
import { SMTP_SECRET, buildPlan } from '../../infra/plan/build-plan.ts';
import type { ApiStep } from '../../infra/plan/types.ts';
import { useStack } from '../support/stack.ts';

// A project of its own, so the stack's topics of the same names are not touched.
const PROJECT = 'demo-deploy';
const plan = buildPlan({ projectId: PROJECT, region: 'europe-west1', publicBaseUrl: 'https://demo-deploy.web.app' });
const apiSteps = plan.flatMap((section) => section.steps).filter((step): step is ApiStep => step.kind === 'api');

describe('deploy apply (API steps)', function () {
  this.timeout(120_000);
  let clients: ApplyClients;
  let scheduler: SchedulerStandIn;
  let server: Server;

  before(async () => {
    const stack = await useStack();
    scheduler = new SchedulerStandIn();
    server = await new Promise<Server>((resolve) => {
      const listening: Server = scheduler.app().listen(0, '127.0.0.1', () => resolve(listening));
    });
    const secret = stack.addresses.secretManagerHost.split(':');
    clients = {
      pubsub: new PubSub({ projectId: PROJECT, apiEndpoint: stack.addresses.pubsubHost, emulatorMode: true }),
      secretManager: new SecretManagerServiceClient({
        fallback: true, protocol: 'http', apiEndpoint: secret[0], port: Number(secret[1]), authClient: new PassThroughClient(),
      }),
      scheduler: new CloudSchedulerClient({
        fallback: true, protocol: 'http', apiEndpoint: '127.0.0.1', port: (server.address() as AddressInfo).port, authClient: new PassThroughClient(),
      }),
    };
  });

  after(async () => {
    await clients?.pubsub.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  // The dead-letter steps name a trigger's subscription, which Eventarc creates on deploy; here the test makes one.
  async function resolveTriggerSubscriptions(step: ApiStep): Promise<ApiStep> {
    if (step.call !== 'pubsub.setDeadLetterPolicy') return step;
    const name = `projects/${PROJECT}/subscriptions/${String(step.request['subscription']).replace(/\W/g, '')}`;
    const topic = String(step.request['deadLetterTopic']).replace(/-dead-letter$/, '');
    const [exists] = await clients.pubsub.subscription(name).exists();
    if (!exists) await clients.pubsub.topic(topic).createSubscription(name);
    return { ...step, request: { ...step.request, subscription: name } };
  }

  async function applyAll(): Promise<string[]> {
    const outcomes: string[] = [];
    for (const step of apiSteps) outcomes.push(`${step.call} ${await applyApiStep(await resolveTriggerSubscriptions(step), clients)}`);
    return outcomes;
  }

  it('creates the topics, dead letters, the SMTP secret and the tick job; a second apply changes nothing', async () => {
    const first = await applyAll();
    assert.ok(first.every((outcome) => !outcome.endsWith('unchanged')), first.join('\n'));

    const [topics] = await clients.pubsub.getTopics();
    const names = topics.map((topic) => topic.name);
    for (const topic of Object.values(TOPICS)) {
      assert.ok(names.includes(`projects/${PROJECT}/topics/${topic}`), topic);
      assert.ok(names.includes(`projects/${PROJECT}/topics/${topic}-dead-letter`), topic);
    }
    const [syncPage] = await clients.pubsub.subscription(`projects/${PROJECT}/subscriptions/SUBSCRIPTION_syncPage`).getMetadata();
    assert.equal(syncPage.deadLetterPolicy?.deadLetterTopic, `projects/${PROJECT}/topics/${TOPICS.syncPage}-dead-letter`);
    assert.equal(syncPage.deadLetterPolicy?.maxDeliveryAttempts, 10);
    const [secret] = await clients.secretManager.getSecret({ name: `projects/${PROJECT}/secrets/${SMTP_SECRET}` });
    assert.equal(secret.labels?.['product'], 'teliqon-google-workspace');
    const [job] = await clients.scheduler.getJob({ name: `projects/${PROJECT}/locations/europe-west1/jobs/teliqon-tick` });
    assert.equal(job.schedule, '* * * * *');
    assert.equal(job.pubsubTarget?.topicName, `projects/${PROJECT}/topics/${TOPICS.scheduleTick}`);
    assert.deepEqual(JSON.parse(Buffer.from(job.pubsubTarget?.data ?? '').toString()), { source: 'cloud-scheduler' });

    const writes = scheduler.writes;
    const second = await applyAll();
    assert.ok(second.every((outcome) => outcome.endsWith('unchanged')), second.join('\n'));
    assert.equal(scheduler.writes, writes);
  });

  it('updates the tick job when its schedule drifted', async () => {
    const name = `projects/${PROJECT}/locations/europe-west1/jobs/teliqon-tick`;
    await clients.scheduler.updateJob({ job: { name, schedule: '*/5 * * * *' } });
    const tick = apiSteps.find((step) => step.call === 'scheduler.upsertJob');
    assert.ok(tick);
    assert.equal(await applyApiStep(tick, clients), 'updated');
    const [job] = await clients.scheduler.getJob({ name });
    assert.equal(job.schedule, '* * * * *');
  });
});
