// Brings up the whole product on one machine with no Google account and no internet: the emulators, the
// Google and Secret Manager stand-ins, the SMTP sink, the functions, the Hosting gateway and the scheduler.
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { PubSub } from '@google-cloud/pubsub';
import { getApp } from '../../functions/src/app.ts';
import { TASK_NODE_OPTIONS } from '../../functions/src/catalog.ts';
import { buildWeb } from '../build-web.ts';
import { seedDemo, type DemoWorld } from '../demo/seed.ts';
import { startGoogleStandIn, type GoogleStandIn } from '../google/server.ts';
import { SecretManagerStandIn } from '../secret-manager/server.ts';
import { startAuth, startFirestore, startPubSub, type StackDirs } from './emulators.ts';
import { findLocalTools } from './prerequisites.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { startMailSink } from './mail-sink.ts';
import { requireFreePort, startService, waitForHttp, type Service } from './processes.ts';
import { createTopicsAndSubscriptions, emulatorPubSub } from './pubsub-setup.ts';
import { startPushRelay } from './push-relay.ts';
import { portEntries, REPO_ROOT, stackAddresses, type StackAddresses, type StackProfile } from './stack-config.ts';
import { startTicker, type Ticker } from './ticker.ts';

/** A running local stack. */
export interface RunningStack {
  readonly addresses: StackAddresses;
  readonly dirs: StackDirs;
  readonly google: GoogleStandIn;
  readonly secretManager: SecretManagerStandIn;
  readonly pubsub: PubSub;
  readonly ticker: Ticker;
  readonly demo: DemoWorld;
  /** The environment the functions run with. */
  readonly functionsEnv: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Options of a stack start. */
export interface StackOptions {
  readonly fixtureFile?: string | undefined;
  /** Scheduler tick period; null leaves ticking to the caller. One minute by default. */
  readonly tickIntervalMs?: number | null;
  /** Whether the Google stand-in sends push notifications from the start (it does unless told not to). */
  readonly pushDelivery?: boolean;
}

/** The environment of the functions in this stack: local mode, every endpoint a local one. */
export function functionsEnvironment(addresses: StackAddresses): Record<string, string> {
  return {
    TELIQON_MODE: 'local',
    GOOGLE_CLOUD_PROJECT: addresses.projectId,
    PUBLIC_BASE_URL: addresses.publicBaseUrl,
    SMTP_URL: addresses.smtpUrl,
    FIRESTORE_EMULATOR_HOST: addresses.firestoreHost,
    PUBSUB_EMULATOR_HOST: addresses.pubsubHost,
    FIREBASE_AUTH_EMULATOR_HOST: addresses.authHost,
    SECRET_MANAGER_EMULATOR_HOST: addresses.secretManagerHost,
    GOOGLE_STANDIN_URL: addresses.googleUrl,
    // A developer machine has no GCE metadata server; without this the Google clients probe for one.
    METADATA_SERVER_DETECTION: 'none',
    // Tests inject Directory failures; short backoffs keep them quick without changing the retry logic.
    ...(addresses.profile === 'test' && { SYNC_RETRY_BASE_MS: '20' }),
  };
}

/** Starts every part of the stack; on any failure it stops what it started and rethrows. */
export async function startStack(profile: StackProfile, options: StackOptions = {}): Promise<RunningStack> {
  const addresses = stackAddresses(profile);
  // The stack's own Google clients (Pub/Sub and Firestore on the emulators) would probe for a metadata server too.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  // What a new machine may lack is said all at once, before anything starts.
  const tools = findLocalTools();
  for (const [owner, port] of portEntries(addresses.ports)) await requireFreePort(port, addresses.host, owner, profile);
  const data = path.join(REPO_ROOT, '.dev-data', addresses.instance);
  rmSync(data, { recursive: true, force: true });
  const dirs: StackDirs = { data, logs: path.join(data, 'logs') };
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    stoppers.length = 0;
  };
  const track = <T>(value: T, stop: (value: T) => Promise<void>): T => {
    stoppers.push(() => stop(value));
    return value;
  };

