// npm run bench:sync [-- --users N] [-- --latency MS]: measures a first sync of N users into an empty tenant and
// a re-sync with nothing changed against SPEC §8's targets. It runs its own stack beside npm start and npm test,
// and exits non-zero only when something fails, not when a target is missed.
import { parseArgs } from 'node:util';
import { toolPortOffsets } from '../stack/stack-config.ts';
import { positiveInteger, progressLog, runBenchmark } from './cli.ts';

// Shifted ports, so the benchmark's stack runs beside npm start and npm test.
process.env['STACK_PORT_OFFSET'] ??= String(toolPortOffsets['bench:sync']);

function readOptions(): { users: number; latencyMs: number } {
  const { values } = parseArgs({
    options: { users: { type: 'string', default: '10000' }, latency: { type: 'string', default: '150' } },
    strict: true,
  });
  return { users: positiveInteger('users', values.users, 1), latencyMs: positiveInteger('latency', values.latency, 0) };
}

await runBenchmark('sync', async (onStack) => {
  const options = readOptions();
  const { runSyncBench } = await import('./sync-bench.ts');
  const { formatTable } = await import('./report.ts');
  const log = progressLog();
  log(`Sync benchmark: ${options.users} users, ${options.latencyMs} ms per users.list page.`);
  const { rows, notes } = await runSyncBench({ ...options, log, onStack });
  console.log([formatTable(rows), ...notes].join('\n'));
  if (rows.some((row) => row.status !== 'succeeded')) {
    console.error('A measured sync did not succeed; see the table and the functions log.');
    return false;
  }
  return true;
});
