// Google's emulators: Firestore and Pub/Sub from the Google Cloud CLI's bundled emulators, Auth from firebase-tools.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalTools } from './prerequisites.ts';
import { startService, waitForHttp, type Service } from './processes.ts';
import { REPO_ROOT, type StackAddresses } from './stack-config.ts';

/** Where the stack keeps logs and generated files. */
export interface StackDirs {
  readonly data: string;
  readonly logs: string;
}

/** Starts the Firestore emulator with the project's rules. Run as plain java: the jar has no Main-Class. */
export async function startFirestore(addresses: StackAddresses, dirs: StackDirs, tools: LocalTools): Promise<Service> {
  const service = startService(
    'firestore',
    'java',
    [
      '-cp',
      tools.firestoreJar,
      'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
      `--host=${addresses.host}`,
      `--port=${addresses.ports.firestore}`,
      `--rules=${path.join(REPO_ROOT, 'firestore.rules')}`,
    ],
    { cwd: dirs.data, logDir: dirs.logs },
  );
  await waitForHttp('Firestore emulator', `http://${addresses.firestoreHost}/`, (body) => body.trim() === 'Ok', {
    service,
  });
  return service;
}

/** Starts the Pub/Sub emulator. */
export async function startPubSub(addresses: StackAddresses, dirs: StackDirs, tools: LocalTools): Promise<Service> {
  const service = startService(
    'pubsub',
    tools.pubsubLauncher,
    [`--host=${addresses.host}`, `--port=${addresses.ports.pubsub}`],
    { cwd: dirs.data, logDir: dirs.logs },
  );
  await waitForHttp('Pub/Sub emulator', `http://${addresses.pubsubHost}/`, (body) => body.trim() === 'Ok', { service });
  return service;
}

/** Starts the Firebase Auth emulator from firebase-tools, on this stack's ports. */
export async function startAuth(addresses: StackAddresses, dirs: StackDirs): Promise<Service> {
  // firebase-tools reads ports from a firebase.json; a generated one keeps the repo's firebase.json for deploys.
  const folder = path.join(dirs.data, 'auth-emulator');
  mkdirSync(folder, { recursive: true });
  const { ports, host } = addresses;
  writeFileSync(
    path.join(folder, 'firebase.json'),
    JSON.stringify({
      emulators: {
        auth: { host, port: ports.auth },
        hub: { host, port: ports.emulatorHub },
        logging: { host, port: ports.emulatorLogging },
        ui: { enabled: false },
      },
    }),
  );
  const firebase = path.join(REPO_ROOT, 'node_modules/.bin/firebase');
  const service = startService(
    'auth',
    firebase,
    ['emulators:start', '--only', 'auth', '--project', addresses.projectId],
    { cwd: folder, logDir: dirs.logs, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } },
  );
  await waitForHttp(
    'Auth emulator',
    `http://${addresses.authHost}/`,
    (body) => body.includes('"ready": true') || body.includes('"ready":true'),
    {
      service,
      timeoutMs: 90_000,
    },
  );
  return service;
}