  // The emulators (and the inbox) are the slow part; they start together while the rest comes up.
  const emulatorsStarting = Promise.allSettled([
    startFirestore(addresses, dirs, tools),
    startPubSub(addresses, dirs, tools),
    startAuth(addresses, dirs),
    startMailSink(addresses.host, addresses.ports.smtp, addresses.ports.inbox, path.join(data, 'mail'), dirs.logs),
  ]);
  try {
    const env = functionsEnvironment(addresses);
    const google = track(
      await startGoogleStandIn({
        port: addresses.ports.google,
        fixtureFile: options.fixtureFile,
        pushDelivery: options.pushDelivery ?? true,
      }),
      (g) => g.close(),
    );
    const secretManager = new SecretManagerStandIn();
    track(await listen(secretManager.app(), addresses.ports.secretManager), closeServer);
    const functionsHost = track(startFunctionsHost('functions', 'http', addresses.ports.functions, env, dirs), (s) =>
      s.stop(),
    );
    const tasksHost = track(startFunctionsHost('tasks', 'topic', addresses.ports.tasks, env, dirs), (s) => s.stop());
    await buildWeb();
    const webConfig = {
      apiKey: 'local-api-key',
      authDomain: 'localhost',
      projectId: addresses.projectId,
      authEmulatorUrl: `http://${addresses.authHost}`,
    };
    track(
      await startGateway(addresses.ports.gateway, addresses.functionsUrl, webConfig, {
        connect: [webConfig.authEmulatorUrl],
        formAction: [addresses.googleUrl],
      }),
      (g: Gateway) => g.close(),
    );

    const emulators = await emulatorsStarting;
    for (const result of emulators) if (result.status === 'fulfilled') track(result.value, (s) => s.stop());
    const failed = emulators.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    await waitForHttp('Functions host', `${addresses.functionsUrl}/__ready`, (_body, status) => status === 200, {
      service: functionsHost,
    });
    await waitForHttp('Tasks host', `${addresses.tasksUrl}/__ready`, (_body, status) => status === 200, {
      service: tasksHost,
    });

    const pubsub = track(emulatorPubSub(addresses), (p) => p.close());
    await createTopicsAndSubscriptions(pubsub);
    track(startPushRelay(pubsub, addresses), (relay) => relay.stop());
    // This process becomes a local-mode client of its own stack: the seed (and the tests) use the product's code.
    Object.assign(process.env, env);
    const demo = await seedDemo(getApp(), addresses, google);
    const ticker = track(
      startTicker(pubsub, options.tickIntervalMs === null ? undefined : (options.tickIntervalMs ?? 60_000), (error) =>
        console.error('Scheduler tick failed:', error),
      ),
      async (t) => t.stop(),
    );
    return { addresses, dirs, google, secretManager, pubsub, ticker, demo, functionsEnv: env, stop: stopAll };
  } catch (error) {
    await stopAll();
    // Emulators still starting when something else failed are stopped too; stopping twice is harmless.
    for (const result of await emulatorsStarting) if (result.status === 'fulfilled') await result.value.stop();
    throw error;
  }
}

// HTTP functions and Pub/Sub-triggered ones run in two processes, as they run in separate Cloud Run services: the
// tasks' process loads only what tasks use, with the V8 settings tasks are deployed with.
function startFunctionsHost(
  name: string,
  trigger: 'http' | 'topic',
  port: number,
  env: Record<string, string>,
  dirs: StackDirs,
): Service {
  return startService(
    name,
    process.execPath,
    [path.join(REPO_ROOT, 'dev/stack/functions-host.ts'), String(port), trigger],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        ...env,
        ...(trigger === 'topic' && { NODE_OPTIONS: TASK_NODE_OPTIONS }),
      },
      logDir: dirs.logs,
    },
  );
}

function listen(
  app: { listen(port: number, host: string, callback: () => void): Server },
  port: number,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
