// The Firestore client, built once per process from config.
import { createRequire } from 'node:module';
import type { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';

/** Builds a Firestore client; in local mode it talks to the emulator with the emulator's admin credentials. The
 * library is loaded here, when the client is first needed, not when the composition root is. */
export function createFirestore(config: AppConfig): Firestore {
  const emulator = config.emulators.firestore;
  const library = createRequire(import.meta.url)('@google-cloud/firestore') as typeof import('@google-cloud/firestore');
  return new library.Firestore({
    projectId: config.projectId,
    ignoreUndefinedProperties: true,
    ...(emulator && {
      host: emulator.host,
      port: emulator.port,
      ssl: false,
      customHeaders: { Authorization: 'Bearer owner' },
    }),
  });
}
