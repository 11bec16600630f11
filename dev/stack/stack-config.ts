// Loads stack.config.json: the project id, region and the ports of each local stack ("start" for npm start,
// "test" for npm test, so both can run side by side).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isBadPort } from './bad-ports.ts';

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

/** The project's tools that start a stack of their own on shifted ports. */
export type ToolWithOwnPorts = 'bench:sync' | 'bench:sso' | 'bench:push' | 'bench:cold';

/** The name of a local stack. */
export type StackProfile = 'start' | 'test';

interface StackFile {
  readonly projectId: string;
  readonly region: string;
  readonly runtime: string;
  readonly stacks: Record<StackProfile, StackPorts>;
  readonly portOffsets: Readonly<Record<ToolWithOwnPorts, number>>;
}

/** The parsed stack.config.json. */
export const stackFile = JSON.parse(
  readFileSync(new URL('stack.config.json', `file://${REPO_ROOT}`), 'utf8'),
) as StackFile;

const LOOPBACK = '127.0.0.1';
const MAX_OFFSET = 20000;

/** The port offsets the project's own tools set, from stack.config.json: each benchmark's stack runs beside the
 * others. A developer's STACK_PORT_OFFSET takes their place. */
export const toolPortOffsets = stackFile.portOffsets;

// STACK_PORT_OFFSET shifts every port of a stack, so two test runs (say, two worktrees) can share a machine.
function portOffsetFromEnvironment(): number {
  const offset = Number(process.env['STACK_PORT_OFFSET'] ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    throw new Error(`STACK_PORT_OFFSET must be a whole number from 0 to ${MAX_OFFSET}`);
  }
  return offset;
}

/** Each port of a stack with its name. */
export function portEntries(ports: StackPorts): Array<[name: string, port: number]> {
  return Object.keys(ports).map((name) => [name, ports[name as keyof StackPorts]]);
}

function shiftedPorts(profile: StackProfile, offset: number): StackPorts {
  const shifted = portEntries(stackFile.stacks[profile]).map(([name, port]) => [name, port + offset]);
  return Object.fromEntries(shifted) as StackPorts;
}

function firstBadPort(ports: StackPorts): [name: string, port: number] | undefined {
  return portEntries(ports).find(([, port]) => isBadPort(port));
}

/** The ports of a stack shifted by `offset`. A port that a browser or fetch would refuse is an error that says
 * which one and what to do, before anything starts. */
export function stackPorts(profile: StackProfile, offset: number): StackPorts {
  const ports = shiftedPorts(profile, offset);
  const bad = firstBadPort(ports);
  if (!bad) return ports;
  const [name, port] = bad;
  const refused = `which browsers and fetch refuse (a "bad port" of the Fetch standard, https://fetch.spec.whatwg.org/#port-blocking)`;
  if (offset === 0) {
    throw new Error(
      `stack.config.json puts the ${profile} stack's "${name}" on port ${port}, ${refused}. Give it another port there.`,
    );
  }
  let safe = offset + 1;
  while (safe <= MAX_OFFSET && firstBadPort(shiftedPorts(profile, safe))) safe++;
  throw new Error(
    `STACK_PORT_OFFSET=${offset} would put "${name}" on port ${port}, ${refused}. Use another offset, for example ${safe}.`,
  );
}

/** Every address of one local stack, derived from its ports. */
export function stackAddresses(profile: StackProfile, offset = portOffsetFromEnvironment()) {
  const ports = stackPorts(profile, offset);
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
