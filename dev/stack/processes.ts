// Child processes of the local stack. Each runs in its own process group, so stopping it also stops what it
// spawned (gcloud's and firebase's wrappers leave a java child behind otherwise).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A running child process of the stack. */
export interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  /** Where its output goes. */
  readonly logFile: string;
  /** Stops the whole process group: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

// Process groups still running. If this process ends in any way Node can observe (an uncaught error, a closed
// output pipe, process.exit), they are killed synchronously so no emulator outlives its stack.
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
});

/** Starts a command in its own process group, its output appended to `<logDir>/<name>.log`. */
export function startService(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; logDir: string },
): Service {
  mkdirSync(options.logDir, { recursive: true });
  const logPath = path.join(options.logDir, `${name}.log`);
  const logFile = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(logFile);
  child.stderr.pipe(logFile);
  if (child.pid !== undefined) liveGroups.add(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => logFile.write(`failed to start: ${error.message}\n`));

  return {
    name,
    child,
    logFile: logPath,
    async stop() {
      if (child.pid === undefined) return;
      if (child.exitCode !== null || child.signalCode !== null) {
        signalGroup(child.pid, 'SIGKILL');
        liveGroups.delete(child.pid);
        return;
      }
      signalGroup(child.pid, 'SIGTERM');
      const killed = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!killed) signalGroup(child.pid, 'SIGKILL');
      await Promise.race([exited, delay(2000)]);
      // The group may outlive its leader (a java grandchild); make sure nothing of it is left.
      signalGroup(child.pid, 'SIGKILL');
      await waitForGroupGone(child.pid, 3000);
      liveGroups.delete(child.pid);
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

// A signal is delivered at once but the process exits a moment later; wait for the group to be gone.
async function waitForGroupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupExists(pgid) && Date.now() < deadline) await delay(50);
}

/** Fails with the port's owner named when a port of the stack is already taken. */
export async function requireFreePort(port: number, host: string, owner: string, profile?: string): Promise<void> {
  const { createServer } = await import('node:net');
  const likelyHolder =
    profile === 'start'
      ? 'is npm start already running (in another terminal)?'
      : `is another ${profile ?? 'local'} stack running?`;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(new Error(`Port ${port} (${owner}) is already in use: ${likelyHolder} Stop it first.`)),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls a URL until `ready(body, status)` holds; fails with the service's name after `timeoutMs`. */
export async function waitForHttp(
  name: string,
  url: string,
  ready: (body: string, status: number) => boolean,
  options: { timeoutMs?: number; service?: Service } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (options.service && options.service.child.exitCode !== null) {
      throw new Error(
        `${name} exited with code ${options.service.child.exitCode} before it was ready. ${logTail(options.service)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (ready(await response.text(), response.status)) return;
    } catch {
      // Not listening yet.
    }
    await delay(150);
  }
  const tail = options.service ? ` ${logTail(options.service)}` : '';
  throw new Error(`${name} was not ready at ${url} within ${options.timeoutMs ?? 60_000} ms.${tail}`);
}

// The end of a service's log, so a failed start says why without sending anyone to look for the file.
function logTail(service: Service, lines = 15): string {
  let text = '';
  try {
    text = readFileSync(service.logFile, 'utf8').trimEnd();
  } catch {
    // Nothing was written.
  }
  if (!text) return `Its log, ${service.logFile}, is empty.`;
  const last = text
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`);
  return `The end of its log (${service.logFile}):\n${last.join('\n')}`;
}
