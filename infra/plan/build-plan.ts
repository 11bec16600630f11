// Builds the deploy plan from the catalog, stack.config.json and the operator's options. Pure: no I/O, no clock,
// so a dry run prints exactly what an apply runs, and a golden test pins it.
import { FUNCTIONS, TASK_NODE_OPTIONS, TOPICS } from '../../functions/src/catalog.ts';
import type { FunctionSpec } from '../../functions/src/catalog.ts';
import { SECRET_PREFIX } from '../../functions/src/platform/secret-store.ts';
import { firebaseJsonForRegion, REGIONAL_FIREBASE_JSON } from './firebase-json.ts';
import { cloudRunProblems, functionsWithoutSettings, settingsOf } from './function-settings.ts';
import type { CommandStep, PlanOptions, PlanSection, PlanStep } from './types.ts';

/** Google APIs the product uses, with why. */
export const REQUIRED_APIS: readonly (readonly [string, string])[] = [
  ['cloudfunctions.googleapis.com', 'Cloud Functions'],
  ['run.googleapis.com', 'Cloud Run, which runs the functions'],
  ['cloudbuild.googleapis.com', 'Cloud Build, which builds them'],
  ['artifactregistry.googleapis.com', "Artifact Registry, where Cloud Build stores the functions' images"],
  ['eventarc.googleapis.com', 'Eventarc, the Pub/Sub triggers'],
  ['pubsub.googleapis.com', 'Pub/Sub, the task topics'],
  ['firestore.googleapis.com', 'Firestore'],
  ['secretmanager.googleapis.com', 'Secret Manager: refresh tokens, client secrets, SMTP credentials'],
  ['cloudscheduler.googleapis.com', 'Cloud Scheduler, the tick'],
  ['admin.googleapis.com', 'Admin SDK, the Directory API'],
  ['identitytoolkit.googleapis.com', 'Identity Toolkit, the tenant admins sign-in'],
];

/** The SMTP credentials secret (an smtps:// URL), given to the functions as SMTP_URL. */
export const SMTP_SECRET = `${SECRET_PREFIX}smtp-url`;
/** Name of the Cloud Scheduler job that publishes the tick. */
export const TICK_JOB = 'teliqon-tick';
/** Redeliveries before a task is dead-lettered. */
export const MAX_DELIVERY_ATTEMPTS = 10;

// IAM condition: the part of the resource name after /secrets/ starts with the product's prefix. It holds for a
// secret (projects/N/secrets/teliqon-x) and its versions (.../secrets/teliqon-x/versions/3) alike.
export const SECRET_CONDITION = `expression=resource.name.extract("/secrets/{rest}").startsWith("${SECRET_PREFIX}"),title=teliqon-secrets-only`;

/** Dead-letter topic of a task topic. */
export const deadLetterTopic = (topic: string): string => `${topic}-dead-letter`;

/** The runtime and trigger identities of a project. */
export function identities(projectId: string): { runtime: string; push: string; invoker: string; pubsubAgent: string } {
  return {
    runtime: `teliqon-runtime@${projectId}.iam.gserviceaccount.com`,
    push: `teliqon-push@${projectId}.iam.gserviceaccount.com`,
    invoker: `teliqon-invoker@${projectId}.iam.gserviceaccount.com`,
    pubsubAgent: 'service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com',
  };
}

