// The Firestore client, built once per process from config.
import { Firestore } from '@google-cloud/firestore';
import type { AppConfig } from '../config.ts';

/** Builds a Firestore client; in local mode it talks to the emulator with the emulator's admin credentials. */
export function createFirestore(config: AppConfig): Firestore {
  const emulator = config.emulators.firestore;
  return new Firestore({
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
