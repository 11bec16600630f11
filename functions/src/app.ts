// The composition root: builds every adapter from config, once per process and only when first needed, so a
// cold start pays only for what the invoked function uses.
import type { Firestore } from '@google-cloud/firestore';
import { config, type AppConfig } from './config.ts';
import { setLogLevel } from './log.ts';
import { createFirestore } from './platform/firestore.ts';

/** The process-wide dependencies of the functions. */
export interface App {
  readonly config: AppConfig;
  readonly db: Firestore;
}

let app: App | undefined;

/** Returns the app, building it on first call. */
export function getApp(): App {
  if (app) return app;
  const appConfig = config();
  setLogLevel(appConfig.logLevel);
  let db: Firestore | undefined;
  app = {
    config: appConfig,
    get db() {
      db ??= createFirestore(appConfig);
      return db;
    },
  };
  return app;
}