/** Builds the ordered plan. Throws when the catalog and the per-function settings disagree. */
export function buildPlan(options: PlanOptions): PlanSection[] {
  const missing = functionsWithoutSettings();
  if (missing.length > 0) throw new Error(`No deploy settings for: ${missing.join(', ')}`);
  const refused = FUNCTIONS.flatMap((spec) =>
    cloudRunProblems(spec.name, settingsOf(spec.name), spec.trigger.kind === 'topic'),
  );
  if (refused.length > 0)
    throw new Error(`Cloud Run would refuse infra/plan/function-settings.ts: ${refused.join('; ')}`);
  const { projectId: p, region } = options;
  const ids = identities(p);
  const gcloud = (...args: string[]): string[] => ['gcloud', ...args, `--project=${p}`];
  const run = (description: string, argv: string[], unless?: string[]): CommandStep =>
    unless ? { kind: 'command', description, argv, unless } : { kind: 'command', description, argv };
  const taskFunctions = FUNCTIONS.filter((spec) => spec.trigger.kind === 'topic');
  // Topics the runtime publishes to: every task topic except the tick, which only Cloud Scheduler publishes.
  const publishedTopics: readonly string[] = Object.values(TOPICS).filter((topic) => topic !== TOPICS.scheduleTick);

  const apis: PlanStep[] = [
    run(
      `Enable ${REQUIRED_APIS.length} APIs: ${REQUIRED_APIS.map(([, why]) => why.split(/[,:]/)[0]).join(', ')}`,
      gcloud('services', 'enable', ...REQUIRED_APIS.map(([api]) => api)),
    ),
    {
      kind: 'lookup',
      description: "The project's number, which names Google's service agents",
      name: 'PROJECT_NUMBER',
      argv: ['gcloud', 'projects', 'describe', p, '--format=value(projectNumber)'],
    },
  ];

  const serviceAccount = (name: string, displayName: string): CommandStep =>
    run(
      `Service account ${name}: ${displayName}`,
      gcloud('iam', 'service-accounts', 'create', name, `--display-name=${displayName}`),
      gcloud('iam', 'service-accounts', 'describe', `${name}@${p}.iam.gserviceaccount.com`),
    );
  const projectRole = (member: string, role: string, why: string, condition?: string): CommandStep =>
    run(why, [
      'gcloud',
      'projects',
      'add-iam-policy-binding',
      p,
      `--member=serviceAccount:${member}`,
      `--role=${role}`,
      condition ? `--condition=${condition}` : '--condition=None',
    ]);
  // Created once, then its permissions set exactly on every deploy, so a role from an older plan converges too.
  const customRole = (id: string, title: string, permissions: readonly string[], what: string): CommandStep[] => [
    run(
      `Custom role ${id}: ${what}`,
      gcloud('iam', 'roles', 'create', id, `--title=${title}`, `--permissions=${permissions.join(',')}`, '--stage=GA'),
      gcloud('iam', 'roles', 'describe', id),
    ),
    run(
      `Custom role ${id} holds exactly ${permissions.join(', ')}`,
      gcloud('iam', 'roles', 'update', id, `--permissions=${permissions.join(',')}`, '--quiet'),
    ),
  ];
  const identitySteps: PlanStep[] = [
    serviceAccount('teliqon-runtime', 'Teliqon functions runtime'),
    serviceAccount('teliqon-invoker', 'Teliqon Pub/Sub trigger invoker'),
    serviceAccount('teliqon-push', 'Teliqon Directory push webhook'),
    projectRole(
      ids.runtime,
      'roles/datastore.user',
      'Runtime reads and writes Firestore (no admin, no index or rules changes)',
    ),
    // Anyone on the internet can post to the webhook, so it runs with the least: it reads a channel record and
    // queues a task; it writes nothing, reads no secret, and publishes to directory-push alone (below).
    projectRole(
      ids.push,
      'roles/datastore.viewer',
      'Push webhook reads Firestore (its channel records) and writes nothing',
    ),
    // Connect stores a tenant's client secret and refresh token as new secrets; Disconnect destroys their versions
    // and deletes them. No predefined role has exactly that, so two custom ones. secrets.create is checked on the
    // project, whose name a prefix condition can never match, so it alone is granted without one: it creates a
    // secret but reads, changes and deletes none. Everything else is granted under the prefix condition.
    ...customRole(
      'teliqonSecretCreator',
      'Teliqon secret creator',
      ['secretmanager.secrets.create'],
      'create secrets (granted below without a condition: IAM checks creation on the project)',
    ),
    ...customRole(
      'teliqonSecretLifecycle',
      'Teliqon secret lifecycle',
      ['secretmanager.secrets.delete', 'secretmanager.versions.list', 'secretmanager.versions.destroy'],
      'list and destroy secret versions, delete secrets (granted below under the prefix condition)',
    ),
    projectRole(
      ids.runtime,
      `projects/${p}/roles/teliqonSecretCreator`,
      `Runtime creates secrets (it names them ${SECRET_PREFIX}*)`,
    ),
    projectRole(
      ids.runtime,
      `projects/${p}/roles/teliqonSecretLifecycle`,
      `Runtime destroys versions of and deletes secrets, only those named ${SECRET_PREFIX}*`,
      SECRET_CONDITION,
    ),
    projectRole(
      ids.runtime,
      'roles/secretmanager.secretAccessor',
      `Runtime reads secrets, only those named ${SECRET_PREFIX}*`,
      SECRET_CONDITION,
    ),
    projectRole(
      ids.runtime,
      'roles/secretmanager.secretVersionAdder',
      `Runtime adds secret versions, only to ${SECRET_PREFIX}*`,
      SECRET_CONDITION,
    ),
    run(
      'Pub/Sub service agent may mint OIDC tokens for the invoker only, to authenticate its pushes to the task functions',
      gcloud(
        'iam',
        'service-accounts',
        'add-iam-policy-binding',
        ids.invoker,
        `--member=serviceAccount:${ids.pubsubAgent}`,
        '--role=roles/iam.serviceAccountTokenCreator',
      ),
    ),
  ];

  const secrets: PlanStep[] = [
    {
      kind: 'api',
      description: `Secret ${SMTP_SECRET}: the SMTP credentials, an smtps:// URL`,
      call: 'secretManager.ensureSecret',
      request: {
        parent: `projects/${p}`,
        secretId: SMTP_SECRET,
        secret: { replication: { automatic: {} }, labels: { product: 'teliqon-google-workspace' } },
      },
    },
    run(
      `First version of ${SMTP_SECRET}, read from standard input (skipped once it has one; rotate as in the runbook)`,
      gcloud('secrets', 'versions', 'add', SMTP_SECRET, '--data-file=-'),
      gcloud('secrets', 'versions', 'describe', 'latest', `--secret=${SMTP_SECRET}`),
    ),
  ];

  const firestore: PlanStep[] = [
    run(
      `Firestore database (default) in ${region}`,
      gcloud('firestore', 'databases', 'create', `--location=${region}`, '--type=firestore-native'),
      gcloud('firestore', 'databases', 'describe', '--database=(default)'),
    ),
    run('Firestore rules and indexes from firestore.rules and firestore.indexes.json', [
      'npx',
      'firebase',
      'deploy',
      '--only',
      'firestore',
      `--project=${p}`,
      '--non-interactive',
    ]),
    // Push notifications' claims and change log, and the sync's history (90 days), are kept for a while, then
    // deleted by Firestore.
    ...['oauthStates', 'sessions', 'pushEvents', 'pushChanges', 'changes'].map((group) =>
      run(
        `TTL: Firestore deletes expired ${group} by expiresAt`,
        gcloud(
          'firestore',
          'fields',
          'ttls',
          'update',
          'expiresAt',
          `--collection-group=${group}`,
          '--enable-ttl',
          '--async',
        ),
      ),
    ),
  ];

  const topicName = (topic: string): string => `projects/${p}/topics/${topic}`;
  const topics: PlanStep[] = Object.values(TOPICS).flatMap((topic) => {
    const dead = deadLetterTopic(topic);
    return [
      { kind: 'api', description: `Topic ${topic}`, call: 'pubsub.ensureTopic', request: { name: topicName(topic) } },
      {
        kind: 'api',
        description: `Dead-letter topic ${dead}`,
        call: 'pubsub.ensureTopic',
        request: { name: topicName(dead) },
      },
      {
        kind: 'api',
        description: `Subscription keeping ${topic}'s dead-lettered tasks 7 days for inspection and alerting`,
        call: 'pubsub.ensureSubscription',
        request: {
          name: `projects/${p}/subscriptions/${dead}-hold`,
          topic: topicName(dead),
          retentionSeconds: 7 * 24 * 3600,
        },
      },
      run(
        `Pub/Sub service agent may publish to ${dead}, to forward undeliverable tasks`,
        gcloud(
          'pubsub',
          'topics',
          'add-iam-policy-binding',
          dead,
          `--member=serviceAccount:${ids.pubsubAgent}`,
          '--role=roles/pubsub.publisher',
        ),
      ),
      ...(publishedTopics.includes(topic)
        ? [
            run(
              `${topic === TOPICS.directoryPush ? 'Push webhook' : 'Runtime'} may publish to ${topic} only`,
              gcloud(
                'pubsub',
                'topics',
                'add-iam-policy-binding',
                topic,
                `--member=serviceAccount:${topic === TOPICS.directoryPush ? ids.push : ids.runtime}`,
                '--role=roles/pubsub.publisher',
              ),
            ),
          ]
        : []),
    ] satisfies PlanStep[];
  });

  const functions: PlanStep[] = [
    run('Compile the functions to functions/lib', ['npm', 'run', 'build']),
    ...FUNCTIONS.flatMap((spec) => deployFunction(spec, options, ids, gcloud)),
  ];

  const scheduler: PlanStep[] = [
    {
      kind: 'api',
      description: `Cloud Scheduler job ${TICK_JOB}: publishes the tick to ${TOPICS.scheduleTick} every minute`,
      call: 'scheduler.upsertJob',
      request: {
        parent: `projects/${p}/locations/${region}`,
        job: {
          name: `projects/${p}/locations/${region}/jobs/${TICK_JOB}`,
          description: 'Teliqon tick: heartbeat, due syncs, stalled runs',
          schedule: '* * * * *',
          timeZone: 'Etc/UTC',
          pubsubTarget: {
            topicName: `projects/${p}/topics/${TOPICS.scheduleTick}`,
            data: Buffer.from(JSON.stringify({ source: 'cloud-scheduler' })).toString('base64'),
          },
        },
      },
    },
  ];

  const regional = firebaseJsonForRegion(options.firebaseJson, region);
  const hosting: PlanStep[] = [
    ...(regional
      ? [
          {
            kind: 'file',
            description: `firebase.json with its rewrites calling the functions in ${region}`,
            path: REGIONAL_FIREBASE_JSON,
            content: `${JSON.stringify(regional, null, 2)}\n`,
          } satisfies PlanStep,
        ]
      : []),
    run('Hosting: the pages, rewrites to the HTTP functions and the security headers of firebase.json', [
      'npx',
      'firebase',
      'deploy',
      '--only',
      'hosting',
      `--project=${p}`,
      '--non-interactive',
      ...(regional ? [`--config=${REGIONAL_FIREBASE_JSON}`] : []),
    ]),
  ];

  return [
    { title: 'APIs', steps: apis },
    { title: 'Identities (least privilege)', steps: identitySteps },
    { title: 'Secrets', steps: secrets },
    { title: 'Firestore', steps: firestore },
    { title: 'Pub/Sub topics and dead letters', steps: topics },
    {
      title: `Functions (${taskFunctions.length} task, ${FUNCTIONS.length - taskFunctions.length} HTTP)`,
      steps: functions,
    },
    { title: 'Cloud Scheduler', steps: scheduler },
    { title: 'Hosting', steps: hosting },
  ];
}

