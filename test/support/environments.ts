// A complete local-mode environment for config.ts, for unit tests that build a configuration without a stack.

/** Every variable local mode needs, pointing at made-up local endpoints. */
export function localEnvironment(): Record<string, string> {
  return {
    TELIQON_MODE: 'local',
    GOOGLE_CLOUD_PROJECT: 'demo-teliqon',
    PUBLIC_BASE_URL: 'http://localhost:5050',
    SMTP_URL: 'smtp://127.0.0.1:5025',
    FIRESTORE_EMULATOR_HOST: '127.0.0.1:5080',
    PUBSUB_EMULATOR_HOST: '127.0.0.1:5085',
    FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:5099',
    SECRET_MANAGER_EMULATOR_HOST: '127.0.0.1:5071',
    GOOGLE_STANDIN_URL: 'http://127.0.0.1:5070',
  };
}
