// npm start: the whole product on this machine, with the Google stand-ins. Ctrl-C stops everything.
import { startStack } from './stack/stack.ts';

const startedAt = Date.now();
console.log('Starting the local stack (emulators, Google stand-ins, functions, pages)…');
const stack = await startStack('start', { fixtureFile: process.env['GOOGLE_DIRECTORY_FIXTURE'] }).catch(
  (error: unknown) => {
    console.error(`The local stack did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

const { addresses, demo } = stack;
console.log(`Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s. Logs: ${stack.dirs.logs}`);
console.log(
  [
    `PBX login: ${addresses.publicBaseUrl}/t/${demo.tenantId}/login`,
    `Admin sign-in: ${demo.adminEmail} / ${demo.adminPassword}`,
    `Google admin: ${demo.googleAdminEmail}`,
    `Google OAuth client: ${demo.oauthClientId} / ${demo.oauthClientSecret}`,
    `Inbox: ${addresses.inboxUrl}`,
    `Config page: ${addresses.publicBaseUrl}/`,
  ].join('\n'),
);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGHUP', shutdown);
