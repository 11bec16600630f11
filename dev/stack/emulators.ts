// Google's emulators: Firestore and Pub/Sub from the Google Cloud CLI's bundled emulators, Auth from firebase-tools.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startService, waitForHttp, type Service } from './processes.ts';
import { REPO_ROOT, type StackAddresses } from './stack-config.ts';

/** Where the stack keeps logs and generated files. */
export interface StackDirs {
  readonly data: string;
  readonly logs: string;
}

// The emulators ship inside the Google Cloud CLI. CLOUDSDK_ROOT_DIR overrides the search; otherwise the SDK
// is found from the gcloud on PATH.
function cloudSdkRoot(): string {
  const configured = process.env['CLOUDSDK_ROOT_DIR'];
  if (configured) return configured;
  try {
    const gcloud = execFileSync('sh', ['-c', 'command -v gcloud'], { encoding: 'utf8' }).trim();
    return path.resolve(path.dirname(realpathSync(gcloud)), '..');
  } catch {
    throw new Error('The Google Cloud CLI (gcloud) is not on PATH; install it with its Firestore and Pub/Sub emulators');
  }
}

function requireFile(file: string, hint: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: ${hint}`);
  return file;
}

/** Starts the Firestore emulator with the project's rules. Run as plain java: the jar has no Main-Class. */
export async function startFirestore(addresses: StackAddresses, dirs: StackDirs): Promise<Service> {
  const jar = requireFile(
    path.join(cloudSdkRoot(), 'platform/cloud-firestore-emulator/cloud-firestore-emulator.jar'),
    'install the gcloud component cloud-firestore-emulator',
  );
  const service = startService(
    'firestore',
    'java',
    [
      '-cp',
      jar,
      'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
      `--host=${addresses.host}`,
      `--port=${addresses.ports.firestore}`,
      `--rules=${path.join(REPO_ROOT, 'firestore.rules')}`,
    ],
    { cwd: dirs.data, logDir: dirs.logs },
  );
  await waitForHttp('Firestore emulator', `http://${addresses.firestoreHost}/`, (body) => body.trim() === 'Ok', { service });
  return service;
}

/** Starts the Pub/Sub emulator. */
export async function startPubSub(addresses: StackAddresses, dirs: StackDirs): Promise<Service> {
  const launcher = requireFile(
    path.join(cloudSdkRoot(), 'platform/pubsub-emulator/bin/cloud-pubsub-emulator'),
    'install the gcloud component pubsub-emulator',
  );
  const service = startService(
    'pubsub',
    launcher,
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
  await waitForHttp('Auth emulator', `http://${addresses.authHost}/`, (body) => body.includes('"ready": true') || body.includes('"ready":true'), {
    service,
    timeoutMs: 90_000,
  });
  return service;
}