function deployFunction(
  spec: FunctionSpec,
  options: PlanOptions,
  ids: ReturnType<typeof identities>,
  gcloud: (...args: string[]) => string[],
): PlanStep[] {
  const s = settingsOf(spec.name);
  const env = [
    `TELIQON_MODE=live`,
    `GOOGLE_CLOUD_PROJECT=${options.projectId}`,
    `PUBLIC_BASE_URL=${options.publicBaseUrl}`,
  ];
  if (spec.trigger.kind === 'topic') env.push(`NODE_OPTIONS=${TASK_NODE_OPTIONS}`);
  const common = [
    'functions',
    'deploy',
    spec.name,
    '--gen2',
    `--region=${options.region}`,
    '--runtime=nodejs24',
    '--source=functions',
    `--entry-point=${spec.name}`,
    `--service-account=${spec.name === 'directoryPush' ? ids.push : ids.runtime}`,
    `--memory=${s.memory}`,
    `--cpu=${s.cpu}`,
    `--timeout=${s.timeoutSeconds}s`,
    `--concurrency=${s.concurrency}`,
    `--max-instances=${s.maxInstances}`,
    // Only a function that sends mail has the SMTP credentials in its environment; --clear-secrets also takes them
    // from a function an older plan gave them to.
    `--set-env-vars=${env.join(',')}`,
    ...(spec.sendsMail ? [`--set-secrets=SMTP_URL=${SMTP_SECRET}:latest`] : ['--clear-secrets']),
  ];
  const why = `${spec.purpose}. ${s.memory}, ${s.timeoutSeconds}s, concurrency ${s.concurrency}, max ${s.maxInstances}: ${s.why}`;
  if (spec.trigger.kind === 'http') {
    // Firebase Hosting rewrites call the function as the public does; the functions authenticate every request
    // themselves.
    return [
      {
        kind: 'command',
        description: `Function ${spec.name} (HTTP). ${why}`,
        argv: gcloud(...common, '--trigger-http', '--allow-unauthenticated'),
      },
    ];
  }
  const topic = spec.trigger.topic;
  const trigger = `TRIGGER_${spec.name}`;
  const subscription = `SUBSCRIPTION_${spec.name}`;
  return [
    {
      kind: 'command',
      description: `Function ${spec.name} (Pub/Sub ${topic}, retried). ${why}`,
      argv: gcloud(...common, `--trigger-topic=${topic}`, `--trigger-service-account=${ids.invoker}`, '--retry'),
    },
    {
      kind: 'command',
      description: `Only the invoker identity may call ${spec.name}`,
      argv: gcloud(
        'functions',
        'add-invoker-policy-binding',
        spec.name,
        `--region=${options.region}`,
        `--member=serviceAccount:${ids.invoker}`,
      ),
    },
    {
      kind: 'lookup',
      description: `Eventarc trigger of ${spec.name}`,
      name: trigger,
      argv: gcloud(
        'functions',
        'describe',
        spec.name,
        '--gen2',
        `--region=${options.region}`,
        '--format=value(eventTrigger.trigger)',
      ),
    },
    {
      kind: 'lookup',
      description: `Pub/Sub subscription of ${spec.name}'s trigger`,
      name: subscription,
      argv: gcloud(
        'eventarc',
        'triggers',
        'describe',
        `\${${trigger}}`,
        `--location=${options.region}`,
        '--format=value(transport.pubsub.subscription)',
      ),
    },
    {
      kind: 'api',
      description: `Dead-letter ${spec.name}'s tasks to ${deadLetterTopic(topic)} after ${MAX_DELIVERY_ATTEMPTS} attempts, with backoff`,
      call: 'pubsub.setDeadLetterPolicy',
      request: {
        subscription: `\${${subscription}}`,
        deadLetterTopic: `projects/${options.projectId}/topics/${deadLetterTopic(topic)}`,
        maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
        minimumBackoffSeconds: 10,
        maximumBackoffSeconds: 600,
      },
    },
    {
      kind: 'command',
      description: `Pub/Sub service agent may acknowledge ${spec.name}'s dead-lettered tasks`,
      argv: gcloud(
        'pubsub',
        'subscriptions',
        'add-iam-policy-binding',
        `\${${subscription}}`,
        `--member=serviceAccount:${ids.pubsubAgent}`,
        '--role=roles/pubsub.subscriber',
      ),
    },
  ];
}
