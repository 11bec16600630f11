// The composition root: builds every adapter from config, once per process and only when first needed, so a
// cold start pays only for what the invoked function uses.
import type { Firestore } from '@google-cloud/firestore';
import type { Auth } from 'firebase-admin/auth';
import { config, type AppConfig } from './config.ts';
import { setLogLevel } from './log.ts';
import { createFirebaseAuth } from './platform/firebase-auth.ts';
import { createFirestore } from './platform/firestore.ts';
import { SecretManagerStore, type SecretStore } from './platform/secret-store.ts';

/** The process-wide dependencies of the functions. */
export interface App {
  readonly config: AppConfig;
  readonly db: Firestore;
  readonly auth: Auth;
  readonly secrets: SecretStore;
}

let app: App | undefined;

function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** Returns the app, building it on first call. */
export function getApp(): App {
  if (app) return app;
  const appConfig = config();
  setLogLevel(appConfig.logLevel);
  const db = lazy(() => createFirestore(appConfig));
  const auth = lazy(() => createFirebaseAuth(appConfig));
  const secrets = lazy(() => new SecretManagerStore(appConfig));
  app = {
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
  };
  return app;
}
