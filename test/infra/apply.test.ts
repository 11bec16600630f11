// The plan's API steps through the real client libraries: Pub/Sub against its emulator, Secret Manager and Cloud
// Scheduler against local REST stand-ins. A first apply creates, a second changes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PubSub } from '@google-cloud/pubsub';
import { CloudSchedulerClient } from '@google-cloud/scheduler';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { PassThroughClient } from 'google-auth-library';
import { FUNCTIONS, TOPICS } from '../../functions/src/catalog.ts';
import { SchedulerStandIn } from '../../dev/scheduler/server.ts';
import { applyApiStep, applyPlan } from '../../infra/apply/apply-plan.ts';
import type { ApplyClients, CommandRunner } from '../../infra/apply/apply-plan.ts';
import { SMTP_SECRET, buildPlan } from '../../infra/plan/build-plan.ts';
import { loadFirebaseJson, type FirebaseJson } from '../../infra/plan/firebase-json.ts';
import type { ApiStep, CommandStep } from '../../infra/plan/types.ts';
import { useStack } from '../support/stack.ts';

// A project of its own, so the stack's topics of the same names are not touched.
const PROJECT = 'demo-deploy';
const plan = buildPlan({
  projectId: PROJECT,
  region: 'europe-west1',
  publicBaseUrl: 'https://demo-deploy.web.app',
  firebaseJson: loadFirebaseJson(),
});
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
        fallback: true,
        protocol: 'http',
        apiEndpoint: secret[0],
        port: Number(secret[1]),
        authClient: new PassThroughClient(),
      }),
      scheduler: new CloudSchedulerClient({
        fallback: true,
        protocol: 'http',
        apiEndpoint: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        authClient: new PassThroughClient(),
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
    for (const step of apiSteps)
      outcomes.push(`${step.call} ${await applyApiStep(await resolveTriggerSubscriptions(step), clients)}`);
    return outcomes;
  }

  it('creates the topics, dead letters, the SMTP secret and the tick job; a second apply changes nothing', async () => {
    const first = await applyAll();
    assert.ok(
      first.every((outcome) => !outcome.endsWith('unchanged')),
      first.join('\n'),
    );

    const [topics] = await clients.pubsub.getTopics();
    const names = topics.map((topic) => topic.name);
    for (const topic of Object.values(TOPICS)) {
      assert.ok(names.includes(`projects/${PROJECT}/topics/${topic}`), topic);
      assert.ok(names.includes(`projects/${PROJECT}/topics/${topic}-dead-letter`), topic);
    }
    const [syncPage] = await clients.pubsub
      .subscription(`projects/${PROJECT}/subscriptions/SUBSCRIPTION_syncPage`)
      .getMetadata();
    assert.equal(
      syncPage.deadLetterPolicy?.deadLetterTopic,
      `projects/${PROJECT}/topics/${TOPICS.syncPage}-dead-letter`,
    );
    assert.equal(syncPage.deadLetterPolicy?.maxDeliveryAttempts, 10);
    const [secret] = await clients.secretManager.getSecret({ name: `projects/${PROJECT}/secrets/${SMTP_SECRET}` });
    assert.equal(secret.labels?.['product'], 'teliqon-google-workspace');
    const [job] = await clients.scheduler.getJob({
      name: `projects/${PROJECT}/locations/europe-west1/jobs/teliqon-tick`,
    });
    assert.equal(job.schedule, '* * * * *');
    assert.equal(job.pubsubTarget?.topicName, `projects/${PROJECT}/topics/${TOPICS.scheduleTick}`);
    assert.deepEqual(JSON.parse(Buffer.from(job.pubsubTarget?.data ?? '').toString()), { source: 'cloud-scheduler' });

    const writes = scheduler.writes;
    const second = await applyAll();
    assert.ok(
      second.every((outcome) => outcome.endsWith('unchanged')),
      second.join('\n'),
    );
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

  it('applies the whole plan, and a second apply runs no create and writes nothing through the APIs', async () => {
    // gcloud, npm and firebase are faked: a create makes its probe succeed from then on, lookups answer what
    // Eventarc would, and each trigger's subscription exists as Eventarc would have made it.
    const project = 'demo-deploy-full';
    const whole = buildPlan({
      projectId: project,
      region: 'europe-west1',
      publicBaseUrl: 'https://demo-deploy-full.web.app',
      firebaseJson: loadFirebaseJson(),
    });
    const guarded = whole
      .flatMap((section) => section.steps)
      .filter((step): step is CommandStep => step.kind === 'command' && step.unless !== undefined);
    const probeOf = new Map(guarded.map((step) => [step.unless?.join(' '), step.argv.join(' ')]));
    const ran = new Set<string>();
    const run: CommandRunner = (argv) => {
      const line = argv.join(' ');
      const created = probeOf.get(line);
      if (created !== undefined) return { ok: ran.has(created), stdout: '' };
      ran.add(line);
      if (argv[1] === 'projects' && argv[2] === 'describe') return { ok: true, stdout: '123456789\n' };
      if (argv[1] === 'functions' && argv[2] === 'describe') return { ok: true, stdout: `trigger-${argv[3]}\n` };
      if (argv[1] === 'eventarc') return { ok: true, stdout: `projects/${project}/subscriptions/${argv[4]}\n` };
      return { ok: true, stdout: '' };
    };
    const pubsub = new PubSub({
      projectId: project,
      apiEndpoint: (await useStack()).addresses.pubsubHost,
      emulatorMode: true,
    });
    const fullClients = { ...clients, pubsub };
    try {
      for (const topic of Object.values(TOPICS)) await pubsub.topic(topic).create();
      for (const fn of FUNCTIONS) {
        if (fn.trigger.kind !== 'topic') continue;
        const [name, topic] = [fn.name, fn.trigger.topic];
        await pubsub.topic(topic).createSubscription(`trigger-${name}`);
      }
      const first = await applyPlan(whole, { projectId: project, clients: fullClients, run, write: () => undefined });
      assert.ok(first.includes('created') && first.includes('updated') && first.includes('done'));
      const [subscription] = await pubsub.subscription('trigger-welcomeMail').getMetadata();
      assert.equal(
        subscription.deadLetterPolicy?.deadLetterTopic,
        `projects/${project}/topics/${TOPICS.welcomeMail}-dead-letter`,
      );
      assert.ok(
        [...ran].some((line) => line.includes('serviceAccount:service-123456789@gcp-sa-pubsub')),
        'the project number is substituted',
      );

      const createsBefore = ran.size;
      const second = await applyPlan(whole, { projectId: project, clients: fullClients, run, write: () => undefined });
      assert.ok(!second.includes('created') && !second.includes('updated'), second.join(', '));
      assert.equal(second.filter((outcome) => outcome === 'already done').length, guarded.length);
      assert.equal(ran.size, createsBefore, 'the second apply ran only commands the first one ran (bindings, deploys)');
    } finally {
      await pubsub.close();
    }
  });

  it('deploys Hosting for another region through a written copy of firebase.json whose rewrites name that region', async () => {
    const plan = buildPlan({
      projectId: 'demo-x',
      region: 'us-central1',
      publicBaseUrl: 'https://demo-x.web.app',
      firebaseJson: loadFirebaseJson(),
    });
    const hosting = plan.filter((section) => section.title === 'Hosting');
    const root = mkdtempSync(path.join(tmpdir(), 'deploy-'));
    const ran: string[][] = [];
    try {
      const outcomes = await applyPlan(hosting, {
        projectId: 'demo-x',
        clients,
        root,
        run: (argv) => (ran.push([...argv]), { ok: true, stdout: '' }),
        write: () => undefined,
      });
      assert.deepEqual(outcomes, ['written', 'done']);
      const written = JSON.parse(readFileSync(path.join(root, 'firebase.deploy.json'), 'utf8')) as FirebaseJson;
      const regions = written.hosting.rewrites.flatMap((rewrite) =>
        rewrite.function ? [rewrite.function.region] : [],
      );
      assert.ok(regions.length >= 5 && regions.every((region) => region === 'us-central1'), regions.join(', '));
      assert.deepEqual(
        { ...written, hosting: { ...written.hosting, rewrites: [] } },
        { ...loadFirebaseJson(), hosting: { ...loadFirebaseJson().hosting, rewrites: [] } },
      );
      assert.deepEqual(ran, [
        [
          'npx',
          'firebase',
          'deploy',
          '--only',
          'hosting',
          '--project=demo-x',
          '--non-interactive',
          '--config=firebase.deploy.json',
        ],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
