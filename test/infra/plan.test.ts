// The deploy plan: a dry run prints exactly the golden commands, and the plan keeps its least-privilege rules.
// After an intended change, regenerate the golden file with UPDATE_GOLDEN=1 and review its diff.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { FUNCTIONS, TASK_NODE_OPTIONS, TOPICS } from '../../functions/src/catalog.ts';
import { REQUIRED_APIS, SECRET_CONDITION, buildPlan, deadLetterTopic } from '../../infra/plan/build-plan.ts';
import { loadFirebaseJson } from '../../infra/plan/firebase-json.ts';
import { cloudRunProblems, FUNCTION_SETTINGS } from '../../infra/plan/function-settings.ts';
import type { CommandStep, PlanStep } from '../../infra/plan/types.ts';
import { recordProgramOutput } from '../support/output.ts';

const run = promisify(execFile);
const GOLDEN = new URL('./golden/dry-run-demo-x.txt', import.meta.url);
const options = {
  projectId: 'demo-x',
  region: 'europe-west1',
  publicBaseUrl: 'https://demo-x.web.app',
  firebaseJson: loadFirebaseJson(),
};
const steps: PlanStep[] = buildPlan(options).flatMap((section) => section.steps);
const commands = steps.filter((step): step is CommandStep => step.kind === 'command').map((step) => step.argv);
const flag = (argv: readonly string[], name: string): string | undefined =>
  argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

