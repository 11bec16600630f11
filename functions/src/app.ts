// The composition root: builds every adapter from config, once per process and only when first needed, and the
// one object of caches a warm instance keeps between requests (instance-caches.ts). It imports no client library:
// each adapter loads its own when it is built, so a cold start pays only for the adapters the invoked function
// uses (function-adapters.ts says which).
import type { Firestore } from '@google-cloud/firestore';
import type { Auth } from 'firebase-admin/auth';
import { config, type AppConfig } from './config.ts';
import type { RetryPolicy } from './google/directory-api.ts';
import { directoryOnFirstUse } from './google/directory-on-first-use.ts';
import { createInstanceCaches } from './instance-caches.ts';
import { setLogLevel } from './log.ts';
import { createFirebaseAuth } from './platform/firebase-auth.ts';
import { createFirestore } from './platform/firestore.ts';
import { SmtpMailer, type Mailer } from './platform/mailer.ts';
import { PubSubTaskQueue, type TaskQueue } from './platform/pubsub.ts';
import { SecretManagerStore, type SecretStore } from './platform/secret-store.ts';
import { GoogleOidc } from './sso/google-oidc.ts';
import type { PageDependencies } from './sync/run/dependencies.ts';
import type { RunTrigger } from './sync/run/run.ts';

/** The process-wide dependencies of the functions. */
export interface App extends PageDependencies {
  readonly auth: Auth;
  readonly secrets: SecretStore;
  readonly mailer: Mailer;
  /** Google as the OpenID provider of "Sign in with Google", with discovery and keys cached for the instance. */
  readonly oidc: GoogleOidc;
  readonly startRun: (
    tenantId: string,
    trigger: RunTrigger,
    slot?: string,
  ) => Promise<{ runId: string; started: boolean }>;
}

/** The members of the app that are adapters of external systems, each built on its first use. */
export type AdapterName = keyof Pick<App, 'db' | 'queue' | 'secrets' | 'auth' | 'mailer' | 'oidc' | 'directory'>;

/** More pages than this in one chain (500 users each: half a million users) means the listing is looping. */
const MAX_PAGES_PER_CHAIN = 1000;

let app: App | undefined;

function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** Returns the app, building it on first call. */
export function getApp(): App {
  if (app) return app;
  const appConfig: AppConfig = config();
  setLogLevel(appConfig.logLevel);
  const db = lazy<Firestore>(() => createFirestore(appConfig));
  const auth = lazy(() => createFirebaseAuth(appConfig));
  const secrets = lazy<SecretStore>(() => new SecretManagerStore(appConfig));
  const queue = lazy<TaskQueue>(() => new PubSubTaskQueue(appConfig));
  const mailer = lazy<Mailer>(() => new SmtpMailer(appConfig));
  const oidc = lazy(() => new GoogleOidc(appConfig));
  const caches = createInstanceCaches();
  // The Directory port's budget per call: six attempts with backoff from the configured base.
  const retry: RetryPolicy = {
    attempts: 6,
    baseDelayMs: appConfig.sync.retryBaseMs,
    maxDelayMs: appConfig.sync.retryBaseMs * 16,
  };
  const built: App = {
    config: appConfig,
    get db() {
      return db();
    },
    get auth() {
      return auth();
    },
    get secrets() {
      return secrets();
    },
    get queue() {
      return queue();
    },
    get mailer() {
      return mailer();
    },
    get oidc() {
      return oidc();
    },
    caches,
    directory: directoryOnFirstUse(async () => {
      const { GoogleDirectory } = await import('./google/google-directory.ts');
      return new GoogleDirectory({ config: appConfig, db: db(), secrets: secrets(), retry, sessions: caches.sessions });
    }),
    // Chains listing at once share the tenant's queries per minute.
    callSpacingMs: Math.ceil(60_000 / appConfig.sync.queriesPerMinute),
    maxPagesPerChain: MAX_PAGES_PER_CHAIN,
    // Well inside the 120 s lease of a removal list and the finalize function's 540 s timeout.
    removalDeliveryMs: 60_000,
    // The run's modules come with the first run a function starts; most functions start none.
    startRun: async (tenantId, trigger, slot) =>
      (await import('./sync/run/start-run.ts')).startRun(built, tenantId, trigger, slot),
  };
  app = built;
  return app;
}
