// The cold-start benchmark: functions/ built as it is deployed, its own stack, a connected and synced tenant, then
// for every function, N times, a fresh Node process (cold-probe.ts) with that function's environment that imports
// the built entry point and answers one real first request. Runs go round the functions, so a slow moment of the
// machine does not land on one function's runs only.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FUNCTIONS, TASK_NODE_OPTIONS, type FunctionSpec } from '../../functions/src/catalog.ts';
import { startStack, type RunningStack } from '../stack/stack.ts';
import { REPO_ROOT } from '../stack/stack-config.ts';
import { buildRevision, buildWorkingTree, type FunctionsBuild } from './cold-builds.ts';
import type { ProbeReady, ProbeUsage } from './cold-probe.ts';
import { EVENT_FIRST_REQUESTS } from './cold-events.ts';
import { HTTP_FIRST_REQUESTS } from './cold-http.ts';
import { coldWorld, type ColdWorld, type FirstRequest } from './cold-world.ts';

/** What to benchmark. */
export interface ColdBenchOptions {
  readonly runs: number;
  /** A git revision whose functions/ is measured beside the working tree's. */
  readonly compareWith: string | undefined;
  readonly log: (line: string) => void;
  readonly onStack: (stack: RunningStack) => void;
}

/** One cold start of one function. */
export interface ColdStart {
  /** Importing the built entry point, the Functions Framework already loaded. */
  readonly importMs: number;
  /** From the first request sent to its whole answer read. */
  readonly answerMs: number;
  /** CPU time of the cold process from the import to the first answer read: unlike the wall times, what other
   * processes on the machine do does not lengthen it. */
  readonly cpuMs: number;
  /** Resident set after the first answer. */
  readonly rssMiB: number;
  /** Resident set with only the framework loaded, before the import. */
  readonly frameworkRssMiB: number;
}

/** Every cold start measured of one function, per build. */
export interface ColdMeasurement {
  readonly fn: FunctionSpec;
  /** Build label → its cold starts; in the order of the builds. */
  readonly starts: ReadonlyMap<string, readonly ColdStart[]>;
}

const PROBE = path.join(REPO_ROOT, 'dev/bench/cold-probe.ts');
const PROBE_TIMEOUT_MS = 30_000;
const MIB = 1024 * 1024;

/** Runs the benchmark; the stack is stopped however it ends. */
export async function runColdBench(options: ColdBenchOptions): Promise<ColdMeasurement[]> {
  const { log } = options;
  const makers: Record<string, (world: ColdWorld) => Promise<FirstRequest>> = {
    ...HTTP_FIRST_REQUESTS,
    ...EVENT_FIRST_REQUESTS,
  };
  const unmeasured = FUNCTIONS.filter((fn) => !makers[fn.name]).map((fn) => fn.name);
  if (unmeasured.length > 0) throw new Error(`No first request for ${unmeasured.join(', ')}`);
  log('Building functions/ as it is deployed (lib/index.js)…');
  const builds = [...(options.compareWith ? [await buildRevision(options.compareWith)] : []), await buildWorkingTree()];
  log('Starting the stack…');
  const stack = await startStack('test', { tickIntervalMs: null, pushDelivery: false });
  options.onStack(stack);
  try {
    log(`Stack ready (${stack.addresses.instance}); logs in ${stack.dirs.logs}`);
    const world = await coldWorld(stack, log);
    const measured = FUNCTIONS.map((fn) => ({
      fn,
      starts: new Map(builds.map((build) => [build.label, [] as ColdStart[]])),
    }));
    for (let round = 1; round <= options.runs; round++) {
      log(`Cold starts, round ${round} of ${options.runs}…`);
      for (const { fn, starts } of measured) {
        // Builds take turns going first, so neither always follows the other's settling.
        const order = round % 2 === 0 ? [...builds].reverse() : builds;
        for (const build of order) {
          const start = await measureColdStart(world, fn, build, await makers[fn.name]!(world));
          starts.get(build.label)!.push(start);
          log(
            `  ${fn.name} (${build.label}): import ${start.importMs.toFixed(0)} ms, ` +
              `answer ${start.answerMs.toFixed(0)} ms, CPU ${start.cpuMs.toFixed(0)} ms, RSS ${start.rssMiB.toFixed(0)} MiB`,
          );
        }
      }
    }
    return measured;
  } finally {
    log('Stopping the stack…');
    await stack.stop();
  }
}

async function measureColdStart(
  world: ColdWorld,
  fn: FunctionSpec,
  build: FunctionsBuild,
  request: FirstRequest,
): Promise<ColdStart> {
  const probe = await startProbe(fn, build.entry, world.stack.functionsEnv);
  let start: ColdStart;
  try {
    const started = performance.now();
    const response = await request.send(`http://127.0.0.1:${probe.ready.port}`);
    const body = await response.text();
    const answerMs = performance.now() - started;
    const problem = request.check(response, body);
    if (problem) throw new Error(`${fn.name} answered its first request wrongly: ${problem}\n${probe.output()}`);
    const usage = await probe.usage();
    start = {
      importMs: probe.ready.importMs,
      answerMs,
      cpuMs: usage.cpuMs,
      rssMiB: usage.rssBytes / MIB,
      frameworkRssMiB: probe.ready.frameworkRssBytes / MIB,
    };
  } finally {
    await probe.stop();
  }
  await request.settle?.();
  return start;
}

interface RunningProbe {
  readonly ready: ProbeReady;
  /** The process's resident set and CPU time, read once the answer is in. */
  usage(): Promise<ProbeUsage>;
  /** What the process wrote, for a failure's message. */
  output(): string;
  stop(): Promise<void>;
}

// A fresh process with the function's environment as Cloud Run sets it: FUNCTION_TARGET, and the V8 settings of
// an event function's service.
function startProbe(
  fn: FunctionSpec,
  entry: string,
  functionsEnv: Readonly<Record<string, string>>,
): Promise<RunningProbe> {
  const child = spawn(process.execPath, [PROBE, fn.name, entry], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      ...functionsEnv,
      FUNCTION_TARGET: fn.name,
      ...(fn.trigger.kind === 'topic' && { NODE_OPTIONS: TASK_NODE_OPTIONS }),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`${fn.name}'s probe did not listen within ${PROBE_TIMEOUT_MS / 1000} s`),
      PROBE_TIMEOUT_MS,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\n${output}`));
    };
    const exitedEarly = (code: number | null) => fail(`${fn.name}'s probe exited (${code}) before it listened`);
    child.once('exit', exitedEarly);
    child.once('message', (message: ProbeReady) => {
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve({
        ready: message,
        usage: () => askUsage(child),
        output: () => output,
        stop: async () => {
          if (child.connected) child.disconnect();
          else child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}

function askUsage(child: ChildProcess): Promise<ProbeUsage> {
  return new Promise((resolve) => {
    child.once('message', (message: ProbeUsage) => resolve(message));
    child.send('usage');
  });
}
