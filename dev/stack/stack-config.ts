// Loads stack.config.json: the project id, region and the ports of each local stack ("start" for npm start,
// "test" for npm test, so both can run side by side).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The root folder of the repository. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Ports of one local stack. */
export interface StackPorts {
  readonly gateway: number;
  /** HTTP functions (behind the gateway). */
  readonly functions: number;
  /** Pub/Sub-triggered functions: on Cloud Run each is its own service, so locally they run apart from HTTP ones. */
  readonly tasks: number;
  readonly google: number;
  readonly secretManager: number;
  readonly firestore: number;
  readonly pubsub: number;
  readonly auth: number;
  readonly smtp: number;
  readonly inbox: number;
  readonly emulatorHub: number;
  readonly emulatorLogging: number;
}

/** The name of a local stack. */
export type StackProfile = 'start' | 'test';

interface StackFile {
  readonly projectId: string;
  readonly region: string;
  readonly runtime: string;
  readonly stacks: Record<StackProfile, StackPorts>;
}

/** The parsed stack.config.json. */
export const stackFile: StackFile = JSON.parse(readFileSync(new URL('stack.config.json', `file://${REPO_ROOT}`), 'utf8'));

const LOOPBACK = '127.0.0.1';

// STACK_PORT_OFFSET shifts every port of a stack, so two test runs (say, two worktrees) can share a machine.
function portOffset(): number {
  const offset = Number(process.env['STACK_PORT_OFFSET'] ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 20000) throw new Error('STACK_PORT_OFFSET must be a whole number from 0 to 20000');
  return offset;
}

/** Every address of one local stack, derived from its ports. */
export function stackAddresses(profile: StackProfile) {
  const offset = portOffset();
  const ports = Object.fromEntries(Object.entries(stackFile.stacks[profile]).map(([name, port]) => [name, port + offset])) as unknown as StackPorts;
  const url = (port: number) => `http://${LOOPBACK}:${port}`;
  return {
    profile,
    /** The stack's folder name under .dev-data: the profile, and the port offset when there is one. */
    instance: offset === 0 ? profile : `${profile}-${offset}`,
    projectId: stackFile.projectId,
    ports,
    host: LOOPBACK,
    // The browser-facing origin; localhost is a secure context, so Secure cookies work over http.
    publicBaseUrl: `http://localhost:${ports.gateway}`,
    functionsUrl: url(ports.functions),
    tasksUrl: url(ports.tasks),
    googleUrl: url(ports.google),
    inboxUrl: url(ports.inbox),
    firestoreHost: `${LOOPBACK}:${ports.firestore}`,
    pubsubHost: `${LOOPBACK}:${ports.pubsub}`,
    authHost: `${LOOPBACK}:${ports.auth}`,
    secretManagerHost: `${LOOPBACK}:${ports.secretManager}`,
    smtpUrl: `smtp://${LOOPBACK}:${ports.smtp}`,
  };
}

/** The addresses of one local stack. */
export type StackAddresses = ReturnType<typeof stackAddresses>;
