// Firebase Authentication through the Admin SDK: the config page's admins and their ID tokens.
// In local mode the SDK finds the Auth emulator through FIREBASE_AUTH_EMULATOR_HOST, which config.ts has
// validated and which it refuses in live mode: with that variable set the SDK accepts unsigned tokens.
import { createRequire } from 'node:module';
import type { Auth } from 'firebase-admin/auth';
import type { AppConfig } from '../config.ts';

/** The Admin SDK's Auth for this project. The SDK is loaded on first use: only the admin API needs it, and every
 * function shares this code (a page task's instance need not carry it). */
export function createFirebaseAuth(config: AppConfig): Auth {
  const require = createRequire(import.meta.url);
  const { getApps, initializeApp } = require('firebase-admin/app') as typeof import('firebase-admin/app');
  const { getAuth } = require('firebase-admin/auth') as typeof import('firebase-admin/auth');
  const name = `teliqon-${config.projectId}`;
  const app =
    getApps().find((existing) => existing.name === name) ?? initializeApp({ projectId: config.projectId }, name);
  return getAuth(app);
}
