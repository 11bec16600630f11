// What the local stack needs from the machine, beyond `npm ci`: Java for the Firestore and Pub/Sub emulators,
// and the Google Cloud CLI that ships them. Everything missing is named at once, with how to get it, before any
// service starts: a newcomer should not learn it from an emulator's log.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The oldest Java the emulators are run with here (README's prerequisites). */
export const MINIMUM_JAVA = 17;

/** The programs the stack runs that do not come from npm. */
export interface LocalTools {
  readonly firestoreJar: string;
  readonly pubsubLauncher: string;
}

/** The major version of the `java` on PATH, or undefined when there is none. */
export function javaMajorVersion(env: NodeJS.ProcessEnv): number | undefined {
  const probe = spawnSync('java', ['-version'], { env, encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  // `openjdk version "17.0.15"`, or `java version "1.8.0_402"` before Java 9.
  const [, first, second] = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`) ?? [];
  if (first === undefined) return undefined;
  return first === '1' && second !== undefined ? Number(second) : Number(first);
}

// The emulators ship inside the Google Cloud CLI. CLOUDSDK_ROOT_DIR names its folder; otherwise it is found from
// the gcloud on PATH.
function cloudSdkRoot(env: NodeJS.ProcessEnv): string | undefined {
  const configured = env['CLOUDSDK_ROOT_DIR'];
  if (configured) return configured;
  const found = spawnSync('sh', ['-c', 'command -v gcloud'], { env, encoding: 'utf8' });
  const gcloud = found.status === 0 ? found.stdout.trim() : '';
  return gcloud ? path.resolve(path.dirname(realpathSync(gcloud)), '..') : undefined;
}

/** Finds Java and the emulators, or fails with one message that lists everything missing and how to get it. */
export function findLocalTools(env: NodeJS.ProcessEnv = process.env): LocalTools {
  const missing: string[] = [];
  const java = javaMajorVersion(env);
  if (java === undefined) {
    missing.push(
      `Java ${MINIMUM_JAVA} or later, for the Firestore and Pub/Sub emulators: there is no working \`java\` on PATH (on Debian or Ubuntu: apt-get install openjdk-17-jre-headless).`,
    );
  } else if (java < MINIMUM_JAVA) {
    missing.push(
      `Java ${MINIMUM_JAVA} or later, for the Firestore and Pub/Sub emulators: the \`java\` on PATH is Java ${java}.`,
    );
  }
  const sdk = cloudSdkRoot(env);
  const firestoreJar = sdk && path.join(sdk, 'platform/cloud-firestore-emulator/cloud-firestore-emulator.jar');
  const pubsubLauncher = sdk && path.join(sdk, 'platform/pubsub-emulator/bin/cloud-pubsub-emulator');
  if (!sdk) {
    missing.push(
      'The Google Cloud CLI (gcloud), which ships the Firestore and Pub/Sub emulators: it is not on PATH (https://cloud.google.com/sdk/docs/install), or set CLOUDSDK_ROOT_DIR to its folder.',
    );
  } else {
    if (!existsSync(firestoreJar!))
      missing.push(
        `The gcloud component cloud-firestore-emulator (${firestoreJar} is missing): gcloud components install cloud-firestore-emulator, or apt-get install google-cloud-cli-firestore-emulator.`,
      );
    if (!existsSync(pubsubLauncher!))
      missing.push(
        `The gcloud component pubsub-emulator (${pubsubLauncher} is missing): gcloud components install pubsub-emulator, or apt-get install google-cloud-cli-pubsub-emulator.`,
      );
  }
  if (missing.length > 0)
    throw new Error(
      `This machine lacks what the local stack needs (see README.md, Prerequisites):\n${missing.map((line) => `  - ${line}`).join('\n')}`,
    );
  return { firestoreJar: firestoreJar!, pubsubLauncher: pubsubLauncher! };
}
