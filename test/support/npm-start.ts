// README's first command, run as a person runs it: `npm start` from the repository, with a shell's environment
// (none of the test stack's variables, no STACK_PORT_OFFSET, no npm test PATH entries), in its own process group
// so that Ctrl-C reaches the whole job as it does in a terminal.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { requireFreePort } from '../../dev/stack/processes.ts';
import { REPO_ROOT, stackFile } from '../../dev/stack/stack-config.ts';

// What a developer's shell passes on; everything else in this process comes from npm test or the test stack.
const SHELL_VARIABLES = [
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'TERM',
  'TMPDIR',
  'JAVA_HOME',
  'CLOUDSDK_ROOT_DIR',
  'CI',
];

/** A shell's environment, with `extra` set on top. */
export function shellEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of SHELL_VARIABLES) if (process.env[name] !== undefined) env[name] = process.env[name];
  // npm test put the repository's node_modules/.bin first; a shell has only the machine's own PATH.
  const repo = path.resolve(REPO_ROOT);
  env['PATH'] = (process.env['PATH'] ?? '')
    .split(':')
    .filter((entry) => entry && !path.resolve(entry).startsWith(repo))
    .join(':');
  return { ...env, ...extra };
}

/** A running `npm start`. */
export interface NpmStart {
  /** Everything it printed so far. */
  output(): string;
  /** The value of one line of the printed block, e.g. "PBX login". */
  printed(label: string): string;
  /** Ctrl-C; resolves with how npm ended. */
  interrupt(): Promise<string>;
  /** Kills what is left, after a failed test. */
  kill(): void;
}

/** Fails, saying so plainly, when one of npm start's default ports is taken: this test does not move them. */
export async function requireDefaultPortsFree(): Promise<void> {
  for (const [owner, port] of Object.entries(stackFile.stacks.start)) {
    await requireFreePort(port, '127.0.0.1', owner).catch(() => {
      throw new Error(
        `npm start's default port ${port} (${owner}) is in use, most likely by your own npm start. This test runs npm start ` +
          'on its default ports, as a person does, and does not move them: stop it, then run the tests again.',
      );
    });
  }
}

function spawnNpmStart(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { child, output: () => text };
}

function exitOf(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.signalCode ?? `code ${child.exitCode}`);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
}

/** Starts `npm start` and resolves once it printed its "Config page:" line, the last of its block. */
export async function launchNpmStart(env: NodeJS.ProcessEnv = shellEnvironment()): Promise<NpmStart> {
  const { child, output } = spawnNpmStart(env);
  const exited = exitOf(child);
  const ready = new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (/^Config page: /m.test(output())) finish(resolve);
      else if (child.exitCode !== null)
        finish(() => reject(new Error(`npm start exited before it was ready:\n${output()}`)));
    }, 200);
    const finish = (then: () => void) => {
      clearInterval(poll);
      then();
    };
  });
  const kill = () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
      process.kill(-child.pid, 'SIGKILL');
  };
  await ready.catch((error: unknown) => {
    kill();
    throw error;
  });
  return {
    output,
    printed(label) {
      const value = new RegExp(`^${label}: (.+)$`, 'm').exec(output())?.[1];
      if (!value) throw new Error(`npm start printed no "${label}:" line:\n${output()}`);
      return value;
    },
    async interrupt() {
      process.kill(-child.pid!, 'SIGINT');
      return exited;
    },
    kill,
  };
}

/** Runs `npm start` that is expected to refuse to start; resolves with its exit and output. One that starts
 * after all is stopped after `timeoutMs`. */
export async function runRefusedNpmStart(
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<{ ended: string; output: string }> {
  const { child, output } = spawnNpmStart(env);
  const stopper = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
  const ended = await exitOf(child);
  clearTimeout(stopper);
  return { ended, output: output() };
}
