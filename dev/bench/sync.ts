// npm run bench:sync [-- --users N] [-- --latency MS]: measures a first sync of N users into an empty tenant and
// a re-sync with nothing changed against SPEC §8's targets. It runs its own stack beside npm start and npm test,
// and exits non-zero only when something fails, not when a target is missed.
import { parseArgs } from 'node:util';
import type { RunningStack } from '../stack/stack.ts';

// Shifted ports, so the benchmark's stack runs beside npm start and npm test. Set before the stack code is loaded.
process.env['STACK_PORT_OFFSET'] ??= '1000';

function positiveInteger(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}, not "${text}"`);
  return value;
}

function readOptions(): { users: number; latencyMs: number } {
  const { values } = parseArgs({
    options: { users: { type: 'string', default: '10000' }, latency: { type: 'string', default: '150' } },
    strict: true,
  });
  return { users: positiveInteger('users', values.users, 1), latencyMs: positiveInteger('latency', values.latency, 0) };
}

// fetch() reports only "fetch failed"; the socket or protocol error that explains it is in its cause.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? '' : `\n  caused by: ${describe(error.cause)}`;
  return `${error.stack ?? error.message}${cause}`;
}

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
  const options = readOptions();
  const { runSyncBench } = await import('./sync-bench.ts');
  const { formatTable } = await import('./report.ts');
  const begun = Date.now();
  const log = (line: string) => console.error(`[${((Date.now() - begun) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  log(`Sync benchmark: ${options.users} users, ${options.latencyMs} ms per users.list page.`);
  const rows = await runSyncBench({ ...options, log, onStack: (running) => (stack = running) });
  console.log(formatTable(rows));
  if (rows.some((row) => row.status !== 'succeeded')) {
    console.error('A measured sync did not succeed; see the table and the functions log.');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`The sync benchmark failed: ${describe(error)}`);
  process.exitCode = 1;
}
// Open handles of the in-process clients (Firestore, Pub/Sub) could keep Node alive after the stack stopped.
process.exit();
