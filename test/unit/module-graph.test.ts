// Regression test for every function loading every client library at its cold start (the composition root imported
// them all): each function, loaded in a fresh process as its Cloud Run service loads it and made to build its handler
// module and every adapter function-adapters.ts gives it (test/support/module-graph-probe.ts), loads exactly the
// heavy client libraries listed here, and the entry point alone loads none. The measurement is dynamic: a loader
// hook records every module that is loaded, and each adapter is built as a first call builds it. What a function may
// reach is bounded by its adapters, since its handler is typed down to them. Offline; no emulator is needed.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { FUNCTIONS } from '../../functions/src/catalog.ts';
import { FUNCTION_ADAPTERS } from '../../functions/src/function-adapters.ts';
import { REPO_ROOT } from '../../dev/stack/stack-config.ts';
import { localEnvironment } from '../support/environments.ts';
import type { ModuleGraphReport } from '../support/module-graph-probe.ts';

/** The client libraries whose load is most of a cold start, and what each brings. */
const HEAVY = [
  '@google-cloud/firestore',
  'google-gax',
  '@google-cloud/pubsub',
  '@google-cloud/secret-manager',
  '@googleapis/admin',
  'googleapis-common',
  'openid-client',
  'jose',
  'firebase-admin',
  'nodemailer',
] as const;

type Heavy = (typeof HEAVY)[number];

// Every function reads and writes Firestore, whose client brings google-gax (and gRPC) with it.
const FIRESTORE: Heavy[] = ['@google-cloud/firestore', 'google-gax'];
// The Directory's adapter: the Admin SDK's client, and Secret Manager for the tenant's refresh token.
const DIRECTORY: Heavy[] = ['@googleapis/admin', 'googleapis-common', '@google-cloud/secret-manager'];
// Sign in with Google: openid-client, which checks ID tokens with jose.
const OPENID: Heavy[] = ['openid-client', 'jose'];

/** What each function loads of HEAVY, and nothing more. */
const EXPECTED: Readonly<Record<string, readonly Heavy[]>> = {
  // Firebase Auth checks the admins' ID tokens (with jose, by way of jwks-rsa); connect stores the client secret,
  // the console reads units and groups, "Sync now" publishes a run's tasks.
  adminApi: [...FIRESTORE, 'firebase-admin', 'jose', ...DIRECTORY, '@google-cloud/pubsub'],
  oauthCallback: [...FIRESTORE, ...DIRECTORY, '@google-cloud/pubsub'],
  // The authorization URL needs no client secret.
  ssoStart: [...FIRESTORE, ...OPENID],
  ssoCallback: [...FIRESTORE, ...OPENID, '@google-cloud/secret-manager'],
  userApi: [...FIRESTORE],
  scheduleTick: [...FIRESTORE, ...DIRECTORY, '@google-cloud/pubsub'],
  syncPage: [...FIRESTORE, ...DIRECTORY, '@google-cloud/pubsub'],
  syncFinalize: [...FIRESTORE, ...DIRECTORY, '@google-cloud/pubsub'],
  // The webhook only checks the channel and queues the change.
  directoryPush: [...FIRESTORE, '@google-cloud/pubsub'],
  pushUser: [...FIRESTORE, ...DIRECTORY, '@google-cloud/pubsub'],
  welcomeMail: [...FIRESTORE, 'nodemailer'],
};

const PROBE = path.join(REPO_ROOT, 'test/support/module-graph-probe.ts');

// The packages a fresh process loads for `target` (the entry point alone when undefined).
function probe(target: string | undefined): Promise<readonly string[]> {
  const child = fork(PROBE, target ? [target] : [], {
    env: {
      PATH: process.env['PATH'] ?? '',
      ...localEnvironment(),
      ...(target && { FUNCTION_TARGET: target }),
      // The Directory read that loads its adapter fails at once; its retries should not wait.
      SYNC_RETRY_BASE_MS: '1',
      METADATA_SERVER_DETECTION: 'none',
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('message', (report: ModuleGraphReport) => resolve(report.packages));
    child.once('exit', (code) =>
      reject(new Error(`The probe of ${target ?? 'the entry point'} exited ${code}: ${stderr}`)),
    );
  });
}

// Runs `work` on every item, a few at a time.
async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
  return results;
}

const heavyOf = (packages: readonly string[]) => HEAVY.filter((name) => packages.includes(name));

describe('module graph of each function', function () {
  this.timeout(60_000);
  const loaded = new Map<string | undefined, readonly string[]>();

  before(async () => {
    const targets = [undefined, ...FUNCTIONS.map((fn) => fn.name)];
    const graphs = await inParallel(targets, probe);
    targets.forEach((target, i) => loaded.set(target, graphs[i]!));
  });

  it('wires every function of the catalog, and states what each loads', () => {
    const names = FUNCTIONS.map((fn) => fn.name).sort();
    assert.deepEqual(Object.keys(FUNCTION_ADAPTERS).sort(), names);
    assert.deepEqual(Object.keys(EXPECTED).sort(), names);
  });

  it('the entry point alone loads none of the heavy client libraries', () => {
    assert.deepEqual(heavyOf(loaded.get(undefined) ?? []), []);
    assert.ok(loaded.get(undefined)?.includes('zod'), 'the configuration is validated at load');
  });

  for (const fn of FUNCTIONS) {
    it(`${fn.name} loads ${(EXPECTED[fn.name] ?? []).join(', ')} and no other`, () => {
      const expected = HEAVY.filter((name) => EXPECTED[fn.name]?.includes(name));
      assert.deepEqual(heavyOf(loaded.get(fn.name) ?? []), expected);
    });
  }

  // The two the issue names, stated on their own.
  it('syncPage does not load openid-client, and ssoCallback does not load @googleapis/admin', () => {
    assert.ok(!loaded.get('syncPage')?.includes('openid-client'));
    assert.ok(!loaded.get('ssoCallback')?.includes('@googleapis/admin'));
  });
});
