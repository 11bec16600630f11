// Firebase Authentication through the Admin SDK: the config page's admins and their ID tokens.
// In local mode the SDK finds the Auth emulator through FIREBASE_AUTH_EMULATOR_HOST, which config.ts has
// validated and which it refuses in live mode: with that variable set the SDK accepts unsigned tokens.
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import type { AppConfig } from '../config.ts';

/** The Admin SDK's Auth for this project. */
export function createFirebaseAuth(config: AppConfig): Auth {
  const name = `teliqon-${config.projectId}`;
  const app = getApps().find((existing) => existing.name === name) ?? initializeApp({ projectId: config.projectId }, name);
  return getAuth(app);
}
