// What every benchmark script does around its measurement: its stack is stopped however the script ends (Ctrl-C
// included), a failure is printed with its causes, and the exit code says only whether something failed.
import type { RunningStack } from '../stack/stack.ts';

// fetch() reports only "fetch failed"; the socket or protocol error that explains it is in its cause.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? '' : `\n  caused by: ${describe(error.cause)}`;
  return `${error.stack ?? error.message}${cause}`;
}

/** Runs a benchmark's body, which reports its stack through `onStack` and returns whether everything succeeded. */
export async function runBenchmark(
  name: string,
  body: (onStack: (stack: RunningStack) => void) => Promise<boolean>,
): Promise<never> {
  let stack: RunningStack | undefined;
  // The stack's processes run in their own process groups, which Ctrl-C does not reach: stop them on the way out.
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the stack…`);
    const stopping = stack ? stack.stop() : Promise.resolve();
    // process.exit also kills whatever the stack had started so far (dev/stack/processes.ts's exit hook).
    void stopping.finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    if (!(await body((running) => (stack = running)))) process.exitCode = 1;
  } catch (error) {
    console.error(`The ${name} benchmark failed: ${describe(error)}`);
    process.exitCode = 1;
  }
  // Open handles of the in-process clients (Firestore, Pub/Sub) could keep Node alive after the stack stopped.
  process.exit();
}

/** A progress logger to stderr, with the seconds since the benchmark began, so stdout holds only the results. */
export function progressLog(): (line: string) => void {
  const begun = Date.now();
  return (line) => console.error(`[${((Date.now() - begun) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

/** A whole number of at least `min` from a command-line option, or an error naming the option. */
export function positiveInteger(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number of at least ${min}, not "${text}"`);
  return value;
}