describe('deploy plan', () => {
  it('a dry run prints the golden plan, offline', async () => {
    const { stdout } = await run(
      process.execPath,
      ['infra/deploy.ts', '--dry-run', '--project', 'demo-x', '--region', 'europe-west1'],
      {
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    recordProgramOutput('npm run deploy -- --dry-run', stdout);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, stdout);
    assert.equal(stdout, readFileSync(GOLDEN, 'utf8'));
  });

  it('is the same plan each time it is built (pure)', () => {
    assert.deepEqual(buildPlan(options), buildPlan(options));
  });

  it('enables every API the product needs', () => {
    const enable = commands.find((argv) => argv[1] === 'services' && argv[2] === 'enable') ?? [];
    for (const [api] of REQUIRED_APIS) assert.ok(enable.includes(api), api);
    for (const api of [
      'cloudfunctions',
      'run',
      'cloudbuild',
      'eventarc',
      'pubsub',
      'firestore',
      'secretmanager',
      'cloudscheduler',
      'admin',
      'identitytoolkit',
    ]) {
      assert.ok(enable.includes(`${api}.googleapis.com`), api);
    }
  });

  it('deploys every catalog function on nodejs24 with its settings and a reason', () => {
    for (const spec of FUNCTIONS) {
      const deploy = commands.find((argv) => argv[1] === 'functions' && argv[2] === 'deploy' && argv[3] === spec.name);
      assert.ok(deploy, spec.name);
      const settings = FUNCTION_SETTINGS[spec.name];
      assert.ok(settings && settings.why.length > 10, spec.name);
      assert.equal(flag(deploy, 'runtime'), 'nodejs24');
      assert.equal(flag(deploy, 'memory'), settings.memory);
      assert.equal(flag(deploy, 'concurrency'), String(settings.concurrency));
      assert.equal(flag(deploy, 'max-instances'), String(settings.maxInstances));
      const identity = spec.name === 'directoryPush' ? 'teliqon-push' : 'teliqon-runtime';
      assert.equal(flag(deploy, 'service-account'), `${identity}@demo-x.iam.gserviceaccount.com`);
      const env = flag(deploy, 'set-env-vars') ?? '';
      if (spec.trigger.kind === 'topic') {
        assert.equal(flag(deploy, 'trigger-topic'), spec.trigger.topic);
        assert.ok(deploy.includes('--retry'), `${spec.name} retries`);
        assert.ok(env.includes(`NODE_OPTIONS=${TASK_NODE_OPTIONS}`), `${spec.name} NODE_OPTIONS`);
      } else {
        assert.ok(deploy.includes('--trigger-http'));
        assert.ok(!env.includes('NODE_OPTIONS'), `${spec.name} keeps V8 defaults`);
      }
      // Only a function that sends mail holds the SMTP credentials.
      assert.equal(
        flag(deploy, 'set-secrets'),
        spec.sendsMail ? 'SMTP_URL=teliqon-smtp-url:latest' : undefined,
        spec.name,
      );
      assert.equal(
        deploy.includes('--clear-secrets'),
        !spec.sendsMail,
        `${spec.name} loses secrets an older plan gave it`,
      );
    }
  });

  it("refuses settings Cloud Run would refuse, naming the function and the limit; the product's own pass", () => {
    for (const spec of FUNCTIONS)
      assert.deepEqual(cloudRunProblems(spec.name, FUNCTION_SETTINGS[spec.name]!, spec.trigger.kind === 'topic'), []);
    const base = { memory: '256Mi', cpu: '0.167', timeoutSeconds: 60, concurrency: 1, maxInstances: 1, why: '' };
    assert.deepEqual(cloudRunProblems('a', { ...base, concurrency: 2 }, true), [
      'a: concurrency 2 needs at least 1 cpu',
    ]);
    assert.deepEqual(cloudRunProblems('b', { ...base, memory: '1Gi' }, true), ['b: 1Gi needs at least 0.5 cpu']);
    assert.deepEqual(cloudRunProblems('c', { ...base, memory: '2Gi', cpu: '0.5' }, true), [
      'c: 2Gi needs at least 1 cpu',
    ]);
    assert.deepEqual(cloudRunProblems('d', { ...base, cpu: '1.5', timeoutSeconds: 600 }, true), [
      'd: cpu above 1 must be whole, not 1.5',
      'd: timeout 600s exceeds 540s',
    ]);
    assert.deepEqual(cloudRunProblems('e', { ...base, memory: '512MB', cpu: '0.05', timeoutSeconds: 600 }, false), [
      'e: memory 512MB is not like 256Mi or 1Gi',
      "e: cpu 0.05 is below Cloud Run's 0.08",
    ]);
  });

  it('gives every topic a dead-letter topic and every trigger subscription a dead-letter policy', () => {
    const api = steps.flatMap((step) => (step.kind === 'api' ? [step] : []));
    const created = api.filter((step) => step.call === 'pubsub.ensureTopic').map((step) => step.request['name']);
    for (const topic of Object.values(TOPICS)) {
      assert.ok(created.includes(`projects/demo-x/topics/${topic}`), topic);
      assert.ok(created.includes(`projects/demo-x/topics/${deadLetterTopic(topic)}`), topic);
    }
    const policies = api
      .filter((step) => step.call === 'pubsub.setDeadLetterPolicy')
      .map((step) => step.request['deadLetterTopic']);
    const taskTopics = FUNCTIONS.flatMap((spec) =>
      spec.trigger.kind === 'topic' ? [`projects/demo-x/topics/${deadLetterTopic(spec.trigger.topic)}`] : [],
    );
    assert.deepEqual(policies, taskTopics);
  });

  it('grants secret roles only under the prefix condition, but creation, and no broad roles', () => {
    const bindings = commands.filter((argv) => argv.includes('add-iam-policy-binding'));
    const creator = 'projects/demo-x/roles/teliqonSecretCreator';
    for (const argv of bindings) {
      const role = flag(argv, 'role') ?? '';
      assert.ok(!/roles\/(owner|editor|viewer|.*\.admin)$/.test(role), `broad role ${role}`);
      // Creation is checked on the project, which no condition on the secret's name can match.
      if (/secret/i.test(role))
        assert.equal(flag(argv, 'condition'), role === creator ? 'None' : SECRET_CONDITION, role);
      if (argv[2] === 'projects') {
        assert.ok(
          [
            'roles/datastore.user',
            'roles/secretmanager.secretAccessor',
            'roles/secretmanager.secretVersionAdder',
            creator,
            'projects/demo-x/roles/teliqonSecretLifecycle',
          ].includes(role),
          role,
        );
      }
    }
    const roles = (verb: string) =>
      commands
        .filter((argv) => argv[1] === 'iam' && argv[2] === 'roles' && argv[3] === verb)
        .map((argv) => [argv[4], flag(argv, 'permissions')]);
    assert.deepEqual(roles('update'), roles('create'), 'a role created by an older plan is set to these permissions');
    assert.deepEqual(roles('create'), [
      ['teliqonSecretCreator', 'secretmanager.secrets.create'],
      [
        'teliqonSecretLifecycle',
        'secretmanager.secrets.delete,secretmanager.versions.list,secretmanager.versions.destroy',
      ],
    ]);
  });

  it('lets the runtime publish only to the topics it publishes to, never the tick', () => {
    const published = commands
      .filter(
        (argv) =>
          argv[2] === 'topics' &&
          argv[3] === 'add-iam-policy-binding' &&
          flag(argv, 'member')?.includes('teliqon-runtime'),
      )
      .map((argv) => argv[4]);
    assert.deepEqual(published.sort(), [TOPICS.syncFinalize, TOPICS.syncPage, TOPICS.welcomeMail].sort());
  });

  it('runs the push webhook, which anyone may post to, as an identity that reads Firestore and publishes one topic', () => {
    const grants = commands.filter((argv) => flag(argv, 'member')?.includes('teliqon-push@'));
    assert.deepEqual(
      grants.map((argv) => [argv[1], argv[2], argv[3], argv[4], flag(argv, 'role')]),
      [
        [
          'projects',
          'add-iam-policy-binding',
          'demo-x',
          '--member=serviceAccount:teliqon-push@demo-x.iam.gserviceaccount.com',
          'roles/datastore.viewer',
        ],
        ['pubsub', 'topics', 'add-iam-policy-binding', TOPICS.directoryPush, 'roles/pubsub.publisher'],
      ],
    );
  });

  it('grants token creation only to the Pub/Sub service agent, only on the invoker identity', () => {
    const tokenGrants = commands.filter((argv) => flag(argv, 'role') === 'roles/iam.serviceAccountTokenCreator');
    assert.equal(tokenGrants.length, 1);
    assert.deepEqual(tokenGrants[0]?.slice(1, 5), [
      'iam',
      'service-accounts',
      'add-iam-policy-binding',
      'teliqon-invoker@demo-x.iam.gserviceaccount.com',
    ]);
    assert.match(flag(tokenGrants[0] ?? [], 'member') ?? '', /@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/);
  });

  it('deploys everything into the region asked for; Hosting for another region than firebase.json names gets a copy naming it', () => {
    const elsewhere = buildPlan({ ...options, region: 'us-central1' }).flatMap((section) => section.steps);
    const argvs = elsewhere.flatMap((step) =>
      step.kind === 'command' || step.kind === 'lookup' ? [step.argv.join(' ')] : [],
    );
    const requests = elsewhere.flatMap((step) => (step.kind === 'api' ? [JSON.stringify(step.request)] : []));
    assert.ok(
      ![...argvs, ...requests].some((text) => text.includes('europe-west1')),
      "no command or API call names firebase.json's region",
    );
    assert.ok(requests.some((request) => request.includes('projects/demo-x/locations/us-central1/jobs/teliqon-tick')));
    assert.equal(
      argvs.filter((argv) => argv.includes('--region=us-central1') && argv.includes('functions deploy')).length,
      FUNCTIONS.length,
    );
    assert.ok(
      argvs.includes(
        'gcloud firestore databases create --location=us-central1 --type=firestore-native --project=demo-x',
      ),
    );
    const file = elsewhere.find((step) => step.kind === 'file');
    assert.equal(file?.path, 'firebase.deploy.json');
    assert.ok(!file.content.includes('europe-west1') && file.content.includes('"region": "us-central1"'));
    assert.ok(!steps.some((step) => step.kind === 'file'), 'firebase.json is used as it is for its own region');
  });

  it('sets TTL on oauthStates, sessions, push claims and changes, and the sync history, and deploys Hosting and the Firestore rules', () => {
    const ttl = commands
      .filter((argv) => argv.slice(1, 4).join(' ') === 'firestore fields ttls')
      .map((argv) => flag(argv, 'collection-group'));
    assert.deepEqual(ttl, ['oauthStates', 'sessions', 'pushEvents', 'pushChanges', 'changes']);
    assert.ok(commands.some((argv) => argv.includes('firebase') && argv.includes('hosting')));
    assert.ok(commands.some((argv) => argv.includes('firebase') && argv.includes('firestore')));
  });

  it('creates the tick job through the Scheduler client, publishing to the tick topic every minute', () => {
    const job = steps.find((step) => step.kind === 'api' && step.call === 'scheduler.upsertJob');
    assert.ok(job?.kind === 'api');
    const request = job.request as { job: { schedule: string; pubsubTarget: { topicName: string } } };
    assert.equal(request.job.schedule, '* * * * *');
    assert.equal(request.job.pubsubTarget.topicName, `projects/demo-x/topics/${TOPICS.scheduleTick}`);
  });
});
