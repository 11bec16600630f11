// npm run bench:cold [-- --runs N --compare REV]: for every function, the time to import its module (the built
// lib/index.js, as Cloud Run loads it, with the Functions Framework already loaded) and to answer one real first
// request, and the resident set after it, each the median of N fresh processes (5 by default). It runs its own
// stack beside npm start, npm test and the other benchmarks, and exits non-zero only when something fails. With
// --compare, a git revision's functions/ (say main) is built and measured in the same run, each figure shown as
// "REV → this tree".
import { parseArgs } from 'node:util';
import { toolPortOffsets } from '../stack/stack-config.ts';
import { positiveInteger, progressLog, runBenchmark } from './cli.ts';

process.env['STACK_PORT_OFFSET'] ??= String(toolPortOffsets['bench:cold']);

await runBenchmark('cold-start', async (onStack) => {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '5' }, compare: { type: 'string' } },
    strict: true,
  });
  const runs = positiveInteger('runs', values.runs, 1);
  const { runColdBench } = await import('./cold-bench.ts');
  const { formatColdTable } = await import('./cold-report.ts');
  const log = progressLog();
  log(`Cold-start benchmark: ${runs} cold starts of every function.`);
  console.log(formatColdTable(await runColdBench({ runs, compareWith: values.compare, log, onStack })));
  return true;
});
